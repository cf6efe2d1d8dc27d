"""The `followup` console script.

The agenda is what people run most (`followup` alone), so it gets a short path that skips
click and the write-side modules: on a cold start that halves its time. Anything it does
not recognise — help, another command, a malformed option — goes to the full click CLI,
which is the reference for every command's syntax and output.
"""

from __future__ import annotations

import sys
from typing import Any


def main(argv: list[str] | None = None) -> Any:
    args = sys.argv[1:] if argv is None else list(argv)
    options = agenda_options(args)
    if options is None:
        from followup.cli.main import main as full

        return full(args)
    from followup.cli.agenda import show_agenda
    from followup.cli.errors import guarded

    home = options.pop("home")
    guarded(lambda: show_agenda(home, **options))
    return None


def agenda_options(args: list[str]) -> dict[str, Any] | None:
    """`[--home DIR] [agenda [--json] [--all] [--as-of T] [--limit N]]` as options, else None."""
    found: dict[str, Any] = {
        "home": None,
        "as_of": None,
        "limit": 50,
        "show_all": False,
        "as_json": False,
    }
    rest = _take(args, found, {"--home": "home"}, {})
    if rest is None:
        return None
    if not rest:
        return found
    if rest[0] != "agenda":
        return None
    tail = _take(
        rest[1:],
        found,
        {"--as-of": "as_of", "--limit": "limit"},
        {"--json": "as_json", "--all": "show_all"},
    )
    if tail != [] or not _valid_limit(found):
        return None
    return found


def _take(
    args: list[str], found: dict[str, Any], valued: dict[str, str], flags: dict[str, str]
) -> list[str] | None:
    """Consume leading options into `found`; the first other word ends them."""
    i = 0
    while i < len(args):
        word = args[i]
        name, eq, value = word.partition("=")
        if name in valued:
            if not eq:
                if i + 1 >= len(args):
                    return None
                value = args[i + 1]
                i += 1
            found[valued[name]] = value
        elif word in flags:
            found[flags[word]] = True
        elif word.startswith("-"):
            return None
        else:
            return args[i:]
        i += 1
    return []


def _valid_limit(found: dict[str, Any]) -> bool:
    try:
        found["limit"] = int(found["limit"])
    except ValueError:
        return False
    return bool(found["limit"] >= 1)
