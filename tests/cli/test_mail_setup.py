"""`followup mail setup`: from an address to a working account, writing only what differs
from the provider's preset; lookups through a stub resolver (no network in tests)."""

from __future__ import annotations

import socket
import tomllib
from pathlib import Path

import pytest

from followup.app.errors import ExitCode
from tests.conftest import Run
from tests.unit.test_mailsetup import StubResolver

SECRET = "pw-Zq8!never-shown-4711"


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> StubResolver:
    stub = StubResolver()
    monkeypatch.setattr("followup.bootstrap.mail_resolver", lambda: stub)
    monkeypatch.delenv("FOLLOWUP_MAIL_PASSWORD", raising=False)
    return stub


def config(home: Path) -> dict[str, object]:
    return tomllib.loads((home / "config.toml").read_text())


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def local_autoconfig(imap_port: int, smtp_port: int) -> bytes:
    """An autoconfig naming servers on this machine (nothing leaves loopback)."""
    return f"""<clientConfig version="1.1"><emailProvider id="acme.example">
      <displayName>Acme Mail</displayName>
      <incomingServer type="imap"><hostname>127.0.0.1</hostname><port>{imap_port}</port>
        <socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>
      <outgoingServer type="smtp"><hostname>127.0.0.1</hostname><port>{smtp_port}</port>
        <socketType>SSL</socketType><username>%EMAILADDRESS%</username></outgoingServer>
    </emailProvider></clientConfig>""".encode()


def test_a_gmail_address_writes_the_provider_and_the_address_only(
    run: Run, home: Path, resolver: StubResolver
) -> None:
    r = run("mail", "setup", "--address", "grace@gmail.com", "--yes")
    assert r.code == 0, r.err
    assert config(home) == {"mail": {"from_address": "grace@gmail.com", "provider": "gmail"}}
    assert "Gmail / Google Workspace (recognised by the domain gmail.com)" in r.out
    assert "imap.gmail.com:993 (ssl)" in r.out and "app password" in r.out
    assert "no password yet" in r.err and "followup mail test" in r.err
    assert resolver.asked == []  # a known domain needs no lookup


def test_setup_replaces_server_settings_left_from_before(
    run: Run, home: Path, resolver: StubResolver
) -> None:
    run("config", "set", "mail.smtp_host", "smtp.old.example")
    run("config", "set", "mail.imap_port", "1993")
    run("config", "set", "mail.max_batch", "3")
    r = run("mail", "setup", "--address", "grace@icloud.com", "--yes")
    assert r.code == 0, r.err
    assert "mail.smtp_host removed (the preset gives it)" in r.out
    assert config(home)["mail"] == {
        "max_batch": 3,  # not a server setting: kept
        "from_address": "grace@icloud.com",
        "provider": "icloud",
    }
    assert "app-specific password" in r.out


def test_it_asks_for_the_address_and_for_a_yes(run: Run, home: Path, resolver: object) -> None:
    r = run("mail", "setup", stdin="grace@fastmail.com\nn\n")
    assert r.code == 0, r.err
    assert "Fastmail" in r.out and "Nothing written." in r.out
    assert not (home / "config.toml").exists()
    r = run("mail", "setup", stdin="grace@fastmail.com\n\n")  # Enter: yes
    assert config(home)["mail"] == {"from_address": "grace@fastmail.com", "provider": "fastmail"}


def test_a_company_domain_on_google_workspace_is_found_by_mx(
    run: Run, home: Path, resolver: StubResolver
) -> None:
    resolver._mx["acme.example"] = ["aspmx.l.google.com."]
    r = run("mail", "setup", "--address", "grace@acme.example", "--yes", "--json")
    assert r.code == 0, r.err
    assert r.json["provider"] == "gmail"
    assert r.json["found_by"] == "the domain's mail server aspmx.l.google.com"
    assert config(home)["mail"] == {"from_address": "grace@acme.example", "provider": "gmail"}


def test_microsoft_says_it_needs_oauth2(run: Run, home: Path, resolver: object) -> None:
    r = run("mail", "setup", "--address", "grace@outlook.com", "--yes")
    assert r.code == 0
    assert "OAuth2" in r.out and "OAuth2 only" in r.err
    assert r.err.count("\n") == 1


def test_an_unknown_domain_is_one_line_and_nothing_is_written(
    run: Run, home: Path, resolver: StubResolver
) -> None:
    r = run("mail", "setup", "--address", "grace@acme.example", "--yes")
    assert r.code == ExitCode.INVALID
    assert r.err.count("\n") == 1
    assert "followup config set mail.imap_host" in r.err
    assert "MX acme.example" in resolver.asked and "autoconfig acme.example" in resolver.asked
    assert not (home / "config.toml").exists()


def test_servers_already_set_are_kept_for_an_unknown_domain_without_a_lookup(
    run: Run, home: Path, resolver: StubResolver
) -> None:
    """Issue #16: the servers set by hand (config set, or the dashboard's Advanced form) are
    what an address no lookup knows uses; setup asked for them again and wrote nothing."""
    for key, value in (("mail.smtp_host", "smtp.example.org"), ("mail.smtp_port", "2525"),
                       ("mail.smtp_security", "starttls"),
                       ("mail.imap_host", "imap.example.org")):  # fmt: skip
        assert run("config", "set", key, value).code == 0
    r = run("mail", "setup", "--address", "jo@acme.example", "--username", "jo", "--yes")
    assert r.code == 0, r.err
    assert "Servers: the servers already set, kept as they are" in r.out
    assert "SMTP: smtp.example.org:2525 (starttls)" in r.out
    assert resolver.asked == []  # the user's own servers: nothing looked up over them
    assert config(home)["mail"] == {
        "smtp_host": "smtp.example.org", "smtp_port": 2525, "smtp_security": "starttls",
        "imap_host": "imap.example.org", "from_address": "jo@acme.example", "username": "jo",
    }  # fmt: skip


def test_a_provider_already_set_serves_a_school_address_nothing_else_names(
    run: Run, home: Path, resolver: StubResolver
) -> None:
    """The unknown domain's own hint (`config set mail.provider microsoft`) then works."""
    assert run("config", "set", "mail.provider", "microsoft").code == 0
    r = run("mail", "setup", "--address", "jo@uni.example", "--yes", "--json")
    assert r.code == 0, r.err
    assert r.json["provider"] == "microsoft" and "MX uni.example" in resolver.asked
    assert config(home)["mail"] == {"provider": "microsoft", "from_address": "jo@uni.example"}


def test_yes_without_an_address_is_a_usage_error(run: Run, resolver: object) -> None:
    r = run("mail", "setup", "--yes")
    assert r.code == ExitCode.USAGE and "--address" in r.err


def test_with_a_password_at_hand_it_runs_mail_test_and_never_shows_the_secret(
    run: Run, home: Path, resolver: StubResolver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOLLOWUP_MAIL_PASSWORD", SECRET)
    imap_port, smtp_port = closed_port(), closed_port()
    resolver._auto["acme.example"] = local_autoconfig(imap_port, smtp_port)
    r = run("mail", "setup", "--address", "grace@acme.example", "--yes")
    assert r.code == ExitCode.CONFLICT  # nothing listens there: mail test fails, exit 5
    assert "SMTP: FAILED" in r.out and "IMAP: FAILED" in r.out
    assert config(home)["mail"] == {
        "from_address": "grace@acme.example",
        "imap_host": "127.0.0.1",
        "smtp_host": "127.0.0.1",
        "imap_port": imap_port,
        "smtp_port": smtp_port,
    }
    outputs = [r.out, r.err, (home / "config.toml").read_text()]
    again = run("mail", "setup", "--address", "grace@acme.example", "--json")
    outputs += [again.out, again.err]
    assert again.json["test"]["ok"] is False
    for args in (("config", "show"), ("config", "show", "--json"), ("mail", "test", "--json")):
        shown = run(*args)
        outputs += [shown.out, shown.err]
    assert all(SECRET not in text for text in outputs)


def test_a_known_domain_loads_no_dns_library(tmp_path: Path) -> None:
    from tests.cli.test_startup import loaded_by

    loaded = loaded_by(["mail", "setup", "--address", "grace@gmail.com", "--yes"], tmp_path)
    assert "followup" in loaded and "dns" not in loaded
