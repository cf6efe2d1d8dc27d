"""One zone field everywhere (issue #16): Add and the interview's edit form take what Settings
takes — "Berlin", "PST", "UTC+1" — resolved the same way, with the same markup, and a zone
they cannot be sure of is answered under the field, naming the candidates."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from tests.conftest import Run
from tests.web.conftest import Web
from tests.web.homes import add

FORM = {"company": "Acme", "role": "Eng", "at": "2026-11-23T14:00"}


@pytest.mark.parametrize(
    ("typed", "zone"),
    [("Berlin", "Europe/Berlin"), ("PST", "America/Los_Angeles"), ("UTC+1", "Etc/GMT-1")],
)
def test_add_takes_what_settings_takes(web: Web, run: Run, typed: str, zone: str) -> None:
    response = web.post("/add", {**FORM, "tz": typed}, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    [shown] = run("list", "--json").json
    assert shown["tz"] == zone


def _field_error(page: str, field: str) -> str:
    found = re.search(rf'data-testid="{field}-error" role="alert">([^<]*)</p>', page)
    assert found, page[:500]
    return html_lib.unescape(found.group(1))


def test_add_answers_a_zone_it_cannot_be_sure_of_under_the_field(web: Web, run: Run) -> None:
    response = web.post("/add", {**FORM, "tz": "Indiana"})
    assert response.status_code == 400
    said = _field_error(response.text, "add-tz")
    assert "America/Indiana/Indianapolis" in said  # the candidates, named
    assert 'aria-describedby="add-tz-error"' in response.text
    assert 'value="Indiana"' in response.text  # what was typed stays
    assert 'data-testid="add-error"' not in response.text  # not at the form's top
    unknown = web.post("/add", {**FORM, "tz": "Mars/Olympus"})
    assert "unknown time zone" in _field_error(unknown.text, "add-tz")
    assert run("list", "--json").json == []


def test_the_edit_form_is_the_same_field_and_takes_what_settings_takes(web: Web, run: Run) -> None:
    iid = add(run, "--company", "Acme", "--role", "Eng", "--at", "2026-11-20T10:00",
              "--tz", "Europe/Berlin")  # fmt: skip
    page = web.get(f"/interviews/{iid}").text
    assert '<select name="tz"' not in page  # no 490-entry select
    field = re.search(r'<input name="tz" id="edit-tz"[^>]*>', page)
    assert field and 'list="edit-tz-options"' in field.group(0)
    assert 'value="Europe/Berlin"' in field.group(0)
    assert ">UTC+1 (Etc/GMT-1)</option>" in page  # the same labels as Settings'
    settings = web.get("/settings").text
    assert ">UTC+1 (Etc/GMT-1)</option>" in settings
    moved = web.post(f"/interviews/{iid}/edit", {"tz": "UTC+1", "at": "2026-11-20T10:00"})
    assert moved.status_code == 200, moved.text[:500]
    [shown] = run("list", "--json").json
    assert shown["tz"] == "Etc/GMT-1"
    refused = web.post(f"/interviews/{iid}/edit", {"tz": "Indiana", "at": "2026-11-20T10:00"})
    assert refused.status_code == 400
    assert "America/Indiana/Indianapolis" in _field_error(refused.text, "edit-tz")
    assert 'aria-describedby="edit-tz-error"' in refused.text
    assert run("list", "--json").json[0]["tz"] == "Etc/GMT-1"


def test_the_suggestions_follow_either_field_name(web: Web) -> None:
    for name in ("timezone", "tz"):
        options = web.client.get("/settings/zones", params={name: "Berlin"}).text
        assert '<option value="Europe/Berlin">' in options
        assert "Africa/Abidjan" not in options
