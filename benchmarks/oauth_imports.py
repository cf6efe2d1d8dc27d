"""What an OAuth2 client library would add to a command that refreshes a token.

    python benchmarks/oauth_imports.py [--runs 15]

Each line is a cold `python -c "import M"` (wall clock, best and median of --runs) minus a
bare `python -c pass`: our stdlib adapter (followup.adapters.mail.oauth_http), httpx, and
Authlib's client (its session-less base, and its httpx integration, the one usable here:
requests is not installed). A module that is not installed is said so. Recorded in
docs/benchmarks.md ("OAuth2 client: our urllib adapter or a library").
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

MODULES = (
    "followup.adapters.mail.oauth_http",
    "httpx",
    "authlib.oauth2.client",
    "authlib.integrations.httpx_client",
    "msal",
)


def timed(code: str, runs: int) -> tuple[float, float] | None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-W", "ignore", "-c", code],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if done.returncode:
            return None
        times.append(time.perf_counter() - start)
    times.sort()
    return times[0] * 1000, times[len(times) // 2] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    base = timed("pass", runs)
    assert base is not None
    print(f"python -c pass: best {base[0]:.0f} ms, median {base[1]:.0f} ms")
    for module in MODULES:
        got = timed(f"import {module}", runs)
        if got is None:
            print(f"{module:40} not installed")
            continue
        print(f"{module:40} +{got[0] - base[0]:4.0f} ms best, +{got[1] - base[1]:4.0f} ms median")


if __name__ == "__main__":
    main()
