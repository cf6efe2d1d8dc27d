"""The dashboard's invitation reader in a process of its own, shared by every upload.

A 5 MB invitation takes the parser ~0.3 s of pure Python, which in the web process would
hold the GIL against every other user's page; and no one file may keep that process from
the others (a crafted time zone once ran it for minutes, then the OOM killer broke every
later upload): `IsolatedCodec` bounds each read's time and the process's memory, and
replaces a process that died.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, BinaryIO, ClassVar

from followup.app.errors import Conflict, InvalidInput

if TYPE_CHECKING:
    from concurrent.futures import Future

    from followup.app.rows import Feed, FeedItem, Invitation


def _read(what: str, data: bytes, name: str, user_tz: str) -> Invitation:
    """In the parsing process: one invitation read by the real codec."""
    from followup.adapters.calendar.ics import CODEC as codec

    read = codec.read_ics if what == "ics" else codec.read_email
    return read(data, name=name, user_tz=user_tz)


def _cap_memory(limit: int) -> None:
    """In the parsing process, as it starts: at most `limit` bytes of address space, so a
    runaway read fails as MemoryError (one line to its uploader) before the kernel's OOM
    killer picks a process. Where there is no RLIMIT_AS, the time bound still holds."""
    try:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass


def _end(pool: Any) -> None:
    """Stop a parsing process now, whatever it is doing (a read past its time), and the
    pool around it: the reads in line behind it fail (BrokenProcessPool, or CancelledError
    for those not yet handed to the process) and are sent again."""
    kill = getattr(pool, "kill_workers", None)  # Python 3.14; before it, the pool's dict
    if kill is not None:
        kill()
    else:
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


class _Read:
    """One read sent to a pool, and its place in that pool's line.

    `started` is when the process took it up: at sending when the line was empty, else
    when the read before it ended. Not `Future.running()`: the pool marks a read running
    as it enters the call queue, one ahead of the process, so a read waiting behind a
    stuck one would be timed, and blamed, for that one's time."""

    __slots__ = ("abandoned", "future", "line", "pool", "started")

    def __init__(self, pool: Any, future: Future[Any], line: deque[_Read]) -> None:
        self.pool = pool
        self.future = future
        self.line = line
        self.started: float | None = None
        self.abandoned = False  # its uploader was told "busy": no one waits on it


class _Lost(Exception):
    """The pool a read was sent to ended before it answered."""

    def __init__(self, at_reader: bool) -> None:
        super().__init__()
        self.at_reader = at_reader  # the process had taken it up (else another's end)


class IsolatedCodec:
    """The calendar codec with its parsing in another process: a 5 MB invitation takes the
    parser ~0.3 s of pure Python, which in a web process would hold the GIL against every
    other user's page. Writing (small) stays in-process.

    The process is shared by every seeker's uploads, one read at a time, so no file may
    keep it: a read the process has spent `timeout` seconds on ends the process (its
    uploader: "took longer", InvalidInput, the dashboard's 400), a process that died is
    replaced at the next upload, and its address space is capped at `memory` bytes. A
    read waits its turn at most `patience` seconds from its upload (resends included),
    then its uploader is told the reader is busy (Conflict: 409), and the file is not
    blamed; a read lost while waiting (another's ended the pool) is sent again. Never a
    503 for the others or a 500 for anyone. patience + timeout stay within the upload's
    120 s budget (web/limits.py)."""

    timeout = 20.0  # seconds the process may spend on one read
    patience = 60.0  # seconds a read may wait for its turn
    tick = 0.1  # how often a waiting read looks at the line
    memory = 2**30
    _task: Callable[[str, bytes, str, str], Invitation] = staticmethod(_read)  # tests: slow
    _pool: Any = None
    _line: ClassVar[deque[_Read]] = deque()  # the reads sent to `_pool`, in the order it runs them
    _lock = threading.Lock()
    _closing = False

    @classmethod
    def _executor(cls) -> Any:
        with cls._lock:
            return cls._current()

    @classmethod
    def _current(cls) -> Any:
        """The pool (started if none), `_lock` held."""
        if cls._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # spawn, not fork: the web process has threads (the pool, uvicorn's loop)
            cls._pool = ProcessPoolExecutor(
                1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_cap_memory,
                initargs=(cls.memory,),
            )
            cls._line = deque()
            if not cls._closing:
                import atexit

                atexit.register(cls._close)
                cls._closing = True
        return cls._pool

    @classmethod
    def _replace(cls, pool: Any) -> None:
        """End `pool` (stuck, dead or out of memory); the next read starts a fresh one."""
        with cls._lock:
            if cls._pool is pool:
                cls._pool = None
        _end(pool)

    @classmethod
    def _close(cls) -> None:
        with cls._lock:
            pool, cls._pool = cls._pool, None
        if pool is not None:
            pool.shutdown(cancel_futures=True)

    @classmethod
    def _send(cls, *args: str | bytes) -> _Read | None:
        """`args` sent to the pool, in its line; None if the pool would take no more."""
        with cls._lock:  # submitted and put in line at once: the line is the pool's order
            pool = cls._current()
            try:
                future = pool.submit(cls._task, *args)
            except RuntimeError:  # broken, or shut down by another thread's _replace
                read = None
            else:
                read = _Read(pool, future, cls._line)
                if not read.line:
                    read.started = time.monotonic()
                read.line.append(read)
        if read is None:
            cls._replace(pool)
            return None
        future.add_done_callback(lambda _: cls._done(read))  # outside the lock: may run now
        return read

    @classmethod
    def _done(cls, read: _Read) -> None:
        """`read` answered or was lost: out of its line; the next one's turn, if it ran."""
        from concurrent.futures.process import BrokenProcessPool

        with cls._lock:
            first = bool(read.line) and read.line[0] is read
            read.line.remove(read)
            ran = not read.future.cancelled() and not isinstance(
                read.future.exception(), BrokenProcessPool
            )
            if first and ran and read.line:
                read.line[0].started = time.monotonic()

    @classmethod
    def _end_abandoned(cls, read: _Read, timeout: float) -> None:
        """End the pool if the read at the process is past its time and no one waits on it
        (its uploader was told "busy" after it had entered the call queue)."""
        with cls._lock:
            first = read.line[0] if read.line else None
        if (
            first is not None
            and first.abandoned
            and first.started is not None
            and time.monotonic() - first.started >= timeout
        ):
            cls._replace(read.pool)

    def _call(self, what: str, data: bytes, name: str, user_tz: str) -> Invitation:
        turn_by = time.monotonic() + self.patience  # its turn must come by then
        losses = 0  # pools ended while the process was reading this file
        while True:
            read = self._send(what, data, name, user_tz)
            if read is not None:
                try:
                    return self._wait(read, turn_by, name)
                except _Lost as lost:
                    losses += lost.at_reader
            if losses == 2:  # once may be another's doing (the OOM killer): twice is this file
                raise InvalidInput(
                    f"cannot import {name}: the reader stopped while reading it: it is not"
                    " an invitation this can read"
                )
            if time.monotonic() >= turn_by:
                raise self._busy(name)

    def _wait(self, read: _Read, turn_by: float, name: str) -> Invitation:
        from concurrent.futures import CancelledError
        from concurrent.futures.process import BrokenProcessPool

        while True:
            now = time.monotonic()
            started = read.started
            if started is not None and now - started >= self.timeout:
                self._replace(read.pool)
                raise InvalidInput(
                    f"cannot import {name}: reading it took longer than {self.timeout:g} s:"
                    " it is not an invitation this can read"
                )
            if started is None and now >= turn_by:  # another's read is the slow one
                read.abandoned = True  # if already handed on, the next waiter may end it
                read.future.cancel()
                raise self._busy(name)
            if started is None:
                self._end_abandoned(read, self.timeout)
            until = started + self.timeout if started is not None else now + self.tick
            try:
                return read.future.result(timeout=max(until - now, 0.0))  # type: ignore[no-any-return]
            except TimeoutError:
                continue
            except MemoryError:
                self._replace(read.pool)
                raise InvalidInput(
                    f"cannot import {name}: reading it needs more memory than an invitation"
                    " may use: it is not an invitation this can read"
                ) from None
            except (BrokenProcessPool, CancelledError):
                self._replace(read.pool)
                raise _Lost(at_reader=read.started is not None) from None

    @staticmethod
    def _busy(name: str) -> Conflict:
        return Conflict(
            f"cannot import {name}: the invitation reader is busy with other files:"
            " try again in a minute"
        )

    def read_ics(self, data: bytes, *, name: str, user_tz: str) -> Invitation:
        return self._call("ics", data, name, user_tz)

    def read_email(self, data: bytes, *, name: str, user_tz: str) -> Invitation:
        return self._call("email", data, name, user_tz)

    def write(self, feed: Feed) -> bytes:
        from followup.adapters.calendar.ics import CODEC

        return CODEC.write(feed)

    def write_to(self, feed: Feed, items: Iterable[FeedItem], out: BinaryIO) -> None:
        from followup.adapters.calendar.ics import CODEC

        CODEC.write_to(feed, items, out)
