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


@pytest.mark.parametrize(
    "fields",
    [
        {"application": 10**22},
        {"duration": 10**22},
        {"application": 2**63},
    ],
)
def test_a_huge_number_in_a_new_interview_is_bad_input(web: Web, fields: dict) -> None:
    body = {"company": "Acme", "role": "Dev", "at": "2026-11-23T14:00", **fields}
    response = web.api("POST", "/api/interviews", json=body)
    assert response.status_code in (400, 404, 422), response.text[:300]


@pytest.mark.parametrize(
    ("field", "value"),
    [("application", "99999999999999999999999"), ("duration", "99999999999999999999999"),
     ("duration", "²"), ("application", "²")],
)  # fmt: skip
def test_a_huge_or_odd_number_in_the_add_form_is_one_message(
    web: Web, field: str, value: str
) -> None:
    form = {"company": "Acme", "role": "Dev", "at": "2026-11-23T14:00", field: value}
    response = web.post("/add", form)
    assert response.status_code == 400, response.text[:300]
    assert "Traceback" not in response.text
