"""After signing in, `next=` leads only to a path on this site (issue #11, item 7)."""

from __future__ import annotations

from typing import Any

import pytest

from followup.app import accounts as acc_mod
from tests.server.web import PASSWORD, Browser

pytestmark = pytest.mark.integration

ELSEWHERE = [
    "//evil.example/",
    "/\\evil.example/",
    "/%2F%2Fevil.example/",
    "/%2f/evil.example/",
    "/%5Cevil.example/",
    "/%252F%252Fevil.example/",
    "https://evil.example/",
]


@pytest.fixture
def ada(server_app: Any, accounts: Any, browsers: list[Browser]) -> Browser:
    acc_mod.add_user(accounts, "ada@example.org", "seeker", PASSWORD)
    b = Browser(server_app)
    browsers.append(b)
    return b


@pytest.mark.parametrize("target", ELSEWHERE)
def test_next_that_could_name_another_site_goes_home(ada: Browser, target: str) -> None:
    done = ada.try_login("ada@example.org", PASSWORD, next=target)
    assert done.status_code == 303 and done.headers["location"] == "/"
    again = ada.get("/login", params={"next": target})  # already signed in
    assert again.status_code == 303 and again.headers["location"] == "/"


def test_next_on_this_site_is_kept_percent_encoded(ada: Browser) -> None:
    done = ada.try_login("ada@example.org", PASSWORD, next="/pipeline?status=waiting")
    assert done.headers["location"] == "/pipeline?status=waiting"
    again = ada.get("/login", params={"next": "/€?q=é"})
    assert again.status_code == 303 and again.headers["location"] == "/%E2%82%AC?q=%C3%A9"
