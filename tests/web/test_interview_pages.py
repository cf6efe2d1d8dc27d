"""GET /api/interviews a page at a time, as `followup list --limit N --after ID --json`."""

from __future__ import annotations

from tests.conftest import Run
from tests.web.conftest import Web


def test_api_interviews_pages_by_after_like_list(run: Run, web: Web) -> None:
    for day in (10, 12, 11):
        assert (
            run("add", "--company", f"Co{day}", "--role", "R", "--at", f"2026-11-{day}T10:00Z").code
            == 0
        )
    first = web.get("/api/interviews?limit=2").json()
    assert [r["id"] for r in first] == [2, 3]
    rest = web.get(f"/api/interviews?limit=2&after={first[-1]['id']}").json()
    assert [r["id"] for r in rest] == [1]
    assert web.get("/api/interviews?after=99").status_code == 404
