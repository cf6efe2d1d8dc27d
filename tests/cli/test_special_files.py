"""Issue #11's cold trial: a file followup writes replaces its target only when that is a
regular file (or absent), and a file it reads must be a regular file.

Writing renames a temp file over the target: a fifo, a symlink (to /proc/self/fd/1, say)
or, as root, a device became a regular 0600 file and the command said it was done. Reading
a fifo blocked `import`, `classify` and `restore` forever. Only files under tmp_path here.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import threading
from pathlib import Path

import pytest

from tests.conftest import Run

ADD = ("add", "--company", "Acme", "--role", "Dev", "--at", "2026-11-23T14:00",
       "--interviewer", "Ada Lovelace <ada@acme.example>")  # fmt: skip

WRITERS = [
    ("export", "-o"),
    ("export", "--format", "csv", "-o"),
    ("export", "--ics"),
    ("draft", "1", "--eml"),
    ("backup",),
]


def _checksum(home: Path) -> str:
    return hashlib.sha256((home / "followup.db").read_bytes()).hexdigest()


def _special(tmp_path: Path, kind: str) -> tuple[Path, Path | None]:
    """A target of `kind` under tmp_path, and for a symlink the file it points to."""
    target = tmp_path / f"target-{kind}"
    if kind == "fifo":
        os.mkfifo(target)
        return target, None
    pointed = tmp_path / "pointed.txt"
    pointed.write_text("kept\n")
    if kind == "symlink":
        target.symlink_to(pointed)
    else:  # a dangling symlink: the rename would put a file where the link was
        target.symlink_to(tmp_path / "nowhere")
    return target, pointed


@pytest.mark.parametrize("kind", ["fifo", "symlink", "dangling symlink"])
@pytest.mark.parametrize("args", WRITERS, ids=lambda a: " ".join(a))
def test_a_special_target_is_refused_and_left_as_it_was(
    run: Run, home: Path, tmp_path: Path, kind: str, args: tuple[str, ...]
) -> None:
    assert run(*ADD).code == 0
    assert run("config", "set", "user.email", "me@example.org").code == 0
    target, pointed = _special(tmp_path, kind)
    before = os.lstat(target)
    link = os.readlink(target) if pointed is not None else None
    r = run(*args, str(target))
    assert r.code == 4, (r.code, r.out, r.err)
    word = {"dangling symlink": "symlink"}.get(kind, kind)
    what = "the backup " if args[0] == "backup" else ""
    assert r.err.splitlines()[-1] == (
        f"followup: error: cannot write {what}{target}: it is a {word}, not a regular file"
        " (nothing written)"
    )
    after = os.lstat(target)
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode)
    assert after.st_ino == before.st_ino
    if pointed is not None:
        assert pointed.read_text() == "kept\n"
        assert os.readlink(target) == link  # still the link it was
    leftovers = [p.name for p in tmp_path.rglob("*") if p.name.startswith(".")]
    assert leftovers == []


def test_standard_output_still_streams(run: Run) -> None:
    assert run(*ADD).code == 0
    r = run("export", "-o", "-")
    assert r.code == 0 and r.out.startswith("{")
    r = run("export", "--ics", "-")
    assert r.code == 0 and "BEGIN:VCALENDAR" in r.out


def test_a_regular_file_is_still_replaced(run: Run, tmp_path: Path) -> None:
    assert run(*ADD).code == 0
    target = tmp_path / "all.json"
    target.write_text("old\n")
    assert run("export", "-o", str(target)).code == 0
    assert target.read_text().startswith("{")


def test_a_symlinked_config_file_is_written_through_and_stays_a_link(
    run: Run, home: Path, tmp_path: Path
) -> None:
    """config set writes through the same writer: a dotfiles link stays a link, and the file
    it names gets the setting (a link to a fifo is still refused)."""
    real = tmp_path / "dotfiles-config.toml"
    real.write_text('[user]\nname = "Ada"\n')
    (home / "config.toml").symlink_to(real)
    r = run("config", "set", "user.email", "me@example.org")
    assert r.code == 0, r.err
    assert (home / "config.toml").is_symlink()
    assert 'name = "Ada"' in real.read_text() and "me@example.org" in real.read_text()
    (home / "config.toml").unlink()
    os.mkfifo(tmp_path / "fifo.toml")
    (home / "config.toml").symlink_to(tmp_path / "fifo.toml")
    r = run("config", "set", "user.email", "you@example.org")
    assert r.code in (4, 6) and r.err.count("\n") == 1, r.err


def test_several_notes_to_an_existing_file_is_one_line(run: Run, tmp_path: Path) -> None:
    """A panel's notes go one per file into a directory: an existing file used to end in
    an internal error (FileExistsError)."""
    assert run(*ADD, "--interviewer", "Bob <bob@acme.example>").code == 0
    assert run("config", "set", "user.email", "me@example.org").code == 0
    out = tmp_path / "out.eml"
    out.write_text("mine\n")
    r = run("draft", "1", "--eml", str(out))
    assert r.code == 4, r.err
    assert r.err.startswith(
        f"followup: error: several notes: --eml needs a directory; {out} is a file"
    )
    assert r.err.count("\n") == 1
    assert out.read_text() == "mine\n"


@pytest.mark.parametrize(
    "args",
    [("import",), ("import", "--dry-run"), ("classify",), ("restore", "--yes"), ("lint",)],
    ids=lambda a: " ".join(a),
)
def test_a_fifo_to_read_is_refused_at_once(
    run: Run, home: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    """Reading a fifo blocked forever (no writer ever comes). If the command opened it,
    a thread opening the other end unblocks it, and the test fails instead of hanging."""
    assert run(*ADD).code == 0
    fifo = tmp_path / "input.json"
    os.mkfifo(fifo)
    before = _checksum(home)
    done = threading.Event()

    def unblock() -> None:  # if the command opened the fifo, a writer coming and going
        while not done.wait(5):  # gives it end-of-file: it ends, and the asserts fail
            with contextlib.suppress(OSError):  # ENXIO: nobody has it open for reading
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    helper = threading.Thread(target=unblock, daemon=True)
    helper.start()
    r = run(*args, str(fifo))
    done.set()
    helper.join()
    assert r.code == 4, (r.code, r.err)
    assert "it is a fifo; give a regular file" in r.err, r.err
    assert r.err.count("\n") == 1
    assert _checksum(home) == before
