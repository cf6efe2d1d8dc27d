"""Calendars: interviews in from an invitation (.ics, .eml), follow-up reminders out.

The iCalendar text is the adapter's business (adapters/calendar/ics.py, behind the
`CalendarCodec` port in app/ports.py): it turns a file into `InviteEvent` values (instants
in UTC, IANA zone names) and `Feed` values back into bytes. The decisions are here:

- In: which interview an event is (by its UID), whether a re-import moves it (a higher
  SEQUENCE), cancels it (METHOD:CANCEL or STATUS:CANCELLED) or changes nothing (an equal
  or lower SEQUENCE); who the interviewers are (ORGANIZER and ATTENDEEs, less the user's
  own addresses, rooms and no-reply relays); what the company and role probably are (the
  SUMMARY and the organizer's domain). A whole file is one transaction.
- Out: which notes a calendar shows (the planned, pending ones; a note that was shown and
  then sent or cancelled is shown as done or cancelled for a while, so a re-imported file
  updates it instead of leaving a stale reminder), under which stable UID, and when its
  SEQUENCE rises (its due time or status changed since it was last published).

`publish` is what every calendar output shares: `followup export --ics`, the dashboard's
`/calendar.ics` and a CalDAV push all read the same `Feed` and write it with the same codec.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
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
from followup.domain.companies import ATS_DOMAINS, company_domains, registrable_domain
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


class Guess(NamedTuple):
    """What a new interview's application will be: shown for confirmation in a terminal."""

    company: str
    role: str
    domains: tuple[str, ...] = ()
    interviewers: tuple[NewInterviewer, ...] = ()


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
            guess = guess_application(
                event.summary, event.people, own, ats, options.own_names
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
        steps.append(_Step(event, guess, left_out, teams_only) if creates else _Step(event, guess))
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
        said.append(
            f"{event.label}: not on the panel, no note to them: {', '.join(step.left_out)}"
            f" — if one is a person you met, add them with {add}"
        )
    if step.teams_only:
        said.append(
            f"{event.label}: no person named in the invitation, so its notes go to"
            f" {', '.join(step.teams_only)} — if you met someone, add them with {add}"
        )
    if not guess.interviewers:
        said.append(
            f"{event.label}: no interviewer found in the invitation (its organizer and"
            f" attendees are you, relays, rooms or no-reply addresses): its thank-you has"
            f" nobody to go to until you add whom you met with {add}"
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
    contact every follow-up goes to; a panel of nobody else keeps it, said too."""
    from followup.app.headers import parse_single_mailbox  # the email package: only here

    own = {a.lower() for a in own}
    mine = {_letters(n) for n in own_names if len(_letters(n)) >= 3}
    relays = ATS_DOMAINS | {d.lower().lstrip("@") for d in ats}
    found: list[NewInterviewer] = []
    notes: list[str] = []
    left_out: list[str] = []
    seen: set[str] = set()
    teams: list[tuple[NewInterviewer, str]] = []
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
        if address in own or address in seen:
            continue
        seen.add(address)
        if attendees.stated_not_a_person(person.kind, person.role):
            continue
        if registrable_domain(address.partition("@")[2]) in relays:
            continue  # the platform that sent the invitation
        name = " ".join(person.name.split())
        if mine and _letters(name) in mine:
            continue  # the user, at an address followup was not told about
        why = attendees.guessed_not_a_person(name, address)
        shown = f"{_quoted(name, 60)} <{address}>" if name else address
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
    if found or not teams:
        return Panel(found, notes, left_out + [said for _, said in teams])
    kept = teams[:MAX_INTERVIEWERS]
    return Panel([team for team, _ in kept], notes, left_out, tuple(said for _, said in kept))


# --- guessing the company and the role ----------------------------------------------------


# What a title says of the kind of meeting, never who meets: the words for an interview,
# a call, a round, in English, German, French, Spanish, Dutch, Portuguese, Italian,
# Swedish, Polish, Japanese and Chinese, and the platforms interviews run on. The one list
# of them: the guess strips them from the edges of both sides of a title (never from inside
# a name: "Next Round Ventures"), a side that is only these words is neither the company
# nor the role (the organizer's domain names the company then), and a parenthesis holding
# one says how the interview goes, not who holds it ("(Zoom)", "(Entretien 2)").
MEETING_WORDS: tuple[str, ...] = (
    # English
    "job interview", "interview", "phone screen", "screening", "screen", "call", "chat",
    "conversation", "meeting", "round", "follow-up", "follow up", "onsite", "on-site",
    "superday", "intro", "meet & greet", "meet and greet", "meet-and-greet", "hiring event",
    "recruiting event", "recruitment event", "assessment centre", "assessment center",
    "onsite loop", "on-site loop", "virtual loop", "interview loop",
    # German
    "vorstellungsgespräch", "bewerbungsgespräch", "kennenlerngespräch", "erstgespräch",
    "zweitgespräch", "folgegespräch", "telefoninterview", "videointerview", "gespräch",
    "telefonat", "videocall", "runde",
    # French
    "entretien d'embauche", "entretien", "visioconférence", "visio", "appel", "échange",
    # Spanish
    "entrevista de trabajo", "entrevista", "videollamada", "llamada", "reunión",
    # Dutch
    "sollicitatiegesprek", "kennismakingsgesprek", "videogesprek", "telefoongesprek", "gesprek",
    # Portuguese
    "entrevista de emprego", "videochamada", "chamada", "reunião", "conversa",
    # Italian
    "colloquio di lavoro", "videocolloquio", "colloquio", "intervista", "videochiamata",
    "chiamata",
    # Swedish, Polish, Japanese, Chinese
    "rekryteringsintervju", "anställningsintervju", "intervju", "rozmowa kwalifikacyjna",
    "rozmowa rekrutacyjna", "面接", "面试", "面試",
)  # fmt: skip
# the platforms interviews run on: companies' names too ("Zoom Video Communications")
PLATFORMS = ("hirevue", "microsoft teams", "teams", "google meet", "zoom", "webex", "skype")
MEETING_WORDS += PLATFORMS
# before one of them: "technical interview", "zweites Gespräch", "premier entretien"
_MEETING_BEFORE = (
    "technical", "tech", "phone", "video", "virtual", "zoom", "teams", "onsite", "on-site",
    "in-person", "final", "first", "second", "third", "1st", "2nd", "3rd", "initial",
    "introductory", "intro", "hr", "recruiter", "hiring manager", "panel", "culture fit",
    "culture", "behavioural", "behavioral", "system design", "coding", "take-home",
    "follow-up", "job", "coffee", "case", "digital", "loop",
    "erstes", "erste", "ersten", "zweites", "zweite", "zweiten", "drittes", "dritte",
    "dritten", "finales", "finale", "technisches", "technische", "persönliches",
    "persönliche", "telefonisches", "telefonische",
    "premier", "deuxième", "troisième", "dernier",
    "primera", "segunda", "tercera", "primeira", "terceira",
    "eerste", "tweede", "derde", "laatste", "technisch", "telefonisch", "online",
    "primo", "secondo", "terzo",
)  # fmt: skip
# after one of them, as French, Spanish, Portuguese and Italian say it: "entretien
# téléphonique", "entrevista técnica", "colloquio conoscitivo"
_MEETING_AFTER = (
    "téléphonique", "technique", "vidéo", "en visio", "individuel", "rh", "final", "finale",
    "técnica", "telefónica", "telefônica", "técnico", "tecnico", "telefonico", "conoscitivo",
    "invitation",  # "Interview Invitation: …"
)  # fmt: skip
# what starts a side as the meeting, never ends one: "Coffee with Priya", "Lunch with the
# team", but "Blue Bottle Coffee"
_MEETING_OPENERS = ("coffee", "lunch", "dinner", "breakfast", "drinks")
# how long it lasts, before the words for it: "30 min intro", "45-minute call"
_DURATION = r"\d+\s*-?\s*(?:min(?:ute)?s?|h|hrs?|hours?)\.?"


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation of `words`, longest first; a space matches any run of spaces
    and an apostrophe either apostrophe ("entretien d’embauche")."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+").replace("'", "['’]") for word in ordered)


_MEETING = _alternatives(MEETING_WORDS)
_PREFIX = re.compile(
    r"^\s*(?:updated invitation(?: with note)?|invitation(?: updated)?|updated|accepted|declined"
    r"|tentative|tentatively accepted|cancell?ed(?: event)?|new event|fwd?|re|aw|wg|tr|sv)\s*:\s*",
    re.IGNORECASE,
)
_TRAILING_GROUP = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")
_INTERVIEW_WORDS = re.compile(
    rf"\b(?:(?:{_alternatives(_MEETING_BEFORE)}|{_DURATION})\s+)*(?:{_MEETING})"
    rf"(?:\s+(?:{_alternatives(_MEETING_AFTER)}))*(?:\s+\d+)?\b(?:\s+(?:for|with)\b)?",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*<>\s*|\s+[—–\-|/·•]\s+|\s*[—–|·•：]\s*|:\s+|\s+/\s*|/\s+")
_ROLE_WORDS = re.compile(
    r"\b(?:engineer|engineering|developer|programmer|manager|designer|analyst|scientist|lead"
    r"|intern|internship|architect|sre|devops|consultant|specialist|director|head|officer|vp"
    r"|president|administrator|admin|product|marketing|sales|recruiter|researcher|writer"
    r"|editor|accountant|associate|coordinator|assistant|technician|tester|qa|support"
    r"|owner|principal|staff|senior|junior|sr|jr|backend|frontend|full[- ]?stack|data"
    r"|graduate|trainee|apprentice|representative|rep|planner|agent|clerk|attendant|nurse"
    r"|practitioner|teacher|counsel|lawyer|solicitor|producer|controller|barista|cashier|cook"
    # French, Spanish, Portuguese, Italian, Dutch
    r"|ing[ée]nieure?|d[ée]veloppeu(?:r|se)|chef|responsable|directeur|directrice|charg[ée]e?"
    r"|stagiaire|alternante?|analyste|consultante?|ingenier[oa]|desarrollador(?:a)?|analista"
    r"|jef[ea]|gerente|becari[oa]|cient[íi]fic[oa]|programador(?:a)?|engenheir[oa]"
    r"|desenvolvedor(?:a)?|estagi[áa]ri[oa]|cientista|ingegnere|sviluppat(?:ore|rice)"
    r"|stagista|tirocinante|ontwikkelaar|medewerker|adviseur|stagiair"
    # German, also at the end of a compound ("Projektingenieur", "Softwareentwicklerin")
    r"|werkstudent(?:in)?|praktikant(?:in)?"
    r"|\w*(?:ingenieur|entwickler|leiter|berater|referent|architekt|techniker)(?:in)?"
    # Swedish, Polish, Japanese, Chinese
    r"|\w*(?:utvecklare|ingenjör)|programista|inżynier|specjalista|kierownik"
    r"|\w*(?:エンジニア|デザイナー|マネージャー|工程师|经理|设计师))\b",
    re.IGNORECASE,
)


def _domain_name(domain: str) -> str:
    """acme.com -> "Acme"; acme-robotics.co.uk -> "Acme Robotics"."""
    label = domain.split(".")[0]
    return " ".join(part.capitalize() for part in re.split(r"[-_]+", label) if part)


def _letters(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _spelled_in(summary: str, domain: str) -> str | None:
    """The summary's own spelling of the domain's name ("DeepMind" for deepmind.com)."""
    wanted = _letters(domain.split(".")[0])
    if not wanted:
        return None
    words = re.findall(r"[\w&'.-]+", summary)
    for size in range(1, 5):
        for i in range(len(words) - size + 1):
            span = " ".join(words[i : i + size]).strip(".-'")
            if wanted in (_letters(span), _letters(span.replace("&", "and"))):  # "Teams & Co"
                return span
    return None


def guess_application(
    summary: str,
    people: Sequence[Attendee],
    own: Iterable[str] = (),
    ats: Iterable[str] = (),
    own_names: Iterable[str] = (),
) -> Guess:
    """Company and role from the SUMMARY and the organizer's domain; "" where unknown:
    the title read by `TITLE_SHAPES`, in order.

    Understands "Interview: Backend Engineer at Acme", "Acme — Backend Engineer interview",
    "Acme / Backend Engineer (Round 2)", "Backend Engineer interview - Acme", "Interview with
    Acme for Backend Engineer", and the titles applicant-tracking systems and schedulers
    write: "Interview: <candidate> - <role> (<company>)" (Greenhouse), "<company> | <role>
    interview with <candidate>" (Ashby), "<event type> between <host> and <invitee>"
    (Calendly), "<company> Onsite Interview for <role> - <candidate>" (GoodTime),
    "<candidate> <> <company>: <role> Interview" (Lever). The organizer's domain
    (acme.com: "Acme") names the company when the summary does not, and tells which side of
    a separator is the company; free mail (gmail.com, outlook.com, ...) and ATS relays
    (greenhouse.io, lever.co, ...) name none. People are never the company: the user's
    names (`own_names`: user.name, and the name the invitation gives one of the user's
    addresses) and the attendees' names are taken out of the title first.
    """
    own = {a.lower() for a in own}
    ordered = sorted(people, key=lambda p: not p.organizer)  # the organizer's domain first
    domains = company_domains((p.email for p in ordered), own, ats)
    from_domain = None
    label = ""
    if domains:
        from_domain = _spelled_in(summary, domains[0]) or _domain_name(domains[0])
        label = _letters(domains[0].split(".")[0])
    names, firsts = _person_names(people, own, own_names, from_domain)
    company, role, named = _read_title(summary, from_domain, label, names, firsts)
    if company and (_letters(company) in names or "@" in company):
        company = from_domain or ""  # a person, or an address, is never the company
    if not _without_interview_words(company):
        # "Vorstellungsgespräch", "HireVue": what, not who; but "Software Engineer at Zoom"
        # from zoom.us (a relay's domain, so none) is Zoom
        company = from_domain or (company if named else "")
    if _ABBREVIATED.search(company) and f"{company}." in summary:
        company += "."  # "Tulpa B.V.", "Snap Inc.": the title's last dot is the abbreviation's
    if not _without_interview_words(role):
        role = ""  # "Entretien": no role, rather than a draft "about the Entretien position"
    return Guess(company[:MAX_FIELD], role[:MAX_FIELD], tuple(domains))


# a company's name that ends in an abbreviation, whose dot the title's last dot is
_ABBREVIATED = re.compile(r"(?:(?:\b\w\.)+\w|\b(?:inc|corp|co|ltd|bros|cie|intl))$", re.I)


# What an attendee's name is when it is a mailbox's or a team's, not a person's.
_NOT_A_PERSON = re.compile(
    r"\b(?:inc|llc|ltd|gmbh|ag|sa|corp|corporation|company|co|group|team|talent|careers?"
    r"|jobs|recruiting|recruitment|hiring|people|hr|calendar|scheduling|scheduler|interviews?"
    r"|no-?reply|notifications?|via)\b",
    re.IGNORECASE,
)


def _person_names(
    people: Sequence[Attendee], own: set[str], own_names: Iterable[str], company: str | None
) -> tuple[set[str], set[str]]:
    """The names of people in an invitation (folded to letters): the user's own (settings,
    and the CN on one of the user's addresses) and every attendee whose CN reads as a
    person's (2 to 4 words, no company or team word, not the company's name), or, with no
    CN, whose address does ("sam.lee@"); and their first names, the user's too ("Noor /
    Sam - 30 min intro"), with a one-word address's ("tom@gmail.com", "priya@gorgias.com")
    but never a team's (talent@)."""
    found: set[str] = set()
    firsts: set[str] = set()
    for name in own_names:
        if len(_letters(name)) >= 3:
            found.add(_letters(name))
            _add_first(firsts, name.split())
    for person in people:
        name = " ".join(person.name.split())
        words = name.split()
        if person.email.strip().lower() in own and len(_letters(name)) >= 3:
            found.add(_letters(name))
            _add_first(firsts, words)
            continue
        if not name:
            _address_names(person.email, company, found, firsts)
            continue
        if not 2 <= len(words) <= 4 or _NOT_A_PERSON.search(name) or _ROLE_WORDS.search(name):
            continue
        if company and _letters(name) == _letters(company):
            continue
        found.add(_letters(name))
        if "," not in name:  # "Lee, Dana": no first word
            _add_first(firsts, words)
    return found, firsts


def _add_first(firsts: set[str], words: list[str]) -> None:
    if words and len(_letters(words[0])) >= 3:
        firsts.add(_letters(words[0]))


def _address_names(address: str, company: str | None, found: set[str], firsts: set[str]) -> None:
    """The name an address with no CN spells: "sam.lee@" Sam Lee, "tom@" a first name;
    none for a team's or a no-reply mailbox, or one named as the company ("acme@acme.com")."""
    local = address.strip().lower().partition("@")[0]
    if attendees.guessed_not_a_person("", address.strip().lower()) is not None:
        return
    words = [w for w in re.split(r"[._-]+", local) if w]
    if not words or not all(w.isalpha() for w in words) or len(words) > 2:
        return
    if company and _letters(local) == _letters(company):
        return
    if len(words) == 2 and min(len(w) for w in words) >= 2:
        found.add(_letters("".join(words)))
    _add_first(firsts, words)


def _clean(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).strip(" -–—:|/,.·•")


_ROLE_FRAME = re.compile(
    r"^(?:(?:about|regarding|re|for)\s+)?(?:(?:the|your|our|a|an)\s+)?"
    r"(?:(?:position|role|post|job)\s+(?:of|as)\s+(?:an?\s+)?)?(?P<role>.+?)"
    r"(?:\s+(?:role|position|opening|opportunity|job|vacancy))?$",
    re.IGNORECASE,
)


_WITH_SOMEONE = re.compile(
    rf"\b(?P<kind>{_MEETING}|{_alternatives(_MEETING_OPENERS)})"
    r"\s+(?:with|mit|avec|con|com|met)\s+.*$",
    re.IGNORECASE,
)


def _without_interview_words(text: str, keep: str | None = None) -> str:
    """A side of a title less the words for the meeting: the role, or the company."""
    core = _WITH_SOMEONE.sub(r"\g<kind>", text)  # "<role> interview with <someone>"
    core = _meeting_edges_off(core, keep)
    framed = _ROLE_FRAME.match(core)
    return _clean(framed["role"]) if framed else core


def _company_part(text: str, keep: str | None = None) -> str:
    """ "Globex Intro Call" -> "Globex": a company side with the interview's kind in it."""
    return _meeting_edges_off(text, keep) or text


_MEETING_FIRST = re.compile(
    rf"^(?:{_INTERVIEW_WORDS.pattern}|(?:{_alternatives(_MEETING_OPENERS)})\b)", re.IGNORECASE
)
_MEETING_LAST = re.compile(rf"(?:{_INTERVIEW_WORDS.pattern})$", re.IGNORECASE)
# a meeting word that also names what a job works on, just before the job's title:
# "Conversation Designer", "Chat Support Specialist", "Call Centre Manager"
_ALSO_A_TRADE = frozenset(("conversation", "chat", "call", "meeting"))
_ABOUT_SOMEONE = re.compile(r"\s*(?:with|for|about|on|re|regarding)\b", re.IGNORECASE)
# a word that joins a name's words: "Teams & Co", "Marks and Spencer", "Bank of ..."
_NAME_GOES_ON = re.compile(r"^\s*(?:&|\+|and\b)", re.IGNORECASE)
_NAME_WENT_ON = re.compile(r"(?:&|\+|\band|\bof)\s*$", re.IGNORECASE)
_BRACKETED = re.compile(r"[(\[](?P<inside>[^()\[\]]*)[)\]]")


def _meeting_edges_off(text: str, keep: str | None = None) -> str:
    """`text` less the meeting phrases at its edges ("Onsite:", "Technical interview",
    "Round 2") and the brackets left empty ("[Interview] Product Manager"). Never one
    inside a name ("Next Round Ventures"), one joined to a name ("Teams & Co"), one that
    names a job's trade ("Conversation Designer"), a platform that starts a name ("Zoom
    Video Communications"), nor one inside `keep`: the stretch of the title the organizer's
    domain spells ("Round Table Pizza" from roundtablepizza.com, "Meeting Street" from
    meetingstreet.com)."""
    text = _BRACKETED.sub(lambda m: m[0] if _meeting_edges_off(m["inside"], keep) else " ", text)
    while True:
        text = _clean(text)
        kept = _found_span(keep, text)
        first = _MEETING_FIRST.match(text)
        if first and (kept is None or first.end() <= kept[0]):
            rest = text[first.end() :]
            word = " ".join(first[0].lower().split())
            # "Call Center Representative", "Meeting Planner": a job's title goes on
            trade = (
                word in _ALSO_A_TRADE
                and _ROLE_WORDS.search(rest)
                and not _ABOUT_SOMEONE.match(rest)
            )
            # "Zoom Video Communications"; but "HireVue Technical Interview"
            named = word in PLATFORMS and _meeting_edges_off(rest, keep)
            if not trade and not named and not _NAME_GOES_ON.match(rest):
                text = rest
                continue
        last = _MEETING_LAST.search(text)
        outside = last and (kept is None or last.start() >= kept[1])
        if last and outside and not _NAME_WENT_ON.search(text, 0, last.start()):
            text = text[: last.start()]
            continue
        return text


def _found_span(part: str | None, text: str) -> tuple[int, int] | None:
    """Where `part` is in `text` as whole words, whatever its case."""
    if not part:
        return None
    found = re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text, re.IGNORECASE)
    return found.span() if found else None


# what joins a person to a title: "interview with <name>", "<name> & <name>", "Deliveroo x
# <name>" (a collaboration's marker); the words for "and" join a person only to a person
_JOINED = re.compile(
    r"(?:\b(?:(?P<with>with|for|mit|avec|con|com|met)|and|und|et|y|e|en|x)|&|\+|×)\s*$", re.I
)
# where a side of a title starts and ends: "Noor / Sam - 30 min intro"
_SIDE_STARTS = re.compile(r"(?:^|<>|[—–\-|/·•:：(\[])\s*$")
_SIDE_ENDS = re.compile(r"\s*(?:$|<>|[—–\-|/·•:：)\]])")
# what a person's name leaves after it: their part in the meeting ("Priya (Hiring
# Manager)"), and a collaboration's marker before the company ("Noor Haddad x Plaid")
_ASIDE_AFTER = re.compile(r"\s*\((?P<inside>[^()]*)\)")
_MARKER_AFTER = re.compile(r"\s+(?:x|×)\s+", re.IGNORECASE)


def _without_people(
    text: str, names: AbstractSet[str], firsts: AbstractSet[str] = frozenset()
) -> str:
    """The title less the people in it, each replaced by a separator: "with <name>"
    clauses, a name, a name in brackets ("Interview (Noor Haddad)") and the aside after
    one that says their part ("(Hiring Manager)"); a first name joined on ("& Dana", "+
    Priya") or alone between separators ("Noor / Sam"); the rest of the text as it was."""
    if not names and not firsts:
        return text
    words = list(re.finditer(r"\w[\w'.-]*", text))  # a dash between words is none
    cuts: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        for size in (4, 3, 2, 1):
            span = words[i : i + size]
            if len(span) < size:
                continue
            folded = _letters("".join(w[0] for w in span))
            begin, end = span[0].start(), span[-1].end()
            joined = _JOINED.search(text, 0, begin)
            # "Priya Raman & Dana", "with Dana": an attendee's first name; never "Ernst &
            # Young" (a first name joined on by "and" follows a person's whole name)
            after_a_person = joined and cuts and not text[cuts[-1][1] : joined.start()].strip()
            alone = _SIDE_STARTS.search(text, 0, begin) and _SIDE_ENDS.match(text, end)
            first = (alone or (joined and (joined["with"] or after_a_person))) and folded in firsts
            if folded in names or (size == 1 and first):
                # "interview with <name>": the clause goes
                begin = joined.start() if joined else begin
                if begin and text[begin - 1] in "([" and text[end : end + 1] in (")", "]"):
                    begin, end = begin - 1, end + 1  # "Interview (Noor Haddad)"
                aside = _ASIDE_AFTER.match(text, end)
                if aside and _ROLE_WORDS.search(aside["inside"]):
                    end = aside.end()
                marker = _MARKER_AFTER.match(text, end)
                if marker:
                    end = marker.end() - 1
                cuts.append((begin, end))
                i += size
                while i < len(words) and words[i].start() < end:
                    i += 1
                break
        else:
            i += 1
    if not cuts:
        return text
    kept, last = [], 0
    for begin, finish in cuts:
        kept.append(text[last:begin])
        kept.append(" | ")
        last = finish
    kept.append(text[last:])
    return _clean("".join(kept))


def _starts(text: str, name: str) -> bool:
    """Whether `text` starts with the words of `name`, whatever their case."""
    return re.match(rf"\s*{re.escape(name)}(?!\w)", text, re.IGNORECASE) is not None


# --- the title's shapes -------------------------------------------------------------------
#
# A title is read in three steps: what is no part of it goes (a mail client's "FW:" or
# "Invitation:", Google Calendar's "@ Mon Nov 30, 2026 3pm - 4pm (GMT) (you@…)" tail, the
# people in it, Calendly's "between <host> and <invitee>"); then the shapes below are tried
# in order, the first that fits giving the company and the role; each side it gives loses
# the meeting phrases at its edges (MEETING_WORDS).

# a calendar's tail: Google's "@ Mon Nov 30, 2026 3pm - 4pm (GMT) (noor@example.com)",
# "@ Weekly from 3pm to 4pm on Monday (GMT)": an "@" before a day's or a repeat's name
_WHEN_TAIL = re.compile(
    r"\s+@\s+(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
    r"|daily|weekly|monthly|yearly|every)[a-z]*\b\.?,?\s[^@]*?\d[^@]*"
    r"(?:\([^()@\s]+@[^()\s]+\)\s*)?$",
    re.IGNORECASE,
)
# a mail system's tag before a title: "[EXTERNAL] Interview …"; never a company
_TAG = re.compile(r"^\s*[\[(](?:external|ext|confidential|reminder|important|urgent)[\])]\s*", re.I)
# Greenhouse's title for a candidate's interview: "Interview: <candidate> - <role> (<company>)"
_CANDIDATE_ROLE_COMPANY = re.compile(
    r"^interview\s*:\s*(?P<who>[^()]+?)\s+[-–—]\s+(?P<role>[^()]+?)\s*\((?P<company>[^()]+)\)$",
    re.IGNORECASE,
)
# a parenthesis that says which round or how, not who: "(Round 2)", "(Onsite)", "(45 min)"
_ROUNDISH = re.compile(
    r"\d|\b(?:round|part|stage|step|onsite|on-site|remote|virtual|video|phone|zoom|teams"
    rf"|meet|in-person|final|first|second|third|intro|rescheduled|updated|confirmed|tentative"
    rf"|{_MEETING})\b",
    re.IGNORECASE,
)
# what a bracket holding a name holds: words, never "m/w/d" or "(45 min)"
_NAMEISH = re.compile(r"^[^\W\d_][\w&'’.,\- ]*$")
_LEADING_GROUP = re.compile(r"^\s*[(\[](?P<inside>[^()\[\]]*)[)\]]\s*(?P<rest>.*)$")
_LAST_GROUP = re.compile(r"^(?P<rest>.*?)\s*[(\[](?P<inside>[^()\[\]]*)[)\]]\s*$")
# Calendly's title: "<event type> between <host> and <invitee>"
_BETWEEN = re.compile(r"\s+between\s+\S.*?\s+and\s+\S.*$", re.IGNORECASE)
# a company's legal form, which tells where its name ends in "株式会社メルカリ ソフトウェア
# エンジニア" or "Alpenblick GmbH Werkstudent Data Science"
_LEGAL_FORM_FIRST = re.compile(
    r"^(?P<company>\S*(?:株式会社|有限会社|合同会社|有限公司|公司)\S*"
    r"|[^\W\d_].*?\s(?:GmbH|AG|SE|Inc\.?|Ltd\.?|LLC|LLP|PLC|B\.V\.|N\.V\.|S\.A\.|SAS|Srl|S\.p\.A\.))"
    r"\s+(?P<role>\S.*)$"
)


class _Title(NamedTuple):
    """A title ready for its shapes, and what the invitation says beside it."""

    whole: str  # less the heads ("FW:", "Invitation:") and a calendar's tail
    text: str  # also less the people in it
    keep: str | None  # the organizer's company, as the title spells it or the domain's name
    label: str  # the domain's first label, in letters ("gs" for gs.com); "" with none
    names: AbstractSet[str]

    @property
    def bare(self) -> str:
        """The text less heads and brackets left at its end ("(Round 2)", "[Onsite]")."""
        text = self.text
        while True:
            stripped = _TRAILING_GROUP.sub("", _PREFIX.sub("", text, count=1))
            if stripped == text:
                return text
            text = _clean(stripped)

    def names_company(self, part: str) -> bool:
        """Whether the organizer's domain names `part`: spelt as it ("Plaid" from plaid.com)
        or abbreviating its words ("Goldman Sachs" from gs.com, "Kaiser Permanente" from
        kp.org)."""
        if not self.keep:
            return False
        if _letters(part) == _letters(self.keep):
            return True
        initials = "".join(
            word[0] for word in re.findall(r"[^\W_]+", part.lower()) if word not in _JOINERS
        )
        return len(self.label) >= 2 and _letters(initials) == self.label

    def sides(self, text: str) -> list[str]:
        """`text`'s sides between separators, less those that are only meeting phrases."""
        parts = [_clean(p) for p in _SEPARATORS.split(text)]
        return [p for p in parts if _without_interview_words(p, self.keep)]


_JOINERS = frozenset(("&", "and", "of", "the", "und", "et", "y"))


class _Read(NamedTuple):
    company: str
    role: str
    named: bool = False  # "ROLE at COMPANY": a platform named there is the employer


Shape = Callable[[_Title], "_Read | tuple[str, str] | None"]


def _read_title(
    summary: str,
    keep: str | None,
    label: str = "",
    names: AbstractSet[str] = frozenset(),
    firsts: AbstractSet[str] = frozenset(),
) -> _Read:
    """The company and the role a title gives, by the first of `TITLE_SHAPES` that fits."""
    whole = _clean(_TAG.sub("", _clean(summary)))
    whole = _clean(_WHEN_TAIL.sub("", whole)) or whole
    while True:
        stripped = _clean(_TAG.sub("", _PREFIX.sub("", whole, count=1)))
        if stripped == whole:
            break
        whole = stripped
    text = _without_people(_BETWEEN.sub("", whole) or whole, names, firsts)
    title = _Title(whole, text, keep, label, names)
    for _name, shape in TITLE_SHAPES:
        found = shape(title)
        if found is not None:
            return found if isinstance(found, _Read) else _Read(*found)
    return _Read(keep or "", "")  # unreachable: the last shape always answers


def _candidate_role_company(title: _Title) -> tuple[str, str] | None:
    """Greenhouse: "Interview: <candidate> - <role> (<company>)", the candidate unknown."""
    shaped = _CANDIDATE_ROLE_COMPANY.match(title.whole)
    if shaped and not _ROUNDISH.search(shaped["company"]):
        return _clean(shaped["company"]), _without_interview_words(shaped["role"], title.keep)
    return None


def _no_title(title: _Title) -> tuple[str, str] | None:
    """Nothing left once meeting phrases and people are out: the organizer's company."""
    return None if title.bare else (title.keep or "", "")


def _named_bracket(title: _Title, inside: str) -> bool:
    inside = _clean(inside)
    return (
        bool(_NAMEISH.match(inside))
        and not _ROUNDISH.search(inside)
        and _letters(inside) not in title.names
        and (not title.keep or title.names_company(inside))
    )


def _role_then_company_in_brackets(title: _Title) -> tuple[str, str] | None:
    """ "ROLE (COMPANY)": "Superday: Investment Banking Analyst (Goldman Sachs)", "Coffee
    with Priya (Deliveroo)"; and "COMPANY (ROLE)": "Follow-up call: Plaid (Data Scientist)".
    A bracket is the company when the organizer's domain names it (spelt or abbreviated),
    or when there is no domain; it wins over a domain that only abbreviates it."""
    found = _LAST_GROUP.match(title.text)
    if not found:
        return None
    inside, rest = _clean(found["inside"]), title.sides(found["rest"])
    if _ROLE_WORDS.search(inside) and _NAMEISH.match(inside) and not _ROUNDISH.search(inside):
        if len(rest) > 1:
            return None
        company = _company_part(rest[0], title.keep) if rest else title.keep or ""
        if title.keep and company and not title.names_company(company):
            return None
        return company, _without_interview_words(inside, title.keep)
    if not _named_bracket(title, inside) or _ROLE_WORDS.search(inside):
        return None
    role = _the_role_among(rest, title.keep)
    return None if role is None else (inside, role)


def _company_in_brackets_first(title: _Title) -> tuple[str, str] | None:
    """ "[COMPANY] …": "[Monzo] Hiring Manager Chat"; a bracket of meeting words
    ("[Interview] Product Manager - Canva") is no company."""
    found = _LEADING_GROUP.match(title.text)
    if not found or not _named_bracket(title, found["inside"]):
        return None
    role = _the_role_among(title.sides(found["rest"]), title.keep)
    return None if role is None else (_clean(found["inside"]), role)


def _the_role_among(sides: list[str], keep: str | None) -> str | None:
    """The role when the company is known: the one side left, the one that reads as a
    role, or none ("" when no side is left); None when that is unclear."""
    if len(sides) > 1:
        sides = [s for s in sides if _ROLE_WORDS.search(s)]
    if len(sides) > 1:
        return None
    return _without_interview_words(sides[0], keep) if sides else ""


# "ROLE at COMPANY" in the title's languages; where the word is also an everyday one
# ("Ingénieur en informatique", "Jansen en Zonen"), only a role before a company at the
# title's end: see _role_at_company
_AT = re.compile(r"\s+(?:(?P<plain>at|@|bei|chez)|en|bij|na|no|em|presso)\s+", re.IGNORECASE)
# "with COMPANY for ROLE": "Interview with Acme for ...", "Entretien avec Orange pour ..."
_FOR = ("for", "pour", "für", "para", "per")
_WITH_COMPANY = re.compile(
    r"^(?P<before>(?:.*?\b)?)(?P<with>with|avec|mit|con)\s+(?P<company>.+?)"
    rf"(?:\s+(?P<sep>{'|'.join(_FOR)}|[-—–:])\s+(?P<role>.+))?$",
    re.IGNORECASE,
)


def _role_at_company(title: _Title) -> _Read | None:
    """ "Backend Engineer at Acme", "Desarrolladora Backend en Glovo", "Data Engineer bij
    Bol", "Engenheira de Software na Nubank". A platform's name alone after "at" is the
    employer ("Software Engineer II at Zoom")."""
    text, keep = title.bare, title.keep
    for at in _AT.finditer(text):
        after = text[at.end() :]
        if "@" in after:  # an address is never the company
            continue
        role = _without_interview_words(_SEPARATORS.split(text[: at.start()])[-1], keep)
        company = _clean(_SEPARATORS.split(_clean(after))[0])
        if (
            not at["plain"]
            and not (
                _ROLE_WORDS.search(role)
                and company == _clean(after)  # the title's end, after its last such word
                and not _AT.search(after)
                and company[:1].isupper()
                and (not keep or _starts(company, keep))
            )
        ):
            continue
        return _Read(company, role, named=True)
    return None


def _with_company_for_role(title: _Title) -> tuple[str, str] | None:
    """ "Interview with Acme for Backend Engineer", "Entretien téléphonique avec Orange pour
    Ingénieure réseau": the company after "with", the role after "for"."""
    text, keep = title.bare, title.keep
    with_ = _WITH_COMPANY.match(text)
    if with_ and with_["with"].lower() != "with":
        # "Entretien téléphonique avec Orange pour ...": only after the words for the meeting
        before = with_["before"]
        if not before.strip() or _without_interview_words(before, keep):
            return None
    if not with_ or _SEPARATORS.search(with_["before"]):
        return None
    named = _clean(with_["company"])
    if (
        not keep
        or title.names_company(named)
        or (with_["sep"] and with_["sep"].lower() in _FOR and _letters(named) not in title.names)
    ):
        return named, _without_interview_words(with_["role"] or "", keep)
    return None


def _company_interview_for_role(title: _Title) -> tuple[str, str] | None:
    """ "Umbrella Corp Onsite Interview for Staff SRE" (GoodTime): the company before the
    interview's kind, the role after its "for", in any side of the title."""
    sides = title.sides(title.bare)
    for side in sides if len(sides) >= 2 else sides[:1] or [title.bare]:
        for found in _INTERVIEW_WORDS.finditer(side):
            if not found.group(0).lower().endswith("for"):
                continue
            company = _clean(side[: found.start()])
            role = _without_interview_words(side[found.end() :], title.keep)
            if company and role and not re.search(r"\bwith\b", company, re.I):
                return company, role
    return None


def _company_and_role_sides(title: _Title) -> tuple[str, str] | None:
    """ "COMPANY – ROLE" or "ROLE – COMPANY": the side the organizer's domain names, else
    the side that starts with its name ("Teacher interview - Oakwood Academy"), else the
    side that does not read as a role, else the first."""
    parts, keep = title.sides(title.bare), title.keep
    if len(parts) < 2:
        return None
    if keep:
        for i, part in enumerate(parts):
            if title.names_company(part) or title.names_company(_company_part(part, keep)):
                rest = [p for j, p in enumerate(parts) if j != i]
                return _company_part(part, keep), _without_interview_words(rest[0], keep)
        starting = [i for i, part in enumerate(parts) if _starts(part, keep)]
        if len(starting) == 1:
            rest = [p for j, p in enumerate(parts) if j != starting[0]]
            company = _company_part(parts[starting[0]], keep)
            return company, _without_interview_words(rest[0], keep)
    roleish = [bool(_ROLE_WORDS.search(p)) for p in parts[:2]]
    if roleish == [True, False]:
        return _company_part(parts[1], keep), _without_interview_words(parts[0], keep)
    return _company_part(parts[0], keep), _without_interview_words(parts[1], keep)


def _company_legal_form_then_role(title: _Title) -> tuple[str, str] | None:
    """ "株式会社メルカリ ソフトウェアエンジニア", "Alpenblick GmbH Werkstudent Data Science":
    one side, the company's name ending in its legal form, the role after it."""
    sides = title.sides(title.bare)
    if len(sides) != 1:
        return None
    found = _LEGAL_FORM_FIRST.match(_without_interview_words(sides[0], title.keep))
    if found and _ROLE_WORDS.search(found["role"]):
        return _clean(found["company"]), _without_interview_words(found["role"], title.keep)
    return None


def _one_side(title: _Title) -> tuple[str, str]:
    """One side: with the organizer's company known, "ROLE, COMPANY" or "COMPANY, ROLE"
    (the side that starts with its name), "COMPANY ROLE", or only the role; with none, a
    role if it reads as one, else the company. A question ("Interview next week?") is
    neither."""
    keep = title.keep
    sides = title.sides(title.bare)
    only = sides[0] if sides else title.bare
    if only.endswith("?"):
        return keep or "", ""
    if keep:
        if title.names_company(_without_interview_words(only, keep)):
            return keep, ""
        # "Risk Analyst, Hartwell & Stone Bank" (or the other way round): the side that
        # starts with the organizer's company is it, in full; the other is the role
        before, comma, after = only.partition(",")
        if comma and _starts(after, keep) and not _starts(before, keep):
            return _clean(after), _without_interview_words(before, keep)
        if comma and _starts(before, keep) and after.strip():
            return _clean(before), _without_interview_words(after, keep)
        prefix = re.match(rf"^{re.escape(keep)}\b\s*(?P<rest>.*)$", only, re.I)
        if prefix:
            return keep, _without_interview_words(prefix["rest"], keep)
        return keep, _without_interview_words(only, keep)
    core = _without_interview_words(only, keep)
    if _ROLE_WORDS.search(core):
        return "", core
    return core, ""


# The title's shapes, tried in this order; the first that fits gives the company and role.
TITLE_SHAPES: tuple[tuple[str, Shape], ...] = (
    ("Interview: CANDIDATE - ROLE (COMPANY)", _candidate_role_company),
    ("ROLE (COMPANY) | COMPANY (ROLE)", _role_then_company_in_brackets),
    ("[COMPANY] …", _company_in_brackets_first),
    ("only meeting phrases and people", _no_title),
    ("ROLE at COMPANY", _role_at_company),
    ("… with COMPANY for ROLE", _with_company_for_role),
    ("COMPANY Interview for ROLE", _company_interview_for_role),
    ("COMPANY – ROLE | ROLE – COMPANY", _company_and_role_sides),
    ("COMPANY-FORM ROLE", _company_legal_form_then_role),
    ("COMPANY ROLE | ROLE, COMPANY | ROLE | COMPANY", _one_side),
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
