"""A mail server's refusal is one line and a documented exit code, as `mail test` says it:
never exit 1 "internal error". Against the real Dovecot of tests/integration."""

from __future__ import annotations

import socket

import pytest

from followup.app.errors import ExitCode
from tests.conftest import Run
from tests.integration.dovecot import Account
from tests.integration.test_sync import mailbox_home  # noqa: F401  (the fixture)

pytestmark = pytest.mark.integration


def test_sync_with_a_wrong_password_is_one_line_exit_4(
    run: Run,
    mailbox_home: Account,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FOLLOWUP_MAIL_PASSWORD", "not the password")
    tested = run("mail", "test")
    assert "IMAP: FAILED" in tested.out
    synced = run("sync")
    assert synced.code == ExitCode.INVALID, synced.err
    assert synced.err.count("\n") == 1, synced.err
    assert synced.err.startswith(
        f"followup: error: IMAP login failed for {mailbox_home.username} at 127.0.0.1"
    ), synced.err
    assert "not the password" not in synced.err
    assert run("sync", "--json").code == ExitCode.INVALID


def test_sync_with_the_server_down_is_one_line_exit_5(
    run: Run,
    mailbox_home: Account,  # noqa: F811
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert run("config", "set", "mail.imap_port", str(port)).code == 0
    synced = run("sync")
    assert synced.code == ExitCode.CONFLICT, synced.err  # may work later: try again
    assert synced.err.count("\n") == 1, synced.err
    assert synced.err.startswith("followup: error: cannot reach IMAP server"), synced.err
