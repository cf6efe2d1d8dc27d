"""A store in memory: every store port, for unit tests that need no database file.

A real adapter, not a stub: it passes the same contract suites as SQLite and PostgreSQL
(tests/contract/). Rows are kept as the SQL store keeps them (the same columns, instants as
"YYYY-MM-DDTHH:MM:SSZ" text, so that text order is time order) and read back through the
SQL store's row mappers; each query below says in Python what its SQL twin in sqlstore.py
says. A transaction works on the live rows and puts a copy taken at its start back on any
exception: all or nothing, as in a database. One thread at a time.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from followup.adapters.store.sqlstore import (
    NOTE_PRIVATE,
    TABLES,
    _application,
    _interview,
    _note,
    _opt_dt,
    from_db,
    to_db,
)
from followup.app.rows import (
    ROUNDS_BETWEEN,
    AgendaRow,
    ApplicationRecord,
    ApplicationRow,
    Approval,
    BoardFilter,
    BoardPerson,
    BoardRow,
    BouncedRow,
    Claim,
    DebriefRecord,
    EndedRow,
    Event,
    ExportedEvent,
    ExportRows,
    ExportStream,
    FailedRow,
    FeedNote,
    InboundRecord,
    InterviewerRecord,
    InterviewRecord,
    InterviewRow,
    InterviewState,
    NewInterviewer,
    NoteRecord,
    NoteText,
    Outcome,
    Quantiles,
    Ranks,
    RateRow,
    SequenceRows,
    same_name,
)
from followup.app.stats import quantiles, rate_rows
from followup.domain import search
from followup.domain.board import BoardKey
from followup.domain.model import (
    Application,
    Culture,
    Interview,
    Interviewer,
    Note,
    NoteState,
    Status,
)
from followup.domain.planner import PlannedNote, RiskCutoffs, RoundHeld, notes_by_step
from followup.domain.policy import ARTICLE_POLICY, Anchor, Policy, Step

if TYPE_CHECKING:
    from followup.app.ports import EventRow

Row = dict[str, Any]

# The columns the SQL store's mappers read, in their order.
_APPLICATION = ("id", "company", "role", "culture", "country", "domains", "tone")
_INTERVIEW = (
    "id",
    "application_id",
    "round",
    "start_at",
    "duration_min",
    "tz",
    "status",
    "expect_by",
    "defer_until",
    "status_at",
    "location",
)
_NOTE = (
    "id",
    "interview_id",
    "interviewer_id",
    "step",
    "kind",
    "state",
    "earliest_at",
    "due_at",
    "sent_at",
    "message_id",
    "approved_at",
)
# A note's columns that never leave the machine (not in NoteRecord): null when written.
_NOTE_PRIVATE = NOTE_PRIVATE
_SENDER_STATUSES = ("waiting", "closed", "replied")  # whose mail counts (issue #15)
_ENDED = ("replied", "closed", "advanced", "rejected", "role-closed", "offer")


def _pick(row: Row, columns: Sequence[str]) -> list[Any]:
    return [row[c] for c in columns]


def _as_event(r: Row) -> Event:
    return Event(
        id=r["id"],
        interview_id=r["interview_id"],
        at=from_db(r["happened_at"]),
        source=r["source"],
        kind=r["kind"],
        summary=r["summary"],
        detail=copy.deepcopy(r["detail"]),
        undoable=r["prior_state"] is not None,
        undone_by=r["undone_by"],
    )


def _seconds(elapsed: timedelta) -> int:
    return elapsed // timedelta(seconds=1)  # the stored instants are whole seconds


class _Kept(NamedTuple):
    step: int
    kind: str
    interviewer_id: int | None
    id: int


def _kinds_policy(kinds: Sequence[str]) -> Policy:
    """A policy with these kinds as its steps: what `notes_by_step` reads of one."""
    steps = tuple(
        Step(k, kind, timedelta(0), Anchor.INTERVIEW_END) for k, kind in enumerate(kinds, 1)
    )
    return ARTICLE_POLICY._replace(steps=steps, max_notes=len(steps))


def _copied(state: InterviewState | None) -> InterviewState | None:
    """An interview's rows (an event's `prior_state`) copied, as `copy.deepcopy` would but
    about ten times as fast (a CSV import keeps one per change it makes): a row's values are
    text, numbers, None or enum members, which a copy shares."""
    if state is None:
        return None
    return {t: [dict(r) for r in rows] for t, rows in state.items()}


def _opt_db(dt: datetime | None) -> str | None:
    return to_db(dt) if dt else None


class MemoryStore:
    """Every store port over dicts of rows (see the module doc)."""

    def __init__(self, *, staging: bool = False) -> None:
        # a staging store (`staging()`) keeps no copy to roll back to: whatever it holds is
        # written, or not, inside the real store's transaction, which is all or nothing
        self._staging = staging
        self._db: dict[str, Any] = {
            **{table: {} for table in TABLES},  # table -> id -> row
            "events": {},
            "mail_sync": {},  # (account, folder) -> (uidvalidity, last_uid)
            "calendar_published": {},  # note id -> row
            "install_id": None,
            "planned_policy": None,
            "last_replan": None,
        }
        self._depth = 0
        self._scratch: dict[str, dict[int, int]] = {}  # an import's working memory
        self._stash: list[tuple[str, int, bytes]] = []  # and the rows it keeps (stash)

    # --- plumbing -----------------------------------------------------------------------

    def snapshot(self) -> AbstractContextManager[None]:
        """One consistent read: nothing else writes to this store meanwhile (one thread)."""
        return self.transaction()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: the rows as they were are put back on any exception; nested
        uses join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        before = None if self._staging else copy.deepcopy(self._db)
        self._depth = 1
        try:
            yield
        except BaseException:
            if before is not None:
                self._db = before
            raise
        finally:
            self._depth = 0

    def _table(self, name: str) -> dict[int, Row]:
        table: dict[int, Row] = self._db[name]
        return table

    def _add(self, name: str, row: Row) -> int:
        """A new row with the next id (as SQLite gives it: one more than the largest)."""
        table = self._table(name)
        new_id = max(table, default=0) + 1
        table[new_id] = {"id": new_id, **row}
        return new_id

    def _rows(self, name: str) -> list[Row]:
        """The table's rows in id order."""
        table = self._table(name)
        return [table[k] for k in sorted(table)]

    def _app_of(self, interview: Row) -> Row:
        return self._table("applications")[interview["application_id"]]

    # --- SequenceStore --------------------------------------------------------------------

    def add_application(
        self,
        *,
        company: str,
        role: str,
        culture: Culture,
        country: str | None,
        domains: Sequence[str],
        now: datetime,
    ) -> int:
        return self._add(
            "applications",
            {
                "company": company,
                "role": role,
                "culture": culture.value,
                "country": country,
                "domains": " ".join(domains),
                "tone": None,
                "created_at": to_db(now),
            },
        )

    def get_application(self, application_id: int) -> Application | None:
        row = self._table("applications").get(application_id)
        return _application(_pick(row, _APPLICATION)) if row else None

    def add_interview(
        self,
        *,
        application_id: int,
        start: datetime,
        duration: timedelta,
        tz: str,
        now: datetime,
        location: str | None = None,
        description: str | None = None,
    ) -> int:
        rounds = [
            r["round"]
            for r in self._table("interviews").values()
            if r["application_id"] == application_id
        ]
        return self._add(
            "interviews",
            {
                "application_id": application_id,
                "round": max(rounds, default=0) + 1,
                "start_at": to_db(start),
                "end_at": to_db(start + duration),
                "duration_min": int(duration / timedelta(minutes=1)),
                "tz": tz,
                "status": Status.WAITING.value,
                "status_at": to_db(now),
                "expect_by": None,
                "defer_until": None,
                "location": location,
                "description": description,
                "ics_uid": None,
                "ics_sequence": None,
                "ics_organizer": None,
                "next_step": None,
                "next_kind": None,
                "next_due_at": None,
                "created_at": to_db(now),
            },
        )

    def get_interview(self, interview_id: int) -> Interview | None:
        row = self._table("interviews").get(interview_id)
        return _interview(_pick(row, _INTERVIEW)) if row else None

    def interviews_of_application(self, application_id: int) -> list[Interview]:
        rows = [r for r in self._rows("interviews") if r["application_id"] == application_id]
        return [_interview(_pick(r, _INTERVIEW)) for r in sorted(rows, key=lambda r: r["round"])]

    def latest_round(self, application_id: int) -> Interview | None:
        rounds = self.interviews_of_application(application_id)
        return rounds[-1] if rounds else None

    def rounds_between(
        self, application_id: int, after: datetime, until: datetime
    ) -> list[Interview]:
        rounds = [
            r
            for r in self.interviews_of_application(application_id)
            if after < r.start <= until and r.status is not Status.CANCELLED
        ]
        return sorted(rounds, key=lambda r: (r.start, r.id))[:ROUNDS_BETWEEN]

    def rounds_at(self, application_id: int, start: datetime) -> list[Interview]:
        return [i for i in self.interviews_of_application(application_id) if i.start == start]

    def applications(self, limit: int) -> list[ApplicationRow]:
        rounds: dict[int, int] = {}
        for r in self._rows("interviews"):
            rounds[r["application_id"]] = max(rounds.get(r["application_id"], 0), r["round"])
        newest = sorted(self._rows("applications"), key=lambda r: r["id"], reverse=True)
        return [
            ApplicationRow(_application(_pick(r, _APPLICATION)), rounds.get(r["id"], 0))
            for r in newest[:limit]
        ]

    def _update(self, name: str, row_id: int, **values: Any) -> None:
        row = self._table(name).get(row_id)
        if row is not None:
            row.update(values)

    def set_status(self, interview_id: int, status: Status, at: datetime) -> None:
        self._update("interviews", interview_id, status=status.value, status_at=to_db(at))

    def set_expect_by(self, interview_id: int, by: date | None) -> None:
        self._update("interviews", interview_id, expect_by=by.isoformat() if by else None)

    def set_defer_until(self, interview_id: int, until: datetime | None) -> None:
        self._update("interviews", interview_id, defer_until=_opt_db(until))

    def list_interviews(
        self, statuses: Sequence[Status] = (), limit: int | None = None, after: int | None = None
    ) -> list[InterviewRow]:
        wanted = {s.value for s in statuses}
        rows = [r for r in self._rows("interviews") if not wanted or r["status"] in wanted]
        rows.sort(key=lambda r: (r["start_at"], r["id"]), reverse=True)
        if after is not None:
            mark = [(r["start_at"], r["id"]) for r in self._rows("interviews") if r["id"] == after]
            rows = [r for r in rows if mark and (r["start_at"], r["id"]) < mark[0]]
        return [
            InterviewRow(
                _interview(_pick(r, _INTERVIEW)),
                _application(_pick(self._app_of(r), _APPLICATION)),
            )
            for r in rows[:limit]
        ]

    # --- the board of applications ------------------------------------------------------

    def _latest_rows(self) -> list[tuple[Row, Row]]:
        """(application, its highest round) pairs, newest application first."""
        latest: dict[int, Row] = {}
        for r in self._rows("interviews"):
            held = latest.get(r["application_id"])
            if held is None or r["round"] > held["round"]:
                latest[r["application_id"]] = r
        apps = self._table("applications")
        return [(apps[a], latest[a]) for a in sorted(latest, reverse=True)]

    def _board_matches(self, key: BoardKey, i: Row, now: datetime) -> bool:
        if i["status"] != key.status.value:
            return False
        ahead = i["round"] > 1 and i["start_at"] > to_db(now)
        if key.ahead is not None and ahead != key.ahead:
            return False
        proposed = self._last_inbound(i["id"]) == "scheduling"
        return key.proposed is None or proposed == key.proposed

    def _board_chosen(self, chosen: BoardFilter, a: Row, i: Row) -> bool:
        if chosen.culture is not None and a["culture"] != chosen.culture:
            return False
        if chosen.tone is not None and not (
            a["tone"] == chosen.tone or (a["tone"] is None and a["culture"] in chosen.tone_cultures)
        ):
            return False
        if chosen.due_by is not None and not (
            i["status"] == "waiting"
            and i["next_due_at"] is not None
            and i["next_due_at"] <= to_db(chosen.due_by)
        ):
            return False
        wanted = search.words(chosen.text)
        if not wanted:
            return True
        rounds = {r["id"] for r in self._rows("interviews") if r["application_id"] == a["id"]}
        # what the SQL stores keep in board_latest.search (migration 0029)
        said = [a["company"], a["role"]] + [
            f"{p['name']}\n{p['email'] or ''}"
            for p in self._rows("interviewers")
            if p["interview_id"] in rounds and p.get("removed_at") is None
        ]
        text = search.ascii_lower("\n".join(said))[: search.LONGEST]  # as migration 0029 keeps it
        return all(search.ascii_lower(word) in text for word in wanted)

    def board_columns(
        self,
        columns: Sequence[Sequence[BoardKey]],
        chosen: BoardFilter,
        now: datetime,
        limit: int,
        after: int | None = None,
    ) -> list[list[BoardRow]]:
        return [self._board_page(keys, chosen, now, limit, after) for keys in columns]

    def _board_page(
        self,
        keys: Sequence[BoardKey],
        chosen: BoardFilter,
        now: datetime,
        limit: int,
        after: int | None,
    ) -> list[BoardRow]:
        found: list[BoardRow] = []
        for a, i in self._latest_rows():
            if len(found) == limit:
                break
            if after is not None and a["id"] >= after:
                continue
            if not any(self._board_matches(k, i, now) for k in keys):
                continue
            if self._board_chosen(chosen, a, i):
                found.append(
                    BoardRow(
                        _application(_pick(a, _APPLICATION)),
                        _interview(_pick(i, _INTERVIEW)),
                        self._last_inbound(i["id"]) == "scheduling",
                        i["next_kind"],
                        _opt_dt(i["next_due_at"]),
                    )
                )
        return found

    def board_counts(
        self, keys: Sequence[Sequence[BoardKey]], chosen: BoardFilter, now: datetime
    ) -> list[int]:
        counts = [0] * len(keys)
        for a, i in self._latest_rows():
            if not self._board_chosen(chosen, a, i):
                continue
            for n, group in enumerate(keys):
                if any(self._board_matches(k, i, now) for k in group):
                    counts[n] += 1
        return counts

    def board_read(
        self,
        columns: Sequence[Sequence[BoardKey]],
        chosen: BoardFilter,
        now: datetime,
        limit: int,
        after: int | None = None,
    ) -> tuple[list[int], list[list[BoardRow]]]:
        pages = self.board_columns(columns, chosen, now, limit, after)
        return self.board_counts(columns, chosen, now), pages

    def board_people(self, application_ids: Sequence[int]) -> list[BoardPerson]:
        wanted = set(application_ids)
        rounds = {r["id"]: r for r in self._rows("interviews") if r["application_id"] in wanted}
        found = [
            BoardPerson(
                rounds[p["interview_id"]]["application_id"],
                p["interview_id"],
                p["id"],
                p["name"],
                p["email"],
            )
            for p in self._rows("interviewers")
            if p["interview_id"] in rounds and p.get("removed_at") is None
        ]
        found.sort(
            key=lambda p: (p.application_id, rounds[p.interview_id]["round"], p.interviewer_id)
        )
        return found

    def _next_step_pending(self, interview_ids: Sequence[int]) -> Iterator[dict[str, Any]]:
        """The pending notes of each interview's next step (what the board shows of it)."""
        wanted = set(interview_ids)
        interviews = self._table("interviews")
        for n in self._rows("notes"):
            i = interviews.get(n["interview_id"])
            if (
                i is not None
                and n["interview_id"] in wanted
                and n["state"] == "pending"
                and n["step"] == i["next_step"]
            ):
                yield n

    def pending_recipients(self, interview_ids: Sequence[int]) -> dict[int, list[int]]:
        found: dict[int, list[int]] = {}
        for n in self._next_step_pending(interview_ids):
            if n["interviewer_id"] is not None:
                found.setdefault(n["interview_id"], []).append(n["interviewer_id"])
        return {k: sorted(v) for k, v in sorted(found.items())}

    def approved_next(self, interview_ids: Sequence[int]) -> set[int]:
        seen: set[int] = set()
        unapproved: set[int] = set()
        for n in self._next_step_pending(interview_ids):
            seen.add(n["interview_id"])
            if n["approved_at"] is None:
                unapproved.add(n["interview_id"])
        return seen - unapproved

    def dismiss_notes(self, note_ids: Sequence[int], at: datetime) -> None:
        for note_id in note_ids:
            row = self._table("notes").get(note_id)
            if row is not None and row["state"] == NoteState.FAILED.value:
                row["dismissed_at"] = to_db(at)

    def failed_recipients(
        self, interview_ids: Sequence[int]
    ) -> dict[int, list[tuple[str, int | None]]]:
        wanted = set(interview_ids)
        found: dict[int, list[tuple[str, int | None]]] = {}
        notes = sorted(self._rows("notes"), key=lambda n: (n["interview_id"], n["step"], n["id"]))
        for n in notes:
            if n["interview_id"] in wanted and n["state"] == "failed" and not n.get("dismissed_at"):
                found.setdefault(n["interview_id"], []).append((n["kind"], n["interviewer_id"]))
        return found

    def add_interviewer(self, interview_id: int, person: NewInterviewer) -> int:
        return self._add(
            "interviewers",
            {
                "interview_id": interview_id,
                "name": person.name,
                "email": person.email,
                "tz": person.tz,
                "bounced_at": None,
                "is_primary": person.primary,
                "greet_as": None,
                "removed_at": None,
            },
        )

    def interviewers(self, interview_id: int) -> list[Interviewer]:
        return [
            Interviewer(
                r["id"],
                r["interview_id"],
                r["name"],
                r["email"],
                r["tz"],
                r["is_primary"],
                r["greet_as"],
                r.get("removed_at") is not None,
            )
            for r in self._rows("interviewers")
            if r["interview_id"] == interview_id
        ]

    def set_primary(self, interview_id: int, interviewer_id: int) -> None:
        for r in self._rows("interviewers"):
            if r["interview_id"] == interview_id:
                r["is_primary"] = r["id"] == interviewer_id

    def set_greeting(self, interviewer_id: int, greet_as: str | None) -> None:
        self._table("interviewers")[interviewer_id]["greet_as"] = greet_as

    def edit_interview(
        self,
        interview_id: int,
        *,
        start: datetime,
        duration: timedelta,
        tz: str,
        location: str | None,
    ) -> None:
        self._update(
            "interviews",
            interview_id,
            start_at=to_db(start),
            end_at=to_db(start + duration),
            duration_min=int(duration / timedelta(minutes=1)),
            tz=tz,
            location=location,
        )

    def edit_application(
        self,
        application_id: int,
        *,
        company: str,
        role: str,
        culture: Culture,
        country: str | None,
    ) -> None:
        self._update(
            "applications",
            application_id,
            company=company,
            role=role,
            culture=culture.value,
            country=country,
        )

    def remove_interviewer(self, interviewer_id: int, at: datetime) -> None:
        row = self._table("interviewers")[interviewer_id]
        row["removed_at"], row["is_primary"] = to_db(at), False

    def delete_interviewer(self, interviewer_id: int) -> None:
        del self._table("interviewers")[interviewer_id]

    def restore_interviewer(self, interviewer_id: int, person: NewInterviewer) -> None:
        row = self._table("interviewers")[interviewer_id]
        row.update(removed_at=None, is_primary=False, name=person.name, tz=person.tz)

    def correct_interviewer(self, interviewer_id: int, name: str, email: str | None) -> None:
        row = self._table("interviewers")[interviewer_id]
        if row["email"] != email:
            row["bounced_at"] = None
        row.update(name=name, email=email)

    # --- HistoryStore -----------------------------------------------------------------

    def add_event(
        self,
        interview_id: int,
        at: datetime,
        source: str,
        kind: str,
        summary: str,
        detail: dict[str, Any] | None,
        prior_state: InterviewState | None,
    ) -> int:
        return self._add(
            "events",
            {
                "interview_id": interview_id,
                "happened_at": to_db(at),
                "source": source,
                "kind": kind,
                "summary": summary,
                "detail": copy.deepcopy(detail),
                "prior_state": _copied(prior_state),
                "undone_by": None,
            },
        )

    def _event_rows(self, interview_id: int) -> list[Row]:
        return [r for r in self._rows("events") if r["interview_id"] == interview_id]

    def events(self, interview_id: int) -> list[Event]:
        return [_as_event(r) for r in self._event_rows(interview_id)]

    def all_events(self) -> list[Event]:
        rows = sorted(self._rows("events"), key=lambda r: (r["interview_id"], r["id"]))
        return [_as_event(r) for r in rows]

    def last_event(self, interview_id: int, passing_over: Sequence[str]) -> Event | None:
        live = [
            r
            for r in self._event_rows(interview_id)
            if r["undone_by"] is None and r["kind"] not in passing_over
        ]
        return _as_event(live[-1]) if live else None

    def prior_state(self, event_id: int) -> InterviewState | None:
        row = self._table("events").get(event_id)
        return None if row is None else _copied(row["prior_state"])

    def set_undone(self, event_id: int, by: int) -> None:
        self._table("events")[event_id]["undone_by"] = by

    def set_prior_state(self, event_id: int, prior_state: InterviewState) -> None:
        self._table("events")[event_id]["prior_state"] = _copied(prior_state)

    def _state_rows(self, interview_id: int) -> dict[str, list[Row]]:
        interview = self._table("interviews")[interview_id]
        found: dict[str, list[Row]] = {
            "applications": [self._table("applications")[interview["application_id"]]],
            "interviews": [interview],
        }
        for table in ("interviewers", "notes", "debriefs", "inbound_messages"):
            found[table] = [r for r in self._rows(table) if r["interview_id"] == interview_id]
        return found

    def interview_state(self, interview_id: int) -> InterviewState:
        state: InterviewState = {
            table: [{k: v for k, v in r.items() if k not in _NOTE_PRIVATE} for r in rows]
            for table, rows in self._state_rows(interview_id).items()
        }
        for row in state.get("notes", []):
            row.setdefault("dismissed_at", None)  # every column, as SQL's SELECT * has it
        return state

    def put_interview_state(self, interview_id: int, state: InterviewState) -> None:
        published = self._db["calendar_published"]
        for table, rows in self._state_rows(interview_id).items():
            wanted = {int(r["id"]): r for r in state.get(table, [])}
            live = self._table(table)
            for row in rows:
                if row["id"] in wanted:
                    continue
                if table == "notes" and row["id"] in published:
                    row["state"] = NoteState.CANCELLED.value
                else:
                    del live[row["id"]]
            for row_id, row in wanted.items():
                live.setdefault(row_id, {}).update(copy.deepcopy(row))
        for note in self._rows("notes"):
            if note["interview_id"] == interview_id:
                note.update(dict.fromkeys(_NOTE_PRIVATE))

    def _notes_where(self, keep: Any) -> list[Note]:
        return [_note(_pick(r, _NOTE)) for r in self._rows("notes") if keep(r)]

    def notes(self, interview_id: int) -> list[Note]:
        found = self._notes_where(lambda r: r["interview_id"] == interview_id)
        return sorted(found, key=lambda n: (n.step, n.id))

    def get_note(self, note_id: int) -> Note | None:
        row = self._table("notes").get(note_id)
        return _note(_pick(row, _NOTE)) if row else None

    def add_note(self, interview_id: int, planned: PlannedNote, now: datetime) -> int:
        return self._add(
            "notes",
            {
                "interview_id": interview_id,
                "interviewer_id": planned.interviewer_id,
                "step": planned.step,
                "kind": planned.kind,
                "state": NoteState.PENDING.value,
                "earliest_at": to_db(planned.earliest_at),
                "due_at": to_db(planned.due_at),
                "sent_at": None,
                "message_id": None,
                "subject": None,
                "body": None,
                "attempts": 0,
                "last_error": None,
                "updated_at": to_db(now),
                "edited_at": None,
                "drafted_at": None,
                "dismissed_at": None,
                **dict.fromkeys(_NOTE_PRIVATE),
            },
        )

    def _pending(self, note_id: int) -> Row | None:
        row = self._table("notes").get(note_id)
        return row if row is not None and row["state"] == NoteState.PENDING.value else None

    def reschedule_note(self, note_id: int, planned: PlannedNote, now: datetime) -> None:
        row = self._pending(note_id)
        if row is not None:
            row.update(
                step=planned.step,
                kind=planned.kind,
                earliest_at=to_db(planned.earliest_at),
                due_at=to_db(planned.due_at),
                updated_at=to_db(now),
            )

    def set_note_state(
        self, note_id: int, state: NoteState, now: datetime, sent_at: datetime | None = None
    ) -> None:
        row = self._pending(note_id)
        if row is not None:
            row.update(state=state.value, updated_at=to_db(now))
            if sent_at:
                row["sent_at"] = to_db(sent_at)

    def set_next(
        self, interview_id: int, step: int | None, kind: str | None, due_at: datetime | None
    ) -> None:
        self._update(
            "interviews", interview_id, next_step=step, next_kind=kind, next_due_at=_opt_db(due_at)
        )

    # --- AgendaStore ----------------------------------------------------------------------

    def _risk(self, row: Row, cutoffs: RiskCutoffs) -> int | None:
        """The agenda class of an interview (0 fading, 1 overdue, 2 due, 3 upcoming), or
        None when it is not on the agenda: sqlstore's _CLASSES."""
        due = row["next_due_at"]
        if row["status"] != Status.WAITING.value or due is None:
            return None
        fading_end = to_db(cutoffs.fading_if_ended_by)
        if row["next_step"] == 1 and row["end_at"] <= fading_end and due <= to_db(cutoffs.now):
            return 0
        if due <= to_db(cutoffs.overdue_if_due_by):
            return 1
        return 2 if due <= to_db(cutoffs.now) else 3

    def agenda_page(
        self, cutoffs: RiskCutoffs, limit: int | None, only: int | None = None
    ) -> list[AgendaRow]:
        ranked = sorted(
            (risk, r["next_due_at"], r["id"], r)
            for r in self._rows("interviews")
            if (risk := self._risk(r, cutoffs)) is not None and only in (None, risk)
        )
        page = [r for *_, r in ranked[:limit]]
        recipients, scheduled, emails = self._recipients([r["id"] for r in page])
        out = []
        for r in page:
            app = self._app_of(r)
            out.append(
                AgendaRow(
                    interview_id=r["id"],
                    application_id=r["application_id"],
                    company=app["company"],
                    role=app["role"],
                    step=r["next_step"],
                    kind=r["next_kind"],
                    due_at=from_db(r["next_due_at"]),
                    interview_start=from_db(r["start_at"]),
                    interview_end=from_db(r["end_at"]),
                    tz=r["tz"],
                    recipients=tuple(recipients.get(r["id"], ())),
                    emails=tuple(emails.get(r["id"], ())),
                    scheduled=r["id"] in scheduled,
                    round=r["round"],
                )
            )
        return out

    def rounds_held(self, application_ids: Sequence[int]) -> dict[int, list[RoundHeld]]:
        wanted = set(application_ids)
        held: dict[int, list[RoundHeld]] = {}
        for r in sorted(self._rows("interviews"), key=lambda r: r["start_at"]):
            if r["application_id"] in wanted and r["status"] != Status.CANCELLED.value:
                met = frozenset(
                    p["email"].lower()
                    for p in self._rows("interviewers")
                    if p["interview_id"] == r["id"] and not p["removed_at"] and p["email"]
                )
                held.setdefault(r["application_id"], []).append(
                    RoundHeld(from_db(r["start_at"]), met)
                )
        return held

    def _recipients(
        self, interview_ids: Sequence[int]
    ) -> tuple[dict[int, list[str]], set[int], dict[int, list[str]]]:
        """Who each interview's pending notes go to (names, else addresses), which
        interviews have every pending note approved, and their addresses ("" for none)."""
        wanted = set(interview_ids)
        people = self._table("interviewers")
        found: dict[int, list[str]] = {}
        addresses: dict[int, list[str]] = {}
        seen: set[int] = set()
        unapproved: set[int] = set()
        for n in self._rows("notes"):
            if n["interview_id"] not in wanted or n["state"] != NoteState.PENDING.value:
                continue
            person = people.get(n["interviewer_id"]) if n["interviewer_id"] else None
            if person and (person["name"] or person["email"]):
                found.setdefault(n["interview_id"], []).append(person["name"] or person["email"])
                addresses.setdefault(n["interview_id"], []).append(person["email"] or "")
            seen.add(n["interview_id"])
            if n["approved_at"] is None:
                unapproved.add(n["interview_id"])
        return found, seen - unapproved, addresses

    def agenda_counts(self, cutoffs: RiskCutoffs) -> tuple[int, int, int, int]:
        counts = [0, 0, 0, 0]
        for r in self._rows("interviews"):
            risk = self._risk(r, cutoffs)
            if risk is not None:
                counts[risk] += 1
        return counts[0], counts[1], counts[2], counts[3]

    def _last_inbound(self, interview_id: int) -> str | None:
        found = [r for r in self._rows("inbound_messages") if r["interview_id"] == interview_id]
        found.sort(key=lambda r: (r["received_at"], r["id"]))
        return found[-1]["classification"] if found else None

    def recently_ended(self, since: datetime, limit: int) -> list[EndedRow]:
        mark = to_db(since)
        rows = [
            r
            for r in self._rows("interviews")
            if (
                r["status"] in _ENDED
                or (r["status"] == "cancelled" and self._last_inbound(r["id"]) == "bounce")
            )
            and r["status_at"] is not None
            and r["status_at"] >= mark
        ]
        rows.sort(key=lambda r: (r["status_at"], r["id"]), reverse=True)
        return [
            EndedRow(
                r["id"],
                self._app_of(r)["company"],
                self._app_of(r)["role"],
                Status(r["status"]),
                from_db(r["status_at"]),
                r["status"] == "replied" and self._last_inbound(r["id"]) == "scheduling",
                self._last_sent_kind(r["id"]),
                self._last_bounced(r["id"]) if r["status"] == "cancelled" else None,
            )
            for r in rows[:limit]
        ]

    def _last_bounced(self, interview_id: int) -> str | None:
        bounced = [
            p
            for p in self._rows("interviewers")
            if p["interview_id"] == interview_id and p.get("bounced_at")
        ]
        bounced.sort(key=lambda p: (p["bounced_at"], p["id"]))
        return bounced[-1]["email"] if bounced else None

    def failed_notes(self, limit: int) -> list[FailedRow]:
        notes = [
            n
            for n in self._rows("notes")
            if n["state"] == NoteState.FAILED.value
            and not n.get("dismissed_at")
            and self._table("interviews")[n["interview_id"]]["status"] == Status.WAITING.value
            and not (self._table("interviewers").get(n["interviewer_id"]) or {}).get("bounced_at")
        ]
        notes.sort(key=lambda n: (n["updated_at"], n["id"]), reverse=True)
        people = self._table("interviewers")
        found = []
        for n in notes[:limit]:
            interview = self._table("interviews")[n["interview_id"]]
            app = self._app_of(interview)
            person = people.get(n["interviewer_id"]) if n["interviewer_id"] else None
            found.append(
                FailedRow(
                    n["interview_id"],
                    app["company"],
                    app["role"],
                    n["kind"],
                    person["name"] if person else None,
                    person["email"] if person else None,
                    n["last_error"] or "",
                    from_db(n["updated_at"]),
                )
            )
        return found

    def bounced_people(self, limit: int) -> list[BouncedRow]:
        interviews = self._table("interviews")
        people = [
            p
            for p in self._rows("interviewers")
            if p.get("bounced_at")
            and not p.get("removed_at")
            and interviews[p["interview_id"]]["status"] == Status.WAITING.value
        ]
        people.sort(key=lambda p: (p["bounced_at"], p["id"]), reverse=True)
        found = []
        for p in people[:limit]:
            app = self._app_of(interviews[p["interview_id"]])
            row = (p["interview_id"], app["company"], app["role"], p["name"], p["email"])
            found.append(BouncedRow(*row, from_db(p["bounced_at"])))
        return found

    def _last_sent_kind(self, interview_id: int) -> str | None:
        sent = [
            n
            for n in self._rows("notes")
            if n["interview_id"] == interview_id and n["state"] == NoteState.SENT.value
        ]
        last = max(sent, key=lambda n: (n["sent_at"] or "", n["step"], n["id"]), default=None)
        return None if last is None else str(last["kind"])

    # --- DraftStore -----------------------------------------------------------------------

    def note_texts(self, interview_id: int) -> dict[int, NoteText]:
        return {
            r["id"]: NoteText(r["subject"] or "", r["body"], r["edited_at"] is not None)
            for r in self._rows("notes")
            if r["interview_id"] == interview_id and r["body"] is not None
        }

    def save_draft(self, note_id: int, text: NoteText, now: datetime) -> None:
        self._update(
            "notes",
            note_id,
            subject=text.subject,
            body=text.body,
            edited_at=to_db(now) if text.edited else None,
            updated_at=to_db(now),
        )

    def assign_message_id(self, note_id: int, message_id: str) -> str:
        row = self._table("notes")[note_id]
        if row["message_id"] is None:
            row["message_id"] = message_id
        return str(row["message_id"])

    def set_tone(self, application_id: int, tone: str | None) -> None:
        self._update("applications", application_id, tone=tone)

    def add_debrief(
        self,
        *,
        interview_id: int,
        interviewer_id: int | None,
        topic: str | None,
        skill: str | None,
        now: datetime,
        note: str | None = None,
        promised_by: date | None = None,
    ) -> int:
        return self._add(
            "debriefs",
            {
                "interview_id": interview_id,
                "interviewer_id": interviewer_id,
                "topic": topic,
                "skill": skill,
                "note": note,
                "promised_by": promised_by.isoformat() if promised_by else None,
                "created_at": to_db(now),
            },
        )

    def debriefs(self, interview_id: int) -> list[dict[str, Any]]:
        keys = ("interviewer_id", "topic", "skill", "note", "promised_by")
        return [
            {k: r[k] for k in keys}
            for r in self._rows("debriefs")
            if r["interview_id"] == interview_id
        ]

    def clear_topics(self, interview_id: int, interviewer_id: int | None) -> None:
        for row in self._rows("debriefs"):
            if row["interview_id"] == interview_id and row["interviewer_id"] == interviewer_id:
                self._update("debriefs", row["id"], topic=None)

    # --- SendStore ------------------------------------------------------------------------

    def _waiting(self, note: Row) -> bool:
        interview = self._table("interviews")[note["interview_id"]]
        return bool(interview["status"] == Status.WAITING.value)

    def due_notes(self, now: datetime, limit: int) -> list[Note]:
        mark = to_db(now)
        rows = [
            r
            for r in self._rows("notes")
            if r["state"] == NoteState.PENDING.value and r["due_at"] <= mark and self._waiting(r)
        ]
        rows.sort(key=lambda r: (r["due_at"], r["id"]))
        return [_note(_pick(r, _NOTE)) for r in rows[:limit]]

    def claim_note(self, note_id: int, now: datetime, by: str) -> bool:
        row = self._pending(note_id)
        if row is None:
            return False
        row.update(
            state=NoteState.SENDING.value,
            claimed_at=to_db(now),
            claimed_by=by,
            lease_until=None,
            attempts=row["attempts"] + 1,
            updated_at=to_db(now),
        )
        return True

    def finish_note(
        self,
        note_id: int,
        state: NoteState,
        now: datetime,
        sent_at: datetime | None = None,
        error: str | None = None,
    ) -> None:
        row = self._table("notes").get(note_id)
        if row is None:
            return
        row.update(state=state.value, last_error=error, updated_at=to_db(now), dismissed_at=None)
        if sent_at:
            row["sent_at"] = to_db(sent_at)
        if state is not NoteState.SENDING:
            row["claimed_at"] = None
        if state in (NoteState.SENT, NoteState.FAILED):  # an approval is spent once
            row.update(approved_message=None, approved_to=None, approved_seal=None)

    def never_arrived(self, note_id: int, now: datetime) -> None:
        row = self._table("notes").get(note_id)
        if row is not None:
            row.update(state="pending", sent_at=None, last_error=None, updated_at=to_db(now))

    def mark_drafted(self, note_id: int, now: datetime) -> None:
        self._update("notes", note_id, drafted_at=to_db(now), updated_at=to_db(now))

    def drafted_at(self, note_id: int) -> datetime | None:
        row = self._table("notes").get(note_id)
        return from_db(row["drafted_at"]) if row and row["drafted_at"] else None

    def claims(self) -> list[tuple[Note, datetime, str]]:
        return [
            (_note(_pick(r, _NOTE)), from_db(r["claimed_at"]), r["claimed_by"] or "")
            for r in self._rows("notes")
            if r["state"] == NoteState.SENDING.value
        ]

    def notes_in_state(self, state: NoteState) -> list[Note]:
        return self._notes_where(lambda r: r["state"] == state.value)

    def sent_since(self, since: datetime) -> list[datetime]:
        mark = to_db(since)
        return sorted(
            from_db(r["sent_at"])
            for r in self._rows("notes")
            if r["state"] == NoteState.SENT.value and r["sent_at"] and r["sent_at"] > mark
        )

    def last_error(self, note_id: int) -> str | None:
        row = self._table("notes").get(note_id)
        return row["last_error"] if row else None

    # --- ScheduleStore --------------------------------------------------------------------

    def approve_note(
        self,
        note_id: int,
        now: datetime,
        digest: str,
        to: str = "",
        message: str = "",
        seal: str = "",
    ) -> bool:
        row = self._pending(note_id)
        if row is None:
            return False
        row.update(
            approved_at=to_db(now),
            approved_digest=digest,
            approved_to=to or None,
            approved_message=message or None,
            approved_seal=seal or None,
            last_error=None,
            updated_at=to_db(now),
        )
        return True

    def withdraw_approval(self, note_id: int, now: datetime, error: str | None = None) -> bool:
        row = self._table("notes").get(note_id)
        if row is None or row["approved_at"] is None:
            return False
        row.update(
            approved_at=None,
            approved_digest=None,
            approved_to=None,
            approved_message=None,
            approved_seal=None,
            updated_at=to_db(now),
        )
        if error is not None:
            row["last_error"] = error
        return True

    def approval(self, note_id: int) -> tuple[datetime, str] | None:
        row = self._table("notes").get(note_id)
        if row is None or row["approved_at"] is None:
            return None
        return from_db(row["approved_at"]), str(row["approved_digest"] or "")

    def approved_as(self, note_id: int) -> Approval | None:
        row = self._table("notes").get(note_id)
        if row is None or row["approved_at"] is None:
            return None
        return Approval(
            from_db(row["approved_at"]),
            str(row["approved_digest"] or ""),
            str(row["approved_to"] or ""),
            str(row["approved_message"] or ""),
            str(row["approved_seal"] or ""),
        )

    def approved_due(self, now: datetime) -> bool:
        mark = to_db(now)
        return any(
            r["state"] == NoteState.PENDING.value
            and r["approved_at"] is not None
            and r["due_at"] <= mark
            and self._waiting(r)
            for r in self._rows("notes")
        )

    def claim_due(self, now: datetime, by: str, lease: timedelta) -> Claim | None:
        mark = to_db(now)
        due = [
            r
            for r in self._rows("notes")
            if r["state"] == NoteState.PENDING.value
            and r["approved_at"] is not None
            and r["due_at"] <= mark
            and self._waiting(r)
        ]
        if not due:
            return None
        row = min(due, key=lambda r: (r["due_at"], r["id"]))
        row.update(
            state=NoteState.SENDING.value,
            claimed_at=mark,
            claimed_by=by,
            lease_until=to_db(now + lease),
            attempts=row["attempts"] + 1,
            updated_at=mark,
        )
        return Claim(
            _note(_pick(row, _NOTE)),
            row["approved_to"] or "",
            row["approved_message"] or "",
            row["approved_seal"] or "",
        )

    def expire_leases(
        self, now: datetime, error: str, longest: timedelta | None = None
    ) -> list[int]:
        mark = to_db(now)
        beyond = to_db(now + longest) if longest is not None else None
        expired = []
        with self.transaction():
            for r in self._rows("notes"):
                lease = r["lease_until"]
                over = lease is not None and (
                    lease < mark or (beyond is not None and lease > beyond)
                )
                if r["state"] == NoteState.SENDING.value and over:
                    r.update(
                        state=NoteState.UNKNOWN.value,
                        claimed_at=None,
                        last_error=error,
                        updated_at=mark,
                    )
                    expired.append(r["id"])
        return expired

    # --- InboxStore -----------------------------------------------------------------------

    def notes_with_message_ids(self, message_ids: Sequence[str]) -> list[Note]:
        wanted = set(message_ids)
        return self._notes_where(lambda r: r["message_id"] in wanted)

    def _sender_interviews(self) -> list[Row]:
        """Interviews whose people's mail still counts, newest first."""
        rows = [r for r in self._rows("interviews") if r["status"] in _SENDER_STATUSES]
        return sorted(rows, key=lambda r: (r["start_at"], r["id"]), reverse=True)

    def _emails(self, interview_id: int) -> list[str]:
        return [
            r["email"]
            for r in self._rows("interviewers")
            if r["interview_id"] == interview_id and r["email"]
        ]

    def open_interviews_for_sender(
        self, address: str, domain: str, colleagues: bool = False
    ) -> list[int]:
        return [
            r["id"]
            for r in self._sender_interviews()
            if address in self._emails(r["id"])
            or domain in self._app_of(r)["domains"].split()
            or (colleagues and any(e.rpartition("@")[2] == domain for e in self._emails(r["id"])))
        ]

    def hiring_senders(self) -> tuple[set[str], set[str]]:
        addresses: set[str] = set()
        domains: set[str] = set()
        for r in self._sender_interviews():
            addresses.update(self._emails(r["id"]))
            domains.update(self._app_of(r)["domains"].split())
        for r in self._rows("interviews"):  # a reply may overturn an application that ended
            if r["status"] in ("rejected", "role-closed"):
                addresses.update(self._emails(r["id"]))
        return addresses, domains

    def inbound_seen(self, message_id: str) -> bool:
        return any(r["message_id"] == message_id for r in self._rows("inbound_messages"))

    def add_inbound(
        self,
        *,
        interview_id: int | None,
        classification: str,
        received_at: datetime,
        now: datetime,
        source: str = "manual",
        message_id: str | None = None,
        from_addr: str | None = None,
        subject: str | None = None,
        reason: str | None = None,
    ) -> int:
        return self._add(
            "inbound_messages",
            {
                "interview_id": interview_id,
                "message_id": message_id,
                "from_addr": from_addr,
                "subject": subject,
                "received_at": to_db(received_at),
                "classification": classification,
                "source": source,
                "created_at": to_db(now),
                "reason": reason,
            },
        )

    def inbound_by_message_id(self, message_id: str) -> dict[str, Any] | None:
        keys = ("interview_id", "received_at", "classification", "source", "from_addr")
        for r in self._rows("inbound_messages"):
            if r["message_id"] == message_id and r["interview_id"] is not None:
                return {k: r[k] for k in (*keys, "subject")}
        return None

    def inbound(self, interview_id: int) -> list[dict[str, Any]]:
        keys: tuple[str, ...] = ("received_at", "classification", "source", "from_addr", "subject")
        keys = (*keys, "message_id", "reason")
        rows = [r for r in self._rows("inbound_messages") if r["interview_id"] == interview_id]
        rows.sort(key=lambda r: (r["received_at"], r["id"]))
        return [{k: r.get(k) for k in keys} for r in rows]

    def flag_bounced(self, interviewer_id: int, at: datetime) -> None:
        row = self._table("interviewers").get(interviewer_id)
        if row is not None and row["bounced_at"] is None:
            row["bounced_at"] = to_db(at)

    def sequence_rows(self, interview_id: int) -> SequenceRows | None:
        interview = self.get_interview(interview_id)
        application = self.get_application(interview.application_id) if interview else None
        if interview is None or application is None:
            return None
        return SequenceRows(
            interview,
            application,
            self.interviewers(interview_id),
            self.notes(interview_id),
            self.latest_round(interview.application_id),
            self.bounced_interviewers(interview_id),
        )

    def bounced_interviewers(self, interview_id: int) -> set[int]:
        return {
            r["id"]
            for r in self._rows("interviewers")
            if r["interview_id"] == interview_id and r["bounced_at"] is not None
        }

    def sync_point(self, account: str, folder: str) -> tuple[int, int] | None:
        found: tuple[int, int] | None = self._db["mail_sync"].get((account, folder))
        return found

    def save_sync_point(
        self, account: str, folder: str, uidvalidity: int, last_uid: int, now: datetime
    ) -> None:
        self._db["mail_sync"][account, folder] = (uidvalidity, last_uid)

    # --- CalendarStore --------------------------------------------------------------------

    def interview_by_ics_uid(self, uid: str) -> tuple[int, int] | None:
        for r in self._rows("interviews"):
            if r["ics_uid"] == uid:
                return r["id"], r["ics_sequence"] or 0
        return None

    def set_ics(
        self, interview_id: int, uid: str, sequence: int, organizer: str | None = None
    ) -> None:
        self._update("interviews", interview_id, ics_uid=uid, ics_sequence=sequence)
        if organizer is not None:
            self._update("interviews", interview_id, ics_organizer=organizer)

    def ics_organizer(self, interview_id: int) -> str | None:
        for r in self._rows("interviews"):
            if r["id"] == interview_id:
                return r.get("ics_organizer")
        return None

    def move_interview(
        self,
        interview_id: int,
        *,
        start: datetime,
        duration: timedelta,
        tz: str,
        location: str | None,
        description: str | None,
    ) -> None:
        self.edit_interview(interview_id, start=start, duration=duration, tz=tz, location=location)
        self._update("interviews", interview_id, description=description)

    def find_application(self, company: str, role: str) -> Application | None:
        wanted = (company.casefold(), role.casefold())
        for r in reversed(self._rows("applications")):
            if (r["company"].casefold(), r["role"].casefold()) == wanted:
                return _application(_pick(r, _APPLICATION))
        return None

    def find_applications(self, company: str, role: str | None) -> list[Application]:
        company = same_name(company)
        rows = reversed(self._rows("applications"))
        named = [
            r
            for r in rows
            if same_name(r["company"]) == company
            and (role is None or same_name(r["role"]) == same_name(role))
        ]
        return [_application(_pick(r, _APPLICATION)) for r in named[:ROUNDS_BETWEEN]]

    def add_domains(self, application_id: int, domains: Sequence[str]) -> None:
        row = self._table("applications").get(application_id)
        if row is None:
            return
        current = row["domains"].split()
        row["domains"] = " ".join(
            current + [d.lower() for d in domains if d.lower() not in current]
        )

    def calendar_install_id(self, candidate: str, now: datetime) -> str:
        if self._db["install_id"] is None:
            self._db["install_id"] = candidate
        return str(self._db["install_id"])

    def planned_policy(self) -> str | None:
        key: str | None = self._db["planned_policy"]
        return key

    def set_planned_policy(self, key: str) -> None:
        self._db["planned_policy"] = key

    def last_replan(self) -> tuple[str, str] | None:
        found: tuple[str, str] | None = self._db.get("last_replan")
        return found

    def set_last_replan(self, at: str, what: str) -> None:
        self._db["last_replan"] = (at, what)

    def feed_notes(self) -> list[FeedNote]:
        published = self._db["calendar_published"]
        open_states = (NoteState.PENDING.value, NoteState.SENDING.value, NoteState.UNKNOWN.value)
        rows = [r for r in self._rows("notes") if r["state"] in open_states or r["id"] in published]
        rows.sort(key=lambda r: (r["due_at"], r["id"]))
        out = []
        for n in rows:
            interview = self._table("interviews")[n["interview_id"]]
            app = self._app_of(interview)
            person = self._table("interviewers").get(n["interviewer_id"] or 0, {})
            shown = published.get(n["id"], {})
            out.append(
                FeedNote(
                    note_id=n["id"],
                    interview_id=n["interview_id"],
                    step=n["step"],
                    kind=n["kind"],
                    state=NoteState(n["state"]),
                    due_at=from_db(n["due_at"]),
                    sent_at=from_db(n["sent_at"]) if n["sent_at"] else None,
                    interviewer_name=person.get("name"),
                    interviewer_email=person.get("email"),
                    company=app["company"],
                    role=app["role"],
                    interview_start=from_db(interview["start_at"]),
                    interview_tz=interview["tz"],
                    published_due=from_db(shown["due_at"]) if shown else None,
                    published_status=shown.get("status"),
                    published_sequence=shown.get("sequence"),
                    published_at=from_db(shown["published_at"]) if shown else None,
                )
            )
        return out

    def record_published(
        self, note_id: int, due_at: datetime, status: str, sequence: int, now: datetime
    ) -> None:
        self._db["calendar_published"][note_id] = {
            "due_at": to_db(due_at),
            "status": status,
            "sequence": sequence,
            "published_at": to_db(now),
        }

    # --- StatsStore -----------------------------------------------------------------------

    def _started_since(self, since: datetime | None) -> list[Row]:
        mark = to_db(since) if since else None
        return [r for r in self._rows("interviews") if mark is None or r["start_at"] >= mark]

    def status_counts(self, since: datetime | None = None) -> dict[str, int]:
        found: dict[str, int] = {}
        for r in self._started_since(since):
            found[r["status"]] = found.get(r["status"], 0) + 1
        return found

    def outcome_times(self, since: datetime | None = None) -> list[tuple[str, datetime, datetime]]:
        return [
            (r["status"], from_db(r["end_at"]), from_db(r["status_at"]))
            for r in self._started_since(since)
            if r["status"] in ("rejected", "role-closed", "offer", "closed") and r["status_at"]
        ]

    def sent_note_counts(
        self, bounds: Sequence[datetime], since: datetime | None = None
    ) -> tuple[int, list[int]]:
        marks = [to_db(b) for b in bounds]
        counted = {r["id"] for r in self._started_since(since)}
        per = [0] * max(len(marks) - 1, 0)
        total = 0
        for n in self._rows("notes"):
            if n["state"] != NoteState.SENT.value or n["interview_id"] not in counted:
                continue
            total += 1
            sent = n["sent_at"]
            # the interval k with marks[k] <= sent < marks[k + 1] (none before or after them)
            k = next((k - 1 for k, m in enumerate(marks) if sent is not None and sent < m), None)
            if k is not None and 0 <= k < len(per):
                per[k] += 1
        return total, per

    def reply_rates(
        self, since: datetime | None = None, days_cap: int = 8, step_kinds: Sequence[str] = ()
    ) -> list[RateRow]:
        return rate_rows(self.reply_facts(since, step_kinds), days_cap)

    def reply_quantiles(self, ranks: Ranks, since: datetime | None = None) -> Quantiles:
        seconds = [
            _seconds(o.replied_at - o.ended_at) for o in self.reply_facts(since) if o.replied_at
        ]
        return quantiles(sorted(seconds), ranks)

    def outcome_quantiles(
        self, ranks: Ranks, since: datetime | None = None
    ) -> dict[str, Quantiles]:
        seconds: dict[str, list[int]] = {}
        for status, ended, reached in self.outcome_times(since):
            seconds.setdefault(status, []).append(max(0, _seconds(reached - ended)))
        return {status: quantiles(sorted(v), ranks) for status, v in seconds.items()}

    # The reference: one row per sequence or outcome, as the SQL stores read them before
    # they aggregated (tests compare the aggregates with app/stats.py's arithmetic on these).

    def reply_facts(
        self, since: datetime | None = None, step_kinds: Sequence[str] = ()
    ) -> list[Outcome]:
        """With the policy's kinds, each sent note's step is planner.notes_by_step's."""
        out = []
        for i in self._started_since(since):
            replies = [
                m["received_at"]
                for m in self._rows("inbound_messages")
                if m["interview_id"] == i["id"]
                and m["classification"] == "human"
                and m["received_at"] >= i["end_at"]
            ]
            replied = min(replies, default=None)
            if i["status"] in ("cancelled", "advanced") and replied is None:
                continue
            sent = [
                n
                for n in self._rows("notes")
                if n["interview_id"] == i["id"]
                and n["state"] == NoteState.SENT.value
                and (replied is None or (n["sent_at"] is not None and n["sent_at"] <= replied))
            ]
            if not sent and replied is None:
                continue
            thanked = [n["sent_at"] for n in sent if n["step"] == 1 and n["sent_at"]]
            steps = [n["step"] for n in sent]
            if step_kinds:
                every = [
                    _Kept(n["step"], n["kind"], n["interviewer_id"], n["id"])
                    for n in self._rows("notes")
                    if n["interview_id"] == i["id"]
                ]
                ids = {n["id"] for n in sent}
                mapped = notes_by_step(every, _kinds_policy(step_kinds))
                steps = [k for k, notes in mapped.items() for n in notes if n.id in ids]
            app = self._app_of(i)
            out.append(
                Outcome(
                    i["status"],
                    max(steps, default=None),
                    app["culture"],
                    app["tone"],
                    from_db(i["end_at"]),
                    from_db(min(thanked)) if thanked else None,
                    from_db(replied) if replied else None,
                )
            )
        return out

    # --- PortabilityStore -----------------------------------------------------------------

    def export_stream(self) -> ExportStream:
        rows = self.export_rows()
        interviews = sorted(rows.interviews, key=lambda r: (r.application_id, r.id))
        place = {r.id: k for k, r in enumerate(interviews)}

        def by_interview(records: Iterable[Any]) -> Iterator[Any]:
            linked = (r for r in records if r.interview_id in place)
            return iter(sorted(linked, key=lambda r: (place[r.interview_id], r.id)))

        return ExportStream(
            iter(rows.applications),
            iter(interviews),
            by_interview(rows.interviewers),
            by_interview(rows.notes),
            by_interview(rows.inbound_messages),
            by_interview(rows.debriefs),
            (
                ExportedEvent(
                    e.interview_id,
                    to_db(e.at),
                    e.source,
                    e.kind,
                    e.summary,
                    e.undone_by is not None,
                )
                for e in by_interview(self.all_events())
            ),
            iter([r for r in rows.inbound_messages if r.interview_id is None]),
        )

    def export_rows(self) -> ExportRows:
        def records(table: str, fields: Sequence[str]) -> list[list[Any]]:
            return [_pick(r, fields) for r in self._rows(table)]

        return ExportRows(
            [
                ApplicationRecord._make(r)
                for r in records("applications", ApplicationRecord._fields)
            ],
            [InterviewRecord._make(r) for r in records("interviews", InterviewRecord._fields)],
            [
                InterviewerRecord._make(r)
                for r in records("interviewers", InterviewerRecord._fields)
            ],
            [NoteRecord._make(r) for r in records("notes", NoteRecord._fields)],
            [InboundRecord._make(r) for r in records("inbound_messages", InboundRecord._fields)],
            [DebriefRecord._make(r) for r in records("debriefs", DebriefRecord._fields)],
        )

    def counts(self) -> dict[str, int]:
        return {table: len(self._table(table)) for table in TABLES}

    def _insert(self, table: str, values: dict[str, Any]) -> int:
        del values["id"]  # a fresh one
        return self._add(table, values)

    def insert_application(self, row: ApplicationRecord) -> int:
        return self._insert("applications", row._asdict())

    def insert_interview(self, row: InterviewRecord) -> int:
        return self._insert("interviews", row._asdict())

    def insert_interviewer(self, row: InterviewerRecord) -> int:
        return self._insert("interviewers", row._asdict())

    def insert_note(self, row: NoteRecord) -> int:
        return self._insert("notes", {**row._asdict(), **dict.fromkeys(_NOTE_PRIVATE)})

    def insert_inbound(self, row: InboundRecord) -> int:
        return self._insert("inbound_messages", row._asdict())

    def insert_debrief(self, row: DebriefRecord) -> int:
        return self._insert("debriefs", row._asdict())

    def insert_records(self, table: str, records: Sequence[Sequence[Any]]) -> list[int]:
        insert: dict[str, Callable[[Sequence[Any]], int]] = {
            "applications": lambda r: self.insert_application(ApplicationRecord._make(r)),
            "interviews": lambda r: self.insert_interview(InterviewRecord._make(r)),
            "interviewers": lambda r: self.insert_interviewer(InterviewerRecord._make(r)),
            "notes": lambda r: self.insert_note(NoteRecord._make(r)),
            "inbound_messages": lambda r: self.insert_inbound(InboundRecord._make(r)),
            "debriefs": lambda r: self.insert_debrief(DebriefRecord._make(r)),
        }
        if table not in insert:
            raise ValueError(f"not a followup table: {table!r}")
        fields = len(_RECORD_TYPES[table]._fields)
        if any(len(r) != fields for r in records):
            raise ValueError(f"a {table} record has {fields} fields")
        return [insert[table](r) for r in records]

    def scratch(self) -> None:
        self._scratch = {}
        self._stash = []

    def stash(self, rows: Sequence[tuple[str, int, bytes]]) -> None:
        self._stash.extend(rows)

    def stashed(self) -> Iterator[tuple[str, bytes]]:
        first: dict[str, int] = {}
        for group, order, _ in self._stash:
            first[group] = min(order, first.get(group, order))
        for group, _, data in sorted(self._stash, key=lambda r: (first[r[0]], r[1])):
            yield group, data

    def remember(self, space: str, pairs: Sequence[tuple[int, int]]) -> None:
        kept = self._scratch.setdefault(space, {})
        for key, value in pairs:
            kept.setdefault(key, value)

    def recall(self, space: str, keys: Iterable[int]) -> dict[int, int]:
        kept = self._scratch.get(space, {})
        return {k: kept[k] for k in keys if k in kept}

    def pause_stats(self) -> None:
        """Nothing to pause: the stats are computed from the rows when asked."""

    def resume_stats(self, interview_ids: Sequence[int]) -> None:
        pass

    def add_history(self, rows: Sequence[tuple[int, str, str, str, str]]) -> None:
        for interview_id, at, source, kind, summary in rows:
            self.add_event(interview_id, from_db(at), source, kind, summary, None, None)

    def add_events(self, rows: Sequence[EventRow]) -> None:
        for row in rows:
            self.add_event(*row)

    def staging(self) -> MemoryStore:
        return MemoryStore(staging=True)

    def taken_message_ids(self, message_ids: Iterable[str]) -> set[str]:
        return set(message_ids) & {r["message_id"] for r in self._rows("notes")}

    def taken_ics_uids(self, uids: Iterable[str]) -> set[str]:
        return set(uids) & {r["ics_uid"] for r in self._rows("interviews")}

    def taken_inbound_ids(self, message_ids: Iterable[str]) -> set[str]:
        return set(message_ids) & {r["message_id"] for r in self._rows("inbound_messages")}

    def rounds_starting(self, starts: Iterable[str]) -> list[tuple[int, str, str, str, str]]:
        wanted = set(starts)
        apps = {r["id"]: r for r in self._rows("applications")}
        return sorted(
            (r["id"], apps[a]["company"], apps[a]["role"], r["start_at"], r["tz"])
            for r in self._rows("interviews")
            if r["start_at"] in wanted and (a := r["application_id"]) in apps
        )


_RECORD_TYPES: dict[str, Any] = {  # each table's record type (insert_records)
    "applications": ApplicationRecord,
    "interviews": InterviewRecord,
    "interviewers": InterviewerRecord,
    "notes": NoteRecord,
    "inbound_messages": InboundRecord,
    "debriefs": DebriefRecord,
}
