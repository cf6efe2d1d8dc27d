"""Many seekers for server mode, made fast (issue 17: 10,000 seekers x 50 interviews).

Generating every seeker through the real store costs ~1.9 s a seeker here (10,000: ~5 h).
This makes the same database in three steps:

1. Seeker 1 through the real store (tests/reliability/fleet.py: one interview added and
   its thank-you approved through the use-cases, then copied to `interviews` interviews).
2. The empty schemas u2..uN. `--schemas clone` (the default): u2 made by the real
   `PostgresDatabase.migrate_tenants` (every migration from 0001), then its DDL as the
   migrations left it (`pg_dump --schema-only`) replayed for u3..uN with the schema's name
   substituted, in one message and one transaction a schema, with the rows the migrations
   wrote for an empty schema (`schema_migrations`, `stats_kinds`; in schema `followup` its
   coach summary and mailbox row) copied; tests/integration/test_seekers_generator.py checks
   that a clone equals a migrated schema (tables, columns, indexes, constraints, triggers,
   functions, sequences, rows). `--schemas migrate`: every schema by `migrate_tenants(jobs)`
   — what `followup db migrate --jobs` runs (~0.27 s a schema here at load 5).
3. Each other seeker's rows copied from u1 by INSERT ... SELECT, one transaction (and one
   message) a seeker, `jobs` seekers at a time: applications, interviews, interviewers,
   debriefs, notes, events, planned_policy. `--fill copy` (the default): with the
   triggers off for the transaction (`session_replication_role = replica`), what they
   would have written is copied too: u1's stats aggregates and board rows (the board's
   search with the seeker's interviewers' domain), u1's coach figures as the seeker's, and
   the seeker's queue rows by migration 0026's backfill from its own notes (the test above
   checks that this equals `--fill triggers`, where every trigger fires as in real use:
   stats aggregates, coach figures, the work queue, board_latest); then each table with
   rows analysed (autovacuum would, soon after). Per seeker: its own name
   and address in the From header and the signature, its own interviewers' domain
   (acme<k>.example: To header, approved_to, interviewers), its own Message-IDs, due times
   shifted by k mod 3600 seconds; the approval digest and seal recomputed in SQL
   (pgcrypto's digest/hmac, the same formula as app/dispatch.py `digest`/`seal`) with the
   seeker's approval key (every seeker's config directory gets seeker 1's key).

    python benchmarks/seekers.py --seekers 1000 --jobs 2     # prints the timings
    python benchmarks/seekers.py --seekers 1000 --schemas migrate --fill triggers  # as before

Used by benchmarks/work_queue.py (its default generator).
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import subprocess
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
    " approved_digest = encode(public.digest(convert_to(approved_to, 'UTF8') || '\\x00'::bytea"
    " || convert_to(subject, 'UTF8') || '\\x00'::bytea || convert_to(body, 'UTF8'),"
    " 'sha256'), 'hex'),"
    " approved_seal = encode(public.hmac(convert_to(CAST(id AS text), 'UTF8') || '\\x00'::bytea"
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


# --- the copy with the triggers off (`--fill copy`) ------------------------------------
_REPLICA = "SET LOCAL session_replication_role = replica"  # no trigger fires (superuser)
# What the triggers write for u1's rows, copied as the seeker's: the tenant's aggregates and
# board rows (none of them varies with the seeker but the board's search, which holds the
# interviewers' addresses), then in schema `followup` the coach figures (from the interviews
# only: u1's are the seeker's) and the queue rows (from the seeker's own notes, by 0026's
# backfill: their due times are shifted).
_DERIVED = (
    "stats_sequences",
    "stats_cells",
    "stats_totals",
    "stats_delays",
    "stats_delay_hours",
    "stats_sent_hours",
    "board_latest",
)
_DERIVED_VARY = {"board_latest": {"search": _DOMAIN.format(col="t.search")}}
_COACH = ("coach_summary", "coach_statuses", "coach_open")
_QUEUE_BACKFILL = (
    "INSERT INTO followup.note_queue (tenant, note_id, due_at, lease_until, ready_at)"
    " SELECT __K__, n.id, CAST(n.due_at AS timestamptz), CAST(n.lease_until AS timestamptz),"
    " CAST(COALESCE(n.lease_until, n.due_at) AS timestamptz)"
    " FROM __S__.notes n JOIN __S__.interviews i ON i.id = n.interview_id"
    " WHERE (n.state = 'pending' AND n.approved_at IS NOT NULL AND i.status = 'waiting')"
    " OR (n.state = 'sending' AND n.lease_until IS NOT NULL)"
)


def _columns(conn: Any, schema: str, table: str) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
            (schema, table),
        ).fetchall()
    ]


def _copy_all_sql(conn: Any, key: bytes) -> str:
    """One message copying u1 into seeker __K__ with the triggers off for its transaction,
    and what the triggers would have written (see `_DERIVED`)."""
    out = [_REPLICA]
    out += _copy_sql(conn)
    for table in _DERIVED:
        columns = _columns(conn, "u1", table)
        vary = _DERIVED_VARY.get(table, {})
        values = ", ".join(vary.get(c, f"t.{c}") for c in columns)
        out.append(
            f"INSERT INTO __S__.{table} ({', '.join(columns)}) SELECT {values} FROM u1.{table} t"
        )
    out.append(_RESEAL.replace("%(key)s", f"decode('{key.hex()}', 'hex')"))
    for table in _COACH:
        columns = _columns(conn, "followup", table)
        values = ", ".join("__K__" if c == "user_id" else f"t.{c}" for c in columns)
        out.append(f"DELETE FROM followup.{table} WHERE user_id = __K__")
        out.append(
            f"INSERT INTO followup.{table} ({', '.join(columns)})"
            f" SELECT {values} FROM followup.{table} t WHERE t.user_id = 1"
        )
    out.append(_QUEUE_BACKFILL)
    return ";\n".join(out)


def _analyze_sql(conn: Any) -> str:
    """ANALYZE of seeker __K__'s tables that have rows, as autovacuum would analyse each
    table of 50 rows or more soon after (~3 ms a seeker here, where 10,000 seekers' worth of
    autovacuum ran on into the measurement that follows the generation). After the copy's
    commit: the rows a transaction wrote count as changes since the last analysis when it
    commits, after an ANALYZE inside it."""
    out = []
    for (table,) in conn.execute(
        "SELECT relname FROM pg_stat_user_tables WHERE schemaname = 'u1' ORDER BY relname"
    ).fetchall():
        if conn.execute(f"SELECT EXISTS (SELECT 1 FROM u1.{table})").fetchone()[0]:
            out.append(f"ANALYZE __S__.{table}")
    return ";\n".join(out)


# --- the schemas, cloned (`--schemas clone`) ------------------------------------------
TEMPLATE = 2  # the schema made by the migrations whose DDL the others replay
CLONES = 10  # schemas made in one transaction (a tenth fewer commits: ~25% faster here)

# Rows in schema `followup` that a tenant's migrations write for its schema (0022's coach
# backfill, 0026's queue backfill and mailbox row): per table, the column naming the seeker,
# and the columns that differ per seeker.
_SERVER_ROWS = {
    "coach_summary": "user_id",
    "coach_statuses": "user_id",
    "coach_open": "user_id",
    "note_queue": "tenant",
    "mailbox_queue": "tenant",
}
_SERVER_VARY = {"mailbox_queue": {"next_sync_at": "now() + random() * interval '10 minutes'"}}


def schema_ddl(url: str, schema: str) -> str:
    """The schema's DDL as its migrations left it (`pg_dump --schema-only`), every
    occurrence of its name as `__S__` (a statement per line as pg_dump writes them)."""
    from tests.integration.postgres import _bin

    done = subprocess.run(
        [
            _bin("pg_dump"),
            "--schema-only",
            "--no-owner",
            "--no-privileges",
            "--schema",
            schema,
            "--dbname",
            url,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"pg_dump failed: {done.stderr.strip()[-500:]}")
    if "__S__" in done.stdout:
        raise RuntimeError("the template's DDL already holds __S__")
    # psql's meta-commands (pg_dump 15.14 and later write \restrict): not SQL
    text = "\n".join(line for line in done.stdout.splitlines() if not line.startswith("\\"))
    return re.sub(rf"(?<![\w$]){re.escape(schema)}(?![\w$])", "__S__", text)


def clone_sql(conn: Any, url: str, template: int) -> str:
    """One message making schema __S__ (seeker __K__) as the migrations made `template`'s:
    its DDL, the rows its migrations wrote in it and, for it, in schema `followup`."""
    schema = f"u{int(template)}"
    out = [schema_ddl(url, schema)]
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s"
            " AND table_type = 'BASE TABLE' ORDER BY table_name",
            (schema,),
        ).fetchall()
    ]
    for table in tables:
        if conn.execute(f"SELECT EXISTS (SELECT 1 FROM {schema}.{table})").fetchone()[0]:
            out.append(f"INSERT INTO __S__.{table} SELECT * FROM {schema}.{table}")
    for table, who in _SERVER_ROWS.items():
        found = conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM followup.{table} WHERE {who} = %s)", (template,)
        ).fetchone()[0]
        if not found:
            continue
        columns = _columns(conn, "followup", table)
        vary = {who: "__K__", **_SERVER_VARY.get(table, {})}
        values = ", ".join(vary.get(c, f"t.{c}") for c in columns)
        out.append(
            f"INSERT INTO followup.{table} ({', '.join(columns)})"
            f" SELECT {values} FROM followup.{table} t WHERE t.{who} = {int(template)}"
        )
    return ";\n".join(out)


def _in_parallel(
    url: str,
    sql: str,
    ids: list[int],
    jobs: int,
    say: Any,
    what: str,
    batch: int = 1,
    after: str = "",
) -> None:
    """`sql` for each seeker k of `ids` (`_fill`), `batch` seekers a transaction (and a
    message), `jobs` connections at a time; then `after` for them (a message of its own)."""
    import psycopg

    todo: queue.Queue[list[int]] = queue.Queue()
    for lo in range(0, len(ids), batch):
        todo.put(ids[lo : lo + batch])
    errors: list[BaseException] = []
    count = [0]
    lock = threading.Lock()

    def job() -> None:
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                while not errors:
                    try:
                        ks = todo.get_nowait()
                    except queue.Empty:
                        return
                    with conn.transaction():
                        conn.execute(";\n".join(_fill(sql, k) for k in ks))
                    if after:
                        conn.execute(";\n".join(_fill(after, k) for k in ks))
                    with lock:
                        before = count[0]
                        count[0] += len(ks)
                        if count[0] // 1000 > before // 1000:
                            say(f"  {what} {count[0]:,}/{len(ids):,}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=job) for _ in range(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


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
    schemas: str = "clone",
    fill: str = "copy",
) -> dict[str, float]:
    """Seekers 1..`seekers`, `interviews` interviews each (one approved thank-you each);
    FOLLOWUP_DATABASE_URL and FOLLOWUP_HOME must name `url` and `home`. The seconds of
    each step. `schemas`: "clone" or "migrate"; `fill`: "copy" or "triggers" (the module's
    docstring)."""
    import psycopg
    from tests.reliability import fleet

    from followup.adapters.store.postgres import PostgresDatabase

    if schemas not in ("clone", "migrate") or fill not in ("copy", "triggers"):
        raise ValueError(f"schemas={schemas!r}, fill={fill!r}")
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
    others = list(range(2, seekers + 1))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
        made = others if schemas == "migrate" else others[:1]  # the clones' template: u2
        for lo in range(0, len(made), 1000):
            with conn.transaction():
                for k in made[lo : lo + 1000]:
                    conn.execute(f"CREATE SCHEMA IF NOT EXISTS u{k}")
    if made:
        with PostgresDatabase(url, max_size=1) as database:
            done = database.migrate_tenants(
                jobs,
                progress=lambda n, total: n % 1000 == 0 and say(f"  migrated {n:,}/{total:,}"),
            )
        if done.failed:
            raise RuntimeError(f"migrations failed: {dict(list(done.failed.items())[:3])}")
    clone = ""
    if schemas == "clone" and len(others) > 1:
        with psycopg.connect(url, autocommit=True) as conn:
            clone = clone_sql(conn, url, TEMPLATE)
        if fill == "triggers":  # the schemas now; else each with its rows (below)
            _in_parallel(url, clone, others[1:], jobs, say, "cloned", batch=CLONES)
    times["schemas"] = time.monotonic() - started

    started = time.monotonic()
    for k in others:
        _config(home, k, *smtp, key)
    times["configs"] = time.monotonic() - started

    started = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn:
        analyze = _analyze_sql(conn)
        if fill == "copy":
            sql = _copy_all_sql(conn, key_bytes)
        else:
            reseal = _RESEAL.replace("%(key)s", f"decode('{key_bytes.hex()}', 'hex')")
            sql = ";\n".join([*_copy_sql(conn), reseal])
    if clone and fill == "copy":  # one message a seeker: its schema, then its rows
        _in_parallel(url, sql, others[:1], jobs, say, "filled", after=analyze)
        both = f"{_REPLICA};\n{clone};\n{sql}"
        done = "cloned and filled"
        _in_parallel(url, both, others[1:], jobs, say, done, batch=CLONES, after=analyze)
    else:
        _in_parallel(url, sql, others, jobs, say, "filled", after=analyze)
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
    parser.add_argument("--schemas", choices=("clone", "migrate"), default="clone")
    parser.add_argument("--fill", choices=("copy", "triggers"), default="copy")
    args = parser.parse_args(argv)
    from tests.integration.postgres import start_postgres

    server = start_postgres()
    try:
        url = server.url(server.create_database())
        home = Path(tempfile.mkdtemp(prefix="followup-bench-seekers-"))
        os.environ.update(FOLLOWUP_DATABASE_URL=url, FOLLOWUP_HOME=str(home))
        os.environ.pop("FOLLOWUP_NOW", None)
        times = generate(
            url,
            home,
            args.seekers,
            args.interviews,
            ("127.0.0.1", 9),
            args.jobs,
            schemas=args.schemas,
            fill=args.fill,
        )
        print({k: round(v, 1) for k, v in times.items()}, "load", os.getloadavg())
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
