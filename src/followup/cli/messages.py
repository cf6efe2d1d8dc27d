"""Commands about what to write: debrief right after the interview, then draft each note."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from followup.app.errors import InvalidInput
from followup.app.parse import parse_date, person_label, tone_names
from followup.cli.drafts import ask_for_topics, print_drafts
from followup.cli.render import echo, emit_json, warn
from followup.cli.state import ID, State, json_option, pass_state


@click.command()
@click.argument("interview_id", type=ID)
@click.option("--interviewer", "email", metavar="EMAIL", help="Whom this part is about.")
@click.option("--topic", "topics", multiple=True, help="A specific point you discussed.")
@click.option(
    "--skill",
    "skills",
    multiple=True,
    help='The relevant skill to stress (repeat it for two: "GLM pricing and SQL").',
)
@click.option("--note", help="Something new to add in a later note (an idea, a link).")
@click.option("--promised-by", metavar="DATE", help="They promised a decision by this date.")
@click.option("--tone", type=click.Choice(tone_names()), help="Override the culture's tone.")
@click.option(
    "--primary",
    is_flag=True,
    help="Make --interviewer the panel's contact for the notes after the thank-you.",
)
@click.option(
    "--greeting",
    metavar="TEXT",
    help='How to address the --interviewer ("Ms. Chen" gives "Dear Ms. Chen,"); "" resets.',
)
@click.option(
    "--replace",
    is_flag=True,
    help="These --topic(s) replace the ones given before for --interviewer (or the"
    " interview), instead of adding to them.",
)
@click.option("--interactive", is_flag=True, help="Ask for each interviewer in turn.")
@json_option
@pass_state
def debrief(
    state: State,
    interview_id: int,
    email: str | None,
    topics: tuple[str, ...],
    skills: tuple[str, ...],
    note: str | None,
    promised_by: str | None,
    tone: str | None,
    primary: bool,
    greeting: str | None,
    replace: bool,
    interactive: bool,
    as_json: bool,
) -> None:
    """Capture what you discussed, with whom, and any promised date (under a minute).

    Topics add up: the thank-you cites the first, the follow-up the next. To correct a
    topic, give the right one with --replace. A skill given again replaces the earlier one.
    """
    from followup.app import drafting, services
    from followup.domain.compose import join_phrases

    ctx = state.ctx
    skill = join_phrases(skills) or None
    if primary and not email:
        raise InvalidInput("--primary needs --interviewer EMAIL: whom to make the contact")
    talk_given = bool(topics or skill or note or promised_by or tone or greeting is not None)
    nothing_given = not (email or talk_given)
    results: list[Any] = []
    if interactive or (nothing_given and sys.stdin.isatty()):
        results = _ask(ctx, interview_id)
    elif nothing_given:
        raise InvalidInput(
            "nothing to record: give --topic, --skill, --note, --promised-by or --greeting"
        )
    elif talk_given or not primary:  # with only --primary, only the contact changes (below)
        by = parse_date(promised_by) if promised_by else None
        results = [
            drafting.debrief(
                ctx,
                interview_id,
                email=email,
                topics=topics,
                skill=skill,
                note=note,
                promised_by=by,
                tone=tone,
                greeting=greeting,
                replace=replace,
            )
        ]
    if primary:
        assert email is not None
        services.set_primary(ctx, interview_id, email)
    detail = services.show(ctx, interview_id)
    warnings = [line for result in results for line in result.warnings]
    for line in warnings:  # on stderr with --json too: a script's user sees them
        warn(line)
    if as_json:
        emit_json(
            {"interview_id": interview_id, "debrief": list(detail.debriefs), "warnings": warnings}
        )
        return
    if primary:
        echo(f"{email} is now the primary contact: the notes after the thank-you go to them.")
    from followup.app import wording

    for line in wording.debriefed(results, greeting, email):
        echo(line)
    echo(f"Draft the notes with: followup draft {interview_id}")


def _ask(ctx: Any, interview_id: int) -> list[Any]:
    from followup.app import drafting, services

    seq = services.sequence(ctx, interview_id)
    results = []
    people: list[Any] = [p for p in seq.interviewers if p.email] or [None]
    for person in people:
        who = person_label(person.name, person.email) if person else "them"
        topic = click.prompt(f"A specific point you discussed with {who}", default="")
        skill = click.prompt("The skill to stress", default="")
        note = click.prompt("Something new to add later (optional)", default="")
        results.append(
            drafting.debrief(
                ctx,
                interview_id,
                email=person.email if person else None,
                topics=[topic] if topic else [],
                skill=skill or None,
                note=note or None,
            )
        )
    promised = click.prompt("Promised decision date (YYYY-MM-DD, blank if none)", default="")
    if promised:
        results.append(drafting.debrief(ctx, interview_id, promised_by=parse_date(promised)))
    return results


@click.command()
@click.argument("interview_id", type=ID)
@click.option(
    "--step", type=int, metavar="N", help="Draft this step (default: the due one)."
)  # the policy judges N: one line, exit 4, for 0 as for 5
@click.option("--interviewer", "email", metavar="EMAIL", help="Only the note to this person.")
@click.option("--edit", is_flag=True, help="Open $EDITOR; the edited text is kept.")
@click.option(
    "--reset", is_flag=True, help="Drop your own text: the note is drafted from the debrief again."
)
@click.option(
    "--eml",
    "eml",
    metavar="FILE",
    help="Write an RFC 5322 message (a directory for a panel: one file each).",
)
@click.option("--mailto", is_flag=True, help="Print a mailto: link instead of the text.")
@json_option
@pass_state
def draft(
    state: State,
    interview_id: int,
    step: int | None,
    email: str | None,
    edit: bool,
    reset: bool,
    eml: str | None,
    mailto: bool,
    as_json: bool,
) -> None:
    """Write the note that is due: one per interviewer, in the company's tone, linted."""
    from followup.app import drafting

    ctx = state.ctx
    if reset and edit:
        raise InvalidInput("--reset or --edit: one at a time")
    notes = drafting.drafts(ctx, interview_id, step, email)
    if reset:
        for d in notes:
            drafting.back_to_generated(ctx, d)
        notes = drafting.drafts(ctx, interview_id, notes[0].step, email)
    if not (as_json or edit):
        notes = ask_for_topics(ctx, notes, email)
    if edit:
        for d in notes:
            _edit(ctx, d)
        notes = drafting.drafts(ctx, interview_id, notes[0].step, email)  # re-linted
    if eml:
        _write_eml(ctx, notes, eml)
    if mailto and not as_json:
        from followup.app.drafting import recipient
        from followup.bootstrap import mailto_link

        for d in notes:
            _warn_lint(d)
            echo(mailto_link(recipient(d), d.subject, d.body))
        return
    print_drafts(notes, as_json, ctx.user_tz)


def _edit(ctx: Any, d: Any) -> None:
    from followup.app import drafting
    from followup.domain.compose import join_subject, split_subject

    edited = click.edit(join_subject(d.subject, d.body), extension=".txt")
    if edited is None:  # closed without saving: keep the draft as it was
        return
    subject, body = split_subject(edited)
    drafting.keep_edit(ctx, d, subject or d.subject, body)


def _warn_lint(d: Any) -> None:
    """What `send` would refuse, said on stderr: a mailto: link leaves through the user."""
    from followup.app.sending import lint_refusal

    problem = lint_refusal(d.interview_id, d.findings, d.interviewer)
    if problem:
        warn(problem)


def _write_eml(ctx: Any, notes: list[Any], target: str) -> None:
    """One file for one note; for a panel, `target` is a directory with one file each."""
    from pathlib import Path

    from followup.app.sending import draft_as_eml
    from followup.bootstrap import composer
    from followup.config.paths import write_private

    files = draft_as_eml(ctx, composer(), notes)
    if len(files) > 1:
        if os.path.lexists(target) and not os.path.isdir(target):
            raise InvalidInput(
                f"several notes: --eml needs a directory; {target} is a file"
                " (give a new name or a directory: one .eml per interviewer goes in it)"
            )
        try:
            os.makedirs(target, mode=0o700, exist_ok=True)
        except OSError as exc:
            reason = exc.strerror or exc
            raise InvalidInput(f"cannot make the directory {target}: {reason}") from exc
    for eml in files:
        path = os.path.join(target, eml.name) if len(files) > 1 else target
        if eml.warning:  # an export is the user's to send: warned, not refused
            warn(f"{path}: {eml.warning}")
        try:  # never a half-written .eml; 0600, also over an existing file
            write_private(Path(path), eml.data)
        except OSError as exc:
            raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from exc


COMMANDS = (debrief, draft)
