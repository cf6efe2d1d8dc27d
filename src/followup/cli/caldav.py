"""`followup caldav push`: the planned notes, published to a CalDAV calendar.

The `caldav` package is an optional extra, imported only when `push` runs.
"""

from __future__ import annotations

import click

from followup.cli.render import emit_json
from followup.cli.state import State, json_option, pass_state


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
    from followup.bootstrap import caldav_push

    result = caldav_push(state.ctx, state.settings_home, todo)
    if as_json:
        emit_json(result.as_dict())
        return
    made = " (created the calendar)" if result.calendar_created else ""
    click.echo(
        f"Pushed to {result.calendar!r} at {result.url}{made}: {result.created} created,"
        f" {result.updated} updated, {result.deleted} deleted, {result.unchanged} unchanged."
    )


COMMANDS = (caldav_group,)
