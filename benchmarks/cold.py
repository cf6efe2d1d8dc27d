"""Cold `followup` processes against the agenda, on `make bench`'s 10,000-interview home.

    python benchmarks/cold.py "draft {id}" "draft {id} --json"
    python benchmarks/cold.py --runs 31 "show {id}"

Each argument is a followup command line; `{id}` is a waiting interview of the home (one
with a pending thank-you, the note `draft` writes). The agenda is always timed too, and
the runs are interleaved, so that a busy machine slows all of them alike. Reports the
wall-clock and the CPU time (user + system of the child: what a shared machine's waiting
for a core does not inflate), min and median, and each command's CPU median minus the
agenda's — the form of issue #13's bar (draft within 50 ms of the agenda).
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLLOWUP = str(ROOT / ".venv" / "bin" / "followup")
NOW = "2026-11-25T12:00:00Z"


def build(home: Path) -> int:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate

    generate.generate(home, 10_000, 1, datetime.fromisoformat(NOW), batch=2000, quiet=True)
    os.environ["FOLLOWUP_HOME"], os.environ["FOLLOWUP_NOW"] = str(home), NOW
    from followup.bootstrap import open_context
    from followup.domain.planner import risk_cutoffs

    ctx = open_context(str(home))
    rows = ctx.store.agenda_page(risk_cutoffs(ctx.clock.now(), ctx.policy), 50)
    first = next(r for r in rows if r.step == 1)
    ctx.store.close()  # type: ignore[attr-defined]
    return first.interview_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commands", nargs="+")
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch) / "home"
        interview = build(home)
        commands = {"agenda": [FOLLOWUP, "agenda"]}
        for text in args.commands:
            commands[text.format(id=interview)] = [
                FOLLOWUP,
                *shlex.split(text.format(id=interview)),
            ]
        for argv in commands.values():  # warm the caches (holidays, bytecode) once
            subprocess.run(argv, stdout=subprocess.DEVNULL, check=False)
        wall: dict[str, list[float]] = {n: [] for n in commands}
        cpu: dict[str, list[float]] = {n: [] for n in commands}
        for _ in range(args.runs):
            for name, argv in commands.items():
                used = resource.getrusage(resource.RUSAGE_CHILDREN)
                t = time.perf_counter()
                subprocess.run(argv, stdout=subprocess.DEVNULL, check=False)
                wall[name].append((time.perf_counter() - t) * 1000)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[name].append(
                    (after.ru_utime - used.ru_utime + after.ru_stime - used.ru_stime) * 1000
                )
    base = statistics.median(cpu["agenda"])
    heads = ("wall min", "wall med", "CPU min", "CPU med")
    print(f"{'command':<28} " + " ".join(f"{h:>9}" for h in heads) + f" {'CPU − agenda':>13}")
    for name in commands:
        w, c = sorted(wall[name]), sorted(cpu[name])
        med = statistics.median(c)
        print(f"{name:<28} {w[0]:9.1f} {statistics.median(w):9.1f} {c[0]:9.1f} {med:9.1f}"
              f" {med - base:+13.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
