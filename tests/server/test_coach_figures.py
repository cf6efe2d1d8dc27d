"""The coach view's figures kept in schema `followup` (issue #17) equal what app/coaching.py
computes from the client's own store — after any sequence of writes and at any later time.

A seeded random walk of the user's commands (add, sent, replied, cancel, reopen, snooze,
edit, undo, import of a CSV with sent notes) on a real PostgreSQL, in server mode; after
each step the figures are compared with `coaching.adherence` at several instants, hours to
weeks later (time passes without writes: "due now" must follow). At the end the kept rows
equal a recount from scratch (the triggers never drift from coach_rebuild), a grace changed
in the client's config.toml is honoured, and a TRUNCATE recounts.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from followup.app import accounts as acc_mod
from followup.app import coaching
from tests.conftest import NOW, Run

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery staple"
START = datetime.fromisoformat(NOW.replace("Z", "+00:00"))
LATER = (timedelta(0), timedelta(hours=20), timedelta(days=2), timedelta(days=9))


def _old(uid: int, at: datetime) -> coaching.Adherence:
    """The computation the coach view made before: the client's own store, their policy."""
    from followup.adapters.clock import FixedClock
    from followup.bootstrap import open_context

    ctx = open_context(user_id=uid, clock=FixedClock(at), create=False)
    try:
        return coaching.adherence(ctx)
    finally:
        ctx.store.close()  # type: ignore[attr-defined]


def _new(uid: int, at: datetime) -> coaching.Adherence:
    from followup.bootstrap import client_policy, coach_figures

    found = coaching.clients_adherence(coach_figures(), [uid], lambda u: client_policy(None, u), at)
    return found[uid]


def _kept(database: Any, uid: int) -> tuple[Any, ...]:
    with database.connection() as conn:
        return (
            conn.execute(
                "SELECT grace_us, sent_on_time, sent_late FROM followup.coach_summary"
                " WHERE user_id = %s",
                (uid,),
            ).fetchall(),
            conn.execute(
                "SELECT status, n FROM followup.coach_statuses WHERE user_id = %s AND n <> 0"
                " ORDER BY status",
                (uid,),
            ).fetchall(),
            conn.execute(
                "SELECT interview_id, due_at, thank_you, end_at FROM followup.coach_open"
                " WHERE user_id = %s ORDER BY interview_id",
                (uid,),
            ).fetchall(),
        )


def _recounted(database: Any, uid: int) -> tuple[Any, ...]:
    """What coach_rebuild makes from the rows (in a transaction rolled back after)."""
    with database.connection() as conn:
        conn.execute("BEGIN")
        try:
            grace = conn.execute(
                "SELECT grace_us FROM followup.coach_summary WHERE user_id = %s", (uid,)
            ).fetchone()[0]
            conn.execute("SELECT followup.coach_rebuild(%s, %s)", (uid, grace))
            return (
                conn.execute(
                    "SELECT grace_us, sent_on_time, sent_late FROM followup.coach_summary"
                    " WHERE user_id = %s",
                    (uid,),
                ).fetchall(),
                conn.execute(
                    "SELECT status, n FROM followup.coach_statuses WHERE user_id = %s"
                    " AND n <> 0 ORDER BY status",
                    (uid,),
                ).fetchall(),
                conn.execute(
                    "SELECT interview_id, due_at, thank_you, end_at FROM followup.coach_open"
                    " WHERE user_id = %s ORDER BY interview_id",
                    (uid,),
                ).fetchall(),
            )
        finally:
            conn.execute("ROLLBACK")


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Walk:
    def __init__(self, run: Run, rnd: random.Random, tmp: Path) -> None:
        self.run, self.rnd, self.tmp = run, rnd, tmp
        self.now = START
        self.ids: list[int] = []
        self.roles = 0
        self.done: dict[str, int] = {}

    def cli(self, *args: str) -> Any:
        result = self.run(*args, now=_iso(self.now))
        if result.code == 0:  # what the walk did (a refused step changes nothing)
            self.done[args[0]] = self.done.get(args[0], 0) + 1
        return result

    def _id(self) -> str:
        return str(self.rnd.choice(self.ids))

    def _role(self) -> str:
        self.roles += 1
        return f"Role {self.roles}"

    def step(self) -> str:
        r = self.rnd
        kinds = ["add", "import", "wait", "bad-import"]
        if self.ids:
            kinds += ["sent", "sent", "replied", "cancel", "reopen", "snooze", "edit", "undo"]
            kinds += ["undo", "force", "edit", "delete"]
        kind = r.choice(kinds)
        if kind == "add":
            at = self.now + timedelta(days=r.randint(-20, 3), hours=r.randint(0, 8))
            res = self.cli("add", "--company", r.choice(["Acme", "Initech", "Globex"]),
                           "--role", self._role(), "--at", _iso(at), "--tz", "Europe/Berlin",
                           "--interviewer", "Ada <ada@acme.example>", "--json")  # fmt: skip
            if res.code == 0:
                self.ids.append(int(res.json["id"]))
        elif kind == "delete":  # undoing an added panellist deletes their notes
            target = self._id()
            if self.cli("edit", target, "--add-interviewer", "Cy <cy@acme.example>").code == 0:
                self.cli("undo", target)
        elif kind == "bad-import":  # refused whole: nothing of it may count
            path = self.tmp / f"bad-{self.roles}.csv"
            good = f"Umbrella,{self._role()},{_iso(self.now)},Europe/Berlin,Bea <b@u.example>"
            bad = "Umbrella,Other,not a date,Europe/Berlin,"
            path.write_text(f"company,role,start,tz,interviewers\n{good}\n{bad}\n")
            assert self.run("import", str(path), now=_iso(self.now)).code != 0
        elif kind == "import":
            rows = ["company,role,start,tz,interviewers,thank_you_sent_at"]
            for _ in range(r.randint(1, 3)):
                start = self.now - timedelta(days=r.randint(2, 30))
                sent = start + timedelta(hours=r.choice([30, 47, 80, 200]))
                rows.append(
                    f"Umbrella,{self._role()},{_iso(start)},Europe/Berlin,"
                    f"Bea <bea@umbrella.example>,{_iso(sent) if r.random() < 0.7 else ''}"
                )
            path = self.tmp / f"import-{self.roles}.csv"
            path.write_text("\n".join(rows) + "\n")
            res = self.cli("import", str(path), "--json")
            if res.code == 0:
                self.ids += [int(i["id"]) for i in res.json.get("interviews", [])]
        elif kind == "wait":
            self.now += timedelta(hours=r.choice([1, 7, 30, 100]))
        elif kind == "sent":
            at = self.now - timedelta(hours=r.randint(0, 60))
            self.cli("sent", self._id(), "--at", _iso(at))
        elif kind == "force":
            self.cli("sent", self._id(), "--force")
        elif kind == "snooze":
            self.cli("snooze", self._id(), "--for", r.choice(["1d", "3d", "week"]))
        elif kind == "edit":
            at = self.now + timedelta(days=r.randint(-10, 2))
            self.cli("edit", self._id(), "--at", f"{at:%Y-%m-%dT%H:%M}")
        else:  # replied, cancel, reopen, undo
            self.cli(kind, self._id())
        return kind


@pytest.fixture
def seeker(server_url: str, accounts: Any, home: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    user = acc_mod.add_user(accounts, "ada@example.org", "seeker", PASSWORD)
    monkeypatch.setenv("FOLLOWUP_USER", "ada@example.org")
    return int(user.id)


def test_the_kept_figures_equal_the_clients_own_numbers_through_a_random_walk(
    run: Run, seeker: int, database: Any, tmp_path: Path, home: Path
) -> None:
    walk = Walk(run, random.Random(17), tmp_path)
    for n in range(90):
        kind = walk.step()
        for later in LATER if n % 5 == 0 else LATER[:1]:
            at = walk.now + later
            assert _new(seeker, at) == _old(seeker, at), (n, kind, later)
    assert _kept(database, seeker) == _recounted(database, seeker)
    final = _old(seeker, walk.now)
    # the walk did reach the cases: sent on time and late, several statuses, open classes
    assert final.sent_on_time and final.sent_late and final.replied and final.open, final
    steps = ("undo", "import", "sent", "edit", "reopen", "snooze", "replied", "cancel")
    assert min(walk.done.get(k, 0) for k in steps) >= 2, walk.done

    # The client's config.toml gives another grace (and a later fading): the figures follow
    # it (recounted once under the client's lock), and the kept rows stay a recount's.
    config = home / "users" / str(seeker) / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[policy]\noverdue_after_hours = 60\nfading_after_days = 10\n")
    for later in LATER:
        assert _new(seeker, walk.now + later) == _old(seeker, walk.now + later)
    assert _kept(database, seeker)[0][0][0] == 60 * 3600 * 10**6
    for _ in range(15):
        walk.step()
        assert _new(seeker, walk.now) == _old(seeker, walk.now)
    assert _kept(database, seeker) == _recounted(database, seeker)
    config.write_text("[policy]\noverdue_after_hours = 2\n")  # changed again: seen again
    assert _new(seeker, walk.now) == _old(seeker, walk.now)
    assert _kept(database, seeker)[0][0][0] == 2 * 3600 * 10**6

    # Rows deleted by hand (no use-case deletes an interview): the figures follow.
    with database.connection() as conn, conn.transaction():
        conn.execute(f"DELETE FROM u{seeker}.notes WHERE id IN (SELECT id FROM u{seeker}.notes"
                     " WHERE state = 'sent' ORDER BY id LIMIT 3)")  # fmt: skip
        conn.execute(f"UPDATE u{seeker}.interviews SET status = 'advanced' WHERE id IN"
                     f" (SELECT id FROM u{seeker}.interviews WHERE status = 'waiting'"
                     " ORDER BY id LIMIT 2)")  # fmt: skip
    assert _new(seeker, walk.now) == _old(seeker, walk.now)
    assert _kept(database, seeker) == _recounted(database, seeker)

    # A TRUNCATE (a bulk reload by hand) fires no row trigger: it recounts.
    with database.connection() as conn:
        conn.execute(f"TRUNCATE u{seeker}.interviews CASCADE")
    assert _new(seeker, walk.now) == _old(seeker, walk.now)
    assert _new(seeker, walk.now).open == 0 and _new(seeker, walk.now).notes_sent == 0


def test_migrate_fills_the_figures_of_a_seeker_who_had_data_before(
    run: Run, seeker: int, database: Any
) -> None:
    from followup.adapters.store.postgres import tenant_migrations

    for role, at in (("Dev", "2026-11-02T09:00"), ("Ops", "2026-11-20T09:00")):
        assert run("add", "--company", "Acme", "--role", role, "--at", at, "--tz", "Europe/Berlin",
                   "--interviewer", "Ada <ada@acme.example>").code == 0  # fmt: skip
    assert run("sent", "1", "--at", "2026-11-05T09:01Z").code == 0
    before = _old(seeker, START)
    # as if the schema predated the figures: no triggers, no rows; then `db migrate`
    latest = tenant_migrations()[-1][0]
    with database.connection() as conn:
        for table in ("coach_summary", "coach_statuses", "coach_open"):
            conn.execute(f"DELETE FROM followup.{table}")
        for trigger in conn.execute(
            "SELECT tgname, tgrelid::regclass::text FROM pg_trigger"
            " WHERE (tgname LIKE 'coach_%%' OR tgname LIKE '%%work_queue%%') AND NOT tgisinternal"
        ).fetchall():
            conn.execute(f"DROP TRIGGER {trigger[0]} ON {trigger[1]}")
        # and before the stats' aggregates (0023, 0025), which come after the figures
        conn.execute(
            "DROP TABLE "
            + ", ".join(
                f"u{seeker}.stats_{t}"
                for t in (
                    "kinds",
                    "sequences",
                    "totals",
                    "cells",
                    "delays",
                    "delay_hours",
                    "sent_hours",
                )
            )
            + " CASCADE"
        )
        for func in conn.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace s"
            " ON s.oid = p.pronamespace WHERE s.nspname = %s AND p.proname LIKE 'stats_%%'",
            (f"u{seeker}",),
        ).fetchall():
            conn.execute(f"DROP FUNCTION {func[0]} CASCADE")
        # (and before the work queue, 0026, whose triggers went with the coach's above)
        # and before a failed note could be dismissed (0024)
        conn.execute(f"ALTER TABLE u{seeker}.notes DROP COLUMN dismissed_at")
        # and the board's latest rounds (0027): the table, its functions and their triggers
        conn.execute(f"DROP TABLE u{seeker}.board_latest")
        for func in conn.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace s"
            " ON s.oid = p.pronamespace WHERE s.nspname = %s AND p.proname LIKE 'board_%%'",
            (f"u{seeker}",),
        ).fetchall():
            conn.execute(f"DROP FUNCTION {func[0]} CASCADE")
        # and the rounds by start (0032)
        conn.execute(f"DROP INDEX u{seeker}.interviews_rounds_by_start")
        # and the interviews cancelled lately (0034)
        conn.execute(f"DROP INDEX u{seeker}.interviews_cancelled")
        # and the panellists whose address bounced (0035)
        conn.execute(f"DROP INDEX u{seeker}.interviewers_bounced")
        conn.execute(f"DELETE FROM u{seeker}.schema_migrations WHERE version >= 22")
    assert run("db", "migrate", "--json").code == 0
    assert _new(seeker, START) == before
    assert (before.sent_late, before.open, before.overdue) == (1, 2, 2)
    with database.connection() as conn:
        version = conn.execute(f"SELECT max(version) FROM u{seeker}.schema_migrations")
        assert version.fetchone()[0] == latest


def test_a_coach_reads_all_clients_at_once_and_sees_only_their_own(
    run: Run, server_app: Any, accounts: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.server.web import Browser

    s1 = acc_mod.add_user(accounts, "s1@example.org", "seeker", PASSWORD)
    s2 = acc_mod.add_user(accounts, "s2@example.org", "seeker", PASSWORD)
    acc_mod.add_user(accounts, "coach@example.org", "coach", PASSWORD)
    acc_mod.link(accounts, "coach@example.org", "s1@example.org")
    for who, n in (("s1@example.org", 2), ("s2@example.org", 3)):
        monkeypatch.setenv("FOLLOWUP_USER", who)
        for k in range(n):
            assert run("add", "--company", "Acme", "--role", f"R{k}", "--at",
                       f"2026-11-{10 + k}T09:00", "--tz", "Europe/Berlin", "--interviewer",
                       "Ada <ada@acme.example>").code == 0  # fmt: skip
    coach = Browser(server_app).login("coach@example.org")
    listing = coach.get("/api/coach").json()["clients"]
    assert [c["id"] for c in listing] == [s1.id]
    assert listing[0]["adherence"] == coaching.adherence_json(_old(s1.id, START))
    assert listing[0]["adherence"]["sequences"]["open"] == 2
    assert coach.get(f"/api/coach/clients/{s2.id}").status_code == 404


def test_the_coach_list_puts_who_needs_a_nudge_first_with_overdue_and_offers(
    run: Run, server_app: Any, accounts: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A coach trial (session 17): the list had no overdue or offer column, in the order of
    the addresses, so who needed a nudge today was a hunt."""
    from tests.server.web import Browser

    acc_mod.add_user(accounts, "coach@example.org", "coach", PASSWORD)
    for who, late in (("amy@example.org", 0), ("zoe@example.org", 2)):
        acc_mod.add_user(accounts, who, "seeker", PASSWORD)
        acc_mod.link(accounts, "coach@example.org", who)
        monkeypatch.setenv("FOLLOWUP_USER", who)
        for k in range(late):  # thank-yous due days ago, unsent
            assert run("add", "--company", "Acme", "--role", f"R{k}", "--at",
                       f"2026-11-{10 + k}T09:00", "--tz", "Europe/Berlin", "--interviewer",
                       "Ada <ada@acme.example>").code == 0  # fmt: skip
    coach = Browser(server_app).login("coach@example.org")
    page = coach.get("/coach").text
    assert page.index("zoe@example.org") < page.index("amy@example.org")  # due now first
    assert "on this site's server" in page and "stays on this machine" not in page  # a trial
    head = page[page.index("<thead>") : page.index("</thead>")]
    assert '<th scope="col">overdue</th>' in head and '<th scope="col">offers</th>' in head
    assert [c["email"] for c in coach.get("/api/coach").json()["clients"]] == [
        "amy@example.org",
        "zoe@example.org",
    ]  # the API keeps its order
