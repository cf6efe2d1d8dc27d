"""The dashboard's "Today" under load: ≤ 50 ms p95 with 10,000 interviews, on loopback.

    python benchmarks/dashboard.py               # wrk -c 4 -t 2 -d 15s on each of PATHS
    python benchmarks/dashboard.py --check       # exit 1 when a p95 is over the target
    python benchmarks/dashboard.py --no-doc      # print, do not touch docs/benchmarks.md

1. Takes the cached 10,000-interview home under benchmarks/out/ (`benchmarks/generate.py`,
   seed 1, ending at 2026-11-25T12:00:00Z — the same one `make bench` uses; generated on
   first use, verified against the services when reused).
2. Starts the real server, `followup serve --port PORT --no-browser`, on that home with
   FOLLOWUP_NOW fixed at the instant the history ends (so the agenda does not drift), and
   reads the URL with the one-time token from its output.
3. Logs in as a browser does: GET the token URL, keep the session cookie from the 303.
4. Checks each path answers 200 with the agenda's content (the JSON twin lists every open
   sequence), then measures it twice:
   - one client, one keep-alive connection, requests back to back (`--sequential` of
     them): the latency of a single request with nothing else queued, beside the server's
     own log of the same requests (arrival to last byte written: a gap is time in transit);
   - `wrk -c 4 -t 2 -d 15s --latency` with the Cookie header (wrk's Host is the URL's,
     127.0.0.1:PORT, which the server's Host check accepts); a small Lua `done` hook prints
     p50/p90/p95/p99 (wrk's own `--latency` table has no p95). Any non-2xx answer or socket
     error fails the run: a fast 401 or 403 would measure nothing.
   Both times the server process's CPU time (user + system, /proc/PID/stat) is read before
   and after: its CPU per request, which other work on a shared machine hardly changes (the
   wall-clock figures it does: wrk and the server queue for the cores with everything else).
5. Stops the server (SIGTERM) and writes the section between `<!-- dashboard:start -->` and
   `<!-- dashboard:end -->` of docs/benchmarks.md with the machine, date and commit.

Loopback only; wrk and the server share the machine's cores, which is counted in the
numbers (as it is when the browser and the server share a laptop).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- dashboard:start -->", "<!-- dashboard:end -->"
INTERVIEWS = 10_000
TARGET_P95_MS = 50.0
PATHS = ("/", "/?only=upcoming", "/api/agenda")
URL_RE = re.compile(r"http://127\.0\.0\.1:(\d+)/\S*[?&]token=([A-Za-z0-9_\-]+)")

sys.path.insert(0, str(ROOT / "benchmarks"))
import record  # noqa: E402
import run  # noqa: E402  (the cached homes, git and machine details, shared with make bench)

WRK_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d bytes=%d\\n",
    summary.requests, summary.duration, summary.bytes))
  io.write(string.format("RESULT errors connect=%d read=%d write=%d status=%d timeout=%d\\n",
    e.connect, e.read, e.write, e.status, e.timeout))
  for _, p in ipairs({50, 90, 95, 99}) do
    io.write(string.format("RESULT p%d_us=%d\\n", p, latency:percentile(p)))
  end
  io.write(string.format("RESULT max_us=%d mean_us=%.1f\\n", latency.max, latency.mean))
end
"""


# --- the server ---------------------------------------------------------------------------


class Server:
    def __init__(self, home: Path) -> None:
        self.port = _free_port()
        env = {
            **os.environ,
            "FOLLOWUP_HOME": str(home),
            "FOLLOWUP_NOW": run.NOW,
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("FOLLOWUP_DEBUG", None)
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [run._bin("followup"), "serve", "--port", str(self.port), "--no-browser"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        seen: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, args=(seen,), daemon=True).start()
        self.token = self._wait_for_url(seen, timeout=30)

    def _read(self, seen: queue.Queue[str]) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)
            seen.put(line)

    def _wait_for_url(self, seen: queue.Queue[str], timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = seen.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            found = URL_RE.search(line)
            if found and int(found.group(1)) == self.port:
                token = found.group(2)
                while not _answers(self.port):
                    if time.monotonic() > deadline or self.proc.poll() is not None:
                        break
                    time.sleep(0.1)
                else:
                    return token
                break
        self.stop()
        raise SystemExit(
            f"`followup serve --port {self.port} --no-browser` did not print a URL with a"
            " token and answer within 30 s; its output:\n" + "".join(self.lines)
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/static/")
        conn.getresponse().read()
        conn.close()
        return True
    except OSError:
        return False


def login(port: int, token: str) -> str:
    """The session cookie (`name=value`) the token URL sets, as a browser would receive it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", f"/?token={token}")
    response = conn.getresponse()
    response.read()
    conn.close()
    cookie = response.getheader("set-cookie")
    if response.status not in (302, 303, 307) or not cookie:
        raise SystemExit(f"the token URL answered {response.status} without a session cookie")
    return cookie.split(";", 1)[0]


# --- measuring ----------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far (user + system), from /proc/PID/stat (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fetch(conn: http.client.HTTPConnection, path: str, cookie: str) -> tuple[int, bytes]:
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    return response.status, response.read()


def check(port: int, cookie: str, path: str, pending: int) -> dict[str, Any]:
    """The page answers 200 (not a login page, not an error); the agenda API lists every
    open note."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, body = fetch(conn, path, cookie)
    conn.close()
    if status != 200:
        raise SystemExit(f"GET {path} answered {status}: {body[:300]!r}")
    if path.startswith("/api/agenda"):  # the other APIs: JSON of their own shape
        items = json.loads(body)
        if not isinstance(items, list) or len(items) != pending:
            shown = len(items) if isinstance(items, list) else type(items).__name__
            raise SystemExit(f"GET {path} lists {shown} items; the home has {pending} open")
    elif path.startswith("/api/"):
        json.loads(body)  # JSON, not an error page
    elif path.endswith(".ics"):
        if not body.startswith(b"BEGIN:VCALENDAR"):
            raise SystemExit(f"GET {path} is not a calendar: {body[:300]!r}")
    elif b"<html" not in body.lower():
        raise SystemExit(f"GET {path} is not an HTML page: {body[:300]!r}")
    return {"bytes": len(body)}


def sequential(server: Server, cookie: str, path: str, count: int) -> dict[str, float]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    for _ in range(min(20, count)):  # warm-up: imports, template compilation, page cache
        fetch(conn, path, cookie)
    time.sleep(0.2)  # let the warm-up's log lines arrive
    logged_from = len(server.lines)
    took: list[float] = []
    cpu_before = cpu_seconds(server.proc.pid)
    for _ in range(count):
        started = time.perf_counter()
        status, _body = fetch(conn, path, cookie)
        took.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status} during the sequential run")
    conn.close()
    result = _percentiles(took)
    result["cpu"] = (cpu_seconds(server.proc.pid) - cpu_before) * 1000 / count
    # the server's own account of each request (its log: arrival to the last byte written),
    # to tell time spent in the app from time spent in transit
    time.sleep(0.2)
    pattern = re.compile(rf"GET {re.escape(path)} 200 ([0-9.]+)ms")
    logged = [
        float(m.group(1)) for line in server.lines[logged_from:] if (m := pattern.search(line))
    ]
    result["server_p50"] = statistics.median(logged) if logged else float("nan")
    return result


def _percentiles(ms: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return {
        "n": len(ms),
        "p50": statistics.median(ms),
        "p90": cuts[89],
        "p95": cuts[94],
        "p99": cuts[98],
        "max": max(ms),
    }


def wrk(
    port: int, cookie: str, path: str, connections: int, threads: int, seconds: int
) -> dict[str, Any]:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_LUA)
    try:
        done = subprocess.run(
            [
                "wrk",
                f"-c{connections}",
                f"-t{threads}",
                f"-d{seconds}s",
                "--timeout=5s",
                "--latency",
                "-s",
                script.name,
                "-H",
                f"Cookie: {cookie}",
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    values: dict[str, Any] = {}
    for line in done.splitlines():
        if line.startswith("RESULT "):
            for word in line.split()[1:]:
                if "=" in word:
                    key, _, value = word.partition("=")
                    values[key] = float(value)
    errors = {k: int(values.get(k, 0)) for k in ("connect", "read", "write", "status", "timeout")}
    if any(errors.values()):
        raise SystemExit(f"wrk on {path}: errors {errors} (non-2xx answers count as 'status')")
    seconds_taken = values["duration_us"] / 1e6
    return {
        "requests": int(values["requests"]),
        "rps": values["requests"] / seconds_taken,
        "p50": values["p50_us"] / 1000,
        "p90": values["p90_us"] / 1000,
        "p95": values["p95_us"] / 1000,
        "p99": values["p99_us"] / 1000,
        "max": values["max_us"] / 1000,
        "mean": values["mean_us"] / 1000,
        "raw": done,
    }


# --- the report ---------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = subprocess.run(
        [
            run._bin("python"),
            "-c",
            "import sys, sqlite3, fastapi, uvicorn, starlette;"
            " print(sys.version.split()[0], sqlite3.sqlite_version, fastapi.__version__,"
            " uvicorn.__version__, starlette.__version__)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    first = (wrk_version.stdout or wrk_version.stderr).strip().splitlines()
    dirty = " (with uncommitted changes)" if run._git("status", "--porcelain", "--", "src") else ""
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": run._git("rev-parse", "--short", "HEAD") + dirty,
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "os": f"{platform.system()} {platform.release()}",
        "python": versions[0],
        "sqlite": versions[1],
        "fastapi": versions[2],
        "uvicorn": versions[3],
        "starlette": versions[4],
        "wrk": first[0].split(" [")[0] if first else "wrk",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def render(
    info: dict[str, str],
    manifest: dict[str, Any],
    args: argparse.Namespace,
    results: dict[str, dict[str, Any]],
) -> str:
    c = manifest["counts"]
    out = [
        START,
        "## Dashboard: Today under load",
        "",
        "Written by `benchmarks/dashboard.py`; do not edit by hand. What it does and why: the"
        " script's docstring. Target (the dashboard issue): **Today with 10,000 interviews"
        f" answers in ≤ {TARGET_P95_MS:.0f} ms p95 on loopback**, under"
        f" `wrk -c {args.connections} -t {args.threads} -d {args.duration}s`.",
        "",
        f"- Date: {info['date']}; commit `{info['commit']}`",
        f"- Machine: {info['nproc']} cores ({info['cpu']}), {info['os']}; load average"
        f" {info['load']} before the run, {info['load_after']} after; wrk and the server share"
        " the cores",
        f"- Python {info['python']}, SQLite {info['sqlite']}, FastAPI {info['fastapi']},"
        f" Starlette {info['starlette']}, uvicorn {info['uvicorn']} (one process, as"
        f" `followup serve` runs it), {info['wrk']}",
        f"- Home: {INTERVIEWS:,} interviews (`benchmarks/generate.py`, seed 1),"
        f" {c['interviews_pending']:,} open sequences; `FOLLOWUP_NOW={run.NOW}`; a session"
        " cookie from the token URL on every request",
        "",
        "| Path | Verdict (p95 under wrk) | wrk p50 (ms) | p90 | p95 | p99 | max | Requests/s"
        " | Requests | One client: p50 (ms) | p95 | p99 | Server's log: p50 (ms)"
        " | Server CPU a request (ms): one client | under wrk | Body (KB) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for path, r in results.items():
        w, s = r["wrk"], r["sequential"]
        verdict = "PASS" if w["p95"] <= TARGET_P95_MS else "FAIL"
        out.append(
            f"| `GET {path}` | **{verdict}** | {w['p50']:.1f} | {w['p90']:.1f} | {w['p95']:.1f}"
            f" | {w['p99']:.1f} | {w['max']:.1f} | {w['rps']:,.0f} | {w['requests']:,}"
            f" | {s['p50']:.1f} | {s['p95']:.1f} | {s['p99']:.1f} | {s['server_p50']:.1f}"
            f" | {s['cpu']:.1f} | {w['cpu']:.1f} | {r['check']['bytes'] / 1024:.0f} |"
        )
    out += [
        "",
        f'"One client": {args.sequential} requests back to back on one keep-alive connection'
        " (after 20 untimed), timed in Python around each request: the latency of one request"
        ' with nothing queued behind it. "Server\'s log": the same requests as the server logs'
        " them (arrival to the last byte written); a gap between the two is time in transit."
        ' "Server CPU a request": the server process\'s CPU time (user + system) over the'
        " requests, divided by their number: what the machine's other work hardly changes.",
        END,
    ]
    return "\n".join(out) + "\n"


def write_doc(section: str) -> None:
    record.write_section(section, START, END)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds of wrk per path")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--sequential", type=int, default=300, help="one-client requests per path")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the cached home")
    parser.add_argument("--no-doc", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--paths", nargs="+", default=list(PATHS), help="the pages to measure (default: Today's)"
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    run.OUT.mkdir(parents=True, exist_ok=True)
    home, manifest = run.ensure_home(INTERVIEWS, args.regenerate)
    pending = int(manifest["counts"]["interviews_pending"])
    info = machine()
    server = Server(home)
    results: dict[str, dict[str, Any]] = {}
    try:
        cookie = login(server.port, server.token)
        for path in args.paths:
            checked = check(server.port, cookie, path, pending)
            print(f"GET {path}: 200, {checked['bytes']:,} bytes; {args.sequential} one by one ...")
            one = sequential(server, cookie, path, args.sequential)
            print(
                f"  one client: p50 {one['p50']:.1f} ms, p95 {one['p95']:.1f} ms"
                f" (server's log: p50 {one['server_p50']:.1f} ms;"
                f" CPU {one['cpu']:.1f} ms a request)"
            )
            print(f"  wrk -c {args.connections} -t {args.threads} -d {args.duration}s ...")
            cpu_before = cpu_seconds(server.proc.pid)
            loaded = wrk(server.port, cookie, path, args.connections, args.threads, args.duration)
            loaded["cpu"] = (cpu_seconds(server.proc.pid) - cpu_before) * 1000 / loaded["requests"]
            print(
                f"  wrk: p50 {loaded['p50']:.1f} ms, p95 {loaded['p95']:.1f} ms,"
                f" p99 {loaded['p99']:.1f} ms, {loaded['rps']:,.0f} requests/s,"
                f" server CPU {loaded['cpu']:.1f} ms a request"
            )
            results[path] = {"check": checked, "sequential": one, "wrk": loaded}
    finally:
        server.stop()
    info["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    section = render(info, manifest, args, results)
    print(section)
    if not args.no_doc:
        write_doc(section)
        print(f"wrote the dashboard section of {DOC.relative_to(ROOT)}")
    missed = [p for p, r in results.items() if r["wrk"]["p95"] > TARGET_P95_MS]
    if missed:
        print(f"p95 over {TARGET_P95_MS:.0f} ms on: {', '.join(missed)}", file=sys.stderr)
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
