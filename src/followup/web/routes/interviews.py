"""One interview: its timeline, the debrief form, and each interviewer's draft (lint, edit,
.eml, save to Drafts, send)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, NamedTuple

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from followup.app import drafting, feedback, services, views, wording
from followup.app.context import Context
from followup.app.errors import Conflict, FollowupError, InvalidInput
from followup.app.parse import parse_date, person_label, tone_names
from followup.app.timeline import timeline
from followup.domain import planner
from followup.domain.model import NoteState
from followup.web import pages
from followup.web.conversations import Busy, conversations_of
from followup.web.deps import (
    Config,
    Ctx,
    CurrentSession,
    borrowed_context,
    close_context,
    home_of,
    is_fragment,
    open_as,
    server_user,
)
from followup.web.editform import edit_values
from followup.web.jobs import CONNECT_TIMEOUT, SETTLE, Job, Jobs, Outcome, jobs_of
from followup.web.plain import plain
from followup.web.routes import IdPath
from followup.web.undo import done, history_values, landing, last_change, offer_undo

router = APIRouter()

StepQuery = Annotated[int | None, Query(ge=1, description="This step (default: the due one).")]
WhoQuery = Annotated[str | None, Query(description="Only the note to this e-mail address.")]


# --- reading ------------------------------------------------------------------------------


class MailState(NamedTuple):
    can_send: bool
    can_draft: bool
    hint: str  # why a button is disabled, or how sending works here


def mail_state(home: str | None) -> MailState:
    """What the configured account allows, read from the settings (no connection made)."""
    from followup.bootstrap import MailSetup

    try:
        account = MailSetup(home).account
    except FollowupError as exc:
        return MailState(
            False, False, plain(f"Mail is not set up: {exc}. See Settings → Mail account.")
        )
    can_draft = account.imap is not None
    can_send = account.smtp is not None and account.mode == "send"
    if account.smtp is None and account.imap is None:
        hint = "Mail is not set up: give your address under Settings → Mail account."
    elif account.mode != "send":
        hint = (
            "Notes go to your Drafts folder, for you to send (to send from here: Settings →"
            " Mail account → Server settings, Notes go: out by mail)."
        )
    elif account.smtp is None:
        hint = "Sending needs an SMTP server: Settings → Mail account → Server settings."
    else:
        hint = "Sends to exactly this person, at most once."
    return MailState(can_send, can_draft, hint)


def _timeline_rows(ctx: Context, detail: services.Detail) -> list[dict[str, Any]]:
    # keyed as the timeline names people (a name that looks like an address comes with it)
    zones = {
        person_label(p.name, p.email): p.tz or detail.interview.tz for p in detail.interviewers
    }
    rows = []
    for event in timeline(detail, ctx.policy, ctx.clock.now()):
        theirs = zones.get(event.who or "", detail.interview.tz)
        rows.append(
            {
                "event": event,
                "mine": pages.local(event.at, ctx.user_tz) if event.at else "",
                "theirs": pages.local(event.at, theirs) if event.at else "",
                "theirs_tz": theirs,
                "state": "done" if event.done else ("next" if event.at else "later"),
            }
        )
    return rows


def _draft_cards(
    ctx: Context, notes: list[drafting.Draft], jobs: Jobs | None = None
) -> list[dict[str, Any]]:
    cards = []
    # a thank-you the agenda says to let go (met again since, or past its moment): its card
    # says so before Send, which sends it all the same (the user's choice, named)
    let_go = {
        note_id: why
        for iid in {d.interview_id for d in notes if d.note_id is not None}
        for note_id, why in services.let_go_reasons(ctx, iid).items()
    }
    for i, d in enumerate(notes):
        email = d.interviewer.email if d.interviewer and d.interviewer.email else ""
        eml_hint = ""
        if not ctx.sender_email:
            eml_hint = "Give your address first: Settings → You."
        elif not email:
            eml_hint = "No e-mail address for this interviewer."
        elif d.message_id is None:
            eml_hint = "This step is not planned yet."
        approval = ctx.store.approval(d.note_id) if d.note_id is not None else None
        cards.append(
            {
                "d": d,
                # approved to go out by itself when due (Send when due): when it was
                "approved_at": approval[0] if approval else None,
                "dom_id": f"draft-{d.step}-{i}",
                "email": email,
                "eml_hint": eml_hint,
                "errors": sum(1 for f in d.findings if f.severity == "error"),
                "let_go": let_go.get(d.note_id) if d.note_id is not None else None,
                # Send / Save to Drafts running in the background, or its outcome (shown once)
                "job": jobs.show(job_key(d.interview_id, email)) if jobs and email else None,
            }
        )
    return cards


def _job_cards(
    ctx: Context, interview_id: int, cards: list[dict[str, Any]], jobs: Jobs | None
) -> list[dict[str, Any]]:
    """The mail jobs of notes the page shows no card for: one being sent is not pending (the
    page's drafts are the pending step's), so its "Sending…" and outcome show on their own."""
    if jobs is None:
        return []
    shown = {job_key(interview_id, c["email"]) for c in cards if c["email"]}
    mine = job_key(interview_id, "")[:2]
    extra: list[dict[str, Any]] = []
    for key in jobs.keys(lambda k: isinstance(k, tuple) and k[:2] == mine and k not in shown):
        job = jobs.show(key)
        if job is None or job.step is None:
            continue
        try:
            draft = _one_draft(ctx, interview_id, job.step, str(key[2]))  # type: ignore[index]
        except FollowupError:  # the person or the step is gone since: nothing to show it on
            continue
        [card] = _draft_cards(ctx, [draft])
        card["dom_id"] = f"draft-{draft.step}-{len(cards) + len(extra)}"
        card["job"] = job
        extra.append(card)
    return extra


def job_key(interview_id: int, email: str) -> tuple[int | None, int, str]:
    """One mail job per note at a time: the note is the interview's pending one for this
    person. Server mode: the seeker's id is part of it (nobody sees another's job)."""
    user = server_user()
    return (user[1] if user else None, interview_id, email.strip().lower())


def interview_values(
    ctx: Context,
    home: str | None,
    interview_id: int,
    step: int | None = None,
    every_change: bool = False,
    jobs: Jobs | None = None,
) -> dict[str, Any]:
    """`jobs`: the app's mail jobs, whose state each draft card shows (web/jobs.py)."""
    from followup.bootstrap import holiday_countries  # the holidays package: pages only

    detail = services.show(ctx, interview_id)
    panel = [p for p in detail.interviewers if detail.reachable(p)]  # who notes can reach
    notes: list[drafting.Draft] = []
    drafts_note = ""
    try:
        notes = drafting.drafts(ctx, interview_id, step)
    except (Conflict, InvalidInput) as exc:
        drafts_note = str(exc)  # the page says it with `plain`
    cards = _draft_cards(ctx, notes, jobs)
    # a note that went out (or failed) is no longer sendable: its card says so instead —
    # unless the page's own job just sent it, whose outcome (and Undo) the card shows
    settled = {n.id: n for n in detail.notes if n.state is not NoteState.PENDING}
    for card in cards:
        note = settled.get(card["d"].note_id)
        if note is not None and card.get("job") is None:
            card["settled"] = note
    return {
        **history_values(ctx, interview_id, every_change),
        **edit_values(detail),
        "detail": detail,
        "interview": detail.interview,
        "application": detail.application,
        # a panel's contact for the notes after the thank-you (none to mark for one person)
        "contact": detail.contact if len(panel) > 1 else None,
        # whom "mark sent" / "they replied" may name, for a panel
        "panel_emails": [p.email for p in detail.interviewers if p.email and not p.removed],
        "markable_emails": services.markable(detail),
        # the step "mark sent" means: refused if it is recorded meanwhile (another tab)
        "pending_step": planner.pending_step(detail.notes),
        "rows": _timeline_rows(ctx, detail),
        "debriefed": _debriefed(detail),
        "countries": holiday_countries(),  # the edit form's country <select>
        "cards": cards,
        "job_cards": _job_cards(ctx, interview_id, cards, jobs),
        "drafts_note": drafts_note,
        # the notes a recipient's server refused, each with its reason and a Try again
        "failed": [
            {"f": f, "reason": feedback.mail_problem(f.reason).text if f.reason else ""}
            for f in services.failed_notes(ctx, interview_id)
        ],
        "step": step,
        "max_notes": ctx.policy.max_notes,
        "user_tz": ctx.user_tz,
        "now": ctx.clock.now(),
        "mail": mail_state(home),
        "tones": tone_names(),
        "debrief_error": "",
        "form": {},
        "flash_at": None,
        "action_error": None,  # {"action": …, "message": …}: an action refused, said by it
    }


def _debriefed(detail: services.Detail) -> list[dict[str, Any]]:
    """The debrief as the notes use it, per person (the whole interview first): their topics
    in the order the notes cite them, the skill and the note given last."""
    people = {p.id: person_label(p.name, p.email) for p in detail.interviewers}
    out: dict[int | None, dict[str, Any]] = {}
    for row in detail.debriefs:
        whose = row["interviewer_id"]
        entry = out.setdefault(
            whose, {"who": people.get(whose, "the whole interview"), "topics": [], "skill": ""}
        )
        if row["topic"] and row["topic"] not in entry["topics"]:
            entry["topics"].append(row["topic"])
        entry["skill"] = row["skill"] or entry["skill"]
        entry["note"] = row["note"] or entry.get("note", "")
    return [e for e in out.values() if e["topics"] or e["skill"] or e.get("note")]


@router.get("/interviews/{interview_id}", include_in_schema=False)
def interview_page(
    request: Request,
    interview_id: IdPath,
    ctx: Ctx,
    config: Config,
    step: StepQuery = None,
    history: Annotated[str | None, Query(pattern="^all$")] = None,
    at: Annotated[str | None, Query(pattern="^(drafts|history|edit)$")] = None,
    debrief: Annotated[
        str | None, Query(max_length=320, description="The Debrief form about this person.")
    ] = None,
    correct: Annotated[
        str | None, Query(max_length=320, description="Edit open at this person's address.")
    ] = None,
) -> Response:
    values = interview_values(
        ctx, config.home, interview_id, step, every_change=bool(history), jobs=jobs_of(request)
    )
    values["flash_at"] = at  # the notices show in that section (undo.landing)
    if debrief:  # a draft's "Debrief Grace Hopper": the form with that interviewer chosen
        values["form"] = {"interviewer": debrief.strip().lower()}
    if correct:  # "address bounced: correct it": Edit open at that person's address
        values["correct"] = correct.strip().lower()
    return pages.render(request, "interview.html", **values)


@router.get(
    "/api/interviews/{interview_id}",
    tags=["interviews"],
    summary="One interview, its people, notes and debrief: `followup show ID --json`",
)
def api_interview(interview_id: IdPath, ctx: Ctx) -> dict[str, Any]:
    return views.detail(services.show(ctx, interview_id))


@router.get(
    "/api/interviews/{interview_id}/drafts",
    tags=["interviews"],
    summary="The due note for each interviewer, linted: `followup draft ID --json`",
)
def api_drafts(
    interview_id: IdPath, ctx: Ctx, step: StepQuery = None, interviewer: WhoQuery = None
) -> dict[str, Any] | list[dict[str, Any]]:
    """An object for one interviewer (or `interviewer=`), a list for a panel — as the CLI."""
    return views.drafts(drafting.drafts(ctx, interview_id, step, interviewer))


def refused_page(
    request: Request,
    interview_id: int,
    action: str,
    message: str,
    status: int,
    form: dict[str, str],
) -> Response:
    """An interview page's action refused (409: it does not fit the state, 400: bad input):
    the page again with the message by the button that caused it, what was typed kept —
    not a bare error page (issue #16). Called by the app's error handler."""
    with borrowed_context(request) as ctx:
        values = interview_values(ctx, home_of(request), interview_id, jobs=jobs_of(request))
        values["action_error"] = {"action": action, "message": message}
        if action == "debrief":
            values["debrief_error"] = message
            values["form"] = form
        elif action == "drafts":  # the card it came from shows it, with the text as typed
            for card in values["cards"]:
                if card["email"] == form.get("interviewer", "") and str(card["d"].step) == form.get(
                    "step"
                ):
                    card["error"] = message
                    card["typed"] = {
                        "subject": form.get("subject", ""),
                        "body": form.get("body", ""),
                    }
        return pages.render(request, "interview.html", status=status, **values)


# --- debrief ------------------------------------------------------------------------------


class DebriefIn(BaseModel):
    interviewer: str | None = Field(default=None, description="Whom this part is about (e-mail).")
    topics: list[str] = Field(default_factory=list, description="Specific points discussed.")
    skill: str | None = None
    note: str | None = Field(default=None, description="Something new to add in a later note.")
    promised_by: str | None = Field(
        default=None, description="A promised decision date (YYYY-MM-DD)."
    )
    tone: str | None = Field(default=None, description=f"One of {', '.join(tone_names())}.")
    greeting: str | None = Field(
        default=None,
        description='How to address the interviewer ("Ms. Chen"); "" goes back to their name.',
    )
    replace: bool = Field(
        default=False, description="The topics replace the ones given before (a correction)."
    )


def debrief(ctx: Context, interview_id: int, given: DebriefIn) -> drafting.Debriefed:
    """`followup debrief ID --interviewer … --topic … …` (non-interactive)."""
    topics = [t.strip() for t in given.topics if t.strip()]
    skill = (given.skill or "").strip() or None
    note = (given.note or "").strip() or None
    tone = given.tone or None
    promised = parse_date(given.promised_by) if given.promised_by else None
    if not (topics or skill or note or promised or tone or given.greeting is not None):
        raise InvalidInput(
            "nothing to record: give a topic, a skill, a note, a promised date or a greeting"
        )
    return drafting.debrief(
        ctx,
        interview_id,
        email=(given.interviewer or "").strip() or None,
        topics=topics,
        skill=skill,
        note=note,
        promised_by=promised,
        tone=tone,
        greeting=given.greeting,
        replace=given.replace,
    )


@router.post("/interviews/{interview_id}/debrief", include_in_schema=False)
def debrief_form(
    request: Request,
    interview_id: IdPath,
    ctx: Ctx,
    config: Config,
    session: CurrentSession,
    interviewer: Annotated[str, Form()] = "",
    topics: Annotated[str, Form()] = "",
    skill: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    promised_by: Annotated[str, Form()] = "",
    tone: Annotated[str, Form()] = "",
    greeting: Annotated[str, Form()] = "",
    replace: Annotated[str, Form()] = "",
) -> Response:
    given = DebriefIn(
        interviewer=interviewer,
        topics=topics.splitlines(),
        skill=skill,
        note=note,
        promised_by=promised_by,
        tone=tone,
        greeting=greeting.strip() or None,  # an empty field keeps the greeting as it is
        replace=bool(replace),
    )
    since = last_change(ctx, interview_id)
    try:
        result = debrief(ctx, interview_id, given)
    except InvalidInput as exc:
        values = interview_values(ctx, config.home, interview_id, jobs=jobs_of(request))
        values["debrief_error"] = str(exc)
        values["form"] = {
            "interviewer": interviewer,
            "topics": topics,
            "skill": skill,
            "note": note,
            "promised_by": promised_by,
            "tone": tone,
            "greeting": greeting,
            "replace": replace,
        }
        return pages.render(request, "interview.html", status=400, **values)
    said = wording.debriefed(
        [result], given.greeting, interviewer, "give it again with “these replace…” ticked"
    )
    said += [f"Note: {line}." for line in result.warnings]
    session.flash(" ".join(said))
    offer_undo(ctx, session, interview_id, since)
    return RedirectResponse(landing(interview_id, "drafts"), status_code=303)


@router.post(
    "/api/interviews/{interview_id}/debrief",
    tags=["interviews"],
    summary="Record what you discussed: `followup debrief ID … --json`",
)
def api_debrief(interview_id: IdPath, ctx: Ctx, body: DebriefIn) -> dict[str, Any]:
    debrief(ctx, interview_id, body)
    return views.debriefed(interview_id, services.show(ctx, interview_id).debriefs)


# --- drafts: edit, .eml, send -------------------------------------------------------------


class EditIn(BaseModel):
    step: int = Field(ge=1)
    interviewer: str | None = Field(default=None, description="The note to this e-mail address.")
    subject: str
    body: str


def _one_draft(ctx: Context, interview_id: int, step: int, email: str | None) -> drafting.Draft:
    notes = drafting.drafts(ctx, interview_id, step, email or None)
    if not email and len(notes) > 1:
        raise InvalidInput("a panel: say which interviewer's note this is")
    return notes[0]


def keep_edit(ctx: Context, interview_id: int, edit: EditIn) -> drafting.Draft:
    """Keep the user's text (as `draft --edit` does), then draft again: re-linted."""
    subject, body = _typed(edit.subject, edit.body)
    drafting.check_edit(subject, body)  # before looking the note up: the use-case's check
    draft = _one_draft(ctx, interview_id, edit.step, edit.interviewer)
    drafting.keep_edit(ctx, draft, subject or draft.subject, body)
    return _one_draft(ctx, interview_id, edit.step, edit.interviewer)


WITHDRAWN = (
    "It was approved to go out by itself when due: not any more, as its text changed."
    " “Send when due” approves it again."
)


def _typed(subject: str, body: str) -> tuple[str, str]:
    """A card's fields as the note keeps them: browsers send CRLF from a textarea."""
    return subject.replace("\r\n", "\n").strip(), body.replace("\r\n", "\n")


def _keep_what_is_typed(
    ctx: Context, interview_id: int, step: int | None, email: str, subject: str, body: str
) -> str:
    """Send (or Send when due) from a card whose text was changed and not kept: what goes
    is what the card shows, so it is kept (and checked) first. "" when it is kept or
    unchanged, else why not (the send does not happen)."""
    if step is None or not email:
        return ""
    draft = _one_draft(ctx, interview_id, step, email)
    typed_subject, typed_body = _typed(subject, body)
    if (typed_subject or draft.subject, typed_body.strip()) == (draft.subject, draft.body.strip()):
        return ""
    try:
        keep_edit(
            ctx, interview_id, EditIn(step=step, interviewer=email, subject=subject, body=body)
        )
    except (Conflict, InvalidInput) as exc:
        return f"your changed text could not be kept: {exc}"
    return ""


@router.post("/interviews/{interview_id}/drafts", include_in_schema=False)
def edit_form(
    request: Request,
    interview_id: IdPath,
    ctx: Ctx,
    config: Config,
    session: CurrentSession,
    step: Annotated[int, Form(ge=1)],
    subject: Annotated[str, Form()],
    body: Annotated[str, Form()],
    interviewer: Annotated[str, Form()] = "",
    dom_id: Annotated[str, Form()] = "",
) -> Response:
    since = last_change(ctx, interview_id)
    approved = {n.id for n in ctx.store.notes(interview_id) if n.approved_at is not None}
    draft = keep_edit(
        ctx, interview_id, EditIn(step=step, interviewer=interviewer, subject=subject, body=body)
    )
    withdrawn = draft.note_id in approved  # what goes is what was approved: approve again
    if is_fragment(request, "draft-"):
        card = _draft_cards(ctx, [draft], jobs_of(request))[0]
        if re.fullmatch(r"draft-\d-\d{1,3}", dom_id):
            card["dom_id"] = dom_id
        return pages.render(
            request,
            "_draft.html",
            card=card,
            saved=True,
            withdrawn=WITHDRAWN if withdrawn else "",
            mail=mail_state(config.home),
            done=done(ctx, interview_id, since),
        )
    session.flash("Your text is kept; the linter checked it again.")
    if withdrawn:
        session.flash(WITHDRAWN)
    offer_undo(ctx, session, interview_id, since)
    return RedirectResponse(landing(interview_id, "drafts"), status_code=303)


@router.put(
    "/api/interviews/{interview_id}/drafts",
    tags=["interviews"],
    summary="Keep your own text for a note; returns it re-linted (`draft --edit`, then --json)",
)
def api_edit(interview_id: IdPath, ctx: Ctx, body: EditIn) -> dict[str, Any]:
    return views.draft(keep_edit(ctx, interview_id, body))


@router.get(
    "/interviews/{interview_id}/eml",
    tags=["interviews"],
    summary="A draft as an RFC 5322 message (`followup draft ID --eml FILE`)",
    response_class=Response,
    responses={200: {"content": {"message/rfc822": {}}}},
)
def eml(
    interview_id: IdPath, ctx: Ctx, step: StepQuery = None, interviewer: WhoQuery = None
) -> Response:
    from followup.app.sending import draft_as_eml
    from followup.bootstrap import composer

    notes = drafting.drafts(ctx, interview_id, step, interviewer or None)
    if len(notes) > 1:
        raise InvalidInput("a panel: say which interviewer's note (interviewer=…)")
    [file] = draft_as_eml(ctx, composer(), notes)
    return Response(
        file.data,
        media_type="message/rfc822",
        headers={"content-disposition": f'attachment; filename="{file.name}"'},
    )


class SendIn(BaseModel):
    interviewer: str | None = Field(
        default=None, description="Only the note to this e-mail address."
    )
    drafts: bool = Field(
        default=False, description="Save to your Drafts folder instead of sending."
    )
    when_due: bool = Field(
        default=False,
        description="Send nothing now: approve the note as it is to go out at its due time"
        " (`followup serve` sends it then, or a running `followup worker`):"
        " `followup send ID --when-due`.",
    )


def send(
    ctx: Context,
    home: str | None,
    interview_id: int,
    given: SendIn,
    notice: Callable[[str], None] | None = None,
) -> list[Any]:
    """`followup send ID [--interviewer E] [--drafts]`: at most once, every outcome recorded;
    new mail read first, as the CLI does. The dashboard's mail calls connect within 4 s and
    do not retry: a refused or unreachable server is said at once (web/jobs.py)."""
    from followup.app import sending
    from followup.bootstrap import MailSetup

    setup = MailSetup(home, connect_timeout=CONNECT_TIMEOUT)
    try:
        if given.when_due:
            from followup.app import dispatch

            return dispatch.schedule(
                ctx, lambda: setup.outbox(ctx.sender_name), interview_id, given.interviewer
            )
        to_drafts = given.drafts or setup.account.mode == "drafts"
        outbox = setup.outbox(ctx.sender_name)
        return sending.send_interview(
            ctx,
            outbox,
            interview_id,
            given.interviewer or None,
            to_drafts=to_drafts,
            read_inbox=setup.inbox_reader(ctx),
            notice=notice or _quiet,
            backoff=(),
        )
    finally:
        setup.close()


def _quiet(line: str) -> None:
    """The JSON twin's notices: its rows say what happened."""


def send_outcome(
    ctx: Context, home: str | None, interview_id: int, given: SendIn, sender: str = "off"
) -> Outcome:
    """Send, Save to Drafts or Send when due, as the button shows it: each note's outcome in
    plain words (app/feedback.py), "Done: … — Undo" for a change, or the refusal. `sender`:
    what sends an approved note when due (WebConfig.sender)."""
    from followup.app.feedback import refusal
    from followup.app.feedback import send_outcome as said_of
    from followup.app.mailports import MailError

    mode = "when-due" if given.when_due else "drafts" if given.drafts else "send"
    since = last_change(ctx, interview_id)
    notices: list[str] = []
    try:
        results = send(ctx, home, interview_id, given, notices.append)
    except (FollowupError, MailError) as exc:
        return Outcome([refusal(str(exc), notices, mode)])
    return Outcome(
        [said_of(r, mode, sender) for r in results],
        done(ctx, interview_id, since),
        left=any(r.outcome == "sent" for r in results),
    )


def _send_job(
    home: str | None, user: tuple[str | None, int] | None, interview_id: int, given: SendIn
) -> Outcome:
    """The background half of Send / Save to Drafts: a context of its own, closed after."""
    ctx = open_as(home, user)
    try:
        return send_outcome(ctx, home, interview_id, given)
    finally:
        close_context(ctx)


def _mail_region(
    request: Request,
    ctx: Context,
    home: str | None,
    interview_id: int,
    step: int,
    email: str,
    dom_id: str,
    job: Job | None,
) -> Response:
    """The draft's Send / Save to Drafts region (`_mail.html`), as htmx swaps it in."""
    [card] = _draft_cards(ctx, [_one_draft(ctx, interview_id, step, email)])
    if re.fullmatch(r"draft-\d-\d{1,3}", dom_id):
        card["dom_id"] = dom_id
    card["job"] = job
    return pages.render(request, "_mail.html", card=card, d=card["d"], mail=mail_state(home))


@router.post("/interviews/{interview_id}/send", include_in_schema=False)
def send_form(
    request: Request,
    interview_id: IdPath,
    ctx: Ctx,
    config: Config,
    interviewer: Annotated[str, Form()] = "",
    mode: Annotated[str, Form(pattern="^(send|drafts|when-due)$")] = "drafts",
    step: Annotated[int | None, Form(ge=1)] = None,
    dom_id: Annotated[str, Form()] = "",
    subject: Annotated[str | None, Form()] = None,
    body: Annotated[str | None, Form()] = None,
) -> Response:
    """Answers at once: Send and Save to Drafts run as a background job (web/jobs.py) whose
    state the button's region shows — swapped in by htmx, or on the page after the redirect
    (#drafts) without JavaScript. Send when due talks to no server: done here. The card's
    text comes along (htmx): changed and not kept yet, it is kept first."""
    given = SendIn(
        interviewer=interviewer or None, drafts=mode == "drafts", when_due=mode == "when-due"
    )
    services.find_interview(ctx, interview_id)  # an unknown id: the 404 page, now
    jobs = jobs_of(request)
    key = job_key(interview_id, interviewer)
    unkept = ""
    if body is not None:
        unkept = _keep_what_is_typed(ctx, interview_id, step, interviewer, subject or "", body)
    if unkept:
        from followup.app.feedback import refusal

        job = jobs.finished(key, mode, Outcome([refusal(unkept, [], mode)]), step)
    elif given.when_due:
        outcome = send_outcome(ctx, config.home, interview_id, given, config.sender)
        job = jobs.finished(key, "when-due", outcome, step)
    elif (running := jobs.peek(key)) is not None and running.running:
        job = running  # a second click on this note: its job, still going
    else:
        from followup.app.feedback import refusal

        user = server_user()
        try:  # server mode: the seeker's one mail turn, held by the job till it ends
            turn = conversations_of(request).take(user)
        except (Conflict, Busy) as exc:
            job = jobs.finished(key, mode, Outcome([refusal(str(exc), [], mode)]), step)
        else:
            work = partial(_send_job, config.home, user, interview_id, given)
            job = jobs.settle(jobs.start(key, mode, work, step, turn), SETTLE)
    if is_fragment(request, "draft-") and interviewer and step is not None:
        shown = jobs.show(key) if not job.running else job
        return _mail_region(
            request, ctx, config.home, interview_id, step, interviewer, dom_id, shown
        )
    return RedirectResponse(f"/interviews/{interview_id}#drafts", status_code=303)


@router.get("/interviews/{interview_id}/mail-status", include_in_schema=False)
def mail_status(
    request: Request,
    interview_id: IdPath,
    ctx: Ctx,
    config: Config,
    interviewer: str,
    step: Annotated[int, Query(ge=1)],
    dom_id: str = "",
) -> Response:
    """The region again, while its job runs (htmx asks every half second) and once when done."""
    job = jobs_of(request).show(job_key(interview_id, interviewer))
    return _mail_region(request, ctx, config.home, interview_id, step, interviewer, dom_id, job)


@router.post(
    "/api/interviews/{interview_id}/send",
    tags=["interviews"],
    summary="Send the due note (or save it to Drafts): `followup send ID --json`",
)
def api_send(
    request: Request, interview_id: IdPath, ctx: Ctx, config: Config, body: SendIn | None = None
) -> list[Any]:
    """Waits for the outcome, as the CLI does (the button's own POST does not). Server
    mode: one send or mail check per seeker at a time, a second refused at once (409)."""
    given = body or SendIn()
    if given.when_due:  # talks to no mail server
        results = send(ctx, config.home, interview_id, given)
    else:
        with conversations_of(request).held(server_user()):
            results = send(ctx, config.home, interview_id, given)
    return [r._asdict() for r in results]
