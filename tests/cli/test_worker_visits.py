"""What a worker's visit to a seeker costs besides its notes (issue 17: a worker visits
thousands of seekers): their settings are parsed once per process, not on every visit nor
three times on the first (the mail account, the outbox and the context each read them); a
change to the file is still seen at the next visit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

CONFIG = (
    '[user]\nname = "Ada"\nemail = "ada@example.org"\n'
    '[mail]\nsmtp_host = "127.0.0.1"\nsmtp_port = 9\nsmtp_security = "none"\nmode = "send"\n'
)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    from followup.config import settings

    seen: list[Path] = []
    real = settings._parse

    def counting(text: str, path: Path) -> dict[str, Any]:
        seen.append(path)
        return real(text, path)

    monkeypatch.setattr(settings, "_parse", counting)
    return seen


def test_a_seekers_second_visit_parses_no_settings(
    home: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from followup.bootstrap import open_context
    from followup.cli.worker import Tenant

    monkeypatch.delenv("FOLLOWUP_DATABASE_URL", raising=False)
    (home / "config.toml").write_text(CONFIG)
    tenant = Tenant("local", lambda: open_context(home), home)
    try:
        with tenant.context() as ctx:
            assert ctx.sender_name == "Ada" and tenant.outbox is not None
        assert parses == [home / "config.toml"]  # the first visit: one parse
        with tenant.context():
            pass
        assert len(parses) == 1  # the second: none
        (home / "config.toml").write_text(CONFIG.replace('"Ada"', '"Ada L."'))
        with tenant.context() as ctx:
            assert ctx.sender_name == "Ada L."  # a change: parsed again at the next visit
        assert len(parses) == 2
    finally:
        tenant.close()


class _Queue:
    """The queue's side of a database (PostgresDatabase's methods the loop calls): `notes`
    seekers with a note due, one claim each, and no mailbox due."""

    def __init__(self, notes: int) -> None:
        self.notes = notes
        self.mailbox_looks = 0

    def claim_notes(self, by: str, now: Any, hold: Any) -> Any:
        from followup.adapters.store.postgres import HeldNotes

        if not self.notes:
            return None
        self.notes -= 1
        return HeldNotes(self.notes + 1, 1, 0)

    def claim_mailbox(self, by: str, now: Any, hold: Any) -> None:
        self.mailbox_looks += 1

    def waker(self) -> None:  # pragma: no cover - `once` asks for none
        raise AssertionError("a --once worker does not listen")


def test_a_worker_busy_with_notes_looks_at_the_mailbox_queue_once_a_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """1,000 notes due in a minute on 1,000 seekers: each visit was followed by a look at the
    mailbox queue (a round trip a note, on a machine where each is a wait for a core);
    while no mailbox is due and notes keep coming, one look a second is enough."""
    import threading
    from datetime import UTC, datetime, timedelta

    from followup.adapters.clock import FixedClock
    from followup.cli import worker

    visited: list[int] = []
    monkeypatch.setattr(
        worker.QueueWorker, "_notes", lambda self, held: visited.append(held.tenant)
    )
    queue = _Queue(notes=50)
    run = worker.QueueWorker(
        queue,
        lambda user_id: None,  # type: ignore[arg-type,return-value]
        FixedClock(datetime(2026, 12, 6, 16, 0, tzinfo=UTC)),
        poll=5.0,
        lease=timedelta(seconds=60),
        once=True,
        stop=threading.Event(),
        imap_connections=2,
    )
    run.run()
    assert visited == list(range(50, 0, -1))
    # the first visit's look, then (the run takes less than a second) the idle one's
    assert queue.mailbox_looks == 2
