"""8 `followup worker` processes on PostgreSQL, 10,000 due approved notes, a real SMTP sink.

(a) every note reaches the sink exactly once; (b) the same while random workers are killed
with SIGKILL and replaced: still no Message-ID twice at the sink, and every note ends `sent`
— directly, or `unknown` and then reconciled against the Sent folder.

The reconciling Mailbox's Sent folder is what the sink really received (the sink is the
mail server here; a real account's Sent folder holds what its server accepted). A note
killed before its message reached the sink stays `unknown` after reconciling; the test then
does what the user would after checking (`send --resend-unknown`: `release_unknown`) and
lets a worker send it: the sink proves it still went exactly once.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.smtp_sink import Sink
from tests.reliability import fleet

pytestmark = pytest.mark.integration

NOTES = int(os.environ.get("FOLLOWUP_RELIABILITY_NOTES", "10000"))
USERS = 16  # the notes are spread over this many seekers (one schema each)
WORKERS = 8


@pytest.fixture
def server(
    postgres_url: str,
    postgres_direct_url: str,
    tmp_path: Path,
    smtp_sink: Sink,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[str, Path, list[int]]]:
    home = tmp_path / "home"
    monkeypatch.setenv("FOLLOWUP_DATABASE_URL", postgres_url)
    # through PgBouncer (--through-pgbouncer) the workers' LISTEN goes to PostgreSQL itself
    monkeypatch.setenv("FOLLOWUP_DATABASE_DIRECT_URL", postgres_direct_url)
    monkeypatch.setenv("FOLLOWUP_HOME", str(home))
    monkeypatch.delenv("FOLLOWUP_NOW", raising=False)
    users = list(range(1, USERS + 1))
    for user_id in users:
        fleet.user_config(home, user_id, smtp_sink.host, smtp_sink.port)
    per_user = [NOTES // USERS + (1 if k < NOTES % USERS else 0) for k in range(USERS)]
    for user_id, count in zip(users, per_user, strict=True):
        fleet.populate(home, [user_id], count)
    assert fleet.counts(users) == {"pending": NOTES}
    yield postgres_url, home, users
    from followup import bootstrap

    for database in bootstrap._databases.values():
        database.close()
    bootstrap._databases.clear()


def _no_duplicates(sink: Sink) -> Counter[str]:
    seen = Counter(sink.message_ids)
    twice = [mid for mid, n in seen.items() if n > 1]
    assert twice == [], f"{len(twice)} Message-IDs reached the sink more than once"
    return seen


def _sent_ids(users: list[int]) -> set[str]:
    from followup.bootstrap import open_database

    ids: set[str] = set()
    with open_database().connection() as conn:
        for user_id in users:
            rows = conn.execute(
                f"SELECT message_id FROM u{user_id}.notes WHERE step = 1 AND state = 'sent'"
            ).fetchall()
            ids.update(r[0] for r in rows)
    return ids


def _wait(process: subprocess.Popen[bytes], timeout: float) -> int:
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        raise


def test_eight_workers_send_every_note_exactly_once(
    server: tuple[str, Path, list[int]], smtp_sink: Sink
) -> None:
    url, home, users = server
    started = time.monotonic()
    workers = [fleet.worker(home, url, "--once", "--poll", "0.2") for _ in range(WORKERS)]
    codes = [_wait(w, timeout=900) for w in workers]
    elapsed = time.monotonic() - started
    assert codes == [0] * WORKERS
    seen = _no_duplicates(smtp_sink)
    assert len(seen) == NOTES, f"{len(seen)} of {NOTES} notes reached the sink"
    assert fleet.counts(users) == {"sent": NOTES}
    assert set(seen) == _sent_ids(users)  # what was recorded sent is what arrived
    print(f"{NOTES} notes, {WORKERS} workers: {elapsed:.1f} s, {NOTES / elapsed:.0f} notes/s")


class SinkSent:
    """A Mailbox whose Sent folder is what the sink received (for `reconcile` only)."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink

    def sent_contains(self, message_id: str) -> bool:
        return message_id in set(self.sink.message_ids)


def test_killing_workers_never_sends_a_note_twice(
    server: tuple[str, Path, list[int]], smtp_sink: Sink
) -> None:
    from followup.app import dispatch, sending
    from followup.bootstrap import open_context
    from followup.domain.model import NoteState

    url, home, users = server
    rng = random.Random(7)
    # a short lease: a killed worker's note is found by the survivors within seconds
    args = ("--poll", "0.2", "--lease", "3")
    workers = [fleet.worker(home, url, *args) for _ in range(WORKERS)]
    kills = 0
    deadline = time.monotonic() + 900
    try:
        while time.monotonic() < deadline:
            time.sleep(rng.uniform(0.3, 1.2))
            pending = fleet.counts(users).get("pending", 0)
            if pending == 0:
                break
            # only a worker at work: under load a new worker's start-up (imports) takes
            # seconds, and a kill then would test nothing (all 12 did, through PgBouncer)
            busy = [k for k, w in enumerate(workers) if fleet.sending(w)]
            if kills < 12 and busy:
                victim = rng.choice(busy)
                workers[victim].send_signal(signal.SIGKILL)
                workers[victim].wait()
                kills += 1
                workers[victim] = fleet.worker(home, url, *args)
        else:
            pytest.fail(f"notes still pending after 900 s: {fleet.counts(users)}")
    finally:
        ready = [fleet.started(w) for w in workers]  # before the signal: it may log
        for w in workers:
            w.send_signal(signal.SIGTERM)
        codes = [_wait(w, timeout=120) for w in workers]
    assert kills >= 3, "the workers finished before enough were killed at work: raise NOTES"
    # SIGTERM: finish the note in flight, exit 0; a replacement still starting (Python's
    # start-up, before its handler is set) has claimed nothing and may end by the signal
    allowed = [{0} if up else {0, -signal.SIGTERM} for up in ready]
    assert all(c in a for c, a in zip(codes, allowed, strict=True)), (codes, ready)
    time.sleep(4)  # every lease of the killed workers has run out
    _no_duplicates(smtp_sink)
    # the killed workers' notes: unknown (lease over), then reconciled against Sent
    reconciled = released = 0
    for user_id in users:
        ctx = open_context(home, user_id=user_id)
        try:
            dispatch.expire_leases(ctx)
            for line in sending.reconcile(ctx, SinkSent(smtp_sink)):  # type: ignore[arg-type]
                reconciled += line.outcome == "sent"
            for note in ctx.store.notes_in_state(NoteState.UNKNOWN):
                # not in Sent: the user checks and releases it (send --resend-unknown)
                released += sending.release_unknown(ctx, note.interview_id)
        finally:
            ctx.store.close()  # type: ignore[attr-defined]
    state = fleet.counts(users)
    assert set(state) <= {"sent", "pending"}, state
    assert state.get("pending", 0) == released
    if released:  # the released notes are still approved: a worker sends them now
        assert _wait(fleet.worker(home, url, "--once"), timeout=300) == 0
    seen = _no_duplicates(smtp_sink)
    assert len(seen) == NOTES
    assert fleet.counts(users) == {"sent": NOTES}
    assert set(seen) == _sent_ids(users)
    print(f"{kills} workers killed; {reconciled} notes reconciled from Sent, {released} released")
