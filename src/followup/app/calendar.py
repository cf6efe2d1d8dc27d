"""Calendars: interviews in from an invitation (.ics, .eml), follow-up reminders out.

The iCalendar text is the adapter's business (adapters/calendar/ics.py, behind the
`CalendarCodec` port in app/ports.py): it turns a file into `InviteEvent` values (instants
in UTC, IANA zone names) and `Feed` values back into bytes. The decisions are here:

- In: which interview an event is (by its UID), whether a re-import moves it (a higher
  SEQUENCE), cancels it (METHOD:CANCEL or STATUS:CANCELLED) or changes nothing (an equal
  or lower SEQUENCE); who the interviewers are (ORGANIZER and ATTENDEEs, less the user's
  own addresses, rooms and no-reply relays); what the company and role probably are (the
  SUMMARY and the organizer's domain: app/invite_titles.py). A whole file is one
  transaction.
- Out: which notes a calendar shows (the planned, pending ones; a note that was shown and
  then sent or cancelled is shown as done or cancelled for a while, so a re-imported file
  updates it instead of leaving a stale reminder), under which stable UID, and when its
  SEQUENCE rises (its due time or status changed since it was last published).

`publish` is what every calendar output shares: `followup export --ics`, the dashboard's
`/calendar.ics` and a CalDAV push all read the same `Feed` and write it with the same codec.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from followup.app import events, services, views, wording
from followup.app.context import Context
from followup.app.errors import FollowupError, InvalidInput
from followup.app.files import check_source
from followup.app.invite_titles import Guess, guess_application
from followup.app.parse import person_label
from followup.app.portability.common import (
    Imported,
    ImportedInterview,
    ImportOptions,
    all_or_nothing,
)
from followup.app.rows import (
    Attendee,
    Feed,
    FeedItem,
    FeedNote,
    Invitation,
    InviteEvent,
    NewInterviewer,
)
from followup.app.views import iso
from followup.app.wording import kind_label
from followup.domain import attendees, limits, planner
from followup.domain.companies import ATS_DOMAINS, registrable_domain
from followup.domain.identity import own_address, own_name
from followup.domain.model import NoteState, Status
from followup.domain.workdays import zone

if TYPE_CHECKING:
    from followup.app.ports import CalendarCodec

# The limits every use-case applies (domain/limits.py): an invite's text is cut to them.
MAX_FILE_BYTES = limits.INVITE_BYTES
MAX_DESCRIPTION = limits.DESCRIPTION  # characters kept of an invite's DESCRIPTION
MAX_LOCATION = limits.LOCATION
MAX_FIELD = min(limits.COMPANY, limits.ROLE, limits.NAME)  # company, role, a person's name
MAX_INTERVIEWERS = limits.INTERVIEWERS  # more attendees: a meeting, not an interview panel
CLOSED_ITEMS_KEPT = timedelta(days=30)  # a sent or cancelled note stays in feeds this long
NOTE_MINUTES = 15  # an exported reminder blocks this long: the time to write the note


# --- import: options and results ----------------------------------------------------------


Confirm = Callable[[InviteEvent, Guess], Guess]


@dataclass(frozen=True)
class InviteOptions(ImportOptions):
    """How to read an invitation: the codec, who the user is, and what to ask or override."""

    codec: CalendarCodec | None = None
    own_addresses: tuple[str, ...] = ()  # user.email, mail.from_address, mail.aliases
    own_names: tuple[str, ...] = ()  # user.name: never the company, never an interviewer
    ats_domains: tuple[str, ...] = ()  # settings mail.ats_domains: relays, not employers
    company: str | None = None  # --company: overrides the guess
    role: str | None = None  # --role
    confirm: Confirm | None = None  # a terminal's prompt; None: see take_guesses
    # With no prompt: take a guessed company or role as it is (--yes, the dashboard's
    # upload), or refuse the file saying what was guessed (a script without --yes).
    take_guesses: bool = True
    # The dashboard's upload: more new events than an invitation holds is refused (a whole
    # calendar dragged in by mistake); the CLI imports a calendar of interviews on purpose.
    most_new: int | None = None
    # when the change was sent (a mail's Date, not after now): a cancellation sent before the
    # interview cancels it even when read after it; None: now
    as_of: datetime | None = None


class InviteOutcome(NamedTuple):
    action: str  # created | updated | unchanged | cancelled
    interview_id: int | None  # None in a dry run's created rows
    application_id: int | None
    start: datetime
    tz: str
    company: str
    role: str
    uid: str
    sequence: int
    message: str  # one sentence for people
    new_application: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.interview_id,
            "application_id": self.application_id,
            "start": iso(self.start),
            "tz": self.tz,
            "company": self.company,
            "role": self.role,
            "action": self.action,
            "uid": self.uid,
            "sequence": self.sequence,
        }


@dataclass(frozen=True)
class InvitesImported(Imported):
    outcomes: tuple[InviteOutcome, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            "format": self.format,
            "dry_run": self.dry_run,
            "interviews": [o.as_dict() for o in self.outcomes],
            "warnings": list(self.warnings),
        }


# --- import: the use-case -----------------------------------------------------------------


def import_invite(ctx: Context, path: Path, options: ImportOptions) -> InvitesImported:
    """Import the events of an .ics file or an invitation e-mail (.eml); all or nothing."""
    opts = options if isinstance(options, InviteOptions) else InviteOptions(dry_run=options.dry_run)
    if opts.codec is None:
        raise FollowupError("importing a calendar needs the calendar adapter (InviteOptions.codec)")
    data = _read_bytes(path)
    if path.suffix.lower() == ".eml":
        invitation = opts.codec.read_email(data, name=path.name, user_tz=ctx.user_tz)
    else:
        invitation = opts.codec.read_ics(data, name=path.name, user_tz=ctx.user_tz)
    return apply_invitation(ctx, invitation, opts, path)


def _read_bytes(path: Path) -> bytes:
    check_source(path)  # a fifo would block forever, a device never end
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InvalidInput(
                f"cannot import {path.name}: {size // 1024} KB is too large for an invitation"
                f" (at most {MAX_FILE_BYTES // 1024 // 1024} MB)"
            )
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from exc


def _usable_name(raw: str, name: str) -> str | None:
    """`name` (the CN with its spaces collapsed) if `add` would take it, else None: no
    control character in the raw CN, and the use-cases' check (services.check_interviewer_name:
    length, no line break raw or in an encoded-word)."""
    if _CONTROL.search(raw.replace("\t", " ")) or len(name) > MAX_FIELD:
        return None
    try:
        return services.check_interviewer_name(name)
    except InvalidInput:
        return None


class _Step(NamedTuple):
    event: InviteEvent
    guess: Guess | None  # for an event that will create an interview
    left_out: tuple[str, ...] = ()  # attendees guessed not to be people: said once created
    teams_only: tuple[str, ...] = ()  # team mailboxes on a panel of nobody else: said too
    team_left_out: str = ""  # the address of a team's mailbox left out beside people
    forwarded_by: str = ""  # who forwarded the invitation, when not among its attendees


def apply_invitation(
    ctx: Context, invitation: Invitation, options: InviteOptions, path: Path
) -> InvitesImported:
    """Decide and apply what each event means; prompts (if any) happen before any write."""
    ctx = ctx._replace(source="import")  # the history says an invitation did it
    warnings = list(invitation.warnings)
    own = {a.lower() for a in options.own_addresses}
    ats = {d.lower().lstrip("@") for d in options.ats_domains}
    steps: list[_Step] = []
    known_uids: set[str] = set()
    unconfirmed: list[tuple[InviteEvent, Guess]] = []
    if options.most_new is not None:
        _refuse_a_calendar(ctx, invitation, path, options.most_new)
    for event in invitation.events:
        problem = _range_problem(event, ctx.clock.now())
        if problem:  # refused here, before any write: a moved interview is checked too
            raise InvalidInput(f"cannot import {path.name}: {event.label}: {problem}")
        guess = None
        creates = (
            not event.cancelled
            and event.uid not in known_uids
            and ctx.store.interview_by_ics_uid(event.uid) is None
        )
        if creates:
            known_uids.add(event.uid)  # a later event with this UID in the file updates it
            panel = interviewers(event.people, own, ats, options.own_names)
            warnings += [f"{event.label}: {n}" for n in panel.notes]
            left_out = tuple(panel.left_out)
            teams_only = panel.teams_only
            team_left_out = panel.team_left_out
            forwarded_by = panel.forwarded_by
            guess = guess_application(
                event.summary, _for_the_guess(event.people, panel), own, ats, options.own_names
            )._replace(interviewers=tuple(panel.people))
            guess = _overridden(guess, options)
            if options.confirm is not None:
                guess = options.confirm(event, guess)
            try:
                guess = _checked_guess(guess, event)
            except InvalidInput as exc:
                raise InvalidInput(f"cannot import {path.name}: {exc}") from exc
            guessed = options.company is None or options.role is None
            if guessed and options.confirm is None and not options.take_guesses:
                unconfirmed.append((event, guess))
        steps.append(
            _Step(event, guess, left_out, teams_only, team_left_out, forwarded_by)
            if creates
            else _Step(event, guess)
        )
    if unconfirmed and options.dry_run:  # a check writes nothing: it shows the guess
        warnings.append(f"{_unconfirmed(unconfirmed, options)} (to import it for real)")
    elif unconfirmed:  # before any write: a script's import takes no guess silently
        raise InvalidInput(f"cannot import {path.name}: {_unconfirmed(unconfirmed, options)}")

    def write() -> list[InviteOutcome]:
        outcomes = []
        known = _Known(ctx)
        for step in steps:
            outcome = _apply(ctx, step, options, warnings, known)
            if outcome is not None:
                outcomes.append(outcome)
        return outcomes

    try:
        outcomes = all_or_nothing(ctx, options.dry_run, write)
    except InvalidInput as exc:  # the use-case's limits (a 4-day "interview"): say which file
        if str(exc).startswith("cannot import"):
            raise
        raise InvalidInput(f"cannot import {path.name}: {exc}") from exc
    if options.dry_run:
        outcomes = [
            o._replace(interview_id=None, application_id=None) if o.action == "created" else o
            for o in outcomes
        ]
    return InvitesImported(
        file=path,
        format=invitation.format,
        applications=sum(1 for o in outcomes if o.new_application),
        interviews=tuple(ImportedInterview(o.interview_id, item=o.uid) for o in outcomes),
        warnings=tuple(warnings),
        dry_run=options.dry_run,
        outcomes=tuple(outcomes),
    )


def _for_the_guess(people: Sequence[Attendee], panel: Panel) -> list[Attendee]:
    """An invitation's people as the company's guess reads them: the addresses only of those
    the panel keeps as the company's (its domains become the application's: mail from them
    is news of it), everyone else's name alone — a room on northwind-resources.com, a
    note-taking bot, a Bookings tenant, a calendar's notifications, the user at an alias
    (haddad.dev) are nobody's employer, but a name still comes out of the title."""
    company = {a.lower() for a in panel.company_addresses}
    return [p if p.email.strip().lower() in company else p._replace(email="") for p in people]


def _refuse_a_calendar(ctx: Context, invitation: Invitation, path: Path, most: int) -> None:
    """An invitation holds an interview or a day's few; a file that would add more is a
    calendar's export (a cold trial's made 6,500 applications in one click): refused before
    anything is guessed or written."""
    new = {
        event.uid
        for event in invitation.events
        if not event.cancelled and ctx.store.interview_by_ics_uid(event.uid) is None
    }
    if len(new) > most:
        raise InvalidInput(
            f"cannot import {path.name}: it holds {len(new):,} new events, more than the"
            f" {most} an invitation has (a whole calendar?): upload the interview's own"
            " invitation, or import a calendar of interviews with `followup import FILE`"
        )


def _range_problem(event: InviteEvent, now: datetime) -> str | None:
    """The limits `add` enforces, for an event that creates an interview or moves one (a
    cancellation of an old one is none of those)."""
    problem = limits.instant_problem("interview's start", event.start)
    if problem is None and event.duration is not None:
        problem = limits.duration_problem(event.duration)
    if problem is None and not event.cancelled and event.duration is not None:
        problem = limits.schedule_problem(event.start, event.duration, now)
    return problem


def _overridden(guess: Guess, options: InviteOptions) -> Guess:
    if options.company is not None:
        guess = guess._replace(company=options.company.strip())
    if options.role is not None:
        guess = guess._replace(role=options.role.strip())
    return guess


def _unconfirmed(guesses: list[tuple[InviteEvent, Guess]], options: InviteOptions) -> str:
    """What was guessed and how to accept it, in one line."""
    event, guess = guesses[0]
    said = []
    if options.company is None:
        said.append(f"company {_quoted(guess.company, 60)}")
    if options.role is None:
        said.append(f"role {_quoted(guess.role, 60)}")
    more = len(guesses) - 1
    others = f" (and {more} more event{'s' if more > 1 else ''})" if more else ""
    return (
        f"guessed the {' and '.join(said)} from {event.label}{others}:"
        " pass --yes to take the guess, or give --company and --role"
    )


def _checked_guess(guess: Guess, event: InviteEvent) -> Guess:
    if not guess.company:
        raise InvalidInput(f"cannot tell the company from {event.label}: pass --company")
    if not guess.role:
        raise InvalidInput(f"cannot tell the role from {event.label}: pass --role")
    for what, text in (("company", guess.company), ("role", guess.role)):
        if _CONTROL.search(text):
            raise InvalidInput(f"the {what} {_quoted(text)} contains a control character")
        if len(text) > MAX_FIELD:
            raise InvalidInput(f"the {what} is longer than {MAX_FIELD} characters")
        services.check_heading(what, text)
    return guess


class _Known:
    """What the events of one import learn about applications, kept for the later events:
    looked up again per event (a company with many applications, an application with many
    rounds), an import took time quadratic in its events. Valid for one transaction."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.newest: dict[tuple[str, str], int | None] = {}  # find_application's answer
        self.latest: dict[int, datetime | None] = {}  # an application's latest start
        self.known_people: dict[int, tuple[set[str], set[str]]] = {}

    def application(self, company: str, role: str) -> int | None:
        key = (company.casefold(), role.casefold())
        if key not in self.newest:
            found = self.ctx.store.find_application(company, role)
            self.newest[key] = found.id if found else None
        return self.newest[key]

    def latest_start(self, application_id: int) -> datetime | None:
        if application_id not in self.latest:
            rounds = self.ctx.store.interviews_of_application(application_id)
            self.latest[application_id] = max((r.start for r in rounds), default=None)
        return self.latest[application_id]

    def added(self, company: str, role: str, application_id: int, start: datetime) -> None:
        """An interview starting at `start` was added to the application (maybe a new one)."""
        latest = self.latest_start(application_id)
        self.latest[application_id] = start if latest is None else max(latest, start)
        key = (company.casefold(), role.casefold())
        application = self.ctx.store.get_application(application_id)
        if application and (application.company.casefold(), application.role.casefold()) == key:
            self.newest[key] = application_id  # the newest: what find_application now finds

    def moved(self, application_id: int) -> None:
        self.latest.pop(application_id, None)

    def people(self, application_id: int) -> tuple[set[str], set[str]]:
        """(addresses, domains) the application knows: its rounds' people and its domains,
        lower-cased; kept up to date by `met` for the later events of the import."""
        if application_id not in self.known_people:
            addresses = {
                p.email.lower()
                for r in self.ctx.store.interviews_of_application(application_id)
                for p in self.ctx.store.interviewers(r.id)
                if p.email
            }
            application = self.ctx.store.get_application(application_id)
            domains = {d.lower() for d in application.domains} if application else set()
            self.known_people[application_id] = (addresses, domains)
        return self.known_people[application_id]

    def met(self, application_id: int, people: Iterable[NewInterviewer]) -> None:
        addresses, _ = self.people(application_id)
        addresses.update(p.email.lower() for p in people if p.email)


def _apply(
    ctx: Context,
    step: _Step,
    options: InviteOptions,
    warnings: list[str],
    known: _Known,
) -> InviteOutcome | None:
    event = step.event
    found = ctx.store.interview_by_ics_uid(event.uid)
    if found is None:
        if event.cancelled:
            warnings.append(f"{event.label} is cancelled and was never imported: nothing to do")
            return None
        assert step.guess is not None  # planned as a creation
        created = _create(ctx, event, step.guess, known, warnings)
        if created.action == "created":
            shown = "ID" if options.dry_run else str(created.interview_id)
            warnings.extend(_panel_warnings(event, step, shown))
        return created
    interview_id, stored_sequence = found
    seq = services.sequence(ctx, interview_id)
    current = seq.interview
    app = seq.application

    def outcome(action: str, message: str, sequence: int = stored_sequence) -> InviteOutcome:
        latest = ctx.store.get_interview(interview_id)
        assert latest is not None
        return InviteOutcome(
            action,
            interview_id,
            app.id,
            latest.start,
            latest.tz,
            app.company,
            app.role,
            event.uid,
            sequence,
            message,
        )

    if event.sequence < stored_sequence or (
        event.sequence == stored_sequence and not event.cancelled
    ):
        return outcome(
            "unchanged",
            f"Interview {interview_id} unchanged: {event.label} is already imported and has"
            " not changed."
            if event.sequence == stored_sequence
            else f"Interview {interview_id} unchanged: {event.label} is an older version of"
            " the invitation already imported.",
        )
    _check_organizer(ctx, interview_id, event)
    if event.cancelled:
        if current.status is Status.CANCELLED:
            return outcome("unchanged", f"Interview {interview_id} was already cancelled.")
        if not current.status.is_open:
            return outcome(
                "unchanged",
                f"Interview {interview_id} is already {current.status.value}: left as it is.",
            )
        # when it was called off: a message's date; for a calendar file exported later,
        # its LAST-MODIFIED (a message's own is not taken: its date is the cancellation's)
        called_off = options.as_of or ctx.clock.now()
        if options.as_of is None and event.modified is not None:
            called_off = min(called_off, event.modified)
        if current.end <= called_off:
            # Calendars send a cancellation when an organizer tidies a past event away: the
            # conversation took place, and its people are still owed their notes.
            ctx.store.set_ics(interview_id, event.uid, event.sequence)
            warnings.append(
                f"{event.label} was withdrawn after interview {interview_id} took place"
                f" ({wording.local(current.start, current.tz)}): its notes go on — if it did"
                f" not happen, `followup cancel {interview_id}`"
            )
            return outcome(
                "unchanged",
                f"Interview {interview_id} unchanged: it took place before the invitation"
                " was withdrawn.",
                event.sequence,
            )
        services.cancel(ctx, interview_id)
        ctx.store.set_ics(interview_id, event.uid, event.sequence)
        return outcome(
            "cancelled",
            f"Cancelled interview {interview_id} ({app.company}): the invitation was withdrawn.",
            event.sequence,
        )
    if current.status is Status.CANCELLED:
        warnings.append(
            f"interview {interview_id} is cancelled: a newer invitation does not reopen it"
            f" (reopen it with `followup reopen {interview_id}`, then import again)"
        )
        return outcome("unchanged", f"Interview {interview_id} stays cancelled.")
    as_of = options.as_of or ctx.clock.now()
    thanked = any(n.state is NoteState.SENT for n in seq.notes)
    if thanked and current.end <= as_of and event.start != current.start:
        # A recruiter often drags the same event to the next round's date: the round that
        # took place, and was thanked for, stays as it was (its notes would come before it)
        ctx.store.set_ics(interview_id, event.uid, event.sequence)
        warnings.append(
            f"{event.label} now says {wording.local(event.start, event.tz)}, but interview"
            f" {interview_id} took place ({wording.local(current.start, current.tz)}) and"
            f" was thanked for: left as it was. A next round? `followup add --application"
            f" {app.id} --at {_wall(event.start, event.tz)} --tz {event.tz}`; the first"
            f" date wrong? `followup edit {interview_id} --at …`"
        )
        return outcome(
            "unchanged",
            f"Interview {interview_id} unchanged: it took place and was thanked for before"
            " the invitation moved.",
            event.sequence,
        )
    duration = event.duration or ctx.policy.default_duration
    known.moved(app.id)
    prior = events.before(ctx, interview_id)
    ctx.store.move_interview(
        interview_id,
        start=event.start,
        duration=duration,
        tz=event.tz,
        location=event.location,
        description=event.description,
    )
    ctx.store.set_ics(interview_id, event.uid, event.sequence)
    panel = interviewers(
        event.people, options.own_addresses, options.ats_domains, options.own_names
    )
    people = panel.people
    if panel.teams_only and any(not p.removed for p in seq.interviewers):
        people = []  # a team's mailbox joins no panel that has a person on it
    present = {p.email for p in seq.interviewers if p.email}
    has_primary = any(p.primary for p in seq.interviewers)
    invited = {p.email for p in people}
    left = [p for p in seq.interviewers if p.email and not p.removed and p.email not in invited]
    if left and people:  # a trial: someone dropped from the update kept a thank-you, unsaid
        names = wording.and_list([person_label(p.name, p.email) for p in left])
        warnings.append(
            f"{names} {'is' if len(left) == 1 else 'are'} not on the updated {event.label}:"
            f" still on interview {interview_id}, with their notes — if they were not there,"
            f" `followup edit {interview_id} --remove-interviewer {left[0].email}`"
        )
    for person in people:
        if person.email not in present:  # a panel keeps the one primary contact it has
            ctx.store.add_interviewer(
                interview_id, person._replace(primary=person.primary and not has_primary)
            )
    replanned = ""
    if current.status.is_open:
        services.replan(ctx, interview_id)
        replanned = "; its notes were re-planned"
    services.replan_other_rounds(ctx, current)  # a moved round may leave its day's loop
    moved = "moved" if event.start != current.start else "updated"
    events.record(
        ctx,
        interview_id,
        "moved",
        f"{moved} by an invitation (SEQUENCE {event.sequence}):"
        f" {wording.local(event.start, event.tz)}",
        prior,
        {"sequence": event.sequence, "start": views.iso(event.start), "tz": event.tz},
    )
    return outcome(
        "updated",
        f"Interview {interview_id} {moved} (SEQUENCE {event.sequence}){replanned}.",
        event.sequence,
    )


def _wall(at: datetime, tz: str) -> str:
    """`at` as typed at `add --at` in zone `tz` ("2026-12-21T10:00")."""
    return at.astimezone(zone(tz)).strftime("%Y-%m-%dT%H:%M")


def _panel_warnings(event: InviteEvent, step: _Step, interview: str) -> list[str]:
    """Whom a new interview's panel left out by a guess, a panel of only a team's mailbox,
    and a panel of nobody: each says how to add a person, since no thank-you is planned for
    anyone not on the panel."""
    assert step.guess is not None  # a created interview's
    guess = step.guess
    add = f'`followup edit {interview} --add-interviewer "Name <address>"`'
    said = []
    if step.left_out:
        # a small company's only recruiter may write from jobs@: say how to keep them
        team = step.team_left_out
        writes = f" (a recruiter who writes from {team}: their name and that address)"
        said.append(
            f"{event.label}: not on the panel, no note to them: {', '.join(step.left_out)}"
            f" — if one is a person you met, add them with {add}{writes if team else ''}"
        )
    if step.forwarded_by:
        # an agency's recruiter forwards a client's invitation: not on the event, maybe
        # someone to thank all the same — the user knows, the file does not
        said.append(
            f"{event.label}: forwarded by {step.forwarded_by}, who is not among its attendees:"
            f" not on the panel, no note to them — to thank them too, add them with {add}"
        )
    if step.teams_only:
        said.append(
            f"{event.label}: no person named in the invitation, so its notes go to"
            f" {', '.join(step.teams_only)} — if you met someone, add them with {add}"
        )
    if not guess.interviewers:
        said.append(
            f"{event.label}: no interviewer found in the invitation (its organizer and"
            f" attendees are you, relays, rooms, call services, bots or no-reply addresses): its"
            f" thank-you has nobody to go to until you add whom you met with {add}"
        )
    return said


def _check_strangers(
    ctx: Context,
    event: InviteEvent,
    guess: Guess,
    application_id: int,
    known: _Known,
    warnings: list[str],
) -> None:
    """An invitation joins an application the user has only with someone the application
    knows: one of its rounds' people (by address) or someone on one of its domains (or a
    subdomain). One whose people are all strangers is refused, nothing imported (a forged
    "second interview" made its sender the next round's contact and gave the application
    the sender's domain); strangers beside someone known are added and said. An invitation
    naming no person (relays, rooms) and an application that knows nobody yet are taken."""
    addresses, domains = known.people(application_id)
    people = [p.email.lower() for p in guess.interviewers if p.email]
    if not people or not (addresses or domains):
        return

    def knows(address: str) -> bool:
        host = address.rpartition("@")[2]
        return address in addresses or any(host == d or host.endswith("." + d) for d in domains)

    strangers = [a for a in people if not knows(a)]
    if not strangers:
        return
    where = ", ".join(sorted(domains)) or "none"
    if len(strangers) == len(people):
        raise InvalidInput(
            f"{event.label} names nobody {guess.company}'s application {application_id}"
            f" knows: {', '.join(strangers)} {'is' if len(strangers) == 1 else 'are'} on none"
            f" of its domains ({where}) and not among its people, so nothing was imported"
            f" (if it is right: `followup add --application {application_id} --at …"
            f" --interviewer …`)"
        )
    warnings.append(
        f"{event.label}: {', '.join(strangers)} {'is' if len(strangers) == 1 else 'are'} on"
        f" none of {guess.company}'s domains ({where}): added to the round all the same,"
        " beside people it knows — check the invitation is theirs"
    )


def organizer_of(event: InviteEvent) -> str | None:
    """The event's ORGANIZER address, lower-cased; None when it names none."""
    for person in event.people:
        if person.organizer and person.email.strip():
            return person.email.strip().lower()[: limits.MAILBOX_TEXT]
    return None


def _check_organizer(ctx: Context, interview_id: int, event: InviteEvent) -> None:
    """Only the organizer changes or cancels an event (RFC 5546, 2.1.5 and 3.2.5): a newer
    version or a cancellation of an imported invitation from anyone else (a file naming
    another ORGANIZER, or none) is refused, the whole file with it. An interview with no
    organizer on record (typed in, imported before it was kept, restored from JSON) takes
    it from anyone, as before."""
    on_record = ctx.store.ics_organizer(interview_id)
    if on_record is None:
        return
    said = organizer_of(event)
    if said == on_record:
        return
    what = "cancels" if event.cancelled else "changes"
    who = f"is organized by {said}" if said else "names no organizer"
    raise InvalidInput(
        f"{event.label} {what} interview {interview_id} but {who}; its invitation came from"
        f" {on_record}, and only the organizer may change or cancel it: nothing changed"
    )


def _in_a_loop_with(ctx: Context, application: int, event: InviteEvent, default: timedelta) -> bool:
    end = event.start + (event.duration or default)
    since = event.start - timedelta(microseconds=1)  # a round at the same start is next to it
    near = ctx.store.rounds_between(application, since, end + planner.LOOP_GAP)
    return any(planner.same_loop(end, r.start) for r in near)


def _create(
    ctx: Context, event: InviteEvent, guess: Guess, known: _Known, warnings: list[str]
) -> InviteOutcome:
    application = known.application(guess.company, guess.role)
    latest = known.latest_start(application) if application is not None else None
    # the next round of the application when it comes after all of its rounds, or when it
    # is a conversation of the same day's loop as one of them (its invitations imported in
    # another order than they happen)
    joined = application is not None and (
        latest is None
        or event.start > latest
        or _in_a_loop_with(ctx, application, event, ctx.policy.default_duration)
    )
    new = services.NewInterview(
        company=guess.company,
        role=guess.role,
        start=event.start,
        tz=event.tz,
        duration=event.duration,
        interviewers=guess.interviewers,
        domains=guess.domains,
        application_id=application if joined else None,
        location=event.location,
        description=event.description,
        refuse_duplicate=False,  # checked just below, said as an outcome, not refused
    )
    if joined:
        assert application is not None
        _check_strangers(ctx, event, guess, application, known, warnings)
    same = services.duplicate_of(ctx, new)
    if same is not None:  # typed in already, or the same invitation from another calendar
        return InviteOutcome(
            "unchanged",
            same.id,
            same.application_id,
            same.start,
            same.tz,
            guess.company,
            guess.role,
            event.uid,
            event.sequence,
            f"Interview {same.id} is this one already (same company, role and start):"
            " nothing imported.",
        )
    added = services.add_interview(ctx, new)
    if added.unsent:  # a day's loop of events: each a round that ends the one before it
        warnings.append(f"{event.label}: {added.unsent}")
    if joined:
        ctx.store.add_domains(added.application_id, guess.domains)
    ctx.store.set_ics(added.interview_id, event.uid, event.sequence, organizer_of(event))
    known.added(guess.company, guess.role, added.application_id, event.start)
    known.met(added.application_id, guess.interviewers)
    where = (
        f", round {added.round} of application {added.application_id}"
        if joined
        else " (new application)"
    )
    return InviteOutcome(
        "created",
        added.interview_id,
        added.application_id,
        event.start,
        event.tz,
        guess.company,
        guess.role,
        event.uid,
        event.sequence,
        f"Created interview {added.interview_id}: {guess.role} at {guess.company}{where}.",
        new_application=not joined,
    )


# --- who the interviewers are -------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class Panel(NamedTuple):
    """Whom an invitation's people make the panel, and what to say about the others."""

    people: list[NewInterviewer]
    notes: list[str]  # a bad address or name, too many people
    left_out: list[str]  # '"Name" <address> (a meeting room)': guessed not a person
    # team mailboxes kept because nobody else was named, shown as left_out's are
    teams_only: tuple[str, ...] = ()
    team_left_out: str = ""  # the first team mailbox's address in left_out
    # whose domains are the company's: the panel's people and the team mailboxes (the
    # company's own, on the panel or not); never a room, a service, a bot, the user
    company_addresses: tuple[str, ...] = ()
    forwarded_by: str = ""  # '"Name" <address>' of who forwarded it, not among its attendees


def interviewers(
    people: Iterable[Attendee],
    own: Iterable[str] = (),
    ats: Iterable[str] = (),
    own_names: Iterable[str] = (),
) -> Panel:
    """The people to thank: each address checked as exactly one mailbox, the user's own
    addresses and names (an invitation may list the user at another address), relays,
    and whoever is not a person (domain/attendees.py) left out, each person once. Those
    the file marks (CUTYPE=ROOM, ROLE=NON-PARTICIPANT) and relays go silently; those left
    out by a guess from their name or address are listed, to be said and added back. A
    team's shared mailbox (talent@) is left out beside any person, so that it is never the
    contact every follow-up goes to; a panel of nobody else keeps one (the organizer's, else
    the first: one team is thanked once, not once per mailbox), said too."""
    from followup.app.headers import parse_single_mailbox  # the email package: only here

    own = {a.lower() for a in own}
    own_names = tuple(own_names)
    relays = ATS_DOMAINS | {d.lower().lstrip("@") for d in ats}
    found: list[NewInterviewer] = []
    notes: list[str] = []
    left_out: list[str] = []
    seen: set[str] = set()
    forwarder = ""
    teams: list[tuple[NewInterviewer, str]] = []  # (the mailbox, how it is shown)
    for person in people:
        raw = person.email.strip()
        if not raw:
            continue
        try:
            _, address = parse_single_mailbox(raw)
        except InvalidInput as exc:
            notes.append(f"skipped {'organizer' if person.organizer else 'attendee'}: {exc}")
            continue
        address = address.lower()
        name = " ".join(person.name.split())
        if address in seen:
            continue
        seen.add(address)
        if own_address(address, own) or own_name(name, own_names):
            continue  # the user: at a +tag, Gmail's other spelling, or an address not told of
        if attendees.stated_not_a_person(person.kind, person.role):
            continue
        if registrable_domain(address.partition("@")[2]) in relays:
            continue  # the platform that sent the invitation
        shown = f"{_quoted(name, 60)} <{address}>" if name else address
        if person.forwarded:  # not on the event: they passed the invitation on
            forwarder = shown
            continue
        why = attendees.guessed_not_a_person(name, address)
        if why is not None and why != attendees.TEAM:
            left_out.append(f"{shown} ({why})")
            continue
        if why == attendees.TEAM:  # kept only if nobody else is named: decided below
            usable = name and _usable_name(person.name, name) is not None
            team = NewInterviewer(name if usable else address.partition("@")[0], address)
            teams.append((team._replace(primary=person.organizer), f"{shown} ({why})"))
            continue
        if name and _usable_name(person.name, name) is None:
            # An invite's CN is not the user's typing: keep the address, say so, go on
            notes.append(f"the name given for {address} is not usable: using the address")
            name = ""
        # The organizer (the recruiter or the hiring manager who invited) is the panel's
        # contact for the notes after the thank-you.
        found.append(
            NewInterviewer(name or address.partition("@")[0], address, primary=person.organizer)
        )
    if len(found) > MAX_INTERVIEWERS:
        notes.append(
            f"{len(found)} attendees: kept the first {MAX_INTERVIEWERS} as interviewers"
            " (one note each); add others with `followup add --application`"
        )
        found = found[:MAX_INTERVIEWERS]
    company = tuple(p.email or "" for p in found) + tuple(t.email or "" for t, _ in teams)
    if found or not teams:
        first = (teams[0][0].email or "") if teams else ""
        said = left_out + [said for _, said in teams]
        return Panel(found, notes, said, (), first, company, forwarder)
    kept = max(teams, key=lambda team: team[0].primary)  # the organizer's, else the first
    others = [t for t in teams if t is not kept]
    return Panel(
        [kept[0]],
        notes,
        left_out + [said for _, said in others],
        (kept[1],),
        (others[0][0].email or "") if others else "",
        company,
        forwarder,
    )


def _quoted(text: str, limit: int = 80) -> str:
    shown = "".join(c if c.isprintable() else "?" for c in text)
    if len(shown) > limit:
        shown = shown[: limit - 3] + "..."
    return f'"{shown}"'


# --- export: which notes a calendar shows -------------------------------------------------

_OPEN = {NoteState.PENDING, NoteState.SENDING, NoteState.UNKNOWN}


def feed_status(state: NoteState) -> str:
    if state in _OPEN:
        return "open"
    return "done" if state is NoteState.SENT else "cancelled"


def publish(
    ctx: Context, todo: bool = False, emit: Callable[[Feed, Iterator[FeedItem]], None] | None = None
) -> Feed:
    """The notes a calendar shows now, each with its stable UID and current SEQUENCE, in
    due order (then by UID).

    Records what it published (one transaction), so the next call knows when a note's due
    time or status moved and its SEQUENCE must rise. With `emit`, the items are handed to it
    as the store's cursor reads them (an export in constant memory) and the Feed returned
    holds none.
    """
    import secrets

    now = ctx.clock.now()
    changes: list[tuple[int, datetime, str, int]] = []
    with ctx.store.transaction():
        install = ctx.store.calendar_install_id(secrets.token_hex(8), now)
        shown = _shown(ctx.store.feed_notes(), install, now, changes)
        # the store gives them in due order: only the items due at one instant are sorted
        ordered = (
            item
            for _, group in groupby(shown, key=attrgetter("due"))
            for item in sorted(group, key=attrgetter("uid"))
        )
        feed = Feed(todo=todo, stamp=now, items=())
        if emit is None:
            feed = feed._replace(items=tuple(ordered))
        else:
            emit(feed, ordered)
        for note_id, due_at, status, sequence in changes:  # once the cursor is read
            ctx.store.record_published(note_id, due_at, status, sequence, now)
    return feed


def _shown(
    rows: Iterable[FeedNote],
    install: str,
    now: datetime,
    changes: list[tuple[int, datetime, str, int]],
) -> Iterator[FeedItem]:
    """The feed's items, and (in `changes`) what to record of those that changed."""
    for row in rows:
        status = feed_status(row.state)
        if row.published_sequence is None:
            if status != "open":
                continue  # never shown: nothing to update
            sequence = 0
        else:
            changed = (row.due_at, status) != (row.published_due, row.published_status)
            if not changed:
                stale = row.published_at is not None and (
                    now - row.published_at > CLOSED_ITEMS_KEPT
                )
                if status != "open" and stale:
                    continue
                yield feed_item(row, install, row.published_sequence)
                continue
            sequence = row.published_sequence + 1
        changes.append((row.note_id, row.due_at, status, sequence))
        yield feed_item(row, install, sequence)


def feed(ctx: Context, codec: CalendarCodec, todo: bool = False) -> bytes:
    """The whole calendar as iCalendar bytes: what `/calendar.ics` and `export --ics` serve."""
    return codec.write(publish(ctx, todo))


def note_uid(install_id: str, note_id: int) -> str:
    """Stable across exports; unique across databases (the random install id)."""
    return f"followup-{install_id}-note-{note_id}@followup.invalid"


def feed_item(row: FeedNote, install_id: str, sequence: int) -> FeedItem:
    who = row.interviewer_name or row.interviewer_email
    kind = kind_label(row.kind, title=True)
    summary = f"{kind} to {who} ({row.company})" if who else f"{kind} ({row.company}, {row.role})"
    target = f" --interviewer {row.interviewer_email}" if row.interviewer_email else ""
    held = row.interview_start.astimezone(zone(row.interview_tz))
    lines = [
        f"{kind} to {who or 'your interviewers'} after your {row.role} interview at"
        f" {row.company} on {held:%a %d %b %Y %H:%M} {held.tzname()} (interview"
        f" {row.interview_id}, step {row.step}).",
        f"Draft it:  followup draft {row.interview_id}{target}",
        f"Send it:   followup send {row.interview_id}{target}",
        f"Sent it yourself?  followup sent {row.interview_id}{target}",
    ]
    return FeedItem(
        uid=note_uid(install_id, row.note_id),
        sequence=sequence,
        status=feed_status(row.state),
        due=row.due_at,
        summary=summary,
        description="\n".join(lines),
        done_at=row.sent_at,
    )


class CalendarExport(NamedTuple):
    todo: bool
    counts: dict[str, int]  # items by status: open, done, cancelled

    def as_dict(self, file: str) -> dict[str, Any]:
        return {
            "file": file,
            "format": "ics",
            "component": "VTODO" if self.todo else "VEVENT",
            "items": sum(self.counts.values()),
            **self.counts,
        }


def export_ics(
    ctx: Context, codec: CalendarCodec, out: BinaryIO, todo: bool = False
) -> CalendarExport:
    """The calendar written to `out` as the store's cursor reads its notes (constant
    memory: never the whole calendar as objects or bytes)."""
    counts = {"open": 0, "done": 0, "cancelled": 0}

    def counted(items: Iterator[FeedItem]) -> Iterator[FeedItem]:
        for item in items:
            counts[item.status] += 1
            yield item

    publish(ctx, todo, lambda feed, items: codec.write_to(feed, counted(items), out))
    return CalendarExport(todo, counts)
