"""Time `export` (JSON and CSV) and the `import` of each as cold processes, with their
peak memory, on a generated home (benchmarks/generate.py):

    python benchmarks/generate.py --interviews 100000 --home /tmp/h --now 2026-11-25T12:00:00Z
    python benchmarks/export.py --home /tmp/h [--import [--round-trip]]

Each command runs once as its own process (`followup --home HOME …`, FOLLOWUP_NOW set to the
home's `now`); its peak resident memory is the child's ru_maxrss. The import goes into a
fresh home beside the output. `--round-trip` then exports that home again and compares
the two documents application by application (streamed, both files read in step: ids
replaced by positions, the import's own history entry left out): issue #17's exact round
trip, on a home too big for the test suite. The followup that runs is the one PYTHONPATH
imports (to measure another tree, point PYTHONPATH at its src). Compile its modules first
(`python -m compileall -q SRC`) and unset PYTHONDONTWRITEBYTECODE: a cold process without
.pyc files compiles them every time (0.3-0.4 s of CPU here).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and the peak RSS (MB) of one cold
    `followup` process. On a shared machine the CPU time is the steadier figure."""
    code = "import sys; from followup.cli.entry import main; sys.argv[0] = 'followup'; main()"
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args], env=env, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"followup {' '.join(args)} failed")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def same_documents(first: Path, second: Path) -> int:
    """Compare two exports application by application, in constant memory; raise at the
    first difference. The second is the first imported and exported again."""
    import queue
    import threading

    from followup.app.portability.jsonstream import Scanner

    def applications(path: Path, out: queue.Queue[object]) -> None:
        with path.open("rb") as f:
            scanner = Scanner(f, path.name, 2**24)

            def member(key: str) -> None:
                if key == "applications":
                    scanner.elements(out.put)
                else:
                    out.put((key, scanner.value()))

            scanner.members(member)
        out.put(None)

    streams: list[queue.Queue[object]] = [queue.Queue(maxsize=100), queue.Queue(maxsize=100)]
    for path, q in zip((first, second), streams, strict=True):
        threading.Thread(target=applications, args=(path, q), daemon=True).start()
    n = 0
    while True:
        a, b = streams[0].get(), streams[1].get()
        if a is None or b is None:
            if a is not b:
                raise SystemExit("round trip: one document has more applications")
            return n
        if isinstance(a, tuple):
            if a[0] != "exported_at" and a != b:
                raise SystemExit(f"round trip: {a[0]} differs")
            continue
        for interview in b["interviews"]:  # type: ignore[index]
            if interview["history"].pop()["summary"] != f"imported from {first.name}":
                raise SystemExit(f"round trip: application {n} has no import entry")
        if _positions(a) != _positions(b):
            raise SystemExit(f"round trip: application {n} differs")
        n += 1


def _positions(app: object) -> object:
    """The application with its ids left out and each interviewer named by its position."""
    people: dict[int, str] = {}
    for i, interview in enumerate(app["interviews"]):  # type: ignore[index]
        for p, person in enumerate(interview["interviewers"]):
            people[person["id"]] = f"{i}.{p}"

    def strip(value: object) -> object:
        if isinstance(value, list):
            return [strip(v) for v in value]
        if isinstance(value, dict):
            out = {k: strip(v) for k, v in value.items() if k != "id"}
            if value.get("interviewer_id") is not None:
                out["interviewer_id"] = people.get(value["interviewer_id"], "elsewhere")
            return out
        return value

    return strip(app)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--formats", default="json,csv")
    parser.add_argument("--import", dest="do_import", action="store_true")
    parser.add_argument("--round-trip", action="store_true", help="with --import: compare")
    parser.add_argument("--out", type=Path, help="where the exports go (default: a temp dir)")
    args = parser.parse_args(argv)
    manifest = json.loads((args.home / "benchmark.json").read_text())
    interviews = int(manifest["counts"]["interviews"])
    env = {**os.environ, "FOLLOWUP_NOW": str(manifest["now"])}
    out = args.out or Path(tempfile.mkdtemp(prefix="followup-export-"))
    results = []
    for fmt in args.formats.split(","):
        target = out / f"export.{fmt}"
        wall, cpu, rss = run(
            ["--home", str(args.home), "export", "--format", fmt, "-o", str(target)], env
        )
        size = target.stat().st_size / 1e6
        results.append(("export " + fmt, wall, cpu, rss, size))
        if fmt == "csv" and args.do_import:  # the CSV import: one row per interview
            fresh = out / "imported-csv"
            if fresh.exists():
                shutil.rmtree(fresh)
            fresh.mkdir()
            (fresh / "config.toml").write_text((args.home / "config.toml").read_text())
            wall, cpu, rss = run(["--home", str(fresh), "import", str(target)], env)
            results.append(("import csv", wall, cpu, rss, size))
        if fmt == "json" and args.do_import:
            fresh = out / "imported"
            if fresh.exists():  # a run before left its import there: the round trip
                shutil.rmtree(fresh)  # would compare against two imports of the file
            fresh.mkdir()
            (fresh / "config.toml").write_text((args.home / "config.toml").read_text())
            wall, cpu, rss = run(["--home", str(fresh), "import", str(target)], env)
            results.append(("import json", wall, cpu, rss, size))
            if args.round_trip:
                again = out / "again.json"
                run(["--home", str(fresh), "export", "--format", "json", "-o", str(again)], env)
                compared = same_documents(target, again)
                print(f"round trip: {compared:,} applications compared, all equal")
    print(f"{interviews:,} interviews ({args.home})")
    for what, wall, cpu, rss, size in results:
        print(
            f"{what:12} {wall:7.2f} s wall ({interviews / wall:7,.0f} interviews/s)"
            f"  {cpu:7.2f} s CPU ({interviews / cpu:7,.0f} interviews/s)"
            f"  peak RSS {rss:5.0f} MB  ({size:.1f} MB file)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
