"""End-to-end fixtures: Debian's Chromium driven by Playwright against a real `followup serve`.

- `browser` (session): headless `/usr/bin/chromium` — Playwright's own browser download does
  not work here, and GUIDE §3 names Debian's package. It is installed by `make test`
  (`scripts/test-deps.sh`); when it is missing the tests FAIL, they never skip (GUIDE §2.5).
  As root Chromium needs `--no-sandbox`; the other flags stop it from reaching for Google's
  services on a machine with no network. Playwright gives each launch a fresh, empty
  `--user-data-dir` of its own (a temporary `playwright_chromiumdev_profile-*` directory).
- `serve` (function): starts the real server as a user would —
  `followup serve --port PORT --no-browser` in a subprocess, FOLLOWUP_HOME in a temporary
  directory, FOLLOWUP_NOW fixed — reads the URL with the one-time token from its stdout,
  waits until it answers, and stops it with SIGTERM afterwards (its output is attached to a
  failing test's report).
- `page` (function): a new browser context (no cookies) in the user's zone, recording every
  dialog, uncaught script error and Content-Security-Policy violation.
- `shot(page, name)`: a full-page screenshot under tests/artifacts/screenshots/ (git-ignored),
  named by test and step, so a person can review what each page looked like.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Dialog, Page

NOW = "2026-11-25T12:00:00Z"  # a Wednesday; FOLLOWUP_NOW for every server the tests start
USER_TZ = "Asia/Kolkata"  # the user's zone (config.toml): UTC+05:30, no DST, not the server's
SERVER_TZ = "Pacific/Chatham"  # the server process's TZ: a time shown in it would be wrong
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",  # as root, Chromium refuses to start with its sandbox
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
START_TIMEOUT = 30.0  # seconds for `followup serve` to print its URL and answer
URL_RE = re.compile(r"https?://(?:127\.0\.0\.1|localhost|\[::1\]):\d+/\S*token=[A-Za-z0-9_\-]+")


# --- the browser --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"{CHROMIUM} is missing: the dashboard's end-to-end tests need Debian's chromium."
            " Run `make test` (scripts/test-deps.sh installs it) or"
            " `apt-get install -y chromium`.",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "the Python package playwright is missing: `pip install -e '.[dev]'` (make test)",
            pytrace=False,
        )
    with sync_playwright() as pw:
        try:
            launched = pw.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS)
            )
        except Exception as exc:  # say what failed, loudly
            pytest.fail(f"cannot start {CHROMIUM}: {exc}", pytrace=False)
        yield launched
        launched.close()


@dataclass
class Watched:
    """What a page did that a test may want to assert on."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # uncaught script errors
    csp: list[str] = field(default_factory=list)  # Content-Security-Policy violations
    console: list[str] = field(default_factory=list)


CSP_TAG = "followup-e2e-csp: "
# Each Content-Security-Policy violation, with what and where (the console message alone
# does not say which directive: an inline style attribute and a <style> element differ).
CSP_LISTENER = (
    "document.addEventListener('securitypolicyviolation', (e) => console.warn("
    f"{CSP_TAG!r} + JSON.stringify({{directive: e.effectiveDirective, blocked: e.blockedURI,"
    " source: e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber, sample: e.sample})));"
)


@pytest.fixture
def watched() -> Watched:
    return Watched()


NewPage = Callable[..., "Page"]


@pytest.fixture
def new_page(browser: Browser, watched: Watched) -> Iterator[NewPage]:
    """`new_page(**context_options)`: a page in a new browser context (no cookies), watched."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> Page:
        context = browser.new_context(
            **{
                "timezone_id": USER_TZ,
                "locale": "en-GB",
                "viewport": {"width": 1280, "height": 900},
                **options,
            }
        )
        contexts.append(context)
        context.set_default_timeout(10_000)
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()

        def on_dialog(dialog: Dialog) -> None:
            watched.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        def on_console(message: Any) -> None:
            if message.text.startswith(CSP_TAG):
                watched.csp.append(f"{message.text.removeprefix(CSP_TAG)} on {page.url}")
            else:
                watched.console.append(f"{message.type}: {message.text}")

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda exc: watched.errors.append(str(exc)))
        page.on("console", on_console)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: NewPage) -> Page:
    return new_page()


# --- screenshots --------------------------------------------------------------------------

Shot = Callable[["Page", str], Path]


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Shot:
    """`shot(page, "today")` saves tests/artifacts/screenshots/<test>-NN-today.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_")
    for old in SCREENSHOTS.glob(f"{test}-[0-9][0-9]-*.png"):
        old.unlink()  # a rerun replaces the test's pictures rather than mixing with them
    count = 0

    def take(page: Page, name: str) -> Path:
        nonlocal count
        count += 1
        path = SCREENSHOTS / f"{test}-{count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def followup_exe() -> str:
    exe = Path(sys.executable).with_name("followup")
    return str(exe) if exe.exists() else (shutil.which("followup") or "followup")


@dataclass
class Server:
    proc: subprocess.Popen[str]
    home: Path
    port: int
    login_url: str  # the printed URL, with the one-time token
    lines: list[str]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def token(self) -> str:
        found = re.search(r"token=([A-Za-z0-9_\-]+)", self.login_url)
        assert found
        return found.group(1)

    def output(self) -> str:
        return "".join(self.lines)


def _reader(stream: Any, lines: list[str], seen: queue.Queue[str]) -> None:
    for line in stream:
        lines.append(line)
        seen.put(line)


def _answers(url: str) -> bool:
    """The server answers (any HTTP status: a 401 without a session is an answer)."""
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def start_server(home: Path, *, extra_env: dict[str, str] | None = None) -> Server:
    port = free_port()
    env = {
        **os.environ,
        "FOLLOWUP_HOME": str(home),
        "FOLLOWUP_NOW": NOW,
        "TZ": SERVER_TZ,
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    env.pop("FOLLOWUP_DEBUG", None)
    proc = subprocess.Popen(
        [followup_exe(), "serve", "--port", str(port), "--no-browser"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    seen: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    threading.Thread(target=_reader, args=(proc.stdout, lines, seen), daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT
    login_url = None
    while login_url is None and time.monotonic() < deadline:
        try:
            line = seen.get(timeout=0.2)
        except queue.Empty:
            if proc.poll() is not None:
                break
            continue
        found = URL_RE.search(line)
        if found:
            login_url = found.group(0)
    if login_url is None:
        stop(proc)
        pytest.fail(
            f"`followup serve --port {port} --no-browser` printed no URL with a token within"
            f" {START_TIMEOUT:.0f} s (exit code {proc.returncode}); its output:\n" + "".join(lines),
            pytrace=False,
        )
    server = Server(proc, home, port, login_url, lines)
    while not _answers(f"{server.base}/static/app.css"):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(proc)
            pytest.fail(
                f"`followup serve` printed {login_url} but does not answer on port {port};"
                " its output:\n" + server.output(),
                pytrace=False,
            )
        time.sleep(0.1)
    return server


def stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def make_home(path: Path, timezone: str = USER_TZ) -> Path:
    """A FOLLOWUP_HOME whose user lives in `timezone` and signs notes with a name (an
    unsigned note is a lint error)."""
    path.mkdir(parents=True, exist_ok=True)
    config = f'timezone = "{timezone}"\n[user]\nname = "Jamie Rivera"\n'
    (path / "config.toml").write_text(config, "utf-8")
    return path


def followup(home: Path, *args: str) -> str:
    """Run the CLI on `home` (to prepare data a test then looks at in the browser)."""
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "FOLLOWUP_HOME": str(home), "FOLLOWUP_NOW": NOW, "TZ": SERVER_TZ}
    done = subprocess.run(
        [followup_exe(), *args], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, f"followup {' '.join(args)}: {done.stderr}"
    return done.stdout


StartServer = Callable[..., Server]


@pytest.fixture
def serve(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[StartServer]:
    """`serve([home])` starts `followup serve` (on a new home by default), stops it after."""
    started: list[Server] = []

    def start(home: Path | None = None, **extra: str) -> Server:
        where = home or make_home(tmp_path / f"home{len(started)}")
        server = start_server(where, extra_env=extra)
        started.append(server)
        return server

    yield start
    for server in started:
        stop(server.proc)
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        for server in started:
            print(f"--- followup serve (port {server.port}) output ---\n{server.output()}")


@pytest.fixture
def server(serve: StartServer) -> Server:
    return serve()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@contextlib.contextmanager
def no_new_dialogs(watched: Watched) -> Iterator[None]:
    before = len(watched.dialogs)
    yield
    assert watched.dialogs[before:] == [], f"a dialog fired: {watched.dialogs[before:]}"


def mail_home(tmp_path: Path, sink: Any) -> Path:
    """A home whose mail goes to `sink` (an SMTP sink), with one interview to thank."""
    home = make_home(tmp_path / "home")
    for key, value in (("user.email", "jamie@example.org"), ("mail.smtp_host", sink.host),
                       ("mail.smtp_port", str(sink.port)), ("mail.smtp_security", "none"),
                       ("mail.mode", "send")):  # fmt: skip
        followup(home, "config", "set", key, value)
    followup(home, "add", "--company", "Kestrel", "--role", "Data Engineer",
             "--at", "2026-11-20T16:30", "--tz", "Europe/Berlin",
             "--interviewer", "Ada Lovelace <ada@kestrel.example>",
             "--topic", "backfilling the event stream",
             "--skill", "incremental Spark jobs")  # fmt: skip
    return home
