"""Today's agenda rows as HTML: written in Python, not in the Jinja template.

Measured (docs/benchmarks.md, dashboard): the rows were ~70 % of the Today page's time —
Jinja yields and escapes each of a row's ~25 values one by one — and the page missed its
50 ms p95 under four concurrent connections. Here a row is one f-string with one escape per
value that can carry text; what a user typed (company, role, names) is always escaped, the
rest are numbers, enum values and our own words. tests/web/test_pages.py checks both.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from markupsafe import Markup

from followup.app.views import iso
from followup.app.wording import (
    advice,
    agenda_badge,
    kind_label,
    local,
    met_again,
    relative,
    round_label,
)
from followup.domain.planner import SNOOZES, AgendaItem


def _mark_panel(item: AgendaItem, n: int, whose: str, token: str, back: str) -> str:
    """A panel's "Mark sent": which panellist's note (or everyone's) and when, behind one
    <summary> — never every panellist as sent now without asking (issue #16 trial item 10)."""
    options = "".join(
        f'<option value="{escape(email)}">{escape(label)}</option>'
        for label, email in zip(item.recipients, item.emails, strict=False)
        if email
    )
    return (
        f'<details class="mark-panel" id="mark-{n}" data-testid="mark-panel">'
        f'<summary aria-label="Mark sent — {whose}">Mark sent…</summary>'
        f'<form method="post" action="/interviews/{n}/sent" hx-post="/interviews/{n}/sent"'
        f' hx-target="#agenda" hx-swap="outerHTML">'
        f'<input type="hidden" name="csrf_token" value="{token}">'
        f'<input type="hidden" name="back" value="{back}">'
        f'<input type="hidden" name="step" value="{int(item.step)}">'
        f'<label>to <select name="interviewer" data-testid="mark-sent-to"'
        f' aria-label="Sent to whom — {whose}"><option value="">everyone</option>{options}'
        f"</select></label>"
        f'<label>at <input type="datetime-local" name="at" data-testid="mark-sent-at"'
        f' aria-label="Sent when (your time; empty: now) — {whose}"></label>'
        f'<button type="submit" id="mark-sent-{n}" data-testid="mark-sent"'
        f' aria-label="Record as sent — {whose}">Record as sent</button></form></details>'
    )


def _replied_panel(item: AgendaItem, n: int, whose: str, token: str, back: str) -> str:
    """They replied ends the sequence, so it asks first (when; for a panel, who) behind one
    <summary> as a panel's "Mark sent…" does — a tap beside "Mark sent" records nothing
    by itself (session 12 trial item 4). A plain <details>: it works without JavaScript."""
    options = "".join(
        f'<option value="{escape(email)}">{escape(label)}</option>'
        for label, email in zip(item.recipients, item.emails, strict=False)
        if email
    )
    who = (
        f'<label>who <select name="interviewer" data-testid="record-reply-from"'
        f' aria-label="Who replied — {whose}"><option value="">(not said)</option>{options}'
        f"</select></label>"
        if len(item.recipients) > 1
        else ""
    )
    return (
        f'<details class="mark-panel" id="reply-{n}" data-testid="reply-panel">'
        f'<summary aria-label="They replied — {whose}">They replied…</summary>'
        f'<form method="post" action="/interviews/{n}/replied" hx-post="/interviews/{n}/replied"'
        f' hx-target="#agenda" hx-swap="outerHTML">'
        f'<input type="hidden" name="csrf_token" value="{token}">'
        f'<input type="hidden" name="back" value="{back}">{who}'
        f'<label>at <input type="datetime-local" name="at" data-testid="record-reply-at"'
        f' aria-label="Replied when (your time; empty: now) — {whose}"></label>'
        f'<button type="submit" id="record-reply-{n}" data-testid="record-reply"'
        f' aria-label="Record their reply: no more notes — {whose}">Record their reply'
        f"</button></form></details>"
    )


def agenda_rows(
    items: Sequence[AgendaItem], csrf: str, user_tz: str, now: datetime, back: str = "/"
) -> Markup:
    token = escape(csrf)
    back = escape(back)
    rows = []
    for item in items:
        state = "fading" if item.fading else escape(item.state.value)
        n = int(item.interview_id)
        people = escape(", ".join(item.recipients)) or "—"
        # each row's controls say whose row they act on: "Mark sent — Acme, Ada Lovelace"
        whose = escape(", ".join((item.company, *item.recipients)))
        badge = agenda_badge(item)
        # approved by the user: a running `followup worker` sends it when due
        scheduled = (
            '<span class="badge" data-testid="scheduled">scheduled</span>' if item.scheduled else ""
        )

        draft = (
            f'<a class="button" href="/interviews/{n}#drafts" id="draft-{n}" data-testid="draft"'
            f' aria-label="Draft — {whose}">'
        )
        step = f'<input type="hidden" name="step" value="{int(item.step)}">'  # the one seen
        forms = "".join(
            f"""
          <form method="post" action="/interviews/{n}/{action}"
                hx-post="/interviews/{n}/{action}" hx-target="#agenda" hx-swap="outerHTML">
            <input type="hidden" name="csrf_token" value="{token}">
            <input type="hidden" name="back" value="{back}">{step if action == "sent" else ""}
            <button type="submit" id="{button}-{n}" data-testid="{button}"
                    aria-label="{label} — {whose}">{label}</button>
          </form>"""
            for action, button, label in (
                *((("sent", "mark-sent", "Mark sent"),) if len(item.recipients) < 2 else ()),
                *((("let-go", "let-go", "Let it go"),) if item.past else ()),
            )
        )
        if len(item.recipients) > 1:  # a panel: whose note went out, and when — as the
            forms = _mark_panel(item, n, whose, token, back) + forms  # interview page asks
        forms += _replied_panel(item, n, whose, token, back)
        # Snooze: three choices behind one <summary>, each naming its row (a few hundred
        # bytes a row: kept on few lines, the page is 50 rows)
        snooze = "".join(
            f'<button type="submit" name="span" value="{key}" id="snooze-{key}-{n}"'
            f' data-testid="snooze-{key}" aria-label="Snooze {words} — {whose}">{words}</button>'
            for key, words in SNOOZES.items()
        )
        if item.fading:  # a fading thank-you is never snoozed (app/snoozing.py)
            snooze = ""
        else:
            snooze = (
                f'<details class="snooze" id="snooze-{n}" data-testid="snooze">'
                f'<summary aria-label="Snooze — {whose}">Snooze</summary>'
                f'<form method="post" action="/interviews/{n}/snooze"'
                f' hx-post="/interviews/{n}/snooze" hx-target="#agenda" hx-swap="outerHTML">'
                f'<input type="hidden" name="csrf_token" value="{token}">'
                f'<input type="hidden" name="back" value="{back}">{snooze}</form></details>'
            )
        # approved with "Send when due": nothing to do but let it go ("send now" was wrong)
        said = "approved: goes out by itself when due" if item.scheduled else advice(item)
        said = "; ".join(filter(None, (said, met_again(item))))
        said = f'<span class="advice" data-testid="advice">{escape(said)}</span>' if said else ""
        nth = round_label(int(item.round))
        nth = f' <span class="badge" data-testid="round">{nth}</span>' if nth else ""
        due = escape(local(item.due_at, user_tz))
        rows.append(
            f"""
      <tr class="row {state}" id="agenda-row-{n}" data-testid="agenda-row" data-interview="{n}">
        <td><a href="/interviews/{n}" data-testid="interview-link">{escape(item.company)}</a>
          <span class="muted">{escape(item.role)}</span>{nth}</td>
        <td data-label="Note">{int(item.step)} · {kind_label(item.kind)}</td>
        <td data-label="To">{people}</td>
        <td data-label="Due (your time)"><time datetime="{iso(item.due_at)}">{due}</time>
          <span class="muted">({relative(item.due_at, now)})</span></td>
        <td data-label="State"><span class="badge {state}" data-testid="state">{badge}</span>
          {scheduled}{said}</td>
        <td class="row-actions">
          {draft}Draft</a>{forms}{snooze}
        </td>
      </tr>"""
        )
    return Markup("".join(rows))
