"""The board of applications under load (issue #16): every view of the 10,000-interview home.

    python benchmarks/board.py               # wrk -c 4 -t 2 -d 10s on each view
    python benchmarks/board.py --no-doc      # print, do not touch docs/benchmarks.md

The same cached home, server and measurements as benchmarks/dashboard.py (its docstring says
how): the real `followup serve` on the home of 10,000 interviews, a session cookie, then per
path one client back to back (the server's own log beside it) and `wrk -c 4`. The paths are
the board's views: all columns, one column, its next page (a keyset), a search matching
nearly every application and one matching none, the due and culture filters, and the JSON
twin. Writes the section between `<!-- board:start -->` and `<!-- board:end -->` of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dashboard  # the server, login, wrk and machine details
import record
import run

START, END = "<!-- board:start -->", "<!-- board:end -->"
TARGET_P95_MS = 50.0  # the dashboard issue's bar for every page under wrk -c 4
SERVER_MS = 150.0  # the board's own bar: any view's server time
VIEWS = (
    "/pipeline",
    "/pipeline?stage=answered",
    "/pipeline?stage=answered&after={after}",
    "/pipeline?q=a",
    "/pipeline?q=zzzz",
    "/pipeline?q=lovelace",
    "/pipeline?due=week",
    "/pipeline?culture=startup&stage=let-go",
    "/api/board",
)


def _after(port: int, cookie: str) -> int:
    """The answered column's last card on its first page: where its next page starts."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, body = dashboard.fetch(conn, "/api/board?stage=answered", cookie)
    conn.close()
    if status != 200:
        raise SystemExit(f"GET /api/board answered {status}")
    after = json.loads(body)["columns"][0]["more_after"]
    if not after:
        raise SystemExit("the answered column has one page only: nothing to page through")
    return int(after)


def _check(port: int, cookie: str, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, body = dashboard.fetch(conn, path, cookie)
    conn.close()
    if status != 200:
        raise SystemExit(f"GET {path} answered {status}: {body[:300]!r}")
    return len(body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per path")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--sequential", type=int, default=100, help="one-client requests")
    parser.add_argument("--no-doc", action="store_true", help="do not touch docs/benchmarks.md")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    run.OUT.mkdir(parents=True, exist_ok=True)
    home, manifest = run.ensure_home(dashboard.INTERVIEWS, False)
    info = dashboard.machine()
    server = dashboard.Server(home)
    results: dict[str, dict[str, Any]] = {}
    try:
        cookie = dashboard.login(server.port, server.token)
        after = _after(server.port, cookie)
        for view in VIEWS:
            path = view.format(after=after)
            size = _check(server.port, cookie, path)
            one = dashboard.sequential(server, cookie, path, args.sequential)
            loaded = dashboard.wrk(
                server.port, cookie, path, args.connections, args.threads, args.duration
            )
            print(
                f"GET {path}: {size / 1024:.0f} KB; one client p50 {one['p50']:.1f} ms"
                f" (server {one['server_p50']:.1f}); wrk p95 {loaded['p95']:.1f} ms"
            )
            results[path] = {"bytes": size, "sequential": one, "wrk": loaded}
    finally:
        server.stop()
    info["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    section = render(info, manifest, args, results)
    print(section)
    if not args.no_doc:
        record.write_section(section, START, END)
    return 0


def render(
    info: dict[str, str],
    manifest: dict[str, Any],
    args: argparse.Namespace,
    results: dict[str, dict[str, Any]],
) -> str:
    c = manifest["counts"]
    out = [
        START,
        "## Dashboard: the board of applications under load",
        "",
        "Written by `benchmarks/board.py`; do not edit by hand. Bars (issue #16): any view"
        f" of the board answers in < {SERVER_MS:.0f} ms of server time, and p95"
        f" ≤ {TARGET_P95_MS:.0f} ms under `wrk -c {args.connections} -t {args.threads}"
        f" -d {args.duration}s`.",
        "",
        f"- Date: {info['date']}; commit `{info['commit']}`",
        f"- Machine: {info['nproc']} cores ({info['cpu']}); load average {info['load']} before"
        f" the run, {info['load_after']} after (other work shares the cores)",
        f"- Home: {dashboard.INTERVIEWS:,} interviews in {c['applications']:,} applications"
        f" (`benchmarks/generate.py`, seed 1); `FOLLOWUP_NOW={run.NOW}`",
        "",
        "| View | Server's log p50 (ms) | One client p50 | p95 | wrk p50 | p95 | p99"
        " | Requests/s | Body (KB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for path, r in results.items():
        w, s = r["wrk"], r["sequential"]
        out.append(
            f"| `GET {path}` | {s['server_p50']:.1f} | {s['p50']:.1f} | {s['p95']:.1f}"
            f" | {w['p50']:.1f} | {w['p95']:.1f} | {w['p99']:.1f} | {w['rps']:,.0f}"
            f" | {r['bytes'] / 1024:.0f} |"
        )
    out.append(END)
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
