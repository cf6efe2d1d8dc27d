"""`mail setup`'s autoconfig lookup on a shared server: never its own network (an attacker
trial's address eve@127.0.0.1 made the server open a TLS connection to its own port 443),
and a redirect is no answer (followed, it could lead to an internal http:// address before
any check)."""

from __future__ import annotations

import http.server
import threading
import urllib.error
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest

from followup.adapters.mail import discovery


@pytest.fixture
def redirecting() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that redirects / to /inside, and records what it is asked."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            if self.path == "/":
                self.send_response(302)
                self.send_header("Location", "/inside")
                self.end_headers()
            else:
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"<clientConfig/>")

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", asked
    finally:
        server.shutdown()
        server.server_close()


def test_a_redirect_is_not_followed(redirecting: tuple[str, list[str]]) -> None:
    url, asked = redirecting
    with pytest.raises(urllib.error.HTTPError) as caught:
        discovery._OPENER.open(url, timeout=5)
    assert caught.value.code == 302
    assert asked == ["/"]  # never /inside


def test_a_shared_server_asks_no_host_of_its_own_network(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from followup.bootstrap import ALLOW_PRIVATE, mail_resolver

    opened: list[str] = []

    def record(url: str, **kw: Any) -> None:
        opened.append(url)
        raise OSError("not here")

    monkeypatch.setattr(discovery._OPENER, "open", record)
    monkeypatch.setenv("FOLLOWUP_DATABASE_URL", "postgresql://unused.invalid/x")  # server mode
    monkeypatch.delenv(ALLOW_PRIVATE, raising=False)
    assert mail_resolver().autoconfig("127.0.0.1", "eve@127.0.0.1") is None
    assert mail_resolver().autoconfig("localhost", "eve@localhost") is None
    hosts = {urllib.parse.urlsplit(url).hostname for url in opened}
    assert not hosts & {"127.0.0.1", "localhost"}  # a name that resolves nowhere is asked
    opened.clear()
    monkeypatch.delenv("FOLLOWUP_DATABASE_URL")  # a laptop asks its own domain's host
    assert mail_resolver().autoconfig("127.0.0.1", "eve@127.0.0.1") is None
    assert "https://127.0.0.1/.well-known/autoconfig/mail/config-v1.1.xml" in opened
