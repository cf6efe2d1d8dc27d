"""Server mode: who may talk to a mail server now (docs/deployment.md, "Limits").

An attacker trial on a shared server: one seeker whose SMTP server accepts DATA and never
answers pressed Send on 12 notes; they filled the mail jobs' two threads, and another
seeker's Send waited 4-5.5 minutes, unexplained. The same seeker looping the mail test in
4 threads filled the site's 3-at-once gate, which did not know whose requests it counted:
every other seeker's Send and Test connection got 503.

So, in server mode, every way the dashboard talks to a mail server for a seeker (Send and
Save to Drafts, button or API; the mail test, page or API; Check mail) first takes a
turn here, and gives it back when its talk with the server ends:

- one conversation per seeker at a time: a second is refused at once (`Conflict`, 409)
  with a line that says why — it never waits, holding a thread or a database connection;
- at most `at_once` conversations on the whole site (each holds a database connection
  while its server answers): beyond, `Busy` (503) at once. A seeker holds at most one, so
  one seeker cannot take them all; the mail jobs have as many threads, so an admitted job
  never queues behind another seeker's.

On the laptop nothing is counted: its requests take turns already (web/limits.py), and
two quick Sends on two drafts both go (the jobs' pool runs them).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from starlette.requests import Request

from followup.app.errors import Conflict, FollowupError

YOURS_RUNNING = "a send or mail check of yours is already under way: wait for it to finish"
SITE_FULL = "Too many sends at once on this server: try again in a minute."

User = tuple[str | None, int]  # deps.server_user(): (base FOLLOWUP_HOME, seeker id)


class Busy(FollowupError):
    """The site's mail conversations are all taken (answered 503, web/app.py)."""


def _nothing() -> None:
    """The laptop's release: nothing was taken."""


class Conversations:
    def __init__(self, server: bool, at_once: int) -> None:
        self._server = server
        self._at_once = at_once
        self._lock = threading.Lock()
        self._talking: set[User] = set()

    def take(self, user: User | None) -> Callable[[], None]:
        """The seeker's turn, or Conflict/Busy at once; returns what gives it back."""
        if not self._server or user is None:
            return _nothing
        with self._lock:
            if user in self._talking:
                raise Conflict(YOURS_RUNNING)
            if len(self._talking) >= self._at_once:
                raise Busy(SITE_FULL)
            self._talking.add(user)
        given_back = False

        def release() -> None:  # once: a second call must not free a later turn of theirs
            nonlocal given_back
            with self._lock:
                if not given_back:
                    given_back = True
                    self._talking.discard(user)

        return release

    @contextmanager
    def held(self, user: User | None) -> Iterator[None]:
        """The turn for work done in the request itself (the API, the mail test)."""
        release = self.take(user)
        try:
            yield
        finally:
            release()


def conversations_of(request: Request) -> Conversations:
    found: Conversations = request.app.state.conversations
    return found
