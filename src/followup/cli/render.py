"""Text for people: times in a reader's zone, and tables (rich in a terminal, plain in a pipe).

Machine output is `--json` (see app/views.py); this module is only for eyes. It does not
import click, so the agenda's short path can use it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from followup.domain.workdays import zone

KIND_LABEL = {"thank-you": "thank-you", "follow-up": "follow-up", "final": "final note"}


def echo(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def warn(message: str) -> None:
    sys.stderr.write(f"followup: warning: {message}\n")


def local(dt: datetime | None, tz: str, with_zone: bool = True) -> str:
    if dt is None:
        return "—"
    here = dt.astimezone(zone(tz))
    text = here.strftime("%a %d %b %Y %H:%M")
    return f"{text} {here.tzname()}" if with_zone else text


def relative(dt: datetime, now: datetime) -> str:
    """'in 2 days', '3 h ago' — coarse on purpose."""
    delta = dt - now
    future = delta >= timedelta(0)
    seconds = abs(delta.total_seconds())
    if seconds < 3600:
        amount = f"{int(seconds // 60)} min"
    elif seconds < 2 * 86400:
        amount = f"{int(seconds // 3600)} h"
    else:
        amount = f"{int(seconds // 86400)} days"
    return f"in {amount}" if future else f"{amount} ago"


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
