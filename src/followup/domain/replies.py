"""Is an inbound message a real reply, an out-of-office, a bounce, the hiring side's own mail
(a rejection, a closed role, an offer, an invitation, a confirmation, a portal notice), or
unrelated? And why, in which language, naming which company and role.

Pure: takes the facts an adapter read from the message (adapters/mail/inbound.py), never
the raw bytes, and explains every decision so `followup classify` can show it. Stdlib only
(`re`, `datetime`); never raises on any MessageFacts (a property test feeds it noise).

The checks run in this order; the first that decides wins:

1. Bounce structure. An RFC 3464 delivery-status report with an `Action: failed` (or
   `error`, as Mailman reads it) is a bounce for those recipients — Original-Recipient when
   the report names it (the address we wrote to), else Final-Recipient. A report whose
   actions are only delayed/relayed/delivered/expanded is a warning or a receipt, not a
   bounce: an auto-reply ("delayed delivery warning, not a bounce"). A delivery-status
   report without a readable Action is read by its Status codes (5.x.x fails, 4.x.x warns),
   then like a non-DSN bounce, with the report structure itself counting as evidence. A read
   receipt (report-type=disposition-notification) is unrelated.
   Non-DSN bounces (Postfix/Exim/qmail/Exchange/Yahoo texts...) need two things: a bounce
   phrase (subject or body) and a bounce-like sender — MAILER-DAEMON, postmaster, "Mail
   Delivery System", a null sender, or X-Failed-Recipients — or a bounce phrase in both the
   subject and the body. A text that says the mail is delayed or will be retried ("has not
   yet been delivered", "Delivery attempts will continue", "(Delay)") is a warning, unless
   it also says the failure is permanent. Failed addresses come from X-Failed-Recipients,
   else from the explanation before the returned copy of the message.
   A message from a mail system — any multipart/report, a MAILER-DAEMON or postmaster
   sender — that is no bounce goes through the auto-reply checks below and is otherwise
   unrelated: never human, never one of the hiring side's kinds.
1b. The hiring side's phrases (domain/hiring.py, whose notes give their order), unless the
   message is a person's out-of-office (RFC 3834 auto-replied, X-Autoreply, Precedence:
   auto_reply, an absence phrase): a rejection, a closed role, an offer, a reminder or code,
   an invitation, a confirmation, a portal notice. Before the auto-reply headers, because
   applicant-tracking systems mark all their mail Auto-Submitted. Then, for mail from a
   known applicant-tracking platform that no phrase decided and that is not list mail: a
   portal notice when marked Auto-Submitted, else a recruiter writing through it (human).
2. Auto-reply headers. RFC 3834 `Auto-Submitted` with any value but `no`; `X-Autoreply`,
   `X-Autorespond` (and the rarer `X-Autoreply-From`, `X-Mail-Autoreply`); `Precedence:
   auto_reply`; `Precedence: bulk|junk` — vacation(1)'s marker — unless the message also has
   List-* headers, in which case it is list mail and step 4 decides; an empty Return-Path
   (`<>`), the null sender RFC 3834 asks auto-responders to use. `X-Auto-Response-Suppress`
   is NOT enough alone: Outlook puts `All`/`OOF` on ordinary mail people write, so it counts
   only with an auto-reply-looking subject or body, where it also upgrades a weak phrase
   ("on vacation") that alone would not decide.
3. Auto-reply phrases in the subject, then in the body's own text (quoted history removed:
   `>` lines and everything after "On … wrote:", "-----Original Message-----", an Outlook
   "From:/Sent:" block and their German/French/Spanish/Dutch/Italian/Portuguese forms), in
   English, German, French, Spanish, Dutch, Italian and Portuguese. A body phrase must be in
   the first person ("I am out of the office", "ich bin nicht im Büro", "je suis absent") or
   unmistakable ("automatic reply", "Abwesenheitsnotiz"): a person who writes "sorry, I was
   on vacation" is still a person.
4. Unrelated: newsletters and notifications (List-Unsubscribe, List-Id, `Precedence: list`,
   or a no-reply sender such as noreply@, no-reply@, notifications@) that are not replies.
   A reply (In-Reply-To/References) through a list or from a relay is left to step 5.
5. Human: everything else. Which interview it is about is the app's business.

Every classification carries the language of the own subject and text (en, de, fr, es, nl,
or None when too short to tell); a hiring kind or a human reply also the company and the
role its text names (hiring.company_and_role).

Return dates (an out-of-office's "back on …"): looked for after a return word ("back on",
"until", "returning", "bis zum", "jusqu'au", "hasta el", "tot en met", "fino al", "até"…) in
the subject and own text: month names in the seven languages, ISO `2026-12-07`, German
`7.12.(2026)`, and slashed `12/07(/2026)`. Slashed dates are ambiguous: with an anchor date
the reading that comes soonest on or after it wins (an out-of-office names its near end),
so `12/07` received on 25 November is 7 December and `07/12` is 7 December too; without an
anchor, month-first after an English word, day-first otherwise. A date without a year takes
the anchor's year, or the next year when it would fall before the anchor. The anchor is
`received`, else the message's own Date. With several dates ("from 1 to 7 December") the
latest wins; a weekday alone ("back on Monday") is the next such day after the anchor. The
date is the one written: "until 7 December" gives 7 December (the app adds a working day).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from itertools import accumulate
from typing import NamedTuple

from followup.domain import hiring


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


class Classification(NamedTuple):
    kind: Kind
    reason: str  # one line: which signal decided it
    return_date: date | None = None  # an out-of-office's "back on …", when the text says
    failed_recipients: tuple[str, ...] = ()  # a bounce's addresses that failed for good
    language: str | None = None  # en, de, fr, es or nl, when the text is long enough to tell
    company: str | None = None  # the employer a hiring-side message names, when it does
    role: str | None = None  # the role it names, when it does


def classify(facts: MessageFacts, received: date | None = None) -> Classification:
    """Classify one message; `received` anchors a return date written without a year."""
    anchor = received if received is not None else _date_of(facts.date)
    headers = _first_values(facts.headers)
    own = own_text(facts.body_text)
    machine = _mail_system(facts)
    verdict = (
        _by_structure(facts, headers)
        or (None if machine else _by_hiring_phrases(facts, headers, own))
        or (None if machine else _by_platform(facts, headers, own))
        or _by_auto_headers(facts, headers, own, anchor)
        or _by_phrases(facts, own, anchor)
        or (_by_mail_system(machine) if machine else None)
        or _by_list_headers(facts, headers)
        or _human(facts)
    )
    subject = _own_subject(facts.subject)
    company, role = (None, None)
    if verdict.kind in _HIRING_KINDS:
        text = f"{own}\n{hiring.forwarded_text(facts.body_text)}"
        platform = hiring.ats_platform(facts.from_addr)
        company, role = hiring.company_and_role(facts.subject, text, facts.from_name, platform)
    return verdict._replace(
        reason=" ".join(verdict.reason.split()),  # one line, always
        language=hiring.language(f"{subject}\n{own}"),
        company=company,
        role=role,
    )


# --- helpers ------------------------------------------------------------------------------


def _date_of(when: datetime | None) -> date | None:
    return when.date() if isinstance(when, datetime) else None


def _first_values(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    first: dict[str, str] = {}
    for name, value in headers:
        first.setdefault(name.lower(), value)
    return first


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def _shown(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _local_part(address: str | None) -> str:
    return (address or "").rpartition("@")[0].lower() if "@" in (address or "") else ""


_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00a0": " ", "\u202f": " "})


def _normal(text: str) -> str:
    return text.translate(_TYPOGRAPHY).lower()


# --- own text: the body without quoted history ----------------------------------------------

_OWN_LIMIT = 3000
_QUOTE_START = re.compile(
    r"^[ \t]*(?:"
    r"on\b[^\n]{0,200}(?:\n[^\n]{0,200})?\bwrote:"
    r"|am\b[^\n]{0,200}(?:\n[^\n]{0,200})?\bschrieb\b[^\n]{0,100}:"
    r"|le\b[^\n]{0,200}(?:\n[^\n]{0,200})?\ba [ée]crit ?:"
    r"|el\b[^\n]{0,200}(?:\n[^\n]{0,200})?\bescribi[óo] ?:"
    r"|op\b[^\n]{0,200}(?:\n[^\n]{0,200})?\bschreef\b[^\n]{0,100}:"
    r"|il\b[^\n]{0,200}(?:\n[^\n]{0,200})?\bha scritto ?:"
    r"|em\b[^\n]{0,200}(?:\n[^\n]{0,200})?\bescreveu ?:"
    r"|-{2,}[ \t]*(?:original message|urspr[üu]ngliche nachricht|message d'origine"
    r"|mensaje original|oorspronkelijk bericht|messaggio originale|mensagem original"
    r"|forwarded message|weitergeleitete nachricht)[ \t]*-{2,}"
    r"|_{10,}[ \t]*$"
    r"|(?:from|von|de|van|da)[ \t]*:[^\n]*\n[ \t]*(?:sent|gesendet|envoy[ée]|enviado"
    r"|verzonden|inviato|date|datum)[ \t]*:"
    r")",
    re.IGNORECASE | re.MULTILINE,
)


def own_text(body: str) -> str:
    """What the writer wrote: the start of the body, without quoted lines and history."""
    head = body[: _OWN_LIMIT * 4]
    start = _QUOTE_START.search(head)
    if start is not None:
        head = head[: start.start()]
    lines = [line for line in head.split("\n") if not line.lstrip().startswith(">")]
    return "\n".join(lines)[:_OWN_LIMIT]


# --- 1. bounce structure ---------------------------------------------------------------------

_NOT_FAILED = frozenset(("delayed", "relayed", "delivered", "expanded"))

_DAEMON_LOCALS = (
    r"(?:mailer[-_.]?daemon|mail[-_.]?daemon|postmaster|mdaemon|ndr|mail\.delivery\.system"
    r"|mailerdaemon|bounce|bounces|nobody)"
)
_DAEMON_LOCAL = re.compile(f"^{_DAEMON_LOCALS}$")
_DAEMON_NAME = re.compile(
    r"mail(?:er)?[ _-]?daemon|mail delivery|delivery (?:sub)?system|postmaster"
    r"|system administrator|mail administrator|mail ?server|antivirus|lsmtp",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver(?:ed|able)|returned mail|return(?:ed|ing) (?:message )?to sender"
    r"|deliv(?:e)?ry (?:status notification \(failure\)|failure|failed|has failed|problem"
    r"|error|report \(failure\))|delivery status notification: error"
    r"|mail delivery (?:failed|failure|problem|error)|failure (?:notice|delivery)"
    r"|failed mail|non[- ]?delivery|not delivered|(?:could|can)(?:n'?t| ?not) be delivered"
    r"|mail (?:error|failure|not delivered)|permanent delivery failure"
    r"|message delivery failure|nameserver error report|automatically rejected"
    r"|user unknown|nicht zustellbar|unzustellbar|non remis|non distribuable"
    r"|no se pudo entregar|no entregado|niet bezorgd|onbestelbaar|non recapitat"
    r"|mancata consegna|n[ãa]o entregue|n[ãa]o foi poss[ií]vel entregar|не доставлено"
    r"|não pôde ser entregue|non recensé",
    re.IGNORECASE,
)
_BOUNCE_BODY = re.compile(
    r"i'm afraid i wasn't able to deliver|delivery has failed to these recipients"
    r"|i'm sorry to have to inform you that your message could not"
    r"|(?:could|can)(?:n'?t| ?not) be deliver(?:ed)?|(?:could|can)(?:n'?t| ?not) deliver"
    r"|was not delivered|were not delivered|did not (?:reach|receive this message)"
    r"|undeliverable|undelivered|delivery (?:to the following recipients? )?(?:has )?failed"
    r"|del[ie]very to the following recipients? was aborted"
    r"|failed to deliver|unable to deliver|permanent(?:ly)? (?:fatal )?(?:error|failure|fail)"
    r"|failed permanently|this is a permanent error|user unknown|unknown user"
    r"|no such (?:user|mailbox|recipient|address)|mailbox (?:unavailable|not found|is full"
    r"|full|quota)|quota exceeded|over quota|does not exist|doesn't exist"
    r"|recipient (?:address )?rejected|address rejected|message (?:was )?rejected"
    r"|not listed in|the following addresses? (?:had|failed|could not)|returned mail"
    r"|non-delivery|failure notice|returning message to sender|has been returned"
    r"|n'a pas pu [êe]tre (?:remis|d[ée]livr[ée])|ne peut pas [êe]tre (?:remis|d[ée]livr[ée])"
    r"|n'existe pas|konnte nicht zugestellt|nicht zugestellt|unzustellbar"
    r"|no se pudo entregar|no pudo ser entregado|non [èe] stato possibile recapitare"
    r"|n[ãa]o foi poss[ií]vel entregar|не может быть доставлено|не доставлено"
    r"|无法发送|无法送达|退信",
    re.IGNORECASE,
)
_WARNING = re.compile(
    r"\bdelay(?:ed)?\b|has not yet been delivered|not yet (?:been )?delivered"
    r"|still being retried|will (?:continue to )?(?:be )?retr(?:y|ied)"
    r"|will (?:continue to |keep )(?:attempt|try)|delivery attempts will continue"
    r"|this is (?:just )?a warning|warning message only|advisory[- ]only"
    r"|has been postponed|no action is required|mail delivery warning"
    r"|verz[öo]gert|retard[ée]|retrasad",
    re.IGNORECASE,
)
_PERMANENT = re.compile(
    r"permanent(?:ly)?\b|fatal error|giving up|gave up|retry time(?:out)? (?:exceeded|reached)"
    r"|has been returned|returning message to sender",
    re.IGNORECASE,
)
_STATUS = re.compile(r"^([245])\.\d{1,3}\.\d{1,3}$")
_ORIGINAL_COPY = re.compile(
    r"^[ \t]*(?:-{2,}+|\*{3,}+|={3,}+)[^\n]{0,200}?(?:original|copy|below this line|header"
    r"|returned mail"
    r"|message follows|lines of the message|附件)"
    r"|(?:original message (?:headers|follows|details)|below this line is a copy"
    r"|this is a copy of (?:the|your) message)"
    r"|^(?:received|return-path|dkim-signature|message-id|mime-version):",
    re.IGNORECASE | re.MULTILINE,
)
_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
_ID_AROUND = re.compile(r"(?:message-id|in-reply-to|references|\bid)\s*[:=]?\s*<?$", re.I)
# A line of the explanation that repeats the returned message's headers, not a failed address.
_SUMMARY_LINE = re.compile(
    r"[ \t*>-]*(?:to|from|cc|sent|subject|date|reply-to|sender|return-path)[ \t]*:", re.I
)
_ADDRESS_PREFIX = re.compile(r"^(?:smtp|rfc822|mailto)[=:;]", re.I)


def _by_structure(facts: MessageFacts, headers: Mapping[str, str]) -> Classification | None:
    actions = facts.dsn_actions
    failed = [i for i, action in enumerate(actions) if action.startswith(("fail", "error"))]
    if failed:
        who = _dedupe(_dsn_address(facts, i) for i in failed)
        return Classification(
            Kind.BOUNCE,
            f"DSN Action: failed for {_list(who)}",
            failed_recipients=who,
        )
    readable = [a for a in actions if a in _NOT_FAILED]
    if readable and all(a in _NOT_FAILED or not a for a in actions):
        kind = "delayed" if "delayed" in readable else readable[0]
        who = _dedupe(_dsn_address(facts, i) for i, a in enumerate(actions) if a == kind)
        if kind == "delayed":
            reason = (
                f"delayed delivery warning, not a bounce (DSN Action: delayed for {_list(who)})"
            )
        else:
            reason = f"delivery report, not a bounce (DSN Action: {kind} for {_list(who)})"
        return Classification(Kind.AUTO_REPLY, reason)
    report = (facts.report_type or "").lower()
    if report == "disposition-notification":  # a read receipt, or a Sieve reject (RFC 5429)
        return _non_dsn_bounce(facts, headers, False) or Classification(
            Kind.UNRELATED, "read receipt (report-type=disposition-notification), not a reply"
        )
    is_report = report == "delivery-status"
    if is_report:
        codes = [m.group(1) for s in facts.dsn_statuses if (m := _STATUS.match(s.strip()))]
        if "5" in codes:
            who = _dedupe(
                _dsn_address(facts, i)
                for i, s in enumerate(facts.dsn_statuses)
                if s.strip().startswith("5")
            )
            return Classification(
                Kind.BOUNCE, f"DSN Status: 5.x.x for {_list(who)}", failed_recipients=who
            )
        if "4" in codes:
            return Classification(
                Kind.AUTO_REPLY, "delayed delivery warning, not a bounce (DSN Status: 4.x.x)"
            )
    return _non_dsn_bounce(facts, headers, is_report)


def _dsn_address(facts: MessageFacts, index: int) -> str:
    for column in (facts.dsn_original_recipients, facts.dsn_recipients):
        if index < len(column) and column[index]:
            return column[index].lower()
    return ""


def _list(addresses: tuple[str, ...]) -> str:
    if not addresses:
        return "an unnamed recipient"
    shown = ", ".join(addresses[:3])
    return shown if len(addresses) <= 3 else f"{shown} and {len(addresses) - 3} more"


def _non_dsn_bounce(
    facts: MessageFacts, headers: Mapping[str, str], is_report: bool
) -> Classification | None:
    subject = facts.subject
    head = _explanation(facts.body_text)
    in_subject = _BOUNCE_SUBJECT.search(subject)
    in_body = _BOUNCE_BODY.search(head)
    failed_header = headers.get("x-failed-recipients")
    sender = _bounce_sender(facts)
    warn_subject, warn_body = _WARNING.search(subject), _WARNING.search(head)
    warning = warn_subject or warn_body
    if not (in_subject or in_body or failed_header is not None or is_report or warning):
        return None
    both = (in_subject or warn_subject) and (in_body or warn_body)
    if not (sender or failed_header is not None or is_report or both):
        return None
    permanent = _PERMANENT.search(subject) or _PERMANENT.search(head)
    if warning and not permanent and failed_header is None:
        return Classification(
            Kind.AUTO_REPLY,
            f"delayed delivery warning, not a bounce ({'subject' if warn_subject else 'text'}"
            f' says "{_shown(warning.group(0))}")',
        )
    who = _failed_from_text(facts, failed_header, head)
    if failed_header is not None:
        signal = "X-Failed-Recipients"
    elif in_subject:
        signal = f'subject says "{_shown(in_subject.group(0))}"'
    elif in_body:
        signal = f'body says "{_shown(in_body.group(0))}"'
    else:
        signal = "a delivery-status report without a readable Action"
    by = f" from {sender}" if sender else ""
    return Classification(
        Kind.BOUNCE, f"bounce{by}: {signal} (failed: {_list(who)})", failed_recipients=who
    )


def _bounce_sender(facts: MessageFacts) -> str:
    """What makes the sender look like a mail system ("" when nothing does)."""
    if _DAEMON_LOCAL.match(_local_part(facts.from_addr)):
        return facts.from_addr or ""
    if _DAEMON_NAME.search(facts.from_name):
        return f'"{_shown(facts.from_name, 40)}"'
    if not facts.from_addr and (facts.from_name or facts.return_path == ""):
        return "a null sender (<>)"
    if facts.return_path == "":
        return "a null Return-Path (<>)"
    return ""


# --- bounces judged by their headers alone ----------------------------------------------------
#
# `may_be_bounces` runs on every new message of a sync, thousands at once, so it reads each
# signal of a whole batch in one pass over the batch's text, with the phrases above compiled
# to run on lower-cased text (IGNORECASE makes `re` several times slower on these long
# alternations; they have no upper-case letters outside escapes). Before the phrases of the
# subject and of the sender, a screen: words one of which is in every text they match (a
# test checks it on strings generated from the patterns), so that they run only on the few
# lines with one.

_LOWER_BOUNCE_OR_WARNING_SUBJECT = re.compile(f"{_BOUNCE_SUBJECT.pattern}|{_WARNING.pattern}")
_BOUNCE_OR_WARNING_WORDS = (
    "deliv", "fail", "return", "error", "reject", "unknown", "delay", "retr", "retard", "verz",
    "try", "attempt", "warning", "advisory", "postponed", "action is required", "zustellbar",
    "remis", "distribuable", "entreg", "bezorgd", "bestelbaar", "recapitat", "consegna",
    "recens", "доставлено",
)  # fmt: skip
_LOWER_DAEMON = re.compile(  # a mail system's name, or its address's local part
    f'{_DAEMON_NAME.pattern}|(?:^|(?<=[\\s<"(,;:])){_DAEMON_LOCALS}@', re.MULTILINE
)
_DAEMON_WORDS = (
    "daemon", "deliver", "postmaster", "administrator", "server", "antivirus", "lsmtp", "ndr",
    "bounce", "nobody",
)  # fmt: skip
_REPORT = re.compile(r"multipart/report|report-type")


def may_be_bounces(
    from_texts: Sequence[str],
    subjects: Sequence[str],
    content_types: Sequence[str],
    failed_recipients: Iterable[int] = (),
) -> set[int]:
    """Which of these messages could be a bounce or a delivery warning, judged by their
    headers alone: their indexes.

    `from_texts[i]`, `subjects[i]` and `content_types[i]` are message i's From, Subject and
    Content-Type headers as text, each on one line ("" for none); `failed_recipients` the
    indexes of those with an X-Failed-Recipients header. For a mail sync that reads the
    body only of the messages worth it: the header half of step 1's checks — a From that
    looks like a mail system (MAILER-DAEMON, postmaster, "Mail Delivery System") or has no
    address, X-Failed-Recipients, a report (multipart/report, or report-type= on a
    wrapper's Content-Type), a bounce or delay phrase in the subject. A message `classify`
    calls a bounce or a delivery warning has one of them unless (a) its delivery-status part
    hides in a multipart/mixed under an ordinary sender and subject, or (b) only its empty
    Return-Path and its body say so — every RFC 3834 auto-reply has an empty Return-Path,
    so that is no sign here. No bounce of the Mailman corpus, CPython's or ours is either
    (tests/unit/test_syncing.py).
    """
    found = set(failed_recipients)
    if not from_texts:
        return found
    if len(content_types) != len(from_texts) or len(subjects) != len(from_texts):
        raise ValueError("one From, Subject and Content-Type a message")
    senders = _lines(from_texts)
    found.update(i for i, line in enumerate(senders.split("\n")) if "@" not in line)
    found |= _screened(senders, _DAEMON_WORDS, _LOWER_DAEMON)
    kinds = _lines(content_types)
    if "report" in kinds:
        found |= _lines_matching(_REPORT, kinds)
    found |= _screened(_lines(subjects), _BOUNCE_OR_WARNING_WORDS, _LOWER_BOUNCE_OR_WARNING_SUBJECT)
    return found


def _screened(text: str, words: Iterable[str], pattern: re.Pattern[str]) -> set[int]:
    """The lines of `text` where `pattern` matches, tried only on those with one of `words`
    (one of which is in every text `pattern` matches)."""
    lines = text.split("\n")
    starts = [0, *accumulate(len(line) + 1 for line in lines)]
    screened: set[int] = set()
    for word in words:
        at = text.find(word)
        while at >= 0:
            line = bisect_right(starts, at) - 1
            screened.add(line)
            at = text.find(word, starts[line + 1])  # the next line
    return {line for line in screened if pattern.search(lines[line])}


def _lines(texts: Sequence[str]) -> str:
    """The texts lower-cased, one a line (a line break inside one becomes a space)."""
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:
        joined = "\n".join(t.replace("\n", " ") for t in texts)
    return joined.lower()


def _lines_matching(pattern: re.Pattern[str], text: str) -> set[int]:
    """The indexes of the lines of `text` where `pattern` matches (it spans no line break)."""
    found: set[int] = set()
    line, counted = 0, 0
    for match in pattern.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        found.add(line)
    return found


def _explanation(body: str) -> str:
    """A bounce's own words: the text before the returned copy of the message."""
    head = body[: _OWN_LIMIT * 3]
    cut = _ORIGINAL_COPY.search(head)
    return head[: cut.start()] if cut is not None else head


def _failed_from_text(facts: MessageFacts, failed_header: str | None, head: str) -> tuple[str, ...]:
    if failed_header is not None:
        found = _dedupe(m.group(0).lower() for m in _ADDRESS.finditer(failed_header))
        if found:
            return found
    ours = {facts.from_addr or "", facts.return_path or "", *facts.to_addrs}
    out: list[str] = []
    for match in _ADDRESS.finditer(head):
        address = _ADDRESS_PREFIX.sub("", match.group(0).strip(".'")).lower()
        line_start = head.rfind("\n", 0, match.start()) + 1
        before = head[max(line_start, match.start() - 20) : match.start()]
        if address in ours or _ID_AROUND.search(before):
            continue
        if _SUMMARY_LINE.match(head, line_start):
            continue
        if _DAEMON_LOCAL.match(_local_part(address)):
            continue
        out.append(address)
    return _dedupe(out)


# --- 2. auto-reply headers -------------------------------------------------------------------

_AUTO_HEADERS = ("x-autoreply", "x-autorespond", "x-autoreply-from", "x-mail-autoreply")
_LIST_HEADERS = (
    "list-id", "list-unsubscribe", "list-post", "list-help", "mailing-list", "x-mailing-list",
    "x-loop",
)  # fmt: skip
_LIST_SENDER = re.compile(r"(?:^|[<\s])owner-|-(?:owner|request|bounces|admin)(?:\+[^@]*)?@", re.I)


def _list_mail(headers: Mapping[str, str]) -> str | None:
    """The header that shows list mail (a mailing list, a newsletter), else None."""
    for name in _LIST_HEADERS:
        if name in headers:
            return _header_name(name)
    if _LIST_SENDER.search(headers.get("sender", "")):
        return "Sender"
    return None


_OFF_VALUES = frozenset(("no", "false", "0", "off"))


def _by_auto_headers(
    facts: MessageFacts, headers: Mapping[str, str], own: str, anchor: date | None
) -> Classification | None:
    submitted = headers.get("auto-submitted")
    if submitted is not None:
        token = _first_token(submitted)
        if token and token != "no":
            return _auto(f"RFC 3834 Auto-Submitted: {token}", facts, own, anchor)
    for name in _AUTO_HEADERS:
        value = headers.get(name)
        if value is not None and _first_token(value) not in _OFF_VALUES:
            shown = _shown(value, 30) or "(empty)"
            return _auto(f"{_header_name(name)}: {shown}", facts, own, anchor)
    for name in ("precedence", "x-precedence"):
        token = _first_token(headers.get(name, ""))
        if token in ("auto_reply", "auto-reply"):
            return _auto(f"{_header_name(name)}: {token}", facts, own, anchor)
        if token in ("bulk", "junk") and _list_mail(headers) is None:
            return _auto(f"{_header_name(name)}: {token} (no List-* headers)", facts, own, anchor)
    suppress = headers.get("x-auto-response-suppress")
    if suppress is not None:
        phrase = _auto_phrase(facts.subject, own, weak=True)
        if phrase is not None:
            return _auto(
                f"X-Auto-Response-Suppress: {_shown(suppress, 30)} and {phrase}",
                facts,
                own,
                anchor,
            )
    if facts.return_path == "":
        return _auto("empty Return-Path (<>): sent by an automaton", facts, own, anchor)
    return None


def _first_token(value: str) -> str:
    words = value.replace(";", " ").replace("(", " ").split()
    return words[0].lower() if words else ""


def _header_name(name: str) -> str:
    return "-".join(part.capitalize() for part in name.split("-"))


def _auto(reason: str, facts: MessageFacts, own: str, anchor: date | None) -> Classification:
    return Classification(Kind.AUTO_REPLY, reason, return_date(facts.subject, own, anchor))


# --- 3. auto-reply phrases ---------------------------------------------------------------------

_I_AM_EN = r"(?:i am|i'm|i will be|i'll be|i shall be)"
_STRONG_SUBJECT = re.compile(
    r"out of (?:the )?office|\booo\b|automatic reply|auto[- ]?reply|autoreply"
    r"|auto[- ]?response|^\s*auto\s*:|vacation (?:reply|response|message)|on vacation"
    r"|on (?:annual |parental |maternity |paternity )?leave|on holiday"
    r"|away from (?:the |my )?office|abwesenheitsnotiz|abwesenheit|automatische antwort"
    r"|nicht im b[üu]ro|absence du bureau|absent(?:e)? du bureau|r[ée]ponse automatique"
    r"|message d'absence|fuera de la oficina|respuesta autom[áa]tica|afwezigheidsbericht"
    r"|automatisch antwoord|niet aanwezig|afwezig|risposta automatica|fuori ufficio"
    r"|resposta autom[áa]tica|aus[êe]ncia|fora do escrit[óo]rio|ausente",
    re.IGNORECASE,
)
_STRONG_BODY = re.compile(
    rf"\b{_I_AM_EN}\s+(?:currently\s+|now\s+|presently\s+|still\s+)?"
    r"(?:out of (?:the )?office|away from (?:the |my )?(?:office|desk)"
    r"|on (?:annual |parental |maternity |paternity |sick |medical |study |a )?"
    r"(?:vacation|holidays?|leave|pto|sabbatical|business trip)"
    r"|off work|out sick|not in the office|ooo\b)"
    rf"|\b{_I_AM_EN}\s+currently\s+(?:away|out|unavailable|traveling|travelling)\b"
    rf"|\b{_I_AM_EN}\s+(?:away|out|unavailable|traveling|travelling)\b[^.\n]{{0,40}}"
    r"\b(?:until|till|through|returning)\b"
    r"|\bthis is an? (?:automated|automatic|auto-generated) (?:reply|response|message)"
    r"|\bautomatic reply\b|\bauto-?reply\b|\bout of office (?:reply|message|notice)"
    r"|\b(?:limited|no|intermittent|restricted) access to (?:my )?e-?mails?\b"
    r"|\bi will (?:respond|reply|get back to you|answer)[^.\n]{0,60}\b(?:when|upon|after|on)"
    r" (?:my )?return"
    r"|\bich bin (?:derzeit |zurzeit |momentan |aktuell |leider |ab [^.\n]{0,30}? )?"
    r"(?:bis [^\n]{0,40}? )?(?:nicht im b[üu]ro|nicht erreichbar|abwesend|im urlaub"
    r"|au(?:ß|ss)er haus|nicht im hause|auf dienstreise|in elternzeit)"
    r"|\babwesenheitsnotiz\b|\bautomatische antwort\b"
    r"|\bje suis (?:actuellement |absent(?:e)? |en |d[ée]sormais )?[^.\n]{0,10}?"
    r"(?:absent(?:e)?|en cong[ée]s?|en vacances|en d[ée]placement|hors du bureau)"
    r"|\babsence du bureau\b|\br[ée]ponse automatique\b|\bje serai de retour\b"
    r"|\b(?:estoy|me encuentro|estar[ée]) (?:actualmente )?(?:fuera de la oficina"
    r"|de vacaciones|ausente|de viaje)|\brespuesta autom[áa]tica\b|\bestar[ée] de vuelta\b"
    r"|\bik ben (?:momenteel |tot en met [^.\n]{0,30}? |t/m [^.\n]{0,30}? |tot [^.\n]{0,30}? )?"
    r"(?:afwezig|niet (?:op kantoor|aanwezig)|met vakantie|op vakantie)"
    r"|\bafwezigheidsbericht\b|\bautomatisch antwoord\b"
    r"|\b(?:sono|sar[òo]) (?:attualmente )?(?:fuori (?:ufficio|sede)|assente|in (?:ferie"
    r"|vacanza))|\brisposta automatica\b"
    r"|\b(?:estou|estarei) (?:atualmente )?(?:fora do escrit[óo]rio|ausente|de f[ée]rias"
    r"|em f[ée]rias)|\bresposta autom[áa]tica\b",
    re.IGNORECASE,
)
_WEAK_BODY = re.compile(
    r"\bon (?:vacation|holiday|leave)\b|\bout of (?:the )?office\b|\baway from the office\b"
    r"|\booo\b|\bnicht im b[üu]ro\b|\bim urlaub\b|\babwesend\b|\babsente?\b|\ben cong[ée]"
    r"|\ben vacances\b|\bde vacaciones\b|\bfuera de la oficina\b|\bafwezig\b|\bmet vakantie\b"
    r"|\bin ferie\b|\bfuori ufficio\b|\bde f[ée]rias\b|\baus[êe]ncia\b|\bausente\b",
    re.IGNORECASE,
)


# "Re:", "AW:", "Fwd:"…: what follows was an earlier message's subject, not this one's.
_REPLY_PREFIX = re.compile(
    r"(?:^|(?<=[\s\]:]))(?:re|aw|sv|vs|antw|r[ée]f|rif|r|res|fw|fwd|wg|tr|rv|enc)"
    r"\s*(?:\[\d+\])?\s*:",
    re.IGNORECASE,
)


def _own_subject(subject: str) -> str:
    """The part of a subject this message wrote: before any reply or forward prefix.

    "Automatic reply: RE: Thanks" is an auto-reply's; "Re: Automatic reply: Thanks" is a
    person answering in a thread an out-of-office passed through.
    """
    prefix = _REPLY_PREFIX.search(subject)
    return subject[: prefix.start()] if prefix is not None else subject


def _auto_phrase(subject: str, own: str, weak: bool = False) -> str | None:
    """Where an auto-reply phrase is, as the reason names it; None when there is none."""
    text = _normal(own)
    subject = _own_subject(subject)
    found = _STRONG_SUBJECT.search(_normal(subject))
    if found:
        return f"subject says {_as_written(subject, found)}"
    found = _STRONG_BODY.search(text)
    if found:
        return f'body says "{_as_written(own, found)}"'
    if weak:
        found = _WEAK_BODY.search(text)
        if found:
            return f'body says "{_as_written(own, found)}"'
    return None


def _as_written(original: str, match: re.Match[str]) -> str:
    """The matched words as the sender wrote them (the match ran on a normalised copy)."""
    piece = original[match.start() : match.end()]
    return _shown(piece if _normal(piece) == match.group(0) else match.group(0))


def _by_phrases(facts: MessageFacts, own: str, anchor: date | None) -> Classification | None:
    phrase = _auto_phrase(facts.subject, own)
    if phrase is None:
        return None
    return _auto(phrase, facts, own, anchor)


# --- 4. list mail and no-reply senders --------------------------------------------------------

_NO_REPLY = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|notifications?|notify|newsletters?|mailer)"
    r"(?:[-_.+].*)?$"
)


def _by_list_headers(facts: MessageFacts, headers: Mapping[str, str]) -> Classification | None:
    if facts.references:
        return None  # a reply, even through a list or from a relay: a person may have written it
    precedence = _first_token(headers.get("precedence", ""))
    list_header = _list_mail(headers)
    if list_header is not None:
        return Classification(
            Kind.UNRELATED, f"{list_header}: list mail or a newsletter, not a reply"
        )
    if precedence == "list":
        return Classification(Kind.UNRELATED, "Precedence: list: list mail, not a reply")
    if _NO_REPLY.match(_local_part(facts.from_addr)):
        return Classification(
            Kind.UNRELATED, f"no-reply sender {facts.from_addr}: a notification, not a reply"
        )
    return None


# --- 1b. the hiring side's own kinds (domain/hiring.py) ---------------------------------------

_HIRING_KINDS = frozenset(
    (Kind.REJECTION, Kind.ROLE_CLOSED, Kind.ACKNOWLEDGEMENT, Kind.NOTIFICATION, Kind.SCHEDULING,
     Kind.OFFER, Kind.HUMAN)
)  # fmt: skip
_REPLY_HEADERS = ("x-autoreply", "x-autorespond", "x-autoreply-from", "x-mail-autoreply")
_NOT_ABSENCE = re.compile(r"this is an? (?:automated|automatic|auto-generated)")


def _by_hiring_phrases(
    facts: MessageFacts, headers: Mapping[str, str], own: str
) -> Classification | None:
    """A rejection, closed role, offer, invitation, confirmation or portal notice, by its own
    subject and text (or, for a forward, the forwarded message's) — unless it is an
    out-of-office, whose "for questions about your application…" is no answer."""
    if _out_of_office(facts, headers, own):
        return None
    subject = _own_subject(facts.subject)
    found = hiring.hiring_kind(subject, own)
    forwarded = hiring.forwarded_text(facts.body_text)
    if forwarded:  # the forwarder's words or the forwarded message's: the first in the order
        passed_on = hiring.hiring_kind("", own_text(forwarded))
        if passed_on is not None and (found is None or passed_on.rank < found.rank):
            found = passed_on._replace(reason=f"{passed_on.reason} (in the forwarded message)")
    if found is None:
        return None
    platform = hiring.ats_platform(facts.from_addr)
    by = f" ({platform})" if platform else ""
    return Classification(Kind(found.kind), f"{found.reason}{by}")


def _out_of_office(facts: MessageFacts, headers: Mapping[str, str], own: str) -> bool:
    """An auto-reply of a person's absence: RFC 3834 auto-replied, an X-Autoreply header,
    Precedence: auto_reply, or an absence phrase (not "this is an automated message", which
    every applicant-tracking system writes)."""
    if _first_token(headers.get("auto-submitted", "")) == "auto-replied":
        return True
    if any(
        name in headers and _first_token(headers[name]) not in _OFF_VALUES
        for name in _REPLY_HEADERS
    ):
        return True
    if _first_token(headers.get("precedence", "")) in ("auto_reply", "auto-reply"):
        return True
    if _STRONG_SUBJECT.search(_normal(_own_subject(facts.subject))):
        return True
    return any(
        not _NOT_ABSENCE.match(found.group(0)) for found in _STRONG_BODY.finditer(_normal(own))
    )


def _mail_system(facts: MessageFacts) -> str:
    """What shows a message comes from a mail system, never a person ("" when nothing):
    any multipart/report, or a MAILER-DAEMON/postmaster sender."""
    if facts.content_type.lower() == "multipart/report" or facts.report_type:
        report = f"; report-type={facts.report_type}" if facts.report_type else ""
        return f"multipart/report{report}"
    if _DAEMON_LOCAL.match(_local_part(facts.from_addr)):
        return f"sender {facts.from_addr}"
    if _DAEMON_NAME.search(facts.from_name):
        return f'sender "{_shown(facts.from_name, 40)}"'
    return ""


def _by_mail_system(machine: str) -> Classification:
    return Classification(Kind.UNRELATED, f"{machine}: a mail system's report, not a person")


def _by_platform(
    facts: MessageFacts, headers: Mapping[str, str], own: str
) -> Classification | None:
    """Mail from an applicant-tracking system that no phrase decided: a recruiter writing
    through it (Greenhouse and Lever send a recruiter's own mail from their no-reply
    addresses), unless the platform marked it automated (Auto-Submitted), which makes it a
    portal notice."""
    platform = hiring.ats_platform(facts.from_addr)
    if platform is None or _list_mail(headers) is not None or _out_of_office(facts, headers, own):
        return None
    if _first_token(headers.get("precedence", "")) == "list":
        return None
    if _first_token(headers.get("auto-submitted", "")) not in ("", "no"):
        return Classification(
            Kind.NOTIFICATION, f"an automated message from {platform} that no phrase decided"
        )
    return Classification(
        Kind.HUMAN, f"sent for the employer through {platform}; no hiring-side phrase"
    )


def _human(facts: MessageFacts) -> Classification:
    if facts.references:
        return Classification(
            Kind.HUMAN, f"a reply (to {_shown(facts.references[0], 50)}) with no automated signal"
        )
    return Classification(Kind.HUMAN, "no automated signal: a person wrote it")


# --- return dates -------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _month, _names in enumerate(
    (
        "january jan januar jänner janvier janv enero januari gennaio janeiro",
        "february feb februar février fevrier févr fevr febrero februari febbraio fevereiro",
        "march mar märz maerz mär mars marzo maart março marco",
        "april apr avril avr abril aprile",
        "may mai mayo mei maggio maio",
        "june jun juni juin junio giugno junho",
        "july jul juli juillet juil julio luglio julho",
        "august aug août aout agosto augustus",
        "september sep sept septembre septiembre setiembre settembre setembro",
        "october oct oktober okt octobre octubre ottobre outubro",
        "november nov novembre noviembre novembro",
        "december dec dezember dez décembre decembre déc diciembre dicembre dezembro",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _month

_WEEKDAYS: dict[str, int] = {}
for _day, _names in enumerate(
    (
        "monday mon montag lundi lunes maandag lunedì lunedi segunda segunda-feira",
        "tuesday tue tues dienstag mardi martes dinsdag martedì martedi terça terça-feira",
        "wednesday wed mittwoch mercredi miércoles miercoles woensdag mercoledì quarta",
        "thursday thu thurs donnerstag jeudi jueves donderdag giovedì giovedi quinta",
        "friday fri freitag vendredi viernes vrijdag venerdì venerdi sexta sexta-feira",
        "saturday sat samstag samedi sábado sabado zaterdag sabato",
        "sunday sun sonntag dimanche domingo zondag domenica",
    )
):
    for _name in _names.split():
        _WEEKDAYS[_name] = _day

_MONTH = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_WEEKDAY = "|".join(sorted(map(re.escape, _WEEKDAYS), key=len, reverse=True))
_ORDINAL = r"(?:st|nd|rd|th|er|e|\.|º|°)?"
_DATE_FORMS = (
    re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),
    re.compile(
        rf"(?<!\w)(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}}){_ORDINAL}(?!\d)"
        r"(?:,?\s+(?P<y>\d{4})(?!\d))?"
    ),
    re.compile(
        rf"(?<![\w.])(?P<d>\d{{1,2}}){_ORDINAL}\s*(?:of\s+|de\s+)?(?P<mon>{_MONTH})(?!\w)\.?"
        r"(?:,?\s+(?:de\s+)?(?P<y>\d{4})(?!\d))?"
    ),
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?:(?P<y>\d{4}|\d{2})(?!\d))?"),
    re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?(?![\d/])"),
)
_WEEKDAY_FORM = re.compile(rf"(?<!\w)(?P<wd>{_WEEKDAY})(?!\w)")
_ENGLISH_TRIGGERS = (
    r"back(?: in (?:the )?office| in| at (?:my )?(?:desk|work)| to (?:the )?office)?"
    r"(?: on| by| from| after)?"
    r"|return(?:ing)?(?: to (?:the )?(?:office|work))?(?: on)?|returns?|resum\w*|until|till"
    r"|til|through|thru|up to and including|reachable again|available again"
)
_TRIGGER = re.compile(
    rf"(?<!\w)(?:(?P<en>{_ENGLISH_TRIGGERS})"
    r"|(?P<other>zur[üu]ck(?: im b[üu]ro)?(?: am| ab)?|wieder (?:im b[üu]ro |erreichbar |da )?"
    r"(?:am|ab)|bis(?: einschlie(?:ß|ss)lich| inklusive| zum| am)?|ab dem|ab"
    r"|jusqu'(?:au|à)|(?:de )?retour(?: au bureau)?(?: le)?|reviendrai(?: le)?|à partir du"
    r"|hasta(?: el)?|regreso(?: el)?|de vuelta(?: el)?|volver[ée](?: el)?|regresar[ée](?: el)?"
    r"|a partir del?|tot en met|t/m|tot|terug(?: op)?|weer (?:aanwezig|op kantoor|bereikbaar)"
    r"(?: op| vanaf)?|vanaf|fino al|fino a|rientr\w*(?: il| previsto per il)?|di ritorno(?: il)?"
    r"|at[ée](?: o dia| ao dia| dia)?|retorno(?: em| no dia| dia)?|regresso(?: em| a)?"
    r"|estarei de volta(?: em| no dia)?))(?!\w)"
)
_RANGE = re.compile(r"\s*(?:-|–|—|to|bis|au|al|a|tot|t/m|through|until)\s*")
_FILLER = re.compile(
    r"^[\s,]*(?:(?:the|on|le|el|o|dia|dem|den|zum|am|of|du|del|de|il|op)\b[\s,.]*)*$"
)
_WINDOW = 48


class _Found(NamedTuple):
    start: int
    end: int
    value: date


def return_date(subject: str, own: str, anchor: date | None) -> date | None:
    """The date an out-of-office says its writer is back, or None (see the module notes)."""
    text = _normal(f"{subject}\n{own}")[: _OWN_LIMIT + 400]
    found: list[date] = []
    for trigger in _TRIGGER.finditer(text):
        english = trigger.group("en") is not None
        hit = _date_after(text, trigger.end(), anchor, english)
        if hit is not None:
            found.append(hit.value)
            # a range: "1 - 7 December", "December 1 to December 7"
            rest = text[hit.end : hit.end + _WINDOW]
            connector = _RANGE.match(rest)
            if connector:
                more = _date_after(text, hit.end + connector.end(), anchor, english)
                if more is not None:
                    found.append(more.value)
    if not found:  # no return word: a month-named date within the coming year
        found = [
            hit.value
            for hit in _dates(text, 0, len(text), anchor, english=True, numeric=False)
            if anchor is None or anchor <= hit.value <= _plus(anchor, 366)
        ]
    return max(found) if found else None


def _plus(day: date, days: int) -> date:
    return day + timedelta(days=days) if day <= date.max - timedelta(days=days) else date.max


def _date_after(text: str, pos: int, anchor: date | None, english: bool) -> _Found | None:
    """The date (or weekday) that follows `pos` after only filler words, if any."""
    hits = _dates(text, pos, pos + _WINDOW, anchor, english, numeric=True)
    hits += _weekday(text, pos, anchor)
    first = min(hits, key=lambda h: (h.start, -h.end), default=None)
    if first is not None and _FILLER.match(_WEEKDAY_FORM.sub(" ", text[pos : first.start])):
        return first
    return None


def _weekday(text: str, pos: int, anchor: date | None) -> list[_Found]:
    match = _WEEKDAY_FORM.match(text, _skip_filler(text, pos))
    if match is None or anchor is None:
        return []
    # only a weekday alone: "back on Monday" (with a date after it, the date wins)
    if any(form.match(text, _skip_filler(text, match.end())) for form in _DATE_FORMS):
        return []
    ahead = (_WEEKDAYS[match.group("wd")] - anchor.weekday() - 1) % 7 + 1
    if anchor > date.max - timedelta(days=ahead):
        return []
    return [_Found(match.start(), match.end(), anchor + timedelta(days=ahead))]


def _skip_filler(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " ,.\t":
        pos += 1
    return pos


def _dates(
    text: str, start: int, end: int, anchor: date | None, english: bool, numeric: bool
) -> list[_Found]:
    out: list[_Found] = []
    forms = _DATE_FORMS if numeric else _DATE_FORMS[:3]
    for form in forms:
        for match in form.finditer(text, start, min(end, len(text))):
            value = _resolve(match.groupdict(), anchor, english)
            if value is not None:
                out.append(_Found(match.start(), match.end(), value))
    return out


def _resolve(parts: dict[str, str | None], anchor: date | None, english: bool) -> date | None:
    year = _year(parts.get("y"))
    day_text = parts.get("d")
    if parts.get("a") is not None:  # slashed: month-first or day-first
        a, b = int(parts["a"] or 0), int(parts["b"] or 0)
        readings = [(a, b), (b, a)] if english else [(b, a), (a, b)]
        candidates = [v for m, d in readings if (v := _on(year, m, d, anchor)) is not None]
        if not candidates:
            return None
        if anchor is None:
            return candidates[0]
        upcoming = [v for v in candidates if v >= anchor]
        return min(upcoming) if upcoming else candidates[0]
    if day_text is None:
        return None
    month_name = parts.get("mon")
    month = _MONTHS.get(month_name.rstrip(".")) if month_name else int(parts.get("m") or 0)
    return _on(year, month or 0, int(day_text), anchor)


def _year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def _on(year: int | None, month: int, day: int, anchor: date | None) -> date | None:
    """The date, with a missing year taken from the anchor (rolling over to the next year)."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if year is not None:
        return _valid(year, month, day)
    if anchor is None:
        return None
    for candidate_year in range(anchor.year, anchor.year + 9):
        value = _valid(candidate_year, month, day)
        if value is not None and value >= anchor:
            return value
    return None


def _valid(year: int, month: int, day: int) -> date | None:
    if not 1 <= year <= 9999:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
