"""Server mode's worker on the queue (issue 17, item 2): an idle worker sleeps on LISTEN and
sends a note approved while it sleeps within seconds, not at its next poll; and costs a few
queries a second, however many users there are."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.integration.smtp_sink import Sink
from tests.reliability import fleet

pytestmark = pytest.mark.integration


@pytest.fixture
def server(postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    monkeypatch.setenv("FOLLOWUP_DATABASE_URL", postgres_url)
    monkeypatch.setenv("FOLLOWUP_HOME", str(home))
    monkeypatch.delenv("FOLLOWUP_NOW", raising=False)
    yield home
    from followup import bootstrap

    bootstrap.close_databases()


def _queries(url: str) -> int:
    """Transactions PostgreSQL counted in this database (each autocommit statement is one)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_force_next_flush()")
        row = conn.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database"
            " WHERE datname = current_database()"
        ).fetchone()
    assert row is not None
    return int(row[0])


def test_an_idle_worker_wakes_for_a_note_approved_while_it_sleeps(
    server: Path, postgres_url: str, smtp_sink: Sink
) -> None:
    home = server
    for user_id in (1, 2, 3):
        fleet.user_config(home, user_id, smtp_sink.host, smtp_sink.port)
    fleet.populate(home, [1], 1)  # one due note: sent at start
    worker = fleet.worker(home, postgres_url, "--poll", "60")
    try:
        deadline = time.monotonic() + 60
        while len(smtp_sink.message_ids) < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(smtp_sink.message_ids) == 1
        time.sleep(2)  # asleep now: nothing is ready for a minute
        # approved through the use-case while it sleeps, due already (no bulk copies: a
        # copy is sealed in a second transaction, which a woken worker may come before)
        fleet.populate(home, [2, 3], 1)
        approved = time.monotonic()
        while len(smtp_sink.message_ids) < 3 and time.monotonic() < approved + 30:
            time.sleep(0.05)
        waited = time.monotonic() - approved
        assert len(smtp_sink.message_ids) == 3
        assert waited < 10, f"sent {waited:.1f} s after approval: it waited for its poll"
        while fleet.counts([1, 2, 3]) != {"sent": 3} and time.monotonic() < approved + 30:
            time.sleep(0.05)  # the sink has it before the worker records it
        assert fleet.counts([1, 2, 3]) == {"sent": 3}
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0


def test_an_idle_worker_costs_a_few_queries_whatever_the_number_of_users(
    server: Path, postgres_url: str
) -> None:
    from followup.bootstrap import open_database

    server.mkdir(parents=True)
    database: Any = open_database()
    database.migrate_server()
    for user_id in range(1, 51):  # 50 seekers, nothing due, mailboxes read a while ago
        database.create_tenant(user_id)
    with database.connection() as conn:
        conn.execute("UPDATE followup.mailbox_queue SET next_sync_at = now() + interval '1 hour'")
    from followup import bootstrap

    bootstrap.close_databases()  # an idle pooled connection's counts would come in late too
    import psycopg

    # the 50 new schemas' tables analysed now: autovacuum's own transactions on them count in
    # the database's total and would land in the window below (the full suite saw it)
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    worker = fleet.worker(server, postgres_url, "--poll", "5")
    try:
        # started: its log says so (a fixed sleep under load counted its start-up's queries)
        deadline = time.monotonic() + 120
        while not fleet.started(worker) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert fleet.started(worker), "the worker did not start in 120 s"
        # its first claims and first sleep, then PostgreSQL's deferred counts: a backend that
        # goes idle within a second of its last report holds its counts up to 10 s
        # (PGSTAT_IDLE_INTERVAL), which put the start-up's queries in the window under CI load
        time.sleep(12)
        before = _queries(postgres_url)
        time.sleep(10)
        spent = _queries(postgres_url) - before - 1  # the count's own transaction
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
    # the bar (visiting each user's schema per round: 50 users, ~40 queries/s)
    assert spent / 10 <= 5.0, f"{spent} queries in 10 s"


def test_a_claim_leaves_the_stats_alone_and_the_send_counts(
    server: Path, postgres_url: str
) -> None:
    """A worker's claim (pending -> sending) changes no figure the stats keep, so it no longer
    recomputes the interview's stats row (migration 0030: a recomputation per claim, planned
    again in every backend for every seeker, was a third of a worker's visit); the send does."""
    import psycopg

    from followup.bootstrap import open_context
    from followup.domain.model import NoteState

    fleet.user_config(server, 1, "127.0.0.1", 9)
    fleet.populate(server, [1], 1)
    ctx = open_context(server, user_id=1)
    stats = "SELECT xmin::text, interview_id, sent, last_step FROM u1.stats_sequences"
    try:
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            before = conn.execute(stats).fetchall()
            assert [row[2:] for row in before] == [(0, 0)]
            now = ctx.clock.now()
            claim = ctx.store.claim_due(now, "test:1", timedelta(minutes=10))
            assert claim is not None
            assert conn.execute(stats).fetchall() == before  # the same row version: untouched
            ctx.store.finish_note(claim.note.id, NoteState.SENT, now, sent_at=now)
            [after] = conn.execute(stats).fetchall()
            assert after[2:] == (1, 1)  # one note sent, the thank-you: counted
            hours = conn.execute("SELECT sum(n) FROM u1.stats_sent_hours").fetchone()
            assert hours == (1,)
    finally:
        ctx.store.close()  # type: ignore[attr-defined]


def test_an_interviews_rows_for_its_history_are_read_in_one_round_trip(
    server: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What every recorded change keeps (`interview_state`: six tables' rows) and what
    planning an interview reads (`sequence_rows`) come in one message each: on a busy machine
    each wait for the server is a wait for a core, and a worker records and re-plans an
    interview with every send."""
    import psycopg

    from followup.bootstrap import open_context

    fleet.user_config(server, 1, "127.0.0.1", 9)
    fleet.populate(server, [1], 1)
    ctx = open_context(server, user_id=1)
    sent: list[str] = []
    execute = psycopg.Cursor.execute  # every statement's way (Connection's, ClientCursor's)

    def counted(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(str(query))
        return execute(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", counted)
    try:
        state = ctx.store.interview_state(1)
        assert len(sent) == 1, sent
        with ctx.store.transaction():
            sent.clear()
            rows = ctx.store.sequence_rows(1)
            assert len(sent) == 1, sent
            assert ctx.store.interview_state(1) == state
            assert len(sent) == 2, sent
    finally:
        ctx.store.close()  # type: ignore[attr-defined]
    assert set(state) == {
        "applications",
        "interviews",
        "interviewers",
        "notes",
        "debriefs",
        "inbound_messages",
    }
    assert all(state[t] for t in ("applications", "interviews", "interviewers", "notes"))
    assert rows is not None and rows.interview.id == 1 and len(rows.notes) == 1


def test_a_disabled_seeker_s_approved_notes_do_not_go(
    server: Path, postgres_url: str, smtp_sink: Sink
) -> None:
    """A cold trial (session 11): `users disable` left the seeker's approved notes to go out
    in their name (an account taken over, a seeker gone), and nothing could withdraw them.
    Now a worker sends nothing for a disabled account, said in its log, while it sends the
    others' notes."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "FOLLOWUP_NOW"}
    exe = str(Path(sys.executable).with_name("followup"))

    def cli(*args: str, stdin: str | None = None) -> str:
        done = subprocess.run([exe, *args], env=env, input=stdin, text=True,
                              capture_output=True, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    def users(*args: str, stdin: str | None = None) -> str:
        return cli("users", *args, stdin=stdin)

    server.mkdir(parents=True)
    cli("db", "migrate")
    users("add", "ada@example.org", "--role", "seeker", "--password-stdin", stdin="a long pw 1\n")
    users("add", "bob@example.org", "--role", "seeker", "--password-stdin", stdin="a long pw 2\n")
    ids = {u["email"]: int(u["id"]) for u in __import__("json").loads(users("list", "--json"))}
    ada, bob = ids["ada@example.org"], ids["bob@example.org"]
    for email, user_id in ids.items():
        fleet.user_config(server, user_id, smtp_sink.host, smtp_sink.port, email)
    fleet.populate(server, [ada, bob], 2)
    users("disable", "bob@example.org")
    worker = fleet.worker(server, postgres_url, "--poll", "1")
    try:
        deadline = time.monotonic() + 60
        while fleet.counts([ada]).get("sent", 0) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(3)  # rounds enough to have reached bob's notes, had they been sent
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
    assert fleet.counts([ada]) == {"sent": 2}
    assert fleet.counts([bob]) == {"pending": 2}
    assert len(smtp_sink.message_ids) == 2
    log = fleet.LOGS[worker.pid].read_text()
    assert f"user {bob}: disabled: no note goes in their name" in log, log
