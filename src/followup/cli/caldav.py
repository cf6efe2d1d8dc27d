"""`followup caldav push`: the planned notes, published to a CalDAV calendar.

The `caldav` package is an optional extra, imported only when `push` runs.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from followup.app.errors import InvalidInput
from followup.cli.render import emit_json
from followup.cli.state import State, json_option, pass_state

if TYPE_CHECKING:
    from followup.adapters.calendar.caldav_push import CalDavTarget
    from followup.config.settings import Settings

DEFAULT_CALENDAR = "followup"


@click.group(name="caldav")
def caldav_group() -> None:
    """Publish your planned notes to a CalDAV calendar (Nextcloud, Fastmail, iCloud, Radicale).

    Set caldav.url, caldav.username and caldav.password_command (or FOLLOWUP_CALDAV_PASSWORD);
    needs the extra: pip install 'followup[caldav]'.
    """


@caldav_group.command(name="push")
@click.option("--todo", is_flag=True, help="Tasks (VTODO) with a due time, not events.")
@json_option
@pass_state
def push(state: State, todo: bool, as_json: bool) -> None:
    """Create, update and delete the events of the calendar caldav.calendar (default
    "followup") so that it shows the notes still to send, as `export --ics` writes them.

    Only events followup created are touched; the calendar is made when it does not exist.
    """
    from followup.adapters.calendar import caldav_push
    from followup.adapters.calendar.ics import CODEC
    from followup.config import paths, settings

    caldav_push.require_extra()
    target = load_target(settings.load(paths.resolve(state.settings_home).config_file))
    secret = password(target)
    result = caldav_push.push(state.ctx, CODEC, target, secret, todo)
    if as_json:
        emit_json(result.as_dict())
        return
    made = " (created the calendar)" if result.calendar_created else ""
    click.echo(
        f"Pushed to {result.calendar!r} at {result.url}{made}: {result.created} created,"
        f" {result.updated} updated, {result.deleted} deleted, {result.unchanged} unchanged."
    )


# --- settings and password (as config/mail.py's for the mail account) ---------------------


def load_target(settings: Settings) -> CalDavTarget:
    """The `[caldav]` settings; InvalidInput naming what is missing."""
    url = str(settings.values.get("caldav.url") or "")
    if not url:
        raise InvalidInput(
            "no CalDAV server: followup config set caldav.url https://cloud.example.org/remote.php/dav"
        )
    username = str(settings.values.get("caldav.username") or "")
    if not username:
        raise InvalidInput("no CalDAV login: followup config set caldav.username YOU")
    from followup.adapters.calendar.caldav_push import CalDavTarget

    return CalDavTarget(
        url=url,
        username=username,
        calendar=str(settings.values.get("caldav.calendar") or DEFAULT_CALENDAR),
        password_command=settings.values.get("caldav.password_command"),
    )


def password(target: CalDavTarget) -> str:
    """The CalDAV password: FOLLOWUP_CALDAV_PASSWORD, else `caldav.password_command`."""
    from_env = os.environ.get("FOLLOWUP_CALDAV_PASSWORD")
    if from_env:
        return from_env
    if target.password_command:
        from followup.config.mail import from_command

        return from_command(target.password_command, "caldav.password_command")
    raise InvalidInput(
        "no CalDAV password: set FOLLOWUP_CALDAV_PASSWORD, or caldav.password_command"
        " (e.g. 'pass show caldav'; for iCloud an app-specific password)"
    )


COMMANDS = (caldav_group,)
