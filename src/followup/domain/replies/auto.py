"""Steps 2 and 3: auto-replies by their headers, then by their phrases in seven languages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from followup.domain.replies.dates import return_date
from followup.domain.replies.kinds import Classification, Kind, MessageFacts
from followup.domain.replies.text import _normal, _own_subject, _shown

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
        if phrase is not None and not _a_person_answers(phrase, own):
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
    gone = _LEFT.search(_normal(own)) or _LEFT_SELF.search(own)
    if gone is not None and facts.from_addr:
        # "I have left Northwind; this mailbox is no longer monitored": no later note reaches
        # them, as if the address bounced (a panel's notes go on to the others)
        return Classification(
            Kind.BOUNCE,
            f'{reason}, and it says "{_as_written(own, gone)}": the address reaches nobody',
            failed_recipients=(facts.from_addr,),
        )
    return Classification(Kind.AUTO_REPLY, reason, return_date(facts.subject, own, anchor))


# An auto-reply that says its writer left: the address is dead, not away. `_LEFT_SELF`, in
# the first person (or of the mailbox itself), decides even without an auto-reply's header:
# who writes it is the one gone ("Hello, I have left Kestrel Robotics. Please contact…").
_LEFT_SELF = re.compile(
    r"\bI(?: have|'ve| had) (?:now )?left (?:[A-Z][\w&.-]*|the company|the organi[sz]ation)"
    r"|\bI(?: am|'m) no longer (?:with|at|working (?:at|for|with)|employed (?:at|by)|part of)\b"
    r"|\b(?:[Tt]his|[Mm]y) (?:e-?mail )?(?:mailbox|address|account|inbox) is (?:no longer|not)"
    r" (?:being )?(?:monitored|active|in use|checked)\b"
)
_LEFT = re.compile(
    r"\bi (?:have|'ve) (?:now )?left (?:the company|the organi[sz]ation|the firm|the business)"
    r"|\bi am no longer (?:with|at|working (?:at|for|with)|employed (?:at|by)|part of)\b"
    r"|\bi'm no longer (?:with|at|working (?:at|for|with)|employed (?:at|by)|part of)\b"
    r"|\b(?:this|my) (?:e-?mail )?(?:mailbox|address|account|inbox) is no longer (?:monitored"
    r"|active|in use|being monitored|checked)\b"
    r"|\bhas left (?:the company|the organi[sz]ation|the firm|the business)"
    r"|\bis no longer (?:with|employed (?:at|by)|working (?:at|for))\b"
    r"|\bmailbox is not (?:being )?monitored\b"
    r"|\bno longer works? (?:at|for|with)\b"
    r"|\bnicht mehr (?:im unternehmen|bei |für |f[üu]r )|\bhabe das unternehmen verlassen"
    r"|\bne fais plus partie|\bne travaille plus (?:chez|pour)|\bai quitt[ée] "
    r"|\bya no (?:trabajo|formo parte|estoy en)\b",
    re.IGNORECASE,
)


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
    r"|resposta autom[áa]tica|aus[êe]ncia|fora do escrit[óo]rio|ausente"
    r"|自動応答|自動返信|不在"  # Japanese: "automatic reply", "absence (notice)"
    r"|自动回复|自动答复|自動回覆|自動回復|休假"  # Chinese (simplified, traditional)
    r"|자동\s*회신|자동\s*응답|자동\s*답장|부재",  # Korean: "automatic reply", "absence"
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
    r"|em f[ée]rias)|\bresposta autom[áa]tica\b"
    # Japanese: "I am away (from my desk)", "on leave", "on a business trip", "automatic reply"
    r"|不在に(?:して|致して|いたして)(?:おります|います)|不在のため|不在のお知らせ"
    r"|休暇を(?:いただいて|頂いて|取って|とって)(?:おります|います)|休暇中|出張中のため"
    r"|自動(?:応答|返信)"
    # Chinese: "I am on leave / not in the office / away"; Korean: "I am away / on leave"
    r"|我(?:目前|现在|現在)?(?:正在)?(?:休假|不在办公室|不在辦公室|外出|出差)|(?:自动|自動)(?:回复|回覆)"
    r"|부재\s*중|휴가\s*중|자리를\s*비웁니다|사무실에\s*없습니다",
    re.IGNORECASE,
)
_WEAK_BODY = re.compile(
    r"\bon (?:vacation|holiday|leave)\b|\bout of (?:the )?office\b|\baway from the office\b"
    r"|\booo\b|\bnicht im b[üu]ro\b|\bim urlaub\b|\babwesend\b|\babsente?\b|\ben cong[ée]"
    r"|\ben vacances\b|\bde vacaciones\b|\bfuera de la oficina\b|\bafwezig\b|\bmet vakantie\b"
    r"|\bin ferie\b|\bfuori ufficio\b|\bde f[ée]rias\b|\baus[êe]ncia\b|\bausente\b",
    re.IGNORECASE,
)


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
        gone = _LEFT_SELF.search(own)
        return _auto("no auto-reply header", facts, own, anchor) if gone else None
    if _a_person_answers(phrase, own):
        return None
    return _auto(phrase, facts, own, anchor)


# What a person answering the note writes and an out-of-office template does not ("Thanks
# for the note! I'm on vacation until the 7th, but you're still in the running"). Templates
# thank for "your email" or "your message", never for the note, and speak for one person.
_ANSWERS = re.compile(
    r"\bthanks?(?: you)?(?: so much| very much| a lot)? for (?:the|your) (?:kind |lovely "
    r"|thoughtful |nice |warm )?(?:note|thank[- ]you|follow[- ]?up)\b"
    r"|\bin the running\b|\bwe(?:'ll| will| shall) (?:be in touch|get back to you)\b"
    r"|\bbut (?:quickly|briefly|just|saw|got|wanted)\b|\b(?:saw|got|read) your (?:note"
    r"|message|e-?mail|thank[- ]you)\b|\b(?:second|next|final|onsite|on-site) (?:round"
    r"|interview)\b|\bwe(?:'d| would) love\b|\bexpect a decision\b"
    r"|\bthe team (?:loved|liked|enjoyed|was impressed)\b|\bpero gracias\b|\bmais merci\b"
    r"|\baber danke\b|\bsegunda entrevista\b|\bdeuxi[èe]me entretien\b|\bzweite runde\b"
    r"|\b(?:enjoyed|loved|great|nice|good|lovely|a pleasure) (?:meeting|talking|speaking"
    r"|chatting)(?: (?:with|to))? you\b|\bbut (?:i )?wanted to (?:say|let you know|reply"
    r"|respond|thank)\b",
    re.IGNORECASE,
)


def _a_person_answers(phrase: str, own: str) -> bool:
    """An absence phrase in the body only (no header, no subject said so) beside words that
    answer the note: a person who mentions being away, not an out-of-office."""
    return phrase.startswith("body") and _ANSWERS.search(_normal(own)) is not None
