"""Is an inbound message a real reply, an out-of-office, a bounce, or unrelated? And why.

Pure: takes the facts an adapter read from the message (adapters/mail/inbound.py), never
the raw bytes, and explains every decision so `followup classify` can show it.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple


class Kind(StrEnum):
    HUMAN = "human"
    AUTO_REPLY = "auto-reply"
    BOUNCE = "bounce"
    UNRELATED = "unrelated"


class MessageFacts(NamedTuple):
    """What classification and matching need from one message (top-level unless said)."""

    message_id: str | None = None
    from_addr: str | None = None  # lower-cased addr-spec
    from_name: str = ""
    to_addrs: tuple[str, ...] = ()
    subject: str = ""
    date: datetime | None = None
    references: tuple[str, ...] = ()  # In-Reply-To then References ids, of THIS message
    headers: tuple[tuple[str, str], ...] = ()  # (lower-cased name, decoded value), in order
    return_path: str | None = None  # None: no Return-Path header; "": an empty one (<>)
    content_type: str = "text/plain"
    report_type: str | None = None  # multipart/report's report-type parameter
    dsn_actions: tuple[str, ...] = ()  # Action: of each message/delivery-status recipient
    dsn_statuses: tuple[str, ...] = ()  # Status: (e.g. 5.1.1)
    dsn_recipients: tuple[str, ...] = ()  # Final-Recipient / Original-Recipient addresses
    body_text: str = ""  # the first text part (HTML turned into text), capped in length
    attached_ids: tuple[str, ...] = ()  # Message-ID/References found only in an attached
    # returned message (message/rfc822, text/rfc822-headers): never proof of a reply


class Classification(NamedTuple):
    kind: Kind
    reason: str  # one line: which signal decided it
    return_date: date | None = None  # an out-of-office's "back on …", when the text says
    failed_recipients: tuple[str, ...] = ()  # a bounce's addresses that failed for good


def classify(facts: MessageFacts, received: date | None = None) -> Classification:
    """Classify one message; `received` anchors a return date written without a year."""
    raise NotImplementedError
