"""Check mail now on Today (issue #16, item 4): `followup sync` in the background, its
outcome beside the button — a reply read from a real Dovecot, or the server that could not
be reached, said with where to fix it."""

from __future__ import annotations

import html
import re
import time

import pytest

from tests.conftest import Run
from tests.integration.dovecot import (  # noqa: F401  (dovecot, imap_account: the fixtures)
    Account,
    Dovecot,
    dovecot,
    free_port,
    imap_account,
)
from tests.integration.smtp_sink import Sink, smtp_sink  # noqa: F401  (the fixture)
from tests.integration.test_sending import configure, due_interview, notes
from tests.integration.test_sync import mail, mailbox_home, sent_thank_you  # noqa: F401
from tests.web.conftest import Web

pytestmark = pytest.mark.integration
HTMX = {"HX-Request": "true", "HX-Target": "mail-check"}


def settled(web: Web, first: str) -> str:
    region, deadline = first, time.monotonic() + 20
    while 'data-running="true"' in region:
        assert time.monotonic() < deadline, "the check never finished"
        time.sleep(0.1)
        region = web.get("/sync-status", headers=HTMX).text
    return region


def lines(region: str, kind: str) -> list[str]:
    found = re.findall(rf'data-testid="job-{kind}"[^>]*>(.*?)</p>', region, re.DOTALL)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", f)).split()) for f in found]


def test_a_reply_is_read_in_the_background_and_said_by_the_button(
    web: Web,
    run: Run,
    dovecot: Dovecot,  # noqa: F811
    mailbox_home: Account,  # noqa: F811
) -> None:
    iid, our_id = sent_thank_you(run)
    reply = mail("Ada Lovelace <ada@acme.example>", "Re: Thanks", "Great to hear from you!",
                 in_reply_to=our_id)  # fmt: skip
    dovecot.append(mailbox_home, "INBOX", [reply])
    today = web.get("/").text
    assert 'data-testid="check-mail"' in today
    first = web.post("/sync", headers=HTMX)
    assert first.status_code == 200 and 'id="mail-check"' in first.text
    region = settled(web, first.text)
    said = lines(region, "ok")
    assert said[0] == "Read 1 new message.", said
    assert said[1].startswith(f"Interview {iid}: replied"), said
    assert run("show", iid, "--json").json["status"] == "replied"


def test_an_unreachable_inbox_is_an_error_with_the_fix(web: Web, run: Run, smtp_sink: Sink) -> None:  # noqa: F811
    port = free_port()
    configure(run, smtp_sink, ("mail.imap_host", "127.0.0.1"), ("mail.imap_port", str(port)),
              ("mail.imap_security", "none"), ("mail.username", "grace"))  # fmt: skip
    due_interview(run)
    region = settled(web, web.post("/sync", headers=HTMX).text)
    [error] = lines(region, "error")
    assert error == (
        f"Couldn't reach your mail server 127.0.0.1:{port} (IMAP). — check Settings → Mail"
    )
    assert 'role="alert"' in region
    # without JavaScript: back on Today, at the region, which shows the outcome
    again = web.post("/sync", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/#mail-check"


def test_without_imap_the_button_is_off_and_says_where_to_set_it(
    web: Web,
    run: Run,
    smtp_sink: Sink,  # noqa: F811
) -> None:
    configure(run, smtp_sink)
    iid = due_interview(run)
    today = web.get("/").text
    button = re.search(r'<button[^>]*data-testid="check-mail"[^>]*>', today)
    assert button and "disabled" in button.group(0)
    assert 'href="/settings#mail"' in today
    assert notes(run, iid)[0]["state"] == "pending"
