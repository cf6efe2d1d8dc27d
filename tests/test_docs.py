"""The docs cannot drift from the CLI: every command and option has help text and is
documented, and what the README claims about the commands is checked against them."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

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


def test_adding_a_tone_changes_nothing_else_as_the_architecture_says() -> None:
    """docs/architecture.md: a tone is added to `Tone` and read from it everywhere, so no
    module lists the tones by hand (a list would miss the new one)."""
    from followup.domain.model import Tone

    names = [t.value for t in Tone]
    by_hand = re.compile(
        r"[\"']?" + r"[\"']?,? *(?:or )?[\"']?".join(map(re.escape, names)) + r"[\"']?"
    )
    src = Path(__file__).parents[1] / "src" / "followup"
    found = [
        f"{path.relative_to(src)}: {hit.group()}"
        for path in src.rglob("*.py")
        if path.name != "model.py"
        for hit in by_hand.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_mailer_port_has_the_check_mail_test_calls() -> None:
    """docs/architecture.md names `Mailer.check`; `MailSetup.check` calls it."""
    from followup.app.mailports import Mailer

    assert "check" in Mailer.__dict__
