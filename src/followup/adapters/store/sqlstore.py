"""The store's queries, in SQL that SQLite and PostgreSQL both run.

Subclasses supply the connection, transactions and placeholder style; everything that
knows a table or a column lives here, in one place.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar, cast

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
    Quantiles,
    Ranks,
    RateRow,
    SequenceRows,
    same_name,
)
from followup.domain import search
from followup.domain.board import BoardKey
from followup.domain.companies import registrable_domain
from followup.domain.model import (
    Application,
    Culture,
    Interview,
    Interviewer,
    Note,
    NoteState,
    Status,
)
from followup.domain.planner import PlannedNote, RiskCutoffs, RoundHeld

if TYPE_CHECKING:
    from followup.app.ports import EventRow

_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


OUTCOME_STATUSES = ("rejected", "role-closed", "offer", "closed")  # stats' outcomes


def to_db(dt: datetime) -> str:
    if dt.tzinfo is None:
        raise ValueError("refusing to store a naive datetime")
    return dt.astimezone(UTC).strftime(_FORMAT)


def from_db(text: str) -> datetime:
    return datetime.fromisoformat(text)  # 3.11 reads the trailing Z as UTC


def _opt_dt(text: str | None) -> datetime | None:
    return from_db(text) if text else None


_APPLICATION_COLUMNS = "a.id, a.company, a.role, a.culture, a.country, a.domains, a.tone"
_INTERVIEW_COLUMNS = (
    "i.id, i.application_id, i.round, i.start_at, i.duration_min, i.tz, i.status,"
    " i.expect_by, i.defer_until, i.status_at, i.location"
)
_NOTE_COLUMNS = (
    "n.id, n.interview_id, n.interviewer_id, n.step, n.kind, n.state,"
    " n.earliest_at, n.due_at, n.sent_at, n.message_id, n.approved_at"
)
_NOTE_WIDTH = _NOTE_COLUMNS.count(",") + 1  # where a row's extra columns begin
_EVENT_COLUMNS = (
    "id, interview_id, happened_at, source, kind, summary, detail,"
    " prior_state IS NOT NULL, undone_by"
)
# An interview's rows, parents first: what an event keeps to be undone (interview_state).
# What `inbound()` gives of each message.
INBOUND_KEYS = (
    "received_at",
    "classification",
    "source",
    "from_addr",
    "subject",
    "message_id",
    "reason",
)
_STATE_SCOPE = (
    ("applications", "id = (SELECT application_id FROM interviews WHERE id = ?)"),
    ("interviews", "id = ?"),
    ("interviewers", "interview_id = ?"),
    ("notes", "interview_id = ?"),
    ("debriefs", "interview_id = ?"),
    ("inbound_messages", "interview_id = ?"),
)
# A note's approval and claim: never exported, never kept in an event (so never restored by
# undo).
NOTE_PRIVATE = (
    "claimed_at",
    "claimed_by",
    "approved_at",
    "approved_digest",
    "lease_until",
    "approved_to",
    "approved_message",
    "approved_seal",
)
# Interviews whose people's mail still counts (a reply after `closed` is still news).
# Whose mail counts: open and closed sequences, and replied ones (a rejection or an offer
# often follows a first answer; app/receiving.py acts on those only for such outcomes).
_SENDER_STATUSES = "('waiting', 'closed', 'replied')"


def _application(r: Sequence[Any]) -> Application:
    return Application(
        id=r[0],
        company=r[1],
        role=r[2],
        culture=Culture(r[3]),
        country=r[4],
        domains=tuple(r[5].split()) if r[5] else (),
        tone=r[6],
    )


def _interview(r: Sequence[Any]) -> Interview:
    return Interview(
        id=r[0],
        application_id=r[1],
        round=r[2],
        start=from_db(r[3]),
        duration=timedelta(minutes=r[4]),
        tz=r[5],
        status=Status(r[6]),
        expect_by=date.fromisoformat(r[7]) if r[7] else None,
        defer_until=_opt_dt(r[8]),
        status_at=_opt_dt(r[9]),
        location=r[10],
    )


def _note(r: Sequence[Any]) -> Note:
    return Note(
        id=r[0],
        interview_id=r[1],
        interviewer_id=r[2],
        step=r[3],
        kind=r[4],
        state=NoteState(r[5]),
        earliest_at=from_db(r[6]),
        due_at=from_db(r[7]),
        sent_at=_opt_dt(r[8]),
        message_id=r[9],
        approved_at=_opt_dt(r[10]),
    )


def _event(r: Sequence[Any]) -> Event:
    return Event(
        id=r[0],
        interview_id=r[1],
        at=from_db(r[2]),
        source=r[3],
        kind=r[4],
        summary=r[5],
        detail=json.loads(r[6]) if r[6] else None,
        undoable=bool(r[7]),
        undone_by=r[8],
    )


def _exported_event(r: Sequence[Any]) -> ExportedEvent:
    at = r[1]
    if len(at) != 20 or at[19] != "Z":  # stored by to_db, so already the export's form
        at = to_db(from_db(at))
    return ExportedEvent(r[0], at, r[2], r[3], r[4], r[5] is not None)


def _marks(c: RiskCutoffs) -> tuple[str, str, str]:
    return to_db(c.fading_if_ended_by), to_db(c.overdue_if_due_by), to_db(c.now)


# The aggregates a batch of new interviews' facts (stats_sequences) move: what the trigger on
# stats_sequences (migration 0023) does row by row, grouped. The WHERE is there for SQLite's
# upsert grammar (an INSERT … SELECT before ON CONFLICT needs one).
_KEY = "status, last_step, culture, tone, days, replied"
_STATS_FROM_FACTS = (
    f"INSERT INTO stats_cells (day, {_KEY}, n, sent) SELECT day, {_KEY}, COUNT(*), SUM(sent)"
    " FROM stats_sequences WHERE interview_id IN ({ids}) GROUP BY day, " + _KEY + " ON CONFLICT"
    f" (day, {_KEY}) DO UPDATE SET n = stats_cells.n + excluded.n,"
    " sent = stats_cells.sent + excluded.sent",
    f"INSERT INTO stats_totals ({_KEY}, n, sent) SELECT {_KEY}, COUNT(*), SUM(sent)"
    " FROM stats_sequences WHERE interview_id IN ({ids}) GROUP BY " + _KEY + " ON CONFLICT"
    f" ({_KEY}) DO UPDATE SET n = stats_totals.n + excluded.n,"
    " sent = stats_totals.sent + excluded.sent",
    "INSERT INTO stats_delays (part, s, n) SELECT 'reply', reply_s, COUNT(*)"
    " FROM stats_sequences WHERE interview_id IN ({ids}) AND reply_s IS NOT NULL"
    " GROUP BY reply_s ON CONFLICT (part, s) DO UPDATE SET n = stats_delays.n + excluded.n",
    "INSERT INTO stats_delay_hours (part, h, n) SELECT 'reply', reply_s / 3600, COUNT(*)"
    " FROM stats_sequences WHERE interview_id IN ({ids}) AND reply_s IS NOT NULL"
    " GROUP BY reply_s / 3600"
    " ON CONFLICT (part, h) DO UPDATE SET n = stats_delay_hours.n + excluded.n",
    "INSERT INTO stats_delays (part, s, n) SELECT status, outcome_s, COUNT(*)"
    " FROM stats_sequences WHERE interview_id IN ({ids}) AND outcome_s IS NOT NULL"
    " GROUP BY status, outcome_s"
    " ON CONFLICT (part, s) DO UPDATE SET n = stats_delays.n + excluded.n",
    "INSERT INTO stats_delay_hours (part, h, n) SELECT status, outcome_s / 3600, COUNT(*)"
    " FROM stats_sequences WHERE interview_id IN ({ids}) AND outcome_s IS NOT NULL"
    " GROUP BY status, outcome_s / 3600"
    " ON CONFLICT (part, h) DO UPDATE SET n = stats_delay_hours.n + excluded.n",
)
# Notes sent per UTC hour (migration 0025), for the notes of a batch of new interviews.
_SENT_HOURS_FROM_NOTES = (
    "INSERT INTO stats_sent_hours (hour, n) SELECT substr(sent_at, 1, 13), COUNT(*) FROM notes"
    " WHERE interview_id IN ({ids}) AND state = 'sent' AND sent_at IS NOT NULL"
    " GROUP BY substr(sent_at, 1, 13)"
    " ON CONFLICT (hour) DO UPDATE SET n = stats_sent_hours.n + excluded.n"
)


_EVENT_INSERT = (
    "INSERT INTO events (interview_id, happened_at, source, kind, summary, detail, prior_state)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)


_R = TypeVar("_R", bound=tuple[Any, ...])


def _as(record: type[_R]) -> Callable[[Sequence[Any]], _R]:
    """A row, as it comes from a cursor with the record's fields in order, made a record
    without a Python call per row (`_make` is one: ~1 µs a row in an export)."""
    return cast("Callable[[Sequence[Any]], _R]", partial(tuple.__new__, record))


def _event_values(
    interview_id: int,
    at: datetime,
    source: str,
    kind: str,
    summary: str,
    detail: dict[str, Any] | None,
    prior_state: Any,
) -> tuple[Any, ...]:
    """An event's row as `add_event` and `add_events` write it (the JSON keys sorted)."""
    return (
        interview_id,
        to_db(at),
        source,
        kind,
        summary,
        None if detail is None else json.dumps(detail, sort_keys=True),
        None if prior_state is None else json.dumps(prior_state, sort_keys=True),
    )


# Values a query's `IN (…)` list takes at most: every SQLite allows 999 parameters in all.
_IN_LIST = 500
_V = TypeVar("_V")


def _in_lists(values: Sequence[_V]) -> Iterator[tuple[Sequence[_V], str]]:
    """`values` in slices for `IN (…)` lists, each with its placeholders ("?, ?, ?")."""
    for at in range(0, len(values), _IN_LIST):
        chunk = values[at : at + _IN_LIST]
        yield chunk, ", ".join("?" * len(chunk))


class SqlStore:
    """Queries over a DB-API connection; subclasses provide `_execute` and `transaction`."""

    def transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        raise NotImplementedError

    def _insert(self, sql: str, params: Sequence[Any]) -> int:
        """Run an INSERT … RETURNING id and give the new id."""
        row = self._execute(sql + " RETURNING id", params).fetchone()
        return int(row[0])

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._execute(sql, params).fetchone()

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(self._execute(sql, params).fetchall())

    # --- applications -------------------------------------------------------------------

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
        return self._insert(
            "INSERT INTO applications (company, role, culture, country, domains, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (company, role, culture.value, country, " ".join(domains), to_db(now)),
        )

    def get_application(self, application_id: int) -> Application | None:
        r = self._one(
            f"SELECT {_APPLICATION_COLUMNS} FROM applications a WHERE a.id = ?", (application_id,)
        )
        return _application(r) if r else None

    # --- interviews ---------------------------------------------------------------------

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
        next_round = self._one(
            "SELECT COALESCE(MAX(round), 0) + 1 FROM interviews WHERE application_id = ?",
            (application_id,),
        )[0]
        return self._insert(
            "INSERT INTO interviews (application_id, round, start_at, end_at, duration_min, tz,"
            " status, status_at, location, description, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?)",
            (
                application_id,
                next_round,
                to_db(start),
                to_db(start + duration),
                int(duration / timedelta(minutes=1)),
                tz,
                to_db(now),
                location,
                description,
                to_db(now),
            ),
        )

    def get_interview(self, interview_id: int) -> Interview | None:
        r = self._one(
            f"SELECT {_INTERVIEW_COLUMNS} FROM interviews i WHERE i.id = ?", (interview_id,)
        )
        return _interview(r) if r else None

    def interviews_of_application(self, application_id: int) -> list[Interview]:
        rows = self._all(
            f"SELECT {_INTERVIEW_COLUMNS} FROM interviews i WHERE i.application_id = ?"
            " ORDER BY i.round",
            (application_id,),
        )
        return [_interview(r) for r in rows]

    def rounds_between(
        self, application_id: int, after: datetime, until: datetime
    ) -> list[Interview]:
        rows = self._all(
            f"SELECT {_INTERVIEW_COLUMNS} FROM interviews i WHERE i.application_id = ?"
            " AND i.start_at > ? AND i.start_at <= ? AND i.status <> 'cancelled'"
            " ORDER BY i.start_at, i.id LIMIT ?",
            (application_id, to_db(after), to_db(until), ROUNDS_BETWEEN),
        )
        return [_interview(r) for r in rows]

    def rounds_at(self, application_id: int, start: datetime) -> list[Interview]:
        rows = self._all(
            f"SELECT {_INTERVIEW_COLUMNS} FROM interviews i"
            " WHERE i.start_at = ? AND i.application_id = ? ORDER BY i.round",
            (to_db(start), application_id),
        )
        return [_interview(r) for r in rows]

    def latest_round(self, application_id: int) -> Interview | None:
        row = self._one(
            f"SELECT {_INTERVIEW_COLUMNS} FROM interviews i WHERE i.application_id = ?"
            " ORDER BY i.round DESC LIMIT 1",
            (application_id,),
        )
        return None if row is None else _interview(row)

    def applications(self, limit: int) -> list[ApplicationRow]:
        rows = self._all(
            f"SELECT {_APPLICATION_COLUMNS}, (SELECT MAX(i.round) FROM interviews i"
            " WHERE i.application_id = a.id) FROM applications a ORDER BY a.id DESC LIMIT ?",
            (limit,),
        )
        return [ApplicationRow(_application(r[:7]), int(r[7] or 0)) for r in rows]

    def set_status(self, interview_id: int, status: Status, at: datetime) -> None:
        self._execute(
            "UPDATE interviews SET status = ?, status_at = ? WHERE id = ?",
            (status.value, to_db(at), interview_id),
        )

    def set_expect_by(self, interview_id: int, by: date | None) -> None:
        self._execute(
            "UPDATE interviews SET expect_by = ? WHERE id = ?",
            (by.isoformat() if by else None, interview_id),
        )

    def set_defer_until(self, interview_id: int, until: datetime | None) -> None:
        self._execute(
            "UPDATE interviews SET defer_until = ? WHERE id = ?",
            (to_db(until) if until else None, interview_id),
        )

    def list_interviews(
        self, statuses: Sequence[Status] = (), limit: int | None = None, after: int | None = None
    ) -> list[InterviewRow]:
        """Newest first, at most `limit` (walked through `interviews_by_start`, newest first);
        with `after`, those that come after that interview in this order (a keyset page)."""
        conditions = []
        params: list[Any] = []
        if statuses:
            conditions.append(f"i.status IN ({', '.join('?' for _ in statuses)})")
            params = [s.value for s in statuses]
        if after is not None:
            # one row value: a seek in `interviews_by_start` (start_at, id), where an OR of
            # the two cases walked the index from the newest down to the page every time
            conditions.append(
                "(i.start_at, i.id) < (SELECT start_at, id FROM interviews WHERE id = ?)"
            )
            params.append(after)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = self._all(
            f"SELECT {_INTERVIEW_COLUMNS}, {_APPLICATION_COLUMNS} FROM interviews i"
            f" JOIN applications a ON a.id = i.application_id {where}"
            " ORDER BY i.start_at DESC, i.id DESC LIMIT ?",
            [*params, self._NO_LIMIT if limit is None else limit],
        )
        return [InterviewRow(_interview(r[:11]), _application(r[11:])) for r in rows]

    # --- the board of applications (issue #16) ------------------------------------------
    # Each application's latest round is kept by triggers in `board_latest` (migration
    # 0027: its status, round, start and whether its newest message proposed a next round).
    # A column is read per kind of latest round (a BoardKey): the rows of its status newest
    # application first through `board_latest_column` (status, application_id, …), stopping
    # at the page's size; the kinds are merged by id. The counts are one pass over that
    # index (one row per application), with no probe of the interviews. A search is a LIKE
    # per word on the same rows' `search` (migration 0029: company, role and the people,
    # kept there; domain/search.py).

    # a LIKE ignoring case: SQLite's LIKE already ignores it for ASCII letters (and, like
    # LOWER(), folds no other); PostgreSQL's ILIKE folds every letter
    _LIKE = "LIKE"

    def _board_key(self, key: BoardKey, now: datetime) -> tuple[str, list[Any]]:
        """A condition on `b` (board_latest) for one kind of latest round (its status
        first)."""
        parts, params = ["b.status = ?"], [key.status.value]
        if key.ahead is not None:
            ahead = "(b.round > 1 AND b.start_at > ?)"
            parts.append(ahead if key.ahead else f"NOT {ahead}")
            params.append(to_db(now))
        if key.proposed is not None:
            parts.append(f"b.proposed = {int(key.proposed)}")
        return f"({' AND '.join(parts)})", params

    def _board_filter(self, chosen: BoardFilter) -> tuple[str, list[Any]]:
        """Conditions on `b`, `i` and `a` (each starting with AND) for the board's filter."""
        sql, params = "", list[Any]()
        for word in search.words(chosen.text):  # each word somewhere, in any case
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            sql += f" AND b.search {self._LIKE} ? ESCAPE '\\'"
            params.append(f"%{escaped}%")
        if chosen.culture is not None:
            sql += " AND a.culture = ?"
            params.append(chosen.culture)
        if chosen.tone is not None:
            cultures = ", ".join("?" for _ in chosen.tone_cultures) or "NULL"
            sql += f" AND (a.tone = ? OR (a.tone IS NULL AND a.culture IN ({cultures})))"
            params += [chosen.tone, *chosen.tone_cultures]
        if chosen.due_by is not None:
            sql += " AND b.status = 'waiting' AND i.next_due_at <= ?"
            params.append(to_db(chosen.due_by))
        return sql, params

    def _board_sums(
        self, keys: Sequence[Sequence[BoardKey]], chosen: BoardFilter, now: datetime
    ) -> tuple[str, list[Any]]:
        """A query counting each group of keys: one pass over `board_latest_kind` grouped by
        status and `proposed` (a handful of rows, each with how many of its rounds are later
        rounds still ahead), then each group summed from those rows."""
        sums, params = [], []
        for n, group in enumerate(keys):
            parts = []
            for ahead, count in ((True, "g.ahead"), (False, "g.n - g.ahead")):
                # the grouped rows' rounds on this side of "ahead" that a key of the group takes
                either = [
                    self._board_grouped_key(k) for k in group if k.ahead is None or k.ahead is ahead
                ]
                if either:
                    which = " OR ".join(c for c, _ in either)
                    parts.append(f"CASE WHEN {which} THEN {count} ELSE 0 END")
                    params += [p for _, ps in either for p in ps]
            total = " + ".join(parts) or "0"
            sums.append(f"SUM({total}) AS c{n}")
        more, more_params = self._board_filter(chosen)
        join = ""
        if chosen.culture is not None or chosen.tone is not None:
            join += " JOIN applications a ON a.id = b.application_id"
        if chosen.due_by is not None:
            join += " JOIN interviews i ON i.id = b.interview_id"
        grouped = (
            "SELECT b.status, b.proposed, COUNT(*) AS n,"
            " COUNT(CASE WHEN b.round > 1 AND b.start_at > ? THEN 1 END) AS ahead"
            f" FROM board_latest b{join} WHERE 1 = 1{more} GROUP BY b.status, b.proposed"
        )
        sql = f"SELECT {', '.join(sums)} FROM ({grouped}) AS g"
        return sql, [*params, to_db(now), *more_params]

    @staticmethod
    def _board_grouped_key(key: BoardKey) -> tuple[str, list[Any]]:
        """A condition on a grouped row `g` (status, proposed) for one kind of latest round;
        its "ahead" is the caller's: which of the row's two counts it adds."""
        if key.proposed is None:
            return "g.status = ?", [key.status.value]
        return f"(g.status = ? AND g.proposed = {int(key.proposed)})", [key.status.value]

    def _board_branches(
        self,
        columns: Sequence[Sequence[BoardKey]],
        chosen: BoardFilter,
        now: datetime,
        limit: int,
        after: int | None,
    ) -> tuple[str, list[Any]]:
        """A branch per kind of latest round, each read newest application first through
        `board_latest_column` and cut at `limit`, in one UNION ALL."""
        more, more_params = self._board_filter(chosen)
        if after is not None:
            more, more_params = f"{more} AND b.application_id < ?", [*more_params, after]
        branches, params = [], []
        for n, key in enumerate(k for column in columns for k in column):
            which, key_params = self._board_key(key, now)
            branches.append(
                f"SELECT * FROM (SELECT {n} AS n, {_APPLICATION_COLUMNS}, {_INTERVIEW_COLUMNS},"
                " b.proposed, i.next_kind, i.next_due_at FROM board_latest b"
                " JOIN interviews i ON i.id = b.interview_id"
                " JOIN applications a ON a.id = b.application_id"
                f" WHERE {which}{more} ORDER BY b.application_id DESC LIMIT ?) AS k{n}"
            )
            params += [*key_params, *more_params, limit]
        return " UNION ALL ".join(branches), params

    @staticmethod
    def _board_pages(
        columns: Sequence[Sequence[BoardKey]], rows: Iterable[Sequence[Any]], limit: int
    ) -> list[list[BoardRow]]:
        owner = [c for c, column in enumerate(columns) for _ in column]
        found: list[list[Sequence[Any]]] = [[] for _ in columns]
        for r in rows:
            found[owner[r[0]]].append(r[1:])
        pages = []
        for page in found:
            page.sort(key=lambda r: r[0], reverse=True)
            pages.append(
                [
                    BoardRow(
                        _application(r[:7]), _interview(r[7:18]), bool(r[18]), r[19], _opt_dt(r[20])
                    )
                    for r in page[:limit]
                ]
            )
        return pages

    def board_columns(
        self,
        columns: Sequence[Sequence[BoardKey]],
        chosen: BoardFilter,
        now: datetime,
        limit: int,
        after: int | None = None,
    ) -> list[list[BoardRow]]:
        if not any(columns):
            return [[] for _ in columns]
        branches, params = self._board_branches(columns, chosen, now, limit, after)
        return self._board_pages(columns, self._all(branches, params), limit)

    def board_counts(
        self, keys: Sequence[Sequence[BoardKey]], chosen: BoardFilter, now: datetime
    ) -> list[int]:
        if not keys:
            return []
        sql, params = self._board_sums(keys, chosen, now)
        return [int(n or 0) for n in self._one(sql, params)]

    def board_read(
        self,
        columns: Sequence[Sequence[BoardKey]],
        chosen: BoardFilter,
        now: datetime,
        limit: int,
        after: int | None = None,
    ) -> tuple[list[int], list[list[BoardRow]]]:
        """The counts and the pages in one statement: the counts (one row) left-joined to
        the pages' rows. A search counts first and reads only the columns where it found
        something: a word found nowhere would walk every column to its end."""
        if not any(columns) or chosen.text.strip():
            counts = self.board_counts(columns, chosen, now)
            found = [column if n else [] for column, n in zip(columns, counts, strict=True)]
            return counts, self.board_columns(found, chosen, now, limit, after)
        sums, sum_params = self._board_sums(columns, chosen, now)
        branches, more = self._board_branches(columns, chosen, now, limit, after)
        sql = f"WITH counts AS ({sums}) SELECT * FROM counts LEFT JOIN ({branches}) AS k ON 1 = 1"
        rows = self._all(sql, [*sum_params, *more])
        g = len(columns)
        counts = [int(n or 0) for n in rows[0][:g]]
        return counts, self._board_pages(columns, (r[g:] for r in rows if r[g] is not None), limit)

    def board_people(self, application_ids: Sequence[int]) -> list[BoardPerson]:
        if not application_ids:
            return []
        marks = ", ".join("?" for _ in application_ids)
        rows = self._all(
            "SELECT j.application_id, j.id, p.id, p.name, p.email FROM interviews j"
            " JOIN interviewers p ON p.interview_id = j.id"
            f" WHERE j.application_id IN ({marks}) AND p.removed_at IS NULL"
            " ORDER BY j.application_id, j.round, p.id",
            list(application_ids),
        )
        return [BoardPerson(*r) for r in rows]

    def pending_recipients(self, interview_ids: Sequence[int]) -> dict[int, list[int]]:
        if not interview_ids:
            return {}
        marks = ", ".join("?" for _ in interview_ids)
        rows = self._all(
            "SELECT n.interview_id, n.interviewer_id FROM notes n"
            " JOIN interviews i ON i.id = n.interview_id"
            f" WHERE n.interview_id IN ({marks}) AND n.state = 'pending'"
            " AND n.step = i.next_step AND n.interviewer_id IS NOT NULL"
            " ORDER BY n.interview_id, n.interviewer_id",
            list(interview_ids),
        )
        found: dict[int, list[int]] = {}
        for interview_id, interviewer_id in rows:
            found.setdefault(interview_id, []).append(interviewer_id)
        return found

    def approved_next(self, interview_ids: Sequence[int]) -> set[int]:
        if not interview_ids:
            return set()
        marks = ", ".join("?" for _ in interview_ids)
        seen: set[int] = set()
        unapproved: set[int] = set()
        for interview_id, approved_at in self._all(
            "SELECT n.interview_id, n.approved_at FROM notes n"
            " JOIN interviews i ON i.id = n.interview_id"
            f" WHERE n.interview_id IN ({marks}) AND n.state = 'pending'"
            " AND n.step = i.next_step",
            list(interview_ids),
        ):
            seen.add(interview_id)
            if approved_at is None:
                unapproved.add(interview_id)
        return seen - unapproved

    def dismiss_notes(self, note_ids: Sequence[int], at: datetime) -> None:
        if note_ids:
            marks = ", ".join("?" for _ in note_ids)
            self._execute(
                f"UPDATE notes SET dismissed_at = ? WHERE state = 'failed' AND id IN ({marks})",
                [to_db(at), *note_ids],
            )

    def failed_recipients(
        self, interview_ids: Sequence[int]
    ) -> dict[int, list[tuple[str, int | None]]]:
        if not interview_ids:
            return {}
        marks = ", ".join("?" for _ in interview_ids)
        rows = self._all(
            "SELECT interview_id, kind, interviewer_id FROM notes"
            f" WHERE state = 'failed' AND dismissed_at IS NULL AND interview_id IN ({marks})"
            " ORDER BY interview_id, step, id",
            list(interview_ids),
        )
        found: dict[int, list[tuple[str, int | None]]] = {}
        for interview_id, kind, interviewer_id in rows:
            found.setdefault(interview_id, []).append((kind, interviewer_id))
        return found

    # --- interviewers -------------------------------------------------------------------

    def add_interviewer(self, interview_id: int, person: NewInterviewer) -> int:
        return self._insert(
            "INSERT INTO interviewers (interview_id, name, email, tz, is_primary)"
            " VALUES (?, ?, ?, ?, ?)",
            (interview_id, person.name, person.email, person.tz, int(person.primary)),
        )

    def interviewers(self, interview_id: int) -> list[Interviewer]:
        rows = self._all(
            "SELECT id, interview_id, name, email, tz, is_primary, greet_as, removed_at"
            " FROM interviewers WHERE interview_id = ? ORDER BY id",
            (interview_id,),
        )
        return [
            Interviewer(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7] is not None)
            for r in rows
        ]

    def edit_interview(
        self,
        interview_id: int,
        *,
        start: datetime,
        duration: timedelta,
        tz: str,
        location: str | None,
    ) -> None:
        """The user's correction of when, how long, in which zone and where (notes: replan)."""
        self._execute(
            "UPDATE interviews SET start_at = ?, end_at = ?, duration_min = ?, tz = ?,"
            " location = ? WHERE id = ?",
            (
                to_db(start),
                to_db(start + duration),
                int(duration / timedelta(minutes=1)),
                tz,
                location,
                interview_id,
            ),
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
        self._execute(
            "UPDATE applications SET company = ?, role = ?, culture = ?, country = ? WHERE id = ?",
            (company, role, culture.value, country, application_id),
        )

    def remove_interviewer(self, interviewer_id: int, at: datetime) -> None:
        self._execute(
            "UPDATE interviewers SET removed_at = ?, is_primary = 0 WHERE id = ?",
            (to_db(at), interviewer_id),
        )

    def delete_interviewer(self, interviewer_id: int) -> None:
        """An interviewer no note or debrief names (a typo just added): gone for good."""
        self._execute("DELETE FROM interviewers WHERE id = ?", (interviewer_id,))

    def restore_interviewer(self, interviewer_id: int, person: NewInterviewer) -> None:
        self._execute(
            "UPDATE interviewers SET removed_at = NULL, is_primary = 0, name = ?, tz = ?"
            " WHERE id = ?",
            (person.name, person.tz, interviewer_id),
        )

    def correct_interviewer(self, interviewer_id: int, name: str, email: str | None) -> None:
        self._execute(
            "UPDATE interviewers SET bounced_at = NULL WHERE id = ?"
            " AND COALESCE(email, '') <> COALESCE(?, '')",
            (interviewer_id, email),
        )
        self._execute(
            "UPDATE interviewers SET name = ?, email = ? WHERE id = ?",
            (name, email, interviewer_id),
        )

    def set_primary(self, interview_id: int, interviewer_id: int) -> None:
        self._execute(
            "UPDATE interviewers SET is_primary = CASE WHEN id = ? THEN 1 ELSE 0 END"
            " WHERE interview_id = ?",
            (interviewer_id, interview_id),
        )

    def set_greeting(self, interviewer_id: int, greet_as: str | None) -> None:
        self._execute(
            "UPDATE interviewers SET greet_as = ? WHERE id = ?", (greet_as, interviewer_id)
        )

    # --- notes --------------------------------------------------------------------------

    def notes(self, interview_id: int) -> list[Note]:
        rows = self._all(
            f"SELECT {_NOTE_COLUMNS} FROM notes n WHERE n.interview_id = ? ORDER BY n.step, n.id",
            (interview_id,),
        )
        return [_note(r) for r in rows]

    def sequence_rows(self, interview_id: int) -> SequenceRows | None:
        of = "(SELECT application_id FROM interviews WHERE id = ?)"
        read = self._reads(
            [
                (f"SELECT {_INTERVIEW_COLUMNS} FROM interviews i WHERE i.id = ?", (interview_id,)),
                (
                    f"SELECT {_APPLICATION_COLUMNS} FROM applications a WHERE a.id = {of}",
                    (interview_id,),
                ),
                (
                    "SELECT id, interview_id, name, email, tz, is_primary, greet_as, removed_at"
                    " FROM interviewers WHERE interview_id = ? ORDER BY id",
                    (interview_id,),
                ),
                (
                    f"SELECT {_NOTE_COLUMNS} FROM notes n WHERE n.interview_id = ?"
                    " ORDER BY n.step, n.id",
                    (interview_id,),
                ),
                (
                    f"SELECT {_INTERVIEW_COLUMNS} FROM interviews i WHERE i.application_id = {of}"
                    " ORDER BY i.round DESC LIMIT 1",
                    (interview_id,),
                ),
                (
                    "SELECT id FROM interviewers WHERE interview_id = ? AND bounced_at IS NOT NULL",
                    (interview_id,),
                ),
            ]
        )
        (_, interview), (_, application), (_, people), (_, notes), (_, latest), (_, bounced) = read
        if not interview or not application:
            return None
        return SequenceRows(
            _interview(interview[0]),
            _application(application[0]),
            [
                Interviewer(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7] is not None)
                for r in people
            ],
            [_note(r) for r in notes],
            _interview(latest[0]) if latest else None,
            {int(r[0]) for r in bounced},
        )

    def add_note(self, interview_id: int, planned: PlannedNote, now: datetime) -> int:
        return self._insert(
            "INSERT INTO notes (interview_id, interviewer_id, step, kind, state, earliest_at,"
            " due_at, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)",
            (
                interview_id,
                planned.interviewer_id,
                planned.step,
                planned.kind,
                to_db(planned.earliest_at),
                to_db(planned.due_at),
                to_db(now),
            ),
        )

    def reschedule_note(self, note_id: int, planned: PlannedNote, now: datetime) -> None:
        self._execute(
            "UPDATE notes SET step = ?, kind = ?, earliest_at = ?, due_at = ?, updated_at = ?"
            " WHERE id = ? AND state = 'pending'",
            (
                planned.step,
                planned.kind,
                to_db(planned.earliest_at),
                to_db(planned.due_at),
                to_db(now),
                note_id,
            ),
        )

    def note_texts(self, interview_id: int) -> dict[int, NoteText]:
        """The stored draft of each note of an interview that has one."""
        rows = self._all(
            "SELECT id, subject, body, edited_at FROM notes"
            " WHERE interview_id = ? AND body IS NOT NULL",
            (interview_id,),
        )
        return {r[0]: NoteText(r[1] or "", r[2], r[3] is not None) for r in rows}

    def save_draft(self, note_id: int, text: NoteText, now: datetime) -> None:
        self._execute(
            "UPDATE notes SET subject = ?, body = ?, edited_at = ?, updated_at = ? WHERE id = ?",
            (text.subject, text.body, to_db(now) if text.edited else None, to_db(now), note_id),
        )

    def assign_message_id(self, note_id: int, message_id: str) -> str:
        """Give the note this Message-ID unless it has one; return the one it keeps."""
        self._execute(
            "UPDATE notes SET message_id = ? WHERE id = ? AND message_id IS NULL",
            (message_id, note_id),
        )
        return str(self._one("SELECT message_id FROM notes WHERE id = ?", (note_id,))[0])

    def set_tone(self, application_id: int, tone: str | None) -> None:
        self._execute("UPDATE applications SET tone = ? WHERE id = ?", (tone, application_id))

    def set_note_state(
        self, note_id: int, state: NoteState, now: datetime, sent_at: datetime | None = None
    ) -> None:
        """A pending note moves on (sent by hand, cancelled); one a worker claimed meanwhile
        (its claim takes no lock but the row's) is left to that worker's outcome."""
        self._execute(
            "UPDATE notes SET state = ?, sent_at = COALESCE(?, sent_at), updated_at = ?"
            " WHERE id = ? AND state = 'pending'",
            (state.value, to_db(sent_at) if sent_at else None, to_db(now), note_id),
        )

    def set_next(
        self, interview_id: int, step: int | None, kind: str | None, due_at: datetime | None
    ) -> None:
        """Keep the interview's next step (what the agenda reads) in line with its notes."""
        self._execute(
            "UPDATE interviews SET next_step = ?, next_kind = ?, next_due_at = ? WHERE id = ?",
            (step, kind, to_db(due_at) if due_at else None, interview_id),
        )

    # The agenda ranks open sequences in SQL with the thresholds the domain computed
    # (planner.risk_cutoffs). Each risk class is read in due order through a partial index
    # and stops at the page size, so a page costs what it shows, not what is open.
    # A fading thank-you is also due (next_due_at <= now): the overdue and due classes are
    # due by definition, so there only the ended-by half of the test is needed, and the
    # upcoming class has none.
    _FADING = "next_step = 1 AND end_at <= ?"
    _CLASSES = (
        f"status = 'waiting' AND next_due_at <= ? AND {_FADING}",
        f"status = 'waiting' AND next_due_at <= ? AND NOT ({_FADING})",
        f"status = 'waiting' AND next_due_at > ? AND next_due_at <= ? AND NOT ({_FADING})",
        "status = 'waiting' AND next_due_at > ?",
    )
    _NO_LIMIT = 2**62  # portable "no limit"

    def agenda_page(
        self, cutoffs: RiskCutoffs, limit: int | None, only: int | None = None
    ) -> list[AgendaRow]:
        """The open sequences most at risk first: fading, overdue, due, upcoming; `only`: the
        one class of that index."""
        fade, overdue, now = _marks(cutoffs)
        n = self._NO_LIMIT if limit is None else limit
        per_class = (
            (now, fade),
            (overdue, fade),
            (overdue, now, fade),
            (now,),
        )
        classes = [
            (risk, where)
            for risk, where in enumerate(self._CLASSES)
            if only is None or risk == only
        ]
        union = " UNION ALL ".join(
            f"SELECT * FROM (SELECT {risk} AS risk, id, next_due_at AS due FROM interviews"
            f" WHERE {where} ORDER BY next_due_at, id LIMIT ?) AS c{risk}"
            for risk, where in classes
        )
        params = [p for risk, _ in classes for p in (*per_class[risk], n)]
        rows = self._all(
            "SELECT i.id, i.application_id, a.company, a.role, i.next_step, i.next_kind,"
            " i.next_due_at, i.start_at, i.end_at, i.tz, i.round"
            f" FROM ({union}) AS r"
            " JOIN interviews i ON i.id = r.id JOIN applications a ON a.id = i.application_id"
            " ORDER BY r.risk, r.due, r.id LIMIT ?",
            (*params, n),
        )
        recipients, scheduled, emails = self._recipients([r[0] for r in rows])
        return [
            AgendaRow(
                interview_id=r[0],
                application_id=r[1],
                company=r[2],
                role=r[3],
                step=r[4],
                kind=r[5],
                due_at=from_db(r[6]),
                interview_start=from_db(r[7]),
                interview_end=from_db(r[8]),
                tz=r[9],
                recipients=tuple(recipients.get(r[0], ())),
                emails=tuple(emails.get(r[0], ())),
                scheduled=r[0] in scheduled,
                round=r[10],
            )
            for r in rows
        ]

    def recently_ended(self, since: datetime, limit: int) -> list[EndedRow]:
        """Sequences that ended (replied, closed, advanced, or an outcome: rejected,
        role-closed, offer) since `since`, newest first — and those cancelled because every
        address bounced (to be put right: nobody reads a note). Each kind through its own
        partial index, newest first and at most `limit` (`interviews_ended`,
        `interviews_cancelled`): what is read grows with what ended lately, not history."""
        last_inbound = (
            "(SELECT m.classification FROM inbound_messages m WHERE m.interview_id = i.id"
            " ORDER BY m.received_at DESC, m.id DESC LIMIT 1)"
        )
        columns = (
            f"SELECT i.id, a.company, a.role, i.status, i.status_at, {last_inbound},"
            " (SELECT n.kind FROM notes n WHERE n.interview_id = i.id AND n.state = 'sent'"
            " ORDER BY n.sent_at DESC, n.step DESC, n.id DESC LIMIT 1),"
            " (SELECT p.email FROM interviewers p WHERE p.interview_id = i.id"
            " AND p.bounced_at IS NOT NULL ORDER BY p.bounced_at DESC, p.id DESC LIMIT 1)"
            " FROM interviews i JOIN applications a ON a.id = i.application_id"
        )
        newest = " AND i.status_at >= ? ORDER BY i.status_at DESC, i.id DESC LIMIT ?"
        ended = self._all(
            f"{columns} WHERE i.status IN"
            f" ('replied', 'closed', 'advanced', 'rejected', 'role-closed', 'offer'){newest}",
            (to_db(since), limit),
        )
        bounced = self._all(
            f"{columns} WHERE i.status = 'cancelled' AND {last_inbound} = 'bounce'{newest}",
            (to_db(since), limit),
        )
        rows = sorted([*ended, *bounced], key=lambda r: (r[4], r[0]), reverse=True)[:limit]
        return [
            EndedRow(
                r[0],
                r[1],
                r[2],
                Status(r[3]),
                from_db(r[4]),
                r[3] == "replied" and r[5] == "scheduling",
                r[6],
                r[7] if r[3] == "cancelled" else None,
            )
            for r in rows
        ]

    def failed_notes(self, limit: int) -> list[FailedRow]:
        """Through `notes_failed` (failed notes by when they failed): never the history. Not
        those to an address that bounced: no retry reaches it (the agenda's "Ended lately"
        and the interview say how to put the address right)."""
        rows = self._all(
            "SELECT n.interview_id, a.company, a.role, n.kind, p.name, p.email,"
            " n.last_error, n.updated_at"
            " FROM notes n JOIN interviews i ON i.id = n.interview_id"
            " JOIN applications a ON a.id = i.application_id"
            " LEFT JOIN interviewers p ON p.id = n.interviewer_id"
            " WHERE n.state = 'failed' AND n.dismissed_at IS NULL AND i.status = 'waiting'"
            " AND p.bounced_at IS NULL"
            " ORDER BY n.updated_at DESC, n.id DESC LIMIT ?",
            (limit,),
        )
        return [
            FailedRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or "", from_db(r[7])) for r in rows
        ]

    def bounced_people(self, limit: int) -> list[BouncedRow]:
        rows = self._all(
            "SELECT p.interview_id, a.company, a.role, p.name, p.email, p.bounced_at"
            " FROM interviewers p JOIN interviews i ON i.id = p.interview_id"
            " JOIN applications a ON a.id = i.application_id"
            " WHERE p.bounced_at IS NOT NULL AND p.removed_at IS NULL AND i.status = 'waiting'"
            " ORDER BY p.bounced_at DESC, p.id DESC LIMIT ?",
            (limit,),
        )
        return [BouncedRow(r[0], r[1], r[2], r[3], r[4], from_db(r[5])) for r in rows]

    def agenda_counts(self, cutoffs: RiskCutoffs) -> tuple[int, int, int, int]:
        """How many open sequences are (fading, overdue, due, upcoming).

        Counted as due-time ranges on `interviews_open`, minus the fading ones (read through
        `interviews_fading`) that fall in each range: no pass over every open row.
        """
        fade, overdue, now = _marks(cutoffs)
        open_ = "FROM interviews WHERE status = 'waiting'"
        fading = f"{open_} AND next_step = 1 AND end_at <= ? AND next_due_at <= ?"
        r = self._one(
            f"SELECT (SELECT COUNT(*) {open_} AND next_due_at <= ?),"
            f" (SELECT COUNT(*) {open_} AND next_due_at > ? AND next_due_at <= ?),"
            f" (SELECT COUNT(*) {open_} AND next_due_at > ?),"
            f" (SELECT COUNT(*) {fading}),"
            f" (SELECT COALESCE(SUM(CASE WHEN next_due_at <= ? THEN 1 ELSE 0 END), 0) {fading})",
            (overdue, overdue, now, now, fade, now, overdue, fade, now),
        )
        late, due, upcoming, fading_all, fading_late = (int(x) for x in r)
        # a fading note is due or overdue, never upcoming
        return fading_all, late - fading_late, due - (fading_all - fading_late), upcoming

    def rounds_held(self, application_ids: Sequence[int]) -> dict[int, list[RoundHeld]]:
        """Each application's rounds not cancelled (a round cancelled is none the user will
        thank for: added by mistake, called off), earliest first, with whom each met
        (lower-cased addresses):
        what overtakes an unsent thank-you (planner.overtaken). Through the indexes on
        interviews (application_id, start_at) and interviewers (interview_id)."""
        people: dict[int, set[str]] = {}
        starts: dict[int, tuple[int, datetime]] = {}
        ids = sorted(set(application_ids))
        for chunk, marks in _in_lists(ids):
            for application_id, interview_id, start, email in self._all(
                "SELECT i.application_id, i.id, i.start_at, p.email FROM interviews i"
                " LEFT JOIN interviewers p ON p.interview_id = i.id AND p.removed_at IS NULL"
                f" WHERE i.application_id IN ({marks})"
                " AND i.status <> 'cancelled'",
                chunk,
            ):
                starts[interview_id] = (application_id, from_db(start))
                found = people.setdefault(interview_id, set())
                if email:
                    found.add(email.lower())
        held: dict[int, list[RoundHeld]] = {}
        for interview_id, (application_id, start) in sorted(starts.items(), key=lambda s: s[1][1]):
            held.setdefault(application_id, []).append(
                RoundHeld(start, frozenset(people[interview_id]))
            )
        return held

    def _recipients(
        self, interview_ids: Sequence[int]
    ) -> tuple[dict[int, list[str]], set[int], dict[int, list[str]]]:
        """Who each interview's pending notes go to (names, else addresses), which
        interviews have every pending note approved to go out when due, and the recipients'
        addresses (beside the names, "" for none)."""
        from followup.app.parse import person_label

        found: dict[int, list[str]] = {}
        addresses: dict[int, list[str]] = {}
        seen: set[int] = set()
        unapproved: set[int] = set()
        for chunk, marks in _in_lists(interview_ids):
            for interview_id, name, email, approved_at in self._all(
                "SELECT n.interview_id, p.name, p.email, n.approved_at FROM notes n"
                " LEFT JOIN interviewers p ON p.id = n.interviewer_id"
                f" WHERE n.interview_id IN ({marks}) AND n.state = 'pending'"
                " ORDER BY n.interview_id, n.id",
                chunk,
            ):
                if name or email:  # a name that could pass for an address: with the real one
                    found.setdefault(interview_id, []).append(person_label(name or "", email))
                    addresses.setdefault(interview_id, []).append(email or "")
                seen.add(interview_id)
                if approved_at is None:
                    unapproved.add(interview_id)
        return found, seen - unapproved, addresses

    # --- sending (at-most-once: pending -> sending -> sent | failed | unknown) -----------

    def get_note(self, note_id: int) -> Note | None:
        r = self._one(f"SELECT {_NOTE_COLUMNS} FROM notes n WHERE n.id = ?", (note_id,))
        return _note(r) if r else None

    def due_notes(self, now: datetime, limit: int) -> list[Note]:
        """Pending notes due by `now`, earliest first (through `notes_pending`)."""
        rows = self._all(
            f"SELECT {_NOTE_COLUMNS} FROM notes n JOIN interviews i ON i.id = n.interview_id"
            " WHERE n.state = 'pending' AND n.due_at <= ? AND i.status = 'waiting'"
            " ORDER BY n.due_at, n.id LIMIT ?",
            (to_db(now), limit),
        )
        return [_note(r) for r in rows]

    def claim_note(self, note_id: int, now: datetime, by: str) -> bool:
        """Mark a pending note `sending` for `by`; False when someone else got it first."""
        cur = self._execute(
            "UPDATE notes SET state = 'sending', claimed_at = ?, claimed_by = ?,"
            " lease_until = NULL, attempts = attempts + 1, updated_at = ?"
            " WHERE id = ? AND state = 'pending'",
            (to_db(now), by, to_db(now), note_id),
        )
        return bool(cur.rowcount == 1)

    def never_arrived(self, note_id: int, now: datetime) -> None:
        self._execute(
            "UPDATE notes SET state = 'pending', sent_at = NULL, last_error = NULL,"
            " updated_at = ? WHERE id = ?",
            (to_db(now), note_id),
        )

    def finish_note(
        self,
        note_id: int,
        state: NoteState,
        now: datetime,
        sent_at: datetime | None = None,
        error: str | None = None,
    ) -> None:
        """Leave `sending` (or `unknown`): sent, failed, unknown, or back to pending. A note
        that is sent or failed keeps no approved message: an approval is spent once."""
        spent = state in (NoteState.SENT, NoteState.FAILED)
        self._execute(
            "UPDATE notes SET state = ?, sent_at = COALESCE(?, sent_at), last_error = ?,"
            " dismissed_at = NULL,"
            " claimed_at = CASE WHEN ? = 'sending' THEN claimed_at END,"
            " approved_message = CASE WHEN ? THEN NULL ELSE approved_message END,"
            " approved_to = CASE WHEN ? THEN NULL ELSE approved_to END,"
            " approved_seal = CASE WHEN ? THEN NULL ELSE approved_seal END,"
            " updated_at = ? WHERE id = ?",
            (
                state.value,
                to_db(sent_at) if sent_at else None,
                error,
                state.value,
                spent,
                spent,
                spent,
                to_db(now),
                note_id,
            ),
        )

    def mark_drafted(self, note_id: int, now: datetime) -> None:
        self._execute(
            "UPDATE notes SET drafted_at = ?, updated_at = ? WHERE id = ?",
            (to_db(now), to_db(now), note_id),
        )

    def drafted_at(self, note_id: int) -> datetime | None:
        row = self._one("SELECT drafted_at FROM notes WHERE id = ?", (note_id,))
        return from_db(row[0]) if row and row[0] else None

    def claims(self) -> list[tuple[Note, datetime, str]]:
        """Every note now `sending`, with when and by whom it was claimed."""
        rows = self._all(
            f"SELECT {_NOTE_COLUMNS}, n.claimed_at, n.claimed_by FROM notes n"
            " WHERE n.state = 'sending' ORDER BY n.id"
        )
        n = _NOTE_WIDTH
        return [(_note(r[:n]), from_db(r[n]), r[n + 1] or "") for r in rows]

    def notes_in_state(self, state: NoteState) -> list[Note]:
        rows = self._all(
            f"SELECT {_NOTE_COLUMNS} FROM notes n WHERE n.state = ? ORDER BY n.id", (state.value,)
        )
        return [_note(r) for r in rows]

    def last_error(self, note_id: int) -> str | None:
        row = self._one("SELECT last_error FROM notes WHERE id = ?", (note_id,))
        return row[0] if row else None

    def sent_since(self, since: datetime) -> list[datetime]:
        """Through `notes_sent_at` (sent_at of sent notes): a day's sends, never the history."""
        rows = self._all(
            "SELECT sent_at FROM notes WHERE state = 'sent' AND sent_at > ? ORDER BY sent_at",
            (to_db(since),),
        )
        return [from_db(r[0]) for r in rows]

    # --- reading mail -------------------------------------------------------------------

    def notes_with_message_ids(self, message_ids: Sequence[str]) -> list[Note]:
        found: list[Note] = []
        for chunk, marks in _in_lists(message_ids):
            rows = self._all(
                f"SELECT {_NOTE_COLUMNS} FROM notes n WHERE n.message_id IN ({marks})", chunk
            )
            found += [_note(r) for r in rows]
        return found

    def open_interviews_for_sender(
        self, address: str, domain: str, colleagues: bool = False
    ) -> list[int]:
        """Open interviews whose people or company domains match a sender, newest first
        (`domain`: the sender's registrable domain; colleagues write from it or from any of
        its subdomains).

        The LIKE (portable, unlike SQLite's instr or PostgreSQL's strpos) only narrows the
        rows: `_` in a domain matches any character there, and SQLite's LIKE ignores ASCII
        case, so the exact word match on the space-separated list is made here.
        """
        at = f"%{domain}" if colleagues else None  # NULL: no LIKE is true
        rows = self._all(
            "SELECT i.id, a.domains, p.email FROM interviews i"
            " JOIN applications a ON a.id = i.application_id"
            " LEFT JOIN interviewers p ON p.interview_id = i.id"
            f" WHERE i.status IN {_SENDER_STATUSES}"
            " AND (p.email = ? OR ' ' || a.domains || ' ' LIKE ? OR p.email LIKE ?)"
            " ORDER BY i.start_at DESC, i.id DESC",
            (address, f"% {domain} %", at),
        )
        found = dict.fromkeys(
            int(r[0])
            for r in rows
            if r[2] == address
            or domain in (r[1] or "").split()
            or (
                colleagues
                and r[2] is not None
                and registrable_domain(r[2].rpartition("@")[2]) == domain
            )
        )
        return list(found)

    def hiring_senders(self) -> tuple[set[str], set[str]]:
        """(interviewer addresses, company domains) of the interviews whose mail counts:
        those `open_interviews_for_sender` looks among, all at once for a sync's pre-filter."""
        addresses: set[str] = set()
        domains: set[str] = set()
        rows = self._all(
            "SELECT DISTINCT p.email, a.domains FROM interviews i"
            " JOIN applications a ON a.id = i.application_id"
            " LEFT JOIN interviewers p ON p.interview_id = i.id"
            f" WHERE i.status IN {_SENDER_STATUSES}"
            # and the people of an application that ended: a reply may overturn it
            " UNION SELECT DISTINCT p.email, NULL FROM interviews i"
            " JOIN interviewers p ON p.interview_id = i.id"
            " WHERE i.status IN ('rejected', 'role-closed')"
        )
        for email, listed in rows:
            if email:
                addresses.add(email)
            domains.update((listed or "").split())
        return addresses, domains

    def inbound_seen(self, message_id: str) -> bool:
        row = self._one("SELECT 1 FROM inbound_messages WHERE message_id = ?", (message_id,))
        return row is not None

    def flag_bounced(self, interviewer_id: int, at: datetime) -> None:
        self._execute(
            "UPDATE interviewers SET bounced_at = COALESCE(bounced_at, ?) WHERE id = ?",
            (to_db(at), interviewer_id),
        )

    def bounced_interviewers(self, interview_id: int) -> set[int]:
        rows = self._all(
            "SELECT id FROM interviewers WHERE interview_id = ? AND bounced_at IS NOT NULL",
            (interview_id,),
        )
        return {int(r[0]) for r in rows}

    def sync_point(self, account: str, folder: str) -> tuple[int, int] | None:
        row = self._one(
            "SELECT uidvalidity, last_uid FROM mail_sync WHERE account = ? AND folder = ?",
            (account, folder),
        )
        return (int(row[0]), int(row[1])) if row else None

    def save_sync_point(
        self, account: str, folder: str, uidvalidity: int, last_uid: int, now: datetime
    ) -> None:
        self._execute(
            "INSERT INTO mail_sync (account, folder, uidvalidity, last_uid, synced_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (account, folder) DO UPDATE SET"
            " uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid,"
            " synced_at = excluded.synced_at",
            (account, folder, uidvalidity, last_uid, to_db(now)),
        )

    # --- inbound ------------------------------------------------------------------------

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
        return self._insert(
            "INSERT INTO inbound_messages (interview_id, message_id, from_addr, subject,"
            " received_at, classification, source, created_at, reason)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                interview_id,
                message_id,
                from_addr,
                subject,
                to_db(received_at),
                classification,
                source,
                to_db(now),
                reason,
            ),
        )

    def inbound_by_message_id(self, message_id: str) -> dict[str, Any] | None:
        r = self._one(
            "SELECT interview_id, received_at, classification, source, from_addr, subject"
            " FROM inbound_messages WHERE message_id = ? AND interview_id IS NOT NULL",
            (message_id,),
        )
        keys = ("interview_id", "received_at", "classification", "source", "from_addr")
        return None if r is None else dict(zip((*keys, "subject"), r, strict=True))

    def inbound(self, interview_id: int) -> list[dict[str, Any]]:
        rows = self._all(
            "SELECT received_at, classification, source, from_addr, subject, message_id, reason"
            " FROM inbound_messages WHERE interview_id = ? ORDER BY received_at",
            (interview_id,),
        )
        keys = INBOUND_KEYS
        return [dict(zip(keys, r, strict=True)) for r in rows]

    # --- debriefs -----------------------------------------------------------------------

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
        return self._insert(
            "INSERT INTO debriefs (interview_id, interviewer_id, topic, skill, note, promised_by,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                interview_id,
                interviewer_id,
                topic,
                skill,
                note,
                promised_by.isoformat() if promised_by else None,
                to_db(now),
            ),
        )

    def debriefs(self, interview_id: int) -> list[dict[str, Any]]:
        rows = self._all(
            "SELECT interviewer_id, topic, skill, note, promised_by FROM debriefs"
            " WHERE interview_id = ? ORDER BY id",
            (interview_id,),
        )
        keys = ("interviewer_id", "topic", "skill", "note", "promised_by")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def clear_topics(self, interview_id: int, interviewer_id: int | None) -> None:
        whose = "interviewer_id IS NULL" if interviewer_id is None else "interviewer_id = ?"
        self._execute(
            f"UPDATE debriefs SET topic = NULL WHERE interview_id = ? AND {whose}",
            (interview_id,) if interviewer_id is None else (interview_id, interviewer_id),
        )

    # --- history (app/history.py) ------------------------------------------------------

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
        return self._insert(
            _EVENT_INSERT,
            _event_values(interview_id, at, source, kind, summary, detail, prior_state),
        )

    def events(self, interview_id: int) -> list[Event]:
        """The interview's events, oldest first (`events_interview` index)."""
        rows = self._all(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE interview_id = ? ORDER BY id",
            (interview_id,),
        )
        return [_event(r) for r in rows]

    def all_events(self) -> list[Event]:
        """Every interview's events, by interview then in order (the JSON export)."""
        return [
            _event(r)
            for r in self._all(f"SELECT {_EVENT_COLUMNS} FROM events ORDER BY interview_id, id")
        ]

    def last_event(self, interview_id: int, passing_over: Sequence[str]) -> Event | None:
        """The newest event not undone and of none of these kinds: what `undo` would revert."""
        marks = ", ".join("?" for _ in passing_over) or "NULL"
        row = self._one(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE interview_id = ?"
            f" AND undone_by IS NULL AND kind NOT IN ({marks}) ORDER BY id DESC LIMIT 1",
            (interview_id, *passing_over),
        )
        return None if row is None else _event(row)

    def prior_state(self, event_id: int) -> InterviewState | None:
        row = self._one("SELECT prior_state FROM events WHERE id = ?", (event_id,))
        return None if row is None or row[0] is None else json.loads(row[0])

    def set_undone(self, event_id: int, by: int) -> None:
        self._execute("UPDATE events SET undone_by = ? WHERE id = ?", (by, event_id))

    def set_prior_state(self, event_id: int, prior_state: InterviewState) -> None:
        self._execute(
            "UPDATE events SET prior_state = ? WHERE id = ?",
            (json.dumps(prior_state, sort_keys=True), event_id),
        )

    def interview_state(self, interview_id: int) -> InterviewState:
        """The interview's rows (its application's too), every column but a note's approval
        and claim: what undo puts back (an approval is never restored: approve again)."""
        state: InterviewState = {}
        read = self._reads(
            [
                (f"SELECT * FROM {table} WHERE {where} ORDER BY id", (interview_id,))
                for table, where in _STATE_SCOPE
            ]
        )
        for (table, _where), (names, rows) in zip(_STATE_SCOPE, read, strict=True):
            state[table] = [
                {k: v for k, v in zip(names, r, strict=True) if k not in NOTE_PRIVATE} for r in rows
            ]
        return state

    def _reads(
        self, queries: Sequence[tuple[str, Sequence[Any]]]
    ) -> list[tuple[list[str], list[Any]]]:
        """Several reads, each one's column names and rows (PostgreSQL sends them in one
        message: one round trip)."""
        out = []
        for sql, params in queries:
            cur = self._execute(sql, params)
            out.append(([d[0] for d in cur.description], cur.fetchall()))
        return out

    def put_interview_state(self, interview_id: int, state: InterviewState) -> None:
        """Make the interview's rows those of `state` (from `interview_state`): rows it lacks
        go (a note once published to a calendar stays, cancelled, so the calendar hears of
        it), its rows are written back, every approval of the interview's notes is dropped."""
        wanted = {t: {int(r["id"]): r for r in state.get(t, [])} for t, _ in _STATE_SCOPE}
        for table, where in reversed(_STATE_SCOPE):  # children before what they refer to
            current = [
                int(r[0])
                for r in self._all(f"SELECT id FROM {table} WHERE {where}", (interview_id,))
            ]
            for row_id in current:
                if row_id in wanted[table]:
                    continue
                if table == "notes" and self._one(
                    "SELECT 1 FROM calendar_published WHERE note_id = ?", (row_id,)
                ):
                    self._execute("UPDATE notes SET state = 'cancelled' WHERE id = ?", (row_id,))
                    continue
                self._execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
        for table, _ in _STATE_SCOPE:
            columns = set(self.table_columns(table))
            for row_id, row in wanted[table].items():
                values = {k: v for k, v in row.items() if k in columns and k != "id"}
                if self._one(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)):
                    assignments = ", ".join(f"{k} = ?" for k in values)
                    self._execute(
                        f"UPDATE {table} SET {assignments} WHERE id = ?",
                        [*values.values(), row_id],
                    )
                else:
                    names = ", ".join(["id", *values])
                    marks = ", ".join("?" for _ in range(len(values) + 1))
                    self._execute(
                        f"INSERT INTO {table} ({names}) VALUES ({marks})",
                        [row_id, *values.values()],
                    )
        self._execute(
            f"UPDATE notes SET {', '.join(f'{c} = NULL' for c in NOTE_PRIVATE)}"
            " WHERE interview_id = ?",
            (interview_id,),
        )

    # --- the lossless export and its import (PortabilityStore) ---------------------------

    def export_rows(self) -> ExportRows:
        """Every portable column of every row, each table in id order."""
        return ExportRows(
            [
                ApplicationRecord._make(r)
                for r in self._rows("applications", ApplicationRecord._fields)
            ],
            [InterviewRecord._make(r) for r in self._rows("interviews", InterviewRecord._fields)],
            [
                record._replace(is_primary=bool(record.is_primary))
                for record in map(
                    InterviewerRecord._make, self._rows("interviewers", InterviewerRecord._fields)
                )
            ],
            [NoteRecord._make(r) for r in self._rows("notes", NoteRecord._fields)],
            [InboundRecord._make(r) for r in self._rows("inbound_messages", InboundRecord._fields)],
            [DebriefRecord._make(r) for r in self._rows("debriefs", DebriefRecord._fields)],
        )

    def export_stream(self) -> ExportStream:
        """`export_rows` and the history from cursors, in the JSON export's order (see
        `ExportStream`): a child row follows its interview's (application_id, id)."""

        def children(table: str, fields: Sequence[str]) -> Iterator[Any]:
            columns = ", ".join(f"c.{f}" for f in fields)
            return self._stream(
                f"SELECT {columns} FROM {table} c JOIN interviews i ON i.id = c.interview_id"
                " ORDER BY i.application_id, i.id, c.id"
            )

        # the history as an export writes it: what happened, never its detail nor what undo
        # would put back, the instant as its text (decoding the detail was a fifth of the
        # JSON export's time; a datetime made per entry to be written back, a tenth)
        events = "c.interview_id, c.happened_at, c.source, c.kind, c.summary, c.undone_by"
        flag = InterviewerRecord._fields.index("is_primary")
        person = _as(InterviewerRecord)

        def interviewer(r: Sequence[Any]) -> InterviewerRecord:  # 0 or 1 as true or false
            return person((*r[:flag], bool(r[flag]), *r[flag + 1 :]))

        return ExportStream(
            map(
                _as(ApplicationRecord),
                self._stream(
                    f"SELECT {', '.join(ApplicationRecord._fields)} FROM applications ORDER BY id"
                ),
            ),
            map(
                _as(InterviewRecord),
                self._stream(
                    f"SELECT {', '.join(InterviewRecord._fields)} FROM interviews"
                    " ORDER BY application_id, id"
                ),
            ),
            map(interviewer, children("interviewers", InterviewerRecord._fields)),
            map(_as(NoteRecord), children("notes", NoteRecord._fields)),
            map(_as(InboundRecord), children("inbound_messages", InboundRecord._fields)),
            map(_as(DebriefRecord), children("debriefs", DebriefRecord._fields)),
            map(
                _exported_event,
                self._stream(
                    f"SELECT {events} FROM events c JOIN interviews i ON i.id = c.interview_id"
                    " ORDER BY i.application_id, i.id, c.id"
                ),
            ),
            map(
                _as(InboundRecord),
                self._stream(
                    f"SELECT {', '.join(InboundRecord._fields)} FROM inbound_messages"
                    " WHERE interview_id IS NULL ORDER BY id"
                ),
            ),
        )

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
        """The rows of a query as they are read, not all at once; the query runs when the
        first row is asked for."""
        cur = self._execute(sql, params)
        while batch := cur.fetchmany(1000):
            yield from batch

    def _rows(self, table: str, fields: Sequence[str]) -> list[Any]:
        """The table's rows in id order, these columns only."""
        return self._all(f"SELECT {', '.join(fields)} FROM {table} ORDER BY id")

    def table_columns(self, table: str) -> tuple[str, ...]:
        """The columns of one of our tables, as the database has them now (what tests check
        the portable records against: every column is portable or decided not to be)."""
        if table not in TABLES:
            raise ValueError(f"not a followup table: {table!r}")
        cur = self._execute(f"SELECT * FROM {table} WHERE 1 = 0")
        return tuple(d[0] for d in cur.description)

    def _insert_record(self, table: str, values: dict[str, Any]) -> int:
        """Write a record (as a dict) as a new row of `table`, with a fresh id."""
        del values["id"]
        marks = ", ".join("?" for _ in values)
        return self._insert(
            f"INSERT INTO {table} ({', '.join(values)}) VALUES ({marks})", list(values.values())
        )

    def insert_application(self, row: ApplicationRecord) -> int:
        return self._insert_record("applications", row._asdict())

    def insert_interview(self, row: InterviewRecord) -> int:
        return self._insert_record("interviews", row._asdict())

    def insert_interviewer(self, row: InterviewerRecord) -> int:
        # 0 or 1: PostgreSQL will not put a boolean in the integer column
        return self._insert_record(
            "interviewers", {**row._asdict(), "is_primary": int(row.is_primary)}
        )

    def insert_note(self, row: NoteRecord) -> int:
        return self._insert_record("notes", row._asdict())

    def insert_inbound(self, row: InboundRecord) -> int:
        return self._insert_record("inbound_messages", row._asdict())

    def insert_debrief(self, row: DebriefRecord) -> int:
        return self._insert_record("debriefs", row._asdict())

    def insert_records(self, table: str, records: Sequence[Sequence[Any]]) -> list[int]:
        """Many records of one table (its record type's fields in order, the id ignored) as
        new rows with fresh ids, in one `executemany`; their ids, in order."""
        if table not in TABLES:
            raise ValueError(f"not a followup table: {table!r}")
        if not records:
            return []
        fields = _RECORD_FIELDS[table]
        n = len(records)
        if set(map(len, records)) != {len(fields)}:
            raise ValueError(f"a {table} record has {len(fields)} fields")
        ids = self._fresh_ids(table, n)
        # Column by column (C loops): a column null in every record of the batch is left
        # out of the statement when its default is null anyway (an export's unused columns:
        # each value bound costs ~0.2 µs); one with a default keeps its explicit value.
        columns: list[Sequence[Any]] = list(zip(*records, strict=True))
        columns[0] = ids
        if table == "interviewers":  # 0 or 1: PostgreSQL will not put a boolean there
            flag = fields.index("is_primary")
            columns[flag] = list(map(int, columns[flag]))
        nullable = self._null_by_default(table)
        kept = [
            k
            for k, column in enumerate(columns)
            if fields[k] not in nullable or column.count(None) != n
        ]
        names = ", ".join(fields[k] for k in kept)
        marks = ", ".join("?" for _ in kept)
        rows = list(zip(*(columns[k] for k in kept), strict=True))
        self._executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        return ids

    _defaults_null: dict[str, frozenset[str]]  # per store, set by its __init__

    def _null_by_default(self, table: str) -> frozenset[str]:
        """The table's columns that may be null and have no default (null when left out of
        an INSERT), as the database's schema says: asked once per store."""
        known = self._defaults_null.get(table)
        if known is None:
            known = self._defaults_null[table] = frozenset(self._columns_null_by_default(table))
        return known

    def _columns_null_by_default(self, table: str) -> list[str]:
        raise NotImplementedError

    def add_history(self, rows: Sequence[tuple[int, str, str, str, str]]) -> None:
        """Events that cannot be undone, many at once: (interview id, when as stored ISO-8601
        UTC text, source, kind, summary) each."""
        if rows:
            self._executemany(
                "INSERT INTO events (interview_id, happened_at, source, kind, summary)"
                " VALUES (?, ?, ?, ?, ?)",
                rows,
            )

    def add_events(self, rows: Sequence[EventRow]) -> None:
        """Events as `add_event` writes them, many in one `executemany`."""
        if rows:
            self._executemany(
                _EVENT_INSERT,
                [_event_values(*row) for row in rows],
            )

    # An import's working memory (ids and digests seen), out of the process: a temporary
    # table of this connection, in this transaction.
    _SCRATCH = (
        "CREATE TEMP TABLE IF NOT EXISTS import_scratch (space TEXT NOT NULL,"
        " key BIGINT NOT NULL, value BIGINT NOT NULL, PRIMARY KEY (space, key))"
    )

    # ... and the rows it keeps until it writes them (a CSV file's).
    _STASH = (
        "CREATE TEMP TABLE IF NOT EXISTS import_stash (grp TEXT NOT NULL, ord BIGINT NOT NULL,"
        " data BLOB NOT NULL)"
    )

    def scratch(self) -> None:
        """An empty scratch space for `remember` and `recall`, and an empty stash (inside
        the transaction)."""
        self._execute(self._SCRATCH)
        self._execute("DELETE FROM import_scratch")
        self._execute(self._STASH)
        self._execute("DELETE FROM import_stash")

    def stash(self, rows: Sequence[tuple[str, int, bytes]]) -> None:
        if rows:
            self._executemany("INSERT INTO import_stash (grp, ord, data) VALUES (?, ?, ?)", rows)

    def stashed(self) -> Iterator[tuple[str, bytes]]:
        # (a window, two sorts: a join on the group scanned the stash once per group)
        return self._stream(
            "SELECT grp, data FROM (SELECT grp, ord, data, MIN(ord) OVER (PARTITION BY grp)"
            " AS first FROM import_stash) AS s ORDER BY first, ord"
        )

    def remember(self, space: str, pairs: Sequence[tuple[int, int]]) -> None:
        if pairs:
            self._executemany(
                "INSERT INTO import_scratch (space, key, value) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                [(space, key, value) for key, value in pairs],
            )

    def recall(self, space: str, keys: Iterable[int]) -> dict[int, int]:
        wanted = list(dict.fromkeys(keys))
        found: dict[int, int] = {}
        for chunk, marks in _in_lists(wanted):
            found.update(
                self._all(
                    f"SELECT key, value FROM import_scratch WHERE space = ? AND key IN ({marks})",
                    [space, *chunk],
                )
            )
        return found

    # --- the stats' aggregates while an import writes (issue #17) ------------------------
    # The triggers of migrations 0023 and 0025 recompute an interview's facts for every row
    # written (about 0.18 ms an interview imported): an import pauses them for its writes
    # and brings the aggregates up to date once, set-based, in the same transaction.

    def pause_stats(self) -> None:
        """Until `resume_stats`, inside this transaction only: the stats' triggers do
        nothing. (A store that cannot pause them keeps them: resuming is then a no-op.)"""

    def resume_stats(self, interview_ids: Sequence[int]) -> None:
        """The triggers back, and the aggregates brought up to date for `interview_ids`:
        the interviews written while they were paused, all new (no facts row yet)."""

    def _facts_sql(self) -> str:
        """Migration 0023's backfill (the facts of every interview), in this dialect."""
        raise NotImplementedError

    def _board_sql(self) -> list[str]:
        """The migrations' backfills of `board_latest`, in this dialect, each narrowed to
        the applications `{ids}` names (`sqlite.board_backfills`)."""
        raise NotImplementedError

    def _add_board(self, interview_ids: Sequence[int]) -> None:
        """The board's rows of the applications these new interviews belong to, by the
        migrations' own backfills (0027's latest rounds, then 0029's search text), each
        narrowed to those applications."""
        statements = self._board_sql()
        for chunk, marks in _in_lists(list(interview_ids)):
            apps = [
                int(r[0])
                for r in self._all(
                    f"SELECT DISTINCT application_id FROM interviews WHERE id IN ({marks})", chunk
                )
            ]
            if not apps:
                continue
            marks = ", ".join("?" for _ in apps)
            self._execute(f"DELETE FROM board_latest WHERE application_id IN ({marks})", apps)
            for sql in statements:
                self._execute(sql.format(ids=marks), apps)

    def _add_stats(self, interview_ids: Sequence[int]) -> None:
        """The facts of these new interviews by migration 0023's own backfill (one source),
        then each aggregate table moved by them in one grouped statement per table."""
        facts = self._facts_sql()
        for chunk, marks in _in_lists(list(interview_ids)):
            self._execute(f"{facts} WHERE i.id IN ({marks})) AS r) AS f", chunk)
            for sql in _STATS_FROM_FACTS:
                self._execute(sql.format(ids=marks), chunk)
            self._execute(_SENT_HOURS_FROM_NOTES.format(ids=marks), chunk)

    def _fresh_ids(self, table: str, n: int) -> list[int]:
        """`n` ids no row of `table` has, for rows about to be written in this transaction
        (which holds the write lock): SQLite's own choice, one more than the largest."""
        top = int(self._one(f"SELECT COALESCE(MAX(id), 0) FROM {table}")[0])
        return list(range(top + 1, top + 1 + n))

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        raise NotImplementedError

    def taken_message_ids(self, message_ids: Iterable[str]) -> set[str]:
        return self._taken("notes", "message_id", message_ids)

    def taken_ics_uids(self, uids: Iterable[str]) -> set[str]:
        return self._taken("interviews", "ics_uid", uids)

    def taken_inbound_ids(self, message_ids: Iterable[str]) -> set[str]:
        return self._taken("inbound_messages", "message_id", message_ids)

    def rounds_starting(self, starts: Iterable[str]) -> list[tuple[int, str, str, str, str]]:
        wanted = list(dict.fromkeys(starts))
        found: list[tuple[int, str, str, str, str]] = []
        for chunk, marks in _in_lists(wanted):
            rows = self._all(  # (the index interviews_by_start)
                "SELECT i.id, a.company, a.role, i.start_at, i.tz FROM interviews i"
                f" JOIN applications a ON a.id = i.application_id WHERE i.start_at IN ({marks})"
                " ORDER BY i.id",
                chunk,
            )
            found.extend((int(r[0]), r[1], r[2], r[3], r[4]) for r in rows)
        return found

    def _taken(self, table: str, column: str, values: Iterable[str]) -> set[str]:
        """Which of `values` already appear in `table.column` (a UNIQUE, checked before
        writing), asked 500 at a time."""
        wanted = list(dict.fromkeys(values))
        found: set[str] = set()
        for chunk, marks in _in_lists(wanted):
            rows = self._all(f"SELECT {column} FROM {table} WHERE {column} IN ({marks})", chunk)
            found.update(str(r[0]) for r in rows)
        return found

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {t: int(self._one(f"SELECT COUNT(*) FROM {t}")[0]) for t in TABLES}

    # --- calendars (app/calendar.py) ---------------------------------------------------

    def interview_by_ics_uid(self, uid: str) -> tuple[int, int] | None:
        """(id, imported SEQUENCE) of the interview made from this invitation UID (unique)."""
        row = self._one(
            "SELECT id, COALESCE(ics_sequence, 0) FROM interviews WHERE ics_uid = ?",
            (uid,),
        )
        return (int(row[0]), int(row[1])) if row else None

    def set_ics(
        self, interview_id: int, uid: str, sequence: int, organizer: str | None = None
    ) -> None:
        self._execute(
            "UPDATE interviews SET ics_uid = ?, ics_sequence = ?,"
            " ics_organizer = COALESCE(?, ics_organizer) WHERE id = ?",
            (uid, sequence, organizer, interview_id),
        )

    def ics_organizer(self, interview_id: int) -> str | None:
        row = self._one("SELECT ics_organizer FROM interviews WHERE id = ?", (interview_id,))
        return str(row[0]) if row and row[0] is not None else None

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
        """A rescheduled interview: new start, length, zone and place (notes: replan)."""
        self._execute(
            "UPDATE interviews SET start_at = ?, end_at = ?, duration_min = ?, tz = ?,"
            " location = ?, description = ? WHERE id = ?",
            (
                to_db(start),
                to_db(start + duration),
                int(duration / timedelta(minutes=1)),
                tz,
                location,
                description,
                interview_id,
            ),
        )

    def find_application(self, company: str, role: str) -> Application | None:
        """The newest application with this company and role, ignoring case (ASCII letters:
        SQL's portable lower() folds only those)."""
        newest = self._one(  # the usual case, one index walk: the same role in ASCII case
            f"SELECT {_APPLICATION_COLUMNS} FROM applications a WHERE lower(a.company) ="
            " lower(?) AND lower(a.role) = lower(?) ORDER BY a.id DESC LIMIT 1",
            (company, role),
        )
        if newest is not None:
            return _application(newest)
        rows = self._all(
            f"SELECT {_APPLICATION_COLUMNS} FROM applications a"
            " WHERE lower(a.company) = lower(?) ORDER BY a.id DESC",
            (company,),
        )
        for r in rows:
            found = _application(r)
            if (found.company.casefold(), found.role.casefold()) == (
                company.casefold(),
                role.casefold(),
            ):
                return found
        return None

    def find_applications(self, company: str, role: str | None) -> list[Application]:
        """Every application with this company and role (case and runs of spaces aside;
        None: any role), newest first, at most ROUNDS_BETWEEN."""
        rows = self._all(
            f"SELECT {_APPLICATION_COLUMNS} FROM applications a"
            " WHERE lower(a.company) = lower(?) ORDER BY a.id DESC",
            (" ".join(company.split()),),
        )
        company = same_name(company)
        found = (_application(r) for r in rows)
        named = [
            a
            for a in found
            if same_name(a.company) == company
            and (role is None or same_name(a.role) == same_name(role))
        ]
        return named[:ROUNDS_BETWEEN]

    def add_domains(self, application_id: int, domains: Sequence[str]) -> None:
        row = self._one("SELECT domains FROM applications WHERE id = ?", (application_id,))
        if row is None:
            return
        current = (row[0] or "").split()
        merged = current + [d.lower() for d in domains if d.lower() not in current]
        if merged != current:
            self._execute(
                "UPDATE applications SET domains = ? WHERE id = ?",
                (" ".join(merged), application_id),
            )

    def calendar_install_id(self, candidate: str, now: datetime) -> str:
        self._execute(
            "INSERT INTO calendar_identity (id, install_id, created_at) VALUES (1, ?, ?)"
            " ON CONFLICT (id) DO NOTHING",
            (candidate, to_db(now)),
        )
        return str(self._one("SELECT install_id FROM calendar_identity WHERE id = 1")[0])

    def planned_policy(self) -> str | None:
        row = self._one("SELECT planning_key FROM planned_policy WHERE id = 1")
        return None if row is None else str(row[0])

    def set_planned_policy(self, key: str) -> None:
        self._execute(
            "INSERT INTO planned_policy (id, planning_key) VALUES (1, ?)"
            " ON CONFLICT (id) DO UPDATE SET planning_key = excluded.planning_key",
            (key,),
        )

    def last_replan(self) -> tuple[str, str] | None:
        row = self._one("SELECT replanned_at, replan FROM planned_policy WHERE id = 1")
        return None if row is None or row[0] is None else (str(row[0]), str(row[1]))

    def set_last_replan(self, at: str, what: str) -> None:
        self._execute(
            "UPDATE planned_policy SET replanned_at = ?, replan = ? WHERE id = 1", (at, what)
        )

    def feed_notes(self) -> Iterator[FeedNote]:
        """Open notes, and every note once published, with what was last published of it;
        by due time, then id; read from a cursor as they are consumed."""
        rows = self._stream(
            "SELECT n.id, n.interview_id, n.step, n.kind, n.state, n.due_at, n.sent_at,"
            " p.name, p.email, a.company, a.role, i.start_at, i.tz,"
            " f.due_at, f.status, f.sequence, f.published_at"
            " FROM notes n"
            " JOIN interviews i ON i.id = n.interview_id"
            " JOIN applications a ON a.id = i.application_id"
            " LEFT JOIN interviewers p ON p.id = n.interviewer_id"
            " LEFT JOIN calendar_published f ON f.note_id = n.id"
            " WHERE n.state IN ('pending', 'sending', 'unknown') OR f.note_id IS NOT NULL"
            " ORDER BY n.due_at, n.id"
        )
        return (
            FeedNote(
                note_id=r[0],
                interview_id=r[1],
                step=r[2],
                kind=r[3],
                state=NoteState(r[4]),
                due_at=from_db(r[5]),
                sent_at=_opt_dt(r[6]),
                interviewer_name=r[7],
                interviewer_email=r[8],
                company=r[9],
                role=r[10],
                interview_start=from_db(r[11]),
                interview_tz=r[12],
                published_due=_opt_dt(r[13]),
                published_status=r[14],
                published_sequence=r[15],
                published_at=_opt_dt(r[16]),
            )
            for r in rows
        )

    def record_published(
        self, note_id: int, due_at: datetime, status: str, sequence: int, now: datetime
    ) -> None:
        self._execute(
            "INSERT INTO calendar_published (note_id, due_at, status, sequence, published_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (note_id) DO UPDATE SET"
            " due_at = excluded.due_at, status = excluded.status,"
            " sequence = excluded.sequence, published_at = excluded.published_at",
            (note_id, to_db(due_at), status, sequence, to_db(now)),
        )

    # --- stats (app/stats.py) -------------------------------------------------------------
    # Every figure comes from aggregates kept up to date with the rows by triggers, in the
    # same transaction as every write (migration 0023, issue #17): a few thousand cells are
    # read whatever the history, never a row per interview. The arithmetic (rates, buckets,
    # which ranks a median and a p90 need) is app/stats.py's.

    HOUR = 3600  # the coarse bins of stats_delay_hours (migration 0023)
    DAYS_KEPT = 8  # whole days to the thank-you are kept up to this (stats_sequences.days)

    def _started_since(self, since: datetime | None) -> tuple[str, list[Any]]:
        """A condition on `interviews i`: started at or after `since` (none without one)."""
        return (" AND i.start_at >= ?", [to_db(since)]) if since else ("", [])

    def _seconds(self, later: str, earlier: str) -> str:
        """SQL for the whole seconds from one stored instant to another (this dialect's)."""
        return (
            f"(CAST(strftime('%s', {later}) AS INTEGER)"
            f" - CAST(strftime('%s', {earlier}) AS INTEGER))"
        )

    def _cells(self, since: datetime | None, columns: str) -> tuple[str, list[Any]]:
        """SQL for the cells (`columns` of them and `n`, `sent`) of the interviews that
        started at or after `since`: without one, stats_totals (a few hundred rows at most);
        with one, the stats_cells of the days after since's UTC day, and that day's own
        interviews from stats_sequences (one row each, `n` = 1)."""
        if since is None:
            return f"SELECT {columns}, n, sent FROM stats_totals", []
        mark = to_db(since)
        return (
            f"SELECT {columns}, n, sent FROM stats_cells WHERE day > ?"
            f" UNION ALL SELECT {columns}, 1 AS n, sent FROM stats_sequences"
            " WHERE day = ? AND start_at >= ?",
            [mark[:10], mark[:10], mark],
        )

    def status_counts(self, since: datetime | None = None) -> dict[str, int]:
        """Interviews per status."""
        cells, params = self._cells(since, "status")
        rows = self._all(
            f"SELECT status, SUM(n) FROM ({cells}) AS c GROUP BY status HAVING SUM(n) > 0",
            params,
        )
        return {str(r[0]): int(r[1]) for r in rows}

    def sent_note_counts(
        self, bounds: Sequence[datetime], since: datetime | None = None
    ) -> tuple[int, list[int]]:
        """Notes sent in all (summed over the cells), and in each interval
        [bounds[k], bounds[k + 1]): without `since` and with bounds on whole UTC hours, a
        sum over stats_sent_hours (migration 0025); else a range of the index
        notes_sent_at (the weeks asked, joined to the interviews for `since`)."""
        cells, params = self._cells(since, "status")
        row = self._one(f"SELECT COALESCE(SUM(sent), 0) FROM ({cells}) AS c", params)
        total = int(row[0]) if row else 0
        if len(bounds) < 2:
            return total, []
        marks = [to_db(b) for b in bounds]
        if since is None and all(m[13:] == ":00:00Z" for m in marks):
            hours = [m[:13] for m in marks]
            whens = "".join(f" WHEN hour < ? THEN {k}" for k in range(len(hours) - 1))
            rows = self._all(
                f"SELECT k, SUM(n) FROM (SELECT CASE{whens} END AS k, n FROM stats_sent_hours"
                " WHERE hour >= ? AND hour < ?) AS s GROUP BY k",
                [*hours[1:], hours[0], hours[-1]],
            )
            by_hour = {int(r[0]): int(r[1]) for r in rows}
            return total, [by_hour.get(k, 0) for k in range(len(hours) - 1)]
        cond, since_params = self._started_since(since)
        join = " JOIN interviews i ON i.id = n.interview_id" if since else ""
        whens = "".join(f" WHEN n.sent_at < ? THEN {k}" for k in range(len(marks) - 1))
        rows = self._all(
            f"SELECT k, COUNT(*) FROM (SELECT CASE{whens} END AS k FROM notes n{join}"
            f" WHERE n.state = 'sent' AND n.sent_at >= ? AND n.sent_at < ?{cond}) AS s"
            " GROUP BY k",
            [*marks[1:], marks[0], marks[-1], *since_params],
        )
        found = {int(r[0]): int(r[1]) for r in rows}
        return total, [found.get(k, 0) for k in range(len(marks) - 1)]

    def _kept_kinds(self) -> list[str]:
        return [str(r[0]) for r in self._all("SELECT kind FROM stats_kinds ORDER BY step")]

    def reply_rates(
        self, since: datetime | None = None, days_cap: int = 8, step_kinds: Sequence[str] = ()
    ) -> list[RateRow]:
        """The sequences that count (neither cancelled nor advanced, a note sent before any
        reply), grouped by last step, culture, tone override and whole days to the
        thank-you (capped at `days_cap`): sums over the cells. Asked with kinds other than
        the ones the cells were kept for, or a cap above theirs, a pass over the rows."""
        if days_cap > self.DAYS_KEPT or list(step_kinds) != self._kept_kinds():
            return self._reply_rates_scan(since, days_cap, step_kinds)
        cells, params = self._cells(since, "status, last_step, culture, tone, days, replied")
        rows = self._all(
            "SELECT last_step, culture, tone, CASE WHEN days < 0 THEN NULL"
            " WHEN days > ? THEN ? ELSE days END AS d, SUM(n), SUM(n * replied)"
            f" FROM ({cells}) AS c WHERE last_step > 0"
            " AND status NOT IN ('cancelled', 'advanced')"
            " GROUP BY last_step, culture, tone, d HAVING SUM(n) > 0",
            [days_cap, days_cap, *params],
        )
        return [
            RateRow(
                int(r[0]),
                r[1],
                r[2] or None,
                None if r[3] is None else int(r[3]),
                int(r[4]),
                int(r[5]),
            )
            for r in rows
        ]

    def _reply_rates_scan(
        self, since: datetime | None, days_cap: int, step_kinds: Sequence[str]
    ) -> list[RateRow]:
        """The reply rates by one pass over the rows, for kinds the aggregates were not
        kept for (a policy of other kinds; none). One aggregate query: each sequence's last
        step and first thank-you (of the notes sent at or before its first reply), grouped
        with its application's culture and tone.
        Cancelled and advanced sequences do not count (`stats.counts_for_rates`).

        With the policy's kinds (`step_kinds`, step 1 first), a sent note's step is the one
        `planner.notes_by_step` gives it: its kind's; for a kind the policy does not name, its
        number's unless that step has a note of its own kind to the same person; else none (a
        sequence whose notes are all such is left out). tests/contract/test_stats_store.py
        checks they agree."""
        cond, params = self._started_since(since)
        days = self._seconds("f.thanked_at", "f.end_at")
        step, kinds = "n.step", list(step_kinds)
        if kinds:
            by_kind = " ".join(f"WHEN ? THEN {k}" for k in range(1, len(kinds) + 1))
            kind_at = " ".join(f"WHEN {k} THEN ?" for k in range(1, len(kinds) + 1))
            step = (
                f"CASE n.kind {by_kind} ELSE CASE WHEN n.step BETWEEN 1 AND {len(kinds)}"
                " AND NOT EXISTS (SELECT 1 FROM notes o WHERE o.interview_id = n.interview_id"
                f" AND o.kind = CASE n.step {kind_at} END"
                " AND (o.interviewer_id = n.interviewer_id"
                " OR (o.interviewer_id IS NULL AND n.interviewer_id IS NULL)))"
                " THEN n.step END END"
            )
        rows = self._all(
            f"WITH {self._first_replies(cond)},"
            " facts AS (SELECT i.application_id AS application_id, i.end_at AS end_at,"
            f" MIN(r.replied_at) AS replied_at, MAX({step}) AS last_step,"
            " MIN(CASE WHEN n.step = 1 THEN n.sent_at END) AS thanked_at"
            " FROM interviews i"
            " JOIN notes n ON n.interview_id = i.id AND n.state = 'sent'"
            " LEFT JOIN firsts r ON r.interview_id = i.id"
            " WHERE i.status NOT IN ('cancelled', 'advanced')"
            f" AND (r.replied_at IS NULL OR n.sent_at <= r.replied_at){cond}"
            " GROUP BY i.id, i.application_id, i.end_at)"
            " SELECT last_step, culture, tone, days, COUNT(*), COUNT(replied_at) FROM"
            " (SELECT f.last_step AS last_step, a.culture AS culture, a.tone AS tone,"
            " f.replied_at AS replied_at,"
            f" CASE WHEN f.thanked_at IS NULL THEN NULL WHEN {days} < 0 THEN 0"
            f" WHEN {days} / 86400 > ? THEN ? ELSE {days} / 86400 END AS days"
            " FROM facts f JOIN applications a ON a.id = f.application_id"
            " WHERE f.last_step IS NOT NULL) AS g"
            " GROUP BY last_step, culture, tone, days",
            [*params, *kinds, *kinds, *params, days_cap, days_cap],
        )
        return [
            RateRow(
                int(r[0]), r[1], r[2], None if r[3] is None else int(r[3]), int(r[4]), int(r[5])
            )
            for r in rows
        ]

    def _first_replies(self, cond: str) -> str:
        """A CTE `firsts (interview_id, replied_at)`: each interview's first human reply
        after its end (those that started since, with `cond`'s parameters)."""
        return (
            "firsts AS (SELECT m.interview_id AS interview_id, MIN(m.received_at) AS replied_at"
            " FROM inbound_messages m JOIN interviews i ON i.id = m.interview_id"
            f" WHERE m.classification = 'human' AND m.received_at >= i.end_at{cond}"
            " GROUP BY m.interview_id)"
        )

    def _quantiles(self, ctes: str, params: Sequence[Any], ranks: Ranks) -> dict[Any, Quantiles]:
        """Count each partition of `delays (part, s)`, then read only the values at the ranks
        `ranks` asks of each count: two queries; the sort stays in the database."""
        counts = {
            r[0]: int(r[1])
            for r in self._all(
                f"WITH {ctes} SELECT part, COUNT(*) FROM delays GROUP BY part", params
            )
        }
        wanted = {part: list(ranks(n)) for part, n in counts.items()}
        found: dict[Any, Quantiles] = {part: (n, {}) for part, n in counts.items()}
        asked = [(part, rank) for part, rs in wanted.items() for rank in rs]
        if not asked:
            return found
        which = " OR ".join("(part = ? AND rn = ?)" for _ in asked)
        rows = self._all(
            f"WITH {ctes} SELECT part, rn, s FROM (SELECT part, s, ROW_NUMBER() OVER"
            f" (PARTITION BY part ORDER BY s) AS rn FROM delays) AS o WHERE {which}",
            [*params, *(v for pair in asked for v in pair)],
        )
        for part, rank, seconds in rows:
            found[part][1][int(rank)] = int(seconds)
        return found

    def _walk(self, parts: Sequence[str], ranks: Ranks) -> dict[str, Quantiles]:
        """Each part's count and its values at `ranks(count)` from the histograms: the
        hours (a few thousand bins at most) walked to the one holding each rank, then that
        hour's seconds, read in order from the index."""
        marks = ", ".join("?" for _ in parts)
        counts = {
            str(r[0]): int(r[1])
            for r in self._all(
                f"SELECT part, SUM(n) FROM stats_delay_hours WHERE part IN ({marks})"
                " GROUP BY part HAVING SUM(n) > 0",
                list(parts),
            )
        }
        found: dict[str, Quantiles] = {}
        for part, n in counts.items():
            wanted = sorted(ranks(n))
            values: dict[int, int] = {}
            below = 0  # how many values lie in the hours before this one
            hours = self._all(
                "SELECT h, n FROM stats_delay_hours WHERE part = ? AND n > 0 ORDER BY h", (part,)
            )
            k = 0
            for hour, count in hours:
                if k == len(wanted):
                    break
                if wanted[k] > below + int(count):
                    below += int(count)
                    continue
                seen = below
                for second, many in self._all(
                    "SELECT s, n FROM stats_delays WHERE part = ? AND s >= ? AND s < ?"
                    " AND n > 0 ORDER BY s",
                    (part, int(hour) * self.HOUR, (int(hour) + 1) * self.HOUR),
                ):
                    seen += int(many)
                    while k < len(wanted) and wanted[k] <= seen:
                        values[wanted[k]] = int(second)
                        k += 1
                below += int(count)
            found[part] = (n, values)
        return found

    def _since_quantiles(self, column: str, part: str, since: datetime) -> str:
        """The `delays (part, s)` CTE over stats_sequences' rows that started since."""
        return (
            f"delays AS (SELECT {part} AS part, {column} AS s FROM stats_sequences"
            f" WHERE start_at >= ? AND {column} IS NOT NULL)"
        )

    def reply_quantiles(self, ranks: Ranks, since: datetime | None = None) -> Quantiles:
        if since is None:
            return self._walk(["reply"], ranks).get("reply", (0, {}))
        ctes = self._since_quantiles("reply_s", "'reply'", since)
        return self._quantiles(ctes, [to_db(since)], ranks).get("reply", (0, {}))

    def outcome_quantiles(
        self, ranks: Ranks, since: datetime | None = None
    ) -> dict[str, Quantiles]:
        if since is None:
            return self._walk(OUTCOME_STATUSES, ranks)
        ctes = self._since_quantiles("outcome_s", "status", since)
        return {str(k): v for k, v in self._quantiles(ctes, [to_db(since)], ranks).items()}

    # --- scheduled sends: the worker (app/dispatch.py) ------------------------------------
    # PostgreSQL sets this to lock the chosen row and skip rows other workers hold, so that
    # concurrent workers each claim a different note; SQLite has one writer at a time.
    skip_locked = ""

    def approve_note(
        self,
        note_id: int,
        now: datetime,
        digest: str,
        to: str = "",
        message: str = "",
        seal: str = "",
    ) -> bool:
        """Let a pending note go out when due: this message (its digest and seal given) to
        `to`."""
        cur = self._execute(
            "UPDATE notes SET approved_at = ?, approved_digest = ?, approved_to = ?,"
            " approved_message = ?, approved_seal = ?, last_error = NULL, updated_at = ?"
            " WHERE id = ? AND state = 'pending'",
            (to_db(now), digest, to or None, message or None, seal or None, to_db(now), note_id),
        )
        return bool(cur.rowcount == 1)

    def withdraw_approval(self, note_id: int, now: datetime, error: str | None = None) -> bool:
        """The note will not go out by itself (any more); `error` says why, when it is news."""
        cur = self._execute(
            "UPDATE notes SET approved_at = NULL, approved_digest = NULL, approved_to = NULL,"
            " approved_message = NULL, approved_seal = NULL,"
            " last_error = COALESCE(?, last_error), updated_at = ?"
            " WHERE id = ? AND approved_at IS NOT NULL",
            (error, to_db(now), note_id),
        )
        return bool(cur.rowcount == 1)

    def approval(self, note_id: int) -> tuple[datetime, str] | None:
        """(when, digest of the approved text) of a note approved to go out when due."""
        row = self._one(
            "SELECT approved_at, approved_digest FROM notes WHERE id = ?"
            " AND approved_at IS NOT NULL",
            (note_id,),
        )
        return (from_db(row[0]), str(row[1] or "")) if row else None

    def approved_as(self, note_id: int) -> Approval | None:
        row = self._one(
            "SELECT approved_at, approved_digest, approved_to, approved_message, approved_seal"
            " FROM notes WHERE id = ? AND approved_at IS NOT NULL",
            (note_id,),
        )
        if row is None:
            return None
        return Approval(from_db(row[0]), *(str(v or "") for v in row[1:]))

    def approved_due(self, now: datetime) -> bool:
        """Through `notes_scheduled` in (due_at, id) order, as `claim_due` reads it."""
        row = self._one(
            "SELECT 1 FROM notes n"
            " WHERE n.state = 'pending' AND n.approved_at IS NOT NULL AND n.due_at <= ?"
            " AND (SELECT i.status FROM interviews i WHERE i.id = n.interview_id) = 'waiting'"
            " LIMIT 1",
            (to_db(now),),
        )
        return row is not None

    def claim_due(self, now: datetime, by: str, lease: timedelta) -> Claim | None:
        """Claim the earliest approved note due by `now` of a waiting interview: one statement.

        The note becomes `sending`, claimed by `by` until `now + lease`. Concurrent workers
        never get the same note: SQLite runs this inside its single write lock, PostgreSQL
        locks the chosen row and skips rows that others hold (`skip_locked`).

        One statement, atomic on its own, so it takes no transaction (nor PostgreSQL's
        per-tenant writer lock): a worker's claim costs one round trip. It reads
        `notes_scheduled` in (due_at, id) order and stops at the first note of a waiting
        interview it can lock, whatever the planner's statistics say: the interview's status
        is a scalar subquery per candidate (an index lookup), where a join was planned as a
        pass over every due note — 10-100 ms a claim after a bulk load.

        Returns the note with the recipient and message approved for it (empty when an older
        approval kept none).
        """
        stamp = to_db(now)
        row = self._one(
            "UPDATE notes SET state = 'sending', claimed_at = ?, claimed_by = ?,"
            " lease_until = ?, attempts = attempts + 1, updated_at = ?"
            " WHERE id = (SELECT n.id FROM notes n"
            " WHERE n.state = 'pending' AND n.approved_at IS NOT NULL AND n.due_at <= ?"
            " AND (SELECT i.status FROM interviews i WHERE i.id = n.interview_id) = 'waiting'"
            f" ORDER BY n.due_at, n.id LIMIT 1 {self.skip_locked}) AND state = 'pending'"
            f" RETURNING {_NOTE_COLUMNS.replace('n.', '')},"
            " COALESCE(approved_to, ''), COALESCE(approved_message, ''),"
            " COALESCE(approved_seal, '')",
            (stamp, by, to_db(now + lease), stamp, stamp),
        )
        if row is None:
            return None
        return Claim(_note(row[:-3]), str(row[-3]), str(row[-2]), str(row[-1]))

    def expire_leases(
        self, now: datetime, error: str, longest: timedelta | None = None
    ) -> list[int]:
        """Claims whose lease ran out (their worker died), or ends past `now + longest` (no
        worker takes one so long): `unknown`, to be reconciled."""
        beyond = to_db(now + longest) if longest is not None else None
        with self.transaction():
            rows = self._all(
                "UPDATE notes SET state = 'unknown', claimed_at = NULL, last_error = ?,"
                " updated_at = ? WHERE state = 'sending'"
                " AND (lease_until < ? OR lease_until > ?) RETURNING id",
                (error, to_db(now), to_db(now), beyond),
            )
        return sorted(int(r[0]) for r in rows)


TABLES = ("applications", "interviews", "interviewers", "notes", "inbound_messages", "debriefs")
_RECORD_FIELDS = {  # each table's portable columns, as its record type lists them
    "applications": ApplicationRecord._fields,
    "interviews": InterviewRecord._fields,
    "interviewers": InterviewerRecord._fields,
    "notes": NoteRecord._fields,
    "inbound_messages": InboundRecord._fields,
    "debriefs": DebriefRecord._fields,
}
