"""Issue #16's trial: "Germany" typed as the country was saved as Georgia (GE: the form kept
two letters). A country name is refused with the code to use; a code the holiday calendar
does not know is refused; the dashboard's forms offer the same list as Settings."""

from __future__ import annotations

import pytest

from tests.conftest import Run

ADD = ("add", "--company", "Acme", "--role", "Eng", "--at", "2026-11-16T10:00",
       "--tz", "Europe/Berlin")  # fmt: skip


@pytest.mark.parametrize(
    ("given", "code"), [("Germany", "DE"), ("united  kingdom", "GB"), ("U.S.A.", "US")]
)
def test_a_country_name_is_refused_with_its_code(run: Run, given: str, code: str) -> None:
    r = run(*ADD, "--country", given)
    assert r.code == 4 and f"use {code}" in r.err
    assert run("list", "--json").json == []


def test_an_unknown_name_or_code_is_refused_without_a_guess(run: Run) -> None:
    r = run(*ADD, "--country", "Atlantis")
    assert r.code == 4 and "two-letter ISO code" in r.err and "use " not in r.err
    r = run(*ADD, "--country", "QQ")
    assert r.code == 4 and "no public-holiday calendar for country 'QQ'" in r.err
