"""A small subset of Jinja2 — `{{ name }}` and `{% if name %}…{% elif %}…{% else %}…{% endif %}`
— rendered without importing Jinja2.

Why: Jinja2 costs 50–100 ms to import here, more than the whole budget for drafting a note.
The built-in templates are written in this subset, so they render in microseconds; a user's
template that uses anything else goes to Jinja2's sandbox (adapters/templates). For the
subset both give the same text (a test renders every built-in both ways). Names are looked
up in a dict, never evaluated: nothing here can call or reach an attribute.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_TOKEN = re.compile(r"\{\{-?\s*(?P<var>[A-Za-z_]\w*)\s*-?\}\}|\{%-?\s*(?P<tag>[^%]*?)\s*-?%\}")
_CONDITION = re.compile(r"(?P<not>not\s+)?(?P<name>[A-Za-z_]\w*)")


class OutsideSubset(Exception):
    """The template uses more than the subset: render it with Jinja2 instead."""


class MissingVariable(Exception):
    """A variable the template names was not given (Jinja2's StrictUndefined would fail too)."""


def render_subset(template: str, variables: Mapping[str, str]) -> str:
    """Render `template`, or raise OutsideSubset / MissingVariable."""
    if "{#" in template or "{{-" in template or "-}}" in template or "{%-" in template:
        raise OutsideSubset("comments and whitespace control are Jinja2's")
    if "-%}" in template:
        raise OutsideSubset("whitespace control is Jinja2's")
    out: list[str] = []
    # Each frame: (emitting now, some branch already taken, parent emitting, else seen)
    stack: list[tuple[bool, bool, bool, bool]] = []
    emitting = True
    position = 0
    for match in _TOKEN.finditer(template):
        literal = template[position : match.start()]
        if "{{" in literal or "{%" in literal or literal.endswith("{"):
            raise OutsideSubset(
                f"unsupported expression near {literal[literal.find('{') :][:30]!r}"
            )
        if emitting:
            out.append(literal)
        position = match.end()
        if match.group("var") is not None:
            if emitting:
                out.append(_lookup(variables, match.group("var")))
            continue
        words = match.group("tag").split(None, 1)
        keyword, rest = words[0], (words[1] if len(words) > 1 else "")
        if keyword == "if":
            taken = emitting and _truth(variables, rest)
            stack.append((taken, taken, emitting, False))
        elif keyword == "elif":
            if not stack or stack[-1][3]:
                raise OutsideSubset("elif outside if, or after else")
            _, done, parent, _ = stack.pop()
            taken = parent and not done and _truth(variables, rest)
            stack.append((taken, done or taken, parent, False))
        elif keyword == "else" and not rest:
            if not stack or stack[-1][3]:
                raise OutsideSubset("else outside if, or a second else")
            _, done, parent, _ = stack.pop()
            stack.append((parent and not done, True, parent, True))
        elif keyword == "endif" and not rest:
            if not stack:
                raise OutsideSubset("endif outside if")
            stack.pop()
        else:
            raise OutsideSubset(f"{{% {keyword} %}} is not in the subset")
        emitting = stack[-1][0] if stack else True
    if stack:
        raise OutsideSubset("unclosed if")
    tail = template[position:]
    if "{{" in tail or "{%" in tail:
        raise OutsideSubset("unsupported expression")
    out.append(tail)
    return "".join(out)


def _lookup(variables: Mapping[str, str], name: str) -> str:
    try:
        return str(variables[name])
    except KeyError:
        raise MissingVariable(f"'{name}' is undefined") from None


def _truth(variables: Mapping[str, str], condition: str) -> bool:
    match = _CONDITION.fullmatch(condition.strip())
    if match is None:
        raise OutsideSubset(f"condition {condition!r} is not in the subset")
    value = bool(_lookup(variables, match.group("name")))
    return not value if match.group("not") else value
