"""`"Lovelace, Ada" <ada@…>`: a display name with a comma is accepted at `add` and then
drafted, sent now and sent by the worker — to exactly that one mailbox (it used to be
accepted, then refused at every send: "is not exactly one e-mail address")."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from tests.conftest import Run
from tests.integration.smtp_sink import Sink
from tests.integration.test_sending import configure, due_interview

pytestmark = pytest.mark.integration

ADA = '"Lovelace, Ada" <ada@acme.example>'


def one_mailbox(raw: bytes, field: str) -> tuple[str, str]:
    headers = message_from_bytes(raw, policy=policy.default)[field]
    [mailbox] = headers.addresses
    return mailbox.display_name, mailbox.addr_spec


@pytest.mark.parametrize("how", [("send", "{iid}"), ("send", "{iid}", "--when-due")])
def test_a_last_first_name_is_sent_to_that_one_mailbox(
    run: Run, smtp_sink: Sink, how: tuple[str, ...]
) -> None:
    configure(run, smtp_sink, ("user.name", "Hopper, Grace"))
    iid = due_interview(run, ADA)
    r = run(*(part.format(iid=iid) for part in how))
    assert r.code == 0, r.out + r.err
    if "--when-due" in how:
        assert smtp_sink.received == []
        assert run("worker", "--once").code == 0
    [mail] = smtp_sink.received
    assert mail.recipients == ["ada@acme.example"]
    assert one_mailbox(mail.raw, "To") == ("Lovelace, Ada", "ada@acme.example")
    assert one_mailbox(mail.raw, "From") == ("Hopper, Grace", "grace@example.org")
