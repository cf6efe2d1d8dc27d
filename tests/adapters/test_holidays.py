"""Public holidays: right dates, an unknown country refused, and a second process that
reads the cache file instead of importing `holidays` (~200 ms) again."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from followup.adapters.holidays import CACHE_NAME, HolidayCalendars
from followup.app.errors import InvalidInput


def test_the_holidays_of_a_country_and_none_without_one(tmp_path: Path) -> None:
    calendars = HolidayCalendars(tmp_path)
    british = calendars("GB")
    assert british(date(2026, 12, 25)) and british(date(2026, 12, 28))  # Boxing Day, moved
    assert not british(date(2026, 12, 23))
    assert calendars("de")(date(2026, 10, 3))  # German Unity Day; the code in any case
    assert not calendars(None)(date(2026, 12, 25))


def test_an_unknown_country_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no public-holiday calendar for country 'XX'"):
        HolidayCalendars(tmp_path)("XX")


def test_a_second_process_reads_the_cache_and_never_imports_holidays(tmp_path: Path) -> None:
    HolidayCalendars(tmp_path)("GB")(date(2026, 12, 25))
    cached = json.loads((tmp_path / CACHE_NAME).read_text())
    assert "2026-12-25" in cached["days"]["GB:2026"]
    probe = (
        "import sys; from datetime import date; from pathlib import Path;"
        "from followup.adapters.holidays import HolidayCalendars;"
        f"c = HolidayCalendars(Path({str(tmp_path)!r}));"
        "print(c('GB')(date(2026, 12, 25)), c('GB')(date(2026, 12, 23)),"
        " 'holidays' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    ).stdout.split()  # fmt: skip
    assert out == ["True", "False", "False"]


def test_a_damaged_or_foreign_cache_is_rebuilt(tmp_path: Path) -> None:
    (tmp_path / CACHE_NAME).write_text('{"package": "another", "days": {"GB:2026": []}}')
    assert HolidayCalendars(tmp_path)("GB")(date(2026, 12, 25))
    (tmp_path / CACHE_NAME).write_text("not json")
    assert HolidayCalendars(tmp_path)("GB")(date(2026, 12, 25))


def test_no_cache_is_written_where_there_is_no_directory(tmp_path: Path) -> None:
    missing = tmp_path / "not-made"
    assert HolidayCalendars(missing)("GB")(date(2026, 12, 25))
    assert not missing.exists()


def test_the_cache_is_private_and_an_older_loose_one_is_tightened(tmp_path: Path) -> None:
    """Issue #11: holidays-cache.json was written 0644 under umask 022 (the rest of the home
    is 0600); one left so by an older followup is tightened when it is read."""
    old = os.umask(0o022)
    try:
        HolidayCalendars(tmp_path)("GB")(date(2026, 12, 25))
    finally:
        os.umask(old)
    cache = tmp_path / CACHE_NAME
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    os.chmod(cache, 0o644)
    assert HolidayCalendars(tmp_path)("GB")(date(2026, 12, 25))
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600


def test_a_fifo_in_the_caches_place_neither_blocks_nor_is_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / CACHE_NAME
    os.mkfifo(fifo)
    done = threading.Event()

    def unblock() -> None:  # a reader of the fifo gets end-of-file: the test fails, not hangs
        while not done.wait(3):
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    threading.Thread(target=unblock, daemon=True).start()
    started = time.monotonic()
    try:
        assert HolidayCalendars(tmp_path)("GB")(date(2026, 12, 25))  # read from `holidays`
    finally:
        done.set()
    assert time.monotonic() - started < 3
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
