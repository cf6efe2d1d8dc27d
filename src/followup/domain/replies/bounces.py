"""Step 1: bounces and delivery warnings, by a report's structure or a mail system's text;
and `may_be_bounces`, the same judged by headers alone for a sync (see the package notes)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from itertools import accumulate

from followup.domain.replies.kinds import Classification, Kind, MessageFacts
from followup.domain.replies.text import _OWN_LIMIT, _dedupe, _local_part, _shown

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
    r"\bdelay(?:ed)?\b|has not yet been delivered|not yet (?:been )?delivered|not delivered yet"
    r"|temporary (?:problem|failure|error)"
    r"|still being retried|will (?:continue to )?(?:be )?retr(?:y|ied)"
    r"|will (?:continue to |keep )(?:attempt|try)|delivery attempts will continue"
    r"|this is (?:just )?a warning|warning message only|advisory[- ]only"
    r"|has been postponed|no action is required|mail delivery warning"
    r"|verz[öo]gert|retard[ée]|retrasad",
    re.IGNORECASE,
)
# "You'll be notified if the delivery fails permanently" (Gmail's delay notice) says nothing
# failed for good: a condition is left out before looking for a permanent failure.
_CONDITIONAL = re.compile(r"\b(?:if|when|once|should|unless)\b[^.\n]{0,60}\bpermanent", re.I)
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
        return Classification(Kind.NOTIFICATION, reason)
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
                Kind.NOTIFICATION, "delayed delivery warning, not a bounce (DSN Status: 4.x.x)"
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
    permanent = _PERMANENT.search(_CONDITIONAL.sub("", f"{subject}\n{head}"))
    if warning and not permanent and failed_header is None:
        return Classification(
            Kind.NOTIFICATION,
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
    "recens", "доставлено", "temporary",
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
