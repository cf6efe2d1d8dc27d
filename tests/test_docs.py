"""The docs cannot drift from the CLI: every command and option has help text and is
documented, and what the README claims about the commands is checked against them."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest

from followup.app.errors import ExitCode
from followup.cli.main import cli
from followup.config.settings import KEYS

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))


def commands(
    group: click.Command = cli, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, click.Command]]:
    """Every command under `followup`, groups included, as ("users add", its command)."""
    if path:
        yield " ".join(path), group
    if isinstance(group, click.Group):
        for name, sub in sorted(group.commands.items()):
            yield from commands(sub, (*path, name))


LEAVES = {name: c for name, c in commands() if not isinstance(c, click.Group)}


def options(command: click.Command) -> set[str]:
    return {
        o for p in command.params if isinstance(p, click.Option) for o in p.opts + p.secondary_opts
    }


def code_lines(path: Path) -> Iterator[str]:
    """The `followup …` lines of the file's ``` blocks, continuation lines joined."""
    inside = False
    pending = ""
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("```"):
            inside = not inside
            continue
        if not inside:
            continue
        pending += line.rstrip("\\").strip() + " "
        if line.endswith("\\"):
            continue
        if pending.startswith("followup "):
            yield pending.strip()
        pending = ""


def every_doc() -> str:
    return "\n".join(p.read_text("utf-8") for p in [README, *DOCS])


@pytest.mark.parametrize("name", [name for name, _ in commands()])
def test_every_command_and_option_has_help(name: str) -> None:
    command = dict(commands())[name]
    assert (command.help or "").strip(), f"`followup {name}` has no help text"
    bare = [p.opts[0] for p in command.params if isinstance(p, click.Option) and not p.help]
    assert bare == [], f"`followup {name}`: options without help"


def test_the_root_options_have_help() -> None:
    assert [p.opts[0] for p in cli.params if isinstance(p, click.Option) and not p.help] == []


@pytest.mark.parametrize("name", [name for name, _ in commands()])
def test_every_command_is_documented(name: str) -> None:
    """Named as `followup NAME …` or `` `NAME …` `` in README.md or docs/."""
    pattern = re.compile(r"(?:followup|`)\s*(?:--home \S+ )?" + re.escape(name) + r"\b")
    assert pattern.search(every_doc()), f"`followup {name}` is in neither README.md nor docs/"


def test_json_is_everywhere_but_where_the_readme_says() -> None:
    text = " ".join(README.read_text("utf-8").split())
    claim = re.search(r"Every command takes `--json`[^.]*\.", text)
    assert claim is not None, "the README no longer says which commands take --json"
    named_exceptions = set(re.findall(r"`([a-z][a-z ]*)`", claim.group(0)))
    without = {name for name, c in LEAVES.items() if "--json" not in options(c)}
    assert without == named_exceptions


def test_exit_code_table_is_exit_code() -> None:
    rows = re.findall(r"^\| (\d) \| (.+) \|$", README.read_text("utf-8"), re.MULTILINE)
    assert [int(code) for code, _ in rows] == [int(c) for c in ExitCode]


@pytest.mark.parametrize("path", [README, *DOCS], ids=lambda p: p.name)
def test_links_inside_the_repository_resolve(path: Path) -> None:
    broken = [
        target
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", path.read_text("utf-8"))
        if "://" not in target
        and not target.startswith(("../", "mailto:"))  # outside the repository
        and not (path.parent / target).exists()
    ]
    assert broken == []


@pytest.mark.parametrize("path", [README, *DOCS], ids=lambda p: p.name)
def test_example_command_lines_name_real_commands_and_options(path: Path) -> None:
    wrong = []
    for line in code_lines(path):
        words = shlex.split(line, comments=True)[1:]
        while words[:1] == ["--home"]:
            words = words[2:]
        command: click.Command = cli
        while isinstance(command, click.Group) and words and words[0] in command.commands:
            command = command.commands[words.pop(0)]
        if isinstance(command, click.Group) and words:
            wrong.append(f"{line}: no command {words[0]!r}")
            continue
        known = options(command) | {"--help", "-h"}
        for word in words:
            if word.startswith("-") and word != "-" and word.split("=")[0] not in known:
                wrong.append(f"{line}: no option {word}")
    assert wrong == []


def test_settings_named_in_the_docs_exist() -> None:
    named = set(re.findall(r"config set ([a-z_]+(?:\.[a-z_]+)?)(?![.*a-z_])", every_doc()))
    assert named and named - set(KEYS) == set()


def _tone_tables() -> list[tuple[str, str, set[str]]]:
    """(file, name, the Tone members it lists) of every dict literal in src/ keyed by Tone."""
    import ast

    src = Path(__file__).parents[1] / "src" / "followup"
    found = []
    for path in sorted(src.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Assign | ast.AnnAssign) or not isinstance(
                node.value, ast.Dict
            ):
                continue
            keys = node.value.keys
            members = {
                k.attr
                for k in keys
                if isinstance(k, ast.Attribute)
                and isinstance(k.value, ast.Name)
                and k.value.id == "Tone"
            }
            if not members or len(members) != len(keys):
                continue
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            name = target.id if isinstance(target, ast.Name) else ast.unparse(target)
            found.append((str(path.relative_to(src)), name, members))
    return found


def test_a_new_tone_finds_every_table_keyed_by_tone_ready() -> None:
    """docs/architecture.md's recipe for a tone: a table keyed by Tone either lists every
    Tone or is read only through a fallback to the neutral entry (`names._by_tone`), never
    as `TABLE[tone]`, which a new Tone would turn into a KeyError in every draft."""
    from followup.domain.model import Tone

    tables = _tone_tables()
    assert tables, "the walk found no table keyed by Tone: is it still reading the sources?"
    src = Path(__file__).parents[1] / "src" / "followup"
    unsafe = []
    for file, name, members in tables:
        text = (src / file).read_text(encoding="utf-8")
        if re.search(rf"\b{re.escape(name)}\[(?!Tone\.)", text):
            unsafe.append(f"{file}: {name}[...] has no fallback for a new tone")
        if members != {t.name for t in Tone} and "NEUTRAL" not in members:
            unsafe.append(f"{file}: {name} lists neither every tone nor the neutral fallback")
    assert unsafe == []


def test_a_tone_with_no_entry_greets_as_the_neutral_one() -> None:
    """What a new Tone meets before its entries are written: the neutral greeting, not a
    KeyError (issue #12's trial: adding a Tone made every draft fail)."""
    from followup.domain.model import Tone
    from followup.domain.names import greet, parse_name

    new_tone: Any = "warm"  # stands for a member added to Tone with no entry anywhere yet
    assert greet(None, new_tone) == greet(None, Tone.NEUTRAL)
    ada = parse_name("Ada Lovelace")
    assert greet(ada, new_tone) == greet(ada, Tone.NEUTRAL)


def test_the_mailer_port_has_the_check_mail_test_calls() -> None:
    """docs/architecture.md names `Mailer.check`; `MailSetup.check` calls it."""
    from followup.app.mailports import Mailer

    assert "check" in Mailer.__dict__
