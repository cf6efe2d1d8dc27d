"""What an inbound message is: the kinds, the facts classification reads, its verdict."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple


class Kind(StrEnum):
    """What an inbound message is (issue #15 adds the hiring side's own kinds)."""

    HUMAN = "human"  # a person answered: the sequence stops as `replied`
    AUTO_REPLY = "auto-reply"  # out of office: no note before they are back
    BOUNCE = "bounce"  # the address does not work: no more notes to it
    REJECTION = "rejection"  # "we have decided not to move forward": the application ends
    ROLE_CLOSED = "role-closed"  # filled, cancelled, paused, on hold: the application ends
    ACKNOWLEDGEMENT = "acknowledgement"  # "we received your application": history only
    NOTIFICATION = "notification"  # codes, reminders, portal notices: history only
    SCHEDULING = "scheduling"  # an invitation to a next step: the sequence stops
    OFFER = "offer"  # an offer: the application ends as `offer`
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
    # One entry per recipient block of every message/delivery-status part, aligned:
    dsn_actions: tuple[str, ...] = ()  # Action: (lower-cased first word: failed, delayed…)
    dsn_statuses: tuple[str, ...] = ()  # Status: (e.g. 5.1.1)
    dsn_recipients: tuple[str, ...] = ()  # Final-Recipient address ("" when absent)
    body_text: str = ""  # the first text part (HTML turned into text), capped in length
    attached_ids: tuple[str, ...] = ()  # Message-ID/References found only in an attached
    # returned message (message/rfc822, text/rfc822-headers): never proof of a reply
    dsn_original_recipients: tuple[str, ...] = ()  # Original-Recipient ("" when absent)
    calendar_method: str = ""  # a text/calendar part's METHOD, lower-cased (request, cancel…)
    # that part's text (capped: limits.INVITE_BYTES), for `receive` to apply a cancellation
    # or an updated invitation as `followup import` does; "" when there is none
    calendar: str = ""


class Classification(NamedTuple):
    kind: Kind
    reason: str  # one line: which signal decided it
    return_date: date | None = None  # an out-of-office's "back on …", when the text says
    failed_recipients: tuple[str, ...] = ()  # a bounce's addresses that failed for good
    language: str | None = None  # en, de, fr, es or nl, when the text is long enough to tell
    company: str | None = None  # the employer a hiring-side message names, when it does
    role: str | None = None  # the role it names, when it does
