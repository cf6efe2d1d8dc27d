"""GET /api/interviews a page at a time, as `followup list --limit N --after ID --json`."""

from __future__ import annotations

from pathlib import Path

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
    for beyond in (2**63, 10**23):  # past any id: said, not a 500 with a traceback
        refused = web.get(f"/api/interviews?after={beyond}")
        assert refused.status_code == 400 and "after" in refused.text, refused.text


def test_api_interviews_says_the_total_and_links_the_next_page(run: Run, web: Web) -> None:
    """A script follows `Link: rel="next"` to the end and gets every interview once; the
    total is told on every page, for the statuses asked."""
    for day in range(1, 6):
        at = f"2026-11-{day:02d}T10:00Z"
        assert run("add", "--company", f"Co{day}", "--role", "R", "--at", at).code == 0
    assert run("cancel", "1").code == 0
    seen: list[int] = []
    url: str | None = "/api/interviews?limit=2"
    while url:
        page = web.get(url)
        assert page.status_code == 200 and page.headers["X-Total-Count"] == "5"
        seen += [r["id"] for r in page.json()]
        link = page.headers.get("Link")
        url = link[1 : link.index(">")] if link else None
        assert link is None or link.endswith('; rel="next"')
    assert seen == [5, 4, 3, 2, 1]
    waiting = web.get("/api/interviews?status=waiting&limit=3")
    assert waiting.headers["X-Total-Count"] == "4"
    assert [r["id"] for r in waiting.json()] == [5, 4, 3]
    assert "status=waiting" in waiting.headers["Link"]
    assert "Link" not in web.get("/api/interviews").headers  # all five fit the first page


def test_api_interviews_answers_a_page_not_the_history(run: Run, web: Web, home: Path) -> None:
    """Without `limit`, the first 100 (a script that wants all follows the links); a page
    is at most 1,000."""
    rows = "company,role,start\n" + "".join(
        f"Co{n},R,2026-10-{1 + n % 28:02d}T{9 + n % 8:02d}:{n % 60:02d}:00Z\n" for n in range(101)
    )
    (home / "many.csv").write_text(rows)
    imported = run("import", str(home / "many.csv"))
    assert imported.code == 0, imported.err
    first = web.get("/api/interviews")
    assert len(first.json()) == 100 and first.headers["X-Total-Count"] == "101"
    rest = web.get(first.headers["Link"][1 : first.headers["Link"].index(">")])
    assert len(rest.json()) == 1 and "Link" not in rest.headers
    assert web.get("/api/interviews?limit=1001").status_code == 400
