"""The dashboard's invitation reader in a process of its own, shared by every upload.

A 5 MB invitation takes the parser ~0.3 s of pure Python, which in the web process would
hold the GIL against every other user's page; and no one file may keep that process from
the others (a crafted time zone once ran it for minutes, then the OOM killer broke every
later upload): `IsolatedCodec` bounds each read's time and the process's memory, and
replaces a process that died.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, BinaryIO

from followup.app.errors import InvalidInput

if TYPE_CHECKING:
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
    pool around it: its waiting reads fail as BrokenProcessPool and are sent again."""
    kill = getattr(pool, "kill_workers", None)  # Python 3.14; before it, the pool's dict
    if kill is not None:
        kill()
    else:
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


class IsolatedCodec:
    """The calendar codec with its parsing in another process: a 5 MB invitation takes the
    parser ~0.3 s of pure Python, which in a web process would hold the GIL against every
    other user's page. Writing (small) stays in-process.

    The process is shared by every seeker's uploads, so no file may keep it: a read that
    has not answered within `timeout` seconds (counted from its upload, waiting included)
    ends the process, a process that died is replaced at the next upload, and its address
    space is capped at `memory` bytes. Each ends as one line to the uploader (InvalidInput:
    the dashboard's 400), never a 503 for the others or a 500 for everyone after."""

    timeout = 20.0
    memory = 2**30
    _task: Callable[[str, bytes, str, str], Invitation] = staticmethod(_read)  # tests: slow
    _pool: Any = None
    _lock = threading.Lock()
    _closing = False

    @classmethod
    def _executor(cls) -> Any:
        with cls._lock:
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

    def _call(self, what: str, data: bytes, name: str, user_tz: str) -> Invitation:
        from concurrent.futures.process import BrokenProcessPool

        for attempt in (1, 2):  # a read the pool lost (another's ended it) is sent once more
            pool = self._executor()
            try:
                future = pool.submit(type(self)._task, what, data, name, user_tz)
            except RuntimeError:  # broken, or shut down by another thread's _replace
                self._replace(pool)
                continue
            try:
                return future.result(timeout=self.timeout)  # type: ignore[no-any-return]
            except TimeoutError:
                self._replace(pool)
                raise InvalidInput(
                    f"cannot import {name}: reading it took longer than {self.timeout:g} s:"
                    " it is not an invitation this can read"
                ) from None
            except MemoryError:
                self._replace(pool)
                raise InvalidInput(
                    f"cannot import {name}: reading it needs more memory than an invitation"
                    " may use: it is not an invitation this can read"
                ) from None
            except BrokenProcessPool:
                self._replace(pool)
                if attempt == 2:
                    break
        raise InvalidInput(
            f"cannot import {name}: the reader stopped while reading it: it is not an"
            " invitation this can read"
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
