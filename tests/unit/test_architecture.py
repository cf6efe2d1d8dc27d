"""The dependency direction of GUIDE §1, read from the imports: domain <- app <- adapters, cli.

domain imports nothing of ours but domain; app imports domain and app; adapters implement
app's ports; only the composition root (bootstrap) and the CLI pick adapters.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "followup"

ALLOWED = {
    "domain": {"domain"},
    "app": {"domain", "app"},
    "adapters": {"domain", "app", "adapters"},
    "config": {"domain", "app", "config"},
}


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] == "followup"}


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_what_it_may(layer: str) -> None:
    wrong = []
    for path in sorted((SRC / layer).rglob("*.py")):
        for module in imports_of(path):
            parts = module.split(".")
            if len(parts) > 1 and parts[1] not in ALLOWED[layer]:
                wrong.append(f"{path.relative_to(SRC)} imports {module}")
    assert wrong == []


def test_domain_is_stdlib_only() -> None:
    import sys

    third_party = []
    for path in sorted((SRC / "domain").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                top = name.split(".")[0]
                if top != "followup" and top not in sys.stdlib_module_names and top != "__future__":
                    third_party.append(f"{path.name}: {name}")
    assert third_party == []
