"""Text for people: times in a reader's zone, and tables (rich in a terminal, plain in a pipe).

Machine output is `--json` (see app/views.py); this module is only for eyes. It does not
import click, so the agenda's short path can use it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from followup.app.wording import kind_label as kind_label  # re-exported: commands print
from followup.app.wording import local as local  # kinds and times
from followup.app.wording import relative as relative

if TYPE_CHECKING:
    from followup.app.context import Context


def announce(ctx: Context) -> Context:
    """Say once, on stderr, what opening `ctx` re-planned because config.toml's policy
    changed ("the policy in config.toml changed: 3 open interviews re-planned, …")."""
    if ctx.policy_change is not None:
        from followup.app.wording import policy_change

        warn(policy_change(ctx.policy_change))
    return ctx


def echo(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def warn(message: str) -> None:
    sys.stderr.write(f"followup: warning: {message}\n")


def tell(message: str) -> None:
    """A line for the person (not a warning) on stderr, where --json keeps stdout for data."""
    sys.stderr.write(f"followup: {message}\n")


def emit_json(data: Any) -> None:
    import json

    echo(json.dumps(data, indent=2, ensure_ascii=False))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], title: str | None = None) -> None:
    """A table: rich's when a person is looking, aligned plain text when piped."""
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        t = Table(*headers, title=title, title_justify="left", highlight=False)
        for row in rows:
            t.add_row(*row)
        Console().print(t)
        return
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = [title] if title else []
    lines.append("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    echo("\n".join(lines))
