"""Errors a user can cause, each with its documented exit code."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """`followup`'s exit codes (documented in the README; scripts may rely on them)."""

    OK = 0
    ERROR = 1  # anything unexpected; the message says what
    USAGE = 2  # a malformed command line (click's own code)
    NOT_FOUND = 3  # an unknown id
    INVALID = 4  # bad input: unknown zone, impossible date, malformed address, bad file
    CONFLICT = 5  # the request does not fit the current state (e.g. nothing pending to send)
    STORE = 6  # the database or config file cannot be used
    LINT = 7  # a checked note has errors


class FollowupError(Exception):
    code = ExitCode.ERROR


class NotFound(FollowupError):
    code = ExitCode.NOT_FOUND


class InvalidInput(FollowupError):
    code = ExitCode.INVALID


class Conflict(FollowupError):
    code = ExitCode.CONFLICT


class StoreUnavailable(FollowupError):
    code = ExitCode.STORE
