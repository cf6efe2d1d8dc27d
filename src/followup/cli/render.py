"""Text for people: times in a reader's zone, and tables (rich in a terminal, plain in a pipe).

Machine output is `--json` (see app/views.py); this module is only for eyes. It does not
import click, so the agenda's short path can use it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
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


def emit_json_streamed(data: dict[str, Any], key: str, items: Iterable[Any]) -> None:
    """`emit_json({**data, key: list(items)})`'s text (`key` keeps its place if `data` has
    it), the items written as they come: an import's million are never one list or string."""
    import json

    mark = "\0items\0"  # a string no data holds: its JSON text is where the list goes
    whole = json.dumps({**data, key: mark}, indent=2, ensure_ascii=False)
    head, tail = whole.split(json.dumps(mark), 1)
    sys.stdout.write(head)
    _write_list(items, "    ")
    sys.stdout.write(tail + "\n")


def emit_json_list(items: Iterable[Any]) -> None:
    """`emit_json(list(items))`'s text, the items written as they come (`list --json` of a
    million interviews is never one list or string)."""
    _write_list(items, "  ")
    sys.stdout.write("\n")


def _write_list(items: Iterable[Any], pad: str) -> None:
    """A JSON array as `json.dumps(…, indent=2)` writes it `pad` deep, a thousand at a time."""
    import json

    write = sys.stdout.write
    first = True
    chunk: list[str] = []
    for item in items:
        chunk.append(json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n" + pad))
        if len(chunk) == 1000:
            write(("[\n" if first else ",\n") + pad + f",\n{pad}".join(chunk))
            first, chunk = False, []
    if chunk:
        write(("[\n" if first else ",\n") + pad + f",\n{pad}".join(chunk))
        first = False
    write("[]" if first else f"\n{pad[:-2]}]")


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
