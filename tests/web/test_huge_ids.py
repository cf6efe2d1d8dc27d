"""An id in a URL past what the database holds (64 bits) is a 404 like any id not there,
never a 500 from an overflow in the store; page and API, reading and posting alike."""

from __future__ import annotations

import pytest

from tests.conftest import Run
from tests.web.conftest import Web

HUGE = "99999999999999999999999"  # > 2**63


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/interviews/{HUGE}"),
        ("GET", f"/api/interviews/{HUGE}"),
        ("GET", f"/api/interviews/{HUGE}/drafts"),
        ("GET", f"/interviews/{HUGE}/eml"),
        ("GET", f"/interviews/{2**63}"),
        ("POST", f"/api/interviews/{HUGE}/replied"),
        ("POST", f"/api/interviews/{HUGE}/sent"),
    ],
)
def test_a_huge_id_is_not_found(web: Web, run: Run, method: str, path: str) -> None:
    add = run("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-23T14:00")
    assert add.code == 0, add.err
    response = web.api(method, path, json={})
    assert response.status_code == 404, response.text[:300]
    if path.startswith("/api/"):
        assert response.json()["status"] == 404


def test_a_huge_id_in_a_form_post_is_not_found(web: Web) -> None:
    assert web.post(f"/interviews/{HUGE}/replied").status_code == 404
