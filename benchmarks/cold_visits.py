"""Where a worker's time goes on a seeker it has not visited yet (issue 17, item 2).

    nice python benchmarks/cold_visits.py --seekers 300          # prints the breakdown
    nice python benchmarks/cold_visits.py --seekers 300 --profile  # and cProfile's top

1. Generates SEEKERS seekers (benchmarks/seekers.py: 50 interviews each, one approved
   thank-you each) on a private PostgreSQL 15, with a lean SMTP sink in a process of its own
   (so that its event loop takes no GIL from the worker measured here).
2. Cold pass: the first approved note of every seeker made due now; one `QueueWorker`
   (cli/worker.py, server mode, `--once`) in this process sends them all, one visit a seeker,
   each seeker's first in this process.
3. Warm pass: the second note of every seeker due now; the same worker object sends them
   (its seekers' settings kept for a minute, as a running worker keeps them).

Each phase of a visit is timed by wrapping the function that does it (wall time, inclusive:
a phase includes the phases it calls); the table gives the milliseconds per visit and the
calls per visit. The database's transactions per visit come from pg_stat_database.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
import seekers as seekers_mod  # noqa: E402

_SINK = """
import sys, time
sys.path.insert(0, {bench!r})
from lean_sink import LeanSink
s = LeanSink(); s.start(); print(s.port, flush=True)
while True:
    time.sleep(1)
    if sys.stdin.closed: break
"""

TIMES: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)


def _timed(owner: Any, name: str, label: str) -> None:
    inner: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            TIMES[label] += time.perf_counter() - started
            CALLS[label] += 1

    setattr(owner, name, wrapper)


def instrument() -> list[str]:
    """Wrap the phases of a visit; their labels, in the order printed."""
    from followup import bootstrap
    from followup.adapters import holidays
    from followup.adapters.mail import smtp
    from followup.adapters.store import postgres, sqlstore
    from followup.app import dispatch, events, sending, services
    from followup.cli import worker
    from followup.config import keys, settings

    phases = [
        (worker.QueueWorker, "_notes", "visit (all of it)"),
        (postgres.PostgresDatabase, "claim_note_tenant", "queue: claim"),
        (postgres.PostgresDatabase, "release_notes", "queue: release"),
        (worker.Tenant, "__init__", "Tenant(): settings, mail account, outbox"),
        (settings, "load", "  settings.load (read, TOML, every key, policy)"),
        (bootstrap.MailSetup, "__init__", "  MailSetup()"),
        (bootstrap.MailSetup, "outbox", "  MailSetup.outbox()"),
        (bootstrap, "open_context", "open_context"),
        (postgres.PostgresDatabase, "tenant_store", "  tenant_store"),
        (postgres.PostgresDatabase, "migrate_tenant", "    schema version check"),
        (bootstrap, "_context", "  _context"),
        (settings.Settings, "policy", "    Settings.policy()"),
        (sqlstore.SqlStore, "planned_policy", "    planned_policy query"),
        (dispatch, "expire_leases", "expire_leases (a write transaction)"),
        (sqlstore.SqlStore, "approved_due", "approved_due query"),
        (worker.Worker, "_held", "daily limit check"),
        (dispatch, "dispatch_one", "dispatch_one (x2: the note, then none)"),
        (sqlstore.SqlStore, "claim_due", "  claim_due"),
        (dispatch, "_unsendable", "  _unsendable (seal, headers, lint, recipient)"),
        (keys, "approval_key", "    approval key file"),
        (dispatch, "_lint_again", "    lint again"),
        (smtp.SmtpMailer, "send", "  SMTP send"),
        (smtp.SmtpMailer, "_connect", "    SMTP connect + EHLO"),
        (sending, "_finish", "  record sent (_finish)"),
        (events, "before_sending", "    events.before_sending"),
        (services, "replan", "    replan"),
        (holidays.HolidayCalendars, "_load", "      holidays: cache file read"),
        (holidays.HolidayCalendars, "_countries", "      holidays: countries"),
        (holidays.HolidayCalendars, "_year", "      holidays: a year"),
        (holidays.HolidayCalendars, "_save", "      holidays: cache file write (fsync)"),
        (events, "record", "    events.record"),
        (worker.Tenant, "_hang_up", "SMTP quit (end of visit)"),
        (postgres.PostgresStore, "close", "store close"),
    ]
    if hasattr(postgres.PostgresDatabase, "claim_notes"):  # the claim since it says what it holds
        phases[1] = (postgres.PostgresDatabase, "claim_notes", "queue: claim")
    for owner, name, label in phases:
        _timed(owner, name, label)
    return [label for _, _, label in phases]


def _xacts(url: str) -> int:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_force_next_flush()")
        row = conn.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database"
            " WHERE datname = current_database()"
        ).fetchone()
    return int(row[0]) if row else 0


def _due_now(url: str, seekers: int, nth: int) -> None:
    """The `nth` note (0: the first) of every seeker due a second ago."""
    import psycopg

    at = (datetime.now(UTC) - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with psycopg.connect(url, autocommit=True) as conn:
        for k in range(1, seekers + 1):
            conn.execute(
                f"UPDATE u{k}.notes SET due_at = %s WHERE id ="
                f" (SELECT id FROM u{k}.notes WHERE state = 'pending'"
                " AND approved_at IS NOT NULL ORDER BY id LIMIT 1 OFFSET %s)",
                (at, nth),
            )
        conn.execute("UPDATE followup.mailbox_queue SET next_sync_at = now() + '1 hour'")
        conn.execute("ANALYZE followup.note_queue")


def _pass(run: Any, url: str, seekers: int, labels: list[str], profile: bool) -> dict[str, Any]:
    TIMES.clear()
    CALLS.clear()
    before = _xacts(url)
    started = time.perf_counter()
    prof = cProfile.Profile() if profile else None
    if prof is not None:
        prof.enable()
    run.stop.clear()
    sent = run.run()
    if prof is not None:
        prof.disable()
    wall = time.perf_counter() - started
    xacts = _xacts(url) - before - 2
    visits = max(CALLS["visit (all of it)"], 1)
    rows = [
        (label, TIMES[label] * 1000 / visits, CALLS[label] / visits)
        for label in labels
        if CALLS[label]
    ]
    top = ""
    if prof is not None:
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        top = out.getvalue()
    return {
        "sent": sent,
        "wall": wall,
        "visits": visits,
        "xacts": xacts / visits,
        "rows": rows,
        "top": top,
    }


def _print(title: str, r: dict[str, Any]) -> None:
    print(f"\n## {title}: {r['sent']} sent in {r['wall']:.1f} s, {r['visits']} visits,")
    print(
        f"{r['wall'] * 1000 / r['visits']:.1f} ms a visit (wall), {r['xacts']:.1f} database"
        f" transactions a visit, load {' '.join(f'{x:.1f}' for x in os.getloadavg())}\n"
    )
    print("| phase | ms a visit | calls a visit |")
    print("|---|---:|---:|")
    for label, ms, calls in r["rows"]:
        print(f"| {label.replace('  ', '· ')} | {ms:.2f} | {calls:.2f} |")
    if r["top"]:
        print(r["top"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seekers", type=int, default=300)
    parser.add_argument("--interviews", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="cProfile the cold pass too")
    args = parser.parse_args(argv)
    from tests.integration.postgres import start_postgres

    server = start_postgres()
    sink = subprocess.Popen(
        [sys.executable, "-c", _SINK.format(bench=str(ROOT / "benchmarks"))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert sink.stdout is not None
        port = int(sink.stdout.readline())
        url = server.url(server.create_database())
        home = Path(tempfile.mkdtemp(prefix="followup-bench-cold-"))
        os.environ.update(FOLLOWUP_DATABASE_URL=url, FOLLOWUP_HOME=str(home))
        os.environ.pop("FOLLOWUP_NOW", None)
        made = time.monotonic()
        steps = seekers_mod.generate(
            url, home, args.seekers, args.interviews, ("127.0.0.1", port), jobs=args.jobs
        )
        print(
            f"generated {args.seekers} seekers in {time.monotonic() - made:.0f} s"
            f" ({ {k: round(v) for k, v in steps.items()} }), load {os.getloadavg()}"
        )
        from followup import bootstrap
        from followup.bootstrap import clock_from_env, open_database, user_home
        from followup.cli import worker

        # a fresh process's view: no seeker opened yet (generation opened seeker 1)
        bootstrap.close_databases()
        for cache in ("_calendars",):  # what this process kept of seeker 1 (if it keeps any)
            getattr(bootstrap, cache, {}).clear()
        from followup.config import settings as settings_mod

        getattr(settings_mod, "_parsed", {}).clear()
        labels = instrument()
        database = open_database()

        def opener(user_id: int) -> Any:
            return worker.Tenant(
                f"user {user_id}",
                lambda: bootstrap.open_context(home, user_id=user_id),
                user_home(home, user_id),
            )

        run = worker.QueueWorker(
            database,
            opener,
            clock_from_env(),
            poll=5.0,
            lease=timedelta(seconds=600),
            once=True,
            stop=threading.Event(),
            imap_connections=4,
        )
        worker.log = lambda line: None  # the breakdown, not one line a send
        _due_now(url, args.seekers, 0)
        _print(
            "Cold: each seeker's first visit in this process",
            _pass(run, url, args.seekers, labels, args.profile),
        )
        _due_now(url, args.seekers, 0)  # the next pending approved note (the first is sent)
        _print("Warm: each seeker's second visit", _pass(run, url, args.seekers, labels, False))
    finally:
        if sink.stdin is not None:
            sink.stdin.close()
        sink.kill()
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
