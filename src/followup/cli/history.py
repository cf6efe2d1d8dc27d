"""Correcting the record: edit an interview, see its history, undo a change, reopen it."""

from __future__ import annotations

import click

from followup.app import editing, history, views, wording
from followup.app.errors import InvalidInput
from followup.app.parse import (
    duration_minutes,
    parse_country,
    parse_datetime,
    parse_interviewer,
    typed_zone,
)
from followup.app.rows import NewInterviewer
from followup.cli.interviews import MINUTES, say_next
from followup.cli.render import emit_json, warn
from followup.cli.state import ID, State, json_option, pass_state
from followup.cli.undoing import approvals, show_history, take_back
from followup.domain.model import Culture


@click.command(name="history")
@click.argument("interview_id", type=ID)
@json_option
@pass_state
def history_(state: State, interview_id: int, as_json: bool) -> None:
    """Every change to an interview, oldest first (undone ones marked)."""
    show_history(None, interview_id, as_json, ctx=state.reader)


@click.command()
@click.argument("interview_id", type=ID)
@click.option(
    "--force",
    is_flag=True,
    help="Also take back a note that went out by mail (the record is wrong: it never arrived).",
)
@json_option
@pass_state
def undo(state: State, interview_id: int, force: bool, as_json: bool) -> None:
    """Take back the latest change to an interview (repeat to go further back)."""
    take_back(None, interview_id, force, as_json, ctx=state.reader)


@click.command()
@click.argument("interview_id", type=ID)
@json_option
@pass_state
def reopen(state: State, interview_id: int, as_json: bool) -> None:
    """Follow up again on a replied or cancelled interview (or a closed one that a policy
    change left a step to send)."""
    result = history.reopen(state.ctx, interview_id)
    if as_json:
        emit_json(
            {
                "interview_id": interview_id,
                "was": result.was.value,
                "status": "waiting",
                "plan": views.plan(result.plan),
            }
        )
        return
    click.echo(f"Interview {interview_id} reopened (it was {result.was.value}).")
    say_next(state, result.plan)
    caution = wording.reopened_after_no(result.was, interview_id)
    if caution:
        click.echo(caution)


@click.command()
@click.argument("interview_id", type=ID)
@click.option("--at", metavar="DATETIME", help="The new start (ISO-8601; local in --tz).")
@click.option(
    "--tz", metavar="ZONE", help="The interview's zone (alone: the same wall time there)."
)
@click.option("--duration", type=int, metavar="MINUTES", help=f"{MINUTES}.")
@click.option("--company", help="The employer's name (every round of the application).")
@click.option("--role", help="The position (every round of the application).")
@click.option(
    "--culture",
    type=click.Choice([c.value for c in Culture]),
    help="corporate: formal notes, startup: casual, other: neutral.",
)
@click.option("--country", metavar="CC", help="ISO country code for holidays ('none': none).")
@click.option("--location", help="Where (a room, or a video link; '' for none).")
@click.option(
    "--add-interviewer",
    "added",
    multiple=True,
    metavar='"Name <email>"',
    help="Someone else on the panel (repeatable).",
)
@click.option(
    "--remove-interviewer",
    "removed",
    multiple=True,
    metavar="EMAIL",
    help="Not on the panel after all: no more notes to them (repeatable).",
)
@click.option("--primary", metavar="EMAIL", help="The panel's contact after the thank-you.")
@click.option(
    "--interviewer",
    "person",
    metavar="EMAIL",
    help="Whose name or address --name/--email put right (not needed for one interviewer).",
)
@click.option("--name", metavar="TEXT", help="The interviewer's name, spelt right.")
@click.option("--email", metavar="ADDRESS", help="The interviewer's address, spelt right.")
@json_option
@pass_state
def edit(
    state: State,
    interview_id: int,
    at: str | None,
    tz: str | None,
    duration: int | None,
    company: str | None,
    role: str | None,
    culture: str | None,
    country: str | None,
    location: str | None,
    added: tuple[str, ...],
    removed: tuple[str, ...],
    primary: str | None,
    person: str | None,
    name: str | None,
    email: str | None,
    as_json: bool,
) -> None:
    """Correct an interview: when, where, who, the company; pending notes are re-planned."""
    from followup.app import services

    ctx = state.ctx
    zone_name = typed_zone(tz) if tz is not None else None
    start = None
    if at is not None:
        zone_for_at = zone_name or services.find_interview(ctx, interview_id).tz
        start, warning = parse_datetime(at, zone_for_at)
        if warning:
            warn(warning)
    if company is not None and not company.strip():
        raise InvalidInput("--company cannot be empty")
    if role is not None and not role.strip():
        raise InvalidInput("--role cannot be empty")
    if person is not None and name is None and email is None:
        raise InvalidInput("--interviewer says whose name or address: give --name or --email")
    no_country = country is not None and country.strip().lower() == "none"
    result = editing.edit(
        ctx,
        interview_id,
        editing.Changes(
            start=start,
            tz=zone_name,
            duration=duration_minutes(duration),
            company=company,
            role=role,
            culture=Culture(culture) if culture else None,
            country="" if no_country else parse_country(country),
            location=location,
            add=[NewInterviewer(*parse_interviewer(text)) for text in added],
            remove=removed,
            primary=primary,
            person=person,
            name=name,
            email=email,
        ),
    )
    if as_json:
        emit_json(
            {
                "interview_id": interview_id,
                "changed": list(result.changed),
                "plan": views.plan(result.plan),
                "approvals_withdrawn": result.approvals_withdrawn,
            }
        )
        return
    click.echo(f"Interview {interview_id}: {'; '.join(result.changed)}.")
    approvals(interview_id, result.approvals_withdrawn)
    if result.plan.notes:
        say_next(state, result.plan)


COMMANDS = (history_, undo, reopen, edit)
