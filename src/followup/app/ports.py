"""What the use-cases need from the outside world, as Protocols (rows: app/rows.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple, Protocol, runtime_checkable

if TYPE_CHECKING:
    from pathlib import Path

from followup.app.rows import (
    AgendaRow,
    ApplicationRecord,
    ApplicationRow,
    Approval,
    BoardFilter,
    BoardPerson,
    BoardRow,
    BouncedRow,
    Claim,
    Credentials,
    DebriefRecord,
    EndedRow,
    Event,
    ExportRows,
    ExportStream,
    FailedRow,
    Feed,
    FeedItem,
    FeedNote,
    InboundRecord,
    InterviewerRecord,
    InterviewRecord,
    InterviewRow,
    InterviewState,
    Invitation,
    Limit,
    NewInterviewer,
    NoteRecord,
    NoteText,
    Quantiles,
    Ranks,
    RateRow,
    SequenceRows,
    User,
)
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
from followup.domain.planner import PlannedNote, RiskCutoffs, RoundHeld
from followup.domain.workdays import IsHoliday

# One event to keep (`PortabilityStore.add_events`): interview id, when, source, kind,
# summary, what changed (detail), the interview's rows before it (None: not undoable).
EventRow = tuple[int, datetime, str, str, str, dict[str, Any] | None, InterviewState | None]


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        ...


class Templates(Protocol):
    def render(self, kind: str, tone: str, variables: Mapping[str, str]) -> str:
        """The note template for this step and tone, filled in (`Subject:` line first)."""
        ...


class Holidays(Protocol):
    def __call__(self, country: str | None) -> IsHoliday: ...


# --- the store, one port per feature ---------------------------------------------------------
# Each use-case module needs a few of these; `Store` is all of them, so that a Context
# carries one store. Each port has its own contract suite (tests/contract/), run against
# every adapter: memory (unit speed), SQLite, PostgreSQL.


class Transactional(Protocol):
    def transaction(self) -> AbstractContextManager[None]:
        """One write transaction, all or nothing; nested uses join the outer one."""
        ...


class SequenceStore(Transactional, Protocol):
    """Applications, their interviews and people, and each interview's planned notes
    (app/services.py; read by every other use-case)."""

    def add_application(
        self,
        *,
        company: str,
        role: str,
        culture: Culture,
        country: str | None,
        domains: Sequence[str],
        now: datetime,
    ) -> int: ...

    def get_application(self, application_id: int) -> Application | None: ...

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
    ) -> int: ...

    def get_interview(self, interview_id: int) -> Interview | None: ...
    def interviews_of_application(self, application_id: int) -> list[Interview]: ...

    def rounds_between(
        self, application_id: int, after: datetime, until: datetime
    ) -> list[Interview]:
        """The application's rounds not cancelled that start after `after` and by `until`,
        in time order, at most ROUNDS_BETWEEN (an index walk: a day's loop, the next round)."""
        ...

    def latest_round(self, application_id: int) -> Interview | None:
        """The application's round with the highest number (an index's last entry)."""
        ...

    def rounds_at(self, application_id: int, start: datetime) -> list[Interview]:
        """The application's rounds that start at `start` (through the index by start: a
        look-up per interview added, whatever the number of rounds)."""
        ...

    def applications(self, limit: int) -> list[ApplicationRow]:
        """The newest applications first (by id: the primary key), at most `limit`, each
        with its highest round (the (application_id, round) index's last entry)."""
        ...

    def set_status(self, interview_id: int, status: Status, at: datetime) -> None: ...
    def set_expect_by(self, interview_id: int, by: date | None) -> None: ...
    def set_defer_until(self, interview_id: int, until: datetime | None) -> None: ...
    def list_interviews(
        self, statuses: Sequence[Status] = (), limit: int | None = None, after: int | None = None
    ) -> list[InterviewRow]:
        """Newest first (by start, then id), at most `limit`; with `after` (an interview's
        id), only those after it in that order: the next page, found through the index."""
        ...

    def add_interviewer(self, interview_id: int, person: NewInterviewer) -> int: ...
    def interviewers(self, interview_id: int) -> list[Interviewer]: ...
    def set_primary(self, interview_id: int, interviewer_id: int) -> None:
        """Mark one interviewer the panel's primary contact (and no other)."""
        ...

    def set_greeting(self, interviewer_id: int, greet_as: str | None) -> None:
        """How the user greets this person ("Ms. Chen"); None: as their name gives."""
        ...

    def notes(self, interview_id: int) -> list[Note]: ...
    def sequence_rows(self, interview_id: int) -> SequenceRows | None:
        """The interview and what planning it reads (its application, people, notes, the
        application's latest round, the people whose address bounced); None if there is no
        such interview. The SQL stores read them in one message (one round trip)."""
        ...

    def get_note(self, note_id: int) -> Note | None: ...
    def add_note(self, interview_id: int, planned: PlannedNote, now: datetime) -> int: ...
    def reschedule_note(self, note_id: int, planned: PlannedNote, now: datetime) -> None:
        """New step, kind and times for a note still pending (any other is left as it is)."""
        ...

    def set_note_state(
        self, note_id: int, state: NoteState, now: datetime, sent_at: datetime | None = None
    ) -> None:
        """A pending note moves on; one that is no longer pending (a worker claimed it
        meanwhile) is left to that worker's outcome."""
        ...

    def set_next(
        self, interview_id: int, step: int | None, kind: str | None, due_at: datetime | None
    ) -> None:
        """The interview's next step, as the agenda reads it."""
        ...


class AgendaStore(Transactional, Protocol):
    """What the agenda ranks and counts (app/agenda.py, app/coaching.py)."""

    def agenda_page(
        self, cutoffs: RiskCutoffs, limit: int | None, only: int | None = None
    ) -> list[AgendaRow]:
        """Open sequences most at risk first: fading, overdue, due, upcoming; `only`: those
        of one class (its index in that order)."""
        ...

    def rounds_held(self, application_ids: Sequence[int]) -> dict[int, list[RoundHeld]]:
        """Each application's rounds not cancelled, earliest first, with whom each met: what
        overtakes an unsent thank-you (planner.overtaken)."""
        ...

    def agenda_counts(self, cutoffs: RiskCutoffs) -> tuple[int, int, int, int]:
        """How many open sequences are (fading, overdue, due, upcoming)."""
        ...

    def recently_ended(self, since: datetime, limit: int) -> list[EndedRow]:
        """Sequences replied, closed or advanced since `since`, newest first."""
        ...

    def failed_notes(self, limit: int) -> list[FailedRow]:
        """The failed notes of open sequences, the latest failure first, at most `limit`
        (through the partial index `notes_failed`: the failed ones, never the history); not
        those to an address that bounced, which no retry reaches."""
        ...

    def bounced_people(self, limit: int) -> list[BouncedRow]:
        """The panellists of open sequences whose address bounced and who are still on the
        panel, the latest bounce first, at most `limit` (through `interviewers_bounced`)."""
        ...


class BoardStore(Transactional, Protocol):
    """The board of applications (app/board.py): each application by its latest round."""

    def board_columns(
        self,
        columns: Sequence[Sequence[BoardKey]],
        chosen: BoardFilter,
        now: datetime,
        limit: int,
        after: int | None = None,
    ) -> list[list[BoardRow]]:
        """Per column (a group of keys): the applications whose latest round matches one of
        its keys (`ahead`: its start is after `now` and it is not the first round) and the
        filter, newest application first (by id), at most `limit`; with `after` (an
        application's id), those after it: a keyset page."""
        ...

    def board_counts(
        self, keys: Sequence[Sequence[BoardKey]], chosen: BoardFilter, now: datetime
    ) -> list[int]:
        """How many applications each group of keys matches (one pass over them all)."""
        ...

    def board_read(
        self,
        columns: Sequence[Sequence[BoardKey]],
        chosen: BoardFilter,
        now: datetime,
        limit: int,
        after: int | None = None,
    ) -> tuple[list[int], list[list[BoardRow]]]:
        """`board_counts` and `board_columns` at once (SQL: one statement, so that a
        search is run once for both)."""
        ...

    def board_people(self, application_ids: Sequence[int]) -> list[BoardPerson]:
        """The people on these applications' rounds, by application, round, then id."""
        ...

    def pending_recipients(self, interview_ids: Sequence[int]) -> dict[int, list[int]]:
        """Per interview, the interviewers its next step's pending notes go to."""
        ...

    def approved_next(self, interview_ids: Sequence[int]) -> set[int]:
        """The interviews whose next step's pending notes are all approved to go out by
        themselves when due ("Send when due")."""
        ...

    def dismiss_notes(self, note_ids: Sequence[int], at: datetime) -> None:
        """Failed notes let go: no longer in Today's "Now" or on a card (they stay failed).
        Finishing a note (Try again, a new attempt) clears it."""
        ...

    def failed_recipients(
        self, interview_ids: Sequence[int]
    ) -> dict[int, list[tuple[str, int | None]]]:
        """Per interview, its failed notes: (kind, interviewer id), in step order."""
        ...


class DraftStore(Transactional, Protocol):
    """Drafts as written or edited, debriefs, the tone override (app/drafting.py)."""

    def note_texts(self, interview_id: int) -> dict[int, NoteText]: ...
    def save_draft(self, note_id: int, text: NoteText, now: datetime) -> None: ...
    def assign_message_id(self, note_id: int, message_id: str) -> str:
        """Give the note this Message-ID unless it has one; the one it keeps."""
        ...

    def set_tone(self, application_id: int, tone: str | None) -> None: ...

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
    ) -> int: ...

    def debriefs(self, interview_id: int) -> list[dict[str, Any]]: ...
    def clear_topics(self, interview_id: int, interviewer_id: int | None) -> None:
        """Forget the topics debriefed for this interviewer (None: for the whole interview);
        their skills, notes and promised dates stay."""
        ...


class SendStore(Transactional, Protocol):
    """At-most-once sending: pending -> sending -> sent | failed | unknown
    (app/sending.py)."""

    def due_notes(self, now: datetime, limit: int) -> list[Note]:
        """Pending notes of waiting interviews due by `now`, earliest first."""
        ...

    def claim_note(self, note_id: int, now: datetime, by: str) -> bool:
        """Mark a pending note `sending` for `by`; False when someone else got it first."""
        ...

    def finish_note(
        self,
        note_id: int,
        state: NoteState,
        now: datetime,
        sent_at: datetime | None = None,
        error: str | None = None,
    ) -> None:
        """Leave `sending` (or `unknown`); a note sent or failed keeps no approved message."""
        ...

    def never_arrived(self, note_id: int, now: datetime) -> None:
        """A note that went to an address that bounced, now corrected: pending again (no
        sent time), to go to the corrected address; its Message-ID kept."""
        ...

    def mark_drafted(self, note_id: int, now: datetime) -> None: ...
    def drafted_at(self, note_id: int) -> datetime | None: ...
    def claims(self) -> list[tuple[Note, datetime, str]]:
        """Every note now `sending`, with when and by whom it was claimed."""
        ...

    def notes_in_state(self, state: NoteState) -> list[Note]: ...
    def last_error(self, note_id: int) -> str | None: ...
    def sent_since(self, since: datetime) -> list[datetime]:
        """When each note sent after `since` was sent, oldest first (the daily limit,
        app/pacing.py; through the `notes_sent_at` index)."""
        ...


class ScheduleStore(Transactional, Protocol):
    """Scheduled sends: approvals, and the worker's claims (app/dispatch.py)."""

    def approve_note(
        self,
        note_id: int,
        now: datetime,
        digest: str,
        to: str = "",
        message: str = "",
        seal: str = "",
    ) -> bool:
        """A pending note may go out when due: this message to `to`, whose digest and seal
        are given (False: not pending)."""
        ...

    def withdraw_approval(self, note_id: int, now: datetime, error: str | None = None) -> bool:
        """No longer goes out by itself; `error` (kept as the note's last error) says why."""
        ...

    def approval(self, note_id: int) -> tuple[datetime, str] | None:
        """(approved at, digest of the approved text), or None when not approved."""
        ...

    def approved_as(self, note_id: int) -> Approval | None:
        """The whole approval (to give it back as it was), or None when not approved."""
        ...

    def approved_due(self, now: datetime) -> bool:
        """Whether an approved note of a waiting interview is due by `now` (what `claim_due`
        would claim): the worker reads new mail first when one is."""
        ...

    def claim_due(self, now: datetime, by: str, lease: timedelta) -> Claim | None:
        """Atomically claim (pending -> sending, leased until now + lease) the earliest
        approved note due by `now` of a waiting interview, with its approved message; None
        when there is none. Two concurrent callers never get the same note."""
        ...

    def expire_leases(
        self, now: datetime, error: str, longest: timedelta | None = None
    ) -> list[int]:
        """`sending` notes whose lease ended before `now` become `unknown`; their ids. With
        `longest`, also a lease ending after `now + longest`: no worker of ours takes one so
        long (a lease of 2099 from a file or a hand edit would never expire)."""
        ...


class InboxStore(Transactional, Protocol):
    """Mail that came back: replies, bounces, where each folder's reading stopped
    (app/syncing.py; app/services.py records a reply by hand)."""

    def notes_with_message_ids(self, message_ids: Sequence[str]) -> list[Note]: ...
    def open_interviews_for_sender(
        self, address: str, domain: str, colleagues: bool = False
    ) -> list[int]:
        """Waiting, closed or replied interviews whose people or company domains match,
        newest first; `colleagues`: also those with a person at `domain` (a company's, the
        caller decides: an application typed before its people's domains were kept)."""
        ...

    def hiring_senders(self) -> tuple[set[str], set[str]]:
        """(interviewer addresses, company domains) of the interviews that
        `open_interviews_for_sender` can return, and the interviewers of rejected and
        role-closed ones (a person may write that it was a mistake): one query for a whole
        sync."""
        ...

    def inbound_seen(self, message_id: str) -> bool: ...

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
    ) -> int: ...

    def inbound_by_message_id(self, message_id: str) -> dict[str, Any] | None:
        """A received message matched to an interview: interview_id, received_at (as
        stored), classification, source, from_addr, subject; None when there is none."""
        ...

    def inbound(self, interview_id: int) -> list[dict[str, Any]]:
        """An interview's inbound messages (metadata only), oldest first."""
        ...

    def flag_bounced(self, interviewer_id: int, at: datetime) -> None:
        """The address bounced for good (the first time is kept)."""
        ...

    def bounced_interviewers(self, interview_id: int) -> set[int]: ...
    def sync_point(self, account: str, folder: str) -> tuple[int, int] | None:
        """(UIDVALIDITY, last UID read) of a folder, or None before its first sync."""
        ...

    def save_sync_point(
        self, account: str, folder: str, uidvalidity: int, last_uid: int, now: datetime
    ) -> None: ...


class CalendarStore(Transactional, Protocol):
    """Invitations in, reminders out (app/calendar.py)."""

    def interview_by_ics_uid(self, uid: str) -> tuple[int, int] | None:
        """(interview id, imported SEQUENCE) of the interview an invitation's UID made."""
        ...

    def set_ics(
        self, interview_id: int, uid: str, sequence: int, organizer: str | None = None
    ) -> None:
        """Record the invitation's UID and SEQUENCE; its ORGANIZER (lower-cased address)
        when given — None keeps the one on record."""
        ...

    def ics_organizer(self, interview_id: int) -> str | None:
        """The ORGANIZER of the invitation the interview was imported from, if recorded."""
        ...

    def move_interview(
        self,
        interview_id: int,
        *,
        start: datetime,
        duration: timedelta,
        tz: str,
        location: str | None,
        description: str | None,
    ) -> None: ...

    def find_application(self, company: str, role: str) -> Application | None:
        """The newest application with this company and role, ignoring case."""
        ...

    def find_applications(self, company: str, role: str | None) -> list[Application]:
        """Every application with this company and role (rows.same_name; None: any role),
        newest first, at most ROUNDS_BETWEEN."""
        ...

    def add_domains(self, application_id: int, domains: Sequence[str]) -> None:
        """Add these (lower-cased) to the application's domains, keeping their order."""
        ...

    def calendar_install_id(self, candidate: str, now: datetime) -> str:
        """This database's random id for exported UIDs (`candidate` the first time)."""
        ...

    def planned_policy(self) -> str | None:
        """The planning key of the policy that last planned the open interviews, if known."""
        ...

    def set_planned_policy(self, key: str) -> None: ...
    def last_replan(self) -> tuple[str, str] | None:
        """(ISO instant, JSON of services.PolicyChange) of the last re-plan a policy change
        caused, if one did (`policy show` says it)."""
        ...

    def set_last_replan(self, at: str, what: str) -> None:
        """Keep the last re-plan (needs the planned_policy row: set_planned_policy first)."""
        ...

    def feed_notes(self) -> Iterable[FeedNote]:
        """Open notes, and every note a calendar was shown, with what it was shown: by due
        time, then id; as the store reads them (consumed before the transaction ends)."""
        ...

    def record_published(
        self, note_id: int, due_at: datetime, status: str, sequence: int, now: datetime
    ) -> None: ...


class StatsStore(Transactional, Protocol):
    """Aggregates for app/stats.py: interviews that started at or after `since`."""

    def status_counts(self, since: datetime | None = None) -> dict[str, int]:
        """Interviews per status value."""
        ...

    def sent_note_counts(
        self, bounds: Sequence[datetime], since: datetime | None = None
    ) -> tuple[int, list[int]]:
        """Notes sent in all, and in each interval [bounds[k], bounds[k + 1])."""
        ...

    def reply_rates(
        self, since: datetime | None = None, days_cap: int = 8, step_kinds: Sequence[str] = ()
    ) -> list[RateRow]:
        """The sequences that count for the reply rates, grouped (see `RateRow`); one
        aggregate query. Only notes sent at or before the first human reply (after the
        interview's end) count. Given the policy's kinds (step 1 first), a sent note's step
        is `planner.notes_by_step`'s (a note of a step the policy dropped is none's);
        without them, the number it was sent at."""
        ...

    def reply_quantiles(self, ranks: Ranks, since: datetime | None = None) -> Quantiles:
        """Whole seconds from each interview's end to its first human reply after it: how
        many, and the values at `ranks(count)`."""
        ...

    def outcome_quantiles(
        self, ranks: Ranks, since: datetime | None = None
    ) -> dict[str, Quantiles]:
        """Per status rejected, role-closed, offer and closed (ghosted): whole seconds from
        each such interview's end to when it reached the status (at least 0), as
        `reply_quantiles`. Statuses with none are left out."""
        ...


class HistoryStore(Transactional, Protocol):
    """Each interview's events and the rows they can put back (app/history.py)."""

    def add_event(
        self,
        interview_id: int,
        at: datetime,
        source: str,
        kind: str,
        summary: str,
        detail: dict[str, Any] | None,
        prior_state: InterviewState | None,
    ) -> int: ...
    def events(self, interview_id: int) -> list[Event]:
        """Oldest first."""
        ...

    def all_events(self) -> list[Event]:
        """Every interview's events, by interview, oldest first (the JSON export)."""
        ...

    def last_event(self, interview_id: int, passing_over: Sequence[str]) -> Event | None:
        """The newest event not undone and of none of these kinds (an undo, a note)."""
        ...

    def prior_state(self, event_id: int) -> InterviewState | None: ...
    def set_undone(self, event_id: int, by: int) -> None: ...
    def set_prior_state(self, event_id: int, prior_state: InterviewState) -> None:
        """What undoing the event puts back (a reclassified message: its first reading)."""
        ...

    def interview_state(self, interview_id: int) -> InterviewState:
        """The interview's rows (and its application's), approvals and claims left out."""
        ...

    def put_interview_state(self, interview_id: int, state: InterviewState) -> None:
        """Make the interview's rows `state`'s; every approval of its notes is dropped."""
        ...

    def edit_interview(
        self,
        interview_id: int,
        *,
        start: datetime,
        duration: timedelta,
        tz: str,
        location: str | None,
    ) -> None: ...
    def edit_application(
        self,
        application_id: int,
        *,
        company: str,
        role: str,
        culture: Culture,
        country: str | None,
    ) -> None: ...
    def remove_interviewer(self, interviewer_id: int, at: datetime) -> None:
        """Off the panel: kept as history, no more notes."""
        ...

    def delete_interviewer(self, interviewer_id: int) -> None:
        """Gone for good: only for one no note or debrief names."""
        ...

    def restore_interviewer(self, interviewer_id: int, person: NewInterviewer) -> None:
        """Back on the panel, as `person` names them now (not primary): the one taken off."""
        ...

    def correct_interviewer(self, interviewer_id: int, name: str, email: str | None) -> None:
        """The same person, their name or address put right (their notes, debriefs and
        place on the panel kept); a changed address is no longer known to bounce."""
        ...


class PortabilityStore(Transactional, Protocol):
    """The lossless export and its import (app/portability/json_format.py), row by typed
    row: an import writes each record with a fresh id, never a raw table."""

    def export_rows(self) -> ExportRows: ...
    def snapshot(self) -> AbstractContextManager[None]:
        """One consistent read of everything that holds no writer back while it lasts (an
        export); nested in a transaction it is that transaction."""
        ...

    def export_stream(self) -> ExportStream:
        """`export_rows` (and the history) read as it is consumed, in the JSON's order;
        inside a transaction, consumed before it ends."""
        ...

    def counts(self) -> dict[str, int]:
        """Rows per table (applications, interviews, interviewers, notes,
        inbound_messages, debriefs)."""
        ...

    def insert_application(self, row: ApplicationRecord) -> int: ...
    def insert_interview(self, row: InterviewRecord) -> int: ...
    def insert_interviewer(self, row: InterviewerRecord) -> int: ...
    def insert_note(self, row: NoteRecord) -> int: ...
    def insert_inbound(self, row: InboundRecord) -> int: ...
    def insert_debrief(self, row: DebriefRecord) -> int: ...

    def insert_records(self, table: str, records: Sequence[Sequence[Any]]) -> list[int]:
        """Many records of one table at once (an import's batch): each a sequence of its
        record type's fields (ApplicationRecord, InterviewRecord, …), the id ignored; written
        with fresh ids, which come back in order."""
        ...

    def scratch(self) -> None:
        """Start an import's working memory, empty: pairs of whole numbers (ids seen, digests
        of Message-IDs) kept by the database for the rest of the transaction, so that the
        process's memory does not grow with the file."""
        ...

    def remember(self, space: str, pairs: Sequence[tuple[int, int]]) -> None:
        """Keep (key, value) pairs in `space` (64-bit signed ints); a key kept before keeps
        its first value."""
        ...

    def recall(self, space: str, keys: Iterable[int]) -> dict[int, int]:
        """The values kept in `space` for those of `keys` that were kept."""
        ...

    def stash(self, rows: Sequence[tuple[str, int, bytes]]) -> None:
        """Keep an import's rows out of the process until `stashed` reads them back, in
        this transaction (a CSV file's rows, which its applications' rounds may be spread
        over): each (group, order, bytes). `scratch` empties the stash too."""
        ...

    def stashed(self) -> Iterator[tuple[str, bytes]]:
        """The stashed rows as (group, bytes), a group's rows together in their `order`,
        the groups in the order of their first row; read as they are consumed."""
        ...

    def pause_stats(self) -> None:
        """Inside the import's transaction: the stats' aggregates and the board's
        `board_latest` are not kept row by row until `resume_stats` (never past the
        transaction, even if it fails)."""
        ...

    def resume_stats(self, interview_ids: Sequence[int]) -> None:
        """Keep the aggregates row by row again, and bring them up to date for the new
        interviews written while paused (and their applications, all new), in a few
        set-based statements."""
        ...

    def add_history(self, rows: Sequence[tuple[int, str, str, str, str]]) -> None:
        """Events for the record only (never undone), many at once: (interview id, when as
        ISO-8601 UTC text, source, kind, summary) each."""
        ...

    def add_events(self, rows: Sequence[EventRow]) -> None:
        """Events as `add_event` keeps them (with what they changed, and the rows before
        them, for undo), many at once."""
        ...

    def staging(self) -> Store:
        """A new, empty store in this process's memory with every behaviour of this one
        (the in-memory adapter) but one: its transactions keep nothing to roll back to. An
        import runs the use-cases there, inside its own transaction here, then writes what
        they made here in bulk (`insert_records`, `add_events`)."""
        ...

    def taken_message_ids(self, message_ids: Iterable[str]) -> set[str]:
        """Which of these Message-IDs a note already has (each is unique)."""
        ...

    def taken_ics_uids(self, uids: Iterable[str]) -> set[str]:
        """Which of these invitation UIDs an interview already has (each is unique)."""
        ...

    def taken_inbound_ids(self, message_ids: Iterable[str]) -> set[str]:
        """Which of these Message-IDs an inbound message already has (each is unique)."""
        ...

    def rounds_starting(self, starts: Iterable[str]) -> list[tuple[int, str, str, str, str]]:
        """(interview id, company, role, start_at, tz) of every interview, whatever its
        status, that starts at one of these instants (ISO-8601 UTC text, as stored): an
        import's check for interviews it would add twice, one indexed query per batch."""
        ...


class Store(
    SequenceStore,
    AgendaStore,
    BoardStore,
    DraftStore,
    SendStore,
    ScheduleStore,
    InboxStore,
    CalendarStore,
    StatsStore,
    HistoryStore,
    PortabilityStore,
    Protocol,
):
    """Every store port: what a Context carries (adapters: memory, SQLite, PostgreSQL)."""


@runtime_checkable
class Backups(Protocol):
    """A store kept in one file can copy itself out and back (SQLite's backup API)."""

    def backup(self, target: Path) -> None: ...
    def check_backup(self, source: Path) -> dict[str, int]: ...
    def restore(
        self,
        source: Path,
        now: datetime,
        check_row: Callable[[str, dict[str, Any]], None],
        confirm: Callable[[dict[str, int]], None],
    ) -> tuple[Path, int, Path | None]:
        """Swap in the backup once checked in a copy (check_row on every row, confirm with
        its counts); the data before is kept in a file. (kept file, approvals withdrawn,
        the file's -wal if its commits were read with it)"""
        ...


class CalendarCodec(Protocol):
    """iCalendar in and out (adapters/calendar/ics.py); errors are one-line InvalidInput."""

    def read_ics(self, data: bytes, *, name: str, user_tz: str) -> Invitation:
        """The events of an .ics file; floating times are read in `user_tz` (with a warning)."""
        ...

    def read_email(self, data: bytes, *, name: str, user_tz: str) -> Invitation:
        """The events of an invitation e-mail's text/calendar part."""
        ...

    def write(self, feed: Feed) -> bytes:
        """The feed as one iCalendar object (VEVENTs with an alarm, or VTODOs)."""
        ...

    def write_to(self, feed: Feed, items: Iterable[FeedItem], out: BinaryIO) -> None:
        """`write(feed._replace(items=tuple(items)))`'s bytes to `out`, each item written as
        it comes (an export in constant memory)."""
        ...


# --- the coach view's figures (server mode: app/coaching.py) ------------------------------


class ClientMarks(NamedTuple):
    """What the figures of one client are read against: the client's policy at `now`."""

    user_id: int
    cutoffs: RiskCutoffs  # planner.risk_cutoffs(now, the client's policy)
    grace: timedelta  # the client's policy's overdue_after: a note sent later is late


class ClientFigures(NamedTuple):
    """One client's counts as app/coaching.py's `adherence` computes them from their store."""

    fading: int
    overdue: int
    due: int
    upcoming: int
    sent_on_time: int
    sent_late: int
    statuses: dict[str, int]


class CoachFigures(Protocol):
    """Every seeker's figures, kept beside the accounts (schema `followup`) in step with
    their own tables: the coach view reads all its clients' at once."""

    def figures(self, clients: Sequence[ClientMarks]) -> dict[int, ClientFigures]:
        """The figures of each client (all zero for one with no data yet)."""
        ...


# --- accounts (server mode: app/accounts.py) ------------------------------------------------


class AccountStore(Protocol):
    """Users, coach -> client links and sign-in sessions (schema `followup` in PostgreSQL)."""

    def add_user(self, email: str, role: str, password_hash: str, now: datetime) -> User: ...
    def delete_user(self, user_id: int) -> None: ...
    def user_by_email(self, email: str) -> Credentials | None: ...
    def users(self) -> list[User]: ...
    def set_password_hash(self, user_id: int, password_hash: str) -> None: ...
    def set_disabled(self, user_id: int, disabled: bool) -> None: ...

    def link(self, coach_id: int, client_id: int) -> bool:
        """Link a coach to a client; False if they were linked already."""
        ...

    def unlink(self, coach_id: int, client_id: int) -> bool:
        """Remove the link; False if there was none."""
        ...

    def links(self) -> dict[int, list[int]]:
        """Every coach's client ids."""
        ...

    def clients_of(self, coach_id: int) -> list[User]: ...

    def add_session(
        self, token_hash: str, user_id: int, csrf: str, now: datetime, expires_at: datetime
    ) -> None: ...

    def session(self, token_hash: str) -> tuple[User, str, datetime] | None:
        """(user, CSRF secret, expiry) of the session with this token hash."""
        ...

    def delete_session(self, token_hash: str) -> None: ...
    def delete_sessions_of(self, user_id: int) -> None: ...
    def purge_sessions(self, now: datetime) -> None: ...

    def count_attempt(self, keys: Sequence[tuple[str, Limit]], now: datetime) -> timedelta:
        """Count a sign-in attempt against every key — atomically, and only if no key must
        wait: the longest wait (zero: counted)."""
        ...

    def attempt_succeeded(self, account_key: str, client_key: str | None) -> None:
        """Start the account from zero (from every client address: its keys begin with
        `account_key` and "|"); take the attempt back from the client."""
        ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool:
        """Whether the password matches; False (never an error) for a malformed hash."""
        ...

    def needs_rehash(self, password_hash: str) -> bool: ...

    def dummy_hash(self) -> str:
        """A valid hash of a random password: verified against for an unknown user."""
        ...


class Tenants(Protocol):
    def create_tenant(self, user_id: int) -> None:
        """A seeker's own store (a PostgreSQL schema), migrated to the latest version."""
        ...
