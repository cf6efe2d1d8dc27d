"""Is an inbound message a real reply, an out-of-office, a bounce, the hiring side's own mail
(a rejection, a closed role, an offer, an invitation, a confirmation, a portal notice), or
unrelated? And why, in which language, naming which company and role.

Pure: takes the facts an adapter read from the message (adapters/mail/inbound.py), never
the raw bytes, and explains every decision so `followup classify` can show it. Stdlib only
(`re`, `datetime`); never raises on any MessageFacts (a property test feeds it noise).

The package: this module orders the checks (`classify`) and holds steps 4 and 5; `kinds`
the kinds, the facts and the verdict; `bounces` step 1 (and `may_be_bounces`, the same by
headers alone); `auto` steps 2 and 3; `dates` return dates; `hiring` the hiring side's
phrases, platforms, language, company and role; `text` the own text and own subject.

The checks run in this order; the first that decides wins:

1. Bounce structure. An RFC 3464 delivery-status report with an `Action: failed` (or
   `error`, as Mailman reads it) is a bounce for those recipients — Original-Recipient when
   the report names it (the address we wrote to), else Final-Recipient. A report whose
   actions are only delayed/relayed/delivered/expanded is a warning or a receipt, not a
   bounce: a notification, history only ("delayed delivery warning, not a bounce"; the
   note may still arrive, so nothing waits for it). A delivery-status report without a
   readable Action is read by its Status codes (5.x.x fails, 4.x.x warns),
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
1a. A calendar cancellation (a text/calendar part with METHOD:CANCEL) is a notification:
   the organizer's calendar withdrew an event; `receive` applies it as `import` would —
   unless its text is a decision (a rejection, a closed role, an offer: 1b's phrases),
   which wins whatever the calendar part says. So is an attendee's calendar answering an
   invitation (METHOD:REPLY, or a subject that starts "Accepted:", "Declined:", …).
1b. The hiring side's phrases (hiring.py, whose notes give their order), unless the
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
   English, German, French, Spanish, Dutch, Italian, Portuguese, Japanese, Chinese and
   Korean. A body phrase
   must be in the first person ("I am out of the office", "ich bin nicht im Büro", "je suis
   absent") or unmistakable ("automatic reply", "Abwesenheitsnotiz"): a person who writes
   "sorry, I was on vacation" is still a person; so is one whose text also answers the note
   ("thanks for the note", "you're still in the running", "we'll be in touch", "but
   quickly: a second round"), which no template says. An auto-reply that says its writer
   left ("Tom is no longer with Kestrel", "this mailbox is not monitored") — or a message
   that says so in the first person, header or not ("I have left Kestrel Robotics") — is a
   bounce of that address: nobody reads it any more.
4. Unrelated: newsletters and notifications (List-Unsubscribe, List-Id, `Precedence: list`,
   a no-reply sender such as noreply@, no-reply@, notifications@, news@, or an unsubscribe
   link in a text that answers nothing) that are not replies.
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
from collections.abc import Mapping
from datetime import date

from followup.domain.replies import hiring
from followup.domain.replies.auto import _by_auto_headers, _by_phrases, _first_token, _list_mail
from followup.domain.replies.bounces import _by_structure, may_be_bounces
from followup.domain.replies.dates import return_date
from followup.domain.replies.hiring import (
    _HIRING_KINDS,
    _by_hiring_phrases,
    _by_mail_system,
    _by_platform,
    _mail_system,
)
from followup.domain.replies.kinds import Classification, Kind, MessageFacts
from followup.domain.replies.text import (
    _date_of,
    _first_values,
    _local_part,
    _own_subject,
    _shown,
    own_text,
)

__all__ = [
    "Classification",
    "Kind",
    "MessageFacts",
    "classify",
    "may_be_bounces",
    "own_text",
    "return_date",
]


def classify(facts: MessageFacts, received: date | None = None) -> Classification:
    """Classify one message; `received` anchors a return date written without a year."""
    anchor = received if received is not None else _date_of(facts.date)
    headers = _first_values(facts.headers)
    own = own_text(facts.body_text)
    machine = _mail_system(facts)
    phrases = None if machine else _by_hiring_phrases(facts, headers, own)
    decided = phrases if phrases is not None and phrases.kind in _DECISIONS else None
    structure = _by_structure(facts, headers)
    verdict = (
        structure
        or decided  # a rejection beside a calendar's cancellation is still a rejection
        or (None if machine else _by_calendar(facts))
        or phrases
        or (None if machine else _by_platform(facts, headers, own))
        or _by_auto_headers(facts, headers, own, anchor)
        or _by_phrases(facts, own, anchor)
        or (_by_mail_system(machine) if machine else None)
        or _by_list_headers(facts, headers)
        or _human(facts)
    )
    subject = _own_subject(facts.subject)
    company, role = (None, None)
    if verdict.kind in _HIRING_KINDS and verdict is not structure:  # a mail system's report
        text = f"{own}\n{hiring.forwarded_text(facts.body_text)}"
        platform = hiring.ats_platform(facts.from_addr)
        company, role = hiring.company_and_role(facts.subject, text, facts.from_name, platform)
    return verdict._replace(
        reason=" ".join(verdict.reason.split()),  # one line, always
        language=hiring.language(f"{subject}\n{own}"),
        company=company,
        role=role,
    )


# --- 1a. a calendar's own message ------------------------------------------------------------

# The hiring side's decisions: one in the text wins over the calendar part beside it (a
# rejection that also withdraws the next call is a rejection).
_DECISIONS = frozenset({Kind.REJECTION, Kind.ROLE_CLOSED, Kind.OFFER})


def _by_calendar(facts: MessageFacts) -> Classification | None:
    """A calendar cancellation (a text/calendar part with METHOD:CANCEL, alone or beside the
    text Google Calendar and Outlook write: "Cancelled event: Interview … @ …") is the
    organizer's calendar withdrawing an event, never a person's reply: `receive` and `sync`
    apply it as `followup import` would (app/calendar.py decides). A calendar's answer to an
    invitation (METHOD:REPLY, or the "Accepted: …" subject Outlook and Google write, in
    several languages) is an attendee's calendar, not an answer to a note: history only."""
    if facts.calendar_method == "cancel":
        return Classification(
            Kind.NOTIFICATION,
            "a calendar cancellation (METHOD:CANCEL): the organizer withdrew the event, not a"
            " reply",
        )
    if facts.calendar_method == "reply":
        return Classification(
            Kind.NOTIFICATION,
            "a calendar's answer to an invitation (METHOD:REPLY), not a reply to your note",
        )
    found = _CALENDAR_ANSWER.match(facts.subject)
    if found:
        return Classification(
            Kind.NOTIFICATION,
            f'a calendar\'s answer to an invitation (subject "{found.group(1).strip()}:"),'
            " not a reply to your note",
        )
    return None


# The subjects calendars give an attendee's answer (Outlook, Google Calendar, Apple) in the
# languages the classifier reads: at the very start, never after "Re:" (a person writing).
_CALENDAR_ANSWER = re.compile(
    r"\s*((?:tentatively )?accepted|tentative|declined|updated (?:proposed|new) time"
    r"|new time proposed|akzeptiert|zugesagt|mit vorbehalt (?:angenommen|zugesagt)|abgelehnt"
    r"|accept[ée]|refus[ée]|provisoire|accept[ée] provisoirement|aceptad[oa]|rechazad[oa]"
    r"|provisional|geaccepteerd|geweigerd|voorlopig(?: geaccepteerd)?|accettat[oa]"
    r"|rifiutat[oa]|provvisori[oa]|aceit[oa]|recusad[oa])\s*:",
    re.IGNORECASE,
)


# --- 4. list mail and no-reply senders --------------------------------------------------------

_NO_REPLY = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|notifications?|notify|news(?:letters?)?|mailer"
    r"|marketing|updates|digest)"
    r"(?:[-_.+].*)?$"
)


def _by_list_headers(facts: MessageFacts, headers: Mapping[str, str]) -> Classification | None:
    if facts.references:
        return None  # a reply, even through a list or from a relay: a person may have written it
    if " via " in facts.from_name:  # "Carla Mendes via Recruiting": a person, through a group
        return None
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
    found = _UNSUBSCRIBE.search(own_text(facts.body_text))
    if found:  # a mailing sent without list headers: a person's answer has no such link
        return Classification(
            Kind.UNRELATED,
            f'says "{_shown(found.group(0))}" and answers nothing: a mailing, not a reply',
        )
    return None


_UNSUBSCRIBE = re.compile(
    r"\bunsubscribe\b|\bopt[- ]out\b|\bmanage (?:your )?(?:e-?mail )?preferences\b"
    r"|\babmelden\b|\bd[ée]sabonner\b|\bd[ée]sinscri|\bdarse de baja\b|\bcancelar"
    r" (?:la )?suscripci[óo]n\b|\bafmelden\b|\bdisiscriviti\b|\bcancelar inscri",
    re.IGNORECASE,
)


def _human(facts: MessageFacts) -> Classification:
    if facts.references:
        return Classification(
            Kind.HUMAN, f"a reply (to {_shown(facts.references[0], 50)}) with no automated signal"
        )
    return Classification(Kind.HUMAN, "no automated signal: a person wrote it")
