"""A use-case's message in the dashboard's words: the fix it names is a form or a button on
the page, never a CLI flag (issue #16).

The use-cases speak to the terminal ("not due until …: --force sends now", "debrief it
(followup debrief 2 --topic "…")"); the CLI prints them as they are. Every message the pages
show from a use-case — a notice, an error, a lint finding, a tone's reason — goes through
`plain` (the Jinja filter of the same name), the one place that says where the same fix is
on the page. tests/web/test_plain.py checks each rewrite and that no page names a flag.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from followup.app.sending import LINT_REFUSED
from followup.domain.lint.rules import RULES

# `followup debrief ID --flag value …`: the Debrief form's fields, by the flag that sets them
_DEBRIEF_FIELDS = {
    "interviewer": "About",
    "topic": "A specific point you discussed",
    "skill": "The skill to stress",
    "note": "Something new to add in a later note",
    "greeting": "Greet them as",
    "tone": "Tone",
}
_EDIT_FIELDS = {
    "culture": "Culture",
    "country": "Country",
    "location": "Where",
    "company": "Company",
    "role": "Role",
    "tz": "Time zone",
    "at": "Started at",
    "duration": "Duration",
}
_VALUE = r'(?:"[^"]*"|\S+)'
_COMMAND = re.compile(rf"`?followup (debrief|edit) \S+((?: --[a-z-]+ {_VALUE})+)`?")
_FLAG = re.compile(rf"--([a-z-]+) ({_VALUE})")


def _form(match: re.Match[str]) -> str:
    command, flags = match.group(1), match.group(2)
    fields = _DEBRIEF_FIELDS if command == "debrief" else _EDIT_FIELDS
    parts = []
    for flag, value in _FLAG.findall(flags):
        label = fields.get(flag, flag.replace("-", " "))
        shown = value.strip('"')
        parts.append(label if shown in ("…", "") else f"{label}: {shown.replace('|', ' or ')}")
    # the Debrief form sits above the drafts (where a finding is read), as Edit does
    where = "the Debrief form above" if command == "debrief" else "Edit, above"
    return f"{where} — {', '.join(parts)}" if parts else where


# a lint refusal's "no-skill: …": the rule's id is for scripts; the page says the problem
_RULE_ID = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(r.id) for r in RULES) + r"): ")

_Rule = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]
_RULES: tuple[_Rule, ...] = (
    # an interview typed again (services._refuse_duplicate), a job already there (same_job)
    (
        re.compile(r"move that one \(followup edit (\d+) --at …\)"),
        r"move that one in Edit at /interviews/\1",
    ),
    (
        re.compile(r"a later round of that one is added with --application \d+"),
        "a later round of that one is added by choosing it as the application here",
    ),
    (_COMMAND, _form),
    (re.compile(re.escape(LINT_REFUSED)), "the draft needs fixing first — "),
    (_RULE_ID, ""),
    (re.compile(r": --force sends now"), ": “Send when due” sends it then"),
    (
        re.compile(r"\(to send it all the same: followup send \d+(?: --interviewer \S+)?\)"),
        "(“Send now” on its card sends it)",
    ),
    (
        re.compile(r"record it with --force"),
        "tick “even before the cadence allows” under Mark sent on the interview page",
    ),
    (
        re.compile(r"`followup undo \S+ --force` records it as not sent"),
        "“It never arrived: record it as not sent” does that",
    ),
    (
        re.compile(r"\(edit it with `followup draft \S+(?: --interviewer \S+)? --edit`\)"),
        "(edit its text in the draft)",
    ),
    (re.compile(r"use --step N to preview"), "preview a step below"),
    (re.compile(r"add others with `followup add --application`"), "add the others in Edit"),
    (re.compile(r"needs both --company and --role"), "needs both a company and a role"),
    (re.compile(r" \(--note\)"), " (Something new to add in a later note)"),
    (re.compile(r"\(--country none\)"), "(Country: none)"),
    (re.compile(r"\(set one with --country CC\)"), "(set one in Edit: Country)"),
    (re.compile(r" \(see followup edit --help\)"), ""),
    (re.compile(r"\(--add-interviewer\)"), "(Edit: add an interviewer)"),
    (re.compile(r"pass --(company|role)\b"), r"type the \1"),
    (
        re.compile(r"--greeting needs --interviewer EMAIL: whom it greets"),
        "“Greet them as” needs an interviewer chosen under About: whom it greets",
    ),
    (
        re.compile(r"`?followup add --application \S*(?: --at …)?`?"),
        "“Add the next round” on the interview page",
    ),
    (re.compile(r"followup import the invitation"), "import the invitation on Add"),
    (re.compile(r"see it with followup show (\d+)"), r"open it at /interviews/\1"),
    # your name and address: the Settings page's You form
    (
        re.compile(rf"followup config set user\.name {_VALUE}"),
        "give your name under Settings → You",
    ),
    (
        re.compile(rf"followup config set user\.email {_VALUE}"),
        "give your address under Settings → You",
    ),
    # the mail account's fixes: the Settings page's Mail account form
    (
        re.compile(r"followup config set mail\.from_address \S+"),
        "give your address under Settings → Mail account",
    ),
    # mail setup found no servers for the address: the Advanced form below the address
    (
        re.compile(r"\(not a known provider; no MX, SRV or autoconfig that names its servers\)"),
        "(not a provider followup knows, and the domain names no mail servers)",
    ),
    (
        re.compile(
            r"set mail\.imap_host and mail\.smtp_host yourself \(.*?\): followup config"
            r" set mail\.imap_host HOST; .*? followup config set mail\.provider microsoft"
        ),
        "fill in “Advanced: server settings” below (your provider's SMTP and IMAP servers),"
        " then save again",
    ),
    (
        re.compile(r"\(set mail\.(smtp|imap)_host\)"),
        "(give its server under Settings → Mail account → Advanced: server settings)",
    ),
)
_MAY_NAME_CLI = ("--", "followup ", "(set mail.")


_PAGE = re.compile(r"(?<![\w/])/interviews/(\d{1,19})\b")


def linked(message: object) -> Any:
    """`message` escaped, with each interview page it names (/interviews/7) as a link to it:
    the duplicate's "open it at /interviews/1" is a link, not an address to retype."""
    from markupsafe import Markup, escape

    text = str(escape(str(message)))
    return Markup(
        _PAGE.sub(r'<a href="/interviews/\1" data-testid="message-link">/interviews/\1</a>', text)
    )


def plain(message: object) -> str:
    """`message` with each CLI fix it names said as the dashboard's form or button."""
    text = str(message)
    if not any(marker in text for marker in _MAY_NAME_CLI):
        return text
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text
