"""`followup draft`'s output, click-free: the entry point's short path prints drafts too.

Drafting right after the interview is the second thing people do most; without click it
starts in about the agenda's time (issue 3 asks for at most 50 ms more).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from followup.cli.render import echo, emit_json

if TYPE_CHECKING:
    from followup.app.context import Context
    from followup.app.drafting import Draft


def show_drafts(
    home: str | None,
    interview_id: int,
    step: int | None = None,
    email: str | None = None,
    as_json: bool = False,
) -> None:
    from followup.app import drafting
    from followup.bootstrap import open_context

    ctx = open_context(home)
    notes = drafting.drafts(ctx, interview_id, step, email)
    if not as_json:
        notes = ask_for_topics(ctx, notes, email)
    from followup.app import services

    print_drafts(notes, as_json, ctx.user_tz, services.let_go_reasons(ctx, interview_id))


ASK = "What did you discuss with {name}? (a project, a problem — Enter to skip) "


def ask_for_topics(ctx: Context, notes: list[Draft], email: str | None) -> list[Draft]:
    """In a terminal (stdin and stdout), ask for the point each note lacks (lint's
    no-specific-point), record it as `debrief ID --interviewer EMAIL --topic` does, and
    draft again; Enter skips a person. Not a terminal: the notes as they are."""
    if not notes or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return notes
    from followup.app import drafting
    from followup.app.parse import person_label
    from followup.domain.model import NoteState

    panel = len(ctx.store.interviewers(notes[0].interview_id)) > 1
    recorded = False
    for d in notes:
        person = d.interviewer
        if d.edited or "no-specific-point" not in {f.rule for f in d.findings}:
            continue
        if person is not None and not person.email and panel:
            continue  # a topic for the whole interview would not reach this note
        if d.note_id is not None:
            note = ctx.store.get_note(d.note_id)
            if note is None or note.state is not NoteState.PENDING:
                continue  # sent (or on its way): a new topic changes nothing
        name = person_label(person.name, person.email) if person else "your interviewer"
        try:
            answer = input(ASK.format(name=name)).strip()
        except EOFError:
            echo()
            break
        if answer:
            who = person.email if person is not None and person.email else None
            drafting.debrief(ctx, d.interview_id, email=who, topics=[answer])
            recorded = True
    if not recorded:
        return notes
    return drafting.drafts(ctx, notes[0].interview_id, notes[0].step, email)


def print_drafts(
    notes: list[Draft], as_json: bool, tz: str, let_go: dict[int, str] | None = None
) -> None:
    """One object for one draft, a list for a panel (JSON); the notes and findings for people,
    and, beside a note the agenda says to let go (`let_go`: why, by note id), that."""
    if as_json:
        from followup.app.views import drafts

        emit_json(drafts(notes))
        return
    for i, d in enumerate(notes):
        if i:
            echo("\n" + "─" * 60 + "\n")
        why = (let_go or {}).get(d.note_id or 0)
        every = all(n.note_id in (let_go or {}) for n in notes if n.sent_at is None)
        if why is not None and every:
            why += f" (followup dismiss {d.interview_id} lets it go)"
        _print(d, tz, why)


def _print(d: Draft, tz: str, let_go: str | None = None) -> None:
    from followup.app.drafting import recipient

    person = d.interviewer
    to = (
        recipient(d)
        if person and person.email
        else (person.name if person else "(no interviewer recorded)")
    )
    echo(f"To: {to}")
    echo(f"Tone: {d.tone_reason}" + ("  (your edited text)" if d.edited else ""))
    echo(f"Subject: {d.subject}\n")
    echo(d.body.rstrip())
    echo()
    if d.sent_at is not None:  # nothing to check or send: it is history
        from followup.app.wording import local

        echo(f"Sent {local(d.sent_at, tz)}: nothing to do for this one.")
        return
    if let_go is not None:
        echo(f"agenda: {let_go}")
    if not d.findings:
        echo("lint: ok — follows the etiquette")
    for f in d.findings:
        echo(f"lint: {f.rule}  {f.severity}  {f.message}")
