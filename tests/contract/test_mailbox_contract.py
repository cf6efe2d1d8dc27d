"""The Mailbox port's behaviours, run against every adapter: the in-memory fake, and the IMAP
adapter on a real Dovecot (plain on loopback, STARTTLS, and implicit TLS with the test CA).

Each adapter gets the same class through its own `env` fixture: the mailbox under test and
a `server` handle that acts from another connection (delivers mail, rebuilds a folder).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import pytest

from followup.adapters.mail.fake import FakeMailbox, FakeMailer
from followup.app.mailports import FetchedMessage, Mailbox, MailError, SyncPoint

if TYPE_CHECKING:  # imported by pytest_plugins, so that pytest rewrites its asserts
    from tests.integration.dovecot import Account, Dovecot

pytest_plugins = ["tests.integration.dovecot"]  # the `dovecot` and `imap_account` fixtures


class Server(Protocol):
    """The other side: what another client (or the server itself) does to the account."""

    def deliver(self, folder: str, raw: bytes) -> None: ...

    def create(self, folder: str) -> None: ...

    def recreate(self, folder: str) -> None:
        """Rebuild `folder` with the same messages and a new UIDVALIDITY."""
        ...

    def messages(self, folder: str) -> list[tuple[frozenset[str], bytes]]: ...


@dataclass
class Env:
    mailbox: Mailbox
    server: Server


def mail(n: int, *, subject: str = "Re: Thank you", body: str = "Thanks, talk soon.\r\n") -> bytes:
    return (
        "From: Ada Lovelace <ada@acme.example>\r\n"
        "To: Me <me@home.example>\r\n"
        f"Subject: {subject} #{n}\r\n"
        f"Message-ID: <reply.{n}@acme.example>\r\n"
        "Date: Wed, 25 Nov 2026 12:00:00 +0000\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        f"{body}"
    ).encode()


def header(raw: bytes) -> bytes:
    """The header block with its blank line: what fetch_new gives of a message."""
    return raw[: raw.index(b"\r\n\r\n") + 4]


def ids(messages: list[FetchedMessage]) -> list[int]:
    """The `n` of each fetched mail(n), from its Message-ID."""
    out = []
    for m in messages:
        start = m.raw.index(b"Message-ID: <reply.") + len(b"Message-ID: <reply.")
        out.append(int(m.raw[start : m.raw.index(b"@", start)]))
    return out


def never(batch: object, total: int) -> None:
    raise AssertionError("called")


class MailboxContract:
    """Behaviours every Mailbox must have. Subclasses provide the `env` fixture."""

    def test_folders_finds_inbox_sent_and_drafts(self, env: Env) -> None:
        roles = env.mailbox.folders()
        assert roles["inbox"] == "INBOX"
        assert roles["sent"] == "Sent" and roles["drafts"] == "Drafts"
        for name in roles.values():  # every role names a folder that can be read
            env.mailbox.fetch_new(name, None)

    def test_a_draft_lands_in_drafts_flagged_draft(self, env: Env) -> None:
        raw = mail(1, subject="Thank you")
        env.mailbox.append_draft(raw)
        [(flags, stored)] = env.server.messages(env.mailbox.folders()["drafts"])
        assert stored == raw
        assert {"\\Draft", "\\Seen"} <= flags

    def test_a_copy_of_a_sent_message_lands_in_sent_flagged_seen_and_is_found(
        self, env: Env
    ) -> None:
        raw = b"Message-ID: <note.9@home.example>\r\nSubject: Thank you\r\n\r\nHi\r\n"
        env.mailbox.append_sent(raw)
        [(flags, stored)] = env.server.messages(env.mailbox.folders()["sent"])
        assert stored == raw
        assert "\\Seen" in flags and "\\Draft" not in flags
        assert env.mailbox.sent_contains("<note.9@home.example>")

    def test_sent_contains_finds_the_message_id_and_only_it(self, env: Env) -> None:
        ours = b"Message-Id: <note.42@home.example>\r\nSubject: Thank you\r\n\r\nHi\r\n"
        answer = b"In-Reply-To: <note.7@home.example>\r\nSubject: Re\r\n\r\nHi\r\n"
        env.server.deliver("Sent", ours)
        env.server.deliver("Sent", answer)
        env.server.deliver("INBOX", b"Message-ID: <note.8@home.example>\r\n\r\nHi\r\n")
        assert env.mailbox.sent_contains("<note.42@home.example>")
        assert not env.mailbox.sent_contains("<note.4@home.example>")
        assert not env.mailbox.sent_contains("<note.7@home.example>")  # only In-Reply-To
        assert not env.mailbox.sent_contains("<note.8@home.example>")  # in INBOX, not Sent

    def test_fetch_new_returns_everything_then_only_what_is_new(self, env: Env) -> None:
        for n in (1, 2, 3):
            env.server.deliver("INBOX", mail(n))
        first, point = env.mailbox.fetch_new("INBOX", None)
        assert ids(first) == [1, 2, 3]
        assert [m.raw for m in first] == [header(mail(1)), header(mail(2)), header(mail(3))]
        assert [m.uid for m in first] == sorted(m.uid for m in first)
        assert point.last_uid == first[-1].uid
        env.server.deliver("INBOX", mail(4))
        second, point2 = env.mailbox.fetch_new("INBOX", point)
        assert ids(second) == [4]
        assert point2 == SyncPoint(point.uidvalidity, second[0].uid)

    def test_nothing_new_gives_nothing_and_keeps_the_sync_point(self, env: Env) -> None:
        env.server.deliver("INBOX", mail(1))
        _, point = env.mailbox.fetch_new("INBOX", None)
        again, same = env.mailbox.fetch_new("INBOX", point)  # `last+1:*` matches the last
        assert again == [] and same == point

    def test_an_empty_folder_gives_nothing_and_a_sync_point(self, env: Env) -> None:
        got, point = env.mailbox.fetch_new("INBOX", None)
        assert got == [] and point.last_uid == 0
        env.server.deliver("INBOX", mail(1))
        got, _ = env.mailbox.fetch_new("INBOX", point)
        assert ids(got) == [1]

    def test_a_changed_uidvalidity_returns_everything_again(self, env: Env) -> None:
        env.server.create("Jobs")
        for n in (1, 2):
            env.server.deliver("Jobs", mail(n))
        _, point = env.mailbox.fetch_new("Jobs", None)
        env.server.recreate("Jobs")
        again, point2 = env.mailbox.fetch_new("Jobs", point)
        assert ids(again) == [1, 2]
        assert point2.uidvalidity != point.uidvalidity
        assert env.mailbox.fetch_new("Jobs", point2)[0] == []

    def test_each_message_comes_exactly_once_across_calls(self, env: Env) -> None:
        seen: list[int] = []
        point = None
        n = 0
        for batch in (0, 3, 0, 1, 5, 0, 2):
            for _ in range(batch):
                n += 1
                env.server.deliver("INBOX", mail(n))
            got, point = env.mailbox.fetch_new("INBOX", point)
            seen += ids(got)
        assert seen == list(range(1, n + 1))

    def test_a_stale_sync_point_from_another_folder_resyncs(self, env: Env) -> None:
        env.server.deliver("INBOX", mail(1))
        got, _ = env.mailbox.fetch_new("INBOX", SyncPoint(uidvalidity=1, last_uid=10**6))
        assert ids(got) == [1]

    def test_fetch_new_hands_over_the_batches_as_they_come(self, env: Env) -> None:
        for n in range(1, 8):
            env.server.deliver("INBOX", mail(n))
        batches: list[tuple[list[int], int]] = []
        got, _ = env.mailbox.fetch_new(
            "INBOX", None, lambda batch, total: batches.append((ids(list(batch)), total))
        )
        assert [n for batch, _ in batches for n in batch] == ids(got) == list(range(1, 8))
        assert {total for _, total in batches} == {7}
        _, point = env.mailbox.fetch_new("INBOX", None)
        assert env.mailbox.fetch_new("INBOX", point, never)[0] == []  # nothing new: not called

    def test_an_error_raised_by_each_comes_out_and_the_mailbox_goes_on(self, env: Env) -> None:
        for n in (1, 2, 3):
            env.server.deliver("INBOX", mail(n))

        def stop(batch: object, total: int) -> None:
            raise RuntimeError("stop")

        with pytest.raises(RuntimeError, match="stop"):
            env.mailbox.fetch_new("INBOX", None, stop)
        got, _ = env.mailbox.fetch_new("INBOX", None)
        assert ids(got) == [1, 2, 3]

    def test_big_messages_come_as_headers_and_the_start_of_the_text(self, env: Env) -> None:
        body = "".join(f"line {i:06d} of a long attachment\r\n" for i in range(5000))  # 170 kB
        raw = mail(1, body=body)
        env.server.deliver("INBOX", raw)
        [new], _ = env.mailbox.fetch_new("INBOX", None)
        assert new.raw == header(raw)  # fetch_new: the header alone
        [got] = env.mailbox.fetch_full("INBOX", [new.uid])
        assert got.uid == new.uid
        assert got.raw == raw[: len(header(raw)) + 16384]

    def test_messages_without_a_body_or_without_a_text_come_whole(self, env: Env) -> None:
        header_only = b"From: ada@acme.example\r\nSubject: empty\r\n\r\n"
        no_blank_line = b"From: ada@acme.example\r\nSubject: no body\r\n"
        env.server.deliver("INBOX", header_only)
        env.server.deliver("INBOX", no_blank_line)
        env.server.deliver("INBOX", mail(3))
        new, _ = env.mailbox.fetch_new("INBOX", None)
        assert len(new) == 3 and new[0].raw == header_only
        assert new[1].raw.rstrip(b"\r\n") == no_blank_line.rstrip(b"\r\n")
        assert new[2].raw == header(mail(3))
        got = env.mailbox.fetch_full("INBOX", [m.uid for m in new])
        assert len(got) == 3 and got[0].raw == header_only
        assert got[1].raw.rstrip(b"\r\n") == no_blank_line.rstrip(b"\r\n")
        assert got[2].raw == mail(3)

    def test_reading_marks_nothing_seen(self, env: Env) -> None:
        env.server.deliver("INBOX", mail(1))
        new, _ = env.mailbox.fetch_new("INBOX", None)
        env.mailbox.fetch_full("INBOX", [new[0].uid])
        [(flags, _)] = env.server.messages("INBOX")
        assert "\\Seen" not in flags

    def test_fetch_full_gives_just_the_asked_uids_sorted_and_skips_missing_ones(
        self, env: Env
    ) -> None:
        for n in range(1, 6):
            env.server.deliver("INBOX", mail(n))
        new, _ = env.mailbox.fetch_new("INBOX", None)
        uid = {n: m.uid for n, m in zip(ids(new), new, strict=True)}
        missing = max(uid.values()) + 1000
        got = env.mailbox.fetch_full("INBOX", [uid[4], missing, uid[2], uid[4]])
        assert [m.uid for m in got] == [uid[2], uid[4]]  # sorted, once each
        assert [m.raw for m in got] == [mail(2), mail(4)]
        assert env.mailbox.fetch_full("INBOX", [missing]) == []
        assert env.mailbox.fetch_full("INBOX", []) == []

    def test_fetch_full_after_the_folder_was_rebuilt_is_a_temporary_error(self, env: Env) -> None:
        env.server.create("Jobs")
        for n in (1, 2):
            env.server.deliver("Jobs", mail(n))
        new, point = env.mailbox.fetch_new("Jobs", None)
        env.server.recreate("Jobs")  # the same UIDs may now name other messages
        with pytest.raises(MailError) as caught:
            env.mailbox.fetch_full("Jobs", [m.uid for m in new])
        assert not caught.value.permanent
        again, _ = env.mailbox.fetch_new("Jobs", point)  # reads everything again
        assert ids(again) == [1, 2]
        got = env.mailbox.fetch_full("Jobs", [m.uid for m in again])
        assert [m.raw for m in got] == [mail(1), mail(2)]

    def test_fetch_full_of_a_missing_folder_is_a_permanent_error(self, env: Env) -> None:
        with pytest.raises(MailError) as caught:
            env.mailbox.fetch_full("No such folder", [1])
        assert caught.value.permanent

    def test_a_missing_folder_is_a_permanent_error(self, env: Env) -> None:
        with pytest.raises(MailError) as caught:
            env.mailbox.fetch_new("No such folder", None)
        assert caught.value.permanent
        assert "\n" not in str(caught.value)

    def test_wait_for_news_wakes_on_mail_from_another_connection(self, env: Env) -> None:
        later = threading.Timer(0.5, env.server.deliver, ("INBOX", mail(1)))
        started = time.monotonic()
        later.start()
        try:
            assert env.mailbox.wait_for_news("INBOX", 20) is True
        finally:
            later.join()
        assert 0.4 < time.monotonic() - started < 10
        got, _ = env.mailbox.fetch_new("INBOX", None)
        assert ids(got) == [1]

    def test_wait_for_news_gives_up_after_the_timeout(self, env: Env) -> None:
        env.server.deliver("INBOX", mail(1))
        env.mailbox.fetch_new("INBOX", None)
        started = time.monotonic()
        assert env.mailbox.wait_for_news("INBOX", 0.7) is False
        assert 0.6 < time.monotonic() - started < 5

    def test_mail_between_a_fetch_and_the_wait_is_not_missed(self, env: Env) -> None:
        _, point = env.mailbox.fetch_new("INBOX", None)
        env.server.deliver("INBOX", mail(1))
        started = time.monotonic()
        assert env.mailbox.wait_for_news("INBOX", 20) is True
        assert time.monotonic() - started < 5
        got, point = env.mailbox.fetch_new("INBOX", point)
        assert ids(got) == [1]
        assert env.mailbox.wait_for_news("INBOX", 0.3) is False  # and then it is quiet


# --- the in-memory fake -------------------------------------------------------------------


class FakeServer:
    def __init__(self, box: FakeMailbox) -> None:
        self.box = box

    def deliver(self, folder: str, raw: bytes) -> None:
        self.box.deliver(folder, raw)

    def create(self, folder: str) -> None:
        self.box.create(folder)

    def recreate(self, folder: str) -> None:
        self.box.bump_uidvalidity(folder)

    def messages(self, folder: str) -> list[tuple[frozenset[str], bytes]]:
        return [(flags, raw) for _uid, flags, raw in self.box.messages(folder)]


class TestFakeMailbox(MailboxContract):
    @pytest.fixture
    def env(self) -> Iterator[Env]:
        box = FakeMailbox()
        yield Env(box, FakeServer(box))
        box.close()


# --- IMAP on a real Dovecot ----------------------------------------------------------------


class DovecotServer:
    def __init__(self, dovecot: Dovecot, account: Account) -> None:
        self.dovecot, self.account = dovecot, account

    def deliver(self, folder: str, raw: bytes) -> None:
        self.dovecot.append(self.account, folder, [raw])

    def create(self, folder: str) -> None:
        self.dovecot.create(self.account, folder)

    def recreate(self, folder: str) -> None:
        self.dovecot.recreate(self.account, folder)

    def messages(self, folder: str) -> list[tuple[frozenset[str], bytes]]:
        return self.dovecot.messages(self.account, folder)


def imap_env(dovecot: Dovecot, account: Account, security: str) -> Iterator[Env]:
    from followup.adapters.mail.imap import ImapMailbox

    if security == "none":
        host, port, ca_file = dovecot.host, dovecot.port, None
    else:  # by name, checked against the test certificate
        port = dovecot.ssl_port if security == "ssl" else dovecot.port
        host, ca_file = "localhost", dovecot.ca_file
    box = ImapMailbox(host, port, security, account.username, account.password, ca_file, 10)
    yield Env(box, DovecotServer(dovecot, account))
    box.close()


@pytest.mark.integration
class TestImapPlainOnLoopback(MailboxContract):
    @pytest.fixture
    def env(self, dovecot: Dovecot, imap_account: Account) -> Iterator[Env]:
        yield from imap_env(dovecot, imap_account, "none")


@pytest.mark.integration
class TestImapStarttls(MailboxContract):
    @pytest.fixture
    def env(self, dovecot: Dovecot, imap_account: Account) -> Iterator[Env]:
        yield from imap_env(dovecot, imap_account, "starttls")


@pytest.mark.integration
class TestImapImplicitTls(MailboxContract):
    @pytest.fixture
    def env(self, dovecot: Dovecot, imap_account: Account) -> Iterator[Env]:
        yield from imap_env(dovecot, imap_account, "ssl")


# --- the SMTP fake (the real SMTP adapter has its own tests against aiosmtpd) --------------


class TestFakeMailer:
    def test_records_the_envelope_it_is_given(self) -> None:
        mailer = FakeMailer()
        mailer.send(b"raw", "me@home.example", ["ada@acme.example"])
        [sent] = mailer.sent
        assert sent == (b"raw", "me@home.example", ("ada@acme.example",))

    def test_4xx_is_temporary_and_5xx_permanent_and_neither_is_recorded(self) -> None:
        mailer = FakeMailer()
        mailer.fail_next(451, 550)
        with pytest.raises(MailError) as first:
            mailer.send(b"raw", "me@home.example", ["ada@acme.example"])
        with pytest.raises(MailError) as second:
            mailer.send(b"raw", "me@home.example", ["ada@acme.example"])
        assert (first.value.permanent, first.value.code) == (False, 451)
        assert (second.value.permanent, second.value.code) == (True, 550)
        assert mailer.sent == [] and mailer.attempts == 2
        mailer.send(b"raw", "me@home.example", ["ada@acme.example"])
        assert len(mailer.sent) == 1

    def test_a_drop_after_data_records_the_message_and_says_unknown(self) -> None:
        mailer = FakeMailer()
        mailer.fail_next("drop")
        with pytest.raises(MailError) as caught:
            mailer.send(b"raw", "me@home.example", ["ada@acme.example"])
        assert not caught.value.permanent and caught.value.unknown
        assert len(mailer.sent) == 1

    def test_only_failures_can_be_scripted(self) -> None:
        with pytest.raises(ValueError):
            FakeMailer().fail_next(250)
