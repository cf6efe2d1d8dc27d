"""Time `classify` on the hiring-mail corpus: the work of one message beyond start-up.

    python benchmarks/classify.py            # every corpus message, best of 5 passes
    python benchmarks/classify.py --cold     # also `followup classify` as a cold process

Issue #15 asks for at most 10 ms of work per message beyond start-up. In-process, per
message of tests/fixtures/hiring_mail/ (tuning and held-out) and tests/fixtures/mail/: the
parse (adapters/mail/inbound.facts_from_bytes) and the classification (domain/replies/
classify) timed apart, each message's time the best of 5 passes (the first pass also pays
the regexes' compilation, which start-up pays once). With --cold, `followup classify
FILE.eml` and `followup --help` as processes (best of 15 each) and their difference: the
command's own imports and work.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from followup.adapters.mail.inbound import facts_from_bytes  # noqa: E402
from followup.domain.replies import classify  # noqa: E402

PASSES = 5


def corpus() -> list[Path]:
    found = sorted((ROOT / "tests" / "fixtures" / "hiring_mail").glob("*/*.eml"))
    return found + sorted((ROOT / "tests" / "fixtures" / "mail").glob("*.eml"))


def per_message(paths: list[Path]) -> tuple[list[float], list[float]]:
    """Each message's best parse time and best classify time, in ms."""
    raws = [p.read_bytes() for p in paths]
    parse = [float("inf")] * len(raws)
    judge = [float("inf")] * len(raws)
    for _ in range(PASSES):
        for i, raw in enumerate(raws):
            began = time.perf_counter()
            facts = facts_from_bytes(raw)
            parsed = time.perf_counter()
            classify(facts, facts.date.date() if facts.date else None)
            done = time.perf_counter()
            parse[i] = min(parse[i], (parsed - began) * 1000)
            judge[i] = min(judge[i], (done - parsed) * 1000)
    return parse, judge


def summary(name: str, ms: list[float]) -> str:
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"| {name} | {statistics.mean(ms):.2f} | {statistics.median(ms):.2f} | {p95:.2f}"
        f" | {max(ms):.2f} |"
    )


def compile_once() -> tuple[float, float]:
    """Compiling the patterns of domain/replies/ — the hiring side's (hiring.py: on the
    first message classified) and the rest (on import) — in ms, best of 5, the `re` cache
    emptied each time."""
    import re

    from followup.domain import replies
    from followup.domain.replies import auto, bounces, dates, hiring, text

    def patterns(*modules: object) -> list[tuple[str, int]]:
        found = []
        for value in (v for m in modules for v in vars(m).values()):
            if isinstance(value, re.Pattern):
                found.append((value.pattern, value.flags))
            elif isinstance(value, hiring._Lazy):  # compiled on first use
                found.append(value.source)
        return found

    best: list[float] = []
    for group in (patterns(replies, auto, bounces, dates, text), patterns(hiring)):
        times = []
        for _ in range(5):
            re.purge()
            began = time.perf_counter()
            for source, flags in group:
                re.compile(source, flags)
            times.append((time.perf_counter() - began) * 1000)
        best.append(min(times))
    return best[0], best[1]


def cold(path: Path, runs: int = 15) -> tuple[float, float]:
    exe = ROOT / ".venv" / "bin" / "followup"
    if not exe.exists():  # a worktree: the interpreter's own venv
        exe = Path(sys.executable).parent / "followup"
    env = {**os.environ, "FOLLOWUP_HOME": str(ROOT / "benchmarks" / "out" / "classify-home")}

    def best(args: list[str]) -> float:
        times = []
        for _ in range(runs):
            began = time.perf_counter()
            subprocess.run([str(exe), *args], env=env, capture_output=True, check=True)
            times.append(time.perf_counter() - began)
        return min(times) * 1000

    return best(["--help"]), best(["classify", str(path), "--json"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cold", action="store_true", help="also time cold processes")
    args = parser.parse_args()
    paths = corpus()
    parse, judge = per_message(paths)
    total = [a + b for a, b in zip(parse, judge, strict=True)]
    print(f"{len(paths)} messages, best of {PASSES} passes each, ms per message:\n")
    print("| work | mean | median | p95 | max |")
    print("|---|---:|---:|---:|---:|")
    print(summary("parse (`facts_from_bytes`)", parse))
    print(summary("classify", judge))
    print(summary("both", total))
    slowest = max(range(len(paths)), key=lambda i: total[i])
    print(f"\nslowest: {paths[slowest].name} ({total[slowest]:.2f} ms)")
    replies_ms, hiring_ms = compile_once()
    print(
        f"once a process, compiling the patterns: replies/ but hiring.py {replies_ms:.1f} ms,"
        f" hiring.py {hiring_ms:.1f} ms"
    )
    if args.cold:
        sample = ROOT / "tests/fixtures/hiring_mail/tuning/workday_rejection_auto_submitted.eml"
        help_ms, classify_ms = cold(sample)
        print(
            f"\ncold: `followup --help` {help_ms:.0f} ms, `followup classify {sample.name}"
            f" --json` {classify_ms:.0f} ms: {classify_ms - help_ms:.0f} ms beyond start-up"
        )


if __name__ == "__main__":
    main()
