"""Whether a debriefed topic or skill makes a point a note can carry — pure.

A topic is cited by every opening as the interviewer's point ("Hearing about X gave me a
much clearer sense of the work at Acme"), so some are refused where they are typed (`add`,
`debrief`, the dashboard; never a file's, which earlier versions accepted): pay, the
seeker's own work, scorn for the company, or nothing in particular. The cold trials of
session 16 showed how a rule that refuses can stop a user from recording what they really
talked about: names and titles ("My Brilliant Career", "the Terrible Towel campaign",
"Ninja Forms") are written with capitals, and a capitalised word is never read as the
seeker's judgement, boast or first person.
"""

from __future__ import annotations

import re

EXAMPLE = {"topic": "the quarterly retraining of the credit model", "skill": "PostgreSQL"}


def topic_problem(text: str, company: str = "", role: str = "") -> str | None:
    """Why the topic, as typed, would make no point in a note; None if it makes one."""
    from followup.domain.compose import topic_aside, topic_is_generic  # (compose: ~5 ms)

    shown = text if len(text) <= 60 else text[:57] + "\u2026"
    example = EXAMPLE["topic"]
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
    if topic_is_generic(text, company, role):
        return (
            f"the topic {shown!r} is too general to show you listened: give one point"
            f" discussed, e.g. {example!r}"
        )
    return None


def skill_problem(text: str) -> str | None:
    """Why the skill, as typed, is a boast the note would make about the seeker."""
    if not _BOAST.search(text):
        return None
    shown = text if len(text) <= 60 else text[:57] + "\u2026"
    return (
        f"the skill {shown!r} is a boast the note would make about you: give what you bring,"
        f" e.g. {EXAMPLE['skill']!r} or 'enterprise negotiation'"
    )


def _scorn(point: str, company: str) -> list[str]:
    """The words of scorn in the point, as typed in lower case (a capitalised one is a name:
    "Ivan the Terrible", "Shady Grove") and not part of the company's own name."""
    named = company.casefold().split()
    return [
        m.group() for m in _SCORN.finditer(point) if m.group().islower() and m.group() not in named
    ]


def _about_my_work(text: str) -> bool:
    """ "my portfolio", "the demo I gave": the seeker's own work — not a title ("My Brilliant
    Career", "the What I Made This Summer show") nor a numeral ("Phase I built …")."""
    mine = _MY_WORK.match(text)
    if mine and not mine.group(1)[:1].isupper():
        return True
    for found in _I_DID.finditer(text):
        before = text[: found.start()].split()[-1:] or [""]
        if not before[0][:1].isupper():
            return True
    return False


# "my" (any case: a phone capitalises the first letter) before the seeker's own things; the
# word after it in lower case ("My Design System audit tool" is a product's name)
_MY_WORK = re.compile(
    r"^[Mm]y\s+((?:[\w-]+\s+)?(?:portfolio|take-?home|resume|r[ée]sum[ée]|cv|background"
    r"|experience|projects?|presentation|case study|answers?|code|solution|designs?|thesis"
    r"|dissertation|skills?|career|demo|pitch|writing samples?|submission|assignment"
    r"|questions|qualifications|references|strengths|weaknesses|approach|rotations?"
    r"|internships?|work history)\b|(?:previous|current|last|former|old) )"
)
# "I" before a verb of the seeker's own doing, in lower case (case matters: a title's "I
# Made This" is capitalised)
_I_DID = re.compile(
    r"(?:^|(?<=\s))I(?:['\u2019]ve)? (?:submitted|presented|built|did|made|wrote|showed"
    r"|shared|sent|gave|designed|prepared|created|developed|completed|delivered|coded"
    r"|pitched|walked (?:them|you|him|her) through)\b"
)
# Scorn, which has no neutral sense in a topic (other negative words have: "toxic waste",
# "the layoffs", "high turnover" — a warning at the debrief, and lint's)
_SCORN = re.compile(
    r"\b(?:terrible|horrible|horrendous|awful|dreadful|crappy|shitty|garbage|trash|lousy"
    r"|shady|sketchy|janky|sucks|sucked|hated?(?! (?:crimes?|speech|mail|groups?)\b))\b",
    re.IGNORECASE,
)
# Pay and perks, alone: a thank-you that cites them reads as what the seeker cares about
# most ("the vesting schedule" is work for a compensation analyst: the role says so)
_MONEY = re.compile(
    r"^(?:the |my |our |your )?(?:salary|pay|compensation|comp|benefits|perks|bonus|money"
    r"|pto|time off|salary range|pay range|salary expectations|raises?|pay rise)$"
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
    r"(?-i:\b(?:the best|best-in-class|world-class|world class|top-notch|unmatched"
    r"|unparalleled|unrivall?ed|second to none|rockstar|rock star|rock-solid|ninja|guru"
    r"|wizard|elite|10x)\b)"
)
