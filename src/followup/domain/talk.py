"""Whether a debriefed topic or skill makes a point a note can carry — pure.

A topic is cited by every opening as the interviewer's point ("Hearing about X gave me a
much clearer sense of the work at Acme"), so some are refused where they are typed (`add`,
`debrief`, the dashboard; never a file's, which earlier versions accepted): pay, the
seeker's own work, scorn for the company, or nothing in particular. The cold trials of
session 16 showed how a rule that refuses can stop a user from recording what they really
talked about: names and titles ("My Brilliant Career", "the Terrible Towel campaign",
"Ninja Forms") are written with capitals, and a capitalised word is never read as the
seeker's judgement, boast or first person — except the first word's capital alone, which a
phone's keyboard puts there ("World-class negotiation").
"""

from __future__ import annotations

import re

EXAMPLE = {"topic": "the quarterly retraining of the credit model", "skill": "PostgreSQL"}


def topic_problem(text: str, company: str = "", role: str = "") -> str | None:
    """Why the topic, as typed, would make no point in a note; None if it makes one."""
    from followup.domain.compose import topic_aside  # (compose: ~5 ms)

    shown = text if len(text) <= 60 else text[:57] + "\u2026"
    example = EXAMPLE["topic"]
    text = as_typed(text)
    if _MONEY.match(text) and not _PAY_ROLE.search(role):
        return (
            f"the topic {shown!r} is about pay or perks: a note that cites it reads as what"
            f" you care about most; give a point of the work, e.g. {example!r}"
        )
    scorn = _scorn(topic_aside(text)[0], company)  # in the aside it is left out of the notes
    if scorn:
        words = ", ".join(f'"{w}"' for w in scorn)
        return (
            f"the topic {shown!r} holds your opinion of them ({words}): every note would say"
            f" it to them; give what was discussed, e.g. {example!r} (a name is written with"
            ' its capitals: "the Terrible Towel campaign")'
        )
    if _about_my_work(text):
        return (
            f"the topic {shown!r} is about you: a note cites a point of theirs you discussed"
            f" (their work, their plans), e.g. {example!r}; your own work goes in the skill"
            " or the note"
        )
    if _generic(text, company, role):
        return (
            f"the topic {shown!r} is too general to show you listened: give one point"
            f" discussed, e.g. {example!r}"
        )
    return None


def skill_problem(text: str) -> str | None:
    """Why the skill, as typed, is a boast the note would make about the seeker."""
    if not _BOAST.search(as_typed(text)):
        return None
    shown = text if len(text) <= 60 else text[:57] + "\u2026"
    return (
        f"the skill {shown!r} is a boast the note would make about you: give what you bring,"
        f" e.g. {EXAMPLE['skill']!r} or 'enterprise negotiation'"
    )


def as_typed(text: str) -> str:
    """The text without a capital only a keyboard put there: the first word's, when the
    next word is in lower case ("World-class negotiation", "Awful onboarding"); a name keeps
    its capitals ("Terrible Towel merch", "World Class Manufacturing", "NASA's budget")."""
    words = text.split(maxsplit=2)
    first = words[0] if words else ""
    keyboard = len(words) > 1 and first[:1].isupper() and first[1:2].islower()
    if keyboard and not words[1][:1].isupper():
        return text[0].lower() + text[1:]
    return text


def _scorn(point: str, company: str) -> list[str]:
    """Scorn for the employer in the point: a word of scorn in lower case (a capitalised one
    is a name: "Ivan the Terrible") that is theirs ("their terrible reviews") or said of a
    thing of theirs ("the crappy onboarding") — not of an event they described ("the
    terrible flooding in 2012": a warning, as "toxic" is)."""
    named = company.casefold().split()
    found = []
    for m in _SCORN.finditer(point):
        word = next(w for w in m.groups() if w)
        if word.islower() and word not in named:
            found.append(word)
    return found


def _about_my_work(text: str) -> bool:
    """ "my portfolio", "the demo I gave": the seeker's own work — not a title ("My Brilliant
    Career"), a numeral ("Phase I built …"), nor their plans for the seeker ("my future
    manager's style", "my first 90 days")."""
    mine = _MY.match(text)
    if mine and mine.group(1).casefold() not in _THEIR_PLANS:
        words = text.split()[1:3]
        title = len(words) == 2 and all(w[:1].isupper() for w in words)  # "My Little Pony"
        if not title:
            return True
    for found in _I_DID.finditer(text):
        before = text[: found.start()].split()[-1:] or [""]
        if not before[0][:1].isupper():
            return True
    return False


def _generic(topic: str, company: str = "", role: str = "") -> bool:
    """A topic that names no point of the conversation: the role, the team, the interview
    itself, or only the company or role ("Hearing about Acme gave me a much clearer sense of
    the work at Acme"). The article asks for "a key point from your discussion"."""
    bare = _GENERIC_LEAD.sub("", " ".join(topic.casefold().split()).strip(_STOPS))
    if bare in _GENERIC_TOPICS:
        return True
    words = company.casefold().split()
    if len(words) > 1 and len(words[0]) >= 4 and bare in (words[0], f"{words[0]}'s"):
        return True  # "Northwind" for Northwind Logistics
    for name in (company, role):
        name = _GENERIC_LEAD.sub("", " ".join(name.casefold().split()))  # "The Team Co"
        if not name:
            continue
        named = re.fullmatch(re.escape(name) + r"(?:['\u2019]s)?(?: (.+))?", bare)
        if named and (named.group(1) is None or named.group(1) in _GENERIC_TOPICS):
            return True
        if _GENERIC_AT.fullmatch(bare.removesuffix(name).strip()) and bare.endswith(name):
            return True
    return False


_GENERIC_LEAD = re.compile(r"^(?:the|this|your|our|my|a|an)\s+")
_GENERIC_TOPICS = frozenset(
    (
        "role", "position", "job", "opening", "vacancy", "opportunity", "team", "company",
        "interview", "conversation", "chat", "discussion", "meeting", "call", "next steps",
        "process", "hiring process", "interview process", "culture", "company culture",
        "team culture", "job description", "role description", "responsibilities", "work",
        "product", "products", "mission", "company mission", "people", "business",
        "whole team", "team's", "company's", "vision", "values", "company values",
        "firm", "department", "organization", "organisation", "agency",
    )
)  # fmt: skip
_GENERIC_AT = re.compile(
    r"(?:the |this |your )?(?:role|position|job|opening|team|work) (?:at|with)"
)


_STOPS = ".,;:!?\u2026 "  # what ends a typed phrase (as compose strips it)
# "my" (either case: a keyboard capitalises the first letter) and the next word
_MY = re.compile(r"^[Mm]y\s+([\w'-]+)")
# …what the employer plans for the seeker, which a note may well cite
_THEIR_PLANS = frozenset(
    (
        "future", "first", "role", "team", "manager", "manager's", "managers", "day-to-day",
        "day", "onboarding", "training", "start", "mentor", "mentorship", "responsibilities",
        "schedule", "caseload", "reports", "direct", "potential", "possible", "new", "next",
        "prospective", "would-be", "eventual", "probation", "trial",
    )
)  # fmt: skip
# "I" before a verb of the seeker's own doing, in lower case (a title's "I Made This" is
# capitalised)
_I_DID = re.compile(
    r"(?:^|(?<=\s))I(?:['\u2019]ve)? (?:submitted|presented|built|did|made|wrote|showed"
    r"|shared|sent|gave|designed|prepared|created|developed|completed|delivered|coded"
    r"|pitched|taught|ran|led|walked (?:them|you|him|her) through)\b"
)
_SCORN_WORDS = (
    r"terrible|horrible|horrendous|awful|dreadful|crappy|shitty|garbage|trash|lousy|shady"
    r"|sketchy|janky|ugly|bad|poor|clunky"
)
# what of theirs scorn may be said of ("the crappy onboarding", "their ugly website")
_THEIRS = (
    r"reviews?|ratings?|reputation|press|onboarding|management|managers?|leadership|culture"
    r"|website|site|app|apps|product|products|process(?:es)?|pay|benefits|office|offices"
    r"|codebase|code|tech stack|stack|tools?|tooling|hiring|interview(?:s|ing)?|team|teams"
    r"|ceo|boss|hr|systems?|software|platform|service|customer service|morale|wages"
)
_SCORN = re.compile(
    rf"\b(?:their|your|its|the company's|the firm's)\s+(?:[\w-]+\s+)?({_SCORN_WORDS})\b"
    rf"|\b({_SCORN_WORDS})\s+(?:[\w-]+\s+)?(?:{_THEIRS})\b"
    r"|\b(sucks|sucked)\b",
    re.IGNORECASE,
)
# Pay and perks, alone: a thank-you that cites them reads as what the seeker cares about
# most ("the vesting schedule" is work for a compensation analyst: the role says so)
_MONEY = re.compile(
    r"^(?:the |my |our |your )?(?:salary|pay|compensation|comp|benefits|perks|bonus|money"
    r"|pto|time off|salary range|pay range|salary expectations|raises?|pay rise"
    r"|(?:hourly|day|daily|weekly) rate|rate|rates|per diem|tips|overtime(?: pay)?"
    r"|commission|wages?)$"
    r"|^(?:what|how much) (?:the role|the job|the position|it|this role|this job) pays$",
    re.IGNORECASE,
)
_PAY_ROLE = re.compile(
    r"(?i)\b(?:comp(?:ensation)?|benefits?|payroll|rewards|pay|equity|pension|retirement"
    r"|travel|hotel|hospitality|hr|people|recruit\w*|talent)\b"
)
# A boast typed as the skill, in lower case ("Ninja Forms", "Guru", "World Class
# Manufacturing" are names): the note would say it of the seeker
_BOAST = re.compile(
    r"\b(?:the best|best-in-class|best in class|world-class|world class|top-notch|unmatched"
    r"|unparalleled|unrivall?ed|second to none|rockstar|rock star|rock-solid|ninja|guru"
    r"|wizard|elite|10x|excellent|superb|outstanding|incredible|amazing|top performer)\b"
)
