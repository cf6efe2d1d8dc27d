"""The direction of imports (docs/architecture.md), read from the source: every package has a
rule, and no module of followup depends on itself through others.

Every import statement counts, wherever it is: at the top, inside a function (the lazy imports
that keep the CLI's start fast are dependencies all the same) and under `TYPE_CHECKING`. For
the layers that is plain: an annotation naming an adapter's class ties the code to that
adapter. For cycles it is a choice: a type-only cycle cannot fail at import time, but the two
modules still cannot be read, changed or tested one without the other, and mypy follows them
as one; so they count too. Only explicit imports make edges: the implicit import of a
module's parent package (`import a.b.c` runs `a/b/__init__.py`) does not, so a package's
`__init__` may re-export its own submodules.
"""

from __future__ import annotations

import ast
import sys
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "followup"

# What each part of followup may import of followup (its own part always). The composition
# root (bootstrap.py, bootstrap_accounts.py) is the one place that picks adapters: cli/ and
# web/ ask it, so they never name an adapter themselves.
ALLOWED = {
    "domain": set(),
    "app": {"domain"},
    "adapters": {"domain", "app"},
    "config": {"domain", "app"},
    "bootstrap": {"domain", "app", "adapters", "config"},
    "cli": {"domain", "app", "config", "bootstrap", "web"},  # `serve` starts the dashboard
    "web": {"domain", "app", "config", "bootstrap"},
}
STDLIB_ONLY = ("domain", "app")  # no third-party package: pure rules and use-cases


def part_of(module: str) -> str:
    """`followup.cli.mail` -> "cli"; the composition root's two modules -> "bootstrap";
    `python -m followup`'s `__main__` is the CLI's way in."""
    part = module.split(".")[1] if "." in module else ""
    if part == "__main__":
        return "cli"
    return "bootstrap" if part.startswith("bootstrap") else part


@cache
def modules() -> dict[str, tuple[Path, bool]]:
    """Every module of followup: its dotted name -> (file, is a package's __init__)."""
    found = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if package else parts)] = (path, package)
    return found


@cache
def imports() -> dict[str, set[str]]:
    """Module -> every module it names in an import statement (ours and others', top-level
    names for others'), relative imports resolved."""
    known = modules()
    graph: dict[str, set[str]] = {}
    for name, (path, package) in known.items():
        named: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                named.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    here = name.split(".") if package else name.split(".")[:-1]
                    here = here[: len(here) - node.level + 1]
                    base = ".".join([*here, base] if base else here)
                for alias in node.names:  # `from followup.app import services`: a module
                    full = f"{base}.{alias.name}"
                    named.add(full if full in known else base)
        graph[name] = named
    return graph


def ours(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    known = modules()
    return {m: {n for n in named if n in known and n != m} for m, named in graph.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_every_module_belongs_to_a_part_with_a_rule() -> None:
    parts = {part_of(m) for m in modules() if m != "followup"}
    assert parts - set(ALLOWED) == set()


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_part_imports_only_what_it_may(part: str) -> None:
    allowed = ALLOWED[part] | {part}
    wrong = [
        f"{module} imports {other}"
        for module, named in sorted(ours(imports()).items())
        if part_of(module) == part
        for other in sorted(named)
        if other != "followup" and part_of(other) not in allowed
    ]
    assert wrong == []


@pytest.mark.parametrize("part", STDLIB_ONLY)
def test_part_uses_the_standard_library_only(part: str) -> None:
    wrong = [
        f"{module} imports {other}"
        for module, named in sorted(imports().items())
        if part_of(module) == part
        for other in sorted(named)
        if other.split(".")[0] not in {"followup", "__future__", *sys.stdlib_module_names}
    ]
    assert wrong == []


def test_no_import_cycles() -> None:
    assert cycles(ours(imports())) == []


def test_the_checks_see_what_they_must() -> None:
    """The graph has the imports the rules depend on: lazy ones inside functions, ones under
    TYPE_CHECKING, and `from package import module`."""
    graph = ours(imports())
    assert "followup.adapters.store.sqlite" in graph["followup.bootstrap"]  # in a function
    assert "followup.app.ports" in graph["followup.app.context"]  # under TYPE_CHECKING
    assert "followup.app.services" in graph["followup.app.drafting"]  # from app import services
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
