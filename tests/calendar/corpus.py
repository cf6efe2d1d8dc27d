"""The real third-party calendars the tests read (GUIDE §4): icalendar's own test corpus.

The `icalendar` wheel ships its test calendars under ``icalendar/tests/`` (Exchange
``METHOD:REQUEST`` invites with Windows zone names, Google exports with X-WR-TIMEZONE,
Thunderbird and Evolution files, fuzzer finds). They are found in the installed package;
a wheel built without them makes the tests fetch the sdist of the *installed* version with
pip (the ordinary client) into ``.cache/corpus/`` at the repository root (ignored by git)
and read them there. Nothing is committed: the files stay icalendar's (BSD-2-Clause).

Not optional: when the corpus cannot be had, the tests that need it fail with the reason.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import os
import subprocess
import sys
import tarfile
import tempfile
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "corpus"
MIN_FILES = 100  # icalendar 7.3 ships 163 .ics files; far fewer means a broken copy


class CorpusUnavailable(RuntimeError):
    """The calendars could not be found or fetched."""


@cache
def icalendar_tests() -> Path:
    """The directory holding icalendar's test data (``calendars/``, ``events/``, ...)."""
    installed = Path(str(importlib.resources.files("icalendar"))) / "tests"
    if _complete(installed):
        return installed
    return _from_sdist(importlib.metadata.version("icalendar"))


def calendar(name: str) -> Path:
    """One file of ``icalendar/tests/calendars/``; a missing one is a failure, not a skip."""
    path = icalendar_tests() / "calendars" / name
    if not path.is_file():
        raise CorpusUnavailable(f"icalendar's corpus has no calendars/{name}")
    return path


def all_ics() -> list[Path]:
    return sorted(icalendar_tests().rglob("*.ics"))


def _complete(tests: Path) -> bool:
    calendars = tests / "calendars"
    return calendars.is_dir() and len(list(tests.rglob("*.ics"))) >= MIN_FILES


def _from_sdist(version: str) -> Path:
    root = CACHE / f"icalendar-{version}"
    tests = root / "src" / "icalendar" / "tests"
    if _complete(tests):
        return tests
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE) as scratch:
        command = [
            sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
            "--disable-pip-version-check", "--quiet", "--dest", scratch,
            f"icalendar=={version}",
        ]  # fmt: skip
        errors = []
        archive = None
        for _attempt in range(2):
            try:
                proc = subprocess.run(command, capture_output=True, text=True, timeout=600)
            except subprocess.TimeoutExpired:
                errors.append("pip download timed out after 600 s")
                continue
            found = sorted(Path(scratch).glob("icalendar-*.tar.gz"))
            if proc.returncode == 0 and found:
                archive = found[0]
                break
            errors.append(f"pip exited {proc.returncode}: {proc.stderr.strip()[-800:]}")
        if archive is None:
            raise CorpusUnavailable(
                f"icalendar {version} was installed without its test calendars and its sdist"
                " cannot be fetched: " + " | ".join(errors)
            )
        unpacked = Path(scratch) / "unpacked"
        with tarfile.open(archive) as tar:
            tar.extractall(unpacked, filter="data")
        top = unpacked / f"icalendar-{version}"
        if not _complete(top / "src" / "icalendar" / "tests"):
            raise CorpusUnavailable(f"the icalendar {version} sdist has no test calendars")
        try:
            os.replace(top, root)  # atomic: a concurrent run sees all of it or nothing
        except OSError:
            if not _complete(tests):
                raise
    return tests
