"""Settings in a user's words (issue #16 trial): the built-in templates are not shown as paths
inside the install folder, and Test connection says which part failed."""

from __future__ import annotations

import html as html_lib
import re
import socket
from pathlib import Path

import pytest

from followup.app import wording
from tests.conftest import Run
from tests.integration.smtp_sink import Sink, smtp_sink  # noqa: F401  (the fixture)
from tests.integration.test_sending import configure
from tests.web.conftest import Web


def _text(page: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_built_in_templates_are_named_not_their_install_path(web: Web) -> None:
    import followup

    install = str(Path(followup.__file__).parent)
    page = web.get("/settings").text
    froms = re.findall(r'data-testid="template-from">([^<]*)<', page)
    assert froms and set(froms) == {"the built-in templates"}
    assert install not in page
    # a template of the user's own: its path is theirs, and shown
    first = web.get("/api/templates").json()[0]
    config_dir = Path(web.get("/api/config").json()["file"]).parent
    own = config_dir / "templates" / f"{first['kind']}.{first['tone']}.txt"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text(Path(first["file"]).read_text())
    page = web.get("/settings").text
    assert str(own) in page
    assert install not in page


def test_a_mail_test_with_smtp_working_and_imap_not_says_which_failed(
    web: Web,
    run: Run,
    smtp_sink: Sink,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = int(s.getsockname()[1])
    configure(
        run,
        smtp_sink,
        ("mail.imap_host", "127.0.0.1"),
        ("mail.imap_port", str(closed)),
        ("mail.imap_security", "none"),
    )
    monkeypatch.setenv("FOLLOWUP_MAIL_PASSWORD", "pw")
    r = web.post("/settings/mail-test", headers={"HX-Request": "true"})
    said = re.search(r'data-testid="mail-test-said">([^<]*)<', r.text)
    assert said is not None, r.text
    line = html_lib.unescape(said.group(1))
    assert line.startswith("Sending (SMTP) works; reading your mailbox and Drafts (IMAP) failed:")
    assert "The test failed" not in _text(r.text)


def test_the_mail_tests_sentence_names_each_part() -> None:
    unset = {"smtp": "ok", "imap": "not configured (set mail.imap_host)", "ok": False}
    assert wording.mail_test(unset) == (
        "Sending (SMTP) works; reading your mailbox and Drafts (IMAP) has no server given."
    )
    both = {"smtp": "FAILED — refused", "imap": "FAILED — timed out", "ok": False}
    assert wording.mail_test(both) == (
        "Sending (SMTP) failed: refused; reading your mailbox and Drafts (IMAP) failed: timed out."
    )
    unknown = {"smtp": "FAILED — cannot reach SMTP server smtp.exmaple.org:465: [Errno -2]"
               " Name or service not known", "imap": "ok", "ok": False}  # fmt: skip
    assert wording.mail_test(unknown) == (
        "Reading your mailbox and Drafts (IMAP) works; sending (SMTP) failed: couldn't reach"
        " your mail server smtp.exmaple.org:465: no server has that name — check the host and"
        " port under “Advanced: server settings”."
    )
    assert wording.mail_test({"smtp": "ok", "imap": "ok", "ok": True}).startswith(
        "The connection works"
    )
