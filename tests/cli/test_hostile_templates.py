"""Issue #11's cold trial: a user template that names another file, or asks for endless
work, is one line and exit 4 from `draft` — not an internal error, not minutes of CPU."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.conftest import Run

ADD = ("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-23T14:00",
       "--interviewer", "Ada Lovelace <ada@acme.example>")  # fmt: skip


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('{% include "sig.txt" %}', "line 3: {% include %} is not supported"),
        ('{% extends "base.txt" %}', "line 3: {% extends %} is not supported"),
        ('{{ "a" * 1000000000 }}', "makes a value over 32,768 long"),
        ("{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
         "{% endfor %}{% endfor %}{% endfor %}", "over 100,000 loop steps and calls"),
    ],
)  # fmt: skip
def test_a_hostile_user_template_is_one_line(run: Run, home: Path, body: str, says: str) -> None:
    assert run(*ADD).code == 0
    (home / "templates").mkdir()
    mine = home / "templates" / "thank-you.txt"
    mine.write_text(f"Subject: Thanks\n\n{body}\n")
    started = time.monotonic()
    r = run("draft", "1")
    assert time.monotonic() - started < 20
    assert r.code == 4, (r.code, r.err)
    assert r.err.startswith(f"followup: error: template {mine}")
    assert says in r.err
    assert r.err.count("\n") == 1


def test_a_fifo_for_a_template_is_refused_not_waited_on(run: Run, home: Path) -> None:
    import contextlib
    import os
    import threading

    assert run(*ADD).code == 0
    (home / "templates").mkdir()
    fifo = home / "templates" / "thank-you.txt"
    os.mkfifo(fifo)
    done = threading.Event()

    def unblock() -> None:  # a reader of the fifo gets end-of-file: the test fails, not hangs
        while not done.wait(3):
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    threading.Thread(target=unblock, daemon=True).start()
    try:
        r = run("draft", "1")
    finally:
        done.set()
    assert r.code == 4, r.err
    assert r.err == f"followup: error: cannot read {fifo}: it is a fifo; give a regular file\n"
