"""`make bench`: time `followup agenda` as a cold process against Taskwarrior's `task next`.

    python benchmarks/run.py            # 10,000 and 1,000,000 interviews (the 1M home is cached)
    python benchmarks/run.py --quick    # without the 1,000,000-interview home

Generates (or reuses, under benchmarks/out/) the homes and a 10,000-task Taskwarrior data
dir, times every command with hyperfine in one run, and writes the results section of
docs/benchmarks.md. The targets (from the core issue):

- agenda on 10,000 interviews <= 0.8 x `task next` on 10,000 pending tasks;
- agenda on 1,000,000 interviews <= 1.5 x agenda on 10,000 interviews.

Every followup command runs with FOLLOWUP_NOW set to the instant the homes were generated
for, so the agenda's content (what is due, overdue, fading) does not drift with the date.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
DOC = ROOT / "docs" / "benchmarks.md"
VENV_BIN = ROOT / ".venv" / "bin"
NOW = "2026-11-25T12:00:00Z"  # the generated histories end here (a Wednesday)
SEED = 1
SMALL, LARGE, TASKS = 10_000, 1_000_000, 10_000
TARGET_VS_TASK, TARGET_SCALING = 0.8, 1.5
TARGET_DRAFT_BEYOND_MS = 50.0
START, END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402
import record  # noqa: E402
import taskwarrior  # noqa: E402


def _bin(name: str) -> str:
    path = VENV_BIN / name
    return str(path) if path.exists() else (shutil.which(name) or name)


def ensure_home(n: int, regenerate: bool) -> tuple[Path, dict[str, Any]]:
    """The cached home for `n` interviews, generated again when stale or asked to."""
    home = OUT / f"home-{n}-seed{SEED}"
    manifest_path = home / "benchmark.json"
    if manifest_path.exists() and not regenerate:
        manifest = json.loads(manifest_path.read_text())
        if generate.reusable(manifest, n, SEED, NOW) and (home / "followup.db").exists():
            print(f"reusing {home} (generated in {manifest['elapsed_s']} s); verifying it ...")
            generate.upgrade(home)  # newer migrations, applied here rather than in a timed run
            report = generate.verify(home, _instant(NOW), sample=500, seed=SEED)
            if report["differing"]:
                raise SystemExit(f"{home} no longer matches what the app writes: --regenerate")
            return home, manifest
    print(f"generating {n:,} interviews into {home} ...", flush=True)
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "generate.py"),
            f"--interviews={n}",
            f"--home={home}",
            f"--seed={SEED}",
            f"--now={NOW}",
            "--force",
        ],
        check=True,
    )
    return home, json.loads(manifest_path.read_text())


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def ensure_tasks(n: int) -> Path:
    directory = OUT / f"task-{n}"
    taskrc = directory / "taskrc"
    pending = directory / "data" / "pending.data"
    if not (taskrc.exists() and pending.exists() and _lines(pending) == n):
        taskwarrior.write(directory, n, SEED)
    found = taskwarrior.count(taskrc)
    if found != n:
        raise SystemExit(f"taskwarrior counts {found} pending tasks in {directory}, not {n}")
    return taskrc


def _lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for _ in f)


def _output_lines(cmd: list[str], env: dict[str, str]) -> int:
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    return out.count("\n")


def run_hyperfine(
    commands: list[tuple[str, list[str]]],
    env: dict[str, str],
    warmup: int,
    runs: int,
    export: Path,
) -> dict[str, dict[str, Any]]:
    if shutil.which("hyperfine") is None:
        raise SystemExit("hyperfine is not installed: apt-get install -y hyperfine")
    args = ["hyperfine", "--shell=none", f"--warmup={warmup}", f"--runs={runs}"]
    args += ["--style=basic", f"--export-json={export}"]
    for name, cmd in commands:
        args += ["-n", name, shlex.join(cmd)]
    subprocess.run(args, env=env, check=True)
    results = json.loads(export.read_text())["results"]
    return {r["command"]: r for r in results}


def combine(rounds: list[dict[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """One result per command over every round's runs (mean, stddev, median, min)."""
    combined = {}
    for name in rounds[0]:
        times = [t for r in rounds for t in r[name]["times"]]
        combined[name] = {
            "command": name,
            "times": times,
            "mean": statistics.fmean(times),
            "stddev": statistics.stdev(times) if len(times) > 1 else 0.0,
            "median": statistics.median(times),
            "min": min(times),
        }
    return combined


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine() -> dict[str, str]:
    python = subprocess.run(
        [
            _bin("python"),
            "-c",
            "import sys, sqlite3; print(sys.version.split()[0], sqlite3.sqlite_version)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    dirty = " (with uncommitted changes)" if _git("status", "--porcelain", "--", "src") else ""
    hyperfine = subprocess.run(["hyperfine", "--version"], capture_output=True, text=True)
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _git("rev-parse", "--short", "HEAD") + dirty,
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "os": f"{platform.system()} {platform.release()}",
        "python": python[0],
        "sqlite": python[1],
        "taskwarrior": taskwarrior.task_version(),
        "hyperfine": hyperfine.stdout.strip().removeprefix("hyperfine "),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def _verdict(ratio: float, target: float) -> str:
    return "PASS" if ratio <= target else "FAIL"


Ratio = tuple[str, float, float, str]  # label, value (of means), target, note


def _first_open_interview(followup: str, home: str, env: dict[str, str]) -> str:
    """An interview with a note due in this home (the draft benchmark's subject)."""
    out = subprocess.run(
        [followup, "--home", home, "agenda", "--json"], env=env, capture_output=True, check=True
    ).stdout
    return str(json.loads(out)[0]["interview_id"])


def ratios_of(
    results: dict[str, dict[str, Any]], rounds: list[dict[str, dict[str, Any]]]
) -> list[Ratio]:
    pairs = [
        (
            f"agenda on {SMALL:,} interviews / `task next` on {TASKS:,} tasks",
            f"followup agenda ({SMALL:,})",
            "task next",
            TARGET_VS_TASK,
        ),
        (
            f"agenda on {LARGE:,} / agenda on {SMALL:,} interviews",
            f"followup agenda ({LARGE:,})",
            f"followup agenda ({SMALL:,})",
            TARGET_SCALING,
        ),
    ]
    found: list[Ratio] = []
    draft, agenda = f"followup draft ({SMALL:,})", f"followup agenda ({SMALL:,})"
    if draft in results and agenda in results:
        beyond = (results[draft]["mean"] - results[agenda]["mean"]) * 1000
        found.append(
            (
                f"draft − agenda on {SMALL:,} interviews, in ms (target is a difference)",
                beyond,
                TARGET_DRAFT_BEYOND_MS,
                f"median {(results[draft]['median'] - results[agenda]['median']) * 1000:.1f} ms",
            )
        )
    for label, top, bottom, target in pairs:
        if top not in results or bottom not in results:
            continue
        a, b = results[top], results[bottom]
        note = f"median {a['median'] / b['median']:.2f}, min {a['min'] / b['min']:.2f}"
        if len(rounds) > 1:
            each = ", ".join(f"{r[top]['mean'] / r[bottom]['mean']:.2f}" for r in rounds)
            note += f"; rounds {each}"
        found.append((label, a["mean"] / b["mean"], target, note))
    return found


def render(
    results: dict[str, dict[str, Any]],
    rounds: list[dict[str, dict[str, Any]]],
    info: dict[str, str],
    homes: dict[int, dict[str, Any]],
    lines: dict[str, int],
    warmup: int,
    runs: int,
) -> tuple[str, list[Ratio]]:
    rows = [
        "| Command | Mean ± σ (ms) | Median (ms) | Min (ms) | Output lines |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        rows.append(
            f"| `{name}` | {_ms(r['mean'])} ± {_ms(r['stddev'] or 0.0)} | {_ms(r['median'])}"
            f" | {_ms(r['min'])} | {lines.get(name, '')} |"
        )
    ratios = ratios_of(results, rounds)
    repeat = f", {len(rounds)} rounds pooled" if len(rounds) > 1 else ""
    out = [
        START,
        "## Results",
        "",
        "Written by `make bench` (`benchmarks/run.py`); do not edit by hand.",
        "",
        f"- Date: {info['date']}; commit `{info['commit']}`",
        f"- Machine: {info['nproc']} cores ({info['cpu']}), {info['os']};"
        f" load average {info['load']} before the run, {info['load_after']} after",
        f"- Python {info['python']}, SQLite {info['sqlite']}, Taskwarrior {info['taskwarrior']},"
        f" hyperfine {info['hyperfine']}",
        f"- hyperfine `--shell=none --warmup {warmup} --runs {runs}`{repeat}, output to"
        " /dev/null (so followup prints plain text, as in a pipe);"
        f" `FOLLOWUP_NOW={NOW}`",
        "",
        "| Ratio (of means) | Value | Target | Verdict | Also |",
        "|---|---:|---:|---|---|",
    ]
    for label, value, target, note in ratios:
        out.append(
            f"| {label} | {value:.2f} | ≤ {target} | **{_verdict(value, target)}** | {note} |"
        )
    out += ["", *rows, "", "Generated homes (`benchmarks/generate.py`, seed 1):", ""]
    out += [
        "| Interviews | Applications | Notes | Pending interviews | Pending notes"
        " | DB size (MB) | Generated in (s) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, m in sorted(homes.items()):
        c = m["counts"]
        out.append(
            f"| {n:,} | {c['applications']:,} | {c['notes']:,} | {c['interviews_pending']:,}"
            f" | {c['notes_pending']:,} | {m['db_bytes'] / 1e6:.0f} | {m['elapsed_s']} |"
        )
    out.append(END)
    return "\n".join(out) + "\n", ratios


def write_doc(section: str) -> None:
    record.write_section(section, START, END)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the 1,000,000-interview home")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="repeat the whole hyperfine run; results pool every round's runs, and the"
        " ratios of each round are listed (on a shared machine the load drifts)",
    )
    parser.add_argument("--regenerate", action="store_true", help="rebuild the cached homes")
    parser.add_argument("--no-doc", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    sizes = [SMALL] if args.quick else [SMALL, LARGE]
    homes = {n: ensure_home(n, args.regenerate) for n in sizes}
    taskrc = ensure_tasks(TASKS)

    env = {
        **os.environ,
        "FOLLOWUP_NOW": NOW,
        "TASKRC": str(taskrc),
        "NO_COLOR": "1",
    }
    env.pop("FOLLOWUP_HOME", None)
    env.pop("FOLLOWUP_DEBUG", None)
    # An installed followup has its bytecode compiled; let the warm-up runs cache it here too.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    followup = _bin("followup")
    commands: list[tuple[str, list[str]]] = [
        ("python -c pass", [_bin("python"), "-c", "pass"]),
        ("followup --help", [followup, "--help"]),
        ("task next", ["task", "next"]),
    ]
    # The compared commands run back to back: on a shared machine the load drifts.
    for n in sizes:
        home = str(homes[n][0])
        commands.append((f"followup agenda ({n:,})", [followup, "--home", home, "agenda"]))
    for n in sizes:
        home = str(homes[n][0])
        commands.append(
            (f"followup agenda --json ({n:,})", [followup, "--home", home, "agenda", "--json"])
        )
    # Drafting a note, right after the agenda on the same home (issue 3: ≤ 50 ms beyond it).
    draft_home = str(homes[SMALL][0])
    draft_id = _first_open_interview(followup, draft_home, env)
    commands.append(
        (f"followup draft ({SMALL:,})", [followup, "--home", draft_home, "draft", draft_id])
    )
    lines = {name: _output_lines(cmd, env) for name, cmd in commands}
    info = machine()
    rounds = [
        run_hyperfine(commands, env, args.warmup, args.runs, OUT / f"hyperfine-{i + 1}.json")
        for i in range(args.rounds)
    ]
    results = combine(rounds)
    info["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    section, ratios = render(
        results, rounds, info, {n: m for n, (_, m) in homes.items()}, lines, args.warmup, args.runs
    )
    if not args.no_doc:
        write_doc(section)
        print(f"\nwrote the results into {DOC.relative_to(ROOT)}")
    print()
    failed = False
    for label, value, target, note in ratios:
        verdict = _verdict(value, target)
        failed |= verdict == "FAIL"
        print(f"{verdict}  {label.replace('`', '')}: {value:.2f} (target ≤ {target}; {note})")
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
