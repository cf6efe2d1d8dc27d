"""The dashboard's background jobs (web/jobs.py): one per note at a time, shown once."""

from __future__ import annotations

import threading

from followup.app.feedback import Said
from followup.web.jobs import FAILED, Jobs, Outcome


def test_one_job_per_key_at_a_time_and_its_outcome_is_shown_once() -> None:
    jobs = Jobs()
    gate = threading.Event()
    calls: list[int] = []

    def work() -> Outcome:
        calls.append(1)
        gate.wait(5)
        return Outcome([Said(True, "Sent.")])

    first = jobs.start("note", "send", work)
    again = jobs.start("note", "send", work)  # a second click while it runs
    assert again is first and first.running
    assert jobs.show("note") is first  # running: still there after being shown
    gate.set()
    jobs.settle(first, 5)
    assert calls == [1] and first.outcome == Outcome([Said(True, "Sent.")])
    assert jobs.show("note") is first
    assert jobs.show("note") is None  # shown once, then forgotten
    jobs.close()


def test_a_job_that_crashes_says_so_instead_of_spinning_forever() -> None:
    jobs = Jobs()

    def boom() -> Outcome:
        raise RuntimeError("bug")

    job = jobs.settle(jobs.start("k", "send", boom), 5)
    assert job.outcome is FAILED and not FAILED.said[0].ok
    jobs.close()
