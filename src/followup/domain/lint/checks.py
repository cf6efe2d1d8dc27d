"""The checks, one per rule, over a note prepared once (`_Note`), and `lint`."""

from __future__ import annotations

import re
from collections import Counter

from followup.domain.lint.phrases import (
    _AS_EMPLOYEE,
    _BEFORE_MAKE,
    _CASUAL,
    _COMPANY_SUFFIXES,
    _DESPERATE,
    _ENTHUSIASM,
    _FREE,
    _FREE_LABOUR,
    _GENERIC,
    _GIVING_UP,
    _GRATITUDE,
    _GRATITUDE_PHRASES,
    _GREETINGS,
    _MAKE,
    _NEGATIVE,
    _NOT_A_NAME,
    _OFFER,
    _POLITE_BEFORE,
    _PUSHY,
    _REDO,
    _SHOUT_ALLOWED,
    _SIGN_OFFS,
    _SKILL_PHRASE,
    _SLANG,
    _STIFF,
    _TAIL_END,
    _TITLES,
    _ULTIMATUM,
    _WORK_PRODUCTS,
    _bangs,
    _before_tails,
    _conversation_tails,
    _greeting,
    _i_remain,
    _placeholders,
    _symbols,
)
from followup.domain.lint.rules import (
    _E,
    _MAX_COMPARED_WORDS,
    _ORDER,
    _W,
    DEFAULT_WORD_LIMIT,
    DUPLICATE_RATIO,
    RULES,
    SUBJECT_LIMIT,
    WORD_LIMITS,
    Finding,
    NoteContext,
    Severity,
)
from followup.domain.lint.text import (
    _NAME_TOKEN,
    _STOPWORDS,
    _WORD_RUN,
    _edit_distance,
    _fold,
    _normalize,
    _own_text,
    _quote_all,
    _significant,
    _snippet,
    _stem,
    _Tokens,
    _tokens,
    _word_count,
    _Words,
)
from followup.domain.model import NoteKind, Tone
from followup.domain.names import canonical_title, greet, parse_name

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
        # The company's own name (a company called "{{7*7}}") is not a placeholder; a topic or
        # a skill that looks like one is: the debrief was never filled in.
        company = _normalize(context.company or "")
        found = [
            (start, end)
            for start, end in _placeholders(self.tokens)
            if not (company and self.text[start:end] in company)
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
    if note.content_tokens.has(_GRATITUDE_PHRASES):
        return []
    return ["no thanks or appreciation: thank them for their time and the conversation"]


def _specific_point(note: _Note) -> list[tuple[str, str]]:
    """no-specific-point, or generic-point when what the note cites is only the role, the
    company or a stock phrase. Without debriefed topics only the text is judged: a mention
    of the conversation followed by something concrete is a point."""
    topics = [
        t
        for t in note.context.topics
        if (_significant(t) or _fold(t).strip()) and not looks_like_placeholder(t)
    ]
    if topics:
        if any(note.words.mentions(t) for t in topics):
            return []
        if _cited(note, least=2)[0]:
            # the topic in words of its own ("the 40,000 unmatched ledger entries you hope to
            # clear"); two concrete words at least: "the rewrite" is not "the billing rewrite"
            return []
        if len(topics) == 1:
            wanted = _snippet(topics[0], 60)
        else:
            wanted = "one of " + "; ".join(_snippet(t, 40) for t in topics[:3])
        return [("no-specific-point", f"no specific point from the conversation: mention {wanted}")]
    concrete, generic = _cited(note)
    if concrete:
        return []
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


def _cited(note: _Note, least: int = 1) -> tuple[bool, list[str]]:
    """What the note cites from the conversation ("our talk about …", "the roadmap you
    mentioned"): whether one of them names something concrete, else the generic ones."""
    ignore = _GENERIC | note.company_words | note.role_words
    generic: list[str] = []
    tokens = note.content_tokens
    thanked = _thanked(tokens)
    tails = [(i, text, True) for i, text in _conversation_tails(tokens)]
    for i, text, cites in [*tails, *_before_tails(tokens)]:
        tail: list[str] = []
        written: list[str] = []
        for word in _tokens(text):
            folded = _fold(word)
            if folded == "for" and tail and tail[-1] in _PLANS:
                continue  # "the plans for <the new member portal>": what they are for is the point
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
        if not job and len(concrete) >= least and not name_only:
            return True, []
        # "Thank you for our talk about the role" opens most notes, and "hearing about the
        # next steps" closes them: neither is an attempt at a point
        opener = thanked[i] or tokens.words[i] in _OPENERS
        if (
            cites
            and not opener
            and not set(tail) <= _CLOSING
            and any(w not in _STOPWORDS for w in tail)
        ):
            generic.append(text)
    return False, generic


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
    about_me = False  # "bring my experience in …": only what it is brought "to" may be a point
    for i, word in enumerate(tokens.words):
        if i and any(c in ".!?\n;:" for c in body[tokens.ends[i - 1] : tokens.starts[i]]):
            if len(concrete) >= _CONCRETE:
                return False
            concrete, about_me = set(), False
        if tokens.starts[i] in skip:
            about_me = True
        elif about_me and word == "to":
            about_me = False  # "… to the way your pickers batch orders by aisle"
        written = body[tokens.starts[i] : tokens.ends[i]]
        if not about_me and (
            len(word) >= 3
            and written.islower()
            and word.isalpha()
            and word not in ignore
            and _stem(word) not in ignore
            and word not in _ENTHUSIASM
        ):
            concrete.add(_stem(word))
    return len(concrete) < _CONCRETE


_PLANS = frozenset(("plans", "plan", "vision", "roadmap", "strategy", "goals", "ambitions"))
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
    if skill and looks_like_placeholder(skill):
        return [
            f'the recorded skill is a placeholder ("{_snippet(skill, 40)}"): record it'
            f' (followup debrief {note.context.interview_id or "ID"} --skill "…") and draft again'
        ]
    if skill:
        # as typed, or as the built-in notes frame it ("BLS certified" -> "my BLS certification")
        from followup.domain.compose import skill_as_written, skill_phrase  # when needed

        # "C++": not "experience"; "SQL lol" as the note writes it
        framed = skill_phrase(skill_as_written(skill)).removeprefix("experience in ")
        if note.words.mentions(skill) or note.words.mentions(framed):
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
    plural = "s" if len({_snippet(p).casefold() for p in note.placeholders}) > 1 else ""
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


_CURIOUS = frozenset(("more", "about", "how", "what", "why", "which", "who", "everything"))


def _polite_questions(tokens: _Tokens) -> frozenset[int]:
    """Where "any update" starts in "is there any update on …": a question, not a push."""
    return frozenset(
        tokens.starts[i]
        for i in range(2, len(tokens.words))
        if tokens.words[i] == "any"
        and (
            (tokens.words[i - 2], tokens.words[i - 1]) in _POLITE_BEFORE
            or tokens.words[i - 1] in ("welcome", "handle", "handles", "handled", "process")
            # "how you handle any update to customer addresses": a thing, not a question
            or (i + 2 < len(tokens.words) and tokens.words[i + 2] in ("to", "of"))
        )
    )


def _topic_spans(note: _Note) -> list[tuple[int, int]]:
    """Where the note cites a debriefed topic word for word: "how brokers compare a competing
    offer" is what was discussed, not an offer of the user's own."""
    tokens, spans = note.tokens, []
    for topic in note.context.topics:
        words = _Tokens(_normalize(topic)).words
        n = len(words)
        for i in range(len(tokens.words) - n + 1) if n > 2 else ():
            if tokens.words[i : i + n] == words:
                spans.append((tokens.starts[i], tokens.ends[i + n - 1]))
    return spans


def _ultimatum(note: _Note) -> list[str]:
    tokens = note.tokens
    ending = {end: i for i, end in enumerate(tokens.ends)}
    cited = _topic_spans(note)
    hits = []
    for start, end in tokens.find(_ULTIMATUM):
        if any(a <= start and end <= b for a, b in cited):
            continue  # the words of a debriefed topic: what was discussed, not a deadline
        i = ending.get(end)
        if (
            i is not None
            and tokens.words[i] in ("know", "hear")
            and i + 1 < len(tokens.words)
            and tokens.words[i + 1] in _CURIOUS
        ):
            continue  # "I need to know more about …": curiosity, not a deadline
        hits.append(note.text[start:end])
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
    tokens = note.tokens
    for i, word in enumerate(tokens.words):
        after = tokens.text[tokens.ends[i] : tokens.ends[i] + 1]
        if word == "lit" and i and tokens.words[i - 1] in ("was", "is") and after in ".!,":
            hits.append(tokens.text[tokens.starts[i - 1] : tokens.ends[i]])  # "it was lit."
        # "Sweet," "Cool!" said on their own
        if word in _EXCLAIMED and after in (",", "!"):
            before = tokens.text[tokens.ends[i - 1] if i else 0 : tokens.starts[i]]
            if i == 0 or any(c in ".!?\n" for c in before):
                hits.append(tokens.text[tokens.starts[i] : tokens.ends[i]])
    if not hits:
        return []
    return [f"slang for a formal (corporate) culture: {_quote_all(hits)}: say it plainly"]


_EXCLAIMED = frozenset(("sweet", "cool", "nice", "wow", "yay", "woohoo", "dude", "nailed"))


def _unsigned(note: _Note) -> list[str]:
    """The last line is a sign-off with no name after it ("Best regards," and nothing)."""
    lines = [line.strip() for line in note.body.splitlines() if line.strip()]
    while lines and not lines[-1].strip("-—–_ "):
        lines.pop()  # "Sincerely,\n-- " and nothing after the signature's dashes
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
    return [(_E, message) for message in _greeting_shape(line, person.title, person.family)]


def _stock_greeting(line: str) -> bool:
    """ "Dear Sir,", "Dear Sir or Madam,", "Dear Sir/Madam,", "To whom it may concern,"."""
    words = _tokens(_fold(line))
    if words[:5] == ["to", "whom", "it", "may", "concern"]:
        return True
    if words[:1] in (["dear"], ["hello"], ["hi"]) and words[1:] in _NO_ONE:
        return True  # "Dear Hiring Manager," to someone whose name is known
    return (
        len(words) >= 2
        and words[0] == "dear"
        and words[1] in _SIR
        and all(w in _SIR or w in ("or", "and") for w in words[2:])
    )


_NO_ONE = (["hiring", "manager"], ["recruiter"], ["recruiting", "manager"], ["hiring", "lead"])


_SIR = frozenset(("sir", "sirs", "madam", "madame", "madams"))


def _greeting_shape(line: str, their_title: str, surname: str = "") -> list[str]:
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
        theirs = surname or name  # "Dear Ms. Smith," to Dr. Hannah Schmidt: Dr. Schmidt
        return [f'"{shown}": they are {their_title} {theirs}, not {title} {name}']
    return []


_PARTICLES = frozenset(
    ("van", "von", "der", "den", "de", "da", "di", "du", "le", "la", "del", "bin", "al")
)


def _shouting(note: _Note) -> list[str]:
    """Words in capitals that read as raised voice, not as acronyms (MATLAB, NVIDIA, REST
    JSON, HIPAA AUDIT) nor the role's title as written (SENIOR DATA ENGINEER): a run of two
    or more with a word that is plain English shouted ("PLEASE READ", "VERY EXCITED"), a run
    of three or more with two of 4+ letters ("I NEED THIS JOB" counts "NEED", "THIS"), or
    one shouted word of six or more letters ("URGENT", "IMPORTANT")."""
    known = _context_words(note.context)
    hits: list[str] = []
    run: list[str] = []
    for word in [*_NAME_TOKEN.findall(note.content), ""]:
        loud = (
            len(word) >= 2
            and word.isupper()
            and word not in _SHOUT_ALLOWED
            and _fold(word) not in known
            and word not in ("TODO", "FIXME", "ASAP")
        )
        if loud:
            run.append(word)
            continue
        plain = [w for w in run if _fold(w) in _SHOUT_WORDS]
        long = [w for w in run if len(w) >= 4]
        if (
            (len(run) >= 2 and plain and len(long) >= 1)
            or (len(run) >= 3 and len(long) >= 2 and plain)
            or (len(run) >= 4 and len(long) >= 2)
            or (len(run) == 1 and (len(run[0]) >= 8 or (len(run[0]) >= 6 and plain)))
        ):
            hits.append(" ".join(run))
        run = []
    return hits


# Plain English words, as a shouted sentence has them and a list of acronyms does not.
_SHOUT_WORDS = frozenset(
    (
        "please", "read", "need", "needs", "want", "this", "that", "the", "and", "you", "your",
        "now", "urgent", "important", "immediately", "very", "really", "must", "have", "will",
        "what", "where", "when", "why", "know", "let", "hear", "back", "soon", "today", "reply",
        "respond", "answer", "job", "love", "excited", "thank", "thanks", "waiting", "still",
        "help", "hire", "me", "my", "not", "can", "am", "is", "are", "so", "much",
    )
)  # fmt: skip


def _context_words(context: NoteContext) -> frozenset[str]:
    texts = [
        context.company or "",
        context.recipient_name or "",
        context.skill or "",
        context.role or "",
    ]
    return frozenset(w for t in [*texts, *context.topics] for w in _tokens(_fold(t)))


def _duplicate(note: _Note) -> list[str]:
    """Word-level difflib ratio >= DUPLICATE_RATIO, unless this note cites a debriefed topic
    the other does not: that is what makes a panel's notes distinct (the issue's own test)."""
    mine = _tokens(_fold(note.unsigned))[:_MAX_COMPARED_WORDS]
    if not mine:
        return []
    cited = [t for t in note.context.topics if note.words.mentions(t)]
    candidates = [("the previous note", note.context.previous)] if note.context.previous else []
    previous = _normalize(note.context.previous or "").strip()
    earlier = [t for t in note.context.earlier if _normalize(t).strip() != previous]
    for i, text in enumerate(earlier, 1):
        label = "an earlier note" + (f" (#{i} of this sequence)" if len(earlier) > 1 else "")
        candidates.append((label, text))
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
    found += _other_application(note)
    found += _former_name(note)
    return found + _wrong_person(note, {_fold(w) for w in misspelt})


def _other_application(note: _Note) -> list[str]:
    """A company or role of another of the user's applications, named in this note."""
    hits = _names_written(note, note.context.elsewhere)
    return (
        [f"names another of your applications: {_quote_all(hits)}: this note is for {_this(note)}"]
        if hits
        else []
    )


def _former_name(note: _Note) -> list[str]:
    """The company or role as it was before a correction, still in the user's own text."""
    hits = _names_written(note, note.context.former)
    return (
        [f"still says {_quote_all(hits)} as it was before your correction: it is {_this(note)}"]
        if hits
        else []
    )


def _this(note: _Note) -> str:
    """This note's application as the wrong-name messages say it: "Risk Analyst at Acme"."""
    return " at ".join(t for t in (note.context.role, note.context.company) if t)


def _names_written(note: _Note, names: tuple[str, ...]) -> list[str]:
    """Those of `names` this note writes as a name is written (capitalised: "the Risk
    Analyst role", not "an engineer on your team"), unless part of this application's own
    company, role or topics ("Analyst" in "Risk Analyst")."""
    if not names:
        return []
    context = note.context
    here = [_fold(t) for t in (context.company, context.role, *context.topics) if t]
    written = _tokens(note.content)
    folded = [_fold(w) for w in written]
    hits = []
    for other in dict.fromkeys(names):
        name = _tokens(_fold(other))
        joined = " ".join(name)
        if not name or any(joined in h or h in joined for h in here if h):
            continue
        size = len(name)
        if any(
            folded[i : i + size] == name and written[i][:1].isupper()
            for i in range(len(folded) - size + 1)
            if folded[i] == name[0]
        ):
            hits.append(other)
    return hits


_COMPANY_TOKEN = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_POSSESSIVE = re.compile(r"['\u2019]s$")


def _misspelt_company(note: _Note) -> list[str]:
    """Capitalised words a small edit away from a word of the company's name."""
    names = note.company_words
    if not names:
        return []
    known = _context_words(note.context._replace(company=None))
    misses: list[str] = []
    text = note.content
    for match in _COMPANY_TOKEN.finditer(text):  # with digits: "Night2" is one word
        word = match.group()
        if not word[:1].isupper():
            continue
        folded = _POSSESSIVE.sub("", _fold(word))  # "Stripe's pricing": the name itself
        if folded in names or folded in known or (folded[-1:] == "s" and folded[:-1] in names):
            continue  # (a plural: "the Deloittes of the world", "Lowes" for Lowe's)
        # At a sentence's start any word is capitalised: "Paid" or "Plain" there is English,
        # not Plaid misspelt; for a short name only a word mid-sentence (or in capitals) counts.
        before = text[: match.start()].rstrip(" \t\"'(")
        initial = not before or before[-1] in ".!?:\n"
        for name in names:
            if initial and len(name) <= 5 and not word.isupper():
                continue
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
    name = note.context.recipient_name
    address = note.context.recipient_email or (name if "@" in name else "EMAIL")
    return [
        f'"{greeting.line}" names nobody: only their address is known; say how to greet them'
        f' (followup debrief {interview} --interviewer {address} --greeting "Ms. Lin")'
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
    if not any(p.isascii() for p in parts) and folded.isascii():
        return []  # "Dear Mohammed," to محمد العلي: another script, cannot be judged
    for part in parts:
        # "Alex" for Alexandra; but "Hanna" for Hannah is a misspelling, not a short form
        if folded == part or (
            len(folded) >= 3 and part.startswith(folded) and len(part) - len(folded) >= 2
        ):
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
    hits = _negative_hits(note.tokens)
    return [f"negative or apologetic phrasing: {_quote_all(hits)}"] if hits else []


def _negative_hits(tokens: _Tokens) -> list[str]:
    """The negative phrases of a text, but not inside a name: a capital in mid-sentence
    ("the Terrible Towel campaign", "the Awful Truth restoration": a cold trial)."""
    text = tokens.text
    hits = []
    for start, end in tokens.find(_NEGATIVE):
        before = text[:start].rstrip(" \t\"'\u201c(")
        if text[start].isupper() and before and before[-1] not in ".!?:\n":
            continue
        hits.append(text[start:end])
    return hits


def negative_phrases(text: str) -> list[str]:
    """The phrases of `text` that the `negative` rule would flag ("painful", "unfortunately"):
    the debrief warns of them in a topic before a note cites it."""
    from followup.domain.talk import as_typed  # a keyboard's capital is no name's

    return _negative_hits(_Tokens(_normalize(as_typed(text))))


def _unpaid_work(note: _Note) -> list[str]:
    """An offer to make something they did not ask for (a proposal, a prototype, a 30-60-90
    plan): work given away before an offer. Past work ("I built a prototype") is not one.
    One pass over the words (a pasted text may hold 100,000 of them)."""
    tokens = note.content_tokens
    words = tokens.words
    hits = _free_labour(tokens)
    if _WORK_PRODUCTS.isdisjoint(words):
        return _offers(hits)
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
    return _offers(hits)


def _free_labour(tokens: _Tokens) -> list[str]:
    """Work offered for nothing ("work unpaid", "a free trial week", "for free"), or an offer
    to redo their system in the writer's own time ("redesign your process over the
    weekend"): in a sentence that offers ("I can", "happy to" …), not one about the past."""
    hits: list[str] = []
    found = tokens.find(_FREE_LABOUR)
    if not found:
        return hits
    sentences: list[tuple[int, int]] = []  # (start offset, index of first word)
    for i in range(len(tokens.words)):
        gap = tokens.text[tokens.ends[i - 1] : tokens.starts[i]] if i else "."
        if any(c in ".!?\n" for c in gap):
            sentences.append((tokens.starts[i], i))
    for start, end in found:
        first = max((s for s in sentences if s[0] <= start), default=(0, 0))[1]
        last = next((s[1] for s in sentences if s[0] > start), len(tokens.words))
        words = tokens.words[first:last]
        phrase = tokens.lower[start:end]
        offers = any(w in _OFFER for w in words)
        if (
            phrase.startswith("over")
            or phrase.startswith("for free")
            or phrase.startswith("free of")
        ):
            if offers and not _REDO.isdisjoint(words):
                hits.append(tokens.text[tokens.starts[first] : end])
        elif phrase.startswith("prove"):
            if offers and not _FREE_LABOUR_WORDS.isdisjoint(words):
                hits.append(tokens.text[start:end])
        elif offers or words[:1] in (["happy"], ["glad"]):
            hits.append(tokens.text[start:end])
    return hits


_FREE_LABOUR_WORDS = frozenset(("unpaid", "free", "trial", "nothing"))


def _offers(hits: list[str]) -> list[str]:
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


def _desperate(note: _Note) -> list[str]:
    hits = [note.text[start:end] for start, end in note.content_tokens.find(_DESPERATE)]
    if not hits:
        return []
    return [
        f"reads as desperate: {_quote_all(hits)}: say why the role fits you, not how much"
        " you need it; leave salary to the offer stage"
    ]


# A word typed twice ("the the") or a stop typed twice (".." that is no ellipsis, ",,"),
# outside URLs. Words English doubles on purpose ("that that", "had had") are not counted.
# Patterns as text, compiled at the first use (re's cache): a cold `draft` compiles none.
_DOUBLED_WORD = r"(?i)\b([^\W\d_]+)\s+\1\b"
_DOUBLED_STOP = r"(?<![.])[.][.](?![.])|,\s*,|;\s*;"
_MEANT_TWICE = frozenset(("that", "had", "is", "bye", "no", "very", "so", "really", "ha"))
_LINK = r"(?i)(?:https?://|www\.)\S+"


def _an_acronym_after(pair: str) -> bool:
    """ "at AT&T", "it IT": a word, then an acronym spelt with its letters, is no word typed
    twice ("The the" and "THE THE" are)."""
    first, second = pair.split()
    return first != second and second.isupper() and len(second) > 1


def _doubled(note: _Note) -> list[str]:
    lines = note.content.strip().splitlines()
    if lines and lines[0].rstrip().endswith(","):  # the greeting: `greeting`'s to judge
        lines = lines[1:]
    text = re.sub(_LINK, " ", "\n".join(lines))
    words = [
        m.group()
        for m in re.finditer(_DOUBLED_WORD, text)
        if m.group(1).casefold() not in _MEANT_TWICE and not _an_acronym_after(m.group())
    ]
    stops = [m.group() for m in re.finditer(_DOUBLED_STOP, text)]
    if not (words or stops):
        return []
    return [f"typed twice: {_quote_all(words + stops)}: one is enough"]


# Words no sentence ends on: a paragraph's last line ending on one (or on a comma, a dash, an
# open bracket) was cut off while editing ("…to the team and", "…in SQL to Acme and I").
# A preposition can end an English sentence ("something I keep thinking about"): only after
# "and"/"or"/"but" is it cut off ("…to the team and to").
_DANGLING = frozenset(
    (
        "an",
        "the",
        "and",
        "or",
        "but",
        "nor",
        "because",
        "whether",
        "than",
        "my",
        "your",
        "our",
        "their",
        "its",
        "which",
        "whose",
        "including",
    )
)  # fmt: skip  (and "a" in lower case: "Series A" is a name)
_JOINED = frozenset(("and", "or", "but"))
# ... nor on a subject or "if" right after a joining word: "…, and I", "…, or if", "since we"
_BEFORE_SUBJECT = _JOINED | {"since", "so", "that", "because", "when"}
_SUBJECT = frozenset(("i", "we", "if", "you"))
# ... nor on "to" after these: "I'm keen to", "I'd be able to" wait for the verb
_BEFORE_TO = frozenset(("keen", "eager", "able", "hoping", "going", "ready", "excited", "want"))
_PREPOSITIONS = frozenset(
    ("to", "of", "for", "with", "by", "from", "about", "into", "on", "in", "at", "as")
)
_BULLETS = ("-", "*", "\u2022", "\u2013")


def _unfinished(note: _Note) -> list[tuple[Severity, str]]:
    """The last line of a paragraph of the note's own text (not the greeting, nor the
    sign-off and what follows it, nor a list) cut off while editing. An error where that is
    certain: on a word no sentence ends on, on a comma, a dash or an open bracket, on "keen
    to", and the paragraph before the sign-off on a colon (a link never pasted). A warning
    on a preposition ("…a strong candidate for"), which an English sentence may end on
    ("something to look forward to"): it asks, it does not block. A whole sentence without
    its full stop ("Thanks again") is no finding."""
    paragraphs = [
        [line.strip() for line in p.splitlines() if line.strip()]
        for p in re.split(r"\n\s*\n", note.body.strip())
    ]
    paragraphs = [p for p in paragraphs if p]
    signed = _sign_off_at(paragraphs)
    ends: list[tuple[str, bool]] = []  # each paragraph's last line; before the sign-off?
    ps: list[str] = []
    for at, lines in enumerate(paragraphs[: signed[0] + 1] if signed else paragraphs):
        if signed and at == signed[0]:
            lines = lines[: signed[1]]
        short = len(lines) == 1 and len(lines[0].split()) < 5
        if (at == 0 and (short or (len(lines) == 1 and lines[0].endswith(",")))) or (
            short and lines[0].endswith(",")
        ):
            continue  # the greeting ("Hi Priya —"), or a closing ("With best regards,")
        if not lines or any(line.startswith(_BULLETS) for line in lines):
            continue
        before_sign_off = signed is not None and (
            at == signed[0] or (at == signed[0] - 1 and signed[1] == 0)
        )
        ends.append((lines[-1], before_sign_off))
    if signed:  # a P.S. after the signature is the writer's own text too
        after = [paragraphs[signed[0]][signed[1] :], *paragraphs[signed[0] + 1 :]]
        ps = [p[-1] for p in after if any(line.upper().startswith(_PS) for line in p)]
    judged = [(_cut_off(line, before), line) for line, before in ends]
    # a P.S. only on a certain cut: it is often a line thrown in ("…we talked about")
    judged += [(Severity.ERROR, p) for p in ps if _cut_off(p, True) is Severity.ERROR]
    cut = [line for found, line in judged if found is Severity.ERROR]
    maybe = [line for found, line in judged if found is Severity.WARNING]
    if cut:
        return [(Severity.ERROR, f'a sentence is cut off: "{_tail(cut[0])}" — finish it')]
    if maybe:
        return [(Severity.WARNING, f'is a sentence cut off? "{_tail(maybe[0])}" — check it')]
    return []


_PS = ("P.S", "PS:", "PS ", "P.P.S")


def _cut_off(line: str, before_sign_off: bool) -> Severity | None:
    """How sure it is that a paragraph ending on `line` was cut off (`_unfinished`)."""
    last = re.sub(_LINK, "link", line).rstrip()  # a URL is a whole word
    words = [_fold(w) for w in last.split()[-2:]]
    emoticon = last.endswith((":(", ";(", ":-("))
    if (
        last.endswith((",", ";", "-", "\u2013", "\u2014"))
        or (last.endswith("(") and not emoticon)
        or line.count("(") > line.count(")") + emoticon
        or (words and (words[-1] in _DANGLING or last.endswith(" a")))
        or last.lower().endswith((" e.g.", " i.e.", " e.g", " i.e"))
        or (len(words) == 2 and words[0] in _BEFORE_TO and words[1] == "to")
        or (len(words) == 2 and words[0] in _JOINED and words[1] in _PREPOSITIONS)
        or (len(words) == 2 and words[0] in _BEFORE_SUBJECT and words[1] in _SUBJECT)
        or words in (["i", "also"], ["we", "also"], ["such", "as"], ["well", "as"])
        or (last.endswith(":") and before_sign_off)
    ):
        return Severity.ERROR
    return Severity.WARNING if words and words[-1] in _PREPOSITIONS else None


def _tail(line: str) -> str:
    return line if len(line) <= 40 else "\u2026" + line[-40:].partition(" ")[2]


def _sign_off_at(paragraphs: list[list[str]]) -> tuple[int, int] | None:
    """Where the sign-off is (paragraph, line): a known one ("Best regards,"), or a closing
    line of the writer's own that ends on a comma with only a name after it ("Looking
    forward to hearing from you,\nJamie Rivera"). None: the note is unsigned."""
    lines = [(at, i, line) for at, p in enumerate(paragraphs) for i, line in enumerate(p)]
    found = None  # the last one: a "Thanks!" with the note going on after it is none
    for k, (at, i, line) in enumerate(lines):
        rest = lines[k + 1 :]
        if (at, i) == (0, 0) or len(rest) > _SIGNATURE:
            continue  # the greeting; a line with more than a signature after it
        if _is_sign_off(line) or (line.endswith(",") and rest and _is_name(rest[0][2])):
            found = (at, i)
    if found is None:
        return None
    at, i = found
    while i and paragraphs[at][i - 1].endswith(",") and len(paragraphs[at][i - 1].split()) < 5:
        i -= 1  # "I remain,\nYours faithfully,": one closing
    return at, i


# Lines a signature may take after the sign-off: a name, a title, a phone, an address, a
# link, a P.S.
_SIGNATURE = 8


def _is_name(line: str) -> bool:
    """A signature's name line: a few words, no sentence's mark at its end."""
    return len(line.split()) <= 4 and not line.endswith((".", "!", "?", ",", ";", ":"))


def _is_sign_off(line: str) -> bool:
    folded = _fold(line).rstrip(".!,").strip()
    return folded in _SIGN_OFFS


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
    ("desperate", _desperate),
    ("doubled", _doubled),
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
    findings += [Finding("unfinished", sev, message) for sev, message in _unfinished(note)]
    for rule_id, check in _CHECKS:
        findings += [Finding(rule_id, _SEVERITY[rule_id], message) for message in check(note)]
    findings.sort(key=lambda f: (f.severity is not Severity.ERROR, _ORDER[f.rule]))
    return findings


_STAND_INS = frozenset(
    (
        "project", "specific project", "topic", "specific topic", "point", "specific point",
        "skill", "relevant skill", "skills", "something", "stuff", "placeholder", "n/a", "na",
        "none", "nothing", "?", "??", "...", "…", "-", "--", "tbd", "tbc", "todo",
        "company", "name", "role", "project name", "company name", "topic here", "skill here",
        # a phone's hurried stand-ins (a cold trial, session 15): no topic at all
        "the", "a", "an", "it", "her", "him", "them", "this", "that", "lol", "idk", "see notes",
        "same as before", "as above", "same", "a lot", "everything", "various topics",
        "various", "misc", "things", "etc", "blah", "xxx", "asdf", "test", "about",
    )
)  # fmt: skip


def looks_like_placeholder(text: str) -> bool:
    """A short text (a debriefed topic, a skill, a name) that is a template's blank rather
    than what it stands for: "[specific project]", "{{ company }}", "«project»", "TBD",
    "project-name-here", or a bare stand-in word ("project", "specific project", "N/A").
    The drafting side asks this before it writes a topic or a skill into a note."""
    plain = _normalize(text).strip()
    if not plain:
        return False
    bare = " ".join(_fold(plain).strip(" .:;,!").split())
    if bare in _STAND_INS or not bare:  # "…" and "..." strip to nothing
        return True  # "project", "N/A"; but "the project" is vague, not a blank
    for article in ("the ", "a ", "an ", "your ", "my ", "our "):
        bare = bare.removeprefix(article)
    if bare.startswith(("specific ", "relevant ")) and bare in _STAND_INS:
        return True  # "a specific project", "your relevant skill"
    return bool(_placeholders(_Tokens(plain)))
