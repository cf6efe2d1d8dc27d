"""`followup draft`'s output, click-free: the entry point's short path prints drafts too.

Drafting right after the interview is the second thing people do most; without click it
starts in about the agenda's time (issue 3 asks for at most 50 ms more).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup.cli.render import echo, emit_json

if TYPE_CHECKING:
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

    print_drafts(drafting.drafts(open_context(home), interview_id, step, email), as_json)


def print_drafts(notes: list[Draft], as_json: bool) -> None:
    """One object for one draft, a list for a panel (JSON); the notes and findings for people."""
    if as_json:
        from followup.app.views import drafts

        emit_json(drafts(notes))
        return
    for i, d in enumerate(notes):
        if i:
            echo("\n" + "─" * 60 + "\n")
        _print(d)


def _print(d: Draft) -> None:
    from followup.app.sending import recipient

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
    if not d.findings:
        echo("lint: ok — follows the etiquette")
    for f in d.findings:
        echo(f"lint: {f.rule}  {f.severity}  {f.message}")
