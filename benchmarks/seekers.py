"""Many seekers for server mode, made fast (issue 17: 10,000 seekers x 50 interviews).

Generating every seeker through the real store costs ~1.9 s a seeker here (10,000: ~5 h).
This makes the same database in three steps:

1. Seeker 1 through the real store (tests/reliability/fleet.py: one interview added and
   its thank-you approved through the use-cases, then copied to `interviews` interviews).
2. The empty schemas u2..uN (CREATE SCHEMA), brought to the current version by the real
   `PostgresDatabase.migrate_tenants(jobs)` — what `followup db migrate --jobs` runs.
   Its notes are then made due in 30 days (the queue follows by its triggers).
3. Each other seeker's rows copied from u1 by INSERT ... SELECT, one transaction a seeker,
   `jobs` seekers at a time: applications, interviews, interviewers, debriefs, notes,
   events, planned_policy. Every trigger fires as in real use (stats aggregates, coach
   figures, the work queue, board_latest); they are not copied. Per seeker: its own name
   and address in the From header and the signature, its own interviewers' domain
   (acme<k>.example: To header, approved_to, interviewers), its own Message-IDs, due times
   shifted by k mod 3600 seconds; the approval digest and seal recomputed in SQL
   (pgcrypto's digest/hmac, the same formula as app/dispatch.py `digest`/`seal`) with the
   seeker's approval key (every seeker's config directory gets seeker 1's key).

    python benchmarks/seekers.py --seekers 1000 --jobs 2     # prints the timings

Used by benchmarks/work_queue.py (its default generator).
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The tables a seeker's use-cases write (the aggregates and the board are the triggers').
_TABLES = (
    "applications",
    "interviews",
    "interviewers",
    "debriefs",
    "notes",
    "events",
    "planned_policy",
)
_SERIAL = ("applications", "interviews", "interviewers", "debriefs", "notes", "events")

# Per-column expressions of the copy into seeker __K__ (from u1's row `t`).
_NAME = "replace(replace({col}, 'Seeker 1', 'Seeker __K__'), 'seeker1@', 'seeker__K__@')"
_DOMAIN = "replace({col}, '@acme.example', '@acme__K__.example')"
_MSGID = "'<__K__.' || substr(t.message_id, 2)"
_SHIFT = (
    "to_char((CAST({col} AS timestamptz) + interval '__SHIFT__ seconds') AT TIME ZONE 'UTC',"
    ' \'YYYY-MM-DD"T"HH24:MI:SS"Z"\')'
)
_VARY: dict[str, dict[str, str]] = {
    "interviewers": {"email": _DOMAIN.format(col="t.email")},
    "notes": {
        "message_id": _MSGID,
        "body": _NAME.format(col="t.body"),
        "approved_to": _DOMAIN.format(col="t.approved_to"),
        "approved_message": _DOMAIN.format(
            col=_NAME.format(col=f"replace(t.approved_message, t.message_id, {_MSGID})")
        ),
        "due_at": _SHIFT.format(col="t.due_at"),
        "earliest_at": _SHIFT.format(col="t.earliest_at"),
    },
}

# After the copy, as approving would have written them (dispatch.digest and dispatch.seal).
_RESEAL = (
    "UPDATE __S__.notes SET"
    " approved_digest = encode(digest(convert_to(approved_to, 'UTF8') || '\\x00'::bytea"
    " || convert_to(subject, 'UTF8') || '\\x00'::bytea || convert_to(body, 'UTF8'),"
    " 'sha256'), 'hex'),"
    " approved_seal = encode(hmac(convert_to(CAST(id AS text), 'UTF8') || '\\x00'::bytea"
    " || convert_to(approved_to, 'UTF8') || '\\x00'::bytea"
    " || convert_to(approved_message, 'UTF8'), %(key)s, 'sha256'), 'hex')"
    " WHERE approved_at IS NOT NULL"
)


def _copy_sql(conn: Any) -> list[str]:
    """The statements copying u1 into seeker __K__ (schema __S__), in dependency order."""
    out = []
    for table in _TABLES:
        columns = [
            r[0]
            for r in conn.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = 'u1' AND table_name = %s ORDER BY ordinal_position",
                (table,),
            ).fetchall()
        ]
        vary = _VARY.get(table, {})
        values = ", ".join(vary.get(c, f"t.{c}") for c in columns)
        out.append(
            f"INSERT INTO __S__.{table} ({', '.join(columns)}) SELECT {values} FROM u1.{table} t"
        )
    out.append(
        "SELECT "
        + ", ".join(
            f"setval(pg_get_serial_sequence('__S__.{t}', 'id'),"
            f" (SELECT COALESCE(MAX(id), 1) FROM __S__.{t}))"
            for t in _SERIAL
        )
    )
    return out


def _fill(sql: str, k: int) -> str:
    """A statement for seeker k (an int: spliced safely)."""
    k = int(k)
    return (
        sql.replace("__S__", f"u{k}").replace("__K__", str(k)).replace("__SHIFT__", str(k % 3600))
    )


def _config(home: Path, user_id: int, smtp_host: str, smtp_port: int, key: Path) -> None:
    from tests.reliability import fleet

    own = fleet.user_config(home, user_id, smtp_host, smtp_port)
    shutil.copyfile(key, own / "approval.key")
    os.chmod(own / "approval.key", 0o600)


def generate(
    url: str,
    home: Path,
    seekers: int,
    interviews: int,
    smtp: tuple[str, int],
    jobs: int = 2,
    say: Any = print,
) -> dict[str, float]:
    """Seekers 1..`seekers`, `interviews` interviews each (one approved thank-you each);
    FOLLOWUP_DATABASE_URL and FOLLOWUP_HOME must name `url` and `home`. The seconds of
    each step."""
    import psycopg
    from tests.reliability import fleet

    from followup.adapters.store.postgres import PostgresDatabase

    times: dict[str, float] = {}
    started = time.monotonic()
    fleet.user_config(home, 1, *smtp)
    fleet.populate(home, [1], interviews)
    with psycopg.connect(url, autocommit=True) as conn:  # due in a month (then shifted)
        conn.execute(
            "UPDATE u1.notes SET due_at = to_char((now() + interval '30 days')"
            " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        )
    key = home / "users" / "1" / "approval.key"
    key_bytes = bytes.fromhex(key.read_text().strip())
    times["template"] = time.monotonic() - started

    started = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
        for lo in range(2, seekers + 1, 1000):
            with conn.transaction():
                for k in range(lo, min(lo + 1000, seekers + 1)):
                    conn.execute(f"CREATE SCHEMA IF NOT EXISTS u{k}")
        copy_sql = _copy_sql(conn)
    with PostgresDatabase(url, max_size=1) as database:
        done = database.migrate_tenants(
            jobs,
            progress=lambda n, total: n % 1000 == 0 and say(f"  migrated {n:,}/{total:,}"),
        )
    if done.failed:
        raise RuntimeError(f"migrations failed: {dict(list(done.failed.items())[:3])}")
    times["schemas"] = time.monotonic() - started

    started = time.monotonic()
    for k in range(2, seekers + 1):
        _config(home, k, *smtp, key)
    times["configs"] = time.monotonic() - started

    started = time.monotonic()
    todo: queue.Queue[int] = queue.Queue()
    for k in range(2, seekers + 1):
        todo.put(k)
    errors: list[BaseException] = []
    count = [0]
    lock = threading.Lock()

    def job() -> None:
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                while True:
                    try:
                        k = todo.get_nowait()
                    except queue.Empty:
                        return
                    with conn.transaction():
                        for sql in copy_sql:
                            conn.execute(_fill(sql, k))
                        conn.execute(_fill(_RESEAL, k), {"key": key_bytes})
                    with lock:
                        count[0] += 1
                        if count[0] % 1000 == 0:
                            say(f"  filled {count[0]:,}/{seekers - 1:,}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=job) for _ in range(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE followup.note_queue")
        conn.execute("ANALYZE followup.mailbox_queue")
    times["fill"] = time.monotonic() - started
    times["total"] = sum(times.values())
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seekers", type=int, default=1000)
    parser.add_argument("--interviews", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    from tests.integration.postgres import start_postgres

    server = start_postgres()
    try:
        url = server.url(server.create_database())
        home = Path(tempfile.mkdtemp(prefix="followup-bench-seekers-"))
        os.environ.update(FOLLOWUP_DATABASE_URL=url, FOLLOWUP_HOME=str(home))
        os.environ.pop("FOLLOWUP_NOW", None)
        times = generate(url, home, args.seekers, args.interviews, ("127.0.0.1", 9), args.jobs)
        print({k: round(v, 1) for k, v in times.items()}, "load", os.getloadavg())
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
