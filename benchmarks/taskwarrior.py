"""A Taskwarrior 2.6 data dir with N pending tasks, the yardstick for `followup agenda`.

    python benchmarks/taskwarrior.py --tasks 10000 --dir benchmarks/out/task-10k
    TASKRC=benchmarks/out/task-10k/taskrc task next

Taskwarrior 2.6 keeps pending tasks in `pending.data`, one line per task, attributes in
name order: `[description:"..." entry:"EPOCH" modified:"EPOCH" status:"pending" uuid:"..."]`.
Writing that file directly takes a fraction of a second where `task add` takes minutes.
The taskrc turns off what would make `task next` write or wait: garbage collection (which
rewrites the data files), hooks, confirmation, colour and the upgrade news nag.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

VERBS = ("Write", "Review", "Fix", "Plan", "Call", "Email", "Update", "Test", "Read", "Book")
THINGS = (
    "the quarterly report", "the flaky login test", "the dentist", "the release notes",
    "Anna about the offsite", "the backup script", "the conference talk", "the tax return",
    "the API docs", "the onboarding checklist", "the garden shed", "the train tickets",
)  # fmt: skip
ENTRY_EPOCH = 1_700_000_000  # 2023-11-14: tasks entered over the year after it


def taskrc_text(data_dir: Path) -> str:
    return (
        f"data.location={data_dir}\n"
        "confirmation=0\n"
        "hooks=0\n"
        "gc=0\n"
        "color=0\n"
        "recurrence.confirmation=0\n"
        f"news.version={task_version()}\n"
    )


def task_version() -> str:
    exe = shutil.which("task")
    if exe is None:
        raise SystemExit("taskwarrior is not installed: apt-get install -y taskwarrior")
    return subprocess.run(
        [exe, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()


def write(directory: Path, n: int, seed: int = 1) -> Path:
    """Create DIR/data/pending.data with `n` tasks and DIR/taskrc; return the taskrc's path."""
    rng = random.Random(seed)
    data = directory / "data"
    data.mkdir(parents=True, exist_ok=True)
    for name in ("completed.data", "undo.data", "backlog.data"):
        (data / name).write_text("")
    lines = []
    for i in range(n):
        entry = ENTRY_EPOCH + rng.randrange(365 * 86400)
        description = f"{rng.choice(VERBS)} {rng.choice(THINGS)} #{i + 1}"
        task_uuid = uuid.UUID(int=rng.getrandbits(128), version=4)
        lines.append(
            f'[description:"{description}" entry:"{entry}" modified:"{entry}"'
            f' status:"pending" uuid:"{task_uuid}"]\n'
        )
    (data / "pending.data").write_text("".join(lines))
    taskrc = directory / "taskrc"
    taskrc.write_text(taskrc_text(data))
    return taskrc


def count(taskrc: Path) -> int:
    """`task count status:pending`, as Taskwarrior itself reads the data."""
    out = subprocess.run(
        ["task", "count", "status:pending"],
        env={"TASKRC": str(taskrc), "PATH": "/usr/bin:/bin", "HOME": str(taskrc.parent)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(out.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, required=True, metavar="N")
    parser.add_argument("--dir", type=Path, required=True, metavar="DIR")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    taskrc = write(args.dir, args.tasks, args.seed)
    found = count(taskrc)
    if found != args.tasks:
        print(f"taskwarrior counts {found} pending tasks, expected {args.tasks}", file=sys.stderr)
        return 1
    print(f"{found:,} pending tasks; run: TASKRC={taskrc} task next")
    return 0


if __name__ == "__main__":
    sys.exit(main())
