"""Reading a note's text: normalisation, words, a light stemmer, fuzzy mentions, quoted
lines and signatures, and the phrase lists' matcher (`_phrases`, `_Tokens`)."""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

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
