"""Checks that prove a note follows the article's etiquette, with stable rule ids.

Pure: text in, findings out. `followup lint`, `followup draft` and the dashboard all show
these findings; an `error` makes `followup lint` exit non-zero.

The article asks a note to "express gratitude for the opportunity, highlight a key point
from your discussion ... and gently reiterate your enthusiasm", to mention the relevant
skill, to be brief and positive, and to match the company's culture. Each rule below checks
one of those with phrase lists matched on the note's words (see "phrase lists" below), a few
small regular expressions and a little fuzzy matching; docs/lint.md says how each one reads
the text and why.

`lint` never raises on any text: the CLI feeds it whatever a user pipes in.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from enum import StrEnum
from functools import cache
from itertools import pairwise
from typing import NamedTuple

from followup.domain.model import NoteKind, Tone
from followup.domain.names import Greeting, canonical_title, greet, parse_name


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

    kind: str | None = None  # the note's kind: thank-you, follow-up, final or the policy's own
    company: str | None = None
    recipient_name: str | None = None
    topics: tuple[str, ...] = ()  # what was discussed (with this person, where known)
    skill: str | None = None
    tone: Tone | None = None  # the tone the company's culture calls for
    others: tuple[str, ...] = ()  # the other interviewers' notes for the same step
    previous: str | None = None  # the previous note in this sequence
    interview_id: int | None = None  # known: the debrief is what a missing point needs
    role: str | None = None  # the job title: never a specific point by itself
    # The greeting drafting writes for this recipient (domain/names.py): its line is right by
    # construction, and `named` is False when no name is known (an address only).
    greeting: Greeting | None = None


_E, _W = Severity.ERROR, Severity.WARNING

RULES: tuple[Rule, ...] = (
    Rule("no-gratitude", _E, "Never thanks them: the article's first ingredient is gratitude."),
    Rule(
        "no-specific-point",
        _E,
        "Cites nothing specific from the conversation (a debriefed topic, or 'our talk about …').",
    ),
    Rule("no-enthusiasm", _E, "Never says you are keen: gently reiterate your enthusiasm."),
    Rule("no-skill", _E, "A thank-you does not mention the skill you want to stress."),
    Rule(
        "too-long",
        _E,
        "The body is over its kind's word limit (200/120/100); a subject over 78 chars warns.",
    ),
    Rule(
        "placeholder",
        _E,
        "An unfilled placeholder: [Company Name], [a …], {x}, {{ x }}, <NAME>, (name), XXX, TODO.",
    ),
    Rule("pushy", _E, "Pushy or desperate: 'just checking in', 'any update?', 'ASAP', '!!!'."),
    Rule("duplicate", _E, "(Nearly) the same text as another interviewer's or the previous note."),
    Rule("wrong-name", _E, "The company is misspelt, or the greeting names the wrong person."),
    Rule(
        "generic-point",
        _E,
        "The only 'specific point' is the role, the company or a stock phrase ('the work').",
    ),
    Rule(
        "ultimatum",
        _E,
        "Pressure or a deadline put on the employer: 'another offer', 'need to know by Friday'.",
    ),
    Rule("slang-in-formal", _E, "Slang to a formal (corporate) culture: 'awesome', 'pumped'."),
    Rule("unsigned", _E, "The note ends without your name: set user.name, or sign it."),
    Rule(
        "greeting",
        _E,
        "A greeting that is not a name nor a neutral form: 'Hi Dr.,', 'Dear Okafor, Chidi,'.",
    ),
    Rule("no-name", _W, "Greets them with no name ('Hello,'): only their address is known."),
    Rule("tone-clash", _W, "Casual words to a corporate culture, or stiff formulas to a startup."),
    Rule("negative", _W, "Negative or apologetic phrasing ('unfortunately', 'sorry to bother')."),
    Rule(
        "unpaid-work",
        _W,
        "Offers work they did not ask for: 'happy to put together a full proposal for free'.",
    ),
    Rule("giving-up", _W, "Concedes instead of keeping the door open: 'I assume you've moved on'."),
)

_ORDER = {rule.id: i for i, rule in enumerate(RULES)}

SELF_EVIDENT = frozenset(("placeholder", "unsigned"))
"""Errors no context can excuse: the worker checks an approved text for these again."""

WORD_LIMITS: dict[str, int] = {
    NoteKind.THANK_YOU: 200,
    NoteKind.FOLLOW_UP: 120,
    NoteKind.FINAL: 100,
}
"""Body words allowed per kind of note (docs/lint.md says why)."""
DEFAULT_WORD_LIMIT = 200  # a kind of the user's policy, or none known: the most generous one
SUBJECT_LIMIT = 78  # characters; RFC 5322's line length, and what mail clients show
DUPLICATE_RATIO = 0.9  # difflib ratio over normalized words at or above which two notes match
_MAX_COMPARED_WORDS = 3000  # difflib is quadratic at worst: a note is far shorter than this

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
_NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_WORD_RUN = re.compile(r"\w+")  # a word as regex `\b` sees it: what the phrase lists match
# The whitespace at an offset (what str.strip() strips), read in place: slicing "the rest of
# the text" at each of n phrases is quadratic in n.
_SPACES = re.compile(r"\s*")

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
    if decomposed.isascii():  # nothing to strip: most notes, and far quicker
        return decomposed
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _tokens(text: str) -> list[str]:
    """The runs of letters or digits, in any script (`[^\\W_]+`: `\\w+` but for "_")."""
    return _WORD_RUN.findall(text.replace("_", " "))


def _word_count(text: str) -> int:
    """Words as `[^\\W_]+(?:['.-][^\\W_]+)*` finds them: "don't", "e-mail", "3.5" are one each."""
    plain = text.replace("_", " ")
    runs = [m.span() for m in _WORD_RUN.finditer(plain)]
    joins = sum(
        1 for (_, end), (start, _) in pairwise(runs) if start == end + 1 and plain[end] in "'.-"
    )
    return len(runs) - joins


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
    return [_stem(w) for w in _tokens(_fold(text)) if w not in _STOPWORDS and len(w) > 1]


class _Words:
    """The stemmed words of a text, for "does it mention X" questions."""

    def __init__(self, text: str) -> None:
        self.folded = _fold(text)
        self.stems = frozenset(_stem(w) for w in _tokens(self.folded))

    def has(self, stem: str) -> bool:
        return stem in self.stems or any(_words_match(stem, s) for s in self.stems)

    def mentions(self, phrase: str) -> bool:
        """Most of the phrase's content words (or the phrase itself, for "C++")."""
        wanted = _significant(phrase)
        if not wanted:
            literal = _fold(phrase).strip()
            return bool(literal) and _has_whole(self.folded, literal)
        found = sum(1 for w in wanted if self.has(w))
        return found >= len(wanted) // 2 + 1


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"  # exactly regex `\w`


def _has_whole(text: str, part: str) -> bool:
    """`part` in `text`, no word character right before or after it: `(?<!\\w)…(?!\\w)`."""
    at = text.find(part)
    while at >= 0:
        end = at + len(part)
        if (at == 0 or not _is_word_char(text[at - 1])) and (
            end == len(text) or not _is_word_char(text[end])
        ):
            return True
        at = text.find(part, at + 1)
    return False


def _snippet(text: str, limit: int = 40) -> str:
    one_line = " ".join(text.split())  # whitespace runs made one space, as regex `\s+`
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def _quote_all(matches: list[str], most: int = 4) -> str:
    seen: list[str] = []
    folded: set[str] = set()  # a set, not a scan of `seen`: a pasted text may hold 100,000
    for m in matches:
        s = _snippet(m)
        if s.casefold() not in folded:
            folded.add(s.casefold())
            seen.append(s)
    shown = ", ".join(f'"{s}"' for s in seen[:most])
    return shown + (f" (+{len(seen) - most} more)" if len(seen) > most else "")


def _own_text(body: str) -> tuple[str, str]:
    """The writer's own text (quoted lines dropped) and the same without the signature."""
    own = body
    if ">" in body:  # drop each line that starts with ">" after spaces or tabs, with its LF
        lines = body.split("\n")
        last = len(lines) - 1
        own = "".join(
            line if i == last else line + "\n"
            for i, line in enumerate(lines)
            if not line.lstrip(" \t").startswith(">")
        )
    if "--" in own:  # the signature starts at a line "--" or "-- " (spaces or tabs after)
        offset = 0
        for line in own.split("\n"):
            if line.startswith("--") and not line[2:].strip(" \t"):
                return own, own[:offset]
            offset += len(line) + 1
    return own, own


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


# --- phrase lists ---------------------------------------------------------------------------
#
# The phrase rules were once IGNORECASE regexes with long alternations: compiling the 18
# patterns cost ~11 ms, most of the 16 ms it took to import this module, and `followup draft`
# runs as a cold process on a 50 ms budget. They are now phrase lists matched on the note's
# words, tokenised once per note: the same `\w+` runs that regex `\b` sees, lowercased as
# IGNORECASE compares them, with the text between two words checked where a phrase needs it.
# That keeps every match, span and "leftmost, first alternative, no overlap" order the
# regexes had, so findings and their quoted phrases are unchanged. Besides two tiny patterns
# (`\w+` and names), only the placeholders stay a regex (nothing simpler says "[Company
# Name]" but not "[1]"), compiled on the first note with a "[", "{", "$", "<", TODO … in it.
# Importing this module now costs ~2.5 ms, half of it the NamedTuples and the enum.
#
# A phrase is lowercase words; a space between two means any run of whitespace (`\s+`), "'"
# inside a word ("can't") that apostrophe with nothing around it, " / " a slash with optional
# whitespace around it. "a|b" is either word, "*" any one word, and a trailing "..." lets the
# last word be the start of a longer one ("sorry to intrud..." is in "sorry to intrude", as
# the regex had no `\b` there). Phrases are tried in the order given, and "a|b" left to right,
# the first match winning: a longer phrase (which the regex's greedy optional part tried
# first) comes before the shorter one it extends.

_Phrase = tuple[tuple[tuple[str, ...], ...], tuple[str, ...], bool]  # words, gaps, prefix
_Phrases = dict[str, list[_Phrase]]  # by first word, in the order they are tried


def _phrases(*texts: str) -> _Phrases:
    table: _Phrases = {}
    for text in texts:
        items = text.removesuffix("...").replace("'", " ' ").split()
        words, gaps, gap = [tuple(items[0].split("|"))], [], " "
        for item in items[1:]:
            if item in ("'", "/"):
                gap = item
            else:
                words.append(tuple(item.split("|")))
                gaps.append(gap)
                gap = " "
        phrase = (tuple(words), tuple(gaps), text.endswith("..."))
        for first in words[0]:
            table.setdefault(first, []).append(phrase)
    return table


# With str.lower(), the letters re.IGNORECASE also takes for ASCII ones ("İ" and "ı" for i,
# "ſ" for s); one character each, so the lowered text keeps the original's offsets.
_CASELESS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


class _Tokens:
    """A text's words (`\\w+` runs) lowercased, where each starts and ends, for phrase lists."""

    __slots__ = ("ends", "lower", "starts", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = lower = text.translate(_CASELESS).lower()
        spans = [m.span() for m in _WORD_RUN.finditer(text)]
        self.starts = [start for start, _ in spans]
        self.ends = [end for _, end in spans]
        self.words = [lower[start:end] for start, end in spans]

    def spaced(self, i: int) -> bool:
        """Only whitespace between word i - 1 and word i."""
        return self.text[self.ends[i - 1] : self.starts[i]].isspace()

    def match(self, i: int, phrase: _Phrase) -> int:
        """Where `phrase` ends in the text when it starts at word i, or -1."""
        words, gaps, prefix = phrase
        last = i + len(words) - 1
        if last >= len(self.words):
            return -1
        for k, either in enumerate(words):
            j = i + k
            if k:
                kind = gaps[k - 1]
                gap = self.text[self.ends[j - 1] : self.starts[j]]
                if kind == " ":
                    if not gap.isspace():
                        return -1
                elif kind == "'":
                    if gap != "'":
                        return -1
                elif gap.strip() != "/":
                    return -1
            word = self.words[j]
            if prefix and j == last:
                start = next((w for w in either if word.startswith(w)), None)
                return -1 if start is None else self.starts[j] + len(start)
            if word not in either and either != ("*",):
                return -1
        return self.ends[last]

    def first(self, i: int, table: _Phrases) -> int:
        """Where the first of the table's phrases that starts at word i ends, or -1."""
        for phrase in table.get(self.words[i], ()):
            end = self.match(i, phrase)
            if end >= 0:
                return end
        return -1

    def has(self, table: _Phrases) -> bool:
        return any(self.first(i, table) >= 0 for i, w in enumerate(self.words) if w in table)

    def find(self, table: _Phrases) -> list[tuple[int, int]]:
        """The spans of the table's phrases, left to right and not overlapping (re.finditer)."""
        spans: list[tuple[int, int]] = []
        done = 0
        for i, word in enumerate(self.words):
            if word in table and self.starts[i] >= done:
                end = self.first(i, table)
                if end >= 0:
                    spans.append((self.starts[i], end))
                    done = end
        return spans


# --- the phrases and patterns ---------------------------------------------------------------

# Placeholders: kept a regex, compiled by _placeholders on the first text that may have one.
_PLACEHOLDER = (
    r"\[(?!(?:sic|external|ext|spam|bulk|secure|encrypt|fwd|fw)\])"  # not [sic], [EXTERNAL]
    r"[^\W\d_][^\[\]\n]{1,80}\](?!\()"  # [Company Name], [a specific point]: not [1], [x](url)
    r"|\{\{[^{}\n]{0,80}\}\}"  # {{ name }}
    r"|\{%[^{}\n]{0,80}%\}"  # {% if x %}
    r"|\$\{[^{}\n]{1,60}\}"  # ${name}
    r"|\{[^\W\d_][^{}\n]{0,60}\}"  # {company}, {first name}
    r"|<(?!3)(?![^<>\n]*(?:@|://|www\.|mailto:))[^\W\d_][^<>\n]{0,60}>"  # <NAME>: not an address
    r"|\((?:your |their |the |insert )?"
    r"(?:first |last |full |company |manager'?s? |interviewer'?s? )?"
    r"(?:name|company|role|position|job title|title|date|topic|skill|project|interviewer"
    r"|recipient|here)\)"  # (name), (company name)
    r"|\b(?:TODO|TBD|TBC|FIXME|XXX+)\b"
    r"|_{3,}"  # a blank to fill in: ____
    r"|\$[^\W\d]\w*"  # $NAME, $company: a price starts with a digit ($5M)
    r"|%[^\W\d_]\w{0,40}%"  # %COMPANY%: "50% of" has no letter right after the "%"
    # Firstname, FirstName, FIRST_NAME, first_name, First Name, LASTNAME …
    r"|\b(?:[Ff]irst|[Ll]ast|[Ff]ull|[Ss]ur)_?[Nn]ame\b|\b(?:FIRST|LAST|FULL|SUR)_?NAME\b"
    r"|\b(?:First|Last|Full) Name\b"
    # Hiring Manager Name, Company Name, Your Name: a label, capitalised, where a name goes
    r"|\b(?:(?:Hiring )?Manager(?:'s)?|Company|Interviewer(?:'s)?|Recipient|Contact|Your)"
    r" Name\b"
)
_PLACEHOLDER_STARTS = (
    "[", "{", "$", "<", "(", "%", "TODO", "TBD", "TBC", "FIXME", "XXX", "___",
    "name", "Name", "NAME",
)  # fmt: skip
# "lorem ipsum", and what the built-in templates once wrote with nothing debriefed.
_LOREM = _phrases(
    "lorem ipsum",
    "a|the specific point|project|topic you|we discussed",
    "your relevant skill|experience",
    "insert name|company|role|topic|skill...",
)

_GRATITUDE = frozenset(
    (
        "thank", "thanks", "thankful", "thanking", "thanked", "grateful", "gratitude",
        "appreciate", "appreciated", "appreciates", "appreciating", "appreciation",
        "appreciative", "thx",
    )
)  # fmt: skip
_ENTHUSIASM = _phrases(
    "excited|excitement|exciting|eager|eagerly|eagerness|enthusiasm|enthusiastic"
    "|enthusiastically|keen|thrilled|delighted|passionate|energised|energized|inspired"
    "|motivated|pumped|stoked|psyched",
    "look|looking|looks forward",
    "would|i love",
    "i'd love",
    "love to",
    "can't wait",
    "cannot wait",
    "glad to",
    "very|really|still|remain|am|strongly|genuinely|truly|most|highly interested",
    "i'm interested",
    "my|strong|keen|continued|genuine|great interest",
)
# Each is followed by whitespace and what was discussed: see _conversation_tails.
_CONVERSATION = _phrases(
    "conversation|conversations|discussion|discussions|chat|chats|talk|talks|exchange"
    "|exchanges|dialogue|dialogues about|on|regarding|around|of",
    "discuss|discussed|discussing",
    "talk|talked|talking about|through",
    "learn|learned|learning|learnt|hear|heard|hearing|spoke|speaking|thinking about",
    "went|going|go over",
    "covered|explored|exploring",
    "insight|insights|thoughts|perspective|explanation|overview|walkthrough|description"
    " on|about|into|of",
    "you|we mentioned|described|explained|shared|showed|covered",
    "you|we talked about",
    "enjoyed|loved|valued|liked|appreciated|fascinated|impressed|intrigued by|hearing|learning"
    "|seeing|the|your|how|about",
    "coming|came back to",
    "stuck with me",
    "your plans|approach|vision for|to",
    "explaining|explained|showing|showed|sharing|shared|describing|described the|your|how|what|why",
    "walking|walked|walk me|us through",
    "speaking|spoke|talking|talked|chatting|chatted with me|us about",
    "hearing|learning|seeing|understanding how|what|why",
    "call|calls|meeting|interview|session|visit about|regarding",
    "kept|keep playing|working|tinkering|thinking with|on|about",
    "story|stories|example|examples|account|demo about|of",
)
# "the roadmap (that) you mentioned": one to four words between one of these and a verb.
_BEFORE_START = frozenset(("the", "your", "that"))
_BEFORE_VERB = _phrases(
    "that you|we mentioned|described|explained|discussed|covered",
    "that you|we showed me",
    "that you|we talked about",
    "that you|we walked me through",
    "you|we mentioned|described|explained|discussed|covered",
    "you|we showed me",
    "you|we talked about",
    "you|we walked me through",
    "sounds|sounded|sound|looks|looked",
    "stuck|stayed with me",
    "has|have stayed|stuck with me",
    "was|were|is|are *",
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
        "interesting", "innovative", "projects", "meeting", "meet", "speaking", "talking",
        "chatting", "you", "everyone", "conversation", "chat", "discussion", "building",
        "doing", "vision", "mission", "culture", "challenges", "plans", "future", "growth",
        "product", "products", "hearing", "learning", "amazing", "fantastic", "impressive",
        "exciting", "excited", "stuff", "there", "role's", "people", "folks", "environment",
        "place", "workplace", "staff", "department", "group", "engineering", "responsibilities",
        "duties", "position's", "company's", "team's", "discussing", "having", "getting",
        "opening", "offer", "hiring", "career", "careers", "industry", "field", "space",
        "questions", "answers", "insights", "information", "overview", "background",
        "learn", "discuss", "talk", "share", "join", "contribute", "speak", "hear", "apply",
        "consideration", "considering", "considered", "interviewing", "joining", "contributing",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "morning",
        "afternoon", "evening", "week", "yesterday", "call", "visit", "tour",
    )
)  # fmt: skip
_SKILL_PHRASE = _phrases(
    "my * experience|background|expertise|skills|skill|knowledge|years"
    " in|with|on|of|as|building|running|leading...",
    "my experience|background|expertise|skills|skill|knowledge|years"
    " in|with|on|of|as|building|running|leading...",
    "bring|bringing my...",
    "i have worked|built|led|used|shipped|designed|run...",
    "i've worked|built|led|used|shipped|designed|run...",
    "having worked|built|led|used|shipped|designed|run...",
    "i worked|built|led|designed|ran|shipped|maintained on|with|a|an|the",
    "experience in|with *",
)
_PUSHY = _phrases(
    "just checking in",
    "just checking",
    "just following up",
    "just circling back",
    "just touching base",
    "any update|updates|news",
    "asap",
    "as soon as possible",
    "haven|hasn't yet heard back...",
    "haven|hasn't yet heard from you...",
    "haven|hasn't yet heard anything...",
    "haven|hasn't heard back...",
    "haven|hasn't heard from you...",
    "haven|hasn't heard anything...",
    "have|has not yet heard back...",
    "have|has not yet heard from you...",
    "have|has not yet heard anything...",
    "have|has not heard back...",
    "have|has not heard from you...",
    "have|has not heard anything...",
    "following up again",
    "following up once more",
    "following up one more time",
    "please respond|reply|answer",
    "please get back to me",
    # "urgent" alone is often the topic ("how you handle urgent payment retries")
    "urgently|desperate|desperately",
    "it|this|is|very|quite|so urgent",
    "still waiting",
    "why haven't you",
    "circling back",
    "bumping this|it|my",
    "did you get a chance",
    "hoping for a quick|prompt|speedy response|reply|answer",
    "kindly revert",
    "at the earliest",
)
_ULTIMATUM = _phrases(
    "another|competing|other|second|outstanding|pending offer|offers",
    "an offer elsewhere",
    "i need an|a answer|decision|response",
    "i need to know|hear",
    "need to know|hear|decide by...",
    "need an|a answer|decision|response by...",
    "let me know|respond|reply|decide|answer by friday|monday|tuesday|wednesday|thursday"
    "|tomorrow|tonight|eod|end|the...",
    "if i don't hear",
    "if i do not hear",
    "unless i hear",
    "i will have to accept|withdraw|move|take|decline...",
    "i'll have to accept|withdraw|move|take|decline...",
    "otherwise i will",
    "otherwise i'll",
    "my deadline",
    "final chance",
    "last chance",
    "where things stand by monday|tuesday|wednesday|thursday|friday|tomorrow|tonight|eod|end"
    "|the...",
    "decision on|about other opportunities|offers|roles",
    "offer from another|a|one other|different|competing company|firm|employer|organisation...",
    "offer from another|other company|firm|employer|organisation...",
    "need|needs your decision|answer|response",
    "give them my answer|decision",
    "wants me to start",
    "go with them",
    "if you can't decide|commit|confirm",
    "if you cannot decide|commit|confirm",
    "if you don't decide|commit|confirm",
)
# Said right before "any update", the question is polite: "is there any update on …?"
_POLITE_BEFORE = (("is", "there"), ("are", "there"), ("whether", "there"), ("if", "there"))
_SIGN_OFFS = frozenset(
    (
        "best", "regards", "best regards", "kind regards", "warm regards", "warmest regards",
        "sincerely", "yours sincerely", "sincerely yours", "yours truly", "cheers", "thanks",
        "thank you", "many thanks", "all the best", "best wishes", "with thanks", "respectfully",
        "yours", "warmly", "talk soon", "take care", "with gratitude", "gratefully",
    )
)  # fmt: skip
_SLANG = _phrases(
    "awesome|pumped|stoked|psyched|gonna|wanna|gotta|lol|rad|dope|epic|legit|kinda|sorta"
    "|vibe|vibes|omg|tbh|yall",
    "had a blast",
    "hit me up",
    "no cap",
    "super fun|excited|keen|happy|cool|pumped|stoked|psyched|interesting",
    "so cool",
    "crushing it",
)
_SHOUT_ALLOWED = frozenset({"NASDAQ", "FORTRAN", "ASCII", "UNICODE"})
_NEGATIVE = _phrases(
    "unfortunate|unfortunately|disappointed|disappointing|disappointment|regrettably",
    "sorry to|for|if * bother|disturb|trouble|troubling|pester|intrud|tak|writ|again...",
    "sorry to|for|if * the delay...",
    "sorry to|for|if bother|disturb|trouble|troubling|pester|intrud|tak|writ|again...",
    "sorry to|for|if the delay...",
    "i know you're * busy",
    "i know you're busy",
    "i know you are * busy",
    "i know you are busy",
    "i understand|realize|realise|know if",
    "i'm afraid",
    "i am afraid",
    "no worries if not",
    "apologise|apologize for bothering...",
    "apologise|apologize for the intrusion|bother|trouble...",
)
# unpaid-work: an offer ("happy to", "I could" …), then a verb of making right after "to",
# "can", "could" …, then one of the products below within a few words: "I'd be glad to put
# together a full proposal". A sentence that says "for free" offers whatever it names.
_OFFER = frozenset(
    (
        "happy", "glad", "willing", "pleased", "delighted", "love", "like", "offer", "offering",
        "can", "could", "ll", "will", "gladly", "happily", "let", "able",
    )
)  # fmt: skip
_MAKE = frozenset(
    (
        "put", "prepare", "build", "create", "write", "draft", "design", "develop", "mock",
        "sketch", "produce", "deliver", "whip", "do", "run", "conduct", "make", "code", "work",
        "pull",
    )
)  # fmt: skip
_BEFORE_MAKE = frozenset(("to", "can", "could", "ll", "will", "happily", "gladly", "me", "also"))
_WORK_PRODUCTS = frozenset(
    (
        "proposal", "proposals", "prototype", "prototypes", "mockup", "mockups", "mock", "mocks",
        "wireframe", "wireframes", "plan", "plans", "strategy", "audit", "analysis", "deck",
        "campaign", "roadmap", "poc", "concept", "redesign", "spec", "specification", "outline",
        "pitch", "demo", "report", "study", "assessment", "blueprint", "sample",
    )
)  # fmt: skip
_FREE = _phrases(
    "for free",
    "free of charge",
    "at|for no cost|charge",
    "without charge",
    "no strings attached",
    "unpaid",
    "on spec",
    "on my own time",
)
_AS_EMPLOYEE = frozenset(("help", "join", "joining", "joined", "once", "hired", "contribute"))
_GIVING_UP = _phrases(
    # (an apostrophe ends an alternative: "you've" and "you" are separate phrases)
    "you've moved on",
    "you've already|probably|likely moved on",
    "already|probably|likely moved on",
    "you have moved|gone on",
    "you have already moved on",
    "has|have already moved on",
    "team has moved on",
    "with|for someone|somebody else",
    "with|for another candidate|candidates|applicant|applicants|person",
    "with|for a different|stronger|better candidate|applicant|person",
    "with|for the other candidate|applicant|person",
    "filled the role|position|post|vacancy|opening",
    "didn't work out",
    "doesn't work out",
    "hasn't worked out",
    "won't work out",
    "did|does|will not work out",  # not "I could not work out how …"
    "has not worked out",
    "isn't meant to be",
    "wasn't meant to be",
    "not meant to be",
    # of the writer, not of a topic ("why the old design was not a good fit for mobile")
    "i'm not the|a right|best|good|strong fit|match|candidate|person|choice",
    "i am not the|a right|best|good|strong fit|match|candidate|person|choice",
    "i wasn't the|a right|best|good|strong fit|match|candidate|person|choice",
    "i was not the|a right|best|good|strong fit|match|candidate|person|choice",
    "i may|might not be the|a right|best|good|strong fit|match|candidate|person|choice",
    "no longer considered|being|in",
    "out of the running",
    "your silence as",
    "take that|this as a no",
    "won't bother|trouble|email|contact|pester you again|anymore",
    "not bother|trouble|email|contact|pester you again|anymore",
    "wasn't successful|selected|chosen",
    "was not successful|selected|chosen",
    "if you've decided|chosen|gone|filled",
    "if you have decided|chosen|gone|filled",
    "no hard feelings",
    "give|giving|gave up",
)
_CASUAL = _phrases(  # what is slang besides goes to slang-in-formal
    "hey|hiya|cheers|btw|thx|yeah|xoxo",
    "hi there",
)
_STIFF = _phrases(  # and "I remain" as a sign-off: see _i_remain
    "dear sir or madam",
    "dear sir / madam",
    "dear sir|madam",
    "to whom it may concern",
    "yours faithfully|respectfully",
    "respectfully yours",
    "i beg to",
    "herewith|hereby",
    "please find enclosed",
)
_GREETINGS = frozenset(("dear", "hi", "hello", "hey", "hiya", "greetings"))
_TIMES_OF_DAY = frozenset(("morning", "afternoon", "evening"))  # after "good"
_TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor")  # tried in this order
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


@cache
def _placeholder_pattern() -> re.Pattern[str]:
    return re.compile(_PLACEHOLDER)


def _placeholders(tokens: _Tokens) -> list[tuple[int, int]]:
    """Spans of bracket placeholders, TODO and the like, then of "lorem ipsum" (any case)."""
    text = tokens.text
    found = []
    if any(start in text for start in _PLACEHOLDER_STARTS):
        found = [m.span() for m in _placeholder_pattern().finditer(text)]
    spans, done = [], -1
    for start, end in sorted(found + tokens.find(_LOREM)):
        if start >= done:  # "a specific point …" inside "[a specific point …]" is one
            spans.append((start, end))
            done = end
    return spans


def _space_end(text: str, at: int) -> int:
    """Where the whitespace that starts at `at` ends."""
    match = _SPACES.match(text, at)
    return match.end() if match else at


def _tail(text: str, end: int) -> tuple[str, int] | None:
    """What `\\s+(?P<tail>[^.!?;,]{1,80})` matches at `end`, up to a blank line (the end of
    a paragraph; "the role" in a subject is not followed by "Hi Ada" of the greeting): the
    tail and where it ends."""
    start = _space_end(text, end)
    if start == end:
        return None
    stop, limit = start, min(len(text), start + 80)
    while stop < limit and text[stop] not in ".!?;,":
        if text[stop] == "\n" and "\n" in text[stop + 1 : _space_end(text, stop + 1)]:
            break  # a blank line: the paragraph ended
        stop += 1
    if stop > start:
        return text[start:stop], stop
    if start - end >= 2:  # punctuation right after: the last of the spaces is the tail
        return text[start - 1 : start], start
    return None


def _conversation_tails(tokens: _Tokens) -> list[tuple[int, str]]:
    """What follows each mention of the conversation: "our talk about <the billing rewrite>",
    with the index of the word that starts the mention."""
    tails: list[tuple[int, str]] = []
    done = 0
    for i, word in enumerate(tokens.words):
        if word not in _CONVERSATION or tokens.starts[i] < done:
            continue
        for phrase in _CONVERSATION[word]:
            end = tokens.match(i, phrase)
            found = _tail(tokens.text, end) if end >= 0 else None
            if found:
                tails.append((i, found[0]))
                done = found[1]
                break
    return tails


def _before_tails(tokens: _Tokens) -> list[tuple[int, str]]:
    """The one to six words before a verb phrase: "the <roadmap> you mentioned"; a hyphen
    joins two words ("the <patient-record migration> sounds …")."""
    tails: list[tuple[int, str]] = []
    done = 0
    count = len(tokens.words)
    for i, word in enumerate(tokens.words):
        if word not in _BEFORE_START or tokens.starts[i] < done:
            continue
        for last in range(i + 1, min(i + 7, count)):  # fewest words first
            letters = tokens.text[tokens.starts[last] : tokens.ends[last]]
            joined = tokens.text[tokens.ends[last - 1] : tokens.starts[last]] == "-"
            if not (tokens.spaced(last) or joined) or "_" in letters:
                break
            if any(c.isdecimal() for c in letters):
                break
            if last + 1 < count and tokens.spaced(last + 1):
                end = tokens.first(last + 1, _BEFORE_VERB)
                if end >= 0:
                    tails.append((i, tokens.text[tokens.starts[i + 1] : tokens.ends[last]]))
                    done = end
                    break
    return tails


def _bangs(text: str) -> list[tuple[int, int]]:
    """Spans of two or more "!" in a row."""
    spans = []
    at = text.find("!!")
    while at >= 0:
        end = at + 2
        while end < len(text) and text[end] == "!":
            end += 1
        spans.append((at, end))
        at = text.find("!!", end)
    return spans


def _is_emoji(c: str) -> bool:
    return "\U0001f000" <= c <= "\U0001faff" or "\u2600" <= c <= "\u27bf" or c in "\u2b50\u2b55"


def _symbols(text: str) -> list[tuple[int, int]]:
    """Spans of emoticons (":)", ";-P" between spaces), "<3" and emoji."""
    spans = []
    if not text.isascii():
        spans = [(i, i + 1) for i, c in enumerate(text) if _is_emoji(c)]
    at = text.find("<3")
    while at >= 0:
        spans.append((at, at + 2))
        at = text.find("<3", at + 2)
    for eyes in ":;":
        at = text.find(eyes)
        while at >= 0:
            end = at + 2 if text.startswith("-", at + 1) else at + 1
            if (
                (at == 0 or text[at - 1].isspace())
                and text[end : end + 1] in (")", "(", "D", "P", "d", "p")
                and (end + 1 == len(text) or text[end + 1].isspace())
            ):
                spans.append((at, end + 1))
            at = text.find(eyes, at + 1)
    return sorted(spans)


def _starts_with_words(text: str, at: int, *words: str) -> bool:
    """`text` has the words at `at`, whitespace between them, the last one maybe longer."""
    for word in words[:-1]:
        if not text.startswith(word, at):
            return False
        end = at + len(word)
        at = _space_end(text, end)
        if at == end:
            return False
    return text.startswith(words[-1], at)


def _i_remain(tokens: _Tokens) -> list[tuple[int, int]]:
    """Spans of "I remain" as a sign-off: before a comma, the end of a line, "yours" …"""
    spans = []
    words = tokens.words
    for i in range(len(words) - 1):
        if words[i] == "i" and words[i + 1].startswith("remain") and tokens.spaced(i + 1):
            end = tokens.starts[i + 1] + len("remain")
            lower = tokens.lower
            after = _space_end(lower, end)
            if (
                after == len(lower)
                or "\n" in lower[end:after]
                or lower.startswith((",", "yours", "respectfully", "sincerely"), after)
                or _starts_with_words(lower, after, "your", "obedient")
                or _starts_with_words(lower, after, "at", "your", "disposal")
            ):
                spans.append((tokens.starts[i], end))
    return spans


def _greeting(line: str) -> tuple[str, bool] | None:
    """The name a greeting line addresses ("Dear Ms. Lovelace," gives Lovelace) and whether
    a title comes before it; None if the line does not start with a greeting."""
    first = _WORD_RUN.search(line)
    if first is None:
        return None
    lower = line.translate(_CASELESS).lower()
    at = first.end()
    word = lower[first.start() : at]
    if word == "good":
        time = _WORD_RUN.search(line, at)
        if time is None or not line[at : time.start()].isspace():
            return None
        if lower[time.start() : time.end()] not in _TIMES_OF_DAY:
            return None
        at = time.end()
    elif word not in _GREETINGS:
        return None
    while at < len(line) and (line[at] == "," or line[at].isspace()):
        at += 1
    for title in _TITLES:
        if lower.startswith(title, at):
            end = at + len(title)
            if line.startswith(".", end):
                end += 1
            rest = line[end:]
            spaces = len(rest) - len(rest.lstrip())
            name = _NAME_TOKEN.match(line, end + spaces) if spaces else None
            if name:
                return name.group(), True
    name = _NAME_TOKEN.match(line, at)
    return (name.group(), False) if name else None


# --- the rules ------------------------------------------------------------------------------


class _Note:
    """The text of one note, prepared once for every rule."""

    def __init__(self, subject: str, body: str, context: NoteContext) -> None:
        self.subject = _normalize(subject).strip()
        own, unsigned = _own_text(_normalize(body))
        self.body = own
        self.unsigned = unsigned
        # A blank line after the subject: a phrase never runs from it into the greeting.
        self.text = f"{self.subject}\n\n{own}"
        self.tokens = _Tokens(self.text)
        # Text that is the data itself (a company called "{{7*7}}") is not a placeholder.
        data = [_normalize(t) for t in (context.company, context.skill, *context.topics) if t]
        found = [
            (start, end)
            for start, end in _placeholders(self.tokens)
            if not any(self.text[start:end] in d for d in data)
        ]
        found.sort(key=lambda span: span[0])
        self.placeholders = [self.text[start:end] for start, end in found]
        # Content rules read the text with placeholders blanked: "[specific project]" is
        # not a specific point.
        # (Joined once: cutting the text per placeholder is quadratic in their number.)
        pieces, done = [], 0
        for start, end in found:
            pieces += [self.text[done:start], " "]
            done = end
        self.content = "".join(pieces) + self.text[done:]
        self.content_tokens = _Tokens(self.content) if found else self.tokens
        self.words = _Words(self.content)
        self.context = context
        self.company_words = frozenset(_significant_name(context.company or ""))
        self.role_words = frozenset(_tokens(_fold(context.role or "")))


def _significant_name(company: str) -> list[str]:
    return [w for w in _tokens(_fold(company)) if w not in _COMPANY_SUFFIXES and len(w) >= 4]


def _gratitude(note: _Note) -> list[str]:
    if not _GRATITUDE.isdisjoint(note.content_tokens.words):
        return []
    return ["no thanks or appreciation: thank them for their time and the conversation"]


def _specific_point(note: _Note) -> list[tuple[str, str]]:
    """no-specific-point, or generic-point when what the note cites is only the role, the
    company or a stock phrase. Without debriefed topics only the text is judged: a mention
    of the conversation followed by something concrete is a point."""
    topics = [t for t in note.context.topics if _significant(t) or _fold(t).strip()]
    if topics:
        if any(note.words.mentions(t) for t in topics):
            return []
        if len(topics) == 1:
            wanted = _snippet(topics[0], 60)
        else:
            wanted = "one of " + "; ".join(_snippet(t, 40) for t in topics[:3])
        return [("no-specific-point", f"no specific point from the conversation: mention {wanted}")]
    ignore = _GENERIC | note.company_words | note.role_words
    generic: list[str] = []
    tokens = note.content_tokens
    thanked = _thanked(tokens)
    for i, text in [*_conversation_tails(tokens), *_before_tails(tokens)]:
        tail: list[str] = []
        written: list[str] = []
        for word in _tokens(text):
            folded = _fold(word)
            if folded in _TAIL_END or len(tail) >= 8:
                break
            tail.append(folded)
            written.append(word)
        job = bool(tail) and tail[-1] in _JOB_NOUNS  # "the Backend Engineer position"
        concrete = [
            w
            for w, f in zip(written, tail, strict=True)
            if len(f) >= 3 and f not in _STOPWORDS and f not in ignore
        ]
        # With no company known, one capitalised word alone ("learning about Brightside")
        # is most likely the company's name: a name, not a point.
        name_only = (
            not note.company_words and len(concrete) == 1 and concrete[0][1:].islower()
        ) and concrete[0][:1].isupper()
        if not job and concrete and not name_only:
            return []
        # "Thank you for our talk about the role" opens most notes, and "hearing about the
        # next steps" closes them: neither is an attempt at a point
        opener = thanked[i] or tokens.words[i] in _OPENERS
        if not opener and not set(tail) <= _CLOSING and any(w not in _STOPWORDS for w in tail):
            generic.append(text)
    if generic:
        return [
            (
                "generic-point",
                f"the only point is generic: {_quote_all(generic)}: name something you"
                " discussed (a project, a problem, a plan)",
            )
        ]
    if note.context.interview_id is None and not _plainly_no_point(note):
        # Standalone (`lint FILE`): only the text can be judged, and it may hold a point
        # phrased in a way the checks above do not know; blocking it would be a false alarm.
        # With the interview known, nothing debriefed is a fact: the fix is to debrief it.
        return []
    if note.context.interview_id is not None:
        fix = (
            f'debrief it (followup debrief {note.context.interview_id} --topic "…"),'
            " then draft again"
        )
    else:
        fix = 'name what you discussed ("our conversation about …")'
    return [("no-specific-point", f"no specific point from the conversation: {fix}")]


# Without debriefed topics, a note that the phrase checks above do not read as citing a point
# is an error only when it plainly has none: no sentence of it (outside those about the
# writer's own experience) has two words, written in lower case (names, the role's title,
# the company and the start of a sentence are capitalised), that are not what any note says
# whatever was discussed. "How your team moved the billing service off the monolith" has
# four; "It was a pleasure to meet you and the team" has none.
_STOCK = frozenset(
    (
        "dear", "hello", "hey", "regards", "best", "wishes", "sincerely", "yours", "cheers",
        "warmly", "warm", "kind", "kindly", "faithfully", "truly", "respectfully", "again",
        "once", "taking", "take", "took", "taken", "spend", "spending", "spent", "give",
        "giving", "gave", "given", "inviting", "invite", "invited", "invitation", "met",
        "pleasure", "honour", "honor", "privilege", "enjoy", "enjoyed", "enjoyable", "loved",
        "love", "liked", "like", "hope", "hoping", "hopefully", "soon", "forward", "look",
        "looking", "looks", "keep", "kept", "touch", "remain", "still", "interested",
        "interest", "consideration", "consider", "minutes", "hour", "hours", "week", "weeks",
        "month", "months", "last", "earlier", "later", "well", "glad", "happy", "pleased",
        "nice", "lovely", "fun", "excellent", "enjoying", "eager", "keen", "thrilled",
        "delighted", "enthusiastic", "enthusiasm", "excitement", "passion", "passionate",
        "motivated", "would", "could", "should", "will", "can", "shall", "might", "must",
        "bring", "bringing", "add", "adding", "value", "fit", "strong", "confident",
        "confidence", "believe", "think", "thinking", "feel", "feeling", "sure", "certain",
        "genuinely", "especially", "particularly", "truly", "always", "everything", "anything",
        "something", "nothing", "appreciate", "appreciated", "thank", "thanks", "thankful",
        "grateful", "gratitude", "chatted", "talked", "spoke", "discussed", "interviewed",
        "speak", "spoken", "know", "knowing", "let", "need", "else", "further", "reach",
        "contact", "free", "please", "hesitate", "available", "availability", "provide",
        "help", "helpful", "useful", "insightful", "informative", "thoughtful", "generous",
        "welcome", "welcoming", "welcomed", "hospitality", "rest", "whole", "entire", "news",
        "decision", "timeline", "update", "updates", "wait", "waiting", "back", "get",
        "getting", "got", "make", "making", "made", "see", "seeing", "saw", "meeting",
        "possible", "possibly", "opportunity", "opportunities", "excited", "exciting",
        "role", "roles", "potential", "potentially", "part", "being", "become", "becoming",
        "member", "members", "hired", "hire", "contribution", "contributions", "success",
        "successful", "forward", "appreciation", "continue", "continued", "continuing",
        "stay", "staying", "again", "inspiring", "inspired", "inspiration", "energising",
        "energizing", "pleasant", "enjoyed", "valuable", "clear", "clearer", "understanding",
        "understand", "sense", "idea", "ideas", "hearing", "learned", "learnt", "able",
        "ready", "start", "starting", "help", "helping", "want", "wanted", "wanting", "wish",
        "writing", "write", "note", "email", "mail", "message", "reply", "respond",
        "response", "answer", "quick", "short", "brief", "little", "bit", "way", "ways",
        "such", "own", "other", "others", "each", "every", "both", "many", "most", "one",
        "not", "had", "has", "have", "did", "does", "done", "will", "was", "were", "than",
        "then", "too", "yet", "only", "even", "ever", "here", "where", "when", "which",
        "who", "whom", "why", "whether", "while", "after", "before", "since", "until",
        "again", "ahead", "along", "around", "above", "below", "between", "through",
        "throughout", "during", "within", "without", "across", "behind", "beyond", "upon",
        "like", "regarding", "concerning", "towards", "toward", "per", "via", "can't",
        "don", "didn", "won", "isn", "wasn", "aren", "couldn", "wouldn", "shouldn",
        "absolutely", "certainly", "definitely", "incredibly", "extremely", "highly",
        "deeply", "greatly", "sincerely", "warmly", "personally", "professionally",
        "currently", "recently", "soon", "shortly", "today's", "tomorrow", "tonight",
        "sketch", "tackle", "approach", "outline", "share", "sharing", "shared", "ask",
        "asking", "expect", "expected", "expecting", "decide", "deciding", "tell", "roughly",
        "approximately", "timing", "timeframe", "hiring", "wanted",
        "able", "opportunity's", "considering", "consideration", "candidate", "candidates",
        "applicant", "position", "positions", "jobs", "openings", "roles", "titles", "title",
    )
)  # fmt: skip


_CONCRETE = 2  # words; one ("the new warehouse") is too little to tell a point from filler


def _plainly_no_point(note: _Note) -> bool:
    """No sentence of the body says anything concrete (see _STOCK)."""
    body = note.content.partition("\n\n")[2]
    tokens = _Tokens(body)
    skip = {start for start, _ in tokens.find(_SKILL_PHRASE)}
    ignore = _STOCK | _GENERIC | _STOPWORDS | _GRATITUDE
    concrete: set[str] = set()
    about_me = False
    for i, word in enumerate(tokens.words):
        if i and any(c in ".!?\n;:" for c in body[tokens.ends[i - 1] : tokens.starts[i]]):
            if len(concrete) >= _CONCRETE and not about_me:
                return False
            concrete, about_me = set(), False
        about_me = about_me or tokens.starts[i] in skip
        written = body[tokens.starts[i] : tokens.ends[i]]
        if (
            len(word) >= 3
            and written.islower()
            and word.isalpha()
            and word not in ignore
            and _stem(word) not in ignore
            and word not in _ENTHUSIASM
        ):
            concrete.add(_stem(word))
    return not (len(concrete) >= _CONCRETE and not about_me)


_OPENERS = frozenset(("discuss", "discussed", "discussing", "meet", "meeting"))
_CLOSING = frozenset(("the", "next", "steps", "step", "stage", "stages", "from", "you", "soon"))


def _thanked(tokens: _Tokens) -> list[bool]:
    """For each word: a word of thanks comes before it in its sentence."""
    flags: list[bool] = []
    seen = False
    for i, word in enumerate(tokens.words):
        if i and any(c in ".!?\n" for c in tokens.text[tokens.ends[i - 1] : tokens.starts[i]]):
            seen = False
        flags.append(seen)
        seen = seen or word in _GRATITUDE
    return flags


_JOB_NOUNS = frozenset(("role", "position", "job", "opening", "vacancy", "post", "opportunity"))


def _enthusiasm(note: _Note) -> list[str]:
    if note.content_tokens.has(_ENTHUSIASM):
        return []
    return ["no enthusiasm for the role: say you are keen or look forward to it"]


def _skill(note: _Note) -> list[str]:
    if note.context.kind != NoteKind.THANK_YOU:
        return []
    skill = (note.context.skill or "").strip()
    if skill:
        if note.words.mentions(skill):
            return []
        return [
            f"the thank-you does not mention your relevant skill: {_snippet(skill, 60)}"
            " (or record another: followup debrief"
            f' {note.context.interview_id or "ID"} --skill "…")'
        ]
    if note.content_tokens.has(_SKILL_PHRASE):
        return []
    interview = note.context.interview_id or "ID"
    return [
        'no relevant skill mentioned: write "bring my experience in …", or record the skill'
        f' (followup debrief {interview} --skill "…") and draft again'
    ]


def _too_long(note: _Note) -> list[tuple[Severity, str]]:
    found: list[tuple[Severity, str]] = []
    kind = note.context.kind
    limit = WORD_LIMITS.get(kind, DEFAULT_WORD_LIMIT) if kind else DEFAULT_WORD_LIMIT
    what = f"this {kind} note" if kind else "a note"
    count = _word_count(note.unsigned)
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
    return [
        f"unfilled placeholder{plural}: {_quote_all(note.placeholders)}:"
        " write what you mean in its place"
    ]


def _pushy(note: _Note) -> list[str]:
    polite = _polite_questions(note.tokens)
    spans = [span for span in note.tokens.find(_PUSHY) if span[0] not in polite]
    spans = sorted(spans + _bangs(note.text))
    hits = [note.text[start:end] for start, end in spans]
    hits += _shouting(note)
    if not hits:
        return []
    return [f"pushy or desperate phrasing: {_quote_all(hits)}"]


def _polite_questions(tokens: _Tokens) -> frozenset[int]:
    """Where "any update" starts in "is there any update on …": a question, not a push."""
    return frozenset(
        tokens.starts[i]
        for i in range(2, len(tokens.words))
        if tokens.words[i] == "any"
        and (
            (tokens.words[i - 2], tokens.words[i - 1]) in _POLITE_BEFORE
            or tokens.words[i - 1] == "welcome"  # "I would welcome any news"
        )
    )


def _ultimatum(note: _Note) -> list[str]:
    hits = [note.text[start:end] for start, end in note.tokens.find(_ULTIMATUM)]
    if not hits:
        return []
    return [f"pressure on the employer: {_quote_all(hits)}: leave out offers and deadlines"]


def _slang(note: _Note) -> list[str]:
    if note.context.tone != Tone.FORMAL:
        return []
    known = _context_words(note.context)  # "Epic" the skill, "Rad" the company
    hits = [
        note.text[start:end]
        for start, end in note.tokens.find(_SLANG)
        if _fold(note.text[start:end]) not in known
    ]
    if not hits:
        return []
    return [f"slang for a formal (corporate) culture: {_quote_all(hits)}: say it plainly"]


def _unsigned(note: _Note) -> list[str]:
    """The last line is a sign-off with no name after it ("Best regards," and nothing)."""
    lines = [line.strip() for line in note.body.splitlines() if line.strip()]
    if len(lines) < 2:
        return []
    last = lines[-1]
    if not (last.endswith(",") or _fold(last).rstrip(".!").strip() in _SIGN_OFFS):
        return []
    return [
        f'the note ends with "{_snippet(last)}" and no name: sign it'
        ' (followup config set user.name "Your Name")'
    ]


def _bad_greeting(note: _Note) -> list[tuple[Severity, str]]:
    """A greeting line that greets something other than a name or a neutral form (a
    placeholder there is the placeholder rule's); "Dear Sir," to someone whose name is known
    (a warning); a title that is not theirs ("Dear Mr. Okafor," to Dr. Okafor)."""
    body = note.content.partition("\n")[2]
    line = next((line.strip() for line in body.splitlines() if line.strip()), "")
    drafted = note.context.greeting
    if drafted is not None and line == drafted.line:
        return []  # the form of address the user chose for this person
    person = parse_name(note.context.recipient_name)
    if _stock_greeting(line):
        if not person.known:
            return []  # nobody's name is known: a neutral form is right
        named = greet(person, note.context.tone or Tone.FORMAL).line
        return [(_W, f'"{_snippet(line, 40)}" for {person.full}: greet them by name: "{named}"')]
    return [(_E, message) for message in _greeting_shape(line, person.title)]


def _stock_greeting(line: str) -> bool:
    """ "Dear Sir,", "Dear Sir or Madam,", "Dear Sir/Madam,", "To whom it may concern,"."""
    words = _tokens(_fold(line))
    if words[:5] == ["to", "whom", "it", "may", "concern"]:
        return True
    return (
        len(words) >= 2
        and words[0] == "dear"
        and words[1] in _SIR
        and all(w in _SIR or w in ("or", "and") for w in words[2:])
    )


_SIR = frozenset(("sir", "sirs", "madam", "madame", "madams"))


def _greeting_shape(line: str, their_title: str) -> list[str]:
    first = _WORD_RUN.match(line)
    if first is None or _fold(first.group()) not in _GREETINGS:
        return []
    rest = line[first.end() :]
    addressed, comma, after = rest.partition(",")
    addressed = addressed.strip()
    shown = _snippet(line, 40)
    if not addressed:
        return (
            [f'"{shown}": a greeting with no name: greet them by name, or "Hello,"']
            if comma and after.strip().startswith(",")
            else []
        )
    words = addressed.split()
    folded = _fold(addressed).rstrip(".")
    if folded in _TITLES:
        return [f'"{shown}": a title with no name: "Dear Dr. Okafor," or "Hello,"']
    if after.startswith(",") or after.lstrip().startswith(","):
        return [f'"{shown}": doubled punctuation after the name']
    if any(c in addressed for c in "@_") or any(
        "." in w.strip(".") or any(ch.isdigit() for ch in w) for w in words
    ):
        return [f'"{shown}": greets an address, not a name: write their name']
    tail = after.strip()
    if tail.endswith(",") and 0 < len(tail[:-1].split()) <= 2 and tail[:1].isupper():
        return [f'"{shown}": a name written "Last, First": greet "{tail[:-1].strip()}" or by title']
    title = canonical_title(words[0]) if len(words) > 1 else None
    name = words[1] if title else words[0]
    if (
        (name[:1].islower() or (title is not None and words[0][:1].islower()))
        and _fold(name) not in _NOT_A_NAME
        and _fold(name) not in _PARTICLES
    ):
        capitals = " ".join(
            w if _fold(w) in _PARTICLES else w[:1].upper() + w[1:] for w in line.split()
        )
        return [f'"{shown}": the name is not capitalised: "{_snippet(capitals, 40)}"']
    if title and their_title and title not in their_title.split():
        return [f'"{shown}": they are {their_title} {name}, not {title} {name}']
    return []


_PARTICLES = frozenset(
    ("van", "von", "der", "den", "de", "da", "di", "du", "le", "la", "del", "bin", "al")
)


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
    return frozenset(w for t in [*texts, *context.topics] for w in _tokens(_fold(t)))


def _duplicate(note: _Note) -> list[str]:
    """Word-level difflib ratio >= DUPLICATE_RATIO, unless this note cites a debriefed topic
    the other does not: that is what makes a panel's notes distinct (the issue's own test)."""
    mine = _tokens(_fold(note.unsigned))[:_MAX_COMPARED_WORDS]
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
        theirs = _tokens(_fold(own))[:_MAX_COMPARED_WORDS]
        if not theirs or not _may_be_alike(mine, theirs):
            continue
        from difflib import SequenceMatcher  # ~2 ms to import: only for notes that may be alike

        ratio = SequenceMatcher(None, mine, theirs, autojunk=False).ratio()
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


def _may_be_alike(a: list[str], b: list[str]) -> bool:
    """difflib's quick upper bounds of the ratio reach DUPLICATE_RATIO, in its own arithmetic:
    real_quick_ratio (the lengths), then quick_ratio (the words the two share, as multisets)."""
    total = len(a) + len(b)
    if 2.0 * min(len(a), len(b)) / total < DUPLICATE_RATIO:
        return False
    return 2.0 * sum((Counter(a) & Counter(b)).values()) / total >= DUPLICATE_RATIO


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


def _no_name(note: _Note) -> list[str]:
    """The drafted greeting is the fallback for a recipient whose name is not known (an
    address only, domain/names.py): ask for the name. A greeting the user wrote is theirs."""
    greeting = note.context.greeting
    if greeting is None or greeting.named or note.context.recipient_name is None:
        return []
    first_line = next((line for line in note.body.splitlines() if line.strip()), "")
    if first_line.strip() != greeting.line:
        return []
    interview = note.context.interview_id or "ID"
    return [
        f'"{greeting.line}" names nobody: only their address is known; say how to greet them'
        f' (followup debrief {interview} --interviewer EMAIL --greeting "Ms. Lin")'
    ]


def _wrong_person(note: _Note, misspelt: set[str]) -> list[str]:
    recipient = note.context.recipient_name or ""
    parts = [_fold(p) for p in _NAME_TOKEN.findall(_normalize(recipient))]
    if not parts:
        return []
    first_line = next((line for line in note.body.splitlines() if line.strip()), "")
    if note.context.greeting and first_line.strip() == note.context.greeting.line:
        return []  # "Hi Maggie," as the user asked for Margaret Chen to be greeted
    greeting = _greeting(first_line)
    if greeting is None or any(p in first_line for p in note.placeholders):
        return []  # "Dear INSERT NAME HERE," is the placeholder rule's
    name, titled = greeting
    folded = _fold(name)
    if not name[:1].isupper() or folded in _NOT_A_NAME or folded in _TITLES:
        return []  # a title with no name is the greeting rule's
    if folded in note.company_words or folded in misspelt:  # "Hi Acme team"
        return []
    if titled and len(parts) == 1:
        return []  # "Dear Ms. Lovelace" to someone known only as "Ada": cannot tell
    for part in parts:
        if folded == part or (len(folded) >= 3 and part.startswith(folded)):
            return []
    greeted = _snippet(first_line.strip(), 40)
    return [f'the greeting "{greeted}" names {name}, but this note is for {_snippet(recipient)}']


def _tone_clash(note: _Note) -> list[str]:
    tone = note.context.tone
    if tone == Tone.FORMAL:
        spans = note.tokens.find(_CASUAL) + _symbols(note.text)
        what = "casual words for a formal (corporate) culture"
    elif tone == Tone.CASUAL:
        spans = note.tokens.find(_STIFF) + _i_remain(note.tokens)
        what = "stiff formulas for a casual (startup) culture"
    else:
        return []
    hits = [note.text[start:end] for start, end in sorted(spans)]
    return [f"{what}: {_quote_all(hits)}"] if hits else []


def _negative(note: _Note) -> list[str]:
    hits = [note.text[start:end] for start, end in note.tokens.find(_NEGATIVE)]
    return [f"negative or apologetic phrasing: {_quote_all(hits)}"] if hits else []


def _unpaid_work(note: _Note) -> list[str]:
    """An offer to make something they did not ask for (a proposal, a prototype, a 30-60-90
    plan): work given away before an offer. Past work ("I built a prototype") is not one.
    One pass over the words (a pasted text may hold 100,000 of them)."""
    tokens = note.content_tokens
    words = tokens.words
    if _WORK_PRODUCTS.isdisjoint(words):
        return []
    sentence_of: list[int] = []  # the index of the first word of each word's sentence
    first_make: dict[int, int] = {}  # by sentence: its first verb of making
    first_employee: dict[int, int] = {}  # by sentence: its first "join", "help", "once" …
    sentence = 0
    for i, word in enumerate(words):
        if i and any(c in ".!?\n" for c in tokens.text[tokens.ends[i - 1] : tokens.starts[i]]):
            sentence = i
        sentence_of.append(sentence)
        if word in _MAKE:
            first_make.setdefault(sentence, i)
        if word in _AS_EMPLOYEE:
            first_employee.setdefault(sentence, i)
    index = {start: i for i, start in enumerate(tokens.starts)}
    free = {sentence_of[index[start]] for start, _ in tokens.find(_FREE) if start in index}
    hits: list[str] = []
    for i, word in enumerate(words):
        if word not in _WORK_PRODUCTS:
            continue
        first = sentence_of[i]
        if first_employee.get(first, i) < i:
            continue  # "I'd love to help build the roadmap": the job itself
        start = _offer_before(words, first, i)
        if start is None and first in free and first_make.get(first, i) < i:
            start = first_make[first]
        if start is not None:
            hits.append(tokens.text[tokens.starts[start] : tokens.ends[i]])
    if not hits:
        return []
    return [
        f"offers work they did not ask for: {_quote_all(hits)}: leave it out (point to what"
        " you have already done), unless they asked for it"
    ]


def _offer_before(words: list[str], first: int, at: int) -> int | None:
    """Where "to put together a full" starts before the product at `at`: a verb of making
    right after "to", "can", "'ll" …, an offer ("happy", "could" …) just before it."""
    for j in range(max(first, at - 6), at):
        if words[j] not in _MAKE or j == first or words[j - 1] not in _BEFORE_MAKE:
            continue
        if any(w in _OFFER for w in words[max(first, j - 5) : j]):
            return j
    return None


def _giving_up(note: _Note) -> list[str]:
    hits = [note.text[start:end] for start, end in note.content_tokens.find(_GIVING_UP)]
    if not hits:
        return []
    return [
        f"concedes instead of keeping the door open: {_quote_all(hits)}: say you remain"
        " interested and would be glad to hear from them"
    ]


_CHECKS = (
    ("no-gratitude", _gratitude),
    ("no-enthusiasm", _enthusiasm),
    ("no-skill", _skill),
    ("placeholder", _placeholder),
    ("pushy", _pushy),
    ("ultimatum", _ultimatum),
    ("slang-in-formal", _slang),
    ("unsigned", _unsigned),
    ("no-name", _no_name),
    ("duplicate", _duplicate),
    ("wrong-name", _wrong_name),
    ("tone-clash", _tone_clash),
    ("negative", _negative),
    ("unpaid-work", _unpaid_work),
    ("giving-up", _giving_up),
)
_SEVERITY = {rule.id: rule.severity for rule in RULES}


NO_CONTEXT = NoteContext()  # nothing known beyond the text


def lint(subject: str, body: str, context: NoteContext = NO_CONTEXT) -> list[Finding]:
    """Every finding for a note, errors first, in RULES order."""
    note = _Note(subject, body, context)
    findings = [Finding("too-long", severity, message) for severity, message in _too_long(note)]
    findings += [
        Finding("greeting", severity, message) for severity, message in _bad_greeting(note)
    ]
    findings += [Finding(r, _SEVERITY[r], message) for r, message in _specific_point(note)]
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
