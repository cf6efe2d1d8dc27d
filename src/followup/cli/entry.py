"""The `followup` console script.

The agenda is what people run most (`followup` alone), and drafting right after an
interview comes next, so their common forms get a short path that skips click and the
other commands' modules: on a cold start that saves about half the agenda's time. Anything
else — help, another command, an option only click knows, a malformed value — goes to the
full click CLI, which is the reference for every command's syntax and output (a test runs
both paths and compares).
"""

from __future__ import annotations

import sys
from typing import Any


def main(argv: list[str] | None = None) -> Any:
    args = sys.argv[1:] if argv is None else list(argv)
    from followup.cli.errors import guarded

    agenda = agenda_options(args)
    if agenda is not None:
        from followup.cli.agenda import show_agenda

        home = agenda.pop("home")
        guarded(lambda: show_agenda(home, **agenda))
        return None
    draft = draft_options(args)
    if draft is not None:
        from followup.cli.drafts import show_drafts

        home = draft.pop("home")
        guarded(lambda: show_drafts(home, **draft))
        return None
    changes = history_options(args)
    if changes is not None:
        from followup.cli.undoing import show_history, take_back

        command, home = changes.pop("command"), changes.pop("home")
        guarded(lambda: (show_history if command == "history" else take_back)(home, **changes))
        return None
    from followup.cli.main import main as full

    return full(args)


def history_options(args: list[str]) -> dict[str, Any] | None:
    """`[--home DIR] history ID [--json]` or `[--home DIR] undo ID [--force] [--json]`."""
    found: dict[str, Any] = {"home": None, "as_json": False}
    rest = _take(args, found, {"--home": "home"}, {})
    if not rest or rest[0] not in ("history", "undo") or len(rest) < 2:
        return None
    if not _plain_id(rest[1]):
        return None
    found["command"], found["interview_id"] = rest[0], int(rest[1])
    flags = {"--json": "as_json"}
    if rest[0] == "undo":
        found["force"] = False
        flags["--force"] = "force"
    if _take(rest[2:], found, {}, flags) != []:
        return None
    return found


def draft_options(args: list[str]) -> dict[str, Any] | None:
    """`[--home DIR] draft ID [--step N] [--interviewer EMAIL] [--json]`, else None."""
    found: dict[str, Any] = {"home": None, "step": None, "email": None, "as_json": False}
    rest = _take(args, found, {"--home": "home"}, {})
    if not rest or rest[0] != "draft" or len(rest) < 2 or not _plain_id(rest[1]):
        return None
    found["interview_id"] = int(rest[1])
    tail = _take(
        rest[2:], found, {"--step": "step", "--interviewer": "email"}, {"--json": "as_json"}
    )
    if tail != []:
        return None
    if found["step"] is not None:
        if not found["step"].isdigit() or found["step"].startswith("0"):
            return None  # click says what is wrong with it
        found["step"] = int(found["step"])  # the policy says whether it has that step
    return found


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


def _plain_id(word: str) -> bool:
    """An id the store can hold, in ASCII digits; anything else (0, past 64 bits, "²", which
    isdigit() takes but int() refuses) is click's to explain."""
    from followup.domain.limits import ID_MAX

    return word.isascii() and word.isdigit() and 1 <= int(word) <= ID_MAX


def _valid_limit(found: dict[str, Any]) -> bool:
    """1 to ID_MAX (the store's LIMIT is 64-bit, as its ids); anything else is click's."""
    from followup.domain.limits import ID_MAX

    try:
        found["limit"] = int(found["limit"])
    except ValueError:
        return False
    return bool(1 <= found["limit"] <= ID_MAX)
