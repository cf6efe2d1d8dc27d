"""A server-mode dashboard on a real PostgreSQL, and browsers that sign in to it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

PORT = 8000
HOST = "followup.example.edu"
ORIGIN = f"http://{HOST}"
PASSWORD = "correct horse battery staple"

_META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]*)">')
_LOGIN_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """One person's browser: its cookie jar and the page's CSRF token."""

    def __init__(self, app: Any, origin: str = ORIGIN) -> None:
        self.origin = origin
        self.client = TestClient(app, base_url=origin, raise_server_exceptions=False)
        self.csrf = ""

    def close(self) -> None:
        self.client.close()

    def login_form(self) -> str:
        page = self.client.get("/login")
        assert page.status_code == 200, page.text
        found = _LOGIN_CSRF.search(page.text)
        assert found
        return found.group(1)

    def try_login(self, email: str, password: str, **extra: str) -> Any:
        token = self.login_form()
        return self.client.post(
            "/login",
            data={"email": email, "password": password, "csrf_token": token, **extra},
            headers={"Origin": self.origin},
            follow_redirects=False,
        )

    def login(self, email: str, password: str = PASSWORD) -> Browser:
        done = self.try_login(email, password)
        assert done.status_code == 303, done.text
        home = self.client.get(done.headers["location"])
        assert home.status_code == 200, home.text
        found = _META_CSRF.search(home.text)
        assert found and found.group(1)
        self.csrf = found.group(1)
        return self

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, follow_redirects=False, **kw)

    def post(self, path: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        headers = {"Origin": self.origin, **kw.pop("headers", {})}
        fields = {"csrf_token": self.csrf, **(data or {})}
        return self.client.post(path, data=fields, headers=headers, follow_redirects=False, **kw)

    def api(self, method: str, path: str, **kw: Any) -> Any:
        headers = {"Origin": self.origin, "X-CSRF-Token": self.csrf, **kw.pop("headers", {})}
        return self.client.request(method, path, headers=headers, follow_redirects=False, **kw)


@pytest.fixture
def server_app(server_url: str, home: Path, accounts: Any) -> Iterator[Any]:
    """The dashboard in server mode, answering to HOST; user contexts from bootstrap's pool."""
    from followup.bootstrap import close_databases
    from followup.web.app import create_app
    from followup.web.deps import WebConfig
    from followup.web.security import Sessions
    from followup.web.server_mode import ServerMode

    mode = ServerMode(accounts=accounts, home=str(home), port=PORT, allowed_hosts=frozenset({HOST}))
    try:
        yield create_app(WebConfig(str(home), PORT), Sessions(None), server=mode)
    finally:
        close_databases()  # before the test database is dropped


@pytest.fixture
def browsers(server_app: Any) -> Iterator[list[Browser]]:
    made: list[Browser] = []
    yield made
    for b in made:
        b.close()
