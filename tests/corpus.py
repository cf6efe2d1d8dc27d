"""Real third-party mail corpora for the tests (GUIDE §4), found or fetched at test time.

* CPython's own ``test/test_email/data/`` ships with the interpreter: real DSN bounces,
  encoded headers and odd MIME. Located through the ``test`` package, else sysconfig.
* The Mailman bounce corpus of ``flufl.bounce`` (``tests/data/*.txt``, 117 messages, with
  the project's own table of which are permanent failures and which are warnings in
  ``tests/test_detectors.py``). Its sdist is fetched from PyPI with pip — the ordinary
  client — pinned to one version, retried once, and unpacked into ``.cache/corpus/`` at the
  repository root (ignored by git: ``/.cache/``). Nothing is committed: the corpus stays
  the upstream project's, under its licence (Apache-2.0).

Neither is optional: when a corpus cannot be had, the tests that need it fail with the
reason (a test that silently skips in CI proves nothing).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "corpus"
FLUFL_VERSION = "6.0.0"
_FLUFL_DIR = f"flufl_bounce-{FLUFL_VERSION}"


class CorpusUnavailable(RuntimeError):
    """A corpus the tests need could not be found or fetched."""


def cpython_email_data() -> Path:
    """The interpreter's ``test/test_email/data`` directory."""
    candidates = []
    spec = importlib.util.find_spec("test.test_email")
    if spec is not None and spec.submodule_search_locations:
        candidates += [Path(p) / "data" for p in spec.submodule_search_locations]
    candidates.append(Path(sysconfig.get_paths()["stdlib"]) / "test" / "test_email" / "data")
    for candidate in candidates:
        if candidate.is_dir() and any(candidate.glob("msg_*.txt")):
            return candidate
    raise CorpusUnavailable(
        f"{sys.executable} ships without test/test_email/data (looked in "
        f"{', '.join(map(str, candidates))}); use an interpreter with its test package"
    )


def flufl_bounce_root() -> Path:
    """The unpacked flufl.bounce sdist (its ``tests/data`` and ``tests/test_detectors.py``)."""
    root = CACHE / _FLUFL_DIR
    if _complete(root):
        return root
    CACHE.mkdir(parents=True, exist_ok=True)
    sdist = _download_flufl()
    with tempfile.TemporaryDirectory(dir=CACHE) as scratch:
        with tarfile.open(sdist) as archive:
            archive.extractall(scratch, filter="data")
        unpacked = Path(scratch) / _FLUFL_DIR
        if not _complete(unpacked):
            raise CorpusUnavailable(f"{sdist.name} has no tests/data/*.txt")
        try:
            os.replace(unpacked, root)  # atomic: a concurrent run sees all of it or nothing
        except OSError:
            if not _complete(root):  # another run may have put it there first
                raise
    return root


def _complete(root: Path) -> bool:
    data = root / "tests" / "data"
    return (root / "tests" / "test_detectors.py").is_file() and any(data.glob("*.txt"))


def _download_flufl() -> Path:
    """The sdist, from the cache or from PyPI (`pip download`, retried once)."""
    name = f"{_FLUFL_DIR}.tar.gz"
    cached = CACHE / name
    if cached.is_file():
        return cached
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
        "--disable-pip-version-check", "--quiet", "--dest", "",
        f"flufl.bounce=={FLUFL_VERSION}",
    ]  # fmt: skip
    errors = []
    for _attempt in range(2):
        with tempfile.TemporaryDirectory(dir=CACHE) as scratch:
            command[command.index("--dest") + 1] = scratch
            try:
                proc = subprocess.run(command, capture_output=True, text=True, timeout=600)
            except subprocess.TimeoutExpired:
                errors.append("pip download timed out after 600 s")
                continue
            got = Path(scratch) / name
            if proc.returncode == 0 and got.is_file():
                shutil.move(str(got), cached)
                return cached
            errors.append(f"pip exited {proc.returncode}: {proc.stderr.strip()[-1500:]}")
    raise CorpusUnavailable(
        f"cannot fetch the flufl.bounce {FLUFL_VERSION} sdist from PyPI: " + " | ".join(errors)
    )
