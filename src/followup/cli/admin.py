"""Commands about followup itself: the policy and the configuration."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from followup.cli.render import emit_json, table
from followup.cli.state import State, json_option, pass_state

if TYPE_CHECKING:
    from followup.app.rows import PolicyChange


@click.group()
def policy() -> None:
    """The follow-up cadence."""


@policy.command(name="show")
@json_option
@pass_state
def policy_show(state: State, as_json: bool) -> None:
    """Print the cadence in force (the article's, unless the config shapes it: see
    docs/policy.md)."""
    from followup.app import wording
    from followup.app.services import policy_data
    from followup.config import paths, settings

    where = paths.resolve(state.settings_home)
    current = settings.load(where.config_file).policy()
    last = _last_replan(state, where.database)
    data = policy_data(current, last)
    if as_json:
        emit_json(data)
        return
    rows = []
    for step in current.active_steps:
        anchor = "the interview ends" if step.anchor.value == "interview-end" else "previous sent"
        rows.append([str(step.number), step.kind, f"{wording.wait(step.delay)} after {anchor}"])
    table(["Step", "Note", "Earliest"], rows, title="Cadence")
    if current.unused:
        click.echo(current.unused[:1].upper() + current.unused[1:])
    if current.custom:
        click.echo(
            "Custom cadence: steps may come sooner than the article allows"
            " (policy.custom = true); messages name it, never the etiquette"
        )
    click.echo(f"Panel: {wording.panel_follow_up(current.panel_follow_up)}")
    click.echo(f"Send window: {current.window.describe()}, skipping public holidays")
    click.echo(f"Fading: thank-you unsent {current.fading_after.days} days after the interview")
    click.echo(f"Overdue: {current.overdue_after.total_seconds() / 3600:g} h after the due time")
    click.echo("After the last note: let it go. A reply at any time stops the sequence.")
    if last is not None and last.at is not None:
        when = wording.local(last.at, state.reader.user_tz)
        said = wording.policy_change(last).removeprefix("the policy in config.toml changed: ")
        click.echo(f"Last re-plan after config.toml's policy changed ({when}): {said}")


def _last_replan(state: State, database: Path) -> PolicyChange | None:
    """The last re-plan a policy change caused, from the database if there is one (opening
    it re-plans first if the policy just changed, and says so)."""
    from followup.app.services import last_replan
    from followup.bootstrap import server_mode

    if not (server_mode() or database.exists()):
        return None
    return last_replan(state.reader)


@click.group()
def config() -> None:
    """Show or change settings (a TOML file; see `config show`)."""


@config.command(name="show")
@json_option
@pass_state
def config_show(state: State, as_json: bool) -> None:
    """Every setting, its value and what it means."""
    from followup.config import paths, settings

    where = paths.resolve(state.settings_home)
    current = settings.load(where.config_file)
    values = {key: current.values.get(key) for key in settings.KEYS}
    if as_json:
        emit_json({"file": str(where.config_file), "database": str(where.database), **values})
        return
    click.echo(f"Config file: {where.config_file}")
    click.echo(f"Database:    {where.database}")
    table(
        ["Key", "Value", "Meaning"],
        [
            [
                key,
                "(default)"
                if value is None
                else value
                if isinstance(value, str)
                else settings.toml_value(value),
                settings.KEYS[key].help,
            ]
            for key, value in values.items()
        ],
    )


@config.command(name="set")
@click.argument("key")
@click.argument("value")
@json_option
@pass_state
def config_set(state: State, key: str, value: str, as_json: bool) -> None:
    """Set KEY to VALUE (e.g. `config set timezone Europe/Berlin`); "" clears it."""
    from followup.config import paths, settings

    where = paths.resolve(state.settings_home)
    if key in ("user.email", "mail.from_address") and value.strip():
        from followup.app.errors import InvalidInput
        from followup.bootstrap import sender_problem

        not_yours = sender_problem(state.settings_home, value)
        if not_yours:  # refused here, not only at the first send (server mode)
            raise InvalidInput(f"{key}: {not_yours}")
    stored = settings.set_value(where.config_file, key, value)
    if key.startswith("policy."):
        from followup.app import wording
        from followup.app.errors import InvalidInput
        from followup.cli.render import warn

        try:
            faster = wording.sooner_than_the_article(settings.load(where.config_file).policy())
        except InvalidInput:
            faster = []  # not usable yet (e.g. half of a change): commands will say why
        for line in faster:
            warn(line)
    if as_json:
        emit_json({"key": key, "value": stored})
    elif stored is None:
        click.echo(f"{key} cleared (default)")
    else:
        click.echo(f"{key} = {settings.toml_value(stored)}")


COMMANDS = (policy, config)
