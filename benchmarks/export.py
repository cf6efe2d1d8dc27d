"""Time `export` (JSON and CSV) and the `import` of its JSON as cold processes, with their
peak memory, on a generated home (benchmarks/generate.py):

    python benchmarks/generate.py --interviews 100000 --home /tmp/h --now 2026-11-25T12:00:00Z
    python benchmarks/export.py --home /tmp/h [--import]

Each command runs once as its own process (`followup --home HOME …`, FOLLOWUP_NOW set to the
home's `now`); its peak resident memory is the child's ru_maxrss. The import goes into a
fresh home beside the output. The followup that runs is the one PYTHONPATH imports (to
measure another tree, point PYTHONPATH at its src).
"""

from __future__ import annotations

import argparse
import json
import os
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--formats", default="json,csv")
    parser.add_argument("--import", dest="do_import", action="store_true")
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
        if fmt == "json" and args.do_import:
            fresh = out / "imported"
            fresh.mkdir(exist_ok=True)
            (fresh / "config.toml").write_text((args.home / "config.toml").read_text())
            wall, cpu, rss = run(["--home", str(fresh), "import", str(target)], env)
            results.append(("import json", wall, cpu, rss, size))
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
