"""Commands about interviews and their follow-up sequences."""

from __future__ import annotations

import sys
from datetime import datetime

import click

from followup.app import services, views, wording
from followup.app.errors import InvalidInput
from followup.app.parse import (
    duration_minutes,
    parse_country,
    parse_date,
    parse_datetime,
    parse_interviewer,
)
from followup.app.rows import NewInterviewer
from followup.cli.render import emit_json, emit_json_list, local, table, warn
from followup.cli.state import ID, State, json_option, pass_state
from followup.domain.limits import INTERVIEW_MINUTES
from followup.domain.model import Culture, Status
from followup.domain.planner import SNOOZES, Plan

MINUTES = "{} to {} minutes".format(*INTERVIEW_MINUTES)  # what a user may schedule


def _instant(state: State, text: str | None, tz: str | None = None) -> datetime | None:
    if text is None:
        return None
    instant, warning = parse_datetime(text, tz or state.ctx.user_tz)
    if warning:
        warn(warning)
    return instant


def _prompt_or_fail(value: str | None, option: str, prompt: str) -> str:
    if value:
        return value
    if sys.stdin.isatty():
        return str(click.prompt(prompt))
    raise InvalidInput(f"missing {option}")


@click.command()
@click.option("--company", help="The employer's name.")
@click.option("--role", help="The position you interviewed for.")
@click.option("--at", "at", metavar="DATETIME", help="When it started (ISO-8601; local in --tz).")
@click.option(
    "--tz",
    metavar="ZONE",
    help="The interview's zone: Europe/Berlin, or Berlin, PST, UTC+1 (default: yours).",
)
@click.option("--duration", type=int, metavar="MINUTES", help=f"Default 60; {MINUTES}.")
@click.option(
    "--interviewer",
    "interviewers",
    multiple=True,
    metavar='"Name <email>"',
    help="Who interviewed you (repeat for a panel); a thank-you each.",
)
@click.option(
    "--primary",
    metavar="EMAIL",
    help="The panel's contact for the notes after the thank-you (default: the first"
    " --interviewer).",
)
@click.option(
    "--culture",
    type=click.Choice([c.value for c in Culture]),
    default="other",
    help="The company's culture: it picks the notes' tone (corporate: formal, startup: casual).",
)
@click.option(
    "--country",
    metavar="CC",
    help="ISO country (or region: GB-SCT) code whose public holidays are skipped (default:"
    " the --tz zone's country or region; none: skip no holidays).",
)
@click.option("--topic", "topics", multiple=True, help="A specific point you discussed.")
@click.option(
    "--skill",
    "skills",
    multiple=True,
    help='The relevant skill you want to stress (repeat it for two: "GLM pricing and SQL").',
)
@click.option(
    "--application",
    "application_id",
    type=ID,
    metavar="ID",
    help="A later round of application ID.",
)
@click.option("--location", help="Where (a room, or a video link).")
@json_option
@pass_state
def add(
    state: State,
    company: str | None,
    role: str | None,
    at: str | None,
    tz: str | None,
    duration: int | None,
    interviewers: tuple[str, ...],
    primary: str | None,
    culture: str,
    country: str | None,
    topics: tuple[str, ...],
    skills: tuple[str, ...],
    application_id: int | None,
    location: str | None,
    as_json: bool,
) -> None:
    """Record an interview and plan its follow-up notes."""
    from followup.domain.compose import join_phrases

    if application_id is None:
        company = _prompt_or_fail(company, "--company", "Company")
        role = _prompt_or_fail(role, "--role", "Role")
    at = _prompt_or_fail(at, "--at", "Interview start (e.g. 2026-11-25T14:00)")
    ctx = state.ctx
    zone_name = services.zone_of_new(ctx, tz, application_id)  # a later round: as the last one
    people = services.with_primary(
        [NewInterviewer(*parse_interviewer(text)) for text in interviewers], primary
    )
    start = _instant(state, at, zone_name)
    assert start is not None
    result = services.add_interview(
        ctx,
        services.NewInterview(
            company=company or "",
            role=role or "",
            start=start,
            tz=zone_name,
            duration=duration_minutes(duration),
            interviewers=people,
            culture=Culture(culture),
            country=parse_country(country),
            topics=[t.strip() for t in topics if t.strip()],
            skill=join_phrases(skills) or None,
            application_id=application_id,
            location=location,
        ),
    )
    if result.unsent:  # the same sentence the dashboard's form asks about before adding
        click.echo(f"warning: {result.unsent}", err=True)
    if result.same_job:
        click.echo(f"warning: {result.same_job}", err=True)
    for line in result.topics_said:  # an aside left out of the notes, as debrief says
        warn(line)
    if result.far_off:
        warn(result.far_off)
    if as_json:
        emit_json(views.added(result))
        return
    click.echo(f"Added interview {result.interview_id} (round {result.round}).")
    for earlier in result.advanced:
        click.echo(f"Interview {earlier} moved on to this round: its sequence ended (advanced).")
    say_next(state, result.plan)


def say_next(state: State, plan: Plan) -> None:
    ctx = state.ctx
    click.echo(wording.next_note(plan, ctx.policy, ctx.user_tz, ctx.clock.now()))


@click.command()
@click.option("--as-of", metavar="DATETIME", help="See the agenda as it will be at this moment.")
@click.option(
    "--limit", type=ID, default=50, show_default=True, metavar="N", help="Show this many."
)
@click.option("--all", "show_all", is_flag=True, help="Show every open sequence (--json does).")
@json_option
@pass_state
def agenda(
    state: State,
    as_of: str | None = None,
    limit: int = 50,
    show_all: bool = False,
    as_json: bool = False,
) -> None:
    """The next note of every open sequence: fading, overdue and due first."""
    from followup.cli.agenda import show_agenda

    show_agenda(state.home, as_of, limit, show_all, as_json)


LIST_PAGE = 50  # `list` shows this many interviews unless --limit says otherwise


@click.command(name="list")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice([s.value for s in Status]),
    help="Only these statuses (repeatable).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1, max=1_000_000),
    help=f"At most N interviews (default {LIST_PAGE}; with --json: all).",
    metavar="N",
)
@click.option(
    "--after",
    type=ID,
    metavar="ID",
    help="The next page: the interviews listed after this one.",
)
@json_option
@pass_state
def list_(
    state: State,
    statuses: tuple[str, ...],
    limit: int | None,
    after: int | None,
    as_json: bool,
) -> None:
    """Interviews with their sequence's status, newest first, a page at a time.

    The table shows 50 and names the command for the next page; --json gives every
    interview (a script gets all it asked for) unless --limit, and --after pages it."""
    ctx = state.reader
    wanted = [Status(s) for s in statuses]
    if as_json and limit is None:  # every interview (after one): streamed
        every = services.every_interview(ctx, wanted, after)
        emit_json_list(views.interview_row(r) for r in every)
        return
    if limit is None and not as_json:
        limit = LIST_PAGE
    # one more than shown says whether there is a next page
    rows = services.list_interviews(ctx, wanted, None if limit is None else limit + 1, after)
    more = limit is not None and len(rows) > limit
    rows = rows[:limit]
    if as_json:
        emit_json([views.interview_row(r) for r in rows])
        return
    if not rows:
        if after is not None:
            click.echo(f"No interviews after {after}.")
            return
        click.echo("No interviews yet." if not statuses else "No interviews with that status.")
        return
    table(
        ["ID", "Company", "Role", "Round", "Interview (your time)", "Status"],
        [
            [
                str(r.interview.id),
                r.application.company,
                r.application.role,
                str(r.interview.round),
                local(r.interview.start, ctx.user_tz),
                r.interview.status.value,
            ]
            for r in rows
        ],
    )
    if more:
        counts = services.status_counts(ctx)  # from the status index, not the rows
        total = sum(n for s, n in counts.items() if not wanted or s in wanted)
        flags = "".join(f" --status {s}" for s in statuses)
        flags += f" --limit {limit}" if limit != LIST_PAGE else ""
        click.echo(f"{total:,} in all; more: followup list{flags} --after {rows[-1].interview.id}")


@click.command()
@click.argument("interview_id", type=ID)
@json_option
@pass_state
def show(state: State, interview_id: int, as_json: bool) -> None:
    """One interview: its status, notes and a timeline."""
    from followup.cli.timeline import print_timeline

    ctx = state.reader
    detail = services.show(ctx, interview_id)
    if as_json:
        emit_json(views.detail(detail))
        return
    print_timeline(ctx, detail)


@click.command()
@click.argument("interview_id", type=ID)
@click.option("--at", metavar="DATETIME", help="When it went out (default: now).")
@click.option("--interviewer", "email", metavar="EMAIL", help="Only the note to this person.")
@click.option(
    "--force",
    is_flag=True,
    help="Record it even before the cadence allows (it really went out then).",
)
@json_option
@pass_state
def sent(
    state: State,
    interview_id: int,
    at: str | None,
    email: str | None,
    force: bool,
    as_json: bool,
) -> None:
    """Record that the pending note went out (only the pending step's)."""
    result = services.mark_sent(state.ctx, interview_id, _instant(state, at), email, force=force)
    early = wording.too_early(result, state.ctx.policy)
    if early:
        warn(early)
    if as_json:
        emit_json(views.marked(result))
        return
    click.echo(f"Recorded {wording.notes_recorded(result)} as sent.")
    say_next(state, result.plan)


@click.command()
@click.argument("interview_id", type=ID)
@click.option("--interviewer", "email", metavar="EMAIL", help="Only the note to this person.")
@json_option
@pass_state
def retry(state: State, interview_id: int, email: str | None, as_json: bool) -> None:
    """Put a failed note back to pending, so that `send` tries it again (undo takes it back)."""
    plan = services.retry(state.ctx, interview_id, email)
    if as_json:
        emit_json({"interview_id": interview_id, "plan": views.plan(plan)})
        return
    click.echo(f"The failed note is pending again: `followup send {interview_id}` sends it.")


@click.command()
@click.argument("interview_id", type=ID)
@click.option("--interviewer", "email", metavar="EMAIL", help="Only the note to this person.")
@json_option
@pass_state
def dismiss(state: State, interview_id: int, email: str | None, as_json: bool) -> None:
    """Let a note go that the agenda keeps asking about: a failed note (stop being asked to
    fix and resend it), or a thank-you it says to let go — past its moment, or to people
    you have met again in a later round (the round moves on). Undo brings it back."""
    done = services.dismiss(state.ctx, interview_id, email)
    if as_json:
        status = done.status.value if done.status else None
        emit_json({"interview_id": interview_id, "dismissed": done.notes, "status": status})
        return
    notes = "note" if done.notes == 1 else f"{done.notes} notes"
    if done.status is not None:
        ended = "moved on to the later round" if done.status.value == "advanced" else "closed"
        click.echo(f"Let the {notes} go: not sent, and the sequence {ended}.")
        return
    click.echo(
        f"Let the failed {notes} go: no longer asked about. No note is planned again for"
        f" {'that person' if done.notes == 1 else 'those people'};"
        f" `followup retry {interview_id}` still tries again."
    )


@click.command()
@click.argument("interview_id", type=ID)
@click.option("--at", metavar="DATETIME", help="When they replied (default: now).")
@click.option(
    "--interviewer", "email", metavar="EMAIL", help="Who replied (one of the interviewers)."
)
@json_option
@pass_state
def replied(
    state: State, interview_id: int, at: str | None, email: str | None, as_json: bool
) -> None:
    """Record the employer's reply: the sequence stops (a panel's, whoever replied)."""
    status = services.mark_replied(state.ctx, interview_id, _instant(state, at), from_addr=email)
    if as_json:
        emit_json({"interview_id": interview_id, "status": status.value})
        return
    click.echo(
        wording.replied(interview_id, services.later_rounds_waiting(state.ctx, interview_id))
    )


@click.command()
@click.argument("interview_id", type=ID)
@click.option("--by", "by", required=True, metavar="DATE", help="The promised decision date.")
@json_option
@pass_state
def expect(state: State, interview_id: int, by: str, as_json: bool) -> None:
    """They promised news by DATE: no follow-up before the working day after it."""
    plan = services.expect(state.ctx, interview_id, parse_date(by))
    if as_json:
        emit_json({"interview_id": interview_id, "expect_by": by, "plan": views.plan(plan)})
        return
    click.echo(f"Noted: they promised news by {by}.")
    say_next(state, plan)


@click.command()
@click.argument("interview_id", type=ID)
@click.option(
    "--for",
    "span",
    required=True,
    type=click.Choice(list(SNOOZES)),
    help="How long: 1d, 3d, or week (Monday 00:00 in your zone).",
)
@json_option
@pass_state
def snooze(state: State, interview_id: int, span: str, as_json: bool) -> None:
    """Put the next note off (the dashboard's Snooze): later, never before its rule."""
    from followup.app import snoozing

    plan = snoozing.snooze(state.ctx, interview_id, span)
    if as_json:
        emit_json({"interview_id": interview_id, "snooze": span, "plan": views.plan(plan)})
        return
    click.echo(f"Interview {interview_id}: snoozed ({SNOOZES[span]}).")
    say_next(state, plan)


@click.command()
@click.argument("interview_id", type=ID)
@json_option
@pass_state
def cancel(state: State, interview_id: int, as_json: bool) -> None:
    """Stop following up on an interview."""
    services.cancel(state.ctx, interview_id)
    if as_json:
        emit_json({"interview_id": interview_id, "status": "cancelled"})
        return
    click.echo(f"Interview {interview_id} cancelled: no more notes.")
    behind = services.left_behind(state.ctx, interview_id)
    if behind:
        click.echo(behind)


COMMANDS = (add, agenda, list_, show, sent, retry, dismiss, replied, expect, snooze, cancel)
