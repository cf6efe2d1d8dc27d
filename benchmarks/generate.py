"""Fill a followup home with a realistic, deterministic history, through the real store.

    python benchmarks/generate.py --interviews 10000 --home benchmarks/out/home-10k

Interviews spread over the two years before `--now`, 1 to 3 interviewers each, one to four
rounds per application. About 2 % of the interviews — recent last rounds, within the weeks
before `--now` — have a note pending (step 1, 2 or 3, by their age and how prompt the user
was); every other one is `replied` (a sent thank-you, maybe a follow-up, and an inbound
human message), `closed` (three sent notes) or `advanced` (a later round exists).

Every row goes through `SqliteStore`'s own methods, in the order the services would write
them (add, plan, mark sent, re-plan, reply/advance), and every due time comes from the real
planner (`plan_next` under `ARTICLE_POLICY`, with public holidays): `followup agenda` and
`followup show ID` work on the result as on a home filled by hand. Writes are batched,
`--batch` interviews per transaction.

A `benchmark.json` beside the database records the parameters, the counts and the time taken.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import random
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from followup.adapters.holidays import HolidayCalendars
from followup.adapters.store.sqlite import SqliteStore
from followup.app.ports import NewInterviewer
from followup.domain.model import (
    Application,
    Culture,
    Interview,
    Interviewer,
    Note,
    NoteState,
    Sequence,
    Status,
)
from followup.domain.planner import Plan, plan_next
from followup.domain.policy import ARTICLE_POLICY
from followup.domain.workdays import zone as zone_of  # cached: ZoneInfo keeps only 8

GENERATOR_VERSION = 1  # bump when the generated data changes: cached homes are rebuilt
POLICY = ARTICLE_POLICY
PENDING_SHARE = 0.02
HISTORY_DAYS = 730

# (zone, country, top-level domain): where the employers sit.
ZONES = (
    ("Europe/Berlin", "DE", "de"),
    ("Europe/London", "GB", "co.uk"),
    ("Europe/Paris", "FR", "fr"),
    ("Europe/Amsterdam", "NL", "nl"),
    ("Europe/Madrid", "ES", "es"),
    ("Europe/Stockholm", "SE", "se"),
    ("Europe/Zurich", "CH", "ch"),
    ("America/New_York", "US", "com"),
    ("America/Chicago", "US", "com"),
    ("America/Los_Angeles", "US", "com"),
    ("America/Toronto", "CA", "ca"),
    ("America/Sao_Paulo", "BR", "com.br"),
    ("Asia/Tokyo", "JP", "jp"),
    ("Asia/Singapore", "SG", "sg"),
    ("Asia/Kolkata", "IN", "in"),
    ("Australia/Sydney", "AU", "com.au"),
)
_STEMS = (
    "Acme", "Northwind", "Bluefin", "Cobalt", "Helix", "Juniper", "Kestrel", "Lumen",
    "Meridian", "Nimbus", "Orbital", "Pinecone", "Quarry", "Redwood", "Saffron", "Tundra",
    "Umbra", "Vertex", "Willow", "Zephyr", "Atlas", "Beacon", "Cedar", "Delta", "Ember",
    "Fjord", "Granite", "Harbor", "Iris", "Jasper", "Keystone", "Lattice", "Mosaic",
    "Nordlicht", "Onyx", "Prism", "Quill", "Riverbend", "Summit", "Tessera",
)  # fmt: skip
_SECTORS = (
    "Systems", "Analytics", "Labs", "Robotics", "Health", "Logistics", "Bank", "Energy",
    "Software", "Media", "Insurance", "Mobility", "Foods", "Security", "Cloud",
)  # fmt: skip
ROLES = (
    "Backend Engineer", "Senior Backend Engineer", "Frontend Engineer", "Full-Stack Developer",
    "Site Reliability Engineer", "Data Engineer", "Data Scientist", "Machine Learning Engineer",
    "Platform Engineer", "Staff Engineer", "Engineering Manager", "Product Manager",
    "Product Designer", "UX Researcher", "QA Engineer", "Security Engineer",
    "Mobile Developer (iOS)", "Mobile Developer (Android)", "Technical Writer",
    "Solutions Architect", "Developer Advocate", "Database Administrator", "DevOps Engineer",
    "Embedded Software Engineer", "Analytics Engineer", "Support Engineer",
    "Head of Engineering", "Scrum Master", "Business Analyst", "IT Project Manager",
)  # fmt: skip
FIRST_NAMES = (
    "Anna", "Ben", "Chloé", "David", "Elif", "Fatima", "Georg", "Hannah", "Igor", "Julia",
    "Kenji", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tomás",
    "Uma", "Viktor", "Wen", "Xavier", "Yuki", "Zoë", "Aisha", "Björn", "Carla", "Dmitri",
    "Emma", "Felix", "Grace", "Hiro", "Ines", "Jonas", "Karin", "Luis", "Mia", "Noah",
    "Olga", "Pablo", "Ravi", "Sara", "Tariq", "Ulrike", "Vera", "Wojciech", "Yara", "Zainab",
)  # fmt: skip
LAST_NAMES = (
    "Müller", "Smith", "Dubois", "García", "Rossi", "Nowak", "Johansson", "Tanaka", "Singh",
    "O'Brien", "Kowalski", "Schneider", "Martin", "López", "Bianchi", "Jensen", "Yamamoto",
    "Patel", "Murphy", "Fischer", "Bernard", "Fernández", "Romano", "Nielsen", "Suzuki",
    "Sharma", "Kelly", "Weber", "Laurent", "Silva", "Costa", "Hansen", "Kim", "Nguyen",
    "Chen", "Okafor", "Mensah", "Novak", "Horvath", "Popescu", "Ivanova", "Berg", "Lindqvist",
    "Van Dijk", "De Vries", "Kaya", "Demir", "Cohen", "Levi", "Santos",
)  # fmt: skip
TOPICS = (
    "the migration to Kubernetes", "their on-call rotation", "the data pipeline rewrite",
    "how they run design reviews", "the mobile release train", "their testing strategy",
    "scaling the search cluster", "the team's roadmap for next year", "pairing and mentoring",
    "the monolith split", "observability and SLOs", "the hiring plan",
)  # fmt: skip
SKILLS = ("Python", "Go", "PostgreSQL", "TypeScript", "Rust", "Kafka", "Terraform", "SQL")
LOCATIONS = ("Zoom", "Google Meet", "Microsoft Teams", "On-site", "Phone")


@dataclass(frozen=True)
class Company:
    name: str
    domain: str
    culture: Culture
    zone: str
    country: str | None


@dataclass
class Round:
    """One interview to write, with its fate decided up front."""

    app: int  # index into the applications list
    number: int
    start: datetime
    minutes: int
    added_at: datetime
    fate: str = "replied"  # pending | replied | closed | advanced
    advanced_at: datetime | None = None  # when the next round was added
    reply_after_step: int = 1
    application_id: int = 0  # the store's id, once written


@dataclass
class AppSpec:
    company: Company
    role: str
    rounds: list[Round] = field(default_factory=list)
    application: Application | None = None


@dataclass
class Counts:
    applications: int = 0
    interviews: int = 0
    interviewers: int = 0
    notes: int = 0
    sent: int = 0
    pending_notes: int = 0
    inbound: int = 0
    debriefs: int = 0
    fates: dict[str, int] = field(default_factory=dict)
    pending_steps: dict[str, int] = field(default_factory=dict)


def _with(record: Any, **changes: Any) -> Any:
    """A copy with `changes`: the domain's records are NamedTuples (or dataclasses)."""
    if hasattr(record, "_replace"):
        return record._replace(**changes)
    return dataclasses.replace(record, **changes)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum())


def make_companies(rng: random.Random, count: int = 200) -> list[Company]:
    names = [f"{stem} {sector}" for stem in _STEMS for sector in _SECTORS]
    rng.shuffle(names)
    companies = []
    for name in names[:count]:
        zone, country, tld = rng.choice(ZONES)
        culture = rng.choices(list(Culture), weights=(45, 40, 15))[0]
        companies.append(
            Company(
                name=name,
                domain=f"{_ascii(name.split()[0])}-{_ascii(name.split()[1])}.{tld}",
                culture=culture,
                zone=zone,
                country=country if rng.random() < 0.8 else None,
            )
        )
    return companies


def _business_start(rng: random.Random, day: date, zone: str) -> datetime:
    """A start on `day` (moved to a weekday) between 09:00 and 16:45 local, in UTC."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    minutes = 9 * 60 + 15 * rng.randrange(32)
    local = datetime(day.year, day.month, day.day, minutes // 60, minutes % 60)
    return local.replace(tzinfo=zone_of(zone)).astimezone(UTC)


def plan_history(rng: random.Random, n: int, now: datetime) -> tuple[list[AppSpec], list[Round]]:
    """Applications and their rounds (exactly `n`), each round's fate decided."""
    companies = make_companies(rng)
    apps: list[AppSpec] = []
    rounds: list[Round] = []
    latest = now - timedelta(hours=2)
    first_day = (now - timedelta(days=HISTORY_DAYS)).date()
    while len(rounds) < n:
        spec = AppSpec(rng.choice(companies), rng.choice(ROLES))
        wanted = rng.choices((1, 2, 3, 4), weights=(55, 25, 15, 5))[0]
        day = first_day + timedelta(days=rng.randrange(HISTORY_DAYS))
        previous_end: datetime | None = None
        for number in range(1, wanted + 1):
            start = _business_start(rng, day, spec.company.zone)
            if start > latest or len(rounds) >= n:
                break
            minutes = rng.choices((30, 45, 60, 90), weights=(20, 25, 45, 10))[0]
            if previous_end is None:
                added_at = start - timedelta(minutes=rng.randrange(60, 14 * 24 * 60))
            else:
                added_at = previous_end + (start - previous_end) * rng.uniform(0.1, 0.9)
            r = Round(len(apps), number, start, minutes, added_at.replace(microsecond=0))
            if spec.rounds:
                spec.rounds[-1].fate = "advanced"
                spec.rounds[-1].advanced_at = r.added_at
            spec.rounds.append(r)
            rounds.append(r)
            previous_end = start + timedelta(minutes=minutes)
            day = start.date() + timedelta(days=rng.randint(4, 21))
        if spec.rounds:
            apps.append(spec)

    # The pending ones: recent last rounds, most recent window first, ~2 % of all.
    wanted_pending = round(n * PENDING_SHARE)
    last_rounds = [s.rounds[-1] for s in apps]
    window = 28
    while True:
        candidates = [r for r in last_rounds if r.start >= now - timedelta(days=window)]
        if len(candidates) >= wanted_pending or window >= HISTORY_DAYS:
            break
        window += 7
    for r in rng.sample(candidates, min(wanted_pending, len(candidates))):
        r.fate = "pending"
    for r in last_rounds:
        if r.fate == "pending":
            continue
        old_enough = r.start + timedelta(days=35) < now
        r.fate = "closed" if old_enough and rng.random() < 0.35 else "replied"
        r.reply_after_step = 1 if rng.random() < 0.6 else 2
    rounds.sort(key=lambda r: (r.added_at, r.app, r.number))
    return apps, rounds


def _send_delay(rng: random.Random) -> timedelta:
    """How long after a note is due the user records it as sent."""
    roll = rng.random()
    if roll < 0.75:
        return timedelta(minutes=rng.randrange(0, 240))
    if roll < 0.95:
        return timedelta(minutes=rng.randrange(240, 3 * 24 * 60))
    return timedelta(minutes=rng.randrange(3 * 24 * 60, 8 * 24 * 60))


class Writer:
    """Writes one round's whole history the way the services would, through the store."""

    def __init__(self, store: SqliteStore, rng: random.Random, now: datetime) -> None:
        self.store = store
        self.rng = rng
        self.now = now
        self.holidays = HolidayCalendars()
        self.counts = Counts()

    # --- the services' steps, on in-memory copies of what the store holds ---------------
    # `_replan` and `_end` write exactly what `followup.app.services._replan` / `_end` write
    # (keep them in step); `verify()` checks it by running the real `_replan` afterwards.

    def _replan(self, seq: Sequence, at: datetime) -> tuple[Sequence, Plan]:
        store = self.store
        plan = plan_next(seq, POLICY, self.holidays)
        notes = {n.id: n for n in seq.notes}
        pending = {(n.step, n.interviewer_id): n for n in seq.notes if n.state is NoteState.PENDING}
        for planned in plan.notes:
            existing = pending.pop((planned.step, planned.interviewer_id), None)
            if existing is None:
                note_id = store.add_note(seq.interview.id, planned, at)
                notes[note_id] = Note(
                    id=note_id,
                    interview_id=seq.interview.id,
                    interviewer_id=planned.interviewer_id,
                    step=planned.step,
                    kind=planned.kind,
                    state=NoteState.PENDING,
                    earliest_at=planned.earliest_at,
                    due_at=planned.due_at,
                )
                self.counts.notes += 1
            elif (existing.due_at, existing.earliest_at) != (planned.due_at, planned.earliest_at):
                store.reschedule_note(existing.id, planned, at)
                notes[existing.id] = _with(
                    existing, due_at=planned.due_at, earliest_at=planned.earliest_at
                )
        for stale in pending.values():
            store.set_note_state(stale.id, NoteState.CANCELLED, at)
            notes[stale.id] = _with(stale, state=NoteState.CANCELLED)
        interview = seq.interview
        if plan.status is not interview.status:
            store.set_status(interview.id, plan.status, at)
            interview = _with(interview, status=plan.status, status_at=at)
        if plan.notes:
            first = min(plan.notes, key=lambda n: n.due_at)
            store.set_next(interview.id, first.step, first.kind.value, first.due_at)
        else:
            store.set_next(interview.id, None, None, None)
        return _with(seq, interview=interview, notes=tuple(notes.values())), plan

    def _mark_sent(self, seq: Sequence, at: datetime) -> Sequence:
        pending = [n for n in seq.notes if n.state is NoteState.PENDING]
        step = min(n.step for n in pending)
        sent = {}
        for note in pending:
            if note.step == step:
                self.store.set_note_state(note.id, NoteState.SENT, at, sent_at=at)
                sent[note.id] = _with(note, state=NoteState.SENT, sent_at=at)
                self.counts.sent += 1
        seq = _with(seq, notes=tuple(sent.get(n.id, n) for n in seq.notes))
        return self._replan(seq, at)[0]

    def _end(self, seq: Sequence, status: Status, at: datetime, recorded: datetime) -> Sequence:
        for note in seq.notes:
            if note.state is NoteState.PENDING:
                self.store.set_note_state(note.id, NoteState.CANCELLED, recorded)
        self.store.set_status(seq.interview.id, status, at)
        self.store.set_next(seq.interview.id, None, None, None)
        return seq

    def _next_due(self, seq: Sequence) -> tuple[int, datetime] | None:
        pending = [n for n in seq.notes if n.state is NoteState.PENDING]
        if not pending:
            return None
        step = min(n.step for n in pending)
        return step, min(n.due_at for n in pending if n.step == step)

    # --- one round ------------------------------------------------------------------------

    def write(self, spec: AppSpec, r: Round) -> None:
        rng, store, company = self.rng, self.store, spec.company
        if spec.application is None:
            app_id = store.add_application(
                company=company.name,
                role=spec.role,
                culture=company.culture,
                country=company.country,
                domains=[company.domain],
                now=r.added_at,
            )
            spec.application = Application(
                id=app_id,
                company=company.name,
                role=spec.role,
                culture=company.culture,
                country=company.country,
                domains=(company.domain,),
            )
            self.counts.applications += 1
        application = spec.application
        location = rng.choice(LOCATIONS) if rng.random() < 0.7 else None
        interview_id = store.add_interview(
            application_id=application.id,
            start=r.start,
            duration=timedelta(minutes=r.minutes),
            tz=company.zone,
            now=r.added_at,
            location=location,
        )
        self.counts.interviews += 1
        people = []
        for _ in range(rng.choices((1, 2, 3), weights=(50, 35, 15))[0]):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = f"{_ascii(first)}.{_ascii(last)}@{company.domain}"
            tz = rng.choice(ZONES)[0] if rng.random() < 0.15 else None
            person = NewInterviewer(f"{first} {last}", email, tz)
            person_id = store.add_interviewer(interview_id, person)
            people.append(Interviewer(person_id, interview_id, person.name, email, tz))
            self.counts.interviewers += 1
        if rng.random() < 0.3:
            skill = rng.choice(SKILLS)
            for topic in rng.sample(TOPICS, rng.randint(1, 2)):
                store.add_debrief(
                    interview_id=interview_id,
                    interviewer_id=None,
                    topic=topic,
                    skill=skill,
                    now=r.added_at,
                )
                self.counts.debriefs += 1
        interview = Interview(
            id=interview_id,
            application_id=application.id,
            round=r.number,
            start=r.start,
            duration=timedelta(minutes=r.minutes),
            tz=company.zone,
            status=Status.WAITING,
            status_at=r.added_at,
            location=location,
        )
        seq = Sequence(interview, application, tuple(people), ())
        seq, _ = self._replan(seq, r.added_at)
        self._play(seq, r)

    def _play(self, seq: Sequence, r: Round) -> None:
        """Send, reply, advance or leave pending, as the round's fate says."""
        rng, now = self.rng, self.now
        fate = r.fate
        stop = {"advanced": r.advanced_at, "pending": now}.get(fate) or now
        last_event = seq.interview.end
        forced = {"replied": r.reply_after_step, "closed": 3}.get(fate, 0)
        while (nxt := self._next_due(seq)) is not None:
            step, due = nxt
            if fate == "pending" and (step == 3 or rng.random() < 0.2):
                break  # the user has not sent it (yet): pending, maybe overdue or fading
            if fate in ("replied", "closed") and step > forced:
                break
            at = max(due + _send_delay(rng), last_event)
            if at >= stop:
                break
            seq = self._mark_sent(seq, at)
            last_event = at
        if fate == "pending":
            self._count_pending(seq)
        elif fate == "advanced":
            assert r.advanced_at is not None
            self._end(seq, Status.ADVANCED, r.advanced_at, r.advanced_at)
        elif fate == "closed" and self._next_due(seq) is None:
            pass  # the final note went out: `_replan` closed it
        else:  # replied (or a `closed` that could not finish before now)
            span = min(timedelta(days=6 if forced == 1 else 12), now - last_event)
            at = (last_event + span * rng.uniform(0.05, 1.0)).replace(microsecond=0)
            recorded = min(at + timedelta(minutes=rng.randrange(0, 180)), now)
            self.store.add_inbound(
                interview_id=seq.interview.id, classification="human", received_at=at, now=recorded
            )
            self.counts.inbound += 1
            self._end(seq, Status.REPLIED, at, recorded)
            fate = "replied"
        self.counts.fates[fate] = self.counts.fates.get(fate, 0) + 1

    def _count_pending(self, seq: Sequence) -> None:
        pending = [n for n in seq.notes if n.state is NoteState.PENDING]
        assert pending, "a pending round must keep a pending note"
        self.counts.pending_notes += len(pending)
        key = f"step{min(n.step for n in pending)}"
        self.counts.pending_steps[key] = self.counts.pending_steps.get(key, 0) + 1


def _batches(items: list[Round], size: int) -> Iterator[list[Round]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def schema_fingerprint() -> dict[str, str]:
    """Each bundled migration's digest: the schema a generated home was written with."""
    from followup.adapters.store.sqlite import migrations

    return {
        f"{version:04d}_{name}": hashlib.sha256(sql.encode()).hexdigest()[:16]
        for version, name, sql in migrations()
    }


def reusable(manifest: dict[str, object], n: int, seed: int, now: str) -> bool:
    """A cached home still stands for what this generator would write now.

    Same generator version and parameters, and every migration it was written with is
    unchanged. Migrations added since are the app's own upgrade path: the app applies them
    when it opens the home (and `verify` then checks the result against the services).
    """
    recorded = manifest.get("migrations")
    current = schema_fingerprint()
    return (
        manifest.get("generator") == GENERATOR_VERSION
        and manifest.get("interviews") == n
        and manifest.get("seed") == seed
        and manifest.get("now") == now
        and isinstance(recorded, dict)
        and all(current.get(name) == digest for name, digest in recorded.items())
    )


def generate(
    home: Path, n: int, seed: int, now: datetime, batch: int, quiet: bool = False
) -> dict[str, object]:
    db = home / "followup.db"
    home.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rng = random.Random(seed)
    apps, rounds = plan_history(rng, n, now)
    planned_s = time.perf_counter() - started
    if not quiet:
        print(
            f"planned {n:,} interviews in {len(apps):,} applications ({planned_s:.1f} s)",
            file=sys.stderr,
        )
    store = SqliteStore(db)
    writer = Writer(store, rng, now)
    done = 0
    for chunk in _batches(rounds, batch):
        with store.transaction():
            for r in chunk:
                writer.write(apps[r.app], r)
        done += len(chunk)
        if not quiet:
            elapsed = time.perf_counter() - started
            print(
                f"  {done:>10,} / {n:,} interviews  {elapsed:7.1f} s  ({done / elapsed:,.0f}/s)",
                file=sys.stderr,
                flush=True,
            )
    store.close()  # the last connection folds the WAL into the database file
    elapsed = time.perf_counter() - started
    c = writer.counts
    manifest: dict[str, object] = {
        "generator": GENERATOR_VERSION,
        "migrations": schema_fingerprint(),
        "interviews": n,
        "seed": seed,
        "now": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "batch": batch,
        "elapsed_s": round(elapsed, 1),
        "db_bytes": db.stat().st_size,
        "counts": {
            "applications": c.applications,
            "interviews": c.interviews,
            "interviewers": c.interviewers,
            "notes": c.notes,
            "notes_sent": c.sent,
            "notes_pending": c.pending_notes,
            "interviews_pending": c.fates.get("pending", 0),
            "inbound": c.inbound,
            "debriefs": c.debriefs,
            "fates": dict(sorted(c.fates.items())),
            "pending_by_step": dict(sorted(c.pending_steps.items())),
        },
    }
    (home / "benchmark.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


class _Rollback(Exception):
    pass


def upgrade(home: Path) -> None:
    """Open the home once, as the app would: migrations added since it was written apply."""
    SqliteStore(home / "followup.db").close()


def _cli(home: Path, now: datetime, *args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("followup")
    env = {**os.environ, "FOLLOWUP_NOW": now.strftime("%Y-%m-%dT%H:%M:%SZ")}
    env.pop("FOLLOWUP_HOME", None)
    return subprocess.run(
        [str(exe) if exe.exists() else "followup", "--home", str(home), *args],
        env=env,
        capture_output=True,
        text=True,
    )


def verify(home: Path, now: datetime, sample: int, seed: int) -> dict[str, object]:
    """Check the home against the app itself.

    1. The real `services._replan` changes no row: every open interview and `sample` others
       at random are re-planned by the service inside one transaction that is rolled back;
       a row that would change means the generator wrote something the app would not have.
    2. The CLI (`agenda --json`) lists exactly the open interviews, and `agenda` and
       `show ID --json` (one interview of each status) succeed.
    """
    from followup.adapters.clock import FixedClock
    from followup.app import services
    from followup.bootstrap import open_context

    ctx = open_context(home, clock=FixedClock(now))
    store = ctx.store
    assert isinstance(store, SqliteStore)

    def snapshot(interview_id: int) -> list[object]:
        return [
            *store._all("SELECT * FROM interviews WHERE id = ?", (interview_id,)),
            *store._all("SELECT * FROM notes WHERE interview_id = ? ORDER BY id", (interview_id,)),
        ]

    last = int(store._one("SELECT MAX(id) FROM interviews")[0])
    open_ids = {r[0] for r in store._all("SELECT id FROM interviews WHERE status = 'waiting'")}
    rng = random.Random(seed)
    ids = sorted({*open_ids, *rng.sample(range(1, last + 1), min(sample, last))})
    problems: list[str] = []
    try:
        with store.transaction():
            for interview_id in ids:
                before = snapshot(interview_id)
                services._replan(ctx, interview_id, now)
                after = snapshot(interview_id)
                if after != before:
                    rows = [(b, a) for b, a in zip(before, after, strict=False) if a != b]
                    problems.append(f"interview {interview_id}: the app would write {rows[:2]}")
            raise _Rollback
    except _Rollback:
        pass
    firsts = {
        status: row[0]
        for status, row in (
            (s, store._one("SELECT MIN(id) FROM interviews WHERE status = ?", (s.value,)))
            for s in Status
        )
        if row and row[0] is not None
    }
    store.close()

    listed = _cli(home, now, "agenda", "--json")
    states: dict[str, int] = {}
    if listed.returncode:
        problems.append(f"agenda --json failed: {listed.stderr.strip()}")
    else:
        items = json.loads(listed.stdout)
        if {i["interview_id"] for i in items} != open_ids:
            problems.append(f"agenda --json lists {len(items)} interviews, {len(open_ids)} open")
        for i in items:
            key = "fading" if i["fading"] else i["state"]
            states[key] = states.get(key, 0) + 1
    text = _cli(home, now, "agenda")
    if text.returncode:
        problems.append(f"agenda failed: {text.stderr.strip()}")
    for status, interview_id in firsts.items():
        shown = _cli(home, now, "show", str(interview_id), "--json")
        if shown.returncode or json.loads(shown.stdout).get("status") != status.value:
            problems.append(f"show {interview_id} ({status.value}) failed: {shown.stderr.strip()}")
    for problem in problems[:5]:
        print(problem, file=sys.stderr)
    return {"checked": len(ids), "differing": len(problems), "agenda": dict(sorted(states.items()))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interviews", type=int, default=0, metavar="N")
    parser.add_argument("--home", type=Path, required=True, metavar="DIR")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--now",
        metavar="ISO",
        help="the generated history ends here (default: now, to the minute); run the app"
        " with FOLLOWUP_NOW set to it to see the agenda as of then",
    )
    parser.add_argument("--batch", type=int, default=5000, help="interviews per transaction")
    parser.add_argument("--timezone", default="Europe/Berlin", help="the user's zone (config)")
    parser.add_argument("--force", action="store_true", help="replace an existing database")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument(
        "--verify",
        type=int,
        default=2000,
        metavar="K",
        help="afterwards, re-plan every open interview and K others with the real service"
        " and fail if any row would change (0: skip)",
    )
    parser.add_argument(
        "--verify-only", action="store_true", help="check an existing home; generate nothing"
    )
    args = parser.parse_args(argv)
    if args.verify_only:
        manifest = json.loads((args.home / "benchmark.json").read_text())
        upgrade(args.home)
        return _verify(args.home, manifest, args.verify or 2000)
    if args.interviews < 1:
        parser.error("--interviews N (at least 1) is required")
    if args.now:
        now = datetime.fromisoformat(args.now)
        if now.tzinfo is None:
            parser.error("--now needs an offset or Z, e.g. 2026-11-25T12:00:00Z")
        now = now.astimezone(UTC).replace(microsecond=0)
    else:
        now = datetime.now(UTC).replace(second=0, microsecond=0)
    db = args.home / "followup.db"
    if db.exists():
        if not args.force:
            parser.error(f"{db} exists: pass --force to replace it")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    args.home.mkdir(parents=True, exist_ok=True)
    config = args.home / "config.toml"
    if not config.exists():
        config.write_text(f'timezone = "{args.timezone}"\n', "utf-8")
    manifest = generate(args.home, args.interviews, args.seed, now, args.batch, args.quiet)
    counts = manifest["counts"]
    assert isinstance(counts, dict)
    megabytes = db.stat().st_size / 1e6
    print(
        f"{args.interviews:,} interviews in {manifest['elapsed_s']} s:"
        f" {counts['interviews_pending']:,} pending ({counts['notes_pending']:,} notes),"
        f" {counts['fates']}; {megabytes:.1f} MB at {db}"
    )
    return _verify(args.home, manifest, args.verify) if args.verify else 0


def _verify(home: Path, manifest: dict[str, object], sample: int) -> int:
    started = time.perf_counter()
    now = datetime.fromisoformat(str(manifest["now"])).astimezone(UTC)
    report = verify(home, now, sample, int(str(manifest["seed"])))
    print(
        f"verified {report['checked']:,} interviews against services._replan and the CLI in"
        f" {time.perf_counter() - started:.1f} s: {report['differing']} problems;"
        f" agenda {report['agenda']}"
    )
    manifest["verified"] = report
    (home / "benchmark.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return 1 if report["differing"] else 0


if __name__ == "__main__":
    sys.exit(main())
