"""A dashboard app on the test's home, driven by FastAPI's TestClient (httpx)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from followup.web.app import create_app
from followup.web.deps import WebConfig
from followup.web.security import Sessions

PORT = 8765
ORIGIN = f"http://127.0.0.1:{PORT}"
TOKEN = "login-token-for-tests-0123456789abcdefghijklmnop"
FEED_TOKEN = "feed-token-for-tests-0123456789abcdefghijklmnopq"

_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


class Web:
    """A browser's view: a client with a session, and the page's CSRF token."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.csrf = ""

    def login(self) -> Web:
        first = self.client.get(f"/?token={TOKEN}", follow_redirects=False)
        assert first.status_code == 303, first.text
        self.csrf = csrf_of(self.client.get("/").text)
        return self

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, **kw)

    def post(self, path: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        """A form post as the page sends it: the CSRF field and a same-origin Origin."""
        headers = {"Origin": ORIGIN, **kw.pop("headers", {})}
        fields = {"csrf_token": self.csrf, **(data or {})}
        return self.client.post(path, data=fields, headers=headers, **kw)

    def api(self, method: str, path: str, **kw: Any) -> Any:
        """A JSON call as a script in the page makes it: the X-CSRF-Token header."""
        headers = {"Origin": ORIGIN, "X-CSRF-Token": self.csrf, **kw.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kw)


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "no CSRF token in the page"
    return found.group(1)


@pytest.fixture
def app(home: Path) -> Any:
    return create_app(WebConfig(str(home), PORT, FEED_TOKEN), Sessions(TOKEN))


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, base_url=ORIGIN, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def web(client: TestClient) -> Web:
    return Web(client).login()
