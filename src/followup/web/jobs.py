"""Work that talks to a mail server, off the request (issue #16, item 4).

Send, Save to Drafts and "Check mail now" answer at once: the POST starts a job here and
returns the button's region with the button disabled and "Sending…"; the region asks again
every half second (`GET …/mail-status`) until the job is done, then shows its outcome next to
the button. A refused or unreachable server is said within seconds (the dashboard's mail
calls connect within 4 s and do not retry in the background: the user sees the
failure and presses the button again).

- One job per note at a time: a second click while one runs gets the running one back.
  The send itself is still the CLI's use-case (app/sending.py): the lint gate, reading the
  inbox first, and the at-most-once claim hold whatever the dashboard does.
- The state is kept in this process: a reload shows "Sending…" while the job runs and its
  outcome once after (then it is forgotten; the page's timeline and history keep the
  record). A restart forgets running jobs; a send cut off mid-way is the sending
  state machine's to reconcile (`unknown`, looked up in Sent), as after a crash.
- The pool's threads are joined when the server stops: Ctrl-C waits for a send in flight
  (at most the connect and I/O time-outs) rather than cutting it off.
- Server mode: a job's key carries the signed-in seeker's id, and the job opens that
  seeker's own context (deps.open_own), so nobody sees or waits on another's job. A job
  starts only with its seeker's mail turn (web/conversations.py: one per seeker, at most
  `mail_at_once` on the site), given back as it ends; the pool has that many threads, so
  a seeker whose server never answers holds one, and nobody else's job queues behind it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass, field
from typing import NamedTuple

from starlette.requests import Request

from followup.app.feedback import Said
from followup.web.security import Done

log = logging.getLogger("followup.web")

# mail jobs at once on a laptop (one user: more would only queue at the server); server
# mode has WebLimits.mail_at_once, one per mail turn (web/conversations.py)
WORKERS = 2
# seconds to reach a mail server from the dashboard: with the region's next poll, a refused
# or unreachable server is on the page within 5 s of the click
CONNECT_TIMEOUT = 4.0
KEEP = 15 * 60  # seconds a finished outcome waits to be shown before it is forgotten
SETTLE = 0.02  # seconds the POST waits for a job that ends at once (well inside its 100 ms)


class Outcome(NamedTuple):
    said: list[Said]  # one line per note (or the one refusal)
    done: Done | None = None  # "Done: … — Undo" when the job made a change
    left: bool = False  # the note went out: its buttons no longer apply


@dataclass
class Job:
    key: Hashable
    kind: str  # send | drafts | when-due | sync
    step: int | None = None  # the note's step, to show its region while it is not pending
    started: float = field(default_factory=time.monotonic)
    outcome: Outcome | None = None  # None: still running
    finished: float = 0.0
    future: Future[None] | None = None

    @property
    def running(self) -> bool:
        return self.outcome is None


FAILED = Outcome(
    [Said(False, "Something went wrong on this machine; the dashboard's output says what.")]
)


class Jobs:
    def __init__(self, workers: int = WORKERS) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="followup-mail")
        self._lock = threading.Lock()
        self._jobs: dict[Hashable, Job] = {}

    def start(
        self,
        key: Hashable,
        kind: str,
        work: Callable[[], Outcome],
        step: int | None = None,
        turn: Callable[[], None] | None = None,
    ) -> Job:
        """Run `work` in the background; the job already running under `key` if there is one.
        `turn`: gives back the mail turn taken for it, as the job ends (or now, if the one
        running is returned instead)."""
        with self._lock:
            self._forget_old()
            job = self._jobs.get(key)
            if job is not None and job.running:
                if turn is not None:
                    turn()
                return job
            job = self._jobs[key] = Job(key, kind, step)
        job.future = self._pool.submit(self._run, job, work, turn)
        return job

    def finished(self, key: Hashable, kind: str, outcome: Outcome, step: int | None = None) -> Job:
        """Record work done in the request itself (Send when due), to be shown as a job's."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and job.running:
                return job
            job = Job(key, kind, step, outcome=outcome, finished=time.monotonic())
            self._jobs[key] = job
            return job

    def _run(self, job: Job, work: Callable[[], Outcome], turn: Callable[[], None] | None) -> None:
        try:
            outcome = work()
        except Exception:  # never lost silently: logged, and said next to the button
            log.exception("a background %s failed", job.kind)
            outcome = FAILED
        finally:
            if turn is not None:
                turn()
        with self._lock:
            job.outcome, job.finished = outcome, time.monotonic()

    def settle(self, job: Job, seconds: float) -> Job:
        """Wait a moment for a job that may end at once (a refusal needs no server)."""
        if job.future is not None:
            wait_for([job.future], timeout=seconds)
        return job

    def peek(self, key: Hashable) -> Job | None:
        with self._lock:
            return self._jobs.get(key)

    def show(self, key: Hashable) -> Job | None:
        """The job to show under `key`: a running one stays; a finished one is shown once."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and not job.running:
                del self._jobs[key]
            return job

    def keys(self, match: Callable[[Hashable], bool]) -> list[Hashable]:
        """The keys of the jobs kept (running, or done and not shown yet) that `match`."""
        with self._lock:
            return [key for key in self._jobs if match(key)]

    def _forget_old(self) -> None:
        cutoff = time.monotonic() - KEEP
        for key in [k for k, j in self._jobs.items() if not j.running and j.finished < cutoff]:
            del self._jobs[key]

    def close(self) -> None:
        """Wait for the jobs in flight (a send is finished, never cut off mid-way)."""
        self._pool.shutdown(wait=True)


def jobs_of(request: Request) -> Jobs:
    jobs: Jobs = request.app.state.jobs
    return jobs
