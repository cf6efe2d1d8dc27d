"""Checks that prove a note follows the article's etiquette, with stable rule ids.

Pure: text in, findings out. `followup lint`, `followup draft` and the dashboard all show
these findings; an `error` makes `followup lint` exit non-zero.

The article asks a note to "express gratitude for the opportunity, highlight a key point
from your discussion ... and gently reiterate your enthusiasm", to mention the relevant
skill, to be brief and positive, and to match the company's culture. Each rule below checks
one of those with plain regular expressions (compiled once, here) and a little fuzzy
matching; docs/lint.md says how each one reads the text and why.

`lint` never raises on any text: the CLI feeds it whatever a user pipes in.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from typing import NamedTuple

from followup.domain.model import Tone


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Rule(NamedTuple):
    id: str  # stable: scripts and noqa-like suppressions may rely on it
    severity: Severity
    explanation: str  # one line, shown by `followup lint --rules`


class Finding(NamedTuple):
    rule: str
    severity: Severity
    message: str


class NoteContext(NamedTuple):
    """What the linter knows beyond the text; every field may be unknown."""

    step: int | None = None  # 1 thank-you, 2 follow-up, 3 final
    company: str | None = None
    recipient_name: str | None = None
    topics: tuple[str, ...] = ()  # what was discussed (with this person, where known)
    skill: str | None = None
    tone: Tone | None = None  # the tone the company's culture calls for
    others: tuple[str, ...] = ()  # the other interviewers' notes for the same step
    previous: str | None = None  # the previous note in this sequence


_E, _W = Severity.ERROR, Severity.WARNING

RULES: tuple[Rule, ...] = (
    Rule("no-gratitude", _E, "Never thanks them: the article's first ingredient is gratitude."),
    Rule(
        "no-specific-point",
        _E,
        "Cites nothing specific from the conversation (a debriefed topic, or 'our talk about …').",
    ),
    Rule("no-enthusiasm", _E, "Never says you are keen: gently reiterate your enthusiasm."),
    Rule("no-skill", _E, "The thank-you (step 1) does not mention the skill you want to stress."),
    Rule(
        "too-long",
        _E,
        "The body is over the step's word limit (200/120/100); a subject over 78 chars warns.",
    ),
    Rule("placeholder", _E, "An unfilled placeholder: [Company Name], {{ x }}, <NAME>, TODO."),
    Rule("pushy", _E, "Pushy or desperate: 'just checking in', 'any update?', 'ASAP', '!!!'."),
    Rule("duplicate", _E, "(Nearly) the same text as another interviewer's or the previous note."),
    Rule("wrong-name", _E, "The company is misspelt, or the greeting names the wrong person."),
    Rule("tone-clash", _W, "Casual words to a corporate culture, or stiff formulas to a startup."),
    Rule("negative", _W, "Negative or apologetic phrasing ('unfortunately', 'sorry to bother')."),
)

_ORDER = {rule.id: i for i, rule in enumerate(RULES)}

WORD_LIMITS: dict[int, int] = {1: 200, 2: 120, 3: 100}
"""Body words allowed per step: thank-you, follow-up, final (docs/lint.md says why)."""
DEFAULT_WORD_LIMIT = 200  # step unknown: the most generous one
SUBJECT_LIMIT = 78  # characters; RFC 5322's line length, and what mail clients show
DUPLICATE_RATIO = 0.9  # difflib ratio over normalized words at or above which two notes match
_MAX_COMPARED_WORDS = 3000  # difflib is quadratic at worst: a note is far shorter than this

_STEP_NAME = {1: "thank-you", 2: "follow-up", 3: "final note"}

# --- text helpers --------------------------------------------------------------------------

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
    }
)
_TOKEN = re.compile(r"[^\W_]+")  # a run of letters or digits, in any script
_WORD = re.compile(r"[^\W_]+(?:['.-][^\W_]+)*")  # "don't", "e-mail", "3.5": one word each
_NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_SPACE = re.compile(r"\s+")
_SIGNATURE = re.compile(r"^--[ \t]*$", re.MULTILINE)  # "-- " and its common "--" cousin
_QUOTED_LINE = re.compile(r"^[ \t]*>.*$\n?", re.MULTILINE)

_STOPWORDS = frozenset(
    (
        "a", "an", "the", "of", "for", "to", "in", "on", "at", "by", "with", "about", "from",
        "into", "onto", "over", "and", "or", "but", "nor", "our", "your", "my", "their", "his",
        "her", "its", "this", "that", "these", "those", "we", "you", "i", "me", "us", "it",
        "is", "are", "was", "were", "be", "been", "as", "so", "new", "some", "any", "all",
        "just", "very", "really", "also",
    )
)  # fmt: skip
_SUFFIXES = (
    "ings", "ing", "ions", "ion", "ers", "er", "ies", "es", "ed", "s", "e",
)  # fmt: skip


def _normalize(text: str) -> str:
    """NFKC, with typographic quotes and no-break spaces made plain and CRLF made LF."""
    plain = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return plain.replace("\r\n", "\n").replace("\r", "\n")


def _fold(text: str) -> str:
    """Case- and accent-insensitive form: 'Zoë' and 'ZOE' both give 'zoe'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _words_match(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 5 and long.startswith(short)  # "postgres" for "postgresql"


def _significant(text: str) -> list[str]:
    """A phrase's content words, stemmed: 'the billing-system rewrite' -> bill, system, rewrit."""
    return [_stem(w) for w in _TOKEN.findall(_fold(text)) if w not in _STOPWORDS and len(w) > 1]


class _Words:
    """The stemmed words of a text, for "does it mention X" questions."""

    def __init__(self, text: str) -> None:
        self.stems = frozenset(_stem(w) for w in _TOKEN.findall(_fold(text)))
        self.folded = _fold(text)

    def has(self, stem: str) -> bool:
        return stem in self.stems or any(_words_match(stem, s) for s in self.stems)

    def mentions(self, phrase: str) -> bool:
        """Most of the phrase's content words (or the phrase itself, for "C++")."""
        wanted = _significant(phrase)
        if not wanted:
            literal = _fold(phrase).strip()
            if not literal:
                return False
            pattern = r"(?<!\w)" + re.escape(literal) + r"(?!\w)"
            return re.search(pattern, self.folded) is not None
        found = sum(1 for w in wanted if self.has(w))
        return found >= len(wanted) // 2 + 1


def _snippet(text: str, limit: int = 40) -> str:
    one_line = _SPACE.sub(" ", text).strip()
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def _quote_all(matches: list[str], most: int = 4) -> str:
    seen: list[str] = []
    for m in matches:
        s = _snippet(m)
        if s.casefold() not in (x.casefold() for x in seen):
            seen.append(s)
    shown = ", ".join(f'"{s}"' for s in seen[:most])
    return shown + (f" (+{len(seen) - most} more)" if len(seen) > most else "")


def _own_text(body: str) -> tuple[str, str]:
    """The writer's own text (quoted lines dropped) and the same without the signature."""
    own = _QUOTED_LINE.sub("", body)
    signature = _SIGNATURE.search(own)
    return own, own[: signature.start()] if signature else own


def _edit_distance(a: str, b: str, most: int) -> int:
    """Damerau-Levenshtein (optimal string alignment: a swap of two letters costs 1),
    or `most + 1` as soon as it must exceed `most`."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if min(current) > most:
            return most + 1
        before, previous = previous, current
    return previous[-1]


# --- the patterns --------------------------------------------------------------------------

_I = re.IGNORECASE
_PLACEHOLDER = re.compile(
    r"\[(?!(?:sic|external|ext|spam|bulk|secure|encrypt|fwd|fw)\])"  # not [sic], [EXTERNAL]
    r"[^\W\d_]{2,}(?:[ '/-]+[^\W\d_]+)*\](?!\()"  # [Company Name], [specific project]
    r"|\{\{[^{}\n]{0,80}\}\}"  # {{ name }}
    r"|\{%[^{}\n]{0,80}%\}"  # {% if x %}
    r"|\$\{[^{}\n]{1,60}\}"  # ${name}
    r"|\{[^\W\d_][\w .-]{0,40}\}"  # {company}
    r"|<(?:[A-Z][A-Z0-9_]+(?:[ _][A-Z0-9_]+)*|[A-Z][a-z]+(?:[ _][A-Za-z]+)+)>"  # <YOUR NAME>
    r"|\b(?:TODO|TBD|TBC|FIXME|XXX+)\b"
)
_PLACEHOLDER_CASELESS = re.compile(r"\blorem\s+ipsum\b", _I)

_GRATITUDE = re.compile(
    r"\b(?:thank(?:s|ful|ing|ed)?|grateful|gratitude|appreciat(?:e|ed|es|ing|ion|ive)|thx)\b", _I
)
_ENTHUSIASM = re.compile(
    r"\b(?:excit(?:ed|ement|ing)|eager(?:ly|ness)?|enthusias(?:m|tic|tically)"
    r"|look(?:ing|s)?\s+forward|keen|thrilled|delighted|passionate|energi[sz]ed|inspired"
    r"|(?:would|i'd|i)\s+love|love\s+to|can't\s+wait|cannot\s+wait|motivated|glad\s+to"
    r"|(?:very|really|still|remain|am|i'm|strongly|genuinely|truly|most|highly)\s+interested"
    r"|(?:my|strong|keen|continued|genuine|great)\s+interest)\b",
    _I,
)
_CONVERSATION = re.compile(
    r"\b(?:"
    r"(?:conversation|discussion|chat|talk|exchange|dialogue)s?\s+(?:about|on|regarding|around|of)"
    r"|discuss(?:ed|ing)?|talk(?:ed|ing)?\s+(?:about|through)"
    r"|(?:learn(?:ed|ing|t)?|hear(?:d|ing)?|spoke|speaking|thinking)\s+about"
    r"|(?:went|going|go)\s+over|covered|explor(?:ed|ing)"
    r"|(?:insights?|thoughts|perspective|explanation|overview|walkthrough|description)"
    r"\s+(?:on|about|into|of)"
    r"|(?:you|we)\s+(?:mentioned|described|explained|shared|showed|covered|talked\s+about)"
    r")\s+(?P<tail>[^.!?;,]{1,80})",
    _I,
)
_CONVERSATION_BEFORE = re.compile(  # "the roadmap you mentioned"
    r"\b(?:the|your|that)\s+(?P<tail>[^\W\d_]+(?:\s+[^\W\d_]+){0,3}?)\s+(?:that\s+)?"
    r"(?:you|we)\s+(?:mentioned|described|explained|discussed|showed\s+me|talked\s+about"
    r"|walked\s+me\s+through|covered)\b",
    _I,
)
_TAIL_END = frozenset(
    ["at", "with", "for", "today", "yesterday", "earlier", "last", "this", "during", "and"]
)
_GENERIC = frozenset(
    (
        "role", "position", "job", "opportunity", "opportunities", "application",
        "applications", "company", "team", "teams", "interview", "interviews", "candidacy",
        "thing", "things", "everything", "it", "work", "working", "exciting", "day", "time",
        "today", "process", "next", "step", "steps", "more", "detail", "details", "lot", "much",
        "how", "what", "me", "myself", "possibility", "chance", "vacancy", "post",
        "organisation", "organization", "business", "firm", "great", "good", "wonderful",
        "interesting", "innovative", "projects",
    )
)  # fmt: skip
_SKILL_PHRASE = re.compile(
    r"\b(?:my\s+(?:\w+\s+)?(?:experience|background|expertise|skills?|knowledge|years)"
    r"\s+(?:in|with|on|of|as|building|running|leading)"
    r"|bring(?:ing)?\s+my"
    r"|(?:i\s+have|i've|having)\s+(?:worked|built|led|used|shipped|designed|run)"
    r"|\bi\s+(?:worked|built|led|designed|ran|shipped|maintained)\s+(?:on|with|a|an|the)\b"
    r"|experience\s+(?:in|with)\s+\w)",
    _I,
)
_PUSHY = re.compile(
    r"\bjust\s+(?:checking(?:\s+in)?|following\s+up|circling\s+back|touching\s+base)\b"
    r"|\bany\s+(?:updates?|news)\b"
    r"|\basap\b|\bas\s+soon\s+as\s+possible\b"
    r"|!{2,}"
    r"|\b(?:haven't|have\s+not|hasn't|has\s+not)\s+(?:yet\s+)?heard\s+(?:back|from\s+you|anything)"
    r"|\bfollowing\s+up\s+(?:again|once\s+more|one\s+more\s+time)\b"
    r"|\bplease\s+(?:respond|reply|answer|get\s+back\s+to\s+me)\b"
    r"|\burgent(?:ly)?\b|\bdesperate(?:ly)?\b"
    r"|\bstill\s+waiting\b|\bwhy\s+haven't\s+you\b|\bi\s+need\s+(?:an\s+answer|to\s+know)\b",
    _I,
)
_SHOUT_ALLOWED = frozenset({"NASDAQ", "FORTRAN", "ASCII", "UNICODE"})
_NEGATIVE = re.compile(
    r"\bunfortunate(?:ly)?\b|\bdisappoint(?:ed|ing|ment)\b"
    r"|\bsorry\s+(?:to|for|if)\s+(?:\w+\s+)?(?:bother|disturb|trouble"
    r"|troubling|pester|intrud|tak|writ|again|the\s+delay)"
    r"|\bi\s+know\s+(?:you're|you\s+are)\s+(?:\w+\s+)?busy\b"
    r"|\bi\s+(?:understand|realize|realise|know)\s+if\b"
    r"|\bi'm\s+afraid\b|\bi\s+am\s+afraid\b|\bregrettably\b|\bno\s+worries\s+if\s+not\b"
    r"|\bapologi[sz]e\s+for\s+(?:bothering|the\s+(?:intrusion|bother|trouble))",
    _I,
)
_CASUAL = re.compile(
    r"\bhey\b|\bhi\s+there\b|\bhiya\b|\bcheers\b|\bawesome\b"
    r"|\bsuper\s+(?:excited|keen|happy|cool|pumped|stoked|psyched)\b"
    r"|\bgonna\b|\bwanna\b|\bgotta\b|\blol\b|\bbtw\b|\bthx\b|\byeah\b|\bstoked\b|\bxoxo\b"
    r"|(?<!\S)[:;]-?[)(DPp](?!\S)|<3"
    r"|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55]",
    _I,
)
_STIFF = re.compile(
    r"\bdear\s+sir(?:\s+or\s+madam|\s*/\s*madam)?\b|\bdear\s+madam\b"
    r"|\bto\s+whom\s+it\s+may\s+concern\b|\byours\s+faithfully\b"
    r"|\bi\s+remain(?=\s*(?:,|$|yours|your\s+obedient|at\s+your\s+disposal|respectfully|sincerely))"
    r"|\brespectfully\s+yours\b|\byours\s+respectfully\b|\bi\s+beg\s+to\b"
    r"|\bherewith\b|\bplease\s+find\s+enclosed\b|\bhereby\b",
    _I | re.MULTILINE,
)
_GREETING = re.compile(
    r"^\W*(?:dear|hi|hello|hey|hiya|greetings|good\s+(?:morning|afternoon|evening))\b[\s,]*"
    r"(?:(?P<title>mr|mrs|ms|miss|mx|dr|prof|professor)\.?\s+)?"
    r"(?P<name>[^\W\d_]+(?:['-][^\W\d_]+)*)",
    _I,
)
_NOT_A_NAME = frozenset(
    (
        "there", "all", "everyone", "everybody", "team", "hiring", "sir", "madam", "recruiter",
        "recruiting", "recruitment", "colleagues", "folks", "friends", "again", "both", "you",
        "and", "to", "the", "talent", "people", "panel", "manager", "managers",
    )
)  # fmt: skip
_COMPANY_SUFFIXES = frozenset(
    (
        "inc", "incorporated", "ltd", "limited", "llc", "llp", "plc", "corp", "corporation",
        "co", "company", "gmbh", "ag", "sa", "sas", "bv", "nv", "oy", "ab", "as", "kg", "group",
        "labs", "lab", "technologies", "technology", "tech", "systems", "software", "solutions",
        "holdings", "international", "the", "and", "of",
    )
)  # fmt: skip


# --- the rules ------------------------------------------------------------------------------


class _Note:
    """The text of one note, prepared once for every rule."""

    def __init__(self, subject: str, body: str, context: NoteContext) -> None:
        self.subject = _normalize(subject).strip()
        own, unsigned = _own_text(_normalize(body))
        self.body = own
        self.unsigned = unsigned
        self.text = f"{self.subject}\n{own}"
        # Text that is the data itself (a company called "{{7*7}}") is not a placeholder.
        data = [_normalize(t) for t in (context.company, context.skill, *context.topics) if t]
        found = [
            m
            for m in [*_PLACEHOLDER.finditer(self.text), *_PLACEHOLDER_CASELESS.finditer(self.text)]
            if not any(m.group(0) in d for d in data)
        ]
        found.sort(key=lambda m: m.start())
        self.placeholders = [m.group(0) for m in found]
        # Content rules read the text with placeholders blanked: "[specific project]" is
        # not a specific point.
        self.content = self.text
        for m in reversed(found):
            self.content = self.content[: m.start()] + " " + self.content[m.end() :]
        self.words = _Words(self.content)
        self.context = context
        self.company_words = frozenset(_significant_name(context.company or ""))


def _significant_name(company: str) -> list[str]:
    return [w for w in _TOKEN.findall(_fold(company)) if w not in _COMPANY_SUFFIXES and len(w) >= 4]


def _gratitude(note: _Note) -> list[str]:
    if _GRATITUDE.search(note.content):
        return []
    return ["no thanks or appreciation: thank them for their time and the conversation"]


def _specific_point(note: _Note) -> list[str]:
    topics = [t for t in note.context.topics if _significant(t) or _fold(t).strip()]
    if topics:
        if any(note.words.mentions(t) for t in topics):
            return []
        if len(topics) == 1:
            wanted = _snippet(topics[0], 60)
        else:
            wanted = "one of " + "; ".join(_snippet(t, 40) for t in topics[:3])
        return [f"no specific point from the conversation: mention {wanted}"]
    ignore = _GENERIC | note.company_words
    for match in [
        *_CONVERSATION.finditer(note.content),
        *_CONVERSATION_BEFORE.finditer(note.content),
    ]:
        tail: list[str] = []
        for word in _TOKEN.findall(_fold(match.group("tail"))):
            if word in _TAIL_END or len(tail) >= 8:
                break
            tail.append(word)
        if any(len(w) >= 3 and w not in _STOPWORDS and w not in ignore for w in tail):
            return []
    return [
        "no specific point from the conversation: name what you discussed"
        ' ("our conversation about …")'
    ]


def _enthusiasm(note: _Note) -> list[str]:
    if _ENTHUSIASM.search(note.content):
        return []
    return ["no enthusiasm for the role: say you are keen or look forward to it"]


def _skill(note: _Note) -> list[str]:
    if note.context.step != 1:
        return []
    skill = (note.context.skill or "").strip()
    if skill:
        if note.words.mentions(skill):
            return []
        return [f"the thank-you does not mention your relevant skill: {_snippet(skill, 60)}"]
    if _SKILL_PHRASE.search(note.content):
        return []
    return ['no relevant skill mentioned: e.g. "bring my experience in …"']


def _too_long(note: _Note) -> list[tuple[Severity, str]]:
    found: list[tuple[Severity, str]] = []
    step = note.context.step if note.context.step in WORD_LIMITS else None
    limit = DEFAULT_WORD_LIMIT if step is None else WORD_LIMITS[step]
    what = "a note" if step is None else f"a {_STEP_NAME[step]}"
    count = len(_WORD.findall(note.unsigned))
    if count > limit:
        found.append(
            (_E, f"the body has {count} words: keep {what} to at most {limit} (the article: brief)")
        )
    if len(note.subject) > SUBJECT_LIMIT:
        found.append(
            (
                _W,
                f"the subject has {len(note.subject)} characters:"
                f" keep it to at most {SUBJECT_LIMIT}",
            )
        )
    return found


def _placeholder(note: _Note) -> list[str]:
    if not note.placeholders:
        return []
    plural = "s" if len(note.placeholders) > 1 else ""
    return [f"unfilled placeholder{plural}: {_quote_all(note.placeholders)}"]


def _pushy(note: _Note) -> list[str]:
    hits = [m.group(0) for m in _PUSHY.finditer(note.text)]
    hits += _shouting(note)
    if not hits:
        return []
    return [f"pushy or desperate phrasing: {_quote_all(hits)}"]


def _shouting(note: _Note) -> list[str]:
    """Runs of two or more all-caps words of 4+ letters, or one of 6+ letters."""
    known = _context_words(note.context)
    hits: list[str] = []
    run: list[str] = []
    for word in [*_NAME_TOKEN.findall(note.content), ""]:
        loud = (
            len(word) >= 4
            and word.isupper()
            and word not in _SHOUT_ALLOWED
            and _fold(word) not in known
            and word not in ("TODO", "FIXME", "ASAP")
        )
        if loud:
            run.append(word)
            continue
        if len(run) >= 2 or (run and len(run[0]) >= 6):
            hits.append(" ".join(run))
        run = []
    return hits


def _context_words(context: NoteContext) -> frozenset[str]:
    texts = [context.company or "", context.recipient_name or "", context.skill or ""]
    return frozenset(w for t in [*texts, *context.topics] for w in _TOKEN.findall(_fold(t)))


def _duplicate(note: _Note) -> list[str]:
    """Word-level difflib ratio >= DUPLICATE_RATIO, unless this note cites a debriefed topic
    the other does not: that is what makes a panel's notes distinct (the issue's own test)."""
    from difflib import SequenceMatcher

    mine = _TOKEN.findall(_fold(note.unsigned))[:_MAX_COMPARED_WORDS]
    if not mine:
        return []
    cited = [t for t in note.context.topics if note.words.mentions(t)]
    candidates = [("the previous note", note.context.previous)] if note.context.previous else []
    others = note.context.others
    for i, other in enumerate(others, 1):
        label = "another interviewer's note" + (f" (#{i})" if len(others) > 1 else "")
        candidates.append((label, other))
    found: list[str] = []
    for label, text in candidates:
        own = _own_text(_normalize(text or ""))[1]
        theirs = _TOKEN.findall(_fold(own))[:_MAX_COMPARED_WORDS]
        if not theirs:
            continue
        matcher = SequenceMatcher(None, mine, theirs, autojunk=False)
        if matcher.real_quick_ratio() < DUPLICATE_RATIO or matcher.quick_ratio() < DUPLICATE_RATIO:
            continue
        ratio = matcher.ratio()
        if ratio < DUPLICATE_RATIO:
            continue
        if cited and not all(_Words(own).mentions(t) for t in cited):
            continue  # each cites its own point from the conversation
        if mine == theirs:
            found.append(f"the same text as {label}: make each note its own")
        else:
            alike = f"{int(ratio * 100)}% alike"
            found.append(f"nearly the same text as {label} ({alike}): make each note its own")
    return found


def _wrong_name(note: _Note) -> list[str]:
    misspelt = _misspelt_company(note)
    found = []
    if misspelt:
        company = _snippet(note.context.company or "", 60)
        found.append(f"the company is named wrong: {_quote_all(misspelt)} (it is {company})")
    return found + _wrong_person(note, {_fold(w) for w in misspelt})


def _misspelt_company(note: _Note) -> list[str]:
    """Capitalised words a small edit away from a word of the company's name."""
    names = note.company_words
    if not names:
        return []
    known = _context_words(note.context._replace(company=None))
    misses: list[str] = []
    for word in _NAME_TOKEN.findall(note.content):
        if not word[:1].isupper():
            continue
        folded = _fold(word)
        if folded in names or folded in known:
            continue
        for name in names:
            most = 1 if len(name) <= 5 else 2
            distance = _edit_distance(folded, name, most)
            if distance <= most and (distance == 1 or folded[:1] == name[:1]):
                misses.append(word)
                break
    return misses


def _wrong_person(note: _Note, misspelt: set[str]) -> list[str]:
    recipient = note.context.recipient_name or ""
    parts = [_fold(p) for p in _NAME_TOKEN.findall(_normalize(recipient))]
    if not parts:
        return []
    first_line = next((line for line in note.body.splitlines() if line.strip()), "")
    match = _GREETING.match(first_line)
    if match is None:
        return []
    name = match.group("name")
    folded = _fold(name)
    if not name[:1].isupper() or folded in _NOT_A_NAME:
        return []
    if folded in note.company_words or folded in misspelt:  # "Hi Acme team"
        return []
    if match.group("title") and len(parts) == 1:
        return []  # "Dear Ms. Lovelace" to someone known only as "Ada": cannot tell
    for part in parts:
        if folded == part or (len(folded) >= 3 and part.startswith(folded)):
            return []
    greeted = _snippet(first_line.strip(), 40)
    return [f'the greeting "{greeted}" names {name}, but this note is for {_snippet(recipient)}']


def _tone_clash(note: _Note) -> list[str]:
    tone = note.context.tone
    if tone == Tone.FORMAL:
        hits = [m.group(0) for m in _CASUAL.finditer(note.text)]
        what = "casual words for a formal (corporate) culture"
    elif tone == Tone.CASUAL:
        hits = [m.group(0) for m in _STIFF.finditer(note.text)]
        what = "stiff formulas for a casual (startup) culture"
    else:
        return []
    return [f"{what}: {_quote_all(hits)}"] if hits else []


def _negative(note: _Note) -> list[str]:
    hits = [m.group(0) for m in _NEGATIVE.finditer(note.text)]
    return [f"negative or apologetic phrasing: {_quote_all(hits)}"] if hits else []


_CHECKS = (
    ("no-gratitude", _gratitude),
    ("no-specific-point", _specific_point),
    ("no-enthusiasm", _enthusiasm),
    ("no-skill", _skill),
    ("placeholder", _placeholder),
    ("pushy", _pushy),
    ("duplicate", _duplicate),
    ("wrong-name", _wrong_name),
    ("tone-clash", _tone_clash),
    ("negative", _negative),
)
_SEVERITY = {rule.id: rule.severity for rule in RULES}


NO_CONTEXT = NoteContext()  # nothing known beyond the text


def lint(subject: str, body: str, context: NoteContext = NO_CONTEXT) -> list[Finding]:
    """Every finding for a note, errors first, in RULES order."""
    note = _Note(subject, body, context)
    findings = [Finding("too-long", severity, message) for severity, message in _too_long(note)]
    for rule_id, check in _CHECKS:
        findings += [Finding(rule_id, _SEVERITY[rule_id], message) for message in check(note)]
    findings.sort(key=lambda f: (f.severity is not Severity.ERROR, _ORDER[f.rule]))
    return findings


def rule(rule_id: str) -> Rule:
    """The rule with this id (KeyError for an unknown one)."""
    for candidate in RULES:
        if candidate.id == rule_id:
            return candidate
    raise KeyError(rule_id)
