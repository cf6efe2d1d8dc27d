"""Time `followup import FILE.ics` and `lint` at n and 10n inputs: linear work gives ~10×.

    python benchmarks/linear.py            # .ics: 1,000 and 10,000 events; lint: 100 KB and 1 MB
    python benchmarks/linear.py --quick    # .ics: 300 and 3,000 events (what the tests use)

Issue #11 found both quadratic: 10,000 events took 50 s to import, 200,000 placeholders
11.7 s to lint. tests/calendar/test_ics_scaling.py and tests/unit/test_lint_scaling.py
assert the ratio (< 25×); this script prints the seconds behind it, for docs/benchmarks.md.
Each import runs in-process (`followup.cli.entry.main`, output discarded) into a fresh home;
the small input's time is the best of 3 runs, the large one's the best of 2.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import os
import string
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

NOW = "2026-11-25T12:00:00Z"


def best(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return min(times)


# --- .ics ------------------------------------------------------------------------------------


def _event(i: int, start: datetime, summary: str, organizer: str) -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:bench-{i}@example.com\r\nDTSTAMP:20261101T000000Z\r\n"
        f"DTSTART:{start:%Y%m%dT%H%M%S}Z\r\nDURATION:PT1H\r\nSUMMARY:{summary}\r\n"
        f"ORGANIZER;CN=Person {i}:mailto:{organizer}\r\nEND:VEVENT\r\n"
    )


def _calendar(events: list[str]) -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + "".join(events) + "END:VCALENDAR\r\n"


def _one_role(n: int, first: datetime, step: timedelta) -> str:
    events = [_event(i, first + i * step, "Acme / Dev", "p@acme.example") for i in range(n)]
    return _calendar(events)


def rounds_of_one_role(n: int) -> str:
    return _one_role(n, datetime(2026, 1, 5, 9, tzinfo=UTC), timedelta(hours=2))


def newest_first(n: int) -> str:
    return _one_role(n, datetime(2026, 12, 1, 9, tzinfo=UTC), timedelta(hours=-2))


def many_companies(n: int) -> str:
    return _calendar(
        [
            _event(
                i,
                datetime(2026, 1 + i % 12, 1 + i % 28, 9 + i % 8, tzinfo=UTC),
                f"Company{i % 200} / Backend Engineer",
                f"p{i}@company{i % 200}.example",
            )
            for i in range(n)
        ]
    )


def time_import(text: str, runs: int) -> float:
    from followup.cli.entry import main

    with tempfile.TemporaryDirectory(prefix="followup-linear-") as folder:
        path = Path(folder) / "calendar.ics"
        path.write_text(text)
        homes = itertools.count()

        def work() -> None:
            os.environ["FOLLOWUP_HOME"] = f"{folder}/home-{next(homes)}"
            sys.argv = ["followup", "import", str(path), "--json", "--yes"]
            sink = io.StringIO()
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                try:
                    code = main()
                except SystemExit as exc:
                    code = exc.code  # type: ignore[assignment]
            if code not in (0, None):
                raise SystemExit(f"import failed: {sink.getvalue()[-500:]}")

        return best(work, runs)


# --- lint ------------------------------------------------------------------------------------


def _repeated(unit: str, size: int) -> str:
    return unit * (size // len(unit))


def _distinct(size: int) -> str:
    names = ("".join(p) for p in itertools.product(string.ascii_lowercase, repeat=4))
    return " ".join(f"{{{next(names)}}}" for _ in range(size // 7))


LINT_TEXTS: dict[str, Callable[[int], str]] = {
    "`{name}` repeated": lambda size: _repeated("{name} ", size),
    "distinct `{abcd}` placeholders": _distinct,
    '"I remain at your disposal" repeated (casual tone)': lambda size: _repeated(
        "I remain at your disposal ", size
    ),
    '"talk on x," repeated': lambda size: _repeated("talk on x, ", size),
}


def time_lint(text: str, runs: int) -> float:
    from followup.domain.lint import NoteContext, lint
    from followup.domain.model import Tone

    context = NoteContext(step=1, company="Acme", tone=Tone.CASUAL, recipient_name="Ada Lovelace")
    return best(lambda: lint("Thank you", text, context), runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 and 3,000 events")
    args = parser.parse_args()
    os.environ["FOLLOWUP_NOW"] = NOW
    os.environ.pop("FOLLOWUP_DEBUG", None)
    events = 300 if args.quick else 1_000
    print("| input | n | time (n) | 10n | time (10n) | ratio |")
    print("|---|---|---|---|---|---|")
    for name, make in (
        ("`.ics`: one role's rounds in time order", rounds_of_one_role),
        ("`.ics`: one role, newest first (a new application each)", newest_first),
        ("`.ics`: 200 companies, starts out of order", many_companies),
    ):
        small = time_import(make(events), 3)
        large = time_import(make(10 * events), 2)
        print(
            f"| {name} | {events:,} events | {small:.2f} s | {10 * events:,} | {large:.2f} s"
            f" | {large / small:.1f}× |",
            flush=True,
        )
    for name, text in LINT_TEXTS.items():
        small = time_lint(text(100_000), 3)
        large = time_lint(text(1_000_000), 2)
        print(
            f"| lint: {name} | 100 KB | {small:.2f} s | 1 MB | {large:.2f} s"
            f" | {large / small:.1f}× |",
            flush=True,
        )


if __name__ == "__main__":
    main()
