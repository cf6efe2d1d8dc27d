"""The dashboard's Add form and `POST /api/interviews` keep the interviewers' company
domains as `add` does (tests/cli/test_typed_domains.py: what they are for)."""

from __future__ import annotations

from tests.cli.test_typed_domains import _domains
from tests.conftest import Run
from tests.web.conftest import Web


def test_the_add_form_and_the_api_keep_the_domain(web: Web, run: Run) -> None:
    form = {"company": "Acme", "role": "Engineer", "at": "2026-11-20T10:00",
            "interviewers": "Ada <ada@acme.example>\nBo <bo@outlook.com>"}  # fmt: skip
    added = web.post("/add", form, follow_redirects=False)
    assert added.status_code == 303
    by_form = int(added.headers["location"].rsplit("/", 1)[1])
    assert _domains(run, by_form) == ["acme.example"]
    body = {"company": "Beta", "role": "Engineer", "at": "2026-11-20T11:00",
            "interviewers": ["Ann <ann@beta.example>"]}  # fmt: skip
    by_api = web.api("POST", "/api/interviews", json=body)
    assert by_api.status_code == 200, by_api.text
    assert _domains(run, int(by_api.json()["id"])) == ["beta.example"]
