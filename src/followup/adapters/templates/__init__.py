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
from followup.app.files import check_source
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
            check_source(path)  # a fifo in the templates folder would block every draft
            try:
                with open(path, encoding="utf-8") as f:
                    text = f.read()
            except (OSError, UnicodeDecodeError) as exc:
                raise InvalidInput(f"cannot read template {path}: {exc}") from exc
            _refuse_other_files_early(text, path)
            return Template(text, path)
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

    env = _sandbox()
    try:
        tree = env.parse(template.text)
        _refuse_other_files(tree, template.origin)
        _count_loops(tree)
        compiled = env.from_string(tree, globals={"range": _capped_range})
        chunks: list[str] = []
        size = 0
        for chunk in compiled.generate(**variables):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:  # stops at once: the cap is not checked at the end
                raise InvalidInput(
                    f"template {template.origin} renders over {MAX_OUTPUT_CHARS} chars"
                )
            chunks.append(chunk)
    except _TooBig as exc:
        raise InvalidInput(f"template {template.origin}: {exc}") from exc
    except RecursionError as exc:
        raise InvalidInput(f"template {template.origin}: calls itself too deeply") from exc
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", None)  # syntax errors know their line
        where = f" line {line}" if line else ""
        raise InvalidInput(f"template {template.origin}{where}: {exc.message}") from exc
    except InvalidInput:
        raise
    except Exception as exc:  # the template's own mistake ({{ 1/0 }}, join on a number)
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InvalidInput(f"template {template.origin}: {reason}") from exc
    return "".join(chunks)


# --- the sandbox's limits on work ------------------------------------------------------
#
# Jinja2's sandbox bounds what a template may reach, not how long it runs or how much it
# makes: `{{ "a" * 1000000000 }}` built a gigabyte before the output cap was looked at, and
# three nested range(1000) loops ran for minutes printing nothing (issue #11). So every
# loop step and every call counts against a budget, and `*`, `**`, `%`, `+`, `~` and the
# filters refuse a result (or an argument) larger than a note could ever use.

MAX_STEPS = 100_000  # loop iterations plus calls, per render: a note needs a few dozen
MAX_VALUE = MAX_OUTPUT_CHARS  # the longest string or list a template may build
# Filters put in by _count_loops: names no template can write (they start with "_" + ".")
_STEPS, _SIZED = "._steps", "._sized"


class _TooBig(Exception):
    """A template asked for more than a note could use; the message says what."""


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_STEPS

    def step(self, items: Any) -> Any:
        """`items`, iterated one at a time, each step counted."""
        for item in items:
            self.spend()
            yield item

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise _TooBig(f"over {MAX_STEPS:,} loop steps and calls: simplify its loops")


def _sized(value: Any) -> Any:
    if isinstance(value, str | bytes | list | tuple | dict) and len(value) > MAX_VALUE:
        raise _TooBig(f"makes a value over {MAX_VALUE:,} long")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        raise _TooBig("makes a number over 256 bits")
    return value


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


def _check_args(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    """A width, count or size argument (center(10**9), ljust, wordwrap...) over the cap."""
    for arg in (*args, *kwargs.values()):
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_VALUE:
            raise _TooBig(f"asks for {arg:,}: over {MAX_VALUE:,}")


_WIDTH = None  # compiled on first use: a %-format's widths and precisions


def _format_widths(text: str) -> list[int]:
    global _WIDTH
    import re

    if _WIDTH is None:
        _WIDTH = re.compile(r"%[-+ #0]*(\d+)?(?:\.(\d+))?")
    return [int(n) for m in _WIDTH.finditer(text) for n in m.groups() if n]


def _sandbox() -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Capped(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%", "+"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    n = _length(seq)
                    if n is not None and isinstance(times, int) and n * times > MAX_VALUE:
                        raise _TooBig(f"makes a value over {MAX_VALUE:,} long")
            elif operator == "**":
                if isinstance(right, int | float) and abs(right) > 256:
                    raise _TooBig("raises to a power over 256")
            elif operator == "%" and isinstance(left, str):
                _check_args(tuple(_format_widths(left)), {})
            return _sized(super().call_binop(context, operator, left, right))

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            budget.spend()
            if __obj is not _capped_range:  # which says its own limit
                _check_args(args, kwargs)
            return _sized(super().call(__context, __obj, *args, **kwargs))

    env = Capped(
        undefined=StrictUndefined,
        autoescape=False,  # plain-text e-mail: HTML escaping would corrupt it
        keep_trailing_newline=True,  # as the subset renderer does
    )
    env.filters = {name: _capped_filter(f) for name, f in env.filters.items()}
    budget = _Budget()  # one environment per render: the budget is the render's
    env.filters[_STEPS] = budget.step
    env.filters[_SIZED] = _sized
    return env


def _capped_filter(f: Any) -> Any:
    import functools

    from jinja2.utils import pass_context, pass_environment, pass_eval_context

    @functools.wraps(f)
    def capped(*args: Any, **kwargs: Any) -> Any:
        _check_args(args[2:] if kind else args[1:], kwargs)  # not the value filtered
        return _sized(f(*args, **kwargs))

    # Jinja passes the context or environment first to filters marked so: keep the mark
    kind = getattr(f, "jinja_pass_arg", None)
    if kind is not None:
        marked = {"context": pass_context, "eval_context": pass_eval_context}
        capped = marked.get(kind.name, pass_environment)(capped)
    return capped


def _count_loops(tree: Any) -> None:
    """Each `for` iterates through the budget: `for x in ITEMS` -> `for x in step(ITEMS)`;
    each `~` result is checked for size."""
    from jinja2 import nodes

    for loop in list(tree.find_all(nodes.For)):
        loop.iter = nodes.Filter(loop.iter, _STEPS, [], [], None, None, lineno=loop.lineno)
    for concat in list(tree.find_all(nodes.Concat)):  # each part no longer than the cap
        concat.nodes = [
            nodes.Filter(part, _SIZED, [], [], None, None, lineno=concat.lineno)
            for part in concat.nodes
        ]


def _refuse_other_files(tree: Any, origin: str) -> None:
    """A user template is one file: include, extends and import have no loader to read
    another (they failed with "no loader" as an internal error) and never will."""
    from jinja2 import nodes

    for node in tree.find_all((nodes.Include, nodes.Extends, nodes.Import, nodes.FromImport)):
        tag = {"Include": "include", "Extends": "extends"}.get(type(node).__name__, "import")
        raise InvalidInput(
            f"template {origin} line {node.lineno}: {{% {tag} %}} is not supported:"
            " a template is one file (copy what it needs into it)"
        )


def _refuse_other_files_early(text: str, origin: str) -> None:
    """`_refuse_other_files` as the file is loaded, without importing Jinja2."""
    import re

    found = re.search(r"\{%[-+]?\s*(include|extends|import|from)\b", text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        tag = "import" if found[1] == "from" else found[1]
        raise InvalidInput(
            f"template {origin} line {line}: {{% {tag} %}} is not supported:"
            " a template is one file (copy what it needs into it)"
        )


def _capped_range(*args: Any) -> range:
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise InvalidInput(f"range() over {MAX_RANGE} items in a template")
    return r
