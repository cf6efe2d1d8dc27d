"""`followup serve`: a real uvicorn in a subprocess, its one-time URL, and a clean stop."""

from __future__ import annotations

import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.cli.test_startup import loaded_by
from tests.conftest import Run

URL = re.compile(r"(http://127\.0\.0\.1:(\d+))/\?token=([A-Za-z0-9_-]{43})")


def read_line(proc: subprocess.Popen[str], timeout: float = 20) -> str:
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    if not selector.select(timeout):
        raise AssertionError("followup serve printed nothing")
    return proc.stdout.readline()


def wait_until_up(base: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(base + "/static/app.css", timeout=1)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_serve_prints_its_url_answers_and_stops_on_sigterm(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("followup")
    env = {**os.environ, "FOLLOWUP_HOME": str(tmp_path / "home"), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", "0", "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = read_line(proc)
        found = URL.search(line)
        assert found, line
        base, port, token = found.group(1), int(found.group(2)), found.group(3)
        wait_until_up(base)

        login = httpx.get(f"{base}/?token={token}", follow_redirects=False)
        assert login.status_code == 303 and login.headers["location"] == "/"
        cookie = login.headers["set-cookie"].split(";")[0]
        assert cookie.startswith(f"followup_session_{port}=")
        page = httpx.get(base + "/", headers={"Cookie": cookie})
        assert page.status_code == 200 and 'data-testid="onboarding"' in page.text
        assert page.headers["x-frame-options"] == "DENY"
        assert "server" not in page.headers  # no software banner
        assert httpx.get(base + "/").status_code == 401
        assert httpx.get(f"{base}/?token={token}").status_code == 401  # spent
        rebinding = httpx.get(
            base + "/", headers={"Cookie": cookie, "Host": f"evil.example:{port}"}
        )
        assert rebinding.status_code == 403

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    out, err = proc.communicate()
    assert token not in err and token not in out  # printed once, on the line read above
    assert "GET /?token=[redacted] 303" in err
    assert "stopped" in err
    assert "Traceback" not in err


def test_serve_refuses_a_host_that_is_not_loopback(run: Run) -> None:
    for host in ("0.0.0.0", "192.168.1.10", "example.org"):
        result = run("serve", "--host", host, "--no-browser")
        assert result.code == 2, result.err  # a usage error: other hosts need server mode
        assert result.err.count("\n") == 1 and "loopback only" in result.err
        assert "server mode" in result.err


def test_serve_says_so_when_the_port_is_taken(run: Run) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port), "--no-browser")
    assert result.code == 5
    assert f"cannot listen on 127.0.0.1:{port}" in result.err and "--port 0" in result.err


def test_help_loads_neither_fastapi_nor_uvicorn(tmp_path: Path) -> None:
    for args in (["--help"], ["serve", "--help"]):
        loaded = loaded_by(args, tmp_path)
        assert not loaded & {"fastapi", "starlette", "uvicorn", "jinja2", "pydantic"}, args
