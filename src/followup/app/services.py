"""The use-cases: one function per thing a user does, each in one transaction.

The CLI and the web call these and nothing else; they take a `Context` (app/context.py).
The agenda, the most frequent read, lives apart in app/agenda.py to keep its start-up small.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple, TypedDict

from followup.app import events, wording
from followup.app.context import Context
from followup.app.errors import Conflict, InvalidInput, NotFound
from followup.app.parse import parse_country, parse_zone, person_label, typed_zone
from followup.app.rows import (
    ApplicationRow,
    InterviewRow,
    InterviewState,
    Marked,
    NewInterviewer,
    PolicyChange,
)
from followup.domain import limits, planner, workdays
from followup.domain.companies import company_domains
from followup.domain.model import (
    Application,
    Culture,
    Interview,
    Interviewer,
    Note,
    NoteState,
    Status,
)
from followup.domain.model import (
    Sequence as Seq,
)
from followup.domain.planner import Plan, PlannedNote, RoundHeld
from followup.domain.policy import Policy
from followup.domain.workdays import NO_COUNTRY, HolidayCountry, IsHoliday


class NewInterview(NamedTuple):
    company: str
    role: str
    start: datetime
    tz: str
    duration: timedelta | None = None
    interviewers: Sequence[NewInterviewer] = ()
    culture: Culture = Culture.OTHER
    country: str | None = None
    domains: Sequence[str] = ()
    topics: Sequence[str] = ()
    skill: str | None = None
    application_id: int | None = None
    location: str | None = None
    description: str | None = None
    # False: refuse (EndsUnsentNotes) when this round would end an earlier round's notes that
    # were never sent — the dashboard's form asks first; the CLI adds and warns (`Added.unsent`)
    end_unsent: bool = True
    # False: an importer that checked `duplicate_of` itself, before its first write (rows
    # that are distinct in a file are distinct interviews, even at one company, role and
    # start: old data holds such rows)
    refuse_duplicate: bool = True
    # False: a later round takes nothing of the previous one (`_inherit`): a file that has
    # the columns said what it has, and an empty cell is none (a CSV round trip)
    inherit: bool = True


class Added(NamedTuple):
    interview_id: int
    application_id: int
    round: int
    plan: Plan
    advanced: tuple[int, ...]  # earlier rounds whose sequences this one ended
    unsent: str = ""  # what it ended unsent (`ends_unsent`'s sentence), said after adding
    same_job: str = ""  # a new application for a job already there (`same_job`), said too
    topics_said: tuple[str, ...] = ()  # `topic_warnings` of its topics, said too
    far_off: str = ""  # an interview months away from today: is the year right? (`far_off`)


class EndsUnsentNotes(Conflict):
    """Adding this round would end an earlier round's unsent notes: asked to confirm first."""


class Detail(NamedTuple):
    interview: Interview
    application: Application
    interviewers: tuple[Interviewer, ...]
    notes: tuple[Note, ...]
    inbound: tuple[dict[str, Any], ...]
    debriefs: tuple[dict[str, Any], ...]
    later_round: bool = False  # a later round exists: after the thank-you this one moves on
    rounds_after: tuple[RoundHeld, ...] = ()  # the later rounds held, if this one is open
    next_round_proposed: bool = False  # "next round proposed: add it" (a scheduling answer)
    holidays: HolidayCountry | None = None  # whose public holidays count, and why
    waits: str = ""  # why its due note is not sent now (the provider's daily limit), if so
    bounced: frozenset[int] = frozenset()  # the interviewers whose address bounced

    @property
    def contact(self) -> Interviewer | None:
        """Whom a panel's notes after the thank-you go to (policy): never someone taken off
        the panel or whose address bounced — the next one takes over."""
        return planner.primary_contact(p for p in self.interviewers if self.reachable(p))

    def reachable(self, person: Interviewer) -> bool:
        return not person.removed and person.id not in self.bounced


# --- adding -------------------------------------------------------------------------------


def add_interview(ctx: Context, new: NewInterview) -> Added:
    """Record an interview (a new application, or a new round of one) and plan its notes."""
    now = ctx.clock.now()
    company, role = new.company.strip(), new.role.strip()
    if new.application_id is None and not (company and role):
        raise InvalidInput("a new application needs both --company and --role")
    duration = new.duration if new.duration is not None else ctx.policy.default_duration
    check_interview(new, duration)
    _refuse(limits.schedule_problem(new.start, duration, now))
    is_holiday_check(ctx, new.country)
    also = ""
    if new.refuse_duplicate:
        _refuse_duplicate(ctx, new)
        also = same_job(ctx, new)
    unsent = ends_unsent(ctx, new)
    if unsent and not new.end_unsent:
        raise EndsUnsentNotes(unsent)

    with ctx.store.transaction():
        advanced: list[int] = []
        advanced_prior: list[InterviewState] = []
        to_come: tuple[int, InterviewState] | None = None  # the previous round, still ahead
        ending_prior: list[tuple[int, InterviewState]] = []  # the earlier rounds this ends
        if new.application_id is not None:
            application = ctx.store.get_application(new.application_id)
            if application is None:
                raise NotFound(_no_application(ctx, new.application_id))
            application_id = application.id
            if new.inherit:
                new = _inherit(ctx, new, application_id)
            # a round whose answer proposed this one (scheduling, issue #15) moves on now;
            # the round before this one is re-planned once this one exists (below)
            for earlier in _proposed_round(ctx, application_id):
                prior = events.before(ctx, earlier.id)
                _end(ctx, earlier.id, Status.ADVANCED, now)
                advanced.append(earlier.id)
                advanced_prior.append(prior)
            # the open rounds before this one it ends (`_ends`); the one just before, if it
            # stays open, is re-planned once this one exists (below)
            latest, ending = _ends(ctx, application_id, new)
            ending_prior = [(r.id, events.before(ctx, r.id)) for r in ending]
            if latest is not None and latest not in ending:
                to_come = (latest.id, events.before(ctx, latest.id))
        else:
            application_id = ctx.store.add_application(
                company=company,
                role=role,
                culture=new.culture,
                country=new.country,
                domains=[d.lower() for d in new.domains],
                now=now,
            )
        interview_id = ctx.store.add_interview(
            application_id=application_id,
            start=new.start,
            duration=duration,
            tz=new.tz,
            now=now,
            location=new.location,
            description=new.description,
        )
        for person in new.interviewers:
            ctx.store.add_interviewer(interview_id, person)
        add_company_domains(ctx, application_id, new.interviewers)
        topics: list[str | None] = [*new.topics] or ([None] if new.skill else [])
        for topic in topics:
            ctx.store.add_debrief(
                interview_id=interview_id,
                interviewer_id=None,
                topic=topic,
                skill=new.skill,
                now=now,
            )
        plan = _replan(ctx, interview_id, now)
        interview = ctx.store.get_interview(interview_id)
        assert interview is not None
        application = ctx.store.get_application(application_id)
        assert application is not None
        events.record(
            ctx,
            interview_id,
            "added",
            f"added: {application.company} — {application.role}, round {interview.round},"
            f" {wording.local(interview.start, interview.tz)}",
            None,
            {"round": interview.round, "start": _iso(interview.start), "tz": interview.tz},
        )
        for earlier_id, prior in ending_prior:
            _end(ctx, earlier_id, Status.ADVANCED, now)
            advanced.append(earlier_id)
            advanced_prior.append(prior)
        if to_come is not None:
            # The round before: its follow-ups are this round's now. Thanked already, it
            # moves on (advanced); not yet (it is still ahead, or its thank-you is unsent),
            # it keeps its thank-you and moves on once that is sent (planner.plan_next).
            earlier_id, prior = to_come
            if _replan(ctx, earlier_id, now).status is Status.ADVANCED:
                advanced.append(earlier_id)
                advanced_prior.append(prior)
            else:
                events.record(
                    ctx,
                    earlier_id,
                    "edited",
                    f"round {interview.round} was added (interview {interview_id}): after its"
                    " thank-you, this round moves on",
                    prior,
                    {"later_round": interview_id},
                )
        for earlier_id, prior in zip(advanced, advanced_prior, strict=True):
            events.record(
                ctx,
                earlier_id,
                "advanced",
                f"moved on to round {interview.round} (interview {interview_id})",
                prior,
                {"to": interview_id},
            )
        replan_other_rounds(ctx, interview)  # its day's loop: whom each round thanks
    said = topic_warnings(new.topics) if new.topics else ()
    # typed in (an import's dates are the file's, and its history may be years old)
    far = far_off(interview_id, new.start, new.tz, now) if new.refuse_duplicate else ""
    return Added(
        interview_id,
        application_id,
        interview.round,
        plan,
        tuple(advanced),
        unsent,
        also,
        said,
        far,
    )


FAR_OFF = timedelta(days=180)  # further from today than a job search's rounds usually are


def far_off(interview_id: int, start: datetime, tz: str, now: datetime) -> str:
    """A typed year off by one ("2025-11-20" in November 2026) plans every note a year
    away, past or ahead, and nothing else says so: ask whether the year is right."""
    gap = start - now
    if abs(gap) < FAR_OFF:
        return ""
    days = abs(gap).days
    when = f"was {days} days ago" if gap < timedelta(0) else f"is {days} days from now"
    return (
        f"interview {interview_id} {when} ({wording.local(start, tz)}): is the year"
        f" right? If not: followup edit {interview_id} --at …"
    )


def _ends(
    ctx: Context, application_id: int, new: NewInterview
) -> tuple[Interview | None, list[Interview]]:
    """What adding `new`, a later round, does to the application's open rounds before it:
    the latest of them (the round just before it, or None), and those it ends (advanced) —
    each whose thank-yous are no longer worth sending (`_thanks_still_due`). Besides the
    latest, only rounds recent enough to still owe a thank-you are read (an index walk)."""
    latest = ctx.store.latest_round(application_id)
    if latest is not None and not (latest.status is Status.WAITING and latest.start < new.start):
        latest = None
    since = ctx.clock.now() - planner.thanks_moment(ctx.policy) - timedelta(days=1)
    rounds = {r.id: r for r in ctx.store.rounds_between(application_id, since, new.start)}
    if latest is not None:
        rounds[latest.id] = latest
    later = RoundHeld(new.start, frozenset(p.email.lower() for p in new.interviewers if p.email))
    ending = [
        r
        for r in sorted(rounds.values(), key=lambda r: r.start)
        if r.status is Status.WAITING
        and r.start < new.start
        and not _thanks_still_due(ctx, r, later)
    ]
    return latest, ending


def _thanks_still_due(ctx: Context, earlier: Interview, later: RoundHeld) -> bool:
    """Adding the later round `later` keeps `earlier` open while a thank-you in it is still
    worth sending (planner.thanks_still_due): someone only in `earlier` is thanked, however
    late the later round was told; its people met again are the agenda's "let it go". Who
    is unthanked and which rounds were held are read only when the rule asks (a calendar's
    past rounds, imported in order, are all past fading: no read)."""

    def unthanked() -> Iterator[list[str]]:
        people = {p.id: p.email or "" for p in ctx.store.interviewers(earlier.id)}
        first = ctx.policy.steps[0].number
        for note in ctx.store.notes(earlier.id):
            if note.state is NoteState.PENDING and note.step == first:
                yield [people[note.interviewer_id]] if note.interviewer_id in people else []

    def held() -> Iterator[RoundHeld]:
        yield from rounds_after(ctx, earlier)  # (once added, `later` among them)
        yield later

    now = ctx.clock.now()
    return planner.thanks_still_due(earlier.end, later.start, now, ctx.policy, unthanked(), held())


def topic_warnings(topics: Sequence[str]) -> tuple[str, ...]:
    """One line per topic that carries the seeker's own comment: an aside after it (left out
    of the notes) or an opinion the linter reads as negative ("painful"): said by `debrief`
    and `add` (the CLI on stderr, the dashboard in its flash)."""
    from followup.domain.compose import topic_aside
    from followup.domain.lint import negative_phrases  # only when there are topics

    said = []
    for topic in topics:
        point, aside = topic_aside(" ".join(topic.split()))
        opinion = negative_phrases(aside or point)
        if aside:
            said.append(
                f'the topic\'s aside "{aside}" is your own comment: the notes cite "{point}"'
                " and leave it out"
            )
        elif opinion:
            words = ", ".join(f'"{w}"' for w in opinion)
            said.append(
                f'the topic "{point}" holds your opinion ({words}), which reads as negative'
                " in a note: say what was discussed (debrief it again, replacing it)"
            )
    return tuple(said)


def ends_unsent(ctx: Context, new: NewInterview) -> str:
    """What adding `new` (a later round) would end unsent: the earlier rounds that move on
    (advanced) with notes never sent — a thank-you still pending when the later round makes
    it pointless (add_interview's own rule: `_thanks_still_due`). "" when nothing.
    The form asks before, the CLI warns after: both say this sentence."""
    application_id = new.application_id
    if application_id is None:
        return ""
    if new.inherit:  # whom the round meets: the previous round's people, unless given
        new = _inherit(ctx, new, application_id)
    now = ctx.clock.now()
    ending = {i.id: i for i in _proposed_round(ctx, application_id)}
    ending |= {i.id: i for i in _ends(ctx, application_id, new)[1]}
    said = []
    for earlier in sorted(ending.values(), key=lambda i: i.start):
        pending = [n for n in ctx.store.notes(earlier.id) if n.state is NoteState.PENDING]
        if not pending:
            continue
        people = {p.id: person_label(p.name, p.email) for p in ctx.store.interviewers(earlier.id)}
        to = wording.and_list(sorted({people.get(n.interviewer_id or 0, "?") for n in pending}))
        overdue = sum(1 for n in pending if n.due_at <= now)
        kinds = sorted({wording.kind_label(n.kind) for n in pending})
        late = f"; {overdue} of them overdue" if overdue else ""
        said.append(
            f"Adding this round ends round {earlier.round} (interview {earlier.id}): its"
            f" {wording.and_list(kinds)} to {to} ({len(pending)} not sent{late}) will never"
            " be sent."
        )
    return " ".join(said)


def _proposed_round(ctx: Context, application_id: int) -> list[Interview]:
    """The application's latest round when it ended as replied by an invitation to a next
    step (a `scheduling` message): the round being added is that next step."""
    latest = ctx.store.latest_round(application_id)
    if latest is None or latest.status is not Status.REPLIED:
        return []
    answers = ctx.store.inbound(latest.id)
    return [latest] if answers and answers[-1]["classification"] == "scheduling" else []


def next_round_proposed(ctx: Context, interview: Interview) -> bool:
    """The hiring side proposed a next round that is not recorded yet: "add it"."""
    return [r.id for r in _proposed_round(ctx, interview.application_id)] == [interview.id]


def previous_round(ctx: Context, application_id: int) -> Interview | None:
    """The application's latest round: a later round takes its zone, people and skill."""
    return ctx.store.latest_round(application_id)


def zone_of_new(ctx: Context, tz: str | None, application_id: int | None) -> str:
    """The zone a new interview's start is read in: the one given; for a later round, the
    previous round's; else the user's."""
    if tz:
        return typed_zone(tz)
    previous = previous_round(ctx, application_id) if application_id is not None else None
    return previous.tz if previous is not None else ctx.user_tz


APPLICATIONS_SHOWN = 500  # the newest ones a form lists to pick a later round from


def applications(ctx: Context, limit: int = APPLICATIONS_SHOWN) -> list[ApplicationRow]:
    """The newest applications first (company, role, rounds so far): a later round's pick."""
    return ctx.store.applications(limit)


def former_names(ctx: Context, seq: Seq) -> tuple[str, ...]:
    """The company and role as they were before a correction not undone (editing.py keeps
    them in its event): the user's own text still naming one is out of date."""
    here = seq.application
    current = {here.company.casefold(), here.role.casefold()}
    former = {
        old: None
        for event in ctx.store.events(seq.interview.id)
        if event.undone_by is None and event.detail
        for old in event.detail.get("renamed", ())
        if isinstance(old, str) and old.casefold() not in current
    }
    return tuple(former)


class LintFacts(TypedDict):
    """What the linter should also know about a note (NoteContext's fields of these names)."""

    elsewhere: tuple[str, ...]
    former: tuple[str, ...]
    earlier: tuple[str, ...]
    recipient_email: str | None


def lint_facts(ctx: Context, seq: Seq, person: Interviewer | None, step: int | None) -> LintFacts:
    """For `lint --interview`: the companies and roles of the user's other applications (a
    note naming one is a copy from another application), the text of every note this person
    was already sent in this sequence, oldest first (a later note reusing any is a
    duplicate), the company and role as they were before a correction (editing.py keeps
    them in its event), and their address (what the `no-name` fix names)."""
    here = seq.application
    elsewhere: dict[str, None] = {}
    for row in ctx.store.applications(APPLICATIONS_SHOWN):
        other = row.application
        if other.id != here.id:
            for name in (other.company, other.role):
                if name.casefold() not in (here.company.casefold(), here.role.casefold()):
                    elsewhere[name] = None
    earlier: list[str] = []
    if person is not None and step is not None:
        texts = ctx.store.note_texts(seq.interview.id)
        sent = sorted(
            (n for n in seq.notes if n.interviewer_id == person.id and n.step < step),
            key=lambda n: n.step,
        )
        earlier = [texts[n.id].body for n in sent if n.state is NoteState.SENT and n.id in texts]
    email = person.email if person is not None else None
    return LintFacts(
        elsewhere=tuple(elsewhere),
        former=former_names(ctx, seq),
        earlier=tuple(earlier),
        recipient_email=email,
    )


def find_application(ctx: Context, application_id: int) -> Application:
    """The application, or NotFound with one line."""
    application = ctx.store.get_application(application_id)
    if application is None:
        raise NotFound(_no_application(ctx, application_id))
    return application


def _no_application(ctx: Context, application_id: int) -> str:
    """ "no application with id N", and which is meant when N is an interview's id (`list`
    shows interview ids: a later round is added to the application of one)."""
    interview = ctx.store.get_interview(application_id)
    meant = (
        f" (interview {application_id} is round {interview.round} of application"
        f" {interview.application_id}: --application {interview.application_id})"
        if interview is not None
        else ""
    )
    return f"no application with id {application_id}{meant}"


def _inherit(ctx: Context, new: NewInterview, application_id: int) -> NewInterview:
    """A later round as the user would expect it: the previous round's interviewers and
    skill unless given (the company, role, culture and country are the application's)."""
    previous = previous_round(ctx, application_id)
    if previous is None:
        return new
    if not new.interviewers:
        people = [p for p in ctx.store.interviewers(previous.id) if not p.removed]
        new = new._replace(
            interviewers=[NewInterviewer(p.name, p.email, p.tz, p.primary) for p in people]
        )
    if new.skill is None:
        skills = [d["skill"] for d in ctx.store.debriefs(previous.id) if d["skill"]]
        if skills:
            new = new._replace(skill=skills[-1])
    return new


def duplicate_of(ctx: Context, new: NewInterview, *, any_status: bool = False) -> Interview | None:
    """The interview `new` repeats — its application's (or the same company and role's) at
    the same start, not cancelled — or None: a form sent twice. `any_status`: a cancelled
    one too (a file imported twice: its row for an interview since cancelled, or ended, is
    that interview again, not a new one to thank)."""
    return next(
        (
            interview
            for application in _same_jobs(ctx, new)
            for interview in ctx.store.rounds_at(application.id, new.start)
            if any_status or interview.status is not Status.CANCELLED
        ),
        None,
    )


def _same_jobs(ctx: Context, new: NewInterview) -> list[Application]:
    """The applications for the job `new` is for: its own and any other of the same company
    and role (two applications of one job: one cancelled, then the job added again)."""
    if new.application_id is None:
        return ctx.store.find_applications(new.company, new.role)
    own = ctx.store.get_application(new.application_id)
    if own is None:
        return []
    others = ctx.store.find_applications(own.company, own.role)
    return [own, *(a for a in others if a.id != own.id)]


def _refuse_duplicate(ctx: Context, new: NewInterview) -> None:
    """Say which interview is this one already, rather than plan every note twice."""
    interview = duplicate_of(ctx, new)
    if interview is not None:
        raise Conflict(
            f"interview {interview.id} is this one already (same company, role and start,"
            f" {wording.local(interview.start, interview.tz)}):"
            f" see it with followup show {interview.id}"
        )


# A new application typed for a company and role that has a round this close to it, with
# the same people, is that round typed again (a time mistyped), not another job.
_RETYPED_WITHIN = timedelta(hours=12)


def _retyped(ctx: Context, new: NewInterview, named: list[Application]) -> Interview | None:
    """A round of these applications (`new`'s job) within 12 hours with one of its people."""
    wanted = {p.email.casefold() for p in new.interviewers if p.email}
    if not wanted:
        return None
    start, reach = new.start, _RETYPED_WITHIN - timedelta(microseconds=1)
    for application in named:
        for interview in ctx.store.rounds_between(application.id, start - reach, start + reach):
            people = ctx.store.interviewers(interview.id)
            if wanted & {p.email.casefold() for p in people if p.email}:
                return interview
    return None


def same_job(ctx: Context, new: NewInterview) -> str:
    """A new application for a company and role you already have, said after adding (a
    later round belongs to the application it follows; one within 12 hours with one of the
    same people may be that one typed again: a time mistyped). "" when none."""
    if new.application_id is not None:
        return ""
    named = ctx.store.find_applications(new.company, new.role)
    twin = _retyped(ctx, new, named)
    if twin is not None:
        return (
            f"interview {twin.id} is the same company and role with the same people on"
            f" {wording.local(twin.start, twin.tz)}: if this is that one typed again, cancel"
            f" this one and move that one (followup edit {twin.id} --at …); a later round of"
            f" that one is added with --application {twin.application_id}"
        )
    if not named:
        return ""
    found = named[0]
    return (
        f"you already have {found.company} — {found.role} (application {found.id}): this is a"
        f" new application; a later round of that one is added with --application {found.id}"
    )


def is_holiday_check(ctx: Context, country: str | None) -> None:
    """Fail early (before any write) for a country the holiday calendar does not know."""
    if country and country != NO_COUNTRY:
        ctx.holidays(country)


def holiday_country(ctx: Context, application: Application, interview: Interview) -> HolidayCountry:
    """Whose public holidays the interview's notes skip: its application's --country, none
    (--country none), else the country of the interview's zone."""
    table = ctx.zone_countries() if ctx.zone_countries else {}
    return workdays.holiday_country(application.country, interview.tz, table, ctx.home_country)


def holidays_of(ctx: Context, country: HolidayCountry) -> IsHoliday:
    """The calendar of `country`; an assumed country with no calendar skips none (a given
    one was checked when it was given)."""
    try:
        return ctx.holidays(country.code)
    except InvalidInput:
        if country.assumed:
            return workdays.no_holidays
        raise


def add_company_domains(
    ctx: Context, application_id: int, people: Iterable[NewInterviewer]
) -> None:
    """The people's companies' domains (their addresses', less free mail, relays and the
    user's own: `domain/companies.py`, the rule an invitation's import follows) added to the
    application's, up to the limit: a reply from the company's domain ends the sequence."""
    found = company_domains((p.email or "" for p in people), own=(ctx.sender_email,))
    if not found:
        return
    application = ctx.store.get_application(application_id)
    if application is None:
        return
    new = [d for d in found if d not in application.domains]
    room = limits.DOMAINS - len(application.domains)
    if new and room > 0:
        ctx.store.add_domains(application_id, new[:room])


# --- limits: what any caller (CLI, API, form, importer) may store ---------------------------


def check_text(what: str, text: str, most: int) -> str:
    """`text` if it fits `most` characters and holds no NUL or other control character
    (`limits.control_problem`), else one InvalidInput line."""
    _refuse(limits.length_problem(what, text, most))
    _refuse(limits.control_problem(what, text))
    return text


def check_interview(new: NewInterview, duration: timedelta) -> None:
    """Every limit on a new interview (before anything is written)."""
    check_heading("company", check_text("company", new.company, limits.COMPANY))
    check_heading("role", check_text("role", new.role, limits.ROLE))
    check_text("location", new.location or "", limits.LOCATION)
    check_text("description", new.description or "", limits.DESCRIPTION)
    _refuse(limits.duration_problem(duration))
    _refuse(limits.instant_problem("interview's start", new.start))
    parse_zone(new.tz)
    check_talk(new.topics, new.skill, heading=(new.company, new.role))
    _refuse(limits.count_problem("e-mail domains", len(new.domains), limits.DOMAINS))
    for domain in new.domains:
        check_text("e-mail domain", domain, limits.DOMAIN)
    if new.country is not None:
        parse_country(new.country)
    _refuse(limits.count_problem("interviewers", len(new.interviewers), limits.INTERVIEWERS))
    for person in new.interviewers:
        check_interviewer(person)
    if sum(p.primary for p in new.interviewers) > 1:
        raise InvalidInput("a panel has one primary contact: mark only one interviewer primary")


def with_primary(people: Sequence[NewInterviewer], email: str | None) -> list[NewInterviewer]:
    """`people` with the one whose address is `email` marked the panel's primary contact."""
    if email is None:
        return list(people)
    wanted = email.strip().lower()  # addresses are stored lower-cased (app/parse.py)
    marked = [p._replace(primary=bool(wanted) and p.email == wanted) for p in people]
    if not any(p.primary for p in marked):
        raise InvalidInput(f"the primary contact {email} is none of the interviewers' addresses")
    return marked


def whose_topics(people: Sequence[NewInterviewer]) -> str | None:
    """In a panel, whose note the points typed with the interview go into (the primary
    contact's alone: drafting._topics) and whom to debrief for the others' notes; None for
    one interviewer or none."""
    if len(people) < 2:
        return None
    first = next((p for p in people if p.primary), people[0])
    others = [p.name for p in people if p is not first]
    them = others[0] if len(others) == 1 else f"{', '.join(others[:-1])} and {others[-1]}"
    return (
        f"The points you discussed go into {first.name}'s note only; debrief {them} after"
        " the interview (each note needs a point of its own)."
    )


def check_interviewer(person: NewInterviewer) -> None:
    check_interviewer_name(person.name)
    if person.email is None:
        _refuse(address_as_name(person.name))
    if person.email is not None:
        check_text("e-mail address", person.email, limits.EMAIL)
        _refuse(limits.no_reply_problem(person.email))
    if person.tz is not None:
        parse_zone(person.tz)


_AT = r"(?:at|\[at\]|\(at\))"
_DOT = r"(?:dot|\[dot\]|\(dot\))"
_SPELLED_ADDRESS = re.compile(
    rf"^\s*([^\s@]+)\s+{_AT}\s+([^\s@]+)((?:\s+{_DOT}\s+[^\s@]+)+)\s*$", re.IGNORECASE
)


def address_as_name(name: str) -> str | None:
    """Why a name given with no address must be refused when it is one: "bob@example.com"
    or spelled out, "bob at example dot com" (the notes would go nowhere); None when not."""
    spelled = _SPELLED_ADDRESS.match(name)
    if spelled:
        user, host, rest = spelled.groups()
        parts = [host, *re.split(rf"\s+{_DOT}\s+", rest, flags=re.IGNORECASE)[1:]]
        address = f"{user}@{'.'.join(parts)}"
        return (
            f"{name.strip()!r} looks like an e-mail address written out: type the address"
            f" itself ({address}) as the interviewer's e-mail"
        )
    if "@" in name:
        return (
            f"{name.strip()!r} looks like an e-mail address, not a name: type it as the"
            " interviewer's e-mail (with a name: Ada Lovelace <ada@acme.example>)"
        )
    return None


def check_heading(what: str, text: str) -> str:
    """`text` (a company, a role) if it can go into a note's Subject: no line break or NUL,
    raw or once its encoded-words are decoded (`=?utf-8?q?Dev=0D=0ABcc:...?=`) — refused
    where it is typed or imported, not at every later draft and send."""
    if text.isprintable() and "=?" not in text:
        return text  # the common case: no email package to import
    _refuse(limits.control_problem(what, text))
    from followup.app.headers import HeaderInjection, check_display_name  # ~10 ms

    try:
        return check_display_name(f"the {what}", text)
    except HeaderInjection as exc:
        raise InvalidInput(f"{exc} (it goes into each note's Subject: one line)") from None


def heading_fix(ctx: Context, interview_id: int) -> str | None:
    """How to fix an interview whose company or role cannot be in a Subject (kept before
    `check_heading` refused such text): the `edit` that does it, or None."""
    interview = ctx.store.get_interview(interview_id)
    application = ctx.store.get_application(interview.application_id) if interview else None
    if application is None:
        return None
    for what, text in (("company", application.company), ("role", application.role)):
        try:
            check_heading(what, text)
        except InvalidInput:
            fix = f"followup edit {interview_id} --{what} …"
            return f"the {what} cannot be in a Subject: fix it ({fix})"
    return None


def check_interviewer_name(name: str) -> str:
    """An interviewer's name as every way in takes it (add, the forms, CSV, JSON, an
    invitation's CN): within the length limit, not empty, and fit for a To header's display
    name — no line break or NUL, raw (U+2028 too) or once its encoded-words are decoded."""
    from followup.app.headers import check_display_name  # the email package: ~10 ms

    if not check_text("interviewer's name", name, limits.NAME).strip():
        raise InvalidInput("an interviewer needs a name or an e-mail address")
    return check_display_name("the interviewer's name", name)


def check_talk(
    topics: Sequence[str],
    skill: str | None,
    note: str | None = None,
    heading: tuple[str, str] = ("", ""),
) -> None:
    """What was discussed (an interview's topics, a debrief): counts and lengths, and no
    placeholder ("[specific project]", "TBD"), sentence or mere "the role" (or the
    `heading`'s company or role) given as a topic or skill, which no note could use (the one
    place for these checks: CLI, dashboard and import)."""
    _refuse(limits.count_problem("topics", len(topics), limits.TOPICS))
    for topic in topics:
        check_text("topic", topic, limits.TOPIC)
        _refuse(talk_problem("topic", topic, heading))
    check_text("skill", skill or "", limits.TOPIC)
    _refuse(talk_problem("skill", skill or ""))
    check_text("note", note or "", limits.NOTE)


# How a hurried debrief starts a topic ("about the Q3 roadmap"): the note's own frame says
# it ("our conversation about …"), so the topic would read "about about …".
_LEAD_IN = re.compile(
    r"(?i)((?:we |i |they )?(?:talked|talking|spoke|chatted|went|touched) (?:about|over|on)"
    r"|discussed|(?:we|i|they) covered|about(?! us\b| me\b)|regarding|re:|concerning)\s+"
)


def talk_problem(what: str, text: str, heading: tuple[str, str] | None = ("", "")) -> str | None:
    """Why a topic or skill as typed cannot go into a note, or None. With a `heading` (the
    company and role, "" when not known), also a topic that makes no point (`add`, `debrief`,
    the dashboard: a file's topics, read with None, were accepted by earlier versions)."""
    from followup.domain import talk  # only when there is text (its patterns: ~5 ms)
    from followup.domain.compose import topic_is_sentence
    from followup.domain.lint import looks_like_placeholder

    control = limits.control_problem(what, text)
    if control is not None:
        return control
    text = " ".join(text.split())
    if not text:
        return None
    shown = text if len(text) <= 60 else text[:57] + "\u2026"
    if looks_like_placeholder(text):
        fill = "what you discussed" if what == "topic" else "the skill to stress"
        example = talk.EXAMPLE[what]
        return f"the {what} {shown!r} looks like a placeholder: write {fill}, e.g. {example!r}"
    if heading is not None:  # typed here: also what makes no point (domain/talk.py)
        pointless = (
            talk.topic_problem(text, *heading) if what == "topic" else talk.skill_problem(text)
        )
        if pointless:
            return pointless
    lead = _LEAD_IN.match(text) if what == "topic" and not topic_is_sentence(text) else None
    if lead and text[lead.end() :].strip():
        return (
            f"the topic {shown!r} starts with {lead.group(1)!r}: give the point itself,"
            f" e.g. {text[lead.end() :].strip()!r} (the note says how you talked about it)"
        )
    if topic_is_sentence(text):
        hint = "what you discussed" if what == "topic" else "what you bring"
        return (
            f"the {what} {shown!r} is a sentence: a {what} is {hint}, e.g. {talk.EXAMPLE[what]!r};"
            " a sentence goes in the note (--note)"
        )
    return None


def check_instant(what: str, instant: datetime | None) -> None:
    if instant is not None:
        _refuse(limits.instant_problem(what, instant))


def check_date(what: str, day: date | None) -> None:
    if day is not None:
        _refuse(limits.date_problem(what, day))


def _refuse(problem: str | None) -> None:
    if problem is not None:
        raise InvalidInput(problem)


# --- the agenda ---------------------------------------------------------------------------


# --- reading ------------------------------------------------------------------------------


def list_interviews(
    ctx: Context,
    statuses: Sequence[Status] = (),
    limit: int | None = None,
    after: int | None = None,
) -> list[InterviewRow]:
    """Newest first: every interview, or only these statuses; at most `limit` of them; with
    `after`, those listed after that interview (the next page)."""
    if after is not None:
        _interview(ctx, after)  # a page after an interview that is not there: say so
    return ctx.store.list_interviews(statuses, limit, after)


LIST_BATCH = 1_000


def every_interview(
    ctx: Context, statuses: Sequence[Status] = (), after: int | None = None
) -> Iterator[InterviewRow]:
    """`list_interviews` without a limit, read a page at a time in one snapshot: memory
    follows a page, not the history."""
    if after is not None:
        _interview(ctx, after)  # a page after an interview that is not there: say so
    with ctx.store.snapshot():
        while True:
            page = ctx.store.list_interviews(statuses, LIST_BATCH, after)
            yield from page
            if len(page) < LIST_BATCH:
                return
            after = page[-1].interview.id


def status_counts(ctx: Context) -> dict[Status, int]:
    """How many interviews each status has (every status, zeros included)."""
    found = ctx.store.status_counts()
    return {s: found.get(s.value, 0) for s in Status}


def show(ctx: Context, interview_id: int) -> Detail:
    interview = _interview(ctx, interview_id)
    application = ctx.store.get_application(interview.application_id)
    assert application is not None  # a foreign key guarantees it
    later = has_later_round(ctx, interview)
    return Detail(
        interview=interview,
        application=application,
        interviewers=tuple(ctx.store.interviewers(interview_id)),
        notes=tuple(ctx.store.notes(interview_id)),
        inbound=tuple(ctx.store.inbound(interview_id)),
        debriefs=tuple(ctx.store.debriefs(interview_id)),
        later_round=later,
        rounds_after=tuple(rounds_after(ctx, interview)) if interview.status.is_open else (),
        next_round_proposed=next_round_proposed(ctx, interview),
        holidays=holiday_country(ctx, application, interview),
        waits=_waits(ctx, interview),
        bounced=frozenset(ctx.store.bounced_interviewers(interview_id)),
    )


def _waits(ctx: Context, interview: Interview) -> str:
    if ctx.daily_limit is None or interview.status is not Status.WAITING:
        return ""
    from followup.app import pacing

    now = ctx.clock.now()
    due = any(
        n.state is NoteState.PENDING and n.due_at is not None and n.due_at <= now
        for n in ctx.store.notes(interview.id)
    )
    return pacing.waits(ctx, due, now)


# --- changing -----------------------------------------------------------------------------


def mark_sent(
    ctx: Context,
    interview_id: int,
    at: datetime | None = None,
    email: str | None = None,
    *,
    force: bool = False,
    step: int | None = None,
    interviewer_id: int | None = None,
) -> Marked:
    """Record that the pending step's note went out (to everyone, or to one interviewer).
    Before the policy's earliest time for that step it is refused, naming the rule, unless
    `force` (it really went out then): then it is recorded and `too_early_by` says by how much.
    `step`: the step the user saw pending (a page's form); once it is no longer the pending
    one (recorded from another tab, say) it is refused, never applied to the next note.
    `interviewer_id`: to that one person only (an import's, who may have no address)."""
    now = ctx.clock.now()
    at = at or now
    check_instant("time it was sent", at)
    with ctx.store.transaction():
        interview = _open_interview(ctx, interview_id, "send")
        if at > now:
            raise InvalidInput("a note cannot be recorded as sent in the future")
        if at < interview.end:
            raise InvalidInput("that is before the interview ended")
        pending = [n for n in ctx.store.notes(interview_id) if n.state is NoteState.PENDING]
        due_step = planner.pending_step(pending)
        if step is not None and step != due_step:
            raise Conflict(wording.no_longer_pending(ctx.policy, interview_id, step))
        if due_step is None:
            raise Conflict(f"interview {interview_id} has no pending note")
        step = due_step
        chosen = [n for n in pending if n.step == step]
        if email is not None:
            ids = {p.id for p in ctx.store.interviewers(interview_id) if p.email == email.lower()}
            chosen = [n for n in chosen if n.interviewer_id in ids]
            if not chosen:
                raise NotFound(f"no pending note for {email} in interview {interview_id}")
        if interviewer_id is not None:
            chosen = [n for n in chosen if n.interviewer_id == interviewer_id]
            if not chosen:
                raise NotFound(f"no pending note for that person in interview {interview_id}")
        early = planner.too_early(at, min(n.earliest_at for n in chosen))
        if early is not None and not force:
            raise Conflict(wording.too_early_refusal(ctx.policy, step, early))
        prior = events.before(ctx, interview_id)
        for note in chosen:
            ctx.store.set_note_state(note.id, NoteState.SENT, now, sent_at=at)
        plan = _replan(ctx, interview_id, now)
        names = _names(ctx, interview_id, [n.interviewer_id for n in chosen])
        events.record(
            ctx,
            interview_id,
            "sent",
            f"recorded the {wording.kind_label(chosen[0].kind)}{names} as sent"
            f" ({wording.local(at, interview.tz)})",
            prior,
            {"step": step, "kind": chosen[0].kind, "at": _iso(at), "notes": [n.id for n in chosen]},
        )
        plan = moves_on_once_thanked(ctx, interview_id) or plan
    return Marked(interview_id, step, chosen[0].kind, len(chosen), early, plan)


def moves_on_once_thanked(ctx: Context, interview_id: int) -> Plan | None:
    """After a thank-you went: a round whose notes left unsent are all thank-yous to people
    met again since in a later round (the agenda's "let it go") has nothing left to send and
    moves on (advanced), those let go — as it would have had they been met again before it
    was added (`send --due` does it too: the agenda's advice, in bulk). Its plan then, or
    None (it goes on)."""
    now = ctx.clock.now()
    with ctx.store.transaction():
        interview = _interview(ctx, interview_id)
        if interview.status is not Status.WAITING:
            return None
        pending = [n for n in ctx.store.notes(interview_id) if n.state is NoteState.PENDING]
        if not pending or not rounds_after(ctx, interview):
            return None
        if any(why_let_go(ctx, n, interview, now) != wording.OVERTAKEN for n in pending):
            return None
        prior = events.before(ctx, interview_id)
        _end(ctx, interview_id, Status.ADVANCED, now)
        names = _names(ctx, interview_id, [n.interviewer_id for n in pending])
        events.record(
            ctx,
            interview_id,
            "let-go",
            f"moved on to the later round: the {wording.kind_label(pending[0].kind)}{names}"
            " is let go (met again since)",
            prior,
        )
    return Plan(Status.ADVANCED, (), "a later round followed: this one moved on")


def markable(detail: Detail) -> list[str]:
    """The addresses "Mark sent" may name: those with a note of the pending step (the step
    mark_sent records), in the panel's order; a person whose note went out is not one."""
    step = planner.pending_step(detail.notes)
    if step is None:
        return []
    pending = (n for n in detail.notes if n.state is NoteState.PENDING and n.step == step)
    ids = {n.interviewer_id for n in pending}
    return [p.email for p in detail.interviewers if p.email and not p.removed and p.id in ids]


class FailedNote(NamedTuple):
    """A note the recipient's server refused for good, with why: what "Try again" is by."""

    note: Note
    to: Interviewer | None
    reason: str


def failed_notes(ctx: Context, interview_id: int) -> list[FailedNote]:
    """The interview's failed notes, each with the server's reason (for Try again)."""
    people = {p.id: p for p in ctx.store.interviewers(interview_id)}
    return [
        FailedNote(n, people.get(n.interviewer_id) if n.interviewer_id else None,
                   ctx.store.last_error(n.id) or "")
        for n in ctx.store.notes(interview_id)
        if n.state is NoteState.FAILED
    ]  # fmt: skip


def _failed_notes(
    ctx: Context, interview_id: int, people: dict[int, Any], email: str | None, to: str
) -> list[Note]:
    """The interview's failed notes (only the one to `email` when given), for `retry` and
    `dismiss_failed`; NotFound / Conflict when there is none to `to` (the action's words)."""
    failed = [n for n in ctx.store.notes(interview_id) if n.state is NoteState.FAILED]
    if email is not None:
        wanted = email.strip().lower()
        failed = [
            n
            for n in failed
            if n.interviewer_id in people and people[n.interviewer_id].email == wanted
        ]
        if not failed:
            raise NotFound(f"no failed note for {email} in interview {interview_id}")
    if not failed:
        raise Conflict(f"interview {interview_id} has no failed note to {to}")
    return failed


def retry(ctx: Context, interview_id: int, email: str | None = None) -> Plan:
    """Put the interview's failed note(s) (or the one to `email`) back to pending, so that
    Send tries again: after the address was corrected, or when the server's refusal was
    passing. Recorded as an event (undo puts them back to failed). A note to an address that
    bounced is refused until the address is changed: no note goes to it (bounced)."""
    now = ctx.clock.now()
    with ctx.store.transaction():
        _open_interview(ctx, interview_id, "send")
        people = {p.id: p for p in ctx.store.interviewers(interview_id)}
        failed = _failed_notes(ctx, interview_id, people, email, "try again")
        bounced_ids = ctx.store.bounced_interviewers(interview_id)
        for note in failed:
            if note.interviewer_id in bounced_ids:
                person = people[note.interviewer_id]
                raise Conflict(
                    f"mail to {person.email} bounced: correct the address before trying again"
                )
        prior = events.before(ctx, interview_id)
        for note in failed:
            ctx.store.finish_note(note.id, NoteState.PENDING, now)
        plan = _replan(ctx, interview_id, now)
        names = _names(ctx, interview_id, [n.interviewer_id for n in failed])
        events.record(
            ctx,
            interview_id,
            "retried",
            f"the failed {wording.kind_label(failed[0].kind)}{names} is pending again",
            prior,
            {"notes": [n.id for n in failed]},
        )
    return plan


def dismiss_failed(ctx: Context, interview_id: int, email: str | None = None) -> int:
    """Let the interview's failed note(s) (or the one to `email`) go: Today's "Now" and the
    board stop asking to fix and resend them. They stay failed (no note is planned again
    for that person) and in the history; recorded as an event, so Undo brings them back,
    and Try again (`retry`) still works. How many notes it let go."""
    now = ctx.clock.now()
    with ctx.store.transaction():
        if ctx.store.get_interview(interview_id) is None:
            raise NotFound(f"no interview with id {interview_id}")
        people = {p.id: p for p in ctx.store.interviewers(interview_id)}
        failed = _failed_notes(ctx, interview_id, people, email, "dismiss")
        asking = set(ctx.store.failed_recipients([interview_id]).get(interview_id, []))
        failed = [n for n in failed if (n.kind, n.interviewer_id) in asking]  # not let go yet
        if not failed:
            raise Conflict(f"the failed note of interview {interview_id} is let go already")
        prior = events.before(ctx, interview_id)
        ctx.store.dismiss_notes([n.id for n in failed], now)
        names = _names(ctx, interview_id, [n.interviewer_id for n in failed])
        events.record(
            ctx,
            interview_id,
            "dismissed",
            f"the failed {wording.kind_label(failed[0].kind)}{names} is let go",
            prior,
            {"notes": [n.id for n in failed]},
        )
    return len(failed)


def why_let_go(ctx: Context, note: Note, interview: Interview | None, now: datetime) -> str | None:
    """Why a pending thank-you must not go unattended now, or None: where the agenda says to
    let it go — so late it reads oddly (a laptop closed for weeks), or its people have been
    met again in a later round since. The worker hands such a note back, approved or not,
    `send --due` leaves it, `dismiss` lets it go; `send ID` sends it all the same."""
    if interview is None or note.step != ctx.policy.steps[0].number:
        return None
    after = rounds_after(ctx, interview)  # none, the usual case: one query in all
    if after:
        people = ctx.store.interviewers(interview.id)
        to = [p.email or "" for p in people if p.id == note.interviewer_id]
        if planner.overtaken(note.step, interview.end, after, now, ctx.policy, to):
            return wording.OVERTAKEN
    if not planner.is_past_its_moment(note.step, interview.end, note.due_at, now, ctx.policy):
        return None
    return f"{(now - interview.end).days} days after the interview, {wording.PAST_ITS_MOMENT}"


def let_go_reasons(ctx: Context, interview_id: int) -> dict[int, str]:
    """The interview's pending notes the agenda says to let go, by note id, with why
    (`why_let_go`): what `draft` says beside such a note."""
    interview = _interview(ctx, interview_id)
    now = ctx.clock.now()
    whys = {
        note.id: why_let_go(ctx, note, interview, now)
        for note in ctx.store.notes(interview_id)
        if note.state is NoteState.PENDING and interview.status is Status.WAITING
    }
    return {k: why for k, why in whys.items() if why is not None}


class LetGo(NamedTuple):
    """What `dismiss` let go: how many notes, and how the sequence ended when they were
    thank-yous the agenda said to let go (None: failed notes, the sequence goes on)."""

    notes: int
    status: Status | None = None


def dismiss(ctx: Context, interview_id: int, email: str | None = None) -> LetGo:
    """Let go what the agenda keeps asking about that the user will not send: failed notes
    (`dismiss_failed`), else a thank-you it says to let go (`let_go`)."""
    notes = ctx.store.notes(_interview(ctx, interview_id).id)
    if any(n.state is NoteState.FAILED for n in notes):
        return LetGo(dismiss_failed(ctx, interview_id, email))
    if email is not None:
        raise Conflict(f"interview {interview_id} has no failed note to dismiss")
    return let_go(ctx, interview_id)


def let_go(ctx: Context, interview_id: int) -> LetGo:
    """The agenda's "let it go", done: the round's pending thank-yous, every one past its
    moment or overtaken by a later round (`why_let_go`), are not sent; the round moves on
    (advanced) when a later round followed, else its sequence ends (closed: no thank-you
    went, so no follow-up counts from one). Undoable; refused for a note still worth
    sending (`cancel` stops any sequence)."""
    now = ctx.clock.now()
    with ctx.store.transaction():
        interview = _interview(ctx, interview_id)
        pending = [n for n in ctx.store.notes(interview_id) if n.state is NoteState.PENDING]
        whys = [why_let_go(ctx, n, interview, now) for n in pending]
        owed = [n.interviewer_id for n, why in zip(pending, whys, strict=True) if why is None]
        if interview.status is Status.WAITING and owed and len(owed) < len(pending):
            let = [n.interviewer_id for n in pending if n.interviewer_id not in owed]
            raise Conflict(
                f"interview {interview_id}: the {wording.kind_label(pending[0].kind)}"
                f"{_names(ctx, interview_id, owed)} is still to send; the one"
                f"{_names(ctx, interview_id, let)} is let go once it has gone"
                f" (to stop following up all the same: followup cancel {interview_id})"
            )
        if interview.status is not Status.WAITING or not pending or None in whys:
            raise Conflict(
                f"interview {interview_id} has no note the agenda says to let go (a thank-you"
                " past its moment, or to people met again in a later round): to stop"
                f" following up all the same, followup cancel {interview_id}"
            )
        prior = events.before(ctx, interview_id)
        status = Status.ADVANCED if has_later_round(ctx, interview) else Status.CLOSED
        _end(ctx, interview_id, status, now)
        names = _names(ctx, interview_id, [n.interviewer_id for n in pending])
        kind = wording.kind_label(pending[0].kind)
        events.record(
            ctx,
            interview_id,
            "let-go",
            f"let go: the {kind}{names} was not sent ({whys[0]}); sequence {status.value}",
            prior,
        )
        replan_other_rounds(ctx, interview)
    return LetGo(len(pending), status)


def move_on(ctx: Context, interview_id: int, at: datetime | None = None) -> None:
    """The round moves on to its later one (advanced), its pending notes withdrawn, as a
    file says it did (the CSV import: a round the replay of its rows leaves open, a
    thank-you still owed to someone the later round did not meet). Undoable."""
    now = ctx.clock.now()
    with ctx.store.transaction():
        interview = _interview(ctx, interview_id)
        if interview.status is not Status.WAITING or not has_later_round(ctx, interview):
            raise Conflict(f"interview {interview_id} is not open with a later round after it")
        prior = events.before(ctx, interview_id)
        _end(ctx, interview_id, Status.ADVANCED, at or now)
        events.record(ctx, interview_id, "advanced", "moved on to a later round", prior)


# What a reply can end: an open sequence, or one whose last note went out (the board's
# "They replied" is offered by the same rule).
REPLIABLE = (Status.WAITING, Status.CLOSED)


def mark_replied(
    ctx: Context,
    interview_id: int,
    at: datetime | None = None,
    *,
    source: str = "manual",
    message_id: str | None = None,
    from_addr: str | None = None,
    subject: str | None = None,
    classification: str = "human",
    reason: str | None = None,
) -> Status:
    """The employer answered: the sequence ends as `replied` (one panelist settles a panel).

    `classification` "scheduling": the answer invites the user to a next step (issue #15)."""
    now = ctx.clock.now()
    at = at or now
    check_instant("reply's time", at)
    if at > now:
        if source == "manual":
            raise InvalidInput("a reply cannot be recorded in the future")
        at = now  # a sender's clock running ahead
    with ctx.store.transaction():
        interview = _interview(ctx, interview_id)
        if interview.status not in REPLIABLE:
            raise Conflict(
                f"interview {interview_id} is {interview.status.value}: a reply ends only an"
                f" open sequence (reopen it first: followup reopen {interview_id})"
            )
        if source == "manual":
            if at < interview.end:
                raise InvalidInput("that is before the interview ended")
            if from_addr is not None:
                from_addr = _interviewer_address(ctx, interview_id, from_addr)
        prior = events.before(ctx, interview_id)
        ctx.store.add_inbound(
            interview_id=interview_id,
            classification=classification,
            received_at=at,
            now=now,
            source=source,
            message_id=message_id,
            from_addr=from_addr,
            subject=subject,
            reason=reason,
        )
        _end(ctx, interview_id, Status.REPLIED, at)
        who = f" ({from_addr})" if from_addr else ""
        said = (
            f"they proposed a next round{who}: no more notes — add it when it is set"
            if classification == "scheduling"
            else f"they replied{who}: no more notes"
        )
        events.record(
            ctx,
            interview_id,
            "scheduling" if classification == "scheduling" else "replied",
            said,
            prior,
            {"at": _iso(at), "from": from_addr, "subject": subject, "message_id": message_id},
            source=None if source in ("manual", "file") else "sync",
        )
    return Status.REPLIED


def _interviewer_address(ctx: Context, interview_id: int, email: str) -> str:
    """`email` as stored for one of the interview's interviewers, or NotFound."""
    wanted = email.strip().casefold()
    for person in ctx.store.interviewers(interview_id):
        if person.email and person.email.casefold() == wanted:
            return person.email
    raise NotFound(f"no interviewer {email} in interview {interview_id}")


def defer(
    ctx: Context, interview_id: int, until: datetime, cause: dict[str, Any] | None = None
) -> Plan:
    """No note before `until` (e.g. an out-of-office's return); only ever later. `cause`:
    the message that asked for it, kept in the event (reclassify finds it there)."""
    now = ctx.clock.now()
    check_instant("date to wait until", until)
    with ctx.store.transaction():
        interview = _open_interview(ctx, interview_id, "defer")
        if interview.defer_until is not None and until <= interview.defer_until:
            return _replan(ctx, interview_id, now)
        prior = events.before(ctx, interview_id)
        ctx.store.set_defer_until(interview_id, until)
        plan = _replan(ctx, interview_id, now)
        why = f"an auto-reply from {cause['from']}: " if cause and cause.get("from") else ""
        events.record(
            ctx,
            interview_id,
            "deferred",
            f"{why}no note before {wording.local(until, interview.tz)}",
            prior,
            {"until": _iso(until), **(cause or {})},
        )
        return plan


def bounced(
    ctx: Context,
    interview_id: int,
    addresses: Sequence[str],
    at: datetime,
    cause: dict[str, Any] | None = None,
) -> Status:
    """Addresses that bounced for good get no more notes; with nobody left, the sequence ends.
    `cause`: the bounce, kept in the event."""
    now = ctx.clock.now()
    wanted = {a.lower() for a in addresses}
    with ctx.store.transaction():
        interview = _interview(ctx, interview_id)
        people = ctx.store.interviewers(interview_id)
        prior = events.before(ctx, interview_id)
        events.record(
            ctx,
            interview_id,
            "bounced",
            f"mail to {', '.join(sorted(wanted))} bounced: no more notes to that address",
            prior,
            {"addresses": sorted(wanted), **(cause or {})},
        )
        for person in people:
            if person.email and person.email.lower() in wanted:
                ctx.store.flag_bounced(person.id, at)
                for note in ctx.store.notes(interview_id):
                    if note.interviewer_id == person.id and note.state is NoteState.PENDING:
                        ctx.store.finish_note(note.id, NoteState.FAILED, now, error="bounced")
        if not interview.status.is_open:
            return interview.status
        silent = ctx.store.bounced_interviewers(interview_id)
        left = [p for p in people if p.id not in silent and not p.removed]
        if people and not left:
            _end(ctx, interview_id, Status.CANCELLED, now)
            return Status.CANCELLED
        _replan(ctx, interview_id, now)
    return Status.WAITING


def set_primary(ctx: Context, interview_id: int, email: str) -> Plan:
    """Make the interviewer at `email` the panel's primary contact: the notes after the
    thank-you go to them (policy.panel_follow_up), so pending ones are re-planned now."""
    now = ctx.clock.now()
    wanted = email.strip().casefold()
    with ctx.store.transaction():
        _interview(ctx, interview_id)
        person = next(
            (
                p
                for p in ctx.store.interviewers(interview_id)
                if p.email and p.email.casefold() == wanted
            ),
            None,
        )
        if person is None:
            raise NotFound(f"no interviewer {email} in interview {interview_id}")
        prior = events.before(ctx, interview_id)
        ctx.store.set_primary(interview_id, person.id)
        plan = _replan(ctx, interview_id, now)
        events.record(
            ctx,
            interview_id,
            "edited",
            f"made {person_label(person.name, person.email)} the primary contact",
            prior,
            {"primary": person.email},
        )
        return plan


def expect(ctx: Context, interview_id: int, by: date | None) -> Plan:
    """They promised a decision by `by`: no follow-up or final (the thank-you is a courtesy,
    not a chase) before that date plus one working day."""
    check_date("promised date", by)
    with ctx.store.transaction():
        _open_interview(ctx, interview_id, "plan")
        prior = events.before(ctx, interview_id)
        plan = set_expected(ctx, interview_id, by)
        said = f"they promised news by {by:%a %d %b %Y}" if by else "no promised date any more"
        events.record(
            ctx,
            interview_id,
            "expected",
            said,
            prior,
            {"by": by.isoformat() if by else None},
        )
        return plan


def set_expected(ctx: Context, interview_id: int, by: date | None) -> Plan:
    """The promised date set and the notes re-planned, as part of a larger change (a
    debrief) that records its own event."""
    interview = _open_interview(ctx, interview_id, "plan")
    day = interview.start.astimezone(workdays.zone(interview.tz)).date()
    if by is not None and by < day:  # a typo: the follow-up would quote it ("around 30 October")
        raise InvalidInput(
            f"the promised date {by:%a %d %b %Y} is before the interview ({day:%a %d %b %Y}):"
            " a decision comes after it — check the date"
        )
    ctx.store.set_expect_by(interview_id, by)
    return _replan(ctx, interview_id, ctx.clock.now())


# What the hiring side's answer makes of an application (issue #15), and how it reads.
OUTCOME_WORDS = {
    Status.REJECTED: "they said no",
    Status.ROLE_CLOSED: "the role closed",
    Status.OFFER: "they made an offer",
}
# The statuses an outcome may follow: a round still followed up, or one they answered.
CONCLUDABLE = (Status.WAITING, Status.CLOSED, Status.REPLIED)


class Message(NamedTuple):
    """An inbound message as the history keeps it (metadata only, never the body)."""

    kind: str  # a replies.Kind value
    received_at: datetime
    source: str = "manual"  # manual | imap | file
    message_id: str | None = None
    from_addr: str | None = None
    subject: str | None = None
    reason: str | None = None  # the signal that decided the kind

    def cause(self) -> dict[str, Any]:
        """What an event keeps of it."""
        return {
            "message_id": self.message_id,
            "from": self.from_addr,
            "subject": self.subject,
            "received_at": _iso(self.received_at),
            "classification": self.kind,
            "reason": self.reason,
        }

    def said(self) -> str:
        who = f" from {self.from_addr}" if self.from_addr else ""
        about = f" “{self.subject}”" if self.subject else ""
        return f"{self.kind}{who}{about}"


def conclude(
    ctx: Context,
    interview_id: int,
    status: Status,
    message: Message | None = None,
    *,
    at: datetime | None = None,
    whole_application: bool = True,
) -> int:
    """The application ends as `status` (rejected, role-closed, offer): every pending note
    is withdrawn, approvals too, nothing more is planned — on this round, and (unless an
    import replays a file's rows one by one: `whole_application` False) on the
    application's other open rounds, which move on (a day's loop's earlier conversations:
    no thank-you after a rejection). How many notes were withdrawn. `at`: when it ended,
    without a message (an imported file's time; default now)."""
    if not status.is_outcome:
        raise InvalidInput(f"{status.value} is not an outcome: rejected, role-closed or offer")
    now = ctx.clock.now()
    given = at
    at = min(message.received_at if message else at or now, now)
    with ctx.store.transaction():
        interview = _interview(ctx, interview_id)
        if interview.status not in CONCLUDABLE:  # recorded meanwhile (another tab, a sync)
            raise Conflict(
                f"interview {interview_id} is already {interview.status.value}, so nothing"
                " else can be recorded on it; if that was a mistake, undo it first"
            )
        if message is None and given is not None:
            _check_ended_at(status, given, now)
        prior = events.before(ctx, interview_id)
        if message is not None:
            _keep(ctx, interview_id, message, at, now)
        withdrawn = sum(1 for n in ctx.store.notes(interview_id) if n.state is NoteState.PENDING)
        _end(ctx, interview_id, status, at)
        if whole_application:
            withdrawn += _end_other_rounds(ctx, interview, status, at)
        because = f" ({message.said()})" if message else ""
        dropped = (
            f", {withdrawn} pending note{'s' * (withdrawn != 1)} withdrawn" if withdrawn else ""
        )
        events.record(
            ctx,
            interview_id,
            status.value,
            f"{OUTCOME_WORDS[status]}{because}: the application ended{dropped}",
            prior,
            {
                "status": status.value,
                "withdrawn": withdrawn,
                **(message.cause() if message else {}),
            },
        )
    return withdrawn


def _end_other_rounds(ctx: Context, interview: Interview, status: Status, at: datetime) -> int:
    """The application's other open rounds move on, their pending notes withdrawn (each its
    own event, undoable there); how many notes that withdrew."""
    withdrawn = 0
    for other in ctx.store.interviews_of_application(interview.application_id):
        if other.id == interview.id or other.status is not Status.WAITING:
            continue
        prior = events.before(ctx, other.id)
        pending = sum(1 for n in ctx.store.notes(other.id) if n.state is NoteState.PENDING)
        _end(ctx, other.id, Status.ADVANCED, at)
        withdrawn += pending
        dropped = f", {pending} pending note{'s' * (pending != 1)} withdrawn" if pending else ""
        events.record(
            ctx,
            other.id,
            "advanced",
            f"the application ended as {status.value} on round {interview.round}"
            f" (interview {interview.id}){dropped}",
            prior,
            {"to": interview.id},
        )
    return withdrawn


def noted(ctx: Context, interview_id: int, message: Message) -> None:
    """A message kept in the history with no effect on the sequence (an acknowledgement, a
    portal notification): undoable like any change."""
    now = ctx.clock.now()
    with ctx.store.transaction():
        _interview(ctx, interview_id)
        prior = events.before(ctx, interview_id)
        _keep(ctx, interview_id, message, min(message.received_at, now), now)
        events.record(
            ctx,
            interview_id,
            message.kind,
            f"{message.said()}: kept in the history, no change to the notes",
            prior,
            message.cause(),
        )


def _keep(ctx: Context, interview_id: int, message: Message, at: datetime, now: datetime) -> None:
    ctx.store.add_inbound(
        interview_id=interview_id,
        classification=message.kind,
        received_at=at,
        now=now,
        source=message.source,
        message_id=message.message_id,
        from_addr=message.from_addr,
        subject=message.subject,
        reason=message.reason,
    )


def cancel(ctx: Context, interview_id: int, *, at: datetime | None = None) -> None:
    """No more notes. `at`: when it was cancelled (an imported file's time; default now),
    checked as `_check_ended_at` says."""
    now = ctx.clock.now()
    with ctx.store.transaction():
        interview = _interview(ctx, interview_id)
        if interview.status is Status.CANCELLED:
            raise Conflict(f"interview {interview_id} is already cancelled")
        if at is not None:
            _check_ended_at(Status.CANCELLED, at, now)
        prior = events.before(ctx, interview_id)
        _end(ctx, interview_id, Status.CANCELLED, at or now)
        events.record(ctx, interview_id, "cancelled", "cancelled: no more notes", prior)
        replan_other_rounds(ctx, interview)


def left_behind(ctx: Context, interview_id: int) -> str:
    """After a round was cancelled: the earlier rounds that moved on to it and now precede
    no round at all (it was added by mistake, or called off), with how to follow one up
    again — `cancel` and the dashboard say it. "" when none."""
    interview = _interview(ctx, interview_id)
    said = [
        f"Round {r.round} (interview {r.id}) moved on when a later round was added: to follow"
        f" it up again, followup reopen {r.id}."
        for r in ctx.store.interviews_of_application(interview.application_id)
        if r.status is Status.ADVANCED and r.start < interview.start and not has_later_round(ctx, r)
    ]
    return " ".join(said)


def _check_ended_at(status: Status, at: datetime, now: datetime) -> None:
    """When a sequence ended as `status`, given rather than now (an imported file's time):
    not in the future, as every recorded time. Nothing stricter: an import takes back what
    the app itself records — the board's Rejected on an interview still ahead, a rejection
    synced as received before a thank-you recorded later — or a home could not move."""
    check_instant(f"time it was {status.value}", at)
    if at > now:
        raise InvalidInput(f"{status.value} at {_iso(at)} is in the future")


# --- internals ----------------------------------------------------------------------------


def _iso(dt: datetime) -> str:
    return dt.isoformat().replace("+00:00", "Z")


def _names(ctx: Context, interview_id: int, ids: Sequence[int | None]) -> str:
    """ " to Ada, Bob" for these interviewers (nothing for a note to nobody in particular)."""
    people = {p.id: p for p in ctx.store.interviewers(interview_id)}
    named = [person_label(people[i].name, people[i].email) for i in ids if i in people]
    return f" to {', '.join(named)}" if named else ""


def find_interview(ctx: Context, interview_id: int) -> Interview:
    """The interview, or NotFound with one line."""
    return _interview(ctx, interview_id)


def _interview(ctx: Context, interview_id: int) -> Interview:
    interview = ctx.store.get_interview(interview_id)
    if interview is None:
        raise NotFound(f"no interview with id {interview_id}")
    return interview


def _open_interview(ctx: Context, interview_id: int, doing: str) -> Interview:
    interview = _interview(ctx, interview_id)
    if not interview.status.is_open:
        hint = " — let it go" if interview.status is Status.CLOSED else ""
        raise Conflict(
            f"interview {interview_id} is {interview.status.value}: nothing to {doing}{hint}"
        )
    return interview


def _end(ctx: Context, interview_id: int, status: Status, at: datetime) -> None:
    now = ctx.clock.now()
    for note in ctx.store.notes(interview_id):
        if note.state is NoteState.PENDING:
            ctx.store.set_note_state(note.id, NoteState.CANCELLED, now)
    ctx.store.set_status(interview_id, status, at)
    record_next(ctx, interview_id, ())


def sequence(ctx: Context, interview_id: int) -> Seq:
    return _sequence(ctx, interview_id)[0]


def sequence_and_bounced(ctx: Context, interview_id: int) -> tuple[Seq, set[int]]:
    """The interview as the planner reads it, and the ids of its people whose address
    bounced (the planner's caller leaves them out)."""
    return _sequence(ctx, interview_id)


def _sequence(ctx: Context, interview_id: int) -> tuple[Seq, set[int]]:
    """The interview as the planner reads it, and its people whose address bounced: one
    read of the store (`sequence_rows`: one round trip in PostgreSQL)."""
    rows = ctx.store.sequence_rows(interview_id)
    if rows is None:
        raise NotFound(f"no interview with id {interview_id}")
    interview, latest = rows.interview, rows.latest_round
    # the application's only round (the usual case) has no neighbours to look up
    only = latest is None or (latest.id == interview.id and interview.round == 1)
    later = not only and _later(ctx, interview, latest)
    seq = Seq(
        interview=interview,
        application=rows.application,
        interviewers=tuple(rows.interviewers),
        notes=tuple(rows.notes),
        later_round=later,
        thanked_later=_thanked_later(ctx, interview)
        if later and interview.status.is_open
        else _NOBODY,
    )
    if interview.status is Status.WAITING and not only:
        before, at = _thanked_before(ctx, interview)
        if before:
            seq = seq._replace(thanked_before=before, thanked_at=at)
    return seq, rows.bounced


_NOBODY: frozenset[str] = frozenset()


def _thanked_later(ctx: Context, interview: Interview) -> frozenset[str]:
    """The addresses of the people on the later rounds of this round's day's loop (each
    round following the one before within planner.LOOP_GAP): thanked there, once."""
    addresses: set[str] = set()
    end = interview.end
    near = ctx.store.rounds_between(
        interview.application_id, interview.start, interview.end + _LOOP_REACH
    )
    for later in near:
        if later.id == interview.id:
            continue
        if not planner.same_loop(end, later.start):
            break
        people = ctx.store.interviewers(later.id)
        addresses.update(p.email.lower() for p in people if p.email and not p.removed)
        end = max(end, later.end)
    return frozenset(addresses)


def _thanked_before(ctx: Context, interview: Interview) -> tuple[frozenset[str], datetime | None]:
    """The addresses whose thank-you went (or is going) for an earlier round of this round's
    day's loop, and when the latest of them went: thanked once for the day."""
    earlier = ctx.store.rounds_between(
        interview.application_id, interview.start - _LOOP_REACH, interview.start
    )
    addresses: set[str] = set()
    at: datetime | None = None
    start = interview.start
    first = ctx.policy.steps[0].number
    for before in reversed([r for r in earlier if r.id != interview.id]):
        if not planner.same_loop(before.end, start):
            break
        start = min(start, before.start)
        people = {p.id: p.email for p in ctx.store.interviewers(before.id) if p.email}
        for note in ctx.store.notes(before.id):
            email = people.get(note.interviewer_id or 0)
            if note.step == first and email and note.state in planner.REACHED:
                addresses.add(email.lower())
                if note.sent_at is not None and (at is None or note.sent_at > at):
                    at = note.sent_at
    return frozenset(addresses), at


# How far from a round its day's loop is looked for (planner.LOOP_GAP between each of its
# conversations): a day, either way.
_LOOP_REACH = timedelta(days=1)


def rounds_after(ctx: Context, interview: Interview) -> list[RoundHeld]:
    """The application's rounds after `interview`, not cancelled, with whom each met: what
    may have overtaken its unsent thank-yous (planner.overtaken). One indexed query."""
    held = ctx.store.rounds_held([interview.application_id]).get(interview.application_id, [])
    return [r for r in held if r.start > interview.start]


def later_rounds_waiting(ctx: Context, interview_id: int) -> list[Interview]:
    """The application's rounds after this one still followed up: a reply recorded on an
    earlier round ends only that one (`replied` says so, with the command for the later)."""
    interview = _interview(ctx, interview_id)
    after = ctx.store.rounds_between(interview.application_id, interview.start, _LAST)
    return [r for r in after if r.id != interview.id and r.status is Status.WAITING]


def has_later_round(ctx: Context, interview: Interview) -> bool:
    """A round of the application, not cancelled, starts after this one (`_later`)."""
    return _later(ctx, interview, ctx.store.latest_round(interview.application_id))


def _later(ctx: Context, interview: Interview, latest: Interview | None) -> bool:
    """A round of the application, not cancelled (a withdrawn round follows nothing), starts
    after this one: by time, whatever the numbers say (a round typed or imported out of
    order, an event moved past the others). The latest-numbered round (`latest`) answers
    the usual case without another query."""
    if latest is None or (latest.id == interview.id and interview.round == 1):
        return False  # the application's only round
    if (
        latest.id != interview.id
        and latest.status is not Status.CANCELLED
        and latest.start > interview.start
    ):
        return True
    after = ctx.store.rounds_between(interview.application_id, interview.start, _LAST)
    return any(r.id != interview.id for r in after)


_LAST = datetime(9999, 12, 31, tzinfo=UTC)  # no round starts later


def replan_other_rounds(ctx: Context, interview: Interview) -> None:
    """The application's other open rounds of the same days, planned again after this one
    changed (its people, its time, cancelled): whom a round thanks depends on the rounds
    after it in its day's loop (`_thanked_later`). (A round further away that a cancelled
    one no longer follows learns it at its next planning: after its thank-you.)"""
    now = ctx.clock.now()
    near = ctx.store.rounds_between(
        interview.application_id, interview.start - _LOOP_REACH, interview.end + _LOOP_REACH
    )
    for other in near:
        if other.status is Status.WAITING and other.id != interview.id:
            _replan(ctx, other.id, now)


def replan(ctx: Context, interview_id: int) -> Plan:
    """Re-plan one interview after its notes changed outside these services (e.g. a send)."""
    with ctx.store.transaction():
        return _replan(ctx, interview_id, ctx.clock.now())


def _replan(ctx: Context, interview_id: int, now: datetime) -> Plan:
    """Bring the stored pending notes and status in line with the planner's decision."""
    seq, bounced_ids = _sequence(ctx, interview_id)
    # an address that bounced, or a person taken off the panel, gets no further note
    if bounced_ids or any(p.removed for p in seq.interviewers):
        seq = seq._replace(
            interviewers=tuple(
                p for p in seq.interviewers if p.id not in bounced_ids and not p.removed
            )
        )
    is_holiday = holidays_of(ctx, holiday_country(ctx, seq.application, seq.interview))
    plan = planner.plan_next(seq, ctx.policy, lambda _country: is_holiday)
    # each pending note by the step it belongs to (planner.notes_by_step): a note whose step
    # took another number is renumbered; one of a step the policy dropped is cancelled
    by_step = planner.notes_by_step(seq.notes, ctx.policy)
    step_of = {id(n): k for k, notes in by_step.items() for n in notes}
    pending = {
        (step_of.get(id(n)), n.interviewer_id): n for n in seq.notes if n.state is NoteState.PENDING
    }
    for planned in plan.notes:
        existing = pending.pop((planned.step, planned.interviewer_id), None)
        if existing is None:
            ctx.store.add_note(interview_id, planned, now)
        elif (existing.step, existing.kind, existing.due_at, existing.earliest_at) != (
            planned.step,
            planned.kind,
            planned.due_at,
            planned.earliest_at,
        ):
            ctx.store.reschedule_note(existing.id, planned, now)
    for stale in pending.values():
        ctx.store.set_note_state(stale.id, NoteState.CANCELLED, now)
    if plan.status is not seq.interview.status:
        ctx.store.set_status(interview_id, plan.status, now)
    record_next(ctx, interview_id, plan.notes)
    return plan


# Why a sequence was closed by a re-plan after the policy changed (the event's detail): a
# later policy that has steps left for it opens it again (follow_policy_change).
CLOSED_BY_POLICY = "policy"


def follow_policy_change(ctx: Context) -> PolicyChange | None:
    """Plan every open interview again, once, when the policy in force is not the one that
    planned them (config.toml changed): a pending note of a step the policy no longer sends
    is cancelled, a renamed step's pending notes take the new kind, and sent notes keep
    theirs as history. A sequence an earlier change closed (not a final sent) is opened and
    planned again when this policy has steps left for it, so putting the config back puts
    it back. What it did (also kept for `policy show`), or None when another process had
    just done it."""
    key = ctx.planning_key
    with ctx.store.transaction():
        earlier = ctx.store.planned_policy()
        if earlier == key:  # another process just did it
            return None
        now = ctx.clock.now()
        replanned = withdrawn = closed = reopened = 0
        rows = ctx.store.list_interviews([Status.WAITING])
        for row in rows:
            iid = row.interview.id
            before = _pending(ctx, iid)
            pending_ids = {n.id for n in ctx.store.notes(iid) if n.state is NoteState.PENDING}
            plan = _replan(ctx, iid, now)
            gone = sum(
                1
                for n in ctx.store.notes(iid)
                if n.id in pending_ids and n.state is NoteState.CANCELLED
            )
            if _pending(ctx, iid) == before and plan.status is Status.WAITING:
                continue
            replanned += 1
            withdrawn += gone
            closing = plan.status is Status.CLOSED
            closed += closing
            events.record(  # not undone: the policy is config.toml's
                ctx,
                iid,
                events.NOTED,
                f"re-planned: the policy in config.toml changed ({plan.reason})",
                None,
                {"closed_by": CLOSED_BY_POLICY} if closing else None,
            )
        for row in ctx.store.list_interviews([Status.CLOSED]):
            if _reopen(ctx, row.interview, now):
                reopened += 1
        done = PolicyChange(replanned, withdrawn, closed, reopened, now)
        ctx.store.set_planned_policy(key)
        if done.anything:
            ctx.store.set_last_replan(_iso(now), json.dumps(done.as_dict()))
    return done


def _reopen(ctx: Context, interview: Interview, now: datetime) -> bool:
    """Open a sequence a policy change closed (its last change) when this policy has steps
    left for it; else leave it closed as it was."""
    last = ctx.store.last_event(interview.id, ("undo",))
    if last is None or last.kind != events.NOTED or not last.detail:
        return False
    if last.detail.get("closed_by") != CLOSED_BY_POLICY:
        return False
    ctx.store.set_status(interview.id, Status.WAITING, now)
    plan = _replan(ctx, interview.id, now)
    if plan.status is Status.CLOSED:  # nothing left for it under this policy either
        ctx.store.set_status(interview.id, Status.CLOSED, interview.status_at or now)
        return False
    events.record(
        ctx,
        interview.id,
        events.NOTED,
        f"reopened: the policy in config.toml changed and has steps left ({plan.reason})",
        None,
        {"reopened_by": CLOSED_BY_POLICY},
    )
    return True


def policy_data(policy: Policy, last: PolicyChange | None) -> dict[str, Any]:
    """`policy show --json` and `/api/policy`: the policy and the last re-plan it caused."""
    return {**policy.as_dict(), "last_replan": last.as_dict() if last else None}


def last_replan(ctx: Context) -> PolicyChange | None:
    """The last re-plan a policy change caused (`policy show`), if any did."""
    found = ctx.store.last_replan()
    if found is None:
        return None
    data = json.loads(found[1])
    return PolicyChange(
        int(data["replanned"]),
        int(data["withdrawn"]),
        int(data["closed"]),
        int(data.get("reopened", 0)),
        datetime.fromisoformat(found[0].replace("Z", "+00:00")),
    )


def _pending(ctx: Context, interview_id: int) -> set[tuple[int, str, int | None, datetime]]:
    return {
        (n.step, n.kind, n.interviewer_id, n.due_at)
        for n in ctx.store.notes(interview_id)
        if n.state is NoteState.PENDING
    }


def record_next(ctx: Context, interview_id: int, pending: Iterable[PlannedNote]) -> None:
    """Store the interview's next step (what the agenda reads without re-planning): the
    planner's `next_due` of its pending notes, or nothing. The one writer of it."""
    first = planner.next_due(pending)
    if first is None:
        ctx.store.set_next(interview_id, None, None, None)
    else:
        ctx.store.set_next(interview_id, first.step, first.kind, first.due_at)
