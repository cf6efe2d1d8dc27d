"""Server mode's work queue (issue 17, item 2): `followup.note_queue` follows every writer of
the seekers' notes and interviews in the same transaction, and a claim is one statement.

Each step below goes through a real use-case (or the store method the worker's send path
uses) on a real PostgreSQL, then compares the queue with what the tenants' own tables say
it must hold: every approved pending note of a waiting interview, every note `sending`
under a lease — and nothing else.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import NOW
from tests.reliability import fleet

START = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # 5 days before NOW: the thank-you is due
QUEUE_MIGRATION = 26  # 0026_work_queue: the seekers' side of the queue


def _queue(database: Any) -> set[tuple[int, int, datetime, datetime | None]]:
    with database.connection() as conn:
        rows = conn.execute(
            "SELECT tenant, note_id, due_at, lease_until FROM followup.note_queue"
        ).fetchall()
    return {(int(t), int(n), d, le) for t, n, d, le in rows}


def _wanted(database: Any, users: list[int]) -> set[tuple[int, int, datetime, datetime | None]]:
    """What the tenants' tables say the queue must hold."""
    found: set[tuple[int, int, datetime, datetime | None]] = set()
    with database.connection() as conn:
        for uid in users:
            rows = conn.execute(
                "SELECT n.id, CAST(n.due_at AS timestamptz),"
                " CAST(CASE WHEN n.state = 'sending' THEN n.lease_until END AS timestamptz)"
                f" FROM u{uid}.notes n JOIN u{uid}.interviews i ON i.id = n.interview_id"
                " WHERE (n.state = 'pending' AND n.approved_at IS NOT NULL"
                " AND i.status = 'waiting')"
                " OR (n.state = 'sending' AND n.lease_until IS NOT NULL)"
            ).fetchall()
            found |= {(uid, int(n), d, le) for n, d, le in rows}
    return found


def _in_step(database: Any, users: list[int]) -> set[tuple[int, int, datetime, datetime | None]]:
    queue = _queue(database)
    assert queue == _wanted(database, users)
    return queue


def _seeker(home: Path, database: Any, user_id: int) -> Any:
    from followup.bootstrap import open_context

    fleet.user_config(home, user_id, "127.0.0.1", 9)  # approving composes; nothing is sent
    database.create_tenant(user_id)
    return open_context(home, user_id=user_id)


def _add(ctx: Any, minute: int = 0) -> int:
    from followup.app import services
    from followup.app.rows import NewInterviewer
    from followup.domain.model import Culture

    added = services.add_interview(
        ctx,
        services.NewInterview(
            company="Acme",
            role="Backend Engineer",
            start=START + timedelta(minutes=minute),
            tz="Europe/Berlin",
            interviewers=[NewInterviewer("Ada Lovelace", "ada@acme.example")],
            culture=Culture.STARTUP,
            country="DE",
            topics=["the billing rewrite"],
            skill="PostgreSQL",
        ),
    )
    return int(added.interview_id)


def _approve(ctx: Any, home: Path, user_id: int, interview_id: int) -> None:
    from followup.app import dispatch
    from followup.bootstrap import MailSetup, user_home

    outbox = MailSetup(user_home(home, user_id)).outbox(ctx.sender_name)
    [done] = dispatch.schedule(ctx, lambda: outbox, interview_id)
    assert done.outcome in ("scheduled", "unchanged"), done


def test_the_queue_follows_every_writer_in_the_same_transaction(home: Path, database: Any) -> None:
    from followup.app import dispatch, history, services, snoozing
    from followup.app.editing import Changes, edit
    from followup.domain.model import NoteState

    ctx = _seeker(home, database, 1)
    other = _seeker(home, database, 2)
    users = [1, 2]
    try:
        iid = _add(ctx)
        assert _in_step(database, users) == set()  # planned, not approved: not the workers'
        _approve(ctx, home, 1, iid)
        [(tenant, note_id, due, lease)] = _in_step(database, users)
        assert (tenant, lease) == (1, None)

        snoozing.snooze(ctx, iid, "1d")  # the note moves (or loses its approval)
        _in_step(database, users)
        _approve(ctx, home, 1, iid)
        assert len(_in_step(database, users)) == 1

        edit(ctx, iid, Changes(start=START - timedelta(days=1)))  # rescheduled
        _in_step(database, users)
        _approve(ctx, home, 1, iid)
        [(_, note_id, due, _)] = _in_step(database, users)

        dispatch.unschedule(ctx, iid)  # withdrawn
        assert _in_step(database, users) == set()
        _approve(ctx, home, 1, iid)

        # a rollback takes the queue's change back with the note's
        with pytest.raises(RuntimeError), ctx.store.transaction():
            dispatch.unschedule(ctx, iid)
            raise RuntimeError("changed my mind")
        assert len(_in_step(database, users)) == 1

        # the worker's path: claim (a lease), a failed try (back, after a minute), expiry
        now = max(datetime.fromisoformat(NOW.replace("Z", "+00:00")), due)
        claim = ctx.store.claim_due(now, "w1", timedelta(minutes=10))
        assert claim is not None and claim.note.id == note_id
        [(_, _, _, lease)] = _in_step(database, users)
        assert lease == now + timedelta(minutes=10)
        ctx.store.finish_note(note_id, NoteState.PENDING, now, error="try again")
        [(_, _, _, lease)] = _in_step(database, users)
        assert lease is None
        with database.connection() as conn:
            [(ready,)] = conn.execute("SELECT ready_at FROM followup.note_queue").fetchall()
        assert ready == now + timedelta(minutes=1)  # not straight back to the next worker
        assert ctx.store.claim_due(now, "w1", timedelta(seconds=1)) is not None
        assert ctx.store.expire_leases(now + timedelta(seconds=2), "lease over") == [note_id]
        assert _in_step(database, users) == set()  # unknown: the mailbox's, not the queue's

        # a reply ends the wait, undo brings it back; the second seeker's rows are theirs
        iid2 = _add(ctx, minute=1)
        _approve(ctx, home, 1, iid2)
        oid = _add(other)
        _approve(other, home, 2, oid)
        assert {t for t, *_ in _in_step(database, users)} == {1, 2}
        services.mark_replied(ctx, iid2)
        assert {t for t, *_ in _in_step(database, users)} == {2}
        history.undo(ctx, iid2)
        _in_step(database, users)
        services.cancel(other, oid)
        assert {t for t, *_ in _in_step(database, users)} <= {1}
        with database.connection() as conn:  # no row trigger fires on a TRUNCATE
            conn.execute("TRUNCATE u1.notes CASCADE")
        assert _in_step(database, users) == set()
    finally:
        ctx.store.close()
        other.store.close()


def test_the_migration_fills_the_queue_from_what_is_there(home: Path, database: Any) -> None:
    from followup.adapters.store.postgres import _migrate, tenant_migrations

    ctx = _seeker(home, database, 3)
    try:
        _approve(ctx, home, 3, _add(ctx))
    finally:
        ctx.store.close()
    known = tenant_migrations()
    later = [(v, n) for v, n, _ in known if v > QUEUE_MIGRATION]  # kept as they are
    with database.connection() as conn:  # as the schema was before the queue's migration
        conn.execute("DROP TRIGGER notes_work_queue ON u3.notes")
        conn.execute("DROP TRIGGER interviews_work_queue ON u3.interviews")
        conn.execute("DROP TRIGGER notes_work_queue_truncate ON u3.notes")
        conn.execute("DELETE FROM followup.note_queue")
        conn.execute("DELETE FROM followup.mailbox_queue")
        conn.execute("DELETE FROM u3.schema_migrations WHERE version >= %s", (QUEUE_MIGRATION,))
    assert _queue(database) == set()
    with database.connection() as conn:  # the queue's migration alone, as `db migrate` runs it
        applied = _migrate(conn, "u3", 3, [m for m in known if m[0] <= QUEUE_MIGRATION])
        for version, name in later:
            conn.execute(
                "INSERT INTO u3.schema_migrations (version, name, applied_at)"
                " VALUES (%s, %s, '2026-11-25T12:00:00Z')",
                (version, name),
            )
    assert applied == [f"{QUEUE_MIGRATION:04d}_work_queue"]
    assert database.migrate_tenants(jobs=1).failed == {}  # and nothing else to do
    assert len(_in_step(database, [3])) == 1
    with database.connection() as conn:
        [(tenant, when)] = conn.execute(
            "SELECT tenant, next_sync_at FROM followup.mailbox_queue"
        ).fetchall()
    assert tenant == 3 and when is not None  # the mailbox is read on a schedule too


def test_a_claim_takes_the_earliest_ready_seeker_and_no_two_workers_the_same_row(
    home: Path, database: Any
) -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    with database.connection() as conn:
        for tenant in range(1, 41):  # 40 seekers, one due note each, a second apart
            conn.execute(
                "INSERT INTO followup.note_queue (tenant, note_id, due_at, ready_at)"
                " VALUES (%s, 1, %s, %s)",
                (tenant, now - timedelta(seconds=tenant), now - timedelta(seconds=tenant)),
            )
        conn.execute(  # not due yet: never claimed
            "INSERT INTO followup.note_queue (tenant, note_id, due_at, ready_at)"
            " VALUES (99, 1, %s, %s)",
            (now + timedelta(hours=1), now + timedelta(hours=1)),
        )
    assert database.claim_note_tenant("w0", now, timedelta(minutes=1)) == 40  # earliest due
    got: list[int | None] = []

    def claimer(k: int) -> None:
        for _ in range(20):
            got.append(database.claim_note_tenant(f"w{k}", now, timedelta(minutes=1)))

    threads = [threading.Thread(target=claimer, args=(k,)) for k in range(1, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    claimed = [t for t in got if t is not None]
    assert sorted(claimed) == list(range(1, 40))  # each row once; held rows are not taken
    assert database.next_ready() == now - timedelta(seconds=40) + timedelta(minutes=1, seconds=40)
    # a visit over: what the worker still holds is ready again (batch full) or later
    database.release_notes("w0", 40, now, timedelta(0))
    assert database.claim_note_tenant("w9", now, timedelta(minutes=1)) == 40
    database.release_notes("w9", 40, now, timedelta(seconds=30))
    assert database.claim_note_tenant("w9", now, timedelta(minutes=1)) is None
    assert database.claim_note_tenant("w9", now + timedelta(seconds=30), timedelta(0)) == 40


def test_notes_due_at_once_spread_the_workers_over_seekers(home: Path, database: Any) -> None:
    """Seeker 1 has ten notes due at the same instant as seeker 2's one: the first claim
    takes seeker 1 with all ten rows, so the second worker gets seeker 2 at once instead
    of queuing behind seeker 1's claim; nobody takes a held row."""
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    due = now - timedelta(seconds=5)
    with database.connection() as conn:
        for note in range(1, 11):
            conn.execute(
                "INSERT INTO followup.note_queue (tenant, note_id, due_at, ready_at)"
                " VALUES (1, %s, %s, %s)",
                (note, due, due),
            )
        conn.execute(
            "INSERT INTO followup.note_queue (tenant, note_id, due_at, ready_at)"
            " VALUES (2, 1, %s, %s)",
            (due, due),
        )
    first = database.claim_note_tenant("w0", now, timedelta(minutes=1))
    assert first == 1  # equal due times: index order, seeker 1's first note
    assert database.claim_note_tenant("w1", now, timedelta(minutes=1)) == 2
    assert database.claim_note_tenant("w2", now, timedelta(minutes=1)) is None
    with database.connection() as conn:
        held = conn.execute(
            "SELECT held_by, COUNT(*) FROM followup.note_queue GROUP BY held_by ORDER BY 1"
        ).fetchall()
    assert held == [("w0", 10), ("w1", 1)]
    # w0's visit over with a full batch: its rows are ready again for anyone
    database.release_notes("w0", 1, now, timedelta(0))
    assert database.claim_note_tenant("w2", now, timedelta(minutes=1)) == 1


def test_a_claim_says_how_many_notes_are_due_and_how_many_leases_ran_out(
    home: Path, database: Any
) -> None:
    """What the worker's visit then does without asking the seeker's schema: send at most
    that many notes, and expire leases only when one ran out."""
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    due = now - timedelta(seconds=5)
    with database.connection() as conn:
        for note in range(1, 4):
            conn.execute(
                "INSERT INTO followup.note_queue (tenant, note_id, due_at, ready_at)"
                " VALUES (1, %s, %s, %s)",
                (note, due, due),
            )
        conn.execute(  # a note `sending` whose worker's lease ran out
            "INSERT INTO followup.note_queue (tenant, note_id, due_at, lease_until, ready_at)"
            " VALUES (1, 9, %s, %s, %s)",
            (due, due, due),
        )
        conn.execute(
            "INSERT INTO followup.note_queue (tenant, note_id, due_at, ready_at)"
            " VALUES (2, 1, %s, %s)",
            (now, now),
        )
    assert tuple(database.claim_notes("w0", now, timedelta(minutes=1))) == (1, 3, 1)
    assert tuple(database.claim_notes("w1", now, timedelta(minutes=1))) == (2, 1, 0)
    assert database.claim_notes("w2", now, timedelta(minutes=1)) is None


def test_every_seekers_context_shares_the_installs_holidays(home: Path, database: Any) -> None:
    """Public holidays are nobody's own: one cache for the install, beside its config, and
    one calendar object per process, not a file made and read again per seeker."""
    from datetime import date

    first, second = _seeker(home, database, 1), _seeker(home, database, 2)
    try:
        assert first.holidays is second.holidays
        assert first.holidays("DE")(date(2026, 10, 3))
        assert (home / "holidays-cache.json").exists()
        assert not (home / "users" / "1" / "holidays-cache.json").exists()
    finally:
        first.store.close()
        second.store.close()


def test_an_earlier_due_note_wakes_a_listening_worker(home: Path, database: Any) -> None:
    ctx = _seeker(home, database, 4)
    waker = database.waker()
    stop = threading.Event()
    try:
        assert waker.wait(0.3, stop) is False  # nothing: the time-out
        iid = _add(ctx)
        woken: list[bool] = []
        listening = threading.Thread(target=lambda: woken.append(waker.wait(20, stop)))
        listening.start()
        _approve(ctx, home, 4, iid)  # due already: earlier than anything queued
        listening.join(25)
        assert woken == [True]
    finally:
        waker.close()
        ctx.store.close()
