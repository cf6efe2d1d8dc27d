"""`followup history` and `followup undo` on an interview with 1,000 events, against the agenda.

    python benchmarks/history.py              # 1,000 events, 21 runs each
    python benchmarks/history.py --events 5000 --runs 31

Issue #14's bar: "history and undo on an interview with 1,000 events answer within the
agenda's time". Builds `make bench`'s 10,000-interview home (the agenda's documented time)
and gives one waiting interview N more events — each a real use-case call (expect with a
new date, which keeps the interview's rows to be undone), made in-process — then times
cold processes, interleaved so that a busy machine slows all three alike:

- `followup agenda` (the yardstick);
- `followup history ID --json` (every event, as JSON);
- `followup undo ID` on a fresh copy of the database each run (the latest event taken back).

Prints min / median / p95 wall-clock milliseconds of each, and the ratios of medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLLOWUP = str(ROOT / ".venv" / "bin" / "followup")
NOW = "2026-11-25T12:00:00Z"


def build(home: Path, events: int) -> int:
    """The home: `make bench`'s 10,000 interviews (benchmarks/generate.py, seed 1), and one
    waiting interview given `events` events. Returns its id."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate

    generate.generate(home, 10_000, 1, datetime.fromisoformat(NOW), batch=2000, quiet=True)
    os.environ["FOLLOWUP_HOME"] = str(home)
    os.environ["FOLLOWUP_NOW"] = NOW
    from followup.app import services
    from followup.bootstrap import open_context
    from followup.domain.model import Status

    ctx = open_context(str(home))
    target = services.list_interviews(ctx, [Status.WAITING], limit=1)[0].interview.id
    first = date(2026, 12, 1)
    for k in range(events):
        services.expect(ctx, target, first + timedelta(days=k % 60))
    ctx.store.close()  # type: ignore[attr-defined]
    return target


def time_runs(
    commands: dict[str, list[str]], runs: int, before: dict[str, object]
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall-clock and CPU (user + system, of the child) milliseconds of each run: on a shared
    machine the wall clock also counts waiting for a core; the CPU time does not."""
    import resource

    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            prepare = before.get(name)
            if callable(prepare):
                prepare()
            used = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
            wall[name].append((time.perf_counter() - t) * 1000)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            spent = after.ru_utime - used.ru_utime + after.ru_stime - used.ru_stime
            cpu[name].append(spent * 1000)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch) / "home"
        t = time.perf_counter()
        target = build(home, args.events)
        print(f"built: 10,000 interviews, interview {target} with {args.events} more events"
              f" in {time.perf_counter() - t:.1f} s")  # fmt: skip
        db = home / "followup.db"
        subprocess.run(
            [sys.executable, "-c", f"import sqlite3; sqlite3.connect({str(db)!r})"
             ".execute('PRAGMA wal_checkpoint(TRUNCATE)')"],
            check=True,
        )  # fmt: skip
        pristine = Path(scratch) / "pristine.db"
        shutil.copyfile(db, pristine)

        def fresh() -> None:
            for leftover in (db.with_name("followup.db-wal"), db.with_name("followup.db-shm")):
                leftover.unlink(missing_ok=True)
            shutil.copyfile(pristine, db)

        commands = {
            "agenda": [FOLLOWUP, "agenda"],
            "history --json": [FOLLOWUP, "history", str(target), "--json"],
            "undo": [FOLLOWUP, "undo", str(target)],
        }
        wall, cpu = time_runs(commands, args.runs, {"undo": fresh, "agenda": fresh})
    for label, samples in (("wall-clock", wall), ("CPU (user + system)", cpu)):
        medians = {}
        print(
            f"{label}: {'command':<16} {'min':>8} {'median':>8} {'p95':>8}  (ms, {args.runs} runs)"
        )
        for name, values in samples.items():
            values.sort()
            p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
            medians[name] = statistics.median(values)
            print(
                f"{'':>{len(label) + 2}}{name:<16} {values[0]:8.1f} {medians[name]:8.1f} {p95:8.1f}"
            )
        for name in ("history --json", "undo"):
            print(f"  {name} / agenda (medians): {medians[name] / medians['agenda']:.2f}")


if __name__ == "__main__":
    main()
