"""`list` a page at a time: newest first, --limit N, --after ID for the next page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from followup.app.errors import ExitCode
from tests.conftest import Run


def add_five(run: Run) -> None:
    for n, day in enumerate((10, 12, 11, 12, 9)):  # two on the same start: the id breaks the tie
        r = run("add", "--company", f"Co{n}", "--role", "Dev", "--at", f"2026-11-{day:02d}T10:00Z")
        assert r.code == 0, r.err


def listed(out: str) -> list[int]:
    """The ids in the table's rows."""
    return [int(m[1]) for m in re.finditer(r"^(\d+)  ", out, re.M)]


def test_pages_by_after_cover_every_interview_once_newest_first(run: Run) -> None:
    add_five(run)
    everything = [row["id"] for row in run("list", "--json").json]
    assert everything == [4, 2, 3, 1, 5]
    seen: list[int] = []
    args = ["list", "--limit", "2"]
    while True:
        r = run(*args)
        assert r.code == 0, r.err
        seen += listed(r.out)
        more = re.search(r"more: followup (list .*)$", r.out, re.M)
        if more is None:
            break
        assert r.out.splitlines()[-1].startswith("5 in all; more: followup list --limit 2 --after")
        args = more[1].split()
    assert seen == everything
    assert [row["id"] for row in run("list", "--json", "--limit", "2", "--after", "2").json] == [
        3,
        1,
    ]


def test_the_default_page_is_fifty_with_a_line_naming_the_next(run: Run) -> None:
    for k in range(52):
        assert (
            run("add", "--company", f"C{k}", "--role", "R", "--at", "2026-11-10T10:00Z").code == 0
        )
    r = run("list", "--status", "waiting")
    rows = listed(r.out)
    assert len(rows) == 50
    assert r.out.splitlines()[-1] == (
        f"52 in all; more: followup list --status waiting --after {rows[-1]}"
    )
    assert len(run("list", "--json").json) == 52  # JSON: everything unless --limit


def test_a_page_after_an_unknown_interview_is_refused_in_one_line(run: Run) -> None:
    add_five(run)
    r = run("list", "--after", "99")
    assert r.code == ExitCode.NOT_FOUND
    assert r.err.strip() == "followup: error: no interview with id 99"
    assert run("list", "--after", "5").out.strip() == "No interviews after 5."


def test_every_interview_as_json_is_streamed_in_pages_to_the_same_text(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`list --json` of every interview reads a page at a time (issue #17: a million are
    never one list): the text is byte for byte the one the whole list gives, across page
    ends, with a status and after an interview too."""
    import json

    from followup.app import services

    assert run("list", "--json").out == "[]\n"
    add_five(run)
    monkeypatch.setattr(services, "LIST_BATCH", 2)  # pages end inside the list, and at its end
    from followup.adapters.store.sqlite import SqliteStore

    limits: list[int | None] = []
    original = SqliteStore.list_interviews

    def spy(self: SqliteStore, statuses: Any, limit: int | None = None, after: Any = None) -> Any:
        limits.append(limit)
        return original(self, statuses, limit, after)

    monkeypatch.setattr(SqliteStore, "list_interviews", spy)
    run("list", "--json")
    assert limits == [2, 2, 2]  # read two at a time: 2 + 2 + 1
    read: list[int] = []
    for args in ((), ("--status", "waiting"), ("--after", "2")):
        streamed = run("list", "--json", *args)
        assert streamed.code == 0, streamed.err
        whole = run("list", "--json", "--limit", "100", *args)  # the one-list path
        assert streamed.out == whole.out
        assert streamed.out == json.dumps(whole.json, indent=2, ensure_ascii=False) + "\n"
        read.append(len(streamed.json))
    assert read == [5, 5, 3]
    r = run("list", "--json", "--after", "99")
    assert r.code != 0 and "99" in r.err
