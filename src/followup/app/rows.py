"""Plain rows that cross the store port: what the agenda, lists and drafts read.

Apart from the Protocols in app/ports.py so the agenda's start-up imports only these
NamedTuples; the Protocols are needed by type checkers, not at run time.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from followup.domain.model import Application, Interview, Note, Status


class NewInterviewer(NamedTuple):
    name: str
    email: str | None
    tz: str | None = None


class InterviewRow(NamedTuple):
    interview: Interview
    application: Application


class AgendaRow(NamedTuple):
    """One open sequence's next step, with what the agenda shows beside it."""

    interview_id: int
    application_id: int
    company: str
    role: str
    step: int
    kind: str
    due_at: datetime
    interview_start: datetime
    interview_end: datetime
    tz: str
    recipients: tuple[str, ...]
    scheduled: bool = False  # every pending note approved: a worker sends them when due


class NoteText(NamedTuple):
    subject: str
    body: str
    edited: bool  # written or changed by the user: kept as is, never re-rendered


class EndedRow(NamedTuple):
    interview_id: int
    company: str
    role: str
    status: Status
    at: datetime


class Claim(NamedTuple):
    """A note a worker claimed, with the message the user approved for it."""

    note: Note
    to: str  # "Name <address>", or "" when the approval kept none
    message: str  # the RFC 5322 text as approved, or ""
    seal: str = ""  # the HMAC this install made of (to, message) at approval, or ""
