"""Commands that move data in and out: export, import, backup, restore."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO, TypeVar

import click

from followup.app.errors import InvalidInput
from followup.cli.render import emit_json, emit_json_streamed, local, warn
from followup.cli.state import State, json_option, pass_state

if TYPE_CHECKING:
    from followup.app.calendar import InviteOptions, InvitesImported
    from followup.app.invite_titles import Guess
    from followup.app.rows import InviteEvent

T = TypeVar("T")

file_path = click.Path(dir_okay=False, path_type=Path)


@click.command(name="export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv"]),
    help="json: everything, lossless (default); csv: one row per interview."
    " Default: from --output's extension, else json.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    metavar="FILE",
    help="Write here, not stdout ('-': stdout).",
)
@click.option(
    "--ics",
    "ics_file",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    metavar="FILE",
    help="Write your planned notes as a calendar (iCalendar) to FILE ('-': stdout):"
    " one event with an alarm at each due time.",
)
@click.option("--todo", is_flag=True, help="With --ics: tasks (VTODO) with a due time instead.")
@json_option
@pass_state
def export(
    state: State,
    fmt: str | None,
    output: Path | None,
    ics_file: Path | None,
    todo: bool,
    as_json: bool,
) -> None:
    """Print (or write to FILE) all your data as JSON or CSV, or your notes as a calendar.

    The JSON holds everything and `followup import` reads it back; the CSV is for
    spreadsheets and other trackers. With --output the file appears whole or not at all.

    --ics FILE writes the notes still to send, each at its due time (UTC), for your calendar
    app; export again after the plan changes and re-import the file: each note keeps its
    UID and its SEQUENCE rises when its time moved, so the calendar updates it instead of
    adding a copy (notes sent or cancelled since are marked done or cancelled).
    """
    if ics_file is not None:
        if fmt is not None or output is not None:
            raise click.UsageError("--ics cannot be combined with --format or --output")
        _export_ics(state, ics_file, todo, as_json)
        return
    if todo:
        raise click.UsageError("--todo goes with --ics FILE")
    if output is not None and str(output) == "-":
        output = None  # stdout: the way to stream (it once wrote a file named "-")
    from followup.app import portability

    if fmt is None:
        fmt = "csv" if output is not None and output.suffix.lower() == ".csv" else "json"
    from followup.cli.progress import Bar

    if output is None:
        sys.stdout.flush()
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
        # a bar only when the text goes elsewhere than the terminal it would draw on
        with Bar("Exporting") as bar:
            try:
                portability.export(
                    state.reader, fmt, out, None if sys.stdout.isatty() else bar.hook
                )
            finally:
                out.flush()
                out.detach()  # sys.stdout keeps its buffer
        return
    with Bar("Exporting") as bar:
        result = _write_streamed(
            output, lambda out: portability.export(state.reader, fmt, out, bar.hook)
        )
    if as_json:
        emit_json(
            {
                "file": str(output),
                "format": result.format,
                "applications": result.applications,
                "interviews": result.interviews,
            }
        )
        return
    click.echo(f"Exported {result.summary()} to {output} ({result.format}).")


def _export_ics(state: State, file: Path, todo: bool, as_json: bool) -> None:
    from followup.app import calendar
    from followup.bootstrap import calendar_codec

    if str(file) == "-":
        sys.stdout.flush()
        calendar.export_ics(state.reader, calendar_codec(), sys.stdout.buffer, todo)
        sys.stdout.flush()
        return
    result = _write_binary(
        file, lambda out: calendar.export_ics(state.reader, calendar_codec(), out, todo)
    )
    if as_json:
        emit_json(result.as_dict(str(file)))
        return
    summary = result.as_dict(str(file))
    what = "task" if todo else "reminder"
    plural = "" if summary["items"] == 1 else "s"
    closed = summary["done"] + summary["cancelled"]
    extra = f" ({closed} marked done or cancelled)" if closed else ""
    click.echo(
        f"Exported {summary['open']} note{'' if summary['open'] == 1 else 's'} to send"
        f" as {summary['items']} {what}{plural}{extra} to {file}."
    )


def _write_streamed(path: Path, write: Callable[[TextIO], T]) -> T:
    """`_write_atomically` for text written piece by piece: whole or not at all, 0600."""
    from followup.config.paths import open_private

    try:
        with open_private(path) as raw:
            out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            result = write(out)
            out.flush()
            out.detach()  # open_private closes the file
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from exc
    return result


def _write_binary(path: Path, write: Callable[[BinaryIO], T]) -> T:
    """`_write_streamed` for bytes: whole or not at all, 0600."""
    from followup.config.paths import open_private

    try:
        with open_private(path) as raw:
            return write(raw)
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from exc


def _write_atomically(path: Path, text: str | bytes) -> None:
    """Whole or not at all, and 0600 (it lists who you talk to), also over an existing file."""
    from followup.config.paths import write_private

    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        write_private(path, data)
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from exc


@click.command(name="import")
@click.argument("file", type=file_path)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="CSVCOLUMN=FIELD",
    help="Read a CSV column as FIELD (repeatable); 'COLUMN=' skips a column; a step your"
    " policy adds has its own, e.g. check_in_sent_at. Fields: company,"
    " role, start, tz, duration_minutes, interviewers, interviewer_name, interviewer_email,"
    " culture, country, topics, skill, location, status, round, application_id,"
    " thank_you_sent_at, follow_up_sent_at, final_sent_at, replied_at, status_at, expect_by,"
    " primary_contact, next_due_at, next_step_sent_to.",
)
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
@click.option("--company", help="Calendar invitations: the employer (instead of the guess).")
@click.option("--role", help="Calendar invitations: the position (instead of the guess).")
@click.option(
    "--yes", "-y", is_flag=True, help="Calendar invitations: take the guesses, ask nothing."
)
@json_option
@pass_state
def import_(
    state: State,
    file: Path,
    mapping: tuple[str, ...],
    dry_run: bool,
    company: str | None,
    role: str | None,
    yes: bool,
    as_json: bool,
) -> None:
    """Add the interviews in FILE: a CSV (ours, or a job tracker's), our JSON export, or a
    calendar invitation (.ics, or an .eml e-mail with the invitation in it).

    All or nothing: if any row is bad, the first 20 bad rows are listed with their lines,
    the rest counted, and nothing is written. A CSV is read through the same steps as
    `add`, `sent`, `replied` and `cancel`, so its notes are planned as if you had typed it;
    rows with the same application_id (or, without one, the same company and role) become
    rounds of one application; rows distinct in the file are distinct interviews, even at
    one company, role and start, but a row repeating an interview you had before the import
    (same company and role, case aside, and start; whatever its status, cancelled too) is
    refused naming it (the file imported twice?) — a JSON export's interviews alike. Common
    tracker headers are understood ("Company", "Job
    Title", "Interview Date", "Contact Email", …); name others with --map. Local times are
    read in the row's tz, else yours. A reply is recorded at its replied_at (a row with one
    and no status is replied), an ended sequence (replied, closed, cancelled, rejected,
    role-closed, offer) at its status_at, as an export writes them, so that `stats` times
    them as before. Without status_at, an outcome or a cancellation that came with a reply
    ends at replied_at, a closed sequence when its last note went out, else at the
    import's time. An end's time in the future is refused (naming the line); any other is
    taken as the file gives it, as the app itself may record one (a rejection before the
    interview took place, or received before a thank-you recorded later).

    An invitation's time and zone are read as the calendar wrote them (Outlook's Windows
    zone names too); its organizer and attendees, less your own addresses and name, become
    the interviewers; the company and role are guessed from its title and the organizer's
    domain (never your own name, user.name) and asked for confirmation in a terminal
    (--company, --role: no questions). Outside a terminal a guess is taken only with
    --yes: without it the import stops, saying what was guessed. Importing an updated
    invitation (a higher SEQUENCE) moves the interview and re-plans its notes; a
    cancellation cancels it; an older or equal one changes nothing.
    """
    from followup.app import portability

    suffix = file.suffix.lower()
    invite = None
    if suffix in portability.INVITE_SUFFIXES:
        invite = _invite_options(state, company, role, yes)
    elif company is not None or role is not None or yes:
        raise InvalidInput("--company, --role and --yes apply to calendar invitations only")
    from followup.cli.progress import Bar

    with Bar("Importing", unit="MB") as bar:
        hook = bar.hook
        result = portability.import_file(
            state.ctx,
            file,
            mapping,
            dry_run,
            invite=invite,
            progress=None if hook is None else lambda done, size: hook(done >> 20, size >> 20),
        )
    for warning in result.warnings:
        warn(warning)
    if invite is not None:
        _say_invites(state, result, as_json)  # type: ignore[arg-type]
        return
    if as_json:  # streamed: an import of a million interviews lists a million ids
        data = {**result.head(), "interviews": None, "warnings": list(result.warnings)}
        emit_json_streamed(data, "interviews", result.entries())
        return
    if dry_run:
        click.echo(f"{file}: would import {result.summary()}. Nothing was written (--dry-run).")
        return
    click.echo(f"Imported {result.summary()} from {file}.")
    ids = (i.interview_id for i in result.interviews)
    if result.interviews:
        many = len(result.interviews) != 1
        click.echo(f"New interview id{'s' if many else ''}: {id_ranges(ids)}")


SHOWN_RANGES = 10  # 50,000 ids were 340 KB on one line: runs of ids, the first few


def id_ranges(ids: Iterable[int | None]) -> str:
    """Ids as runs of consecutive ones, in the order given: "5–8, 12, 14–20" (written as
    `show` takes them: no thousands separators); after SHOWN_RANGES runs, how many more
    ids there are (`--json` lists every one)."""
    runs: list[tuple[int, int]] = []
    more = 0
    for i in ids:
        if i is None:
            continue
        if runs and i == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], i)
        elif len(runs) < SHOWN_RANGES + 1:
            runs.append((i, i))
        else:
            more += 1
    if len(runs) > SHOWN_RANGES:  # the last run was only counted as it grew
        first, last = runs.pop()
        more += last - first + 1
    text = ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)
    if more:
        text += f" and {more:,} more (--json lists every id)"
    return text


def _tty() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def _invite_options(
    state: State, company: str | None, role: str | None, yes: bool
) -> InviteOptions:
    from followup.app.calendar import InviteOptions
    from followup.app.parse import shown_mailbox  # a name cannot pose as an address
    from followup.bootstrap import calendar_codec
    from followup.config import paths
    from followup.config import settings as settings_mod
    from followup.config.mail import DEFAULT_ATS_DOMAINS

    values = settings_mod.load(paths.resolve(state.settings_home).config_file).values
    own = [
        values.get("user.email"),
        values.get("mail.from_address"),
        *values.get("mail.aliases", ()),
    ]
    ctx = state.ctx

    def confirm(event: InviteEvent, guess: Guess) -> Guess:
        err = sys.stderr
        print(f"{event.label}: {local(event.start, ctx.user_tz)} (in {event.tz})", file=err)
        people = ", ".join(shown_mailbox(p.name, p.email) for p in guess.interviewers)
        print(f"  interviewers: {people or 'none found in the invitation'}", file=err)
        if company is None:
            guess = guess._replace(company=_ask("  Company", guess.company))
        if role is None:
            guess = guess._replace(role=_ask("  Role", guess.role))
        return guess

    interactive = not yes and _tty()
    name = values.get("user.name")
    return InviteOptions(
        codec=calendar_codec(),
        own_addresses=tuple(a for a in own if a),
        own_names=(name,) if name else (),
        ats_domains=(*DEFAULT_ATS_DOMAINS, *values.get("mail.ats_domains", ())),
        company=company,
        role=role,
        confirm=confirm if interactive else None,
        take_guesses=yes,  # outside a terminal a guess is taken only with --yes
    )


def _ask(prompt: str, default: str) -> str:
    answer: Any = click.prompt(prompt, default=default or None, err=True)
    return str(answer).strip()


def _say_invites(state: State, result: InvitesImported, as_json: bool) -> None:
    if as_json:
        emit_json(result.as_dict())
        return
    user_tz = state.ctx.user_tz
    for outcome in result.outcomes:
        click.echo(outcome.message)
        if outcome.action in ("created", "updated"):
            click.echo(
                f"  starts {local(outcome.start, user_tz)} (the interview's zone: {outcome.tz})"
            )
    if not result.outcomes:
        click.echo(f"Nothing imported from {result.file}.")
    if result.dry_run:
        click.echo("Nothing was written (--dry-run).")


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@json_option
@pass_state
def backup(state: State, file: Path, as_json: bool) -> None:
    """Copy the database to FILE (SQLite's backup API: safe while followup runs).

    FILE is replaced only once the copy is complete and checked.
    """
    from followup.app import portability

    info = portability.backup(state.ctx, file)
    if as_json:
        emit_json(info.as_dict())
        return
    click.echo(f"Backed up {info.summary()} to {file}.")


@click.command()
@click.argument("file", type=file_path)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@json_option
@pass_state
def restore(state: State, file: Path, yes: bool, as_json: bool) -> None:
    """Replace ALL current data with the backup in FILE.

    FILE is never changed: a copy of it is checked first (intact, a followup database
    whose every table and value is what this version expects; an older one is migrated in
    the copy; not from a newer followup). A FILE-wal beside FILE (a copy of a database in
    use) is read with it. If anything is wrong, nothing changes. Notes
    approved to go when due come back unapproved: approve them again. Asks before
    replacing, unless --yes; your data as it was is kept in a file named in the output.
    """
    from followup.app import portability

    ctx = state.ctx
    if not yes and not sys.stdin.isatty():
        raise InvalidInput("restore replaces all your data: pass --yes to confirm")

    def confirm(incoming: portability.BackupInfo) -> None:
        if yes:
            return
        current = portability.current_counts(ctx)
        click.confirm(
            f"Replace your current data ({current.get('applications', 0)} applications,"
            f" {current.get('interviews', 0)} interviews) with {file}"
            f" ({incoming.summary()})?",
            abort=True,
            err=True,
        )

    info = portability.restore(ctx, file, confirm)
    if as_json:
        emit_json(info.as_dict())
        return
    click.echo(f"Restored {info.summary()} from {info.with_wal()}.")
    click.echo(f"Your data before the restore is kept in {info.previous}.")
    if info.approvals_withdrawn:
        n = info.approvals_withdrawn
        click.echo(
            f"{n} note{'s' if n != 1 else ''} approved to go when due"
            f" came back unapproved: approve {'them' if n != 1 else 'it'} again"
            " (followup send ID --when-due)."
        )
    if info.unknown:
        n = info.unknown
        click.echo(
            f"{n} note{'s' if n != 1 else ''} may or may not have been sent (in flight when"
            " the backup was made): followup send looks in your Sent folder first."
        )


COMMANDS = (export, import_, backup, restore)
