"""Note templates: built-in ones per kind × tone, overridable by files in the config dir.

Lookup for a thank-you in formal tone: `<config dir>/templates/thank-you.formal.txt`, then
`<config dir>/templates/thank-you.txt`, then the built-in `thank-you.formal.txt`. A kind of
the user's policy with no template of theirs (e.g. a `check-in`) gets the built-in
`_any-kind.txt`, written to suit any later note in any tone.

A template in the Jinja2 subset of domain/templating.py (all the built-ins) renders without
importing Jinja2; anything else renders in Jinja2's `ImmutableSandboxedEnvironment` with
`StrictUndefined`, capped in size. Data (company names, topics, invite titles) is only ever
passed as variables, never compiled, so a company called `{{7*7}}` appears literally.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, NamedTuple

from followup.app.errors import InvalidInput
from followup.domain.templating import MissingVariable, OutsideSubset, render_subset

BUILTIN_DIR = os.path.join(os.path.dirname(__file__), "builtin")
# No kind's name starts with "_" (domain/policy.py): this file never shadows one.
ANY_KIND = os.path.join(BUILTIN_DIR, "_any-kind.txt")
MAX_TEMPLATE_BYTES = 16 * 1024  # a note is a few hundred words: anything bigger is a mistake
MAX_OUTPUT_CHARS = 32 * 1024  # the sandbox bounds what a template may reach, not its output
MAX_RANGE = 1000  # Jinja2's sandbox allows range(100_000): a note never needs a loop that long


class Template(NamedTuple):
    text: str
    origin: str  # the file it came from, for messages


class TemplateLibrary:
    def __init__(self, user_dir: str | None) -> None:
        self.user_dir = user_dir

    def find(self, kind: str, tone: str) -> Template:
        candidates = []
        if self.user_dir:
            candidates += [
                os.path.join(self.user_dir, f"{kind}.{tone}.txt"),
                os.path.join(self.user_dir, f"{kind}.txt"),
            ]
        candidates += [os.path.join(BUILTIN_DIR, f"{kind}.{tone}.txt"), ANY_KIND]
        for path in candidates:
            try:
                size = os.path.getsize(path)
            except OSError:
                continue
            if size > MAX_TEMPLATE_BYTES:
                raise InvalidInput(f"template {path} is over {MAX_TEMPLATE_BYTES} bytes")
            try:
                with open(path, encoding="utf-8") as f:
                    return Template(f.read(), path)
            except (OSError, UnicodeDecodeError) as exc:
                raise InvalidInput(f"cannot read template {path}: {exc}") from exc
        raise InvalidInput(f"no template for {kind} in {tone} tone")

    def render(self, kind: str, tone: str, variables: Mapping[str, str]) -> str:
        template = self.find(kind, tone)
        return render(template, variables)


def render(template: Template, variables: Mapping[str, str]) -> str:
    """The template's text with `variables` filled in, or one clear InvalidInput."""
    try:
        text = render_subset(template.text, variables)
    except MissingVariable as exc:
        raise InvalidInput(f"template {template.origin}: {exc}") from exc
    except OutsideSubset:
        text = _render_sandboxed(template, variables)
    if len(text) > MAX_OUTPUT_CHARS:
        raise InvalidInput(f"template {template.origin} renders over {MAX_OUTPUT_CHARS} chars")
    return text


def _render_sandboxed(template: Template, variables: Mapping[str, str]) -> str:
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain-text e-mail: HTML escaping would corrupt it
        keep_trailing_newline=True,  # as the subset renderer does
    )
    env.globals["range"] = _capped_range
    try:
        compiled = env.from_string(template.text)
        chunks: list[str] = []
        size = 0
        for chunk in compiled.generate(**variables):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise InvalidInput(
                    f"template {template.origin} renders over {MAX_OUTPUT_CHARS} chars"
                )
            chunks.append(chunk)
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", None)  # syntax errors know their line
        where = f" line {line}" if line else ""
        raise InvalidInput(f"template {template.origin}{where}: {exc.message}") from exc
    return "".join(chunks)


def _capped_range(*args: Any) -> range:
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise InvalidInput(f"range() over {MAX_RANGE} items in a template")
    return r
