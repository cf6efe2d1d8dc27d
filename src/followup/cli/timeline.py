"""`followup show` for people: the interview, its people, and its timeline."""

from __future__ import annotations

import click

from followup.app import wording
from followup.app.context import Context
from followup.app.parse import shown_mailbox
from followup.app.services import Detail
from followup.app.timeline import timeline
from followup.app.wording import closed_ending, local_span
from followup.cli.render import local
from followup.domain.model import Status

_ENDINGS = {
    Status.REPLIED: "They replied: the sequence is over. Good luck!",
    Status.ADVANCED: "You moved on to a later round: see its interview for the next notes.",
    Status.CANCELLED: "Cancelled: no more notes.",
    Status.REJECTED: "They said no: the application ended, no more notes.",
    Status.ROLE_CLOSED: "The role closed: the application ended, no more notes.",
    Status.OFFER: "They made an offer: no more notes. Congratulations!",
}


def print_timeline(ctx: Context, d: Detail) -> None:
    i, a = d.interview, d.application
    out = [
        f"Interview {i.id} · {a.company} — {a.role} (round {i.round}) · {i.status.value}",
        f"  When:   {local_span(i.start, i.end, i.tz)}",
    ]
    if ctx.user_tz != i.tz:
        out.append(f"          {local(i.start, ctx.user_tz)} your time")
    out.append(f"  Culture: {a.culture.value}")
    if d.holidays is not None:
        out.append(f"  Holidays: {wording.holidays(d.holidays)}")
    panel = [p for p in d.interviewers if d.reachable(p)]
    contact = d.contact if len(panel) > 1 else None  # none to mark for one person
    for p in d.interviewers:  # as a header writes it: a name cannot pose as an address
        mark = (
            " (primary contact)"
            if p == contact
            else " (removed)"
            if p.removed
            else " (address bounced: no more notes)"
            if p.id in d.bounced
            else ""
        )
        out.append(f"  With:   {shown_mailbox(p.name, p.email)}{mark}")
    # a topic typed at `add` and again at `debrief` is one point of the conversation
    topics: dict[str, str] = {}
    for x in d.debriefs:
        if x.get("topic"):
            topics.setdefault(x["topic"].casefold(), x["topic"])
    if topics:
        out.append(f"  Topics: {'; '.join(topics.values())}")
    if i.expect_by:
        out.append(f"  Promised news by {i.expect_by.isoformat()}")
    out.append("  Timeline:")
    for event in timeline(d, ctx.policy, ctx.clock.now()):
        mark = "✓" if event.done else "→" if event.at else "…"
        when = local(event.at, ctx.user_tz) if event.at else ""
        who = f" ({event.who})" if event.who else ""
        out.append(f"    {mark} {when:<28} {event.what}{who}".rstrip())
    if d.waits:  # the provider's daily limit holds its due note
        out.append(f"  Waits:  {d.waits}")
    if i.status is Status.CLOSED:  # which note ended it depends on the policy it ran under
        out.append(closed_ending(d.notes))
    elif i.status in _ENDINGS:
        out.append(_ENDINGS[i.status])
    click.echo("\n".join(out))
