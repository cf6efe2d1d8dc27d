"""An invitation's company and role, guessed from its title and its organizer's domain.

Pure text rules, no I/O: the title read by an ordered table of shapes (`TITLE_SHAPES`),
after what is not the title (mail heads, a calendar's "@ date" tail) and the people in it
are taken out; the words for an interview, a call or a platform (`MEETING_WORDS`) are
neither company nor role. Applied by app/calendar.py to each event that creates an
interview (shown for confirmation in a terminal).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from followup.app.rows import (
    Attendee,
    NewInterviewer,
)
from followup.domain import attendees, limits
from followup.domain.companies import company_domains


class Guess(NamedTuple):
    """What a new interview's application will be: shown for confirmation in a terminal."""

    company: str
    role: str
    domains: tuple[str, ...] = ()
    interviewers: tuple[NewInterviewer, ...] = ()


# What a title says of the kind of meeting, never who meets: the words for an interview,
# a call, a round, in English, German, French, Spanish, Dutch, Portuguese, Italian,
# Swedish, Polish, Japanese and Chinese, and the platforms interviews run on. The one list
# of them: the guess strips them from the edges of both sides of a title (never from inside
# a name: "Next Round Ventures"), a side that is only these words is neither the company
# nor the role (the organizer's domain names the company then), and a parenthesis holding
# one says how the interview goes, not who holds it ("(Zoom)", "(Entretien 2)").
MEETING_WORDS: tuple[str, ...] = (
    # English
    "job interview", "interview", "phone screen", "screening", "screen", "call", "chat",
    "conversation", "meeting", "round", "follow-up", "follow up", "onsite", "on-site",
    "superday", "intro", "meet & greet", "meet and greet", "meet-and-greet", "hiring event",
    "recruiting event", "recruitment event", "assessment centre", "assessment center",
    "onsite loop", "on-site loop", "virtual loop", "interview loop", "in person", "in-person",
    "next steps", "catch-up", "catch up", "check-in",
    # German
    "vorstellungsgespräch", "bewerbungsgespräch", "kennenlerngespräch", "erstgespräch",
    "zweitgespräch", "folgegespräch", "telefoninterview", "videointerview", "gespräch",
    "telefonat", "videocall", "runde", "besprechung",
    # French
    "entretien d'embauche", "entretien", "visioconférence", "visio", "appel", "échange",
    # Spanish
    "entrevista de trabajo", "entrevista", "videollamada", "llamada", "reunión",
    # Dutch
    "sollicitatiegesprek", "kennismakingsgesprek", "videogesprek", "telefoongesprek", "gesprek",
    "sollicitatie",
    # Portuguese
    "entrevista de emprego", "videochamada", "chamada", "reunião", "conversa",
    # Italian
    "colloquio di lavoro", "videocolloquio", "colloquio", "intervista", "videochiamata",
    "chiamata",
    # Swedish, Polish, Japanese, Chinese
    "rekryteringsintervju", "anställningsintervju", "intervju", "rozmowa kwalifikacyjna",
    "rozmowa rekrutacyjna", "面接", "面试", "面試", "面談", "カジュアル面談",
    # the rounds: first, second, third, final interview ("一次面接")
    "一次面接", "二次面接", "三次面接", "最終面接",
)  # fmt: skip
# the platforms interviews run on: companies' names too ("Zoom Video Communications")
PLATFORMS = ("hirevue", "microsoft teams", "teams", "google meet", "zoom", "webex", "skype")
MEETING_WORDS += PLATFORMS
# before one of them: "technical interview", "zweites Gespräch", "premier entretien"
_MEETING_BEFORE = (
    "technical", "tech", "phone", "video", "virtual", "zoom", "teams", "onsite", "on-site",
    "in-person", "final", "first", "second", "third", "1st", "2nd", "3rd", "initial",
    "introductory", "intro", "hr", "recruiter", "hiring manager", "panel", "culture fit",
    "culture", "behavioural", "behavioral", "system design", "coding", "take-home",
    "follow-up", "job", "coffee", "case", "digital", "loop", "quick", "short", "informal",
    "casual", "candidate", "client",  # an agency's "client interview"
    "on demand", "on-demand", "one-way", "recorded", "pre-recorded", "async", "asynchronous",
    "erstes", "erste", "ersten", "zweites", "zweite", "zweiten", "drittes", "dritte",
    "dritten", "finales", "finale", "technisches", "technische", "persönliches",
    "persönliche", "telefonisches", "telefonische",
    "premier", "deuxième", "troisième", "dernier",
    "primera", "segunda", "tercera", "primeira", "terceira",
    "eerste", "tweede", "derde", "laatste", "technisch", "telefonisch", "online",
    "primo", "secondo", "terzo",
)  # fmt: skip
# after one of them, as French, Spanish, Portuguese and Italian say it: "entretien
# téléphonique", "entrevista técnica", "colloquio conoscitivo"
_MEETING_AFTER = (
    "téléphonique", "technique", "vidéo", "en visio", "individuel", "rh", "final", "finale",
    "técnica", "telefónica", "telefônica", "técnico", "tecnico", "telefonico", "conoscitivo",
    "invitation", "invite", "scheduled", "rescheduled", "confirmed", "confirmation",
    "reminder", "request",  # "Interview Invitation: …", "Interview Scheduled: …"
)  # fmt: skip
# what starts a side as the meeting, never ends one: "Coffee with Priya", "Lunch with the
# team", but "Blue Bottle Coffee"
_MEETING_OPENERS = ("coffee", "lunch", "dinner", "breakfast", "drinks")
# a meeting with a person, never a company: "Coffee with Priya", "Catch-up call with Gemma"
_WITH_A_PERSON = (*_MEETING_OPENERS, "catch-up", "catch up", "check-in")
# how long it lasts, before the words for it: "30 min intro", "45-minute call"
_DURATION = r"\d+\s*-?\s*(?:min(?:ute)?s?|h|hrs?|hours?)\.?"


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation of `words`, longest first; a space matches any run of spaces
    and an apostrophe either apostrophe ("entretien d’embauche")."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+").replace("'", "['’]") for word in ordered)


_MEETING = _alternatives(MEETING_WORDS)
_PREFIX = re.compile(
    r"^\s*(?:updated invitation(?: with note)?|invitation(?: updated)?|updated|accepted|declined"
    r"|tentative|tentatively accepted|cancell?ed(?: event)?|new event|fwd?|re|aw|wg|tr|sv)\s*:\s*",
    re.IGNORECASE,
)
_TRAILING_GROUP = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")
# the meeting's kinds before its word, also as a platform's compound ("Teams-Besprechung",
# "Zoom-Call"), and after it what it is about ("Quick call re: …")
_INTERVIEW_WORDS = re.compile(
    rf"\b(?:(?:{_alternatives(_MEETING_BEFORE)}|{_DURATION})(?:\s+|-))*(?:{_MEETING})"
    rf"(?:\s+(?:{_alternatives(_MEETING_AFTER)}))*(?:\s+\d+)?\b"
    r"(?:\s+(?:for|with|re|about|regarding)\b)?",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*<>\s*|\s+[—–\-|/·•]\s+|\s*[—–|·•：]\s*|:\s+|\s+/\s*|/\s+")
_ROLE_WORDS = re.compile(
    r"\b(?:engineer|engineering|developer|programmer|manager|designer|analyst|scientist|lead"
    r"|intern|internship|architect|sre|devops|consultant|specialist|director|head|officer|vp"
    r"|president|administrator|admin|product|marketing|sales|recruiter|researcher|writer"
    r"|editor|accountant|associate|coordinator|assistant|technician|tester|qa|support"
    r"|owner|principal|staff|senior|junior|sr|jr|backend|frontend|full[- ]?stack|data"
    r"|graduate|trainee|apprentice|representative|rep|planner|agent|clerk|attendant|nurse"
    r"|practitioner|teacher|counsel|lawyer|solicitor|producer|controller|barista|cashier|cook"
    r"|lecturer|professor|teller|pharmacist|physician"
    # French, Spanish, Portuguese, Italian, Dutch
    r"|ing[ée]nieure?|d[ée]veloppeu(?:r|se)|chef|responsable|directeur|directrice|charg[ée]e?"
    r"|stagiaire|alternante?|analyste|consultante?|ingenier[oa]|desarrollador(?:a)?|analista"
    r"|jef[ea]|gerente|becari[oa]|cient[íi]fic[oa]|programador(?:a)?|engenheir[oa]"
    r"|desenvolvedor(?:a)?|estagi[áa]ri[oa]|cientista|ingegnere|sviluppat(?:ore|rice)"
    r"|enfermer[oa]|stagista|tirocinante|stagiair|verpleegkundige"
    r"|\w*(?:ontwikkelaar|medewerker|adviseur)"  # "Beleidsmedewerker"
    # German, also at the end of a compound ("Projektingenieur", "Softwareentwicklerin")
    r"|werkstudent(?:in)?|praktikant(?:in)?"
    r"|\w*(?:ingenieur|entwickler|leiter|berater|referent|architekt|techniker|ärzt)(?:in)?"
    r"|\w*(?:arzt|fachkraft)"
    # Swedish, Polish, Japanese, Chinese
    r"|\w*(?:utvecklare|ingenjör)|programista|inżynier|specjalista|kierownik"
    r"|\w*(?:エンジニア|デザイナー|マネージャー|サイエンティスト|アナリスト|コンサルタント"
    r"|工程师|经理|设计师))\b",
    re.IGNORECASE,
)


def _domain_name(domain: str) -> str:
    """acme.com -> "Acme"; acme-robotics.co.uk -> "Acme Robotics"."""
    label = domain.split(".")[0]
    return " ".join(part.capitalize() for part in re.split(r"[-_]+", label) if part)


def letters(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _spelled_in(summary: str, domain: str) -> str | None:
    """The summary's own spelling of the domain's name ("DeepMind" for deepmind.com)."""
    wanted = letters(domain.split(".")[0])
    if not wanted:
        return None
    words = re.findall(r"[\w&'.-]+", summary)
    for size in range(1, 5):
        for i in range(len(words) - size + 1):
            span = " ".join(words[i : i + size]).strip(".-'")
            if wanted in (letters(span), letters(span.replace("&", "and"))):  # "Teams & Co"
                return span
    return None


def guess_application(
    summary: str,
    people: Sequence[Attendee],
    own: Iterable[str] = (),
    ats: Iterable[str] = (),
    own_names: Iterable[str] = (),
) -> Guess:
    """Company and role from the SUMMARY and the organizer's domain; "" where unknown:
    the title read by `TITLE_SHAPES`, in order.

    Understands "Interview: Backend Engineer at Acme", "Acme — Backend Engineer interview",
    "Acme / Backend Engineer (Round 2)", "Backend Engineer interview - Acme", "Interview with
    Acme for Backend Engineer", and the titles applicant-tracking systems and schedulers
    write: "Interview: <candidate> - <role> (<company>)" (Greenhouse), "<company> | <role>
    interview with <candidate>" (Ashby), "<event type> between <host> and <invitee>"
    (Calendly), "<company> Onsite Interview for <role> - <candidate>" (GoodTime),
    "<candidate> <> <company>: <role> Interview" (Lever). The organizer's domain
    (acme.com: "Acme") names the company when the summary does not, and tells which side of
    a separator is the company; free mail (gmail.com, outlook.com, ...) and ATS relays
    (greenhouse.io, lever.co, ...) name none. People are never the company: the user's
    names (`own_names`: user.name, and the name the invitation gives one of the user's
    addresses) and the attendees' names are taken out of the title first.
    """
    summary = _as_read(summary)
    own = {a.lower() for a in own}
    ordered = sorted(people, key=lambda p: not p.organizer)  # the organizer's domain first
    domains = company_domains((p.email for p in ordered), own, ats)
    from_domain = None
    label = ""
    if domains:
        from_domain = _spelled_in(summary, domains[0]) or _domain_name(domains[0])
        label = letters(domains[0].split(".")[0])
    named_people = _person_names(people, own, own_names, from_domain)
    company, role, named = _read_title(summary, from_domain, label, named_people)
    if company and (_name_key(company) in named_people.names or "@" in company):
        company = from_domain or ""  # a person, or an address, is never the company
    if _UNNAMED.search(company) or not _has_letters(company):
        company = from_domain or ""  # "at a leading FMCG client": the domain's, or ask
    if not _without_interview_words(company):
        # "Vorstellungsgespräch", "HireVue": what, not who; but "Software Engineer at Zoom"
        # from zoom.us (a relay's domain, so none) is Zoom
        company = from_domain or (company if named else "")
    if _ABBREVIATED.search(company) and f"{company}." in summary:
        company += "."  # "Tulpa B.V.", "Snap Inc.": the title's last dot is the abbreviation's
    if not _without_interview_words(role) or not _has_letters(role):
        role = ""  # "Entretien", "🙂": no role, rather than a draft "about the Entretien position"
    return Guess(company[: limits.COMPANY], role[: limits.ROLE], tuple(domains))


# a company a title does not name: "at a leading FMCG client", "for our client", "Confidential"
_UNNAMED = re.compile(
    r"^(?:an?|our|their|une?|una|eine?|een|unser\w*|notre|nuestr[oa])\s|\bclients?$"
    r"|^(?:confidential|undisclosed|stealth)\b",
    re.IGNORECASE,
)


def _has_letters(text: str) -> bool:
    """Whether `text` holds a letter or a digit in any script ("🙂🙂🙂" holds none)."""
    return any(ch.isalnum() for ch in text)


# what a title's characters stand for: zero-width ones for spaces (they never stay in a
# name); the full-width brackets and slashes of Japanese and Chinese titles for brackets
# and separators ("【面接】", "（株式会社メルカリ）", "／")
_STANDS_FOR = str.maketrans(
    {
        **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff", " "),
        **dict.fromkeys("【［「『", "["),
        **dict.fromkeys("】］」』", "]"),
        "（": "(",
        "）": ")",
        "／": " / ",
        "｜": " | ",
    }
)
# "w/" for "with" ("Interview w/ Chris"), never in "m/w/d"
_W_SLASH = re.compile(r"(?<![\w/])w/(?=\s)", re.IGNORECASE)
# a number no name has: a job board's for the opening ("Req 48213", "Job ID: R-1234") and a
# store's after its company's name ("Target Store #1432", "Walgreens #04512", "Store 5260")
_NUMBERS = re.compile(
    r"\b(?:req(?:uisition)?|job\s*id)\b\.?\s*(?:no\.?|#)?\s*:?\s*[a-z]{0,3}-?\d[\w-]*"
    r"|\s*\b(?:store|branch|location|restaurant|unit)\s*(?:no\.?\s*|#\s*)?\d{2,}\b"
    r"|\s*#\s?\d{2,}\b",
    re.IGNORECASE,
)


# more than any real title holds (Google Calendar's subject with its tail is ~150): a longer
# one is read in its first this many characters, so that its cost stays small
_LONGEST_TITLE = 400


def _as_read(summary: str) -> str:
    """The summary with what stands for something else put as it: spaces, brackets,
    separators, "with"; and the numbers of a job or a store out."""
    text = _W_SLASH.sub("with", summary[:_LONGEST_TITLE].translate(_STANDS_FOR))
    return " ".join(_NUMBERS.sub(" ", text).split())


# a company's name that ends in an abbreviation, whose dot the title's last dot is
_ABBREVIATED = re.compile(r"(?:(?:\b\w\.)+\w|\b(?:inc|corp|co|ltd|bros|cie|intl))$", re.I)


# What an attendee's name is when it is a mailbox's or a team's, not a person's.
_NOT_A_PERSON = re.compile(
    r"\b(?:inc|llc|ltd|gmbh|ag|sa|corp|corporation|company|co|group|team|talent|careers?"
    r"|jobs|recruiting|recruitment|hiring|people|hr|calendar|scheduling|scheduler|interviews?"
    r"|no-?reply|notifications?|via)\b",
    re.IGNORECASE,
)


def _name_key(text: str) -> str:
    """A person's name folded for comparing: letters and digits, lower case, accents off;
    a name in another script keeps its letters ("田中太郎", "Ørsted")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


class _People(NamedTuple):
    """The people an invitation names, each folded by `_name_key`."""

    names: AbstractSet[str] = frozenset()  # whole names
    firsts: AbstractSet[str] = frozenset()  # first names
    lasts: AbstractSet[str] = frozenset()  # surnames: a person's only after a form of address
    own: AbstractSet[str] = frozenset()  # the user's names: whole, first and last


_NOBODY = _People()


def _person_names(
    people: Sequence[Attendee], own: set[str], own_names: Iterable[str], company: str | None
) -> _People:
    """The names of people in an invitation: the user's own (settings, and the CN on one
    of the user's addresses) and every attendee whose CN reads as a person's (2 to 4 words,
    no company or team word, not the company's name), or, with no CN, whose address does
    ("sam.lee@"); their first names, the user's too ("Noor / Sam - 30 min intro"), with a
    one-word address's ("tom@gmail.com", "priya@gorgias.com") but never a team's (talent@);
    and their surnames ("Frau Haddad")."""
    found: set[str] = set()
    firsts: set[str] = set()
    lasts: set[str] = set()
    mine: set[str] = set()
    own_parts: set[str] = set()
    for name in own_names:
        if len(_name_key(name)) >= 3:
            mine.add(_name_key(name))
            _add_first_and_last(own_parts, own_parts, name.split())
    for person in people:
        name = " ".join(person.name.split())
        words = name.split()
        if person.email.strip().lower() in own and len(_name_key(name)) >= 3:
            mine.add(_name_key(name))
            _add_first_and_last(own_parts, own_parts, words)
            continue
        if not name:
            _address_names(person.email, company, found, firsts)
            continue
        if not 2 <= len(words) <= 4 or _NOT_A_PERSON.search(name) or _ROLE_WORDS.search(name):
            continue
        if (company and letters(name) == letters(company)) or len(_name_key(name)) < 2:
            continue
        found.add(_name_key(name))
        if "," in name:  # "Lee, Dana": the surname first
            lasts.add(_name_key(name.partition(",")[0]))
        else:
            _add_first_and_last(firsts, lasts, words)
    return _People(found | mine, firsts | own_parts, lasts | own_parts, mine | own_parts)


def _add_first_and_last(firsts: set[str], lasts: set[str], words: list[str]) -> None:
    _add_first(firsts, words)
    if len(words) >= 2 and len(_name_key(words[-1])) >= 2:
        lasts.add(_name_key(words[-1]))


def _add_first(firsts: set[str], words: list[str]) -> None:
    if words and len(_name_key(words[0])) >= 3:
        firsts.add(_name_key(words[0]))


def _address_names(address: str, company: str | None, found: set[str], firsts: set[str]) -> None:
    """The name an address with no CN spells: "sam.lee@" Sam Lee, "tom@" a first name;
    none for a team's or a no-reply mailbox, or one named as the company ("acme@acme.com")."""
    local = address.strip().lower().partition("@")[0]
    if attendees.guessed_not_a_person("", address.strip().lower()) is not None:
        return
    words = [w for w in re.split(r"[._-]+", local) if w]
    if not words or not all(w.isalpha() for w in words) or len(words) > 2:
        return
    if company and letters(local) == letters(company):
        return
    if len(words) == 2 and min(len(w) for w in words) >= 2:
        found.add(_name_key("".join(words)))
    _add_first(firsts, words)


def _clean(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).strip(" -–—:|/,.·•")


# the words that say "the position": before a role ("the position of", "Poste de", "Stelle
# als"), after one ("… opportunity"), or alone as a label ("Puesto: Jefa de Proyecto")
_POSITION = (
    "position|role|poste|puesto|stelle|vacature|functie|vaga|posizione|ruolo|vacancy|job title"
)
_ROLE_FRAME = re.compile(
    r"^(?:(?:about|regarding|re|for)\s+)?(?:(?:the|your|our|a|an)\s+)?"
    rf"(?:(?:{_POSITION}|post|job|cargo)(?::\s*|\s+(?:of|as|de|del|als|di|da|como|van)\s+"
    r"|\s+d['’]\s*)(?:an?\s+)?)?(?P<role>.+?)"
    r"(?:\s+(?:role|position|opening|opportunity|job|vacancy))?$",
    re.IGNORECASE,
)
_POSITION_ALONE = re.compile(rf"^(?:{_POSITION})$", re.IGNORECASE)


_WITH_SOMEONE = re.compile(
    rf"\b(?P<kind>{_MEETING}|{_alternatives(_MEETING_OPENERS)})"
    r"\s+(?:with|mit|avec|con|com|met)\s+.*$",
    re.IGNORECASE,
)


def _without_interview_words(text: str, keep: str | None = None) -> str:
    """A side of a title less the words for the meeting: the role, or the company."""
    core = _WITH_SOMEONE.sub(r"\g<kind>", text)  # "<role> interview with <someone>"
    core = _meeting_edges_off(core, keep)
    if _POSITION_ALONE.match(core):
        return ""
    framed = _ROLE_FRAME.match(core)
    return _clean(framed["role"]) if framed else core


def _company_part(text: str, keep: str | None = None) -> str:
    """ "Globex Intro Call" -> "Globex": a company side with the interview's kind in it; a
    bracket left alone holds the company ("Client Interview (Morgan Stanley)")."""
    company = _meeting_edges_off(text, keep) or text
    bracketed = _BRACKETED.fullmatch(company)
    return _clean(bracketed["inside"]) or company if bracketed else company


_MEETING_FIRST = re.compile(
    rf"^(?:{_INTERVIEW_WORDS.pattern}|(?:{_alternatives(_MEETING_OPENERS)})\b)", re.IGNORECASE
)
_MEETING_LAST = re.compile(rf"(?:{_INTERVIEW_WORDS.pattern})$", re.IGNORECASE)
# what ends a side after a company's name as the meeting, never starts one: "Amazon Loop",
# but "Loop Returns"
_MEETING_ENDER = re.compile(r"\s+loop$", re.IGNORECASE)
# a meeting word that also names what a job works on, just before the job's title:
# "Conversation Designer", "Chat Support Specialist", "Call Centre Manager"
_ALSO_A_TRADE = frozenset(("conversation", "chat", "call", "meeting"))
_ABOUT_SOMEONE = re.compile(r"\s*(?:with|for|about|on|re|regarding)\b", re.IGNORECASE)
# a word that joins a name's words: "Teams & Co", "Marks and Spencer", "Bank of ..."
_NAME_GOES_ON = re.compile(r"^\s*(?:&|\+|and\b)", re.IGNORECASE)
_NAME_WENT_ON = re.compile(r"(?:&|\+|\band|\bof)\s*$", re.IGNORECASE)
_BRACKETED = re.compile(r"[(\[](?P<inside>[^()\[\]]*)[)\]]")


def _meeting_edges_off(text: str, keep: str | None = None) -> str:
    """`text` less the meeting phrases at its edges ("Onsite:", "Technical interview",
    "Round 2") and the brackets left empty ("[Interview] Product Manager"). Never one
    inside a name ("Next Round Ventures"), one joined to a name ("Teams & Co"), one that
    names a job's trade ("Conversation Designer"), a platform that starts a name ("Zoom
    Video Communications"), nor one inside `keep`: the stretch of the title the organizer's
    domain spells ("Round Table Pizza" from roundtablepizza.com, "Meeting Street" from
    meetingstreet.com)."""
    text = _BRACKETED.sub(lambda m: m[0] if _meeting_edges_off(m["inside"], keep) else " ", text)
    while True:
        text = _clean(text)
        kept = _found_span(keep, text)
        first = _MEETING_FIRST.match(text)
        if first and (kept is None or first.end() <= kept[0]):
            rest = text[first.end() :]
            word = " ".join(first[0].lower().split())
            # "Call Center Representative", "Meeting Planner": a job's title goes on
            trade = (
                word in _ALSO_A_TRADE
                and _ROLE_WORDS.search(rest)
                and not _ABOUT_SOMEONE.match(rest)
            )
            # "Zoom Video Communications"; but "HireVue Technical Interview"
            named = word in PLATFORMS and _meeting_edges_off(rest, keep)
            if not trade and not named and not _NAME_GOES_ON.match(rest):
                text = rest
                continue
        last = _MEETING_LAST.search(text) or _MEETING_ENDER.search(text)
        outside = last and (kept is None or last.start() >= kept[1])
        if last and outside and not _NAME_WENT_ON.search(text, 0, last.start()):
            text = text[: last.start()]
            continue
        return text


def _found_span(part: str | None, text: str) -> tuple[int, int] | None:
    """Where `part` is in `text` as whole words, whatever its case."""
    if not part:
        return None
    found = re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text, re.IGNORECASE)
    return found.span() if found else None


# what joins a person to a title: "interview with <name>", "<name> & <name>", "Deliveroo x
# <name>" (a collaboration's marker); the words for "and" join a person only to a person
_JOINED = re.compile(
    r"(?:\b(?:(?P<with>with|for|mit|avec|con|com|met)|and|und|et|y|e|en|x)|&|\+|×)\s*$", re.I
)
# where a side of a title starts and ends: "Noor / Sam - 30 min intro"
_SIDE_STARTS = re.compile(r"(?:^|<>|[—–\-|/·•:：(\[])\s*$")
_SIDE_ENDS = re.compile(r"\s*(?:$|<>|[—–\-|/·•:：)\]])")
# what a person's name leaves after it: their part in the meeting ("Priya (Hiring
# Manager)"), and a collaboration's marker before the company ("Noor Haddad x Plaid")
_ASIDE_AFTER = re.compile(r"\s*\((?P<inside>[^()]*)\)")
_MARKER_AFTER = re.compile(r"\s+(?:x|×)\s+", re.IGNORECASE)
# a team joined on to a person: "Noor Haddad + Hiring Team", "Priya & the panel"
_TEAM_AFTER = re.compile(
    r"\s*(?:&|\+|\b(?:and|und|et|y|en|with|mit|avec|con))\s+(?:the\s+)?"
    r"(?:(?:hiring|recruiting|interview(?:ing)?|talent|hr)\s+)?"
    r"(?:team|panel|hr|managers?|recruiters?|interviewers?)\b",
    re.IGNORECASE,
)
# a form of address, or the word for a candidate, before a person's name or surname:
# "Frau Noor Haddad", "mit Frau Haddad", "Candidate Noor Haddad"; and the honorific after
# one in Japanese ("Noor Haddad様", "田中さん")
_ADDRESSED = re.compile(
    r"(?:\b(?:mr|mrs|ms|mx|miss|dr|prof|frau|herr|mme|mlle|sr|sra|srta|dhr|mevr)\b\.?|\bm\."
    r"|\b(?:candidate|applicant|candidat|candidata|candidato|kandidat|kandidatin|kandidaat"
    r"|bewerber|bewerberin)\b)\s*$",
    re.IGNORECASE,
)
_HONORIFICS = "様|さん|氏|殿"
_HONORIFIC_AFTER = re.compile(rf"\s*(?:{_HONORIFICS})")
# a word of a title: a dash between words is none, an honorific after it no part of it
_WORD = re.compile(rf"\w[\w'.-]*?(?=(?:{_HONORIFICS})?(?![\w'.-]))")


def _without_people(text: str, people: _People) -> str:
    """The title less the people in it, each replaced by a separator: "with <name>"
    clauses, a name, a name in brackets ("Interview (Noor Haddad)") and the aside after
    an interviewer's that says their part ("(Hiring Manager)"), never after the user's,
    where it is the role ("Interview Noor Haddad (Data Scientist)"); a form of address
    before a name or a surname ("Frau Haddad") and an honorific after ("Noor Haddad様"); a
    first name joined on ("& Dana", "+ Priya") or alone between separators ("Noor / Sam"),
    and a team joined on ("+ Hiring Team"); the rest of the text as it was."""
    if not people.names and not people.firsts:
        return text
    words = list(_WORD.finditer(text))
    cuts: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        for size in (4, 3, 2, 1):
            span = words[i : i + size]
            if len(span) < size:
                continue
            folded = _name_key("".join(w[0] for w in span))
            begin, end = span[0].start(), span[-1].end()
            addressed = _just_before(_ADDRESSED, text, begin)
            if addressed:
                begin = addressed.start()
            joined = _just_before(_JOINED, text, begin)
            # "Priya Raman & Dana", "with Dana": an attendee's first name; never "Ernst &
            # Young" (a first name joined on by "and" follows a person's whole name)
            after_a_person = joined and cuts and not text[cuts[-1][1] : joined.start()].strip()
            alone = _just_before(_SIDE_STARTS, text, begin) and _SIDE_ENDS.match(text, end)
            first = alone or (joined and (joined["with"] or after_a_person))
            if (
                folded in people.names
                or (size == 1 and first and folded in people.firsts)
                or (size == 1 and addressed and folded in people.lasts)
            ):
                # "interview with <name>": the clause goes
                begin = joined.start() if joined else begin
                begin, end = _person_span(text, begin, end, mine=folded in people.own)
                cuts.append((begin, end))
                i += size
                while i < len(words) and words[i].start() < end:
                    i += 1
                break
        else:
            i += 1
    if not cuts:
        return text
    kept, last = [], 0
    for begin, finish in cuts:
        kept.append(text[last:begin])
        kept.append(" | ")
        last = finish
    kept.append(text[last:])
    return _clean("".join(kept))


def _just_before(pattern: re.Pattern[str], text: str, end: int) -> re.Match[str] | None:
    """`pattern` (anchored at its end) ending at `end`: looked for in the few characters
    before it, so that a long title costs words, not words squared."""
    return pattern.search(text, max(0, end - 40), end)


def _person_span(text: str, begin: int, end: int, mine: bool) -> tuple[int, int]:
    """What goes with a person's name at `begin`..`end`: brackets, an honorific, an aside,
    a team joined on, a collaboration's marker."""
    honorific = _HONORIFIC_AFTER.match(text, end)
    if honorific:
        end = honorific.end()
    if begin and text[begin - 1] in "([" and text[end : end + 1] in (")", "]"):
        begin, end = begin - 1, end + 1  # "Interview (Noor Haddad)"
    aside = _ASIDE_AFTER.match(text, end)
    if aside and not mine and _ROLE_WORDS.search(aside["inside"]):
        end = aside.end()
    team = _TEAM_AFTER.match(text, end)
    if team:
        end = team.end()
    marker = _MARKER_AFTER.match(text, end)
    if marker:
        end = marker.end() - 1
    return begin, end


def _starts(text: str, name: str) -> bool:
    """Whether `text` starts with the words of `name`, whatever their case."""
    return re.match(rf"\s*{re.escape(name)}(?!\w)", text, re.IGNORECASE) is not None


# --- the title's shapes -------------------------------------------------------------------
#
# A title is read in three steps: what is no part of it goes (a mail client's "FW:" or
# "Invitation:", Google Calendar's "@ Mon Nov 30, 2026 3pm - 4pm (GMT) (you@…)" tail, the
# people in it, Calendly's "between <host> and <invitee>"); then the shapes below are tried
# in order, the first that fits giving the company and the role; each side it gives loses
# the meeting phrases at its edges (MEETING_WORDS).

# a calendar's tail: Google's "@ Mon Nov 30, 2026 3pm - 4pm (GMT) (noor@example.com)",
# "@ Weekly from 3pm to 4pm on Monday (GMT)": an "@" before a day's or a repeat's name
_WHEN_TAIL = re.compile(
    r"\s+@\s+(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
    r"|daily|weekly|monthly|yearly|every)[a-z]*\b\.?,?\s[^@]*?\d[^@]*"
    r"(?:\([^()@\s]+@[^()\s]+\)\s*)?$",
    re.IGNORECASE,
)
# a mail system's tag before a title: "[EXTERNAL] Interview …"; never a company
_TAG = re.compile(r"^\s*[\[(](?:external|ext|confidential|reminder|important|urgent)[\])]\s*", re.I)
# Greenhouse's title for a candidate's interview: "Interview: <candidate> - <role> (<company>)"
_CANDIDATE_ROLE_COMPANY = re.compile(
    r"^interview\s*:\s*(?P<who>[^()]+?)\s+[-–—]\s+(?P<role>[^()]+?)\s*\((?P<company>[^()]+)\)$",
    re.IGNORECASE,
)
# a parenthesis that says which round or how, not who: "(Round 2)", "(Onsite)", "(45 min)"
_ROUNDISH = re.compile(
    r"\d|\b(?:round|part|stage|step|onsite|on-site|remote|virtual|video|phone|zoom|teams"
    rf"|meet|in-person|final|first|second|third|intro|rescheduled|updated|confirmed|tentative"
    rf"|{_MEETING})\b",
    re.IGNORECASE,
)
# what a bracket holding a name holds: words, never "m/w/d" or "(45 min)"
_NAMEISH = re.compile(r"^[^\W\d_][\w&'’.,\- ]*$")
_LEADING_GROUP = re.compile(r"^\s*[(\[](?P<inside>[^()\[\]]*)[)\]]\s*(?P<rest>.*)$")
_LAST_GROUP = re.compile(r"^(?P<rest>.*?)\s*[(\[](?P<inside>[^()\[\]]*)[)\]]\s*$")
# Calendly's title: "<event type> between <host> and <invitee>"
_BETWEEN = re.compile(r"\s+between\s+\S.*?\s+and\s+\S.*$", re.IGNORECASE)
# a company's legal form, which tells where its name ends in "株式会社メルカリ ソフトウェア
# エンジニア" or "Alpenblick GmbH Werkstudent Data Science"
_LEGAL_FORM_FIRST = re.compile(
    r"^(?P<company>\S*(?:株式会社|有限会社|合同会社|有限公司|公司)\S*"
    r"|[^\W\d_].*?\s(?:GmbH|AG|SE|Inc\.?|Ltd\.?|LLC|LLP|PLC|B\.V\.|N\.V\.|S\.A\.|SAS|Srl|S\.p\.A\.))"
    r"\s+(?P<role>\S.*)$"
)


# what names an institution or a firm, never a job: "Hospital Clínic de Barcelona",
# "University of Leeds", "Klinikum Nürnberg", "Gemeente Utrecht", "LINEヤフー株式会社"
_INSTITUTION = re.compile(
    r"\b(?:hospital|h[ôo]pital|klinikum|klinik|clinic|cl[íi]nica|clinique|ziekenhuis|ospedale"
    r"|universit(?:y|ät|é|à|eit|at)|universidad|universidade|college|school|schule|[ée]cole"
    r"|escuela|academy|akademie|bank|banque|banco|sparkasse|council|ministry|ministerium"
    r"|minist[èe]re|ministerio|department|gemeente|stadtwerke|mairie|ayuntamiento|municipality"
    r"|county|city\s+of|institute|institut|instituto|istituto|foundation|stiftung|fundaci[óo]n"
    r"|trust|company|compagnie|corporation|group|gruppe|groupe|grupo|holdings?"
    r"|(?-i:GmbH|AG|SE|Inc|Ltd|LLC|LLP|PLC|B\.V|N\.V|S\.A|SAS|Srl|S\.p\.A|Corp))\b"
    r"|株式会社|有限会社|合同会社|有限公司|公司|大学|病院|銀行",
    re.IGNORECASE,
)


def _institution(text: str) -> bool:
    """Whether `text` names an institution or a firm, and no job ("Bank Teller" is one)."""
    return bool(_INSTITUTION.search(text)) and not _ROLE_WORDS.search(text)


class _Title(NamedTuple):
    """A title ready for its shapes, and what the invitation says beside it."""

    whole: str  # less the heads ("FW:", "Invitation:") and a calendar's tail
    text: str  # also less the people in it
    keep: str | None  # the organizer's company, as the title spells it or the domain's name
    label: str  # the domain's first label, in letters ("gs" for gs.com); "" with none
    names: AbstractSet[str]

    @property
    def bare(self) -> str:
        """The text less heads and brackets left at its end ("(Round 2)", "[Onsite]")."""
        text = self.text
        while True:
            stripped = _TRAILING_GROUP.sub("", _PREFIX.sub("", text, count=1))
            if stripped == text:
                return text
            text = _clean(stripped)

    def names_company(self, part: str) -> bool:
        """Whether the organizer's domain names `part`: spelt as it ("Plaid" from plaid.com)
        or abbreviating its words ("Goldman Sachs" from gs.com, "Kaiser Permanente" from
        kp.org)."""
        if not self.keep:
            return False
        if letters(part) == letters(self.keep):
            return True
        initials = "".join(
            word[0] for word in re.findall(r"[^\W_]+", part.lower()) if word not in _JOINERS
        )
        return len(self.label) >= 2 and letters(initials) == self.label

    def sides(self, text: str) -> list[str]:
        """`text`'s sides between separators, less those that are only meeting phrases."""
        parts = [_clean(p) for p in _SEPARATORS.split(text)]
        return [p for p in parts if _without_interview_words(p, self.keep)]


_JOINERS = frozenset(("&", "and", "of", "the", "und", "et", "y"))


class _Read(NamedTuple):
    company: str
    role: str
    named: bool = False  # "ROLE at COMPANY": a platform named there is the employer


Shape = Callable[[_Title], "_Read | tuple[str, str] | None"]


def _read_title(
    summary: str,
    keep: str | None,
    label: str = "",
    people: _People = _NOBODY,
) -> _Read:
    """The company and the role a title gives, by the first of `TITLE_SHAPES` that fits."""
    whole = _clean(_TAG.sub("", _clean(summary)))
    whole = _clean(_WHEN_TAIL.sub("", whole)) or whole
    while True:
        stripped = _clean(_TAG.sub("", _PREFIX.sub("", whole, count=1)))
        if stripped == whole:
            break
        whole = stripped
    text = _without_people(_BETWEEN.sub("", whole) or whole, people)
    title = _Title(whole, text, keep, label, people.names)
    for _name, shape in TITLE_SHAPES:
        found = shape(title)
        if found is not None:
            return found if isinstance(found, _Read) else _Read(*found)
    return _Read(keep or "", "")  # unreachable: the last shape always answers


def _candidate_role_company(title: _Title) -> tuple[str, str] | None:
    """Greenhouse: "Interview: <candidate> - <role> (<company>)", the candidate unknown."""
    shaped = _CANDIDATE_ROLE_COMPANY.match(title.whole)
    if shaped and not _ROUNDISH.search(shaped["company"]):
        return _clean(shaped["company"]), _without_interview_words(shaped["role"], title.keep)
    return None


def _no_title(title: _Title) -> tuple[str, str] | None:
    """Nothing left once meeting phrases and people are out: the organizer's company."""
    return None if title.bare else (title.keep or "", "")


def _named_bracket(title: _Title, inside: str) -> bool:
    inside = _clean(inside)
    return (
        bool(_NAMEISH.match(inside))
        and not _ROUNDISH.search(inside)
        and _name_key(inside) not in title.names
        and (not title.keep or title.names_company(inside) or _institution(inside))
    )


def _role_then_company_in_brackets(title: _Title) -> tuple[str, str] | None:
    """ "ROLE (COMPANY)": "Superday: Investment Banking Analyst (Goldman Sachs)", "Coffee
    with Priya (Deliveroo)"; and "COMPANY (ROLE)": "Follow-up call: Plaid (Data Scientist)".
    A bracket is the company when the organizer's domain names it (spelt or abbreviated),
    or when there is no domain; it wins over a domain that only abbreviates it."""
    found = _LAST_GROUP.match(title.text)
    if not found:
        return None
    inside, rest = _clean(found["inside"]), title.sides(found["rest"])
    if _ROLE_WORDS.search(inside) and _NAMEISH.match(inside) and not _ROUNDISH.search(inside):
        if len(rest) > 1:
            return None
        company = _company_part(rest[0], title.keep) if rest else title.keep or ""
        if title.keep and company and not title.names_company(company):
            return None
        return company, _without_interview_words(inside, title.keep)
    if not _named_bracket(title, inside) or _ROLE_WORDS.search(inside):
        return None
    role = _the_role_among(rest, title.keep)
    return None if role is None else (inside, role)


def _company_in_brackets_first(title: _Title) -> tuple[str, str] | None:
    """ "[COMPANY] …": "[Monzo] Hiring Manager Chat"; a bracket of meeting words
    ("[Interview] Product Manager - Canva") is no company."""
    found = _LEADING_GROUP.match(title.text)
    if not found or not _named_bracket(title, found["inside"]):
        return None
    role = _the_role_among(title.sides(found["rest"]), title.keep)
    return None if role is None else (_clean(found["inside"]), role)


def _the_role_among(sides: list[str], keep: str | None) -> str | None:
    """The role when the company is known: the one side left, the one that reads as a
    role, or none ("" when no side is left); None when that is unclear."""
    if len(sides) > 1:
        sides = [s for s in sides if _ROLE_WORDS.search(s)]
    if len(sides) > 1:
        return None
    return _without_interview_words(sides[0], keep) if sides else ""


# "ROLE at COMPANY" in the title's languages; where the word is also an everyday one
# ("Ingénieur en informatique", "Jansen en Zonen"), only a role before a company at the
# title's end: see _role_at_company
_AT = re.compile(r"\s+(?:(?P<plain>at|@|bei|chez)|en|bij|na|no|em|presso)\s+", re.IGNORECASE)
# "with COMPANY for ROLE": "Interview with Acme for ...", "Entretien avec Orange pour ..."
_FOR = ("for", "pour", "für", "para", "per")
_WITH_COMPANY = re.compile(
    r"^(?P<before>(?:.*?\b)?)(?P<with>with|avec|mit|con)\s+(?P<company>.+?)"
    rf"(?:\s+(?P<sep>{'|'.join(_FOR)}|[-—–:])\s+(?P<role>.+))?$",
    re.IGNORECASE,
)


def _role_at_company(title: _Title) -> _Read | None:
    """ "Backend Engineer at Acme", "Desarrolladora Backend en Glovo", "Data Engineer bij
    Bol", "Engenheira de Software na Nubank". A platform's name alone after "at" is the
    employer ("Software Engineer II at Zoom")."""
    text, keep = title.bare, title.keep
    for at in _AT.finditer(text):
        after = text[at.end() :]
        if "@" in after:  # an address is never the company
            continue
        role = _without_interview_words(_SEPARATORS.split(text[: at.start()])[-1], keep)
        company = _clean(_SEPARATORS.split(_clean(after))[0])
        if (
            not at["plain"]
            and not (
                _ROLE_WORDS.search(role)
                and company == _clean(after)  # the title's end, after its last such word
                and not _AT.search(after)
                and company[:1].isupper()
                and (not keep or _found_span(keep, company) or _institution(company))
            )
        ):
            continue
        return _Read(company, role, named=True)
    return None


# what comes before "with" a person: "Coffee with", "Catch-up call with"
_PERSONAL = re.compile(
    rf"\b(?:{_alternatives(_WITH_A_PERSON)})(?:\s+(?:{_MEETING}))?\s*$", re.IGNORECASE
)


def _with_company_for_role(title: _Title) -> tuple[str, str] | None:
    """ "Interview with Acme for Backend Engineer", "Entretien téléphonique avec Orange pour
    Ingénieure réseau": the company after "with", the role after "for"."""
    text, keep = title.bare, title.keep
    with_ = _WITH_COMPANY.match(text)
    if with_ and with_["with"].lower() != "with":
        # "Entretien téléphonique avec Orange pour ...": only after the words for the meeting
        before = with_["before"]
        if not before.strip() or _without_interview_words(before, keep):
            return None
    if not with_ or _SEPARATORS.search(with_["before"]) or _PERSONAL.search(with_["before"]):
        return None
    named = _clean(with_["company"])
    if (
        not keep
        or title.names_company(named)
        or (_starts(named, keep) and _institution(named))  # "with McKinsey & Company"
        or (with_["sep"] and with_["sep"].lower() in _FOR and _name_key(named) not in title.names)
    ):
        return named, _without_interview_words(with_["role"] or "", keep)
    return None


def _company_interview_for_role(title: _Title) -> tuple[str, str] | None:
    """ "Umbrella Corp Onsite Interview for Staff SRE" (GoodTime): the company before the
    interview's kind, the role after its "for", in any side of the title."""
    sides = title.sides(title.bare)
    for side in sides if len(sides) >= 2 else sides[:1] or [title.bare]:
        for found in _INTERVIEW_WORDS.finditer(side):
            if not found.group(0).lower().endswith("for"):
                continue
            company = _clean(side[: found.start()])
            role = _without_interview_words(side[found.end() :], title.keep)
            if company and role and not re.search(r"\bwith\b", company, re.I):
                return company, role
    return None


def _company_and_role_sides(title: _Title) -> tuple[str, str] | None:
    """ "COMPANY – ROLE" or "ROLE – COMPANY": the side the organizer's domain names, else
    the side that starts with its name ("Teacher interview - Oakwood Academy"), else the
    side that holds it ("University of Leeds" from leeds.ac.uk), else the side that names
    an institution or a firm ("Hospital Clínic de Barcelona"), else the side that does not
    read as a role, else the first."""
    parts, keep = title.sides(title.bare), title.keep
    if len(parts) < 2:
        return None
    if keep:
        for i, part in enumerate(parts):
            if title.names_company(part) or title.names_company(_company_part(part, keep)):
                rest = [p for j, p in enumerate(parts) if j != i]
                return _company_part(part, keep), _without_interview_words(rest[0], keep)
        for holding in (_starts, lambda part, keep: _found_span(keep, part) is not None):
            found = [i for i, part in enumerate(parts) if holding(part, keep)]
            if len(found) == 1:
                rest = [p for j, p in enumerate(parts) if j != found[0]]
                company = _company_part(parts[found[0]], keep)
                return company, _without_interview_words(rest[0], keep)
    # "Enfermera - Hospital Clínic de Barcelona": the side naming an institution or a firm
    institutions = [i for i, part in enumerate(parts[:2]) if _institution(part)]
    if len(institutions) == 1:
        company, role = parts[institutions[0]], parts[1 - institutions[0]]
        return _company_part(company, keep), _without_interview_words(role, keep)
    roleish = [bool(_ROLE_WORDS.search(p)) for p in parts[:2]]
    if roleish == [True, False]:
        return _company_part(parts[1], keep), _without_interview_words(parts[0], keep)
    return _company_part(parts[0], keep), _without_interview_words(parts[1], keep)


def _company_legal_form_then_role(title: _Title) -> tuple[str, str] | None:
    """ "株式会社メルカリ ソフトウェアエンジニア", "Alpenblick GmbH Werkstudent Data Science":
    one side, the company's name ending in its legal form, the role after it."""
    sides = title.sides(title.bare)
    if len(sides) != 1:
        return None
    found = _LEGAL_FORM_FIRST.match(_without_interview_words(sides[0], title.keep))
    if found and _ROLE_WORDS.search(found["role"]):
        return _clean(found["company"]), _without_interview_words(found["role"], title.keep)
    return None


def _one_side(title: _Title) -> tuple[str, str]:
    """One side: with the organizer's company known, "ROLE, COMPANY" or "COMPANY, ROLE"
    (the side that starts with its name), "COMPANY ROLE", or only the role; with none, a
    role if it reads as one, else the company. A question ("Interview next week?") is
    neither."""
    keep = title.keep
    sides = title.sides(title.bare)
    only = sides[0] if sides else title.bare
    if only.endswith("?"):
        return keep or "", ""
    if keep:
        if title.names_company(_without_interview_words(only, keep)):
            return keep, ""
        # "Risk Analyst, Hartwell & Stone Bank" (or the other way round): the side that
        # starts with the organizer's company is it, in full; the other is the role
        before, comma, after = only.partition(",")
        if comma and _starts(after, keep) and not _starts(before, keep):
            return _clean(after), _without_interview_words(before, keep)
        if comma and _starts(before, keep) and after.strip():
            return _clean(before), _without_interview_words(after, keep)
        prefix = re.match(rf"^{re.escape(keep)}\b\s*(?P<rest>.*)$", only, re.I)
        if prefix:
            return keep, _without_interview_words(prefix["rest"], keep)
        return keep, _without_interview_words(only, keep)
    core = _without_interview_words(only, keep)
    if _ROLE_WORDS.search(core):
        return "", core
    return core, ""


# The title's shapes, tried in this order; the first that fits gives the company and role.
TITLE_SHAPES: tuple[tuple[str, Shape], ...] = (
    ("Interview: CANDIDATE - ROLE (COMPANY)", _candidate_role_company),
    ("ROLE (COMPANY) | COMPANY (ROLE)", _role_then_company_in_brackets),
    ("[COMPANY] …", _company_in_brackets_first),
    ("only meeting phrases and people", _no_title),
    ("ROLE at COMPANY", _role_at_company),
    ("… with COMPANY for ROLE", _with_company_for_role),
    ("COMPANY Interview for ROLE", _company_interview_for_role),
    ("COMPANY – ROLE | ROLE – COMPANY", _company_and_role_sides),
    ("COMPANY-FORM ROLE", _company_legal_form_then_role),
    ("COMPANY ROLE | ROLE, COMPANY | ROLE | COMPANY", _one_side),
)
