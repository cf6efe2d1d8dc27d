"""Seekers with many due, approved notes on PostgreSQL, made fast; and `followup worker`s.

Each seeker gets one interview made through the real use-cases (add, then `schedule`, which
drafts the thank-you and records the approval's digest), then that interview is copied in
bulk SQL through the seeker's own store — application, interview, interviewer, debrief and
note, each copy with its own ids and its own Message-ID — so every copy carries exactly the
approved message (its Message-ID made the copy's own), sealed again as approving would seal
it. 10,000 notes take a few seconds
instead of minutes of single inserts.
Used by tests/reliability/ and benchmarks/worker.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

_NEW_ID = "'<' || g || '.' || md5(t.message_id || g) || '@fleet.example>'"

# (table, {column: expression}) in dependency order; `g` is the copy number and `b_<table>`
# the highest id before copying, so copy g of row r gets id b_<table> + g.
_COPIES: tuple[tuple[str, dict[str, str]], ...] = (
    ("applications", {}),
    ("interviews", {"application_id": "%(applications)s + g"}),
    ("interviewers", {"interview_id": "%(interviews)s + g"}),
    (
        "debriefs",
        {
            "interview_id": "%(interviews)s + g",
            "interviewer_id": "CASE WHEN t.interviewer_id IS NULL THEN NULL"
            " ELSE %(interviewers)s + g END",
        },
    ),
    (
        "notes",
        {
            "interview_id": "%(interviews)s + g",
            "interviewer_id": "%(interviewers)s + g",
            "message_id": _NEW_ID,
            # the approved message carries the note's Message-ID: each copy its own
            "approved_message": f"replace(t.approved_message, t.message_id, {_NEW_ID})",
        },
    ),
)


# The fleets run on the real clock, at whatever hour the suite runs: a window open every day
# and (nearly) all day, so that a note found late is never held for the recipient's next
# working hours (app/dispatch.py), which would make a run at night send nothing.
ROUND_THE_CLOCK = (
    '[policy]\nwindow_days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\n'
    'window_start = "00:00"\nwindow_end = "23:59"\n'
)


def user_config(
    home: Path, user_id: int, smtp_host: str, smtp_port: int, email: str | None = None
) -> Path:
    """The seeker's own settings (server mode: <FOLLOWUP_HOME>/users/<id>/config.toml);
    `email`: their account's, where there is one (notes go from it only)."""
    own = home / "users" / str(user_id)
    own.mkdir(parents=True, exist_ok=True)
    email = email or f"seeker{user_id}@example.org"
    (own / "config.toml").write_text(
        f'[user]\nname = "Seeker {user_id}"\nemail = "{email}"\n'
        f'[mail]\nsmtp_host = "{smtp_host}"\nsmtp_port = {smtp_port}\n'
        'smtp_security = "none"\nmode = "send"\n' + ROUND_THE_CLOCK
    )
    return own


def populate(home: Path, users: Sequence[int], per_user: int) -> None:
    """`per_user` approved thank-you notes, all due now, for each user (FOLLOWUP_DATABASE_URL
    and the users' config must be set)."""
    from followup.app import dispatch, services
    from followup.app.rows import NewInterviewer
    from followup.bootstrap import MailSetup, open_context, open_database, user_home
    from followup.domain.model import Culture

    database = open_database()
    database.migrate_server()
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=6)
    for user_id in users:
        database.create_tenant(user_id)
        ctx = open_context(home, user_id=user_id)
        try:
            added = services.add_interview(
                ctx,
                services.NewInterview(
                    company="Acme",
                    role="Backend Engineer",
                    start=start,
                    tz="Europe/Berlin",
                    interviewers=[NewInterviewer("Ada Lovelace", "ada@acme.example")],
                    culture=Culture.STARTUP,
                    country="DE",
                    topics=["the billing rewrite"],
                    skill="PostgreSQL",
                ),
            )
            outbox = MailSetup(user_home(home, user_id)).outbox(ctx.sender_name)
            [approved] = dispatch.schedule(ctx, lambda box=outbox: box, added.interview_id)
            assert approved.outcome == "scheduled", approved
            copy(ctx.store, added.interview_id, per_user - 1)
            reseal(ctx)
        finally:
            ctx.store.close()  # type: ignore[attr-defined]


def copy(store: Any, interview_id: int, copies: int) -> None:
    """`copies` copies of the interview and everything hanging from it, in five statements."""
    if copies <= 0:
        return
    with store.transaction():
        bases = {
            table: int(store._one(f"SELECT COALESCE(MAX(id), 0) FROM {table}")[0])
            for table, _ in _COPIES
        }
        for table, exprs in _COPIES:
            columns = [c for c in store.table_columns(table) if c != "id"]
            key = "id" if table == "interviews" else "interview_id"
            if table == "applications":
                where = "t.id = (SELECT application_id FROM interviews WHERE id = ?)"
            else:
                where = f"t.{key} = ?"
            values = [(exprs.get(c, f"t.{c}") % bases) for c in columns]
            store._execute(
                f"INSERT INTO {table} (id, {', '.join(columns)})"
                f" SELECT {bases[table]} + g, {', '.join(values)}"
                f" FROM {table} t, generate_series(1, {int(copies)}) AS g WHERE {where}",
                (interview_id,),
            )
        for table, _ in _COPIES:
            store._execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT MAX(id) FROM {table}))"
            )


def reseal(ctx: Any) -> None:
    """Each copy's approved message differs (its Message-ID): seal it as approving would."""
    from followup.app.dispatch import seal

    store, key = ctx.store, ctx.approval_key()
    with store.transaction():
        rows = store._all(
            "SELECT id, approved_to, approved_message FROM notes WHERE approved_at IS NOT NULL"
        )
        for note_id, to, message in rows:
            store._execute(
                "UPDATE notes SET approved_seal = ? WHERE id = ?",
                (seal(key, note_id, to, message), note_id),
            )


def counts(users: Sequence[int]) -> dict[str, int]:
    """Notes per state, over every user (step 1 only: later steps are planned on send)."""
    from followup.bootstrap import open_database

    total: dict[str, int] = {}
    with open_database().connection() as conn:
        for user_id in users:
            for state, n in conn.execute(
                f"SELECT state, COUNT(*) FROM u{int(user_id)}.notes WHERE step = 1 GROUP BY state"
            ).fetchall():
                total[state] = total.get(state, 0) + int(n)
    return total


def worker(home: Path, url: str, *args: str) -> subprocess.Popen[bytes]:
    """A `followup worker` process in server mode; its log goes to a file beside the homes."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("FOLLOWUP_NOW", "FOLLOWUP_FAILPOINT", "FOLLOWUP_USER")
    }
    env.update({"FOLLOWUP_HOME": str(home), "FOLLOWUP_DATABASE_URL": url})
    exe = str(Path(sys.executable).with_name("followup"))
    logs = home / "logs"
    logs.mkdir(exist_ok=True)
    path = logs / f"worker-{len(list(logs.iterdir()))}.log"
    log = open(path, "wb")  # noqa: SIM115
    try:
        process = subprocess.Popen(
            [exe, "worker", *args], env=env, stdout=subprocess.DEVNULL, stderr=log
        )
    finally:
        log.close()
    LOGS[process.pid] = path
    return process


LOGS: dict[int, Path] = {}  # each worker's log, by its process id


def started(process: subprocess.Popen[bytes]) -> bool:
    """The worker said it started: its SIGTERM handler is in place (it is set just before)."""
    path = LOGS.get(process.pid)
    return path is not None and b"started (" in path.read_bytes()


def sending(process: subprocess.Popen[bytes]) -> bool:
    """The worker has sent a note (its log says so): it is at work, past its start-up."""
    path = LOGS.get(process.pid)
    return path is not None and b": sent" in path.read_bytes()
