"""Redirects only ever lead to a path on this site (issue #11, item 7).

The token-stripping redirect is built from the request's own path, so the requests go
through a real uvicorn over a socket: the path arrives decoded exactly as uvicorn decodes it
(`%2F` becomes `/`, `%E2%82%AC` becomes `€`), which a test client would not reproduce.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from followup.web.security import same_origin
from tests.web.conftest import FEED_TOKEN, TOKEN


class Served:
    """The laptop dashboard on a real uvicorn, and a browser's session cookie for it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""

    def get(self, target: str) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        conn.request("GET", target, headers=headers)  # sent as written: no client rewriting
        response = conn.getresponse()
        response.read()
        conn.close()
        return response


@pytest.fixture
def served(home: Path) -> Iterator[Served]:
    import uvicorn

    from followup.web.app import create_app
    from followup.web.deps import WebConfig
    from followup.web.security import Sessions

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    app = create_app(WebConfig(str(home), port, FEED_TOKEN), Sessions(TOKEN))
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:  # waiting for start-up, not for an outcome
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    web = Served(port)
    first = web.get(f"/?token={TOKEN}")
    assert first.status == 303
    web.cookie = first.headers["set-cookie"].split(";", 1)[0]
    try:
        yield web
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/?token=x",
        "/\\evil.example/?token=x",
        "/%2F%2Fevil.example/?token=x",
        "/%2f/evil.example/?token=x",
        "/%5Cevil.example/?token=x",
        "/%5C%5Cevil.example/?token=x",
        "///evil.example/?token=x",
        "/%252F%252Fevil.example/?token=x",
    ],
)
def test_the_token_redirect_never_leaves_the_site(served: Served, target: str) -> None:
    response = served.get(target)
    assert response.status == 303
    assert response.headers["location"] == "/"


def test_a_non_ascii_path_is_redirected_percent_encoded(served: Served) -> None:
    response = served.get("/%E2%82%AC?token=x&company=%C3%89cole")
    assert response.status == 303  # was a 500: "€" does not fit a latin-1 header
    assert response.headers["location"] == "/%E2%82%AC?company=%C3%89cole"


def test_an_ordinary_path_keeps_its_query(served: Served) -> None:
    response = served.get("/pipeline?status=waiting&token=x")
    assert response.status == 303
    assert response.headers["location"] == "/pipeline?status=waiting"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "/\\evil.example/",
        "/%2F%2Fevil.example/",
        "/%2f%2fevil.example/",
        "/%5Cevil.example/",
        "/%255C%255Cevil.example/",
        "/\t/evil.example/",
        "/\n/evil.example/",
        "https://evil.example/",
        "evil.example",
        "",
        None,
    ],
)
def test_a_target_that_could_name_another_site_gives_the_default(target: str | None) -> None:
    assert same_origin(target, "/home") == "/home"


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("/pipeline?status=waiting", "/pipeline?status=waiting"),
        ("/interviews/3#drafts", "/interviews/3#drafts"),
        ("/€?q=é", "/%E2%82%AC?q=%C3%A9"),
        ("/%E2%82%AC", "/%E2%82%AC"),
        ("/a b", "/a%20b"),
        ("/a//b", "/a//b"),
    ],
)
def test_a_path_on_this_site_is_kept_in_ascii(target: str, location: str) -> None:
    assert same_origin(target, "/home") == location
