"""Commands that move data in and out: export, import, backup, restore."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from followup.app.errors import InvalidInput
from followup.cli.render import emit_json, warn
from followup.cli.state import State, json_option, pass_state

file_path = click.Path(dir_okay=False, path_type=Path)


@click.command(name="export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv"]),
    help="json: everything, lossless (default); csv: one row per interview."
    " Default: from --output's extension, else json.",
)
@click.option("--output", "-o", type=file_path, metavar="FILE", help="Write here, not stdout.")
@json_option
@pass_state
def export(state: State, fmt: str | None, output: Path | None, as_json: bool) -> None:
    """Print (or write to FILE) all your data as JSON or CSV.

    The JSON holds everything and `followup import` reads it back; the CSV is for
    spreadsheets and other trackers. With --output the file appears whole or not at all.
    """
    from followup.app import portability

    if fmt is None:
        fmt = "csv" if output is not None and output.suffix.lower() == ".csv" else "json"
    result = portability.export(state.ctx, fmt)
    if output is None:
        click.echo(result.text, nl=False)
        return
    _write_atomically(output, result.text)
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


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.partial")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from exc


@click.command(name="import")
@click.argument("file", type=file_path)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="CSVCOLUMN=FIELD",
    help="Read a CSV column as FIELD (repeatable); 'COLUMN=' skips a column. Fields: company,"
    " role, start, tz, duration_minutes, interviewers, interviewer_name, interviewer_email,"
    " culture, country, topics, skill, location, status, round, application_id,"
    " thank_you_sent_at, follow_up_sent_at, final_sent_at, expect_by.",
)
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
@json_option
@pass_state
def import_(
    state: State, file: Path, mapping: tuple[str, ...], dry_run: bool, as_json: bool
) -> None:
    """Add the interviews in FILE: a CSV (ours, or a job tracker's) or our JSON export.

    All or nothing: if any row is bad, every bad row is listed with its line and nothing is
    written. A CSV is read through the same steps as `add`, `sent`, `replied` and `cancel`,
    so its notes are planned as if you had typed it; rows with the same application_id
    (or, without one, the same company and role) become rounds of one application. Common
    tracker headers are understood ("Company", "Job Title", "Interview Date", "Contact
    Email", …); name others with --map. Local times are read in the row's tz, else yours.
    """
    from followup.app import portability

    result = portability.import_file(state.ctx, file, mapping, dry_run)
    for warning in result.warnings:
        warn(warning)
    if as_json:
        emit_json(result.as_dict())
        return
    if dry_run:
        click.echo(f"{file}: would import {result.summary()}. Nothing was written (--dry-run).")
        return
    ids = ", ".join(str(i.interview_id) for i in result.interviews)
    click.echo(f"Imported {result.summary()} from {file}.")
    click.echo(f"New interview ids: {ids}")


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

    FILE is checked first (a followup database, intact, not from a newer followup); if it
    is not, nothing changes. Asks before replacing, unless --yes.
    """
    from followup.app import portability

    ctx = state.ctx
    incoming = portability.inspect_backup(ctx, file)
    if not yes:
        if not sys.stdin.isatty():
            raise InvalidInput("restore replaces all your data: pass --yes to confirm")
        current = portability.current_counts(ctx)
        click.confirm(
            f"Replace your current data ({current.get('applications', 0)} applications,"
            f" {current.get('interviews', 0)} interviews) with {file}"
            f" ({incoming.summary()})?",
            abort=True,
            err=True,
        )
    info = portability.restore(ctx, file)
    if as_json:
        emit_json(info.as_dict())
        return
    click.echo(f"Restored {info.summary()} from {file}.")


COMMANDS = (export, import_, backup, restore)
