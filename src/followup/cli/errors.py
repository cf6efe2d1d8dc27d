"""How any command ends: one line on stderr and a documented exit code, never a traceback."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import NoReturn

from followup.app.errors import ExitCode, FollowupError


class ReaderGone(Exception):
    """The reader of our output went away (`| head`). Raised in place of BrokenPipeError
    inside click, which would otherwise end the process with exit code 1 and no word."""


def fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(f"followup: {message}\n")
    sys.exit(code)


def guarded(run: Callable[[], object]) -> None:
    """Run a command; turn what a user can cause into one line and an exit code."""
    try:
        run()
    except FollowupError as exc:
        fail(f"error: {exc}", exc.code)
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except (BrokenPipeError, ReaderGone):
        # The reader went away (e.g. `| head`): not worth a word. Point stdout at devnull
        # so the interpreter's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(ExitCode.OK)
    except Exception as exc:
        if os.environ.get("FOLLOWUP_DEBUG"):
            raise
        fail(f"internal error: {type(exc).__name__}: {exc} (FOLLOWUP_DEBUG=1 shows more)", 1)
