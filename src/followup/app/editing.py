"""Correcting an interview after `add` (issue #14): when, where, who, the company's details.

One use-case for the CLI's `edit` and the dashboard's form. A move re-plans every pending
note; an approved note whose time changed loses its approval (the user approved that
time). Every edit is one event: `followup undo` takes it back whole.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from followup.app import events, services, wording
from followup.app.context import Context
from followup.app.errors import Conflict, InvalidInput, NotFound
from followup.app.parse import parse_interviewer, person_label, typed_zone
from followup.app.rows import NewInterviewer
from followup.domain import limits
from followup.domain.model import Culture, Interviewer, NoteState, Status
from followup.domain.planner import Plan, primary_contact
from followup.domain.workdays import NO_COUNTRY, zone


class Changes(NamedTuple):
    """What to change; None (or empty): leave it as it is."""

    start: datetime | None = None  # an instant; None with a new tz: the same wall time there
    tz: str | None = None
    duration: timedelta | None = None
    company: str | None = None
    role: str | None = None
    culture: Culture | None = None
    country: str | None = None  # "" or "none": no holidays skipped (workdays.NO_COUNTRY)
    location: str | None = None  # "" : none
    add: Sequence[NewInterviewer] = ()
    remove: Sequence[str] = ()  # addresses
    primary: str | None = None  # an address
    # a misspelt name or address put right, in place: whose (an address or name; None: the
    # only interviewer), and what it becomes (None: as it is)
    person: str | None = None
    name: str | None = None
    email: str | None = None


class Edited(NamedTuple):
    interview_id: int
    changed: tuple[str, ...]  # in words, one per change
    plan: Plan
    approvals_withdrawn: int


def edit(ctx: Context, interview_id: int, changes: Changes) -> Edited:
    now = ctx.clock.now()
    with ctx.store.transaction():
        detail = services.show(ctx, interview_id)
        interview, application = detail.interview, detail.application
        if not interview.status.is_open and _moves(changes):
            raise Conflict(
                f"interview {interview_id} is {interview.status.value}: reopen it first"
                f" (followup reopen {interview_id}) to move it"
            )
        prior = events.before(ctx, interview_id)
        said: list[str] = []
        shared: list[str] = []  # what changed for every round of the application
        renamed_from: list[str] = []  # the company or role as it was, if corrected

        tz = typed_zone(changes.tz) if changes.tz else interview.tz
        start = changes.start
        if start is None and tz != interview.tz:  # the zone was wrong, the wall time right
            wall = interview.start.astimezone(zone(interview.tz)).replace(tzinfo=zone(tz))
            start = wall.astimezone(interview.start.tzinfo)
        start = start or interview.start
        duration = interview.duration if changes.duration is None else changes.duration
        location = interview.location if changes.location is None else changes.location or None
        services.check_interview(
            services.NewInterview(
                # what changes: what is kept was checked when it was stored (a role kept
                # from before a check, fixed with --role, does not refuse another change)
                company=changes.company or "",
                role=changes.role or "",
                start=start,
                tz=tz,
                duration=duration,
                interviewers=changes.add,
                location=location,
                country=changes.country,
            ),
            duration,
        )
        if changes.start is not None or changes.duration is not None:
            problem = limits.schedule_problem(start, duration, ctx.clock.now())
            if problem:
                raise InvalidInput(problem)
        if (start, duration, tz, location) != (
            interview.start,
            interview.duration,
            interview.tz,
            interview.location,
        ):
            if start + duration != interview.end:
                _check_order(detail, start + duration)
            ctx.store.edit_interview(
                interview_id, start=start, duration=duration, tz=tz, location=location
            )
            if start != interview.start or tz != interview.tz:
                said.append(
                    f"moved from {wording.local(interview.start, interview.tz)}"
                    f" to {wording.local(start, tz)}"
                )
            if duration != interview.duration:
                said.append(
                    f"length: {_minutes(interview.duration)} → {_minutes(duration)} minutes"
                )
            if location != interview.location:
                said.append(f"location: {interview.location or 'none'} → {location or 'none'}")

        company = (changes.company or application.company).strip()
        role = (changes.role or application.role).strip()
        culture = changes.culture or application.culture
        country = application.country if changes.country is None else changes.country or NO_COUNTRY
        services.is_holiday_check(ctx, country)
        if (company, role, culture, country) != (
            application.company,
            application.role,
            application.culture,
            application.country,
        ):
            ctx.store.edit_application(
                application.id, company=company, role=role, culture=culture, country=country
            )
            for what, old, new in (
                ("company", application.company, company),
                ("role", application.role, role),
                ("culture", application.culture.value, culture.value),
                ("country", application.country or "the zone's", country or "the zone's"),
            ):
                if old != new:
                    said.append(f"{what}: {old} → {new}")
                    shared.append(f"{what}: {old} → {new}")
            renamed = {application.company: company, application.role: role}
            said.extend(_own_texts_naming(ctx, application.id, renamed))

            renamed_from = [old for old, new in renamed.items() if old != new]

        if changes.name is not None or changes.email is not None:
            said.extend(_correct(ctx, interview_id, application.id, changes))
        people = list(ctx.store.interviewers(interview_id))
        taken = {p.email for p in people if p.email and not p.removed}
        _refuse(
            limits.count_problem("interviewers", len(taken) + len(changes.add), limits.INTERVIEWERS)
        )
        # someone taken off and put back is the same person (their notes' history too): their
        # row again, so that a panel reshuffled many times keeps one row each
        off = {p.email: p.id for p in people if p.email and p.removed}
        # someone removed and added under one name in the same edit is an address corrected:
        # both named with their addresses, and the new one takes over as the primary contact
        names = {_name(p.name) for p in changes.add}
        corrected = {
            p.id: a
            for p in people
            if not p.removed
            and p.email
            and _name(p.name) in names
            and any(p.email.casefold() == w.strip().casefold() for w in changes.remove)
            for a in changes.add
            if _name(a.name) == _name(p.name)
        }
        clash = names & {_name(p.name) for p in people if p.id in corrected}

        def label(name: str, email: str | None) -> str:
            shown = person_label(name, email)
            return f"{shown} <{email}>" if email and _name(name) in clash else shown

        for person in changes.add:
            if person.email and person.email in taken:
                raise InvalidInput(f"{person.email} is already on interview {interview_id}")
            if person.email in off:
                ctx.store.restore_interviewer(off.pop(person.email), person)
            else:
                ctx.store.add_interviewer(interview_id, person._replace(primary=False))
            taken.add(person.email or "")
            said.append(f"added {label(person.name, person.email)}")
        services.add_company_domains(ctx, application.id, changes.add)
        for who in changes.remove:
            said.extend(_remove(ctx, interview_id, who, now, corrected, label))
        if changes.primary:
            wanted = changes.primary.strip().lower()
            found = [
                p
                for p in ctx.store.interviewers(interview_id)
                if p.email == wanted and not p.removed
            ]
            if not found:
                raise NotFound(f"no interviewer {changes.primary} in interview {interview_id}")
            ctx.store.set_primary(interview_id, found[0].id)
            said.append(f"primary contact: {person_label(found[0].name, found[0].email)}")

        if not said:
            given = any(
                v is not None and not (isinstance(v, list | tuple) and not v) for v in changes
            )
            raise InvalidInput(
                f"nothing to change: interview {interview_id} is already as you gave it"
                if given
                else "nothing to change: give what to change (see followup edit --help)"
            )
        before_due = {n.id: n.due_at for n in ctx.store.notes(interview_id)}
        plan = services.replan(ctx, interview_id)
        services.replan_other_rounds(ctx, interview)  # a day's loop thanks each person once
        withdrawn = 0
        for note in ctx.store.notes(interview_id):
            moved = before_due.get(note.id) != note.due_at
            if note.state is NoteState.PENDING and note.approved_at and moved:
                withdrawn += ctx.store.withdraw_approval(
                    note.id, now, "the interview changed: approve it again"
                )
        rounds = (
            [r.id for r in ctx.store.interviews_of_application(application.id)]
            if shared
            else [interview_id]
        )
        from followup.app import drafting  # imported when an edit runs: --help stays light

        withdrawn += drafting.withdraw_outdated(ctx, rounds)  # a company, a role, a name
        # the old company and role: lint tells the user's own text still naming one (services)
        kept = {"renamed": renamed_from} if renamed_from else {}
        made = events.record(
            ctx, interview_id, "edited", "; ".join(said), prior, {"changes": said, **kept}
        )
        if shared:
            _tell_other_rounds(ctx, interview_id, application.id, shared, made, kept)
    return Edited(interview_id, tuple(said), plan, withdrawn)


def _minutes(length: timedelta) -> int:
    return int(length / timedelta(minutes=1))


def _check_order(detail: services.Detail, end: datetime) -> None:
    """A move keeps the story possible: no note recorded as sent before the interview ends."""
    sent = [n for n in detail.notes if n.sent_at is not None]
    first = min(sent, key=lambda n: n.sent_at or end, default=None)
    if first is not None and first.sent_at is not None and first.sent_at < end:
        interview = detail.interview
        raise Conflict(
            f"the {wording.kind_label(first.kind)} was recorded as sent on"
            f" {wording.local(first.sent_at, interview.tz)}, before the interview would end:"
            f" if that record is wrong, take it back first (followup undo {interview.id})"
        )


def _tell_other_rounds(
    ctx: Context,
    interview_id: int,
    application_id: int,
    shared: list[str],
    made: int,
    kept: dict[str, Any],
) -> None:
    """The application's details are every round's: their histories say so too (as a note
    that undo passes over: the change is taken back from the round where it was made)."""
    for other in ctx.store.interviews_of_application(application_id):
        if other.id != interview_id:
            events.record(
                ctx,
                other.id,
                events.NOTED,
                f"{'; '.join(shared)} (edited on interview {interview_id})",
                None,
                {"changes": shared, "on": interview_id, "event": made, **kept},
            )


def _moves(changes: Changes) -> bool:
    return any(v is not None for v in (changes.start, changes.tz, changes.duration))


def _name(name: str) -> str:
    return " ".join(name.split()).casefold()


def _correct(ctx: Context, interview_id: int, application_id: int, changes: Changes) -> list[str]:
    """Put a person's misspelt name or address right: the same person (their notes, debriefs,
    greeting and place on the panel), their pending notes now to the address as corrected;
    what changed, in words."""
    people = [p for p in ctx.store.interviewers(interview_id) if not p.removed]
    if changes.person is not None:
        person = _found(people, changes.person, interview_id)
    elif len(people) == 1:
        person = people[0]
    else:
        raise InvalidInput(
            "a panel: say whose name or address to correct (--interviewer EMAIL or NAME)"
        )
    if changes.name is not None and not changes.name.strip():
        raise InvalidInput("the interviewer's name cannot be empty")
    name = " ".join((changes.name if changes.name is not None else person.name).split())
    email = (changes.email if changes.email is not None else person.email or "").strip()
    name, address = parse_interviewer(f"{name} <{email}>" if email else name)
    if not name:
        raise InvalidInput("an interviewer needs a name")
    if (
        address
        and (address.casefold() != (person.email or "").casefold())
        and any(p.email and p.email.casefold() == address.casefold() for p in people)
    ):
        raise InvalidInput(f"{address} is already on interview {interview_id}")
    if (name, address) == (person.name, person.email):
        raise InvalidInput(f"{person_label(person.name, person.email)}: that is how it is already")
    after_bounce = _put_right(ctx, interview_id, person, name, address)
    said = []
    if name != person.name:
        said.append(f"name: {person.name} → {name}")
    if address != person.email:
        said.append(f"address of {name}: {person.email or 'none'} → {address or 'none'}")
        services.add_company_domains(ctx, application_id, [NewInterviewer(name, address)])
        if after_bounce is not None:
            said.extend(after_bounce)
        else:
            theirs = [n for n in ctx.store.notes(interview_id) if n.interviewer_id == person.id]
            failed = [n for n in theirs if n.state is NoteState.FAILED]
            if failed and address:
                said.append(
                    f"their {wording.kind_label(failed[-1].kind)} failed to the old address: to"
                    f" send it now, followup retry {interview_id} --interviewer {address}"
                )
            sent = [n for n in theirs if n.state is NoteState.SENT]
            if sent and person.email:  # a trial: nothing said where the sent ones had gone
                kinds = wording.and_list(
                    sorted({wording.kind_label(n.kind) for n in sent}, key=str)
                )
                verb = "was" if len(sent) == 1 else "were"
                said.append(
                    f"the {kinds} {verb} sent to the old address, {person.email}: if it did not"
                    " reach them, write to the new one yourself (nothing resends a sent note)"
                )
    said.extend(_on_other_rounds(ctx, interview_id, application_id, person, name, address))
    return said


def _on_other_rounds(
    ctx: Context,
    interview_id: int,
    application_id: int,
    was: Interviewer,
    name: str,
    address: str | None,
) -> list[str]:
    """The same person met on the application's other rounds (by the old address) is put
    right there too: their notes there would still go to the typo."""
    if not was.email:
        return []
    rounds = []
    for other in ctx.store.interviews_of_application(application_id):
        if other.id == interview_id:
            continue
        people = [p for p in ctx.store.interviewers(other.id) if not p.removed]
        moved = address is not None and address.casefold() != was.email.casefold()
        if moved and any(
            p.email and p.email.casefold() == (address or "").casefold() for p in people
        ):
            continue  # already there under the right address
        for p in people:
            if p.email and p.email.casefold() == was.email.casefold():
                prior = events.before(ctx, other.id)  # undone there, on its own
                _put_right(ctx, other.id, p, name, address)
                services.replan(ctx, other.id)
                events.record(
                    ctx,
                    other.id,
                    "edited",
                    f"{p.name} <{p.email}> put right: {name}"
                    f"{' <' + address + '>' if address else ''}"
                    f" (corrected on interview {interview_id})",
                    prior,
                    {"corrected_on": interview_id},
                )
                rounds.append(f"round {other.round} (interview {other.id})")
    return [f"also on {wording.and_list(rounds)}"] if rounds else []


def _put_right(
    ctx: Context, interview_id: int, person: Interviewer, name: str, address: str | None
) -> list[str] | None:
    """The person's row put right; when their address had bounced and is now another, what
    went to it is to send again (`_after_a_bounce`'s words), else None."""
    bounced = person.id in ctx.store.bounced_interviewers(interview_id)
    ctx.store.correct_interviewer(person.id, name, address)
    if not (bounced and address and address != person.email):
        return None
    return _after_a_bounce(ctx, interview_id, person)


def _after_a_bounce(ctx: Context, interview_id: int, person: Interviewer) -> list[str]:
    """Their mail bounced at the misspelt address: what went there never arrived. Those notes
    are to send again (to the corrected address, when the user sends them), and a sequence the
    bounce ended (nobody left to write to) is followed up again."""
    now = ctx.clock.now()
    interview = services.find_interview(ctx, interview_id)
    ended = interview.status is Status.CANCELLED and any(
        e.kind == "bounced" and interview.status_at is not None and e.at >= interview.status_at
        for e in ctx.store.events(interview_id)
    )
    if not (interview.status.is_open or ended):
        return []  # it ended otherwise (they said no): nothing to send again
    lost = [
        n
        for n in ctx.store.notes(interview_id)
        if n.interviewer_id == person.id and n.state in (NoteState.SENT, NoteState.FAILED)
    ]
    for note in lost:
        ctx.store.never_arrived(note.id, now)
    if ended:
        ctx.store.set_status(interview_id, Status.WAITING, now)
    kinds = sorted({wording.kind_label(n.kind) for n in lost if n.state is NoteState.SENT})
    said = []
    if kinds:
        verb = "is" if len(kinds) == 1 else "are"
        said.append(f"the {wording.and_list(kinds)} that bounced {verb} to send again")
    if ended:
        said.append("followed up again (the bounce had ended it)")
    return said


def _own_texts_naming(ctx: Context, application_id: int, renamed: dict[str, str]) -> list[str]:
    """The notes still to send whose text the user wrote and that still say the company or
    role as it was: a correction re-drafts the others, never the user's own words."""
    gone = [(old, new) for old, new in renamed.items() if old != new]
    said = []
    for interview in ctx.store.interviews_of_application(application_id) if gone else ():
        texts = ctx.store.note_texts(interview.id)
        people = {p.id: p for p in ctx.store.interviewers(interview.id)}
        for note in ctx.store.notes(interview.id):
            text = texts.get(note.id)
            if note.state is not NoteState.PENDING or text is None or not text.edited:
                continue
            words = f"{text.subject}\n{text.body}".casefold()
            stale = [
                old for old, new in gone if old.casefold() in words and new.casefold() not in words
            ]
            if stale:
                person = people.get(note.interviewer_id or 0)
                email = f" --interviewer {person.email}" if person and person.email else ""
                said.append(
                    f"your own text of the {wording.kind_label(note.kind)}"
                    f"{' to ' + person.name if person else ''} still says"
                    f" {' and '.join(repr(o) for o in stale)}: followup draft {interview.id}"
                    f"{email} --edit"
                )
    return said


def _found(people: list[Interviewer], who: str, interview_id: int) -> Interviewer:
    """The one on the panel with address `who` (or, for one with no address, that name)."""
    wanted = who.strip().casefold()
    found = [p for p in people if p.email and p.email.casefold() == wanted] or [
        p for p in people if _name(p.name) == _name(who)
    ]
    if not found:
        raise NotFound(f"no interviewer {who} in interview {interview_id}")
    if len(found) > 1:
        raise InvalidInput(f"{len(found)} interviewers are called {who}: give their address")
    return found[0]


def _remove(
    ctx: Context,
    interview_id: int,
    who: str,
    now: datetime,
    corrected: dict[int, NewInterviewer],
    label: Callable[[str, str | None], str],
) -> list[str]:
    """Take one person off the panel, found by address (or, for one with no address, by
    name); what changed, in words. One whose address was `corrected` hands the primary
    contact to their new row."""
    people = [p for p in ctx.store.interviewers(interview_id) if not p.removed]
    person = _found(people, who, interview_id)
    if len(people) == 1:
        raise InvalidInput(
            f"{who} is the only interviewer: add the right one first (--add-interviewer)"
        )
    said = [f"removed {label(person.name, person.email)}"]
    notes = ctx.store.notes(interview_id)
    named = any(n.interviewer_id == person.id for n in notes) or any(
        d["interviewer_id"] == person.id for d in ctx.store.debriefs(interview_id)
    )
    if named:  # history names them: kept, with no more notes
        for note in notes:
            if note.interviewer_id == person.id and note.state is NoteState.PENDING:
                if note.approved_at is not None:
                    said.append(f"their approved {wording.kind_label(note.kind)} is withdrawn")
                ctx.store.set_note_state(note.id, NoteState.CANCELLED, now)
        ctx.store.remove_interviewer(person.id, now)
    else:
        ctx.store.delete_interviewer(person.id)
    if primary_contact(people) == person:  # the panel keeps one contact: the next in turn
        rest = [p for p in people if p.id != person.id]
        new = corrected.get(person.id)
        heir = next(
            (
                p
                for p in rest
                if new and new.email and (p.email or "").casefold() == new.email.casefold()
            ),
            rest[0],
        )
        ctx.store.set_primary(interview_id, heir.id)
        said.append(f"primary contact now: {label(heir.name, heir.email)}")
    return said


def _refuse(problem: str | None) -> None:
    if problem is not None:
        raise InvalidInput(problem)
