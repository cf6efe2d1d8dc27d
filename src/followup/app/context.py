"""What every use-case is handed: the store, the clock, the policy, the user's zone, holidays.

One value passed in (as todoman and httpie do) instead of globals, so a test injects a
fixed clock and an in-memory store, and nothing reads `datetime.now()` behind its back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # annotations only: the agenda's start-up does not need the Protocols
    from followup.app.ports import Clock, Holidays, Store, Templates
    from followup.app.rows import PolicyChange
    from followup.domain.policy import Policy


class DailyLimit(NamedTuple):
    """A mail account's daily sending limit (the rule: app/pacing.py)."""

    recipients: int  # in any 24 hours; 0: none
    by: str  # who sets it, as the reason says it: "Gmail allows about", "mail.daily_limit allows"


class Context(NamedTuple):
    store: Store
    clock: Clock
    policy: Policy
    user_tz: str
    holidays: Holidays
    sender_name: str = ""  # settings user.name: signs notes
    sender_email: str = ""  # settings user.email: From, and the Message-ID's domain
    templates: Templates | None = None  # the note templates (built-in or the user's)
    # the install's secret that seals approvals (config/keys.py); read only when needed
    approval_key: Callable[[], bytes] | None = None
    # who is changing things, for the history (app/events.py): cli, web, sync, import, worker
    source: str = "cli"
    # zone -> country, for the holidays of an interview with no --country (read when needed)
    zone_countries: Callable[[], Mapping[str, str]] | None = None
    # settings `country`: the holidays of an interview whose zone lies in no country
    home_country: str | None = None
    # what opening this context re-planned because config.toml's policy changed (said once:
    # the CLI on stderr, the dashboard as a flash); None when it had not changed
    policy_change: PolicyChange | None = None
    # the mail account's daily sending limit (app/pacing.py): notes wait beyond it
    daily_limit: DailyLimit | None = None

    @property
    def planning_key(self) -> str:
        """What decides the stored plans: the policy's key, and the user's country when it
        stands in for a zone's (a change of either plans the open interviews again)."""
        key = self.policy.planning_key
        return f"{key}|else {self.home_country}" if self.home_country else key
