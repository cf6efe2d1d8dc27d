"""Debrief and drafts: what was discussed with whom, and the note each person should get.

For a panel every interviewer gets a distinct note citing their own topic where the debrief
has one; every draft carries its tone, the reason for that tone, and the linter's findings.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from followup.app import events, services, wording
from followup.app.context import Context
from followup.app.errors import Conflict, InvalidInput, NotFound
from followup.app.parse import AUTO_TONE, format_mailbox, parse_tone, person_label
from followup.app.ports import Templates
from followup.app.rows import Approval, NoteText
from followup.domain import limits, planner
from followup.domain.compose import (
    NoteFacts,
    choose_tone,
    greeting_for,
    phrasing,
    split_subject,
    template_variables,
    tidy,
    topic_aside,
)
from followup.domain.lint import Finding, NoteContext, lint
from followup.domain.model import Interviewer, Note, NoteState, Tone
from followup.domain.model import Sequence as Seq
from followup.domain.names import Greeting, greeting_problem


class Draft(NamedTuple):
    interview_id: int
    step: int
    kind: str
    interviewer: Interviewer | None
    subject: str
    body: str
    tone: Tone
    tone_reason: str
    findings: tuple[Finding, ...]
    note_id: int | None  # None: a preview of a note not planned yet
    message_id: str | None
    edited: bool
    in_reply_to: str | None  # the thank-you's Message-ID: later notes thread under it
    references: tuple[str, ...]
    sent_at: datetime | None = None  # the note went out (or was recorded sent) then

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


class Debriefed(NamedTuple):
    interview_id: int
    entries: int
    expect_by: date | None
    tone: str | None = None  # the tone set ("auto": chosen from the culture again), if one was
    warnings: tuple[str, ...] = ()  # recorded, but worth a second look (an aside in a topic)
    approvals_withdrawn: int = 0  # approved notes whose text the debrief changed
    who: str = ""  # the interviewer debriefed ("" for the whole interview)
    cited: tuple[str, ...] = ()  # the topics their notes now cite in turn (topics given)
    replaced: int = 0  # the earlier topics `replace` took away


# --- debrief ------------------------------------------------------------------------------


def debrief(
    ctx: Context,
    interview_id: int,
    *,
    email: str | None = None,
    topics: Sequence[str] = (),
    skill: str | None = None,
    note: str | None = None,
    promised_by: date | None = None,
    tone: str | None = None,
    greeting: str | None = None,
    replace: bool = False,
) -> Debriefed:
    """Record what was discussed (with one interviewer, or the whole interview); `tone`
    ("auto" or a Tone's name) sets the application's tone; `greeting` how to address the
    interviewer ("Ms. Chen"; "" goes back to what their name gives). Topics add up (the
    thank-you cites the first, the follow-up the next); with `replace` these topics replace
    the ones given before for the same person (or the interview). A skill or a note given
    again replaces the earlier one anyway (`_latest`)."""
    now = ctx.clock.now()
    if tone is not None:
        tone = parse_tone(tone)
    topics = [t.strip() for t in topics if t.strip()]
    if replace and not topics:
        raise InvalidInput("--replace replaces the topics: give the right one with --topic")
    services.check_date("promised date", promised_by)
    if greeting is not None:
        greeting = check_greeting(greeting, email)
    with ctx.store.transaction():
        seq = services.sequence(ctx, interview_id)
        heading = (seq.application.company, seq.application.role)
        services.check_talk(topics, skill, note, heading)
        person = _interviewer(seq, email) if email else None
        prior = events.before(ctx, interview_id)
        if person is not None and greeting is not None:
            ctx.store.set_greeting(person.id, greeting or None)
        replaced = 0
        if replace:
            whose = person.id if person else None
            earlier = ctx.store.debriefs(interview_id)
            replaced = len({d["topic"] for d in earlier if d["interviewer_id"] == whose} - {None})
            ctx.store.clear_topics(interview_id, whose)
        rows: list[str | None] = list(topics) or ([None] if (skill or note) else [])
        for topic in rows:
            ctx.store.add_debrief(
                interview_id=interview_id,
                interviewer_id=person.id if person else None,
                topic=topic,
                skill=skill.strip() if skill else None,
                note=note.strip() if note else None,
                promised_by=promised_by,
                now=now,
            )
        if tone is not None:
            ctx.store.set_tone(seq.application.id, None if tone == AUTO_TONE else tone)
        if promised_by is not None:
            services.set_expected(ctx, interview_id, promised_by)
        events.record(
            ctx,
            interview_id,
            "debriefed",
            _debriefed(person, topics, skill, note, promised_by, tone, greeting, replace),
            prior,
        )
        rounds = (
            [r.id for r in ctx.store.interviews_of_application(seq.application.id)]
            if tone is not None
            else [interview_id]
        )
        withdrawn = withdraw_outdated(ctx, rounds)
        cited = tuple(_topics(seq, ctx.store.debriefs(interview_id), person)) if topics else ()
    return Debriefed(
        interview_id,
        len(rows),
        promised_by,
        tone,
        services.topic_warnings(topics),
        withdrawn,
        person_label(person.name, person.email) if person else "",
        cited,
        replaced,
    )


def _to(person: Interviewer | None) -> str:
    return f" to {person_label(person.name, person.email)}" if person else ""


def _debriefed(
    person: Interviewer | None,
    topics: Sequence[str],
    skill: str | None,
    note: str | None,
    promised_by: date | None,
    tone: str | None,
    greeting: str | None,
    replace: bool = False,
) -> str:
    """The debrief in one line for the history: what was recorded, with whom."""
    said = [f"topic: {t}" for t in topics]
    if replace:
        said.insert(0, "the earlier topics replaced")
    said += [f"skill: {skill}"] if skill else []
    said += ["a note to add"] if note else []
    said += [f"they promised news by {promised_by:%a %d %b %Y}"] if promised_by else []
    said += [f"tone: {tone}"] if tone is not None else []
    said += [f"greeting: {greeting or 'from the name'}"] if greeting is not None else []
    who = f" with{_to(person)[3:]}" if person else ""
    return f"debriefed{who}: " + ("; ".join(said) or "nothing new")


def _addressees(ctx: Context, seq: Seq, step: int) -> list[Interviewer | None]:
    """Whom `step`'s notes are for: those it has notes to, else (a preview) whom the planner
    would write to — a panel's later steps go to one contact (policy.panel_follow_up)."""
    live = {
        n.interviewer_id
        for n in _of_step(ctx, seq.notes, step)
        if n.state is not NoteState.CANCELLED
    }
    if live:
        return [p for p in seq.interviewers if p.id in live] or [None]
    return list(planner.recipients(seq, ctx.policy.step(step), ctx.policy)) or [None]


def check_greeting(text: str, email: str | None) -> str:
    """A form of address as typed ("Ms. Chen"), stripped; "" to go back to the name's."""
    if email is None:
        raise InvalidInput("--greeting needs --interviewer EMAIL: whom it greets")
    text = services.check_text("greeting", text.strip(), limits.GREETING)
    problem = greeting_problem(text)
    if problem:
        raise InvalidInput(problem)
    return text


def _interviewer(seq: Seq, email: str) -> Interviewer:
    for person in seq.interviewers:
        if person.email and person.email.casefold() == email.strip().casefold():
            return person
    raise NotFound(f"no interviewer {email} in interview {seq.interview.id}")


# --- drafts -------------------------------------------------------------------------------


def drafts(
    ctx: Context,
    interview_id: int,
    step: int | None = None,
    email: str | None = None,
) -> list[Draft]:
    """The note due (or the given step's) for each interviewer, rendered, linted and kept.

    Read in a snapshot, without the write lock: a page showing drafts does not wait for a
    sync, an import or the worker writing meanwhile. Only when a draft's text must be kept
    or a note's Message-ID given (its first showing, or after a debrief) is it done again
    under the lock."""
    try:
        with ctx.store.snapshot():
            return _drafts(ctx, interview_id, step, email, keep=False)
    except _Unkept:
        with ctx.store.transaction():
            return _drafts(ctx, interview_id, step, email, keep=True)


class _Unkept(Exception):
    """A read found a draft to keep or a Message-ID to give: the writes need the lock."""


def _drafts(
    ctx: Context, interview_id: int, step: int | None, email: str | None, keep: bool
) -> list[Draft]:
    """`drafts`' work; without `keep`, nothing is written (_Unkept when it must be)."""
    templates = _templates(ctx)
    now = ctx.clock.now()
    seq = services.sequence(ctx, interview_id)
    step = _current_step(seq) if step is None else step
    kind = _kind(ctx, seq, step)
    people = _addressees(ctx, seq, step)
    if email:
        people = [_interviewer(seq, email)]
    stored = ctx.store.note_texts(interview_id)
    debriefs = ctx.store.debriefs(interview_id)
    tone, reason = choose_tone(seq.application.culture, seq.application.tone)
    texts = [_text(ctx, templates, seq, step, p, tone, stored, debriefs) for p in people]
    former = services.former_names(ctx, seq) if any(t.edited for t, _ in texts) else ()
    results = []
    for i, (person, (text, note)) in enumerate(zip(people, texts, strict=True)):
        others = tuple(t.body for j, (t, _) in enumerate(texts) if j != i)
        note_tone, note_reason = tone, reason
        if note is not None and note.sent_at and note.id in stored:
            sent_in = _sent_tone(text.body, person)  # a later --tone changes no sent note
            if sent_in is not None and sent_in is not tone:
                note_tone, note_reason = sent_in, f"{sent_in.value}: the tone it was sent in"
        context = NoteContext(
            kind=kind,
            company=seq.application.company,
            recipient_name=person.name if person else None,
            recipient_email=person.email if person else None,
            topics=_as_cited(_topics(seq, debriefs, person)),
            skill=_skill(debriefs, person),
            tone=note_tone,
            others=others,
            previous=_previous_body(ctx, templates, seq, step, person, tone, stored, debriefs),
            interview_id=interview_id,
            role=seq.application.role,
            greeting=_greeting(person, note_tone),
            former=former if text.edited else (),  # drafted text says the names as they are
        )
        message_id = None
        if note is not None and note.state is NoteState.PENDING:
            unkept = not text.edited and stored.get(note.id) != text
            if not keep and (unkept or not note.message_id):
                raise _Unkept
            if unkept:
                ctx.store.save_draft(note.id, text, now)
            message_id = note.message_id or ctx.store.assign_message_id(
                note.id, _new_message_id(ctx)
            )
        elif note is not None:
            message_id = note.message_id
        thread = _thread(ctx, seq, step, person)
        results.append(
            Draft(
                interview_id=interview_id,
                step=step,
                kind=kind,
                interviewer=person,
                subject=text.subject,
                body=text.body,
                tone=note_tone,
                tone_reason=note_reason,
                findings=_with_fix(seq, person, lint(text.subject, text.body, context)),
                note_id=note.id if note else None,
                message_id=message_id,
                edited=text.edited,
                in_reply_to=thread[0] if thread else None,
                references=tuple(thread),
                sent_at=note.sent_at if note is not None and note.state is NoteState.SENT else None,
            )
        )
    return results


def digest(to: str, subject: str, body: str) -> str:
    """What the user approved, as one value: any change to the note changes it."""
    text = "\0".join((to, subject, body)).encode("utf-8")
    return hashlib.sha256(text).hexdigest()


def digest_of(draft: Draft) -> tuple[str, str]:
    """The draft's recipient, and the digest an approval of it as it is now keeps."""
    to = recipient(draft)
    return to, digest(to, draft.subject, draft.body)


def _digests_now(ctx: Context, interview_id: int, notes: Sequence[Note]) -> dict[int, str]:
    """The digest each of `notes` would be approved with now (drafted once per step); a note
    that cannot be drafted now is left out: it is certainly not as approved."""
    found: dict[int, str] = {}
    for step in sorted({n.step for n in notes}):
        try:
            for d in drafts(ctx, interview_id, step):
                if d.note_id is not None:
                    found[d.note_id] = digest_of(d)[1]
        except (Conflict, InvalidInput):
            continue
    return found


def approve_unchanged(ctx: Context, interview_id: int, kept: dict[int, Approval]) -> int:
    """Give back the approvals `kept` of the interview's pending notes whose text is still
    the one approved (an undo puts the rows back and drops every approval). How many."""
    notes = [
        n for n in ctx.store.notes(interview_id) if n.id in kept and n.state is NoteState.PENDING
    ]
    now = _digests_now(ctx, interview_id, notes)
    given = 0
    for note in notes:
        approval = kept[note.id]
        if now.get(note.id) == approval.digest:
            given += ctx.store.approve_note(
                note.id, approval.at, approval.digest, approval.to, approval.message, approval.seal
            )
    return given


def withdraw_outdated(ctx: Context, interview_ids: Sequence[int]) -> int:
    """Approved notes whose text a change altered (a company or role corrected, a debrief,
    a tone, a greeting) lose their approval: what goes is what the user saw. How many."""
    withdrawn = 0
    when = ctx.clock.now()
    for interview_id in interview_ids:
        approved = [
            n
            for n in ctx.store.notes(interview_id)
            if n.state is NoteState.PENDING and n.approved_at is not None
        ]
        now = _digests_now(ctx, interview_id, approved) if approved else {}
        for note in approved:
            approval = ctx.store.approval(note.id)
            if approval is None or now.get(note.id) != approval[1]:
                withdrawn += ctx.store.withdraw_approval(
                    note.id, when, "its text changed since it was approved: approve it again"
                )
    return withdrawn


def keep_edit(ctx: Context, draft: Draft, subject: str, body: str) -> Draft:
    """Store the user's own text for a pending note; later drafts show it as written.

    The text must be one a message can carry (`check_edit`): a subject that can never be
    sent used to be stored, then `draft --eml` and the .eml link refused it (issue #11)."""
    check_edit(subject, body)
    if draft.note_id is None:
        raise Conflict("only a planned note can be edited: this step is not planned yet")
    if not body.strip():  # a text cleared: start again from the generated one
        return back_to_generated(ctx, draft)
    if (subject, body.rstrip()) == (draft.subject, draft.body.rstrip()):
        return draft  # nothing changed: nothing kept, the approval (if any) stands
    now = ctx.clock.now()
    with ctx.store.transaction():
        note = ctx.store.get_note(draft.note_id)
        assert note is not None
        prior = events.before(ctx, note.interview_id)
        ctx.store.save_draft(draft.note_id, NoteText(subject, body, edited=True), now)
        events.record(
            ctx,
            note.interview_id,
            "drafted",
            f"edited the {wording.kind_label(note.kind)}{_to(draft.interviewer)}",
            prior,
            {"note": note.id},
        )
        # An approved send goes out exactly as approved: a new text needs a new approval.
        ctx.store.withdraw_approval(
            draft.note_id, now, "edited after you approved it: approve it again to send when due"
        )
    return draft._replace(subject=subject, body=body, edited=True)


def back_to_generated(ctx: Context, draft: Draft) -> Draft:
    """Drop the user's own text of a note still to send: it is drafted from the debrief
    again (and follows later corrections). Recorded; undo brings the text back."""
    if draft.note_id is None or not draft.edited:
        return draft  # generated already: nothing to go back from
    now = ctx.clock.now()
    with ctx.store.transaction():
        note = ctx.store.get_note(draft.note_id)
        assert note is not None
        if note.state is not NoteState.PENDING:
            raise Conflict(
                f"the {wording.kind_label(note.kind)} is {note.state.value}: kept as it is"
            )
        prior = events.before(ctx, note.interview_id)
        ctx.store.save_draft(draft.note_id, NoteText(draft.subject, draft.body, edited=False), now)
        events.record(
            ctx,
            note.interview_id,
            "drafted",
            f"went back to the generated {wording.kind_label(note.kind)}{_to(draft.interviewer)}",
            prior,
            {"note": note.id},
        )
        ctx.store.withdraw_approval(
            draft.note_id, now, "its text changed since it was approved: approve it again"
        )
    return draft._replace(edited=False)


def check_edit(subject: str, body: str) -> None:
    """InvalidInput (one line) unless `subject` can be a Subject header and `body` a
    message's text: what composing the message refuses (app/headers.py), said when the text
    is kept rather than when it is sent — raw CR, LF, NUL, \\x0b, \\x0c, \\x1c-\\x1e,
    U+0085, U+2028/U+2029 or an encoded-word that decodes to one."""
    from followup.app.headers import check_header_value  # the email package: ~10 ms

    if "\0" in subject or "\0" in body:
        raise InvalidInput("the note contains a NUL character")
    # the limits an import holds a note to (domain/limits.py): what is kept must move
    for what, text, most in (
        ("subject", subject, limits.NOTE_SUBJECT),
        ("note", body, limits.NOTE_BODY),
    ):
        problem = limits.length_problem(what, text, most)
        if problem:
            raise InvalidInput(problem)
    try:
        check_header_value("Subject", subject)
    except InvalidInput as exc:
        said = str(exc).replace("header Subject", "the subject", 1)
        raise InvalidInput(f"{said}: the subject must be one line") from None


def lint_context(
    ctx: Context, interview_id: int, step: int | None = None, email: str | None = None
) -> NoteContext:
    """What the linter should know about a note of this interview (to this interviewer)."""
    seq = services.sequence(ctx, interview_id)
    person = _interviewer(seq, email) if email else None
    if person is None and len(seq.interviewers) == 1:
        person = seq.interviewers[0]
    tone, _ = choose_tone(seq.application.culture, seq.application.tone)
    debriefs = ctx.store.debriefs(interview_id)
    rows = _mine(debriefs, person)
    if person is None:  # a panel and no interviewer named: any interviewer's topic will do
        rows += [d for d in debriefs if d["interviewer_id"] is not None]
    live = [n for n in seq.notes if n.state is not NoteState.CANCELLED]
    own = [n for n in live if person is None or n.interviewer_id == person.id]
    if step is None:
        pending = [n.step for n in own if n.state is NoteState.PENDING]
        step = min(pending) if pending else None
    kind = None if step is None else _kind(ctx, seq, step)
    others: tuple[str, ...] = ()
    previous = None
    if person is not None and step is not None:
        texts = ctx.store.note_texts(interview_id)
        mine = _of_step(ctx, live, step)
        others = tuple(
            texts[n.id].body for n in mine if n.interviewer_id != person.id and n.id in texts
        )
        before = _of_step(ctx, own, step - 1)
        earlier = [texts[n.id].body for n in before if n.id in texts]
        previous = earlier[-1] if earlier else None
    return NoteContext(
        kind=kind,
        company=seq.application.company,
        recipient_name=person.name if person else None,
        topics=_as_cited(
            _topics(seq, debriefs, person)  # as drafted: never another panellist's topic
            if person is not None
            else dict.fromkeys(d["topic"] for d in rows if d["topic"])
        ),
        skill=_latest(rows, "skill"),
        tone=tone,
        others=others,
        previous=previous,
        interview_id=interview_id,
        role=seq.application.role,
        greeting=_greeting(person, tone) if person is not None or not seq.interviewers else None,
        **services.lint_facts(ctx, seq, person, step),
    )


def lint_note(
    ctx: Context,
    interview_id: int,
    subject: str,
    body: str,
    step: int | None = None,
    email: str | None = None,
) -> tuple[Finding, ...]:
    """`followup lint FILE --interview ID [--interviewer EMAIL]`: the findings, with the fix
    that reaches this interviewer's note as `draft` gives it."""
    context = lint_context(ctx, interview_id, step, email)
    seq = services.sequence(ctx, interview_id)
    person = _interviewer(seq, email) if email else None
    return _with_fix(seq, person, lint(subject, body, context))


def _with_fix(
    seq: Seq, person: Interviewer | None, findings: Sequence[Finding]
) -> tuple[Finding, ...]:
    """The findings, a panellist's missing point with the fix that reaches their note: a
    topic debriefed for the interview goes to the primary contact alone (`_topics`)."""
    if person is None or not person.email or len(seq.interviewers) < 2:
        return tuple(findings)
    iid = seq.interview.id
    shared, own = f"debrief {iid} --topic", f"debrief {iid} --interviewer {person.email} --topic"
    return tuple(
        f._replace(message=f.message.replace(shared, own)) if f.rule == "no-specific-point" else f
        for f in findings
    )


def _sent_tone(body: str, person: Interviewer | None) -> Tone | None:
    """The tone a sent note was written in, told by its greeting line (notes do not store
    their tone): the one tone whose greeting for this person it is, else None."""
    first = body.strip().partition("\n")[0].strip()
    matches = [t for t in Tone if _greeting(person, t).line == first]
    return matches[0] if len(matches) == 1 else None


def _greeting(person: Interviewer | None, tone: Tone) -> Greeting:
    if person is None:
        return greeting_for(tone, None)
    return greeting_for(tone, person.name, person.email, person.greet_as)


def _kind(ctx: Context, seq: Seq, step: int) -> str:
    """The kind of the note planned or sent at `step` (what it is, whatever the policy now
    says), else the kind the policy sends there, or InvalidInput if it sends none."""
    for note in _of_step(ctx, seq.notes, step):
        if note.state is not NoteState.CANCELLED:
            return note.kind
    try:
        return ctx.policy.kind_at(step)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def _current_step(seq: Seq) -> int:
    step = planner.pending_step(seq.notes)
    if step is None:
        status = seq.interview.status.value
        raise Conflict(
            f"interview {seq.interview.id} has no note pending ({status}); use --step N to preview"
        )
    return step


def _thanked(ctx: Context, seq: Seq, person: Interviewer | None) -> bool:
    """This person has (or is to have) a thank-you of their own: someone who became the
    contact without one (added after the follow-up went) gets no "Re:" of a mail they never
    had."""
    wanted = person.id if person else None
    return any(
        n.interviewer_id == wanted and n.state not in (NoteState.CANCELLED, NoteState.FAILED)
        for n in _of_step(ctx, seq.notes, ctx.policy.steps[0].number)
    )


def _of_step(ctx: Context, notes: Sequence[Note], step: int) -> list[Note]:
    """The notes of `step`: a step of the policy's by `planner.notes_by_step` (a renamed
    step's notes included, a dropped step's left out); a step it no longer lists by the
    number the notes were planned at (`draft --step 3` shows the final sent before)."""
    mapped = planner.notes_by_step(notes, ctx.policy)
    if step in mapped:
        return mapped[step]
    kept = {id(n) for ns in mapped.values() for n in ns}
    return [n for n in notes if n.step == step and id(n) not in kept]


def _note_for(ctx: Context, seq: Seq, step: int, person: Interviewer | None) -> Note | None:
    wanted = person.id if person else None
    live = [
        n
        for n in _of_step(ctx, seq.notes, step)
        if n.interviewer_id == wanted and n.state is not NoteState.CANCELLED
    ]
    return live[-1] if live else None


def _text(
    ctx: Context,
    templates: Templates,
    seq: Seq,
    step: int,
    person: Interviewer | None,
    tone: Tone,
    stored: dict[int, NoteText],
    debriefs: list[dict[str, Any]],
) -> tuple[NoteText, Note | None]:
    note = _note_for(ctx, seq, step, person)
    if note is not None and note.id in stored and (stored[note.id].edited or note.sent_at):
        return stored[note.id], note  # the user's words, or what actually went out
    first_subject = ""  # a later note answers the thank-you this person had, if any
    if step > 1 and _thanked(ctx, seq, person):
        first, _ = _text(ctx, templates, seq, 1, person, tone, stored, debriefs)
        first_subject = first.subject
    topics = _topics(seq, debriefs, person)
    kind = _kind(ctx, seq, step)
    position = seq.interviewers.index(person) if person in seq.interviewers else 0
    position += _met_before(ctx, seq)
    facts = NoteFacts(
        kind=kind,
        tone=tone,
        company=seq.application.company,
        role=seq.application.role,
        recipient_name=person.name if person else None,
        recipient_email=person.email if person else None,
        greet_as=person.greet_as if person else None,
        # a later note adds something new: the next topic discussed, where there is one
        topic=topics[(step - 1) % len(topics)] if topics else None,
        skill=_skill(debriefs, person),
        news=_news(debriefs, person),
        sender=ctx.sender_name,
        first_subject=first_subject,
        colleagues=len(seq.interviewers) > 1 or seq.interview.round > 1,
        promised=seq.interview.expect_by,
        # the same for every note of this step to this panel, one apart per panellist, the
        # earlier rounds' people counted first: colleagues met in different rounds compare
        # notes, and someone met again is at another place than last round's
        variant=phrasing(f"{kind}|{seq.application.company}|{seq.application.role}", position),
    )
    rendered = templates.render(facts.kind, tone.value, template_variables(facts))
    subject, body = split_subject(tidy(rendered))
    if not first_subject and _EMPTY_REPLY.fullmatch(subject):
        # a template of one's own written as "Re: {{ first_subject }}", to someone who never
        # had the thank-you: not a "Re:" of nothing
        subject = f"Our conversation about the {seq.application.role} position"
    return NoteText(subject, body, edited=False), note


def _met_before(ctx: Context, seq: Seq) -> int:
    """How many people the application's rounds before this one met (one query, for a
    later round only): where this round's panel starts in the phrasings' order."""
    if seq.interview.round == 1:
        return 0
    held = ctx.store.rounds_held([seq.application.id]).get(seq.application.id, [])
    return sum(len(r.people) for r in held if r.start < seq.interview.start)


_EMPTY_REPLY = re.compile(r"\s*(?:re|aw|sv|wg|fw|fwd)\s*:?\s*", re.IGNORECASE)


def _previous_body(
    ctx: Context,
    templates: Templates,
    seq: Seq,
    step: int,
    person: Interviewer | None,
    tone: Tone,
    stored: dict[int, NoteText],
    debriefs: list[dict[str, Any]],
) -> str | None:
    if step == 1:
        return None
    text, _ = _text(ctx, templates, seq, step - 1, person, tone, stored, debriefs)
    return text.body


def _mine(debriefs: list[dict[str, Any]], person: Interviewer | None) -> list[dict[str, Any]]:
    """This person's debrief rows first, then the interview's shared ones."""
    own = [d for d in debriefs if person is not None and d["interviewer_id"] == person.id]
    shared = [d for d in debriefs if d["interviewer_id"] is None]
    return own + shared


def _topics(seq: Seq, debriefs: list[dict[str, Any]], person: Interviewer | None) -> list[str]:
    """This person's own topics; the interview's shared ones (`add --topic`, `debrief ID
    --topic`) too if they are the panel's primary contact (or the only interviewer), and
    nobody else debriefed them as theirs. A topic debriefed for one person never goes into
    another's note: in a panel, whoever has none of their own gets a note without the
    specific sentence, which lint blocks with the fix (`debrief ID --interviewer EMAIL`)."""
    mine = person.id if person is not None else None
    rows = [d for d in debriefs if person is not None and d["interviewer_id"] == mine]
    if person is None or person == planner.primary_contact(seq.interviewers):
        claimed = {
            d["topic"].casefold()
            for d in debriefs
            if d["topic"] and d["interviewer_id"] is not None and d["interviewer_id"] != mine
        }
        rows += [
            d
            for d in debriefs
            if d["interviewer_id"] is None and d["topic"] and d["topic"].casefold() not in claimed
        ]
    return list(dict.fromkeys(d["topic"] for d in rows if d["topic"]))


def _as_cited(topics: Iterable[str]) -> tuple[str, ...]:
    """The topics as a note cites them, for lint: without an aside typed after them."""
    return tuple(dict.fromkeys(topic_aside(t)[0] for t in topics))


def _skill(debriefs: list[dict[str, Any]], person: Interviewer | None) -> str | None:
    return _latest(_mine(debriefs, person), "skill")


def _news(debriefs: list[dict[str, Any]], person: Interviewer | None) -> str | None:
    return _latest(_mine(debriefs, person), "note")


def _latest(rows: list[dict[str, Any]], key: str) -> str | None:
    """The value given last — the person's own before the interview's (`_mine`): a skill
    typed again is a correction ("Tablaeu", then "Tableau"), not a second skill."""
    own = [d for d in rows if d["interviewer_id"] is not None]
    shared = [d for d in rows if d["interviewer_id"] is None]
    return next((d[key] for d in [*reversed(own), *reversed(shared)] if d[key]), None)


def _thread(ctx: Context, seq: Seq, step: int, person: Interviewer | None) -> list[str]:
    """Message-IDs of this person's earlier notes, oldest first (for In-Reply-To/References):
    those planned at or before `step` that are not its own (a dropped step's included)."""
    wanted = person.id if person else None
    mine = {id(n) for n in _of_step(ctx, seq.notes, step)}
    earlier = [
        n
        for n in seq.notes
        if n.step <= step
        and id(n) not in mine
        and n.interviewer_id == wanted
        and n.message_id
        and n.state in (NoteState.SENT, NoteState.PENDING, NoteState.SENDING, NoteState.UNKNOWN)
    ]
    return [n.message_id for n in sorted(earlier, key=lambda n: n.step) if n.message_id]


def _new_message_id(ctx: Context) -> str:
    """A fresh, unguessable Message-ID, fixed before the first send attempt (at-most-once).

    Made here rather than with email.utils.make_msgid, whose import (socket and friends)
    costs more than the rest of a draft.
    """
    import os

    domain = ctx.sender_email.rpartition("@")[2] or "followup.invalid"
    stamp = ctx.clock.now().strftime("%Y%m%d%H%M%S")
    return f"<{stamp}.{os.urandom(8).hex()}@{domain}>"


def _templates(ctx: Context) -> Templates:
    if ctx.templates is None:
        raise Conflict("no note templates configured")
    return ctx.templates


def recipient(draft: Draft) -> str:
    """The draft's To ("Lovelace, Ada" quoted), or one line saying how to add an address."""
    person = draft.interviewer
    if person is None:  # a trial: "--interviewer" named no command that adds one
        raise InvalidInput(
            f"no interviewer recorded for interview {draft.interview_id}: add whom you met"
            f' with followup edit {draft.interview_id} --add-interviewer "Name <address>"'
        )
    if not person.email:
        raise InvalidInput(
            f"no e-mail address for {person.name}: add it with followup edit"
            f' {draft.interview_id} --interviewer "{person.name}" --email ADDRESS'
        )
    from followup.domain.names import parse_name

    # No real name known ("mei.lin" from the address): the bare address, no invented name.
    # One typed all in lower (or upper) case is written as the greeting writes it ("john
    # smith" -> "John Smith"): the recipient sees their own name in the header.
    parsed = parse_name(person.name, person.email)
    name = "" if not parsed.known else person.name
    if name and (name.islower() or name.isupper()):  # shouted, too ("DR. ALAN TURING")
        name = parsed.full
    return format_mailbox(name, person.email)
