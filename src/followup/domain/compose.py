"""What a note must contain, and which tone fits the company — pure, no templates engine.

The article: "Express gratitude for the opportunity, highlight a key point from your
discussion that excited you, and gently reiterate your enthusiasm", bring in "your
experience in [relevant skill]", keep it brief and positive, and "tailor your follow-up
approach based on the company culture: in a formal corporate environment a more traditional
follow-up email, in a startup a more casual tone".
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Sequence
from datetime import date
from typing import NamedTuple

from followup.domain.model import Culture, Tone
from followup.domain.names import Greeting, PersonName, casual_address, greet, parse_name

_TONE_FOR_CULTURE = {
    Culture.CORPORATE: Tone.FORMAL,
    Culture.STARTUP: Tone.CASUAL,
    Culture.OTHER: Tone.NEUTRAL,
}


def choose_tone(culture: Culture, override: str | None = None) -> tuple[Tone, str]:
    """The tone for a company, and the reason shown beside every draft."""
    if override:
        tone = Tone(override)
        return tone, f"{tone.value}: chosen by you for this application"
    tone = _TONE_FOR_CULTURE[culture]
    if culture is Culture.OTHER:
        return tone, "neutral: culture unknown (followup edit ID --culture corporate|startup)"
    return tone, f"{tone.value}: the company's culture is {culture.value}"


class NoteFacts(NamedTuple):
    """Everything a note may say, for one recipient and one step."""

    kind: str  # the policy's name for the step
    tone: Tone
    company: str
    role: str
    recipient_name: str | None = None  # as stored; None: no recipient at all
    recipient_email: str | None = None  # tells a name from the address's local part
    greet_as: str | None = None  # the user's own form of address ("Ms. Chen")
    topic: str | None = None  # the specific point: this person's, else the interview's
    skill: str | None = None
    news: str | None = None  # something new to add in a later note (the debrief's note)
    sender: str | None = None
    first_subject: str | None = None  # the thank-you's subject: later notes reply to it
    variant: int = 0  # which of the templates' phrasings (see `phrasing`)
    colleagues: bool = False  # a panel, or a later round: more people than the recipient
    promised: date | None = None  # the decision date they gave (`debrief --promised-by`)


def greeting_for(
    tone: Tone, name: str | None, email: str | None = None, greet_as: str | None = None
) -> Greeting:
    """The greeting of a note to the person stored as `name` <`email`> (None: nobody)."""
    person = None if name is None else parse_name(name, email)
    return greet(person, tone, greet_as)


def template_variables(facts: NoteFacts) -> dict[str, str]:
    """The names a template may use (documented in docs/templates.md); never None."""
    news = clean(facts.news or "")
    skill = skill_as_written(facts.skill or "")
    news_is_sentence = is_sentence(news)
    person = None
    if facts.recipient_name is not None:
        person = parse_name(facts.recipient_name, facts.recipient_email)
    variables = {
        "greeting": greet(person, facts.tone, facts.greet_as).line,
        "company": company_name(facts.company),
        "role": role_name(facts.role),
        "name": person.full if person else "",
        "first_name": casual_address(person) if person else "",
        "topic": _to_the_recipient(
            noun_phrase(
                _company_cased(tech_cased(facts.topic or ""), facts.company), facts.company
            ),
            person,
        ),
        "skill": skill,
        "skill_phrase": skill_phrase(skill),
        "news": news,
        "news_sentence": as_sentence(news) if news_is_sentence else "",
        "news_item": "" if news_is_sentence else lowercase_start(news.rstrip(_STOPS)),
        "sender": facts.sender or "",
        "first_subject": facts.first_subject or "",
        "colleagues": "yes" if facts.colleagues else "",
        "promised": f"{facts.promised.day} {facts.promised:%B}" if facts.promised else "",
        "kind": facts.kind,
        "tone": facts.tone.value,
    }
    for part, choice in zip(("opening", "middle", "signoff"), parts(facts.variant), strict=True):
        for i, letter in enumerate("abcd"):
            variables[f"{part}_{letter}"] = "yes" if choice == i else ""
    for letter in "abc":  # what templates written for one choice per note still use
        variables[f"variant_{letter}"] = variables[f"opening_{letter}"]
    return variables


# --- phrasing and grammar -----------------------------------------------------------------
#
# The built-in templates write each part of a note in several ways: the opening (four: the
# thanks and the specific point, and a follow-up's news), the middle (four: the enthusiasm
# with the skill, or a follow-up's question) and the sign-off (four). `phrasing` picks a
# combination per interviewer and step and `parts` splits it: a panel's notes differ in
# structure, not in one phrase, and the same note always reads the same. Topics and
# notes typed in a debrief are inserted with the helpers below: an article where a noun
# phrase needs one, the user's own sentence kept as a sentence, no doubled punctuation, and
# nothing glued to the end of a URL.

OPENINGS, MIDDLES, SIGNOFFS = 4, 4, 4  # ways to write each part
# The parts of the phrasings a panel's people get, in panel order (before the note's own
# offset, below): any two differ in at least two parts, and the first four in all three, so
# that a panel of up to four shares no paragraph, not even an opening that differs only in
# the topic it cites (a cold trial, session 12: with three openings the fourth panellist
# read the first one's). Found by search.
_PANEL_PARTS = (
    (0, 0, 0), (1, 1, 1), (2, 2, 2), (3, 3, 3), (0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0),
    (2, 0, 1),
)  # fmt: skip
PHRASINGS = len(_PANEL_PARTS)  # panellists who get pairwise different phrasings


def phrasing(key: str, position: int, turn: int = 0) -> int:
    """The phrasing for the person at `position` of a panel (0 for the first) in a note
    identified by `key`: the panel's row of parts, each turned by an offset from a stable
    hash of `key` (not Python's salted `hash`), so that the same note always reads the same
    and a panel of up to PHRASINGS people gets as many different ones. `turn` (a later
    round's: 1 for the second) turns every part once more, so that the same person thanked
    again in the next round reads another opening, middle and sign-off."""
    seed = zlib.crc32(key.encode("utf-8", "surrogatepass"))
    opening, middle, signoff = _PANEL_PARTS[position % PHRASINGS]
    opening = (opening + seed + turn) % OPENINGS
    middle = (middle + seed // OPENINGS + turn) % MIDDLES
    signoff = (signoff + seed // (OPENINGS * MIDDLES) + turn) % SIGNOFFS
    return opening + OPENINGS * (middle + MIDDLES * signoff)


def parts(variant: int) -> tuple[int, int, int]:
    """The opening (0-3), middle (0-3) and sign-off (0-3) of phrasing `variant`."""
    opening, rest = variant % OPENINGS, variant // OPENINGS
    return opening, rest % MIDDLES, rest // MIDDLES % SIGNOFFS


_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
_STOPS = ".,;:!?… "  # what ends a phrase typed in a debrief: stripped before it is inserted
_URL_TAIL = ".,;:!?"  # marks a reader (and most linkers) take into a URL they follow
_PUNCTUATION_RUN = re.compile(r"([.,;:!?])[.,;:!?]+")
# An initial's (or a company suffix's) stop before a comma, a colon or a semicolon is no
# doubled mark: "Hi A. K.," keeps both, as do "the U.S., Canada", "the U.S.: it's" and
# "Acme Inc., I".
_ABBREVIATION = r"(?:(?<![^\W\d_])[^\W\d_]|\b(?:Inc|Corp|Ltd|Co|Jr|Sr|Bros|St))\."
_INITIAL_COMMA = re.compile(rf"({_ABBREVIATION}[,;:])")
# ... inside a phrase typed in a debrief: only before more words ("the U.S., Canada"), not at
# its end, where the template's own mark follows ("a.," + "." would be doubled)
_INITIAL_COMMA_INSIDE = re.compile(rf"({_ABBREVIATION}[,;:])(?=\s+\S)")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?])(?=\s|$)")
_PREPOSITIONS = frozenset(("about", "on", "in", "with", "for", "to", "from", "of", "at", "by"))
# Words after which a noun phrase needs no article: determiners, possessives, quantifiers,
# pronouns, question words and prepositions ("how you scale", "our roadmap", "about pricing").
_NO_ARTICLE = frozenset(
    (
        "a", "an", "the", "this", "that", "these", "those", "my", "your", "our", "their",
        "his", "her", "its", "some", "any", "each", "every", "all", "both", "no", "many",
        "much", "more", "most", "several", "few", "one", "two", "three", "how", "why", "what",
        "when", "where", "who", "which", "whether", "if", "you", "we", "they", "it", "i",
        "over", "another", "other", "such", *_PREPOSITIONS,
    )
)  # fmt: skip
# The first words of a note typed as a sentence ("I sketched a plan", "We shipped it").
_SENTENCE_STARTS = frozenset(
    (
        "i", "i've", "i'm", "i'd", "i'll", "we", "we've", "we're", "we'd", "since", "after",
        "here", "here's", "attached", "it", "it's", "there", "there's", "thanks", "thank",
        "hope",
    )
)  # fmt: skip


def clean(text: str) -> str:
    """Text typed in a debrief, on one line: whitespace runs made one space, a run of
    punctuation made one mark ("great!!" -> "great!") and none at the start, URLs left
    exactly as typed; text with no word in it is no text."""
    flat = " ".join(text.split())
    if not any(c.isalnum() for c in flat):
        return ""  # only marks: nothing to insert
    text = _outside_urls(flat, _squash).strip()
    start = 0
    while start < len(text) and text[start] in _STOPS + "\u2026":
        if text[start] == "." and text[start + 1 : start + 2].isalnum():
            break  # ".NET", ".env": the stop is the name's own
        start += 1
    return text[start:]


def _squash(text: str) -> str:
    text = text.replace("...", "\u2026")  # an ellipsis is one mark, not three stops
    # an initial's stop keeps its comma: "the U.S., Canada and Mexico" stays a list
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", _single_marks(text, _INITIAL_COMMA_INSIDE))


def _single_marks(text: str, initials: re.Pattern[str] = _INITIAL_COMMA) -> str:
    """`text` with each run of marks made its first, except an initial's stop and comma."""
    pieces = initials.split(text)  # every other piece: an initial, its stop, its mark
    return "".join(
        piece if i % 2 else _PUNCTUATION_RUN.sub(r"\1", piece) for i, piece in enumerate(pieces)
    )


def _outside_urls(text: str, fix: Callable[[str], str]) -> str:
    pieces, done = [], 0
    for match in _URL.finditer(text):
        pieces += [fix(text[done : match.start()]), match.group()]
        done = match.end()
    return "".join([*pieces, fix(text[done:])])


# A company typed all in lower case ("acme corp") is written in a note as a name is; its
# legal form as the company writes it. A name with any capital is as typed ("eBay").
_LEGAL_FORMS = {
    "inc": "Inc", "inc.": "Inc.", "corp": "Corp", "corp.": "Corp.", "co": "Co", "co.": "Co.",
    "ltd": "Ltd", "ltd.": "Ltd.", "llc": "LLC", "llp": "LLP", "plc": "plc", "gmbh": "GmbH",
    "ag": "AG", "kg": "KG", "se": "SE", "sa": "SA", "sas": "SAS", "sarl": "SARL", "bv": "BV",
    "b.v.": "B.V.", "nv": "NV", "spa": "SpA", "ab": "AB", "as": "AS", "oy": "Oy",
}  # fmt: skip
_NAME_PARTICLES = frozenset(("of", "and", "the", "for", "de", "la", "le", "du", "van", "von"))


def company_name(company: str) -> str:
    """The company as a note writes it: as typed, unless typed all in lower case —
    "acme corp" -> "Acme Corp", "bank of america" -> "Bank of America", "mcdonald's" ->
    "McDonald's", a well-known name as it is written ("ebay" -> "eBay") and initials in
    capitals ("kpmg", "at&t", "j.p.", a one-word name of three letters: "ibm"); a web
    address's name ("monday.com") and a word with a digit ("23andme") stay as typed."""
    if any(c.isupper() for c in company):
        return company
    words = company.split(" ")
    alone = len([w for w in words if w]) == 1
    out = []
    for at, word in enumerate(words):
        bare = word.rstrip(".,")
        if at and word in _LEGAL_FORMS:
            out.append(_LEGAL_FORMS[word])
        elif bare in _WRITTEN_NAMES:
            out.append(_WRITTEN_NAMES[bare] + word[len(bare) :])
        elif _as_typed(word, at):
            out.append(word)
        elif _initials(bare, alone):
            out.append(word.upper())
        else:
            out.append(_capitalised(word))
    return " ".join(out)


def _company_cased(text: str, company: str) -> str:
    """The company's lower-case name in a topic written as the note writes the company
    ("the ibm cloud roadmap" -> "the IBM cloud roadmap"): one spelling in one note."""
    written = company_name(company)
    if not company or written == company:
        return text
    return re.sub(rf"(?<![\w.-]){re.escape(company)}(?![\w-])", written, text)


def _capitalised(word: str) -> str:
    """ "o'reilly" -> "O'Reilly", "jerry's" -> "Jerry's", "mckinsey" -> "McKinsey"."""
    if word.startswith("mc") and len(word) > 3 and word[2:3].isalpha():
        return "Mc" + _capitalised(word[2:])
    return re.sub(r"(?<=[-&'\u2019])[a-z](?=[a-z])", lambda m: m.group().upper(), word.capitalize())


# Companies whose own spelling a capital at the start would not give ("ebay" -> "eBay"), and
# initials that hold a vowel ("ibm"): the best-known few; any other is typed as written.
_WRITTEN_NAMES = {
    name.casefold(): name
    for name in (
        "eBay", "PayPal", "LinkedIn", "YouTube", "GitHub", "GitLab", "HubSpot", "PwC",
        "JPMorgan", "BlackRock", "FedEx", "DoorDash", "DeepMind", "OpenAI", "WhatsApp",
        "TikTok", "ByteDance", "SpaceX", "PepsiCo", "AstraZeneca", "GlaxoSmithKline",
        "ExxonMobil", "MongoDB", "ServiceNow", "SoundCloud", "WordPress", "IKEA", "SAP",
        "IBM", "BMW", "ING", "UPS", "NASA", "UCLA", "MIT", "ASML", "AIG", "AXA", "ABB",
        "UBS", "USAA", "Kia", "Arm", "Oyj",
    )
}  # fmt: skip


def _as_typed(word: str, at: int) -> bool:
    """A word of a lower-case company name that stays so: a particle after the first word,
    a web address ("monday.com"), a word with a digit ("23andme") or not a letter first."""
    return (
        (at > 0 and word in _NAME_PARTICLES)
        or not word[:1].isalpha()
        or any(c.isdigit() for c in word)
        or re.search(r"\.[a-z]{2,}$", word) is not None
    )


# Short words a company's name is made of that are words, not initials ("The Gap", "Box"),
# and the abbreviations of a title ("Dr. Oetker", "Mr. Cooper").
_SHORT_WORDS = frozenset(
    ("box", "gap", "sky", "one", "two", "ace", "red", "fox", "bee", "zoo", "sun", "air", "new",
     "art", "net", "web", "dr", "mr", "mrs", "ms", "st", "jr", "sr", "the")
)  # fmt: skip


def _initials(word: str, alone: bool) -> bool:
    """A lower-case word of a company's name that is its initials: letters around "&"
    ("at&t", "p&g"), letters with stops ("j.p."), no vowel at all ("kpmg", "hsbc"), or a
    name of one word of three letters or fewer ("ey", "abc")."""
    if word in _NAME_PARTICLES or word in _SHORT_WORDS:
        return False
    if "&" in word:
        return len(word) <= 5
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]?", word):
        return True
    return word.isalpha() and ((alone and len(word) <= 3) or not set(word) & set("aeiouy"))


# Technologies a debrief types in lower case ("python and postgresql", "the kafka migration")
# as their makers write them: only names no English word shares ("go", "rust", "react",
# "spark", "rest" and "snowflake" are left as typed in a topic; a skill: _SKILL_NAMES).
_TECH_NAMES = {
    name.casefold(): name
    for name in (
        "Python", "JavaScript", "TypeScript", "Java", "Kotlin", "Scala", "Haskell", "Elixir",
        "Erlang", "Clojure", "PHP", "Perl", "Fortran", "COBOL", "MATLAB", "PostgreSQL",
        "Postgres", "MySQL", "SQLite", "MongoDB", "Redis", "Kafka", "RabbitMQ", "Elasticsearch",
        "Cassandra", "DynamoDB", "BigQuery", "Kubernetes", "Docker", "Terraform", "Ansible",
        "Jenkins", "AWS", "GCP", "Azure", "SQL", "NoSQL", "GraphQL", "HTML", "CSS", "API",
        "APIs", "Linux", "Django", "FastAPI", "Node.js", "Next.js", "Vue.js", "React.js",
        "TensorFlow", "PyTorch", "NumPy", "scikit-learn", "Hadoop", "dbt", "Salesforce", "SAP",
        "Jira", "Figma", "GitHub", "GitLab", "iOS", "Android", "CI/CD", "DevOps", "MLOps",
        "ETL", "ML", "AI", "LLM", "LLMs", "NLP", "SaaS", "B2B", "B2C", "KPI", "KPIs", "OKR",
        "OKRs", "CRM", "ERP", "UX", "UI", "QA", "SEO", "SRE", "gRPC", "JSON", "XML", "OAuth",
        "LaTeX", "WordPress", "Shopify", "HubSpot", "Databricks", "PowerPoint",
        "macOS", "C++", "C#", "SDK", "DAG", "DAGs", "GPT", "Looker", "VP", "SVP", "EVP", "CEO",
        "CTO", "CFO", "COO", "CMO", "CIO", "CISO", "HR", "RN", "LPN", "CNA", "ICU", "SMB",
        "II", "III", "SwiftUI", "CI", "CD",
    )
}  # fmt: skip
_TECH_WORD = re.compile(r"(?<![\w./-])[a-z][a-z0-9.+#/-]*[a-z0-9+#]|(?<![\w./-])[a-z]\b")


# In the skill ("my experience in …") a word is a skill: these names are read as such there
# ("rust" is Rust), never in a topic ("rust on the rails"). Not "chef", "spring" or
# "puppet": a cook's "sous chef experience", "spring rolls" (a cold trial, session 16).
_SKILL_NAMES = {
    name.casefold(): name
    for name in (
        "Go", "Rust", "React", "Swift", "Spark", "Ruby", "Rails", "R", "Julia", "Excel",
        "Flutter", "Angular", "Vue", "Dart", "Lua", "Tableau", "Airflow",
        "Snowflake", "REST", "Flask", "Unity", "Hive", "Ionic",
    )
} | {"node": "Node.js"}  # fmt: skip
# Names of several words, read before the words one by one ("sql server", not "SQL server").
_TECH_PHRASES = {
    phrase.casefold(): phrase
    for phrase in (
        "SQL Server", "GitHub Actions", "Ruby on Rails", "AWS Lambda", "Power BI",
        "Google Cloud", "React Native", "Spring Boot", "Apache Spark", "Microsoft Excel",
        "Google Analytics", "Visual Studio", "Unreal Engine", "Adobe Photoshop", ".NET",
        "REST API", "REST APIs", "SAP HANA", "Microsoft Word", "Microsoft Office",
        "Google Sheets",
    )
}  # fmt: skip
_TECH_PHRASE = re.compile(
    r"(?<![\w./-])(?:" + "|".join(re.escape(p) for p in _TECH_PHRASES) + r")(?![\w/-])"
)


def tech_cased(text: str, *, skill: bool = False) -> str:
    """`text` with each technology typed in lower case written as its makers do ("python"
    -> "Python", "ci/cd" -> "CI/CD", "sql server" -> "SQL Server"); in a `skill`, also the
    names English words share ("rust", "go"). A word with any capital is left as typed."""
    names = {**_TECH_NAMES, **_SKILL_NAMES} if skill else _TECH_NAMES
    text = _TECH_PHRASE.sub(lambda m: _TECH_PHRASES[m.group()], text)
    return _TECH_WORD.sub(lambda m: names.get(m.group(), m.group()), text)


_ROLE_ARTICLE = re.compile(r"(?:a|an|the)\s+(?=\S)", re.IGNORECASE)
_ROLE_WORD = re.compile(r"\s+(?:role|position|job|opening|vacancy)$", re.IGNORECASE)


def role_name(role: str) -> str:
    """The role as the templates put it ("the {{ role }} role"): an article typed in it and
    a closing "role"/"position" dropped, so that "an ML Engineer position" and "Backend
    Engineer Role" are never doubled ("the an ML Engineer position position")."""
    text = tech_cased(clean(role)).rstrip(_STOPS)
    bare = _ROLE_WORD.sub(
        "", _ROLE_ARTICLE.sub("", text, count=1) if _ROLE_ARTICLE.match(text) else text
    )
    return bare if any(c.isalnum() for c in bare) else text


def is_sentence(text: str) -> bool:
    """The user wrote a sentence (kept as written), not a phrase for the note to frame: "I
    sketched a plan", "check out my repo https://…" (an imperative reads as its own
    sentence, never as "I also wanted to pass on check out my repo")."""
    words = text.split()
    if not words:
        return False
    first = words[0].casefold().strip(",:").replace("\u2019", "'")
    return first in _SENTENCE_STARTS or first in _IMPERATIVES or _has_inner_stop(text)


def _has_inner_stop(text: str) -> bool:
    """A stop inside the text ends a sentence, except an abbreviation's inside a phrase ("the
    U.S. market", "Acme Inc. acquisition"): that one ends a sentence only where a sentence
    starts after it ("the U.S. It sounded risky")."""
    inner = _URL.sub("", text).rstrip(_STOPS + "\u2026")
    for stop in re.finditer(r"[.!?] ", inner):
        before = inner[: stop.end() - 1]
        after = inner[stop.end() :].split(maxsplit=1)
        word = after[0].replace("\u2019", "'").strip(",:") if after else ""
        if stop.group() == "! " and _in_a_name(before, word):
            continue  # "Yahoo! Finance", "the Jeopardy! tapes", "Mamma Mia! tour"
        if stop.group() != ". " or not (
            re.search(_ABBREVIATION_END, before, re.I) or re.search(_INITIAL_END, before)
        ):
            return True
        if word[:1].isupper() and word.casefold() in _STARTS_AFTER_ABBREVIATION:
            return True
    return False


def _in_a_name(before: str, word: str) -> bool:
    """A "!" that is part of a name: after a capitalised word, before a word no sentence
    starts with ("Yahoo! Finance", not "Great! We talked")."""
    last = before.split()[-1:] or [""]
    return last[0][:1].isupper() and word.casefold() not in _STARTS_AFTER_ABBREVIATION


# A stop that ends an abbreviation stays: "the U.S.", "Acme Inc.", "pricing, etc.", and a
# title's is no sentence's end ("the paper by Dr. Lee", "Prof. Ng's course"); "Lee et al."
_ABBREVIATION_END = (
    r"(?:\b(?:[^\W\d_]\.){2,}|\b(?:etc|inc|ltd|co|corp|jr|sr|st|vs|v|no|vol|dr|prof|mr|mrs"
    r"|ms|mx|rev|mt|dept|approx|al|sec|art|ch|sen|gov|gen|ft|sgt|bros|lt|col|capt|rep|pres"
    r"|univ|assn|intl|natl|ave|blvd|rd|fig|pp|ed|eds|est)\.)$"
)
# Inside a topic, a capital's stop is an initial ("A. K. Chen's team"), no sentence's end.
_INITIAL_END = r"(?<![^\W\d_])[A-Z]\.$"
# Verbs that start a note written as an instruction ("check out my repo", "see the link").
_IMPERATIVES = frozenset(
    (
        "check", "see", "take", "have", "look", "feel", "read", "watch", "visit", "find",
        "try", "let", "please", "click", "follow", "enjoy", "ping", "reach",
    )
)  # fmt: skip
# A topic that starts with a subject is a clause: "you're rebuilding search", "we talked
# about their on-call rotation", "You explained that the model is retrained".
_SUBJECTS = frozenset(
    (
        "i", "i've", "i'm", "i'd", "i'll", "we", "we've", "we're", "we'd", "you", "you're",
        "you've", "you'd", "you'll", "they", "they're", "they've", "they'd", "he", "she",
        "he's", "she's", "it's", "there's", "here's", "thanks", "thank",
    )
)  # fmt: skip
# After an abbreviation's stop, the words that start a new sentence ("the U.S. It sounded
# risky"); any other word goes on the phrase ("the U.S. market", "the U.S. Postal Service").
_STARTS_AFTER_ABBREVIATION = _SENTENCE_STARTS | _SUBJECTS | {"the", "this", "that", "these"}
# After a question word, an auxiliary makes a direct question: "how do they measure
# success" (a topic is the indirect "how they measure success").
_AUXILIARIES = frozenset(
    (
        "do", "does", "did", "will", "would", "can", "could", "should", "shall", "has",
        "have", "had", "is", "are", "was", "were", "may", "might", "must",
    )
)  # fmt: skip


def topic_is_sentence(text: str) -> bool:
    """A topic or skill typed as a sentence or a direct question, which no note can put after
    "about" ("Our discussion of you explained that…"): the debrief refuses it with a hint."""
    words = text.replace("\u2019", "'").split()
    if not words:
        return False
    first = words[0].casefold().strip(",:")
    second = words[1].casefold() if len(words) > 1 else ""
    question = first in _QUESTION_WORDS | {"who", "which"} and second in _AUXILIARIES
    if question and first in ("what", "who", "which") and second in ("is", "are", "was", "were"):
        question = False  # "what is next for the platform" reads as a topic
    # A trailing "?" on a phrase ("shipping on Fridays?") is tidied like a full stop; one on a
    # question ("is the team remote?", "how do you ship?", "why Kafka?") is a sentence.
    ends_as_question = _URL.sub("", text).rstrip().endswith("?") and (
        first in _AUXILIARIES or first in _QUESTION_WORDS - {"whether"} | {"who", "which"}
    )  # "whether they'd move to dbt?" is an indirect question with a stray mark
    # a title in capitals is a name ("It's Academic quiz team", "I Love Lucy")
    titled = len(words) > 1 and words[0][:1].isupper() and words[1][:1].isupper()
    # a question without its mark: "is the team remote", "does the team use Kafka" — not a
    # title in capitals ("Do the Right Thing 35mm print", "Is It Cake season 4")
    title = len(words) > 2 and sum(w[:1].isupper() for w in words) * 2 >= len(words)
    asks = first in _ASKING and second in _ASKED_OF and len(words) > 2 and not title
    question = question and not title
    return (
        (first in _SUBJECTS and words[0] != "IT" and not titled)
        or question
        or asks
        or ends_as_question
        or _subject_then_verb(words)
        or _has_inner_stop(text)
    )


_ASKING = frozenset(
    ("is", "are", "was", "were", "do", "does", "did", "can", "could", "should", "would")
)
_ASKED_OF = frozenset(
    ("the", "a", "an", "we", "you", "they", "it", "he", "she", "this", "that", "there", "your")
)


# Verbs that make a topic a report of what was said: "Yuki mentioned the Kafka backlog",
# "Rosa said the team rebuilt its models", "the team is rebuilding its ingestion layer".
# Only forms that are verbs wherever they stand ("shared", "built" are also adjectives).
_FINITE_VERBS = _AUXILIARIES | frozenset(
    (
        "mentioned", "mentions", "said", "says", "explained", "explains", "described",
        "describes", "talked", "told", "tells", "asked", "asks", "showed", "pointed",
        "discussed", "highlighted", "suggested", "suggests", "walked", "wants", "wanted",
        "thinks", "believes", "felt", "feels", "admitted", "complained", "emphasized", "want",
        "emphasised", "hinted", "spoke", "introduced", "presented", "outlined",
    )
)  # fmt: skip
_DETERMINERS = frozenset(
    ("the", "this", "that", "these", "those", "their", "our", "your", "his", "her", "its", "my")
)


def _subject_then_verb(words: list[str]) -> bool:
    """A subject — a name ("Yuki", "Yuki Tanaka"), "the team", "Rosa's team" — followed by a
    finite verb: a sentence, which the note would put after "about" ("about the Yuki
    mentioned…"). A title or an initial ("Dr.", "A.") or an acronym ("AWS") starts no
    name here, and "the widely discussed change" keeps its adjective."""
    if len(words) > 1 and words[0].casefold() in _TITLES:
        words = words[1:]  # "Dr. Park mentioned …": the name after the title
    folded = [w.casefold().strip(",:;") for w in words[:4]]
    first = words[0]
    if len(folded) > 1 and folded[1] in _COPULAS and words[1].islower():
        return folded[0] not in _NO_ARTICLE  # "ICU is short-staffed", "churn is up 20%"
    if folded[0] in _DETERMINERS or (folded[0].endswith("'s") and len(folded[0]) > 2):
        at = 2  # "the team is …", "Rosa's team wants …"
    elif (
        first[:1].isupper()
        and not first.isupper()
        and not first.endswith(".")
        and folded[0] not in _NO_ARTICLE
    ):  # a name: "Yuki mentioned …", "Yuki Tanaka said …"
        two_words = len(words) > 2 and words[1][:1].isupper() and folded[1] not in _FINITE_VERBS
        at = 2 if two_words else 1
    else:
        return False
    # a verb as typed in lower case: "Love Is Blind", "Just Do It" are titles
    return (
        at < len(folded)
        and folded[at] in _FINITE_VERBS
        and words[at].islower()
        and not folded[at - 1].endswith("ly")
    )


_TITLES = frozenset(("dr.", "dr", "mr.", "mr", "mrs.", "mrs", "ms.", "ms", "prof.", "mx.", "st."))
_COPULAS = frozenset(("is", "are", "was", "were", "isn't", "aren't", "wasn't", "weren't"))


# An aside typed after the topic: ", which honestly sounded painful", ", though I doubt it".
# The note cites the topic and leaves the aside (the seeker's own comment) out.
_ASIDE_STARTS = (
    "which",
    "who",
    "whom",
    "whose",
    "though",
    "although",
    "but",
    "because",
    "since",
    "while",
    "whereas",
    "honestly",
    "frankly",
    "admittedly",
    "sadly",
    "unfortunately",
    "personally",
    "tbh",
    "imo",
    "imho",
    "i",
    "i'm",
    "i've",
    "i'd",
    "it",
    "it's",
    "that's",
    "sounds",
    "sounded",
    "seems",
    "seemed",
    "lol",
    "ugh",
    "yikes",
    "haha",
    "lmao",
    "omg",
    "wow",
    "really",
    "super",
    "so",
    "very",
    "pretty",
    "kinda",
    "cool",
    "awesome",
    "amazing",
    "interesting",
    "fun",
    "etc",
    "kind",
    "sort",
    "finally",
    "apparently",
    "supposedly",
    "quite",
    "e.g",
    "eg",
)  # fmt: skip  ("i.e." is "i"'s; an example after the point is an aside too: ", e.g. cost")
_ASIDE = r"\s*(?:,|;|\s[\u2013\u2014-]|\()\s*(?:{})\b"


def topic_aside(text: str) -> tuple[str, str]:
    """A debriefed topic split into the point and the seeker's aside after it ("the migration
    to Python, which honestly sounded painful" -> ("the migration to Python", ", which
    honestly sounded painful")); ("the topic", "") when there is none. A list ("Kafka,
    Flink and Spark") is no aside."""
    words = "|".join(re.escape(w) for w in _ASIDE_STARTS)
    match = re.search(_ASIDE.format(words), text.replace("\u2019", "'"), re.IGNORECASE)
    if match is None:  # slang or a smiley at the end, with no mark before it: "… lol"
        match = _TRAILING_SLANG.search(text)
    if match is None or not text[: match.start()].strip():
        return text, ""
    return text[: match.start()].rstrip(), text[match.start() :].strip()


_TRAILING_SLANG = re.compile(
    r"\s+(?:lol|lmao|rofl|tbh|imo|imho|haha\w*|hehe\w*|omg|fwiw|etc)\W*$"
    r"|\s*(?::-?[)(DPp/\\|]|;-?\)|xD|<3)\s*$"
    r"|\s*[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\uFE0F\u200D]+\s*$"  # emoji
    r"|\s+(?:which|that) (?:seemed|sounded|looked|felt)\b.*$",  # "… which seemed hard"
    re.IGNORECASE,
)


def _strip_stops(text: str) -> str:
    """A phrase without the marks that end it, except an abbreviation's own full stop."""
    bare = text.rstrip(_STOPS)
    kept = text[: len(bare) + 1]
    if len(kept) > len(bare) and re.search(_ABBREVIATION_END, kept, re.IGNORECASE):
        return kept
    return bare


def skill_as_written(skill: str) -> str:
    """The debriefed skill as a note writes it: tidied, technologies cased, without slang
    or a smiley after it ("SQL lol")."""
    return _strip_stops(clean(tech_cased(_TRAILING_SLANG.sub("", skill), skill=True)))


def skill_phrase(skill: str) -> str:
    """A debriefed skill as what follows "my" in a note: "Python" -> "experience in Python",
    while a skill typed with its own frame keeps it ("5 years of Python", "charge nurse
    experience", "a background in finance" -> "background in finance", "an MBA",
    "communication skills"), a role becomes a background ("registered nurse" -> "background
    as a registered nurse"), a credential is one ("BLS certified" -> "BLS certification",
    "BLS and ACLS" -> "BLS and ACLS certifications") and an adjective's frame a noun's
    ("fluent in German" -> "fluency in German"): "my experience in 5 years of Python" is the
    kind of line a hiring manager notices (cold trials, sessions 15 and 16). "" for none."""
    text = " ".join(skill.split())
    trait = _TRAITS.get(_ARTICLE.sub("", text).casefold())
    if trait:
        return trait
    if _PERSON.search(text) and not _framed(text):  # "Red Seal certified chef"
        bare = _ARTICLE.sub("", text)
        return f"background as {_a_or_an(bare)} {bare}"
    for pattern, replacement in _SKILL_REFRAMED:
        text = pattern.sub(replacement, text)
    if not text:
        return ""
    owned = _OWNED.match(text)  # "my Python skills"; "a background", never "a Python shop"
    if owned and (owned.group(1).casefold() in ("my", "our") or _framed(text[owned.end() :])):
        text = text[owned.end() :]
    if _framed(text):
        first, space, rest = text.partition(" ")
        if first.istitle() and _FRAME_WORD.fullmatch(first):  # "Deep knowledge of …"
            return first.lower() + space + rest
        return text
    if _PERSON.search(text):  # a role or trade: "licensed electrician", "RN"
        bare = _ARTICLE.sub("", text)
        return f"background as {_a_or_an(bare)} {bare}"
    if _credentials(text):
        return text + (
            " certifications" if len(_CREDENTIAL.findall(text)) > 1 else " certification"
        )
    return "experience in " + _BOAST.sub("", text)


def _framed(text: str) -> bool:
    return bool(_SKILL_FRAMED.search(text))


def _credentials(text: str) -> bool:
    """Acronyms only, none a technology's ("BLS", "PGCE/QTS/CELTA", "BLS and ACLS")."""
    words = [w for w in re.split(r"[\s/,&+]+", text) if w and w.casefold() != "and"]
    return bool(words) and all(
        _CREDENTIAL.fullmatch(w) and w.casefold() not in _TECH_NAMES for w in words
    )


def _a_or_an(word: str) -> str:
    first = word.split()[0]
    if first.isupper() and len(first) > 1:  # said letter by letter: "an RN", "a CNA"
        return "an" if first[0] in "AEFHILMNORSX" else "a"
    return "an" if first[0].casefold() in "aeiou" else "a"


_FRAME_NOUNS = (
    r"experiences?|background|expertise|knowledge|skills?|skill ?set|training|track record"
    r"|understanding|familiarity|fluency|proficiency|certifications?|licen[cs]es?|degrees?"
    r"|credentials?|qualifications?|decades?|passion|admission|licensure"
)
_DEGREES = (
    r"MBA|Ph\.?D\.?|M\.?Sc?|B\.?Sc?|B\.?A|M\.?A|J\.?D|MPH|MSN|BSN|MFA|MEng|BEng"
    r"|(?:Master|Bachelor|Doctor|Associate)(?:['\u2019]s)? (?:of|in|degree)"
)
_OWNED = re.compile(r"^(my|our|a|an)\s+(?=\S)", re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:a|an)\s+(?=\S)", re.IGNORECASE)
# the skill names its own frame: a frame noun first (after at most one adjective: "deep
# knowledge of X", "Bachelor's degree") or last ("charge nurse experience", "Six Sigma Green
# Belt"), a degree, a length of time ("5 years of Python", "over 8 years' experience"), or a
# credential's level ("CFA Level II", "CDL Class A")
_SKILL_FRAMED = re.compile(
    rf"^(?:[\w'\u2019+-]+\s+)?(?:{_FRAME_NOUNS})\b|\b(?:{_FRAME_NOUNS}|belt)$|^(?:{_DEGREES})\b"
    r"|^(?:(?:nearly|almost)\s+)?"
    r"(?:\d+\+?|one|two|three|four|five|six|seven|eight|nine|ten|several|many)\s+"
    r"(?:full[- ])?(?:years?|yrs?|months?|decades?)\b"
    r"|^[A-Z]{2,}\b.*\b(?:Level|Class|Grade|Part) [\dIVX]+[AB]?$|^[A-Z]{2,} (?:Level|Class) \w+$",
    re.IGNORECASE,
)
_PERSON = re.compile(
    r"\b(?:nurse|electrician|plumber|carpenter|welder|mechanic|technician|speaker|player|chef"
    r"|cook|teacher|tutor|engineer|developer|designer|analyst|accountant|lawyer|attorney"
    r"|paralegal|therapist|pharmacist|paramedic|EMT|RN|LPN|CNA|bartender|barista|sommelier"
    r"|manager|leader|mentor|coach|founder|consultant|architect|scientist|researcher|writer"
    r"|editor|translator|interpreter|coordinator|administrator|assistant|specialist|officer"
    r"|recruiter|instructor|professor|lecturer|librarian|counsel+or|caregiver|midwife"
    r"|dietitian|auditor|banker|trader|programmer|driver|journeyman|apprentice|volunteer)s?$",
    re.IGNORECASE,
)
_CREDENTIAL = re.compile(r"[A-Z][A-Z0-9-]{1,7}")
# A trait typed as the skill, as a note says it ("my experience in detail-oriented")
_TRAITS = {
    "bilingual": "fluency in two languages",
    "multilingual": "fluency in several languages",
    "detail-oriented": "attention to detail",
    "detail oriented": "attention to detail",
    "hard-working": "work ethic",
    "hardworking": "work ethic",
    "hard working": "work ethic",
    "organized": "organisational skills",
    "organised": "organisational skills",
    "customer-focused": "focus on customers",
    "customer focused": "focus on customers",
    "team player": "teamwork",
    "people person": "way with people",
    "self-starter": "initiative",
    "self starter": "initiative",
    "fast learner": "ability to learn fast",
    "quick learner": "ability to learn fast",
    "reliable": "reliability",
    "punctual": "reliability",
    "creative": "creativity",
    "adaptable": "adaptability",
    "flexible": "flexibility",
    "motivated": "motivation",
    "self-motivated": "motivation",
    "proactive": "initiative",
    "results-driven": "focus on results",
    "results driven": "focus on results",
    "teamwork": "teamwork",
    "leadership": "leadership experience",
}
_BOASTS = r"strong|solid|excellent|proven|great|good|deep|extensive|broad|hands-on|hands on|expert"
_BOAST = re.compile(rf"^(?:{_BOASTS})\s+", re.IGNORECASE)
_FRAME_WORD = re.compile(rf"{_FRAME_NOUNS}|{_BOASTS}", re.IGNORECASE)
_SKILL_REFRAMED = tuple(
    (re.compile(pattern, re.IGNORECASE), replacement)
    for pattern, replacement in (
        (r"[\s-]+(?:board[- ])?certified$", " certification"),
        (r"^(?:over|more than) (\d+)\+?(?= )", r"\1+"),  # "my over 8 years" -> "my 8+ years"
        (r"^(\S+) yrs?\b", r"\1 years"),  # "3+ yrs Java" -> "3+ years of Java"
        (
            r"^(\S+ years?) (?!of\b|in\b|as\b|with\b|at\b|on\b|doing\b|experience\b|['\u2019])",
            r"\1 of ",
        ),
        (r"\(([^()]*)\)$", r"\1"),  # "bilingual (Spanish/English)": no brackets in a sentence
        (r"^(?:about|around|approximately|roughly|close to) (?=\d)", ""),
        (r"^(board[- ])?certified (in|as)\b", r"\1certification \2"),
        (r"\s+licensed$", " license"),
        (r"^licensed (in|as)\b", r"licensure \1"),
        (r"^(?:PMP|CPA|CFA|CISSP|CCNA|CISA|SHRM-CP)$", r"\g<0> certification"),
        (r"^(?:fluent|fluency) in\b", "fluency in"),
        (r"^bilingual (?:in )?", "fluency in "),
        (r"^proficient (?:in|with)\b", "proficiency in"),
        (r"^(?:skilled|experienced) (?:in|with)\b", "experience in"),
        (r"^(?:good|great|skilled|strong) at\b", "experience in"),
        (r"^expert (?:in|at|with)\b", "expertise in"),
        (r"^familiar with\b", "familiarity with"),
        (r"^passionate about\b", "passion for"),
        (r"^knowledgeable (?:in|about|of)\b", "knowledge of"),
        (r"^admitted to\b", "admission to"),
        # a credential named with "Certified" inside it: "AWS Certified Solutions Architect"
        (r"^(.*\bcertified\b.*\S)$(?<!certification)(?<!certifications)", r"\1 certification"),
        # a vague span says nothing a plain "experience in" does not: "a few years of Python"
        (r"^(?:a few|a couple(?: of)?|some) (?:years?|months?) (?:of|in|with|doing)\s+", ""),
    )
)


def join_phrases(phrases: Sequence[str]) -> str:
    """Phrases given one by one (two `--skill`s) as one: "GLM pricing and SQL", "A, B and C"."""
    items = [" ".join(p.split()) for p in phrases if p.strip()]
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def as_sentence(text: str) -> str:
    """The user's sentence(s), capitalised, ending in a stop (`tidy` drops one after a URL)."""
    text = clean(text)
    if not text:
        return ""
    if not _URL.match(text):  # "https://…" stays as typed
        text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?\u2026" else text.rstrip(_STOPS) + "."


def lowercase_start(text: str) -> str:
    """A phrase to put inside a sentence: its first word lowercased when it is a common word
    typed with a capital ("The billing rewrite", "My write-up"); names are left alone."""
    first, space, rest = text.partition(" ")
    if first.casefold() in _NO_ARTICLE and first != "I" and not first.isupper():
        return first.lower() + space + rest
    return text


def noun_phrase(topic: str, company: str = "") -> str:
    """A debriefed topic ready to follow "about": "on-call load" -> "the on-call load", while
    "Postgres", "scaling the API", "how you hire", "Stripe's API", "our roadmap" and
    "distributed systems" stay as typed. Conservative: a gerund ("improving onboarding"), a
    possessive ("Fjord's new cluster", but "the team's roadmap"), an acronym ("AI safety")
    and a mass noun ("churn in month two", "GDPR compliance") take no article."""
    # The aside is found before `clean` squashes a run of marks: "the U.S., which …" would
    # lose its comma ("the U.S. which …") and the aside would go out with the topic.
    point = clean(topic_aside(" ".join(topic.split()))[0])
    text = _to_the_reader(lowercase_start(_strip_stops(point)))
    words = text.split()
    if len(words) < 2:
        return text  # one word: a name ("Kubernetes") or a mass noun ("observability")
    first, second = words[0].casefold().replace("\u2019", "'"), words[1]
    if _is_foreign_article(words[0], second):
        return text  # "le financement participatif", "die Energiewende": it has its article
    # the head noun comes before a preposition: "data model for invoices" is one model
    head = next((i for i, w in enumerate(words[1:], 1) if w.casefold() in _PREPOSITIONS), None)
    last = words[head - 1] if head else words[-1]
    needs_article = (
        first not in _NO_ARTICLE
        and not _is_gerund(first, second)
        and not _is_possessive(first, company)
        and not _is_names_possessive(words)
        and not _is_acronym(words[0])
        and words[0].lstrip(".").replace("-", "").replace("'", "").isalnum()  # "k8s move"
        and _is_word(last)
        and last[:1].islower()  # "Project Apollo" is a name
        and not (last.endswith("s") and not last.endswith(("ss", "us", "is")))  # a plural
        and last.casefold() not in _MASS_NOUNS
        and not (last.casefold().endswith("ing") and last.casefold() not in _ING_THINGS)
    )
    return f"the {text}" if needs_article else text


# Words in -ing that name a thing or a field ("the hiring process", "the billing rewrite");
# any other first word in -ing is a gerund with its object ("improving onboarding").
_ING_NOUNS = frozenset(
    (
        "hiring", "billing", "testing", "onboarding", "pricing", "training", "logging",
        "booking", "marketing", "engineering", "accounting", "banking", "shipping", "tooling",
        "caching", "routing", "networking", "monitoring", "streaming", "ranking", "planning",
        "recruiting", "consulting", "funding", "ticketing", "messaging", "matching",
        "scheduling", "trading", "lending", "listing", "housing", "processing", "reporting",
        "alerting", "paging", "labelling", "labeling", "tracing", "indexing", "sharding",
        "batching", "modelling", "modeling", "forecasting", "mentoring", "staffing",
        "offboarding", "underwriting", "sourcing", "packaging", "branding", "advertising",
        "rendering", "publishing",
    )
)  # fmt: skip
# Count nouns in -ing: "the meeting cadence", "the string parser", "the new building".
_ING_THINGS = frozenset(
    (
        "thing", "string", "ring", "king", "wing", "spring", "ceiling", "evening", "morning",
        "meeting", "offering", "setting", "feeling", "ending", "heading", "building",
    )
)  # fmt: skip
# Mass nouns as the head of a topic: "about GDPR compliance", "about churn in month two".
_MASS_NOUNS = frozenset(
    (
        "churn", "compliance", "safety", "security", "growth", "quality", "latency",
        "reliability", "performance", "observability", "governance", "privacy", "retention",
        "revenue", "research", "debt", "trust", "culture", "infrastructure", "adoption",
        "throughput", "availability", "scalability", "accessibility", "profitability",
        "resilience", "automation", "analytics", "ethics", "equity", "diversity",
        # fields and abstract heads: "the classroom management" read wrong to a teacher
        "management", "development", "leadership", "communication", "collaboration",
        "education", "instruction", "pedagogy", "literacy", "science", "health", "healthcare",
        "wellbeing", "well-being", "care", "support", "mentorship", "discipline", "hygiene",
        "nutrition", "sustainability", "inclusion", "engagement", "enablement", "feedback",
        "knowledge", "documentation", "recruitment", "procurement", "optimization",
        "optimisation", "innovation", "finance", "software", "hardware", "law", "teamwork",
        "ownership", "productivity", "efficiency", "usability", "risk",
    )
)  # fmt: skip
# Possessors that are common nouns: "the team's roadmap", "the CEO's plan".
_COMMON_POSSESSORS = frozenset(
    (
        "team", "teams", "company", "org", "organisation", "organization", "department",
        "group", "product", "platform", "business", "industry", "market", "customer",
        "customers", "client", "clients", "user", "users", "manager", "founder", "founders",
        "board", "project", "system", "service", "app", "model", "codebase", "ceo", "cto",
        "cfo", "vp", "panel", "interviewer", "recruiter", "world", "country", "city",
    )
)  # fmt: skip


# Articles of the common European languages: a topic typed with one needs no "the".
_FOREIGN_ARTICLES = frozenset(
    (
        "le", "la", "les", "un", "une", "des", "el", "los", "las", "una", "il", "lo", "gli",
        "uno", "der", "das", "ein", "eine", "het", "een", "os", "um", "uma",
    )
)  # fmt: skip


def _is_foreign_article(word: str, following: str) -> bool:
    """ "le financement", "l'intelligence artificielle", "die Energiewende" (German "die"
    before a capitalised noun: "die casting" is English)."""
    first = word.casefold().replace("\u2019", "'")
    if first.startswith("l'") and len(first) > 2:
        return True
    if first == "die":
        return following[:1].isupper()
    return first in _FOREIGN_ARTICLES


def _is_gerund(first: str, second: str) -> bool:
    """ "scaling the API", "moving to Kafka", "improving onboarding": a gerund with its object;
    "billing rewrite" is a noun."""
    if not first.endswith("ing") or len(first) < 5:
        return False
    if second.casefold() in _NO_ARTICLE or second[0].isupper():
        return True
    return first not in _ING_NOUNS and first not in _ING_THINGS


def _is_possessive(first: str, company: str) -> bool:
    """ "Stripe's API", "fjord's new cluster" (the company, typed lower-case): a name's
    possessive; "team's roadmap" is a common noun's and takes "the"."""
    if not first.endswith(("'s", "s'")):
        return False
    owner = first.removesuffix("'s").removesuffix("'")
    company_words = company.casefold().split()
    return owner not in _COMMON_POSSESSORS or owner in company_words[:1]


def _is_names_possessive(words: Sequence[str]) -> bool:
    """ "Acme Inc.'s roadmap", "Google Cloud's pricing": a name of several capitalised words
    whose last is a possessive takes no article, as one word's does ("Stripe's API")."""
    for at, word in enumerate(words):
        if not word[:1].isupper():
            return False
        if at and word.replace("\u2019", "'").endswith(("'s", "s'")):
            return True
    return False


def _is_acronym(word: str) -> bool:
    """ "AI", "GDPR", "A/B": capitals only (".NET" and "Q3" are names, not acronyms)."""
    letters = word.replace("/", "").replace("-", "")
    return len(letters) > 1 and letters.isalpha() and letters.isupper()


# A debrief is written about the interviewer ("their migration to k8s", "why they left AWS");
# the note is written to them: the leading pronoun becomes "your"/"you".
_TO_THE_READER = {"their": "your", "they": "you", "they're": "you're", "them": "you"}
_QUESTION_WORDS = frozenset(("why", "how", "what", "where", "when", "whether"))
_DOUBLED_ARTICLE = re.compile(r"\b(the|a|an) \1\b", re.IGNORECASE)


def _to_the_recipient(topic: str, person: PersonName | None) -> str:
    """A topic led by the recipient's own possessive is theirs, in the second person: to
    Hans, "Hans's research on sepsis bundles" is "your research on sepsis bundles" (a cold
    trial's note spoke of Hans to Hans, as "their" once did: `_to_the_reader`)."""
    if person is None:
        return topic
    head, _, rest = topic.replace("\u2019", "'").partition("'s ")
    if rest and head.casefold() in {
        n.casefold() for n in (person.full, casual_address(person)) if n
    }:
        return f"your {rest}"
    return topic


def _to_the_reader(text: str) -> str:
    words = _DOUBLED_ARTICLE.sub(r"\1", text).split(" ")
    at = 1 if len(words) > 1 and words[0].casefold() in _QUESTION_WORDS else 0
    swapped = _TO_THE_READER.get(words[at].casefold()) if words else None
    if swapped is not None:
        words[at] = swapped
    return " ".join(words)


def _is_word(word: str) -> bool:
    return word.replace("-", "").replace("'", "").isalpha()


def tidy(text: str) -> str:
    """A rendered note with no mark glued to the end of a URL (a full stop after a URL ends
    its line; other marks go), and no doubled marks where an inserted phrase met the
    template's own ("the rewrite.." -> "the rewrite.")."""
    return "\n".join(_tidy_line(line) for line in text.split("\n"))


def _tidy_line(line: str) -> str:
    out: list[str] = []
    done = 0
    for match in _URL.finditer(line):
        if match.start() < done:
            continue
        url = match.group().rstrip(_URL_TAIL)
        end = match.start() + len(url)
        marks = len(line) - end - len(line[end:].lstrip(_URL_TAIL))
        out += [_single_marks(line[done : match.start()]), url]
        done = end + marks
        following = line[done:].lstrip()
        if following and set(line[end:done]) & set(".!?"):
            out.append("\n")  # the sentence ended: the next one starts on its own line
            done = len(line) - len(following)
    out.append(_single_marks(line[done:]))
    return "".join(out)


def split_subject(text: str) -> tuple[str, str]:
    """A rendered note's `Subject: …` first line and its body (no subject line: empty)."""
    head, _, rest = text.partition("\n")
    if head.lower().startswith("subject:"):
        return head[len("subject:") :].strip(), rest.lstrip("\n").rstrip() + "\n"
    return "", text.strip() + "\n"


def join_subject(subject: str, body: str) -> str:
    """The text a person edits: the subject line, a blank line, the body."""
    return f"Subject: {subject}\n\n{body.rstrip()}\n"
