"""People's names, parsed once, and the greeting each tone gives them — pure, stdlib only.

An interviewer's name arrives as typed, as a calendar or a tracker wrote it, or (with no
name at all) as the address's local part: "Dr. Amara Okafor", "Okafor, Chidi",
"Ludwig van Beethoven", "王小明", "mei.lin". Greeting the raw text gives "Hi Dr.,",
"Hi Okafor,," or "Hi mei.lin,"; `parse_name` reads the shape once and `greet` writes the
greeting line for a tone. What cannot be known is not guessed: a CJK name (family name
first, spaces or not) is greeted whole, and an address with no name gets "Hello,", which
the linter asks the user to fix (`followup debrief ID --interviewer EMAIL --greeting …`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from followup.domain.model import Tone


class PersonName(NamedTuple):
    """A name's parts; each is "" when it cannot be told."""

    full: str  # in natural order, without title or suffix: "Chidi Okafor", "王小明"
    given: str  # what a casual note calls them: "Chidi"
    family: str  # "Okafor", "van der Berg"
    title: str  # "Dr.", "Prof. Dr."

    @property
    def known(self) -> bool:
        return bool(self.full)


NO_NAME = PersonName("", "", "", "")

# Titles as written in a greeting, by their lower-cased form without the dot.
_TITLES = {
    "dr": "Dr.",
    "doctor": "Dr.",
    "prof": "Prof.",
    "professor": "Prof.",
    "mr": "Mr.",
    "mrs": "Mrs.",
    "ms": "Ms.",
    "mx": "Mx.",
    "miss": "Miss",
    "dra": "Dra.",
    "ing": "Ing.",
    "rev": "Rev.",
    "revd": "Revd.",
    "fr": "Fr.",
    "sir": "Sir",
    "dame": "Dame",
}
# Titles that go with the given name, never the family name: "Dear Sir Tim,".
_GIVEN_NAME_TITLES = frozenset(("Sir", "Dame"))
# Trailing honours and generations: never part of how a person is greeted.
_SUFFIXES = frozenset(
    ["jr", "sr", "ii", "iii", "iv", "phd", "md", "mba", "msc", "esq", "cpa", "dds", "dphil"]
)
# Lower-case words that join a family name ("van der Berg", "de la Cruz", "bin Salman").
_PARTICLES = frozenset(
    (
        "van", "von", "der", "den", "de", "del", "della", "dela", "la", "le", "du", "da", "di",
        "dos", "das", "do", "ten", "ter", "zu", "bin", "ibn", "al", "el", "ní", "nic", "ó",
        "uí", "mhic", "bint", "dei", "degli", "af", "av",
    )
)  # fmt: skip
# Names of mailboxes, not people: what an address's local part often is.
_ROLE_NAMES = frozenset(
    (
        "recruiting", "recruiter", "recruitment", "careers", "career", "jobs", "hr", "talent",
        "hiring", "team", "people", "info", "contact", "hello", "office", "admin", "noreply",
    )
)  # fmt: skip
# Words that make a multi-word name a team's mailbox ("Talent Acquisition", "Acme Recruiting
# Team", "Human Resources"): no person is greeted by them.
_MAILBOX_WORDS = frozenset(
    (
        "recruiting", "recruiter", "recruiters", "recruitment", "careers", "jobs", "hr",
        "talent", "acquisition", "hiring", "team", "resources", "department", "noreply",
        "no-reply", "notifications", "scheduling",
    )
)  # fmt: skip
# What a tracker appends to a sender's name: "Amara Okafor via Greenhouse", "Amara | Acme".
_VIA = re.compile(r"\s+(?:via|\||@|-|\u2013|\u2014)\s+.*$", re.IGNORECASE)
# Scripts whose names are written family name first and need no spaces (CJK): Hangul Jamo,
# CJK radicals, kana, bopomofo, ideographs, syllables. Ranges, not a regex: a character class
# this wide costs milliseconds to compile at every start.
_FAMILY_FIRST = (
    (0x1100, 0x11FF),
    (0x2E80, 0x2FDF),
    (0x3040, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
)
# A local part as typed for a name: "mei.lin", "j_smith", "cokafor2".
_HANDLE = re.compile(r"[a-z0-9._+-]*[0-9._+][a-z0-9._+-]*")
_INITIAL = re.compile(r"(?:\w\.)+\w?\.?|\w", re.UNICODE)
_ASIDE = re.compile(r"\([^)]*\)|\[[^\]]*\]")  # "(she/her)", "[External]"
# Robert "Bob" Smith; quotes stand apart from words, so O'Neil and D'Angelo are no nickname
_NICKNAME = re.compile(r"(?<!\S)(?:[\"“”„]([^\"“”„]+)[\"“”„]|'([^']+)')(?!\S)")


def parse_name(text: str | None, address: str | None = None) -> PersonName:
    """The parts of a display name; NO_NAME when it is no person's name (empty, an address,
    the address's own local part, a mailbox's name such as "recruiting")."""
    text = " ".join(unicodedata.normalize("NFC", text or "").split())
    nickname = _NICKNAME.search(text)
    text = " ".join(_NICKNAME.sub(" ", _ASIDE.sub(" ", text)).split()).strip(" ,;")
    text = _VIA.sub("", text)
    if not text or _not_a_name(text, address):
        return NO_NAME
    if any(low <= ord(c) <= high for c in text for low, high in _FAMILY_FIRST):
        titles, rest = _titles(text.replace(",", " ").split())
        full = " ".join(rest)
        return PersonName(full, "", "", " ".join(titles)) if full else NO_NAME
    words = _without_suffixes(text)
    titles, words = _titles(words)
    joined = " ".join(words)
    if joined.count(",") == 1:  # "Okafor, Chidi" (a suffix's comma is gone already)
        family_text, given_text = (p.strip() for p in joined.split(","))
        more_titles, given_words = _titles(given_text.split())
        titles += more_titles
        family_words = family_text.split()
        family = " ".join(family_words)
        if family_words and given_words:
            return _named(given_words + family_words, family, titles, nickname)
        if family_words and more_titles:  # "Okafor, Dr."
            return _named(family_words, family, titles, nickname, given=False)
    words = [w.strip(",") for w in words if w.strip(",")]
    if not words:
        return NO_NAME
    if all(w.casefold() in _PARTICLES for w in words[:-1]) and (titles or len(words) > 1):
        if titles and titles[-1] in _GIVEN_NAME_TITLES:  # "Sir Tim": the given name
            return _named(words, "", titles, nickname)
        # "Dr. Okafor", "Dr. van der Berg", "van Gogh": known by the family name only
        return _named(words, " ".join(words), titles, nickname, given=False)
    if len(words) == 1:
        return _named(words, "", titles, nickname)
    start = len(words) - 1
    while start > 1 and words[start - 1].casefold() in _PARTICLES:
        start -= 1
    return _named(words, " ".join(words[start:]), titles, nickname)


def canonical_title(word: str) -> str | None:
    """A title as greetings write it ("dr" and "Doctor" give "Dr."), or None."""
    return _TITLES.get(word.rstrip(".").casefold())


def _not_a_name(text: str, address: str | None) -> bool:
    if "@" in text:
        return True
    local = (address or "").partition("@")[0]
    if local and text == local:  # what the importers store for an address with no name
        return True
    folded = text.casefold()
    if len(folded.split()) > 1 and any(w in _MAILBOX_WORDS for w in folded.split()):
        return True
    return folded in _ROLE_NAMES or _HANDLE.fullmatch(text) is not None


def _titles(words: list[str]) -> tuple[list[str], list[str]]:
    """Leading titles ("Prof. Dr.") as greetings write them, and the words after them."""
    titles: list[str] = []
    while words and (title := _TITLES.get(words[0].rstrip(".").casefold())):
        titles.append(title)
        words = words[1:]
        # a doctorate's field ("Dr. med.", "Dr. rer. nat."): no name, no greeting's
        while len(words) > 1 and words[0].endswith(".") and words[0][:1].islower():
            words = words[1:]
    return titles, words


def _without_suffixes(text: str) -> list[str]:
    """The words of `text` less trailing suffixes, with or without a comma: "Okafor, Chidi,
    PhD" and "Chidi Okafor Jr." lose theirs."""
    words = text.split()
    while len(words) > 1 and _bare(words[-1]) in _SUFFIXES:
        words = words[:-1]
        words[-1] = words[-1].rstrip(",")
    return words


def _bare(word: str) -> str:
    return word.replace(".", "").strip(",").casefold()


def _named(
    words: list[str],
    family: str,
    titles: list[str],
    nickname: re.Match[str] | None,
    *,
    given: bool = True,
) -> PersonName:
    # a name typed all in lower case ("john o'brien") is written as a name is: the capitals
    # a greeting needs; one with any capital is as its owner writes it ("danah Boyd" aside)
    fix = _capitalised if not any(c.isupper() for w in words for c in w) else _uncapped
    words = [fix(w) for w in words]
    family = " ".join(fix(w) for w in family.split())
    first = ""
    if given:
        family_count = len(family.split())
        candidates = words[: len(words) - family_count] or words[:1]
        first = next((w for w in candidates if not _INITIAL.fullmatch(w)), "")
        if nickname:
            first = fix(nickname.group(1) or nickname.group(2)).strip()
    return PersonName(" ".join(words), first, family, " ".join(titles))


def as_written(name: str) -> str:
    """A name typed all in lower (or upper) case as a name is written ("sam rivera" -> "Sam
    Rivera", "van der berg" keeps its particles); one with mixed case as typed: the user's own
    name in a signature and a From line."""
    if name.islower():
        return " ".join(_capitalised(w) for w in name.split(" "))
    if name.isupper():
        return " ".join(_uncapped(w) for w in name.split(" "))
    return name


def _uncapped(word: str) -> str:
    """An all-capitals word as a name is written ("OKAFOR" -> "Okafor"), as directories
    print family names; initials ("J.R.") and mixed case ("McDonald") stay as they are."""
    letters = [c for c in word if c.isalpha()]
    if _MC.fullmatch(word):  # "McDONALD", "MacDONALD": the rest as a name is written
        prefix = word[:2] if word[1] == "c" else word[:3]
        return prefix + _uncapped(word[len(prefix) :]).capitalize()
    if len(letters) > 1 and word.isupper() and not _INITIAL.fullmatch(word):
        if word.casefold() in _PARTICLES:  # "DE LA CRUZ" -> "de la Cruz"
            return word.lower()
        if word.startswith("MC") and len(letters) > 3:  # "MCDONALD" -> "McDonald"
            return "Mc" + word[2:].capitalize()
        return _APOSTROPHE_OR_HYPHEN.sub(lambda m: m.group().upper(), word.lower().capitalize())
    return word


def _capitalised(word: str) -> str:
    """A word of a name typed in lower case, capitalised as a name ("o'brien" -> "O'Brien",
    "anne-marie" -> "Anne-Marie"); a particle stays lower ("van der Berg")."""
    if word.casefold() in _PARTICLES:
        return word
    if word.startswith("mc") and len(word) > 3 and word[2:].isalpha():  # "mcdonald"
        return "Mc" + word[2:].capitalize()
    return _APOSTROPHE_OR_HYPHEN.sub(lambda m: m.group().upper(), word.capitalize())


_MC = re.compile(r"(?:Mc|Mac)[A-Z]{2,}")
_APOSTROPHE_OR_HYPHEN = re.compile(r"(?<=['\u2019-])\w")  # "O'NEIL" -> "O'Neil"


class Greeting(NamedTuple):
    line: str  # "Dear Dr. Okafor,"
    named: bool  # False: the greeting names nobody (no name is known): the linter asks for one


# Keyed by Tone: a tone without an entry greets as the neutral one does (`_by_tone`), so
# adding a Tone never breaks a draft (tests/test_docs.py checks every table keyed by Tone).
_SALUTATION = {Tone.CASUAL: "Hi", Tone.FORMAL: "Dear", Tone.NEUTRAL: "Hello"}
# A form of address the user typed with its own salutation is kept whole, never doubled.
_OPENS_WITH_SALUTATION = re.compile(
    r"(dear|hi|hello|hey|hiya|greetings|good (morning|afternoon|evening))\b", re.IGNORECASE
)
# A note with no recipient at all (an interview with no interviewer named).
_NOBODY = {Tone.CASUAL: "Hi team,", Tone.FORMAL: "Dear Hiring Team,", Tone.NEUTRAL: "Hello,"}


def _by_tone(table: dict[Tone, str], tone: Tone) -> str:
    """`table`'s entry for `tone`, else the neutral tone's (the documented fallback)."""
    return table.get(tone, table[Tone.NEUTRAL])


def greet(person: PersonName | None, tone: Tone, greet_as: str | None = None) -> Greeting:
    """The greeting line for `person` in `tone`. `greet_as` is the user's own form of
    address for them ("Ms. Chen"), used verbatim; None for no recipient at all."""
    word = _by_tone(_SALUTATION, tone)
    if greet_as:
        if _OPENS_WITH_SALUTATION.match(greet_as):  # "Dear Mr Reyes": their whole line
            return Greeting(f"{greet_as},", True)
        return Greeting(f"{word} {greet_as},", True)
    if person is None:
        return Greeting(_by_tone(_NOBODY, tone), False)
    if not person.known:
        return Greeting("Hello,", False)  # neutral in every tone: "Hi," reads as a slip
    if tone is Tone.FORMAL or (tone is Tone.NEUTRAL and person.title):
        # a title typed is how they go by, unless the culture is casual: "Hello Prof. Miller"
        # (a cold trial read "Hello John" to a professor, "Hello Janet" to a principal)
        return Greeting(f"{word} {formal_address(person)},", True)
    return Greeting(f"{word} {casual_address(person)},", True)


def formal_address(person: PersonName) -> str:
    """The formal address: "Dr. Okafor", "Sir Tim"; else the name as written less its
    initials ("Margaret Chen" for "Margaret A. Chen", "Jean Paul Sartre" whole)."""
    if person.title.split()[-1:] and person.title.split()[-1] in _GIVEN_NAME_TITLES:
        return f"{person.title} {person.given or person.full}"
    if person.title:
        return f"{person.title} {person.family or person.full}"
    if person.given and person.family:
        if person.given not in person.full.split():  # Robert "Bob" Smith: as they go by
            return f"{person.given} {person.family}"
        return " ".join(w for w in person.full.split() if not _INITIAL.fullmatch(w))
    return person.full


def casual_address(person: PersonName) -> str:
    """The given name; where it cannot be told ("Dr. Okafor", "王小明"), the formal address."""
    return person.given or formal_address(person)


def greeting_problem(text: str) -> str | None:
    """Why a form of address the user typed cannot be used, or None."""
    if any(c in text for c in "\r\n\0"):
        return "the greeting must be one line"
    if text.rstrip().endswith((",", ":", ";")):
        return (
            f"the greeting {text!r} ends in punctuation: give only how to address them,"
            ' e.g. "Ms. Chen" (the tone adds "Dear" and the comma)'
        )
    # how to address someone, never a sentence: it opens a note the user may not read again
    # (a shared file's "Gavin, I accept your offer of 40k. Also" was mailed after "Hello")
    if (
        len(text.split()) > _GREETING_WORDS
        or any(c in text for c in ",;:!?()[]{}<>@")
        or any(c.isdigit() for c in text)
    ):
        shown = text if len(text) <= 40 else text[:37] + "\u2026"
        return (
            f"the greeting {shown!r} is not a form of address: give only a title and a name,"
            ' e.g. "Ms. Chen" or "Dr. María José García-López"'
        )
    return None


_GREETING_WORDS = 6  # "Professor Dr. Anneke van der Berg"
