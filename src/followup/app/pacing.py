"""A provider's daily sending limit: notes wait rather than go over it. The one place of the rule.

Gmail lets a consumer account send to about 500 recipients in a rolling 24 hours; past that it
refuses mail for up to a day. The Gmail preset declares that number (app/mailsetup.py);
`mail.daily_limit` overrides it for any account (0: no limit). Each note goes to one
recipient, so the recipients sent to in the last 24 hours are the notes recorded `sent` in
them (through the store's `notes_sent_at` index) — followup cannot see the other mail the
account sends, which counts too: set `mail.daily_limit` lower if you send much else.

When the count has reached the limit, every way a note leaves by SMTP — `send ID`,
`send --due`, the worker — holds it, and `show`, the agenda and the worker's log say why and
until when: the moment the oldest send counted leaves the 24-hour window. Saving to Drafts is
not held (nothing is sent). Stdlib only; the clock and the store come in with the context.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from followup.app.context import Context, DailyLimit
from followup.app.wording import local

DAY = timedelta(hours=24)


class Hold(NamedTuple):
    limit: DailyLimit
    sent: int  # recipients sent to in the last 24 hours
    since: datetime  # the oldest of those sends
    until: datetime  # when a note may go again


def limit_of(provider: object, setting: object, address: str = "") -> DailyLimit | None:
    """The account's limit: `mail.daily_limit` when set (0: none), else its preset's for an
    address at the preset's own domains (a consumer account: a Google Workspace domain has
    other limits, and sets its own)."""
    if setting is not None:
        recipients = int(str(setting))
        return DailyLimit(recipients, "mail.daily_limit allows") if recipients > 0 else None
    if not provider:
        return None
    from followup.app.mailsetup import BY_ID  # only for an account with a provider

    preset = BY_ID.get(str(provider))
    domain = address.rpartition("@")[2].lower()
    if preset is None or preset.daily_limit <= 0 or domain not in preset.domains:
        return None
    return DailyLimit(preset.daily_limit, f"{preset.short_name} allows about")


def hold(ctx: Context, now: datetime | None = None) -> Hold | None:
    """Why nothing may be sent now (the limit is reached), None when a note may go."""
    limit = ctx.daily_limit
    if limit is None or limit.recipients <= 0:
        return None
    now = now or ctx.clock.now()
    sent = ctx.store.sent_since(now - DAY)
    if len(sent) < limit.recipients:
        return None
    # a note may go once enough of these have left the window to bring them under the limit
    return Hold(limit, len(sent), sent[0], sent[len(sent) - limit.recipients] + DAY)


def why(held: Hold, tz: str, what: str = "this note waits") -> str:
    """The reason, one line: "Gmail allows about 500 recipients a day; 500 sent since …:
    this note waits until …"."""
    return (
        f"{held.limit.by} {held.limit.recipients} recipients a day; {held.sent} sent since"
        f" {local(held.since, tz)}: {what} until {local(held.until, tz)}"
    )


def waits(ctx: Context, due: bool, now: datetime | None = None) -> str:
    """What `show` and the agenda say when a note is due (`due`) but the limit holds it:
    the reason, or "" (one indexed read, and only when a limit applies and a note is due)."""
    if not due or ctx.daily_limit is None:
        return ""
    held = hold(ctx, now)
    return why(held, ctx.user_tz) if held else ""
