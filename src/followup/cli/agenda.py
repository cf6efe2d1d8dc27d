"""`followup` / `followup agenda`: the next note of every open sequence, most at risk first.

Click-free on purpose: the entry point's short path runs it without loading click.
"""

from __future__ import annotations

from followup.app.agenda import agenda
from followup.app.context import Context
from followup.app.rows import EndedRow
from followup.app.wording import (
    CUSTOM_CADENCE,
    agenda_badge,
    ended_text,
    fading_hints,
    met_again,
)
from followup.cli.render import echo, emit_json, kind_label, local, relative, table
from followup.domain.policy import Policy


def show_agenda(
    home: str | None,
    as_of: str | None = None,
    limit: int = 50,
    show_all: bool = False,
    as_json: bool = False,
) -> None:
    from followup.app.parse import parse_datetime
    from followup.bootstrap import open_context
    from followup.cli.render import announce, warn

    ctx = announce(open_context(home, create=False))
    now = ctx.clock.now()
    if as_of is not None:
        now, warning = parse_datetime(as_of, ctx.user_tz)
        if warning:
            warn(warning)
    view = agenda(ctx, now, None if (show_all or as_json) else limit, with_ended=not as_json)
    if as_json:
        from followup.app.views import agenda_item

        emit_json([agenda_item(i) for i in view.items])
        return
    if not view.items:
        echo("Nothing to follow up right now.")
        if not view.ended:
            echo('Add an interview: followup add --company Acme --role "Engineer" --at ...')
        _say_ended(view.ended, ctx.policy, ctx)
        return
    rows = [
        [
            str(item.interview_id),
            item.company,
            f"{item.step} {kind_label(item.kind)}",
            ", ".join(item.recipients) or "—",
            f"{local(item.due_at, ctx.user_tz)} ({relative(item.due_at, now)})",
            agenda_badge(item)
            + (", scheduled" if item.scheduled else "")
            + (f"; {met_again(item)}" if item.met_again else ""),
        ]
        for item in view.items
    ]
    table(["ID", "Company", "Note", "To", "Due (your time)", "State"], rows)
    summary = ", ".join(f"{n} {k}" for k, n in view.counts.items() if n)
    let_go = f"{view.let_go} to let go" if view.let_go else ""
    plural = "s" * (view.total != 1)
    echo(f"{view.total} open sequence{plural}: {'; '.join(p for p in (summary, let_go) if p)}.")
    if view.total > len(view.items):
        echo(f"Showing the {len(view.items)} most at risk; --all shows every one.")
    if view.waits:
        first = view.waits.split(" ", 1)[0]  # a setting's name keeps its case
        echo((view.waits if "." in first else view.waits[0].upper() + view.waits[1:]) + ".")
    for hint in fading_hints(view.items, view.counts["fading"]):
        echo(hint)
    if ctx.policy.custom:
        echo(CUSTOM_CADENCE)
    _say_ended(view.ended, ctx.policy, ctx)


def _say_ended(ended: tuple[EndedRow, ...], policy: Policy, ctx: Context) -> None:
    if ended:
        echo("Ended lately:")
    for row in ended:
        why = ended_text(row)
        if row.proposed:
            interview = ctx.store.get_interview(row.interview_id)
            if interview is not None:  # the command to type, with the application's id
                why = why.replace("--application ID", f"--application {interview.application_id}")
        echo(f"  {row.interview_id}  {row.company} — {why}")
