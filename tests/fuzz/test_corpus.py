"""Issue #11's fuzz bar on a fixed corpus: every malformed file in tests/fuzz/corpus/ (made
by make_corpus.py) and the real third-party calendars and mail the guide names, run through
the command that reads it, in a fresh home holding a small real database.

Each case asserts: no exit 1, no traceback, no "internal error", and on a non-zero exit the
database and config file are byte-identical to before. After an import or restore that
succeeds, `list` and `agenda` must still meet the same bar.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.corpus import CorpusUnavailable, cpython_email_data, flufl_bounce_root
from tests.fuzz.harness import CORPUS, check, commands, fresh_home
from tests.fuzz.make_corpus import SQLITE_VARIANTS, sqlite_variant

# Corpus files ("kind/name"; "sqlite-now/name" for test_backup_of_this_version_changed_by_sql)
# that still fail because of code another area owns, with the error seen.
# Each is a strict xfail: when its owner fixes it the case turns red (XPASS) — then delete
# its line here. `signature` is the error text; test_hypothesis.py tolerates the same error
# from the same kind of file until its line goes.
OWNED_ELSEWHERE: dict[str, tuple[str, str]] = {
    # name: (owner, signature)
}


def corpus_cases() -> list[object]:
    cases = []
    for path in sorted(CORPUS.glob("*/*")):
        name = f"{path.parent.name}/{path.name}"
        marks = []
        if name in OWNED_ELSEWHERE:
            owner, signature = OWNED_ELSEWHERE[name]
            marks.append(pytest.mark.xfail(strict=True, reason=f"owned by {owner}: {signature}"))
        cases.append(pytest.param(path.parent.name, path, id=name, marks=marks))
    return cases


def run_case(template: Path, scratch: Path, kind: str, path: Path) -> list[str]:
    config = path.read_bytes() if kind == "toml" else None
    with fresh_home(template, scratch, config) as home:
        return check(home, commands(kind, path))


@pytest.mark.parametrize(("kind", "path"), corpus_cases())
def test_corpus_file(template: Path, tmp_path: Path, kind: str, path: Path) -> None:
    problems = run_case(template, tmp_path, kind, path)
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="session")
def current_backup(template: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A backup made by the running version (the corpus's was made by the one of its day)."""
    from tests.fuzz.harness import run

    scratch = tmp_path_factory.mktemp("backup")
    with fresh_home(template, scratch) as home:
        outcome = run(home, "backup", str(scratch / "now.db"))
        assert outcome.code == 0, outcome.err
    return (scratch / "now.db").read_bytes()


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name,
            marks=[pytest.mark.xfail(strict=True, reason=f"owned by {OWNED_ELSEWHERE[key][0]}")]
            if (key := f"sqlite-now/{name}") in OWNED_ELSEWHERE
            else [],
        )
        for name in SQLITE_VARIANTS
    ],
)
def test_backup_of_this_version_changed_by_sql(
    template: Path, tmp_path: Path, current_backup: bytes, name: str
) -> None:
    """The corpus's SQL changes applied to a backup of today's schema: a backup with
    followup's table names and migrations but wrong columns or values is what reaches the
    deepest checks of `restore` (one from an unknown schema is refused at the first)."""
    path = tmp_path / f"{name}.db"
    path.write_bytes(sqlite_variant(current_backup, SQLITE_VARIANTS[name]))
    problems = run_case(template, tmp_path, "sqlite", path)
    assert not problems, "\n".join(problems)


def test_the_corpus_is_large_small_and_named() -> None:
    files = sorted(CORPUS.glob("*/*"))
    kinds = {p.parent.name for p in files}
    assert len(files) >= 300
    assert kinds == {"ics", "eml", "json", "csv", "notes", "sqlite", "toml"}
    assert all(p.stat().st_size <= 64_000 for p in files)
    for kind in kinds:
        assert list(CORPUS.glob(f"{kind}/seed_*")), f"{kind} has no good seed to mutate"
    known = {f"{p.parent.name}/{p.name}" for p in files} | {
        f"sqlite-now/{name}" for name in SQLITE_VARIANTS
    }
    stale = set(OWNED_ELSEWHERE) - known
    assert not stale, f"OWNED_ELSEWHERE names files the corpus no longer has: {stale}"


def test_good_seeds_are_accepted_and_the_checksum_sees_the_write(
    template: Path, tmp_path: Path
) -> None:
    """The harness is not vacuous: good files succeed, and a success that writes is seen
    by the checksum the failures are held to."""
    from tests.fuzz.harness import run, snapshot

    accepted = [
        ("ics/seed_invite.ics", ("import", "{}", "--yes")),
        ("eml/seed_invite_synthesized.eml", ("import", "{}", "--yes")),
        ("json/seed_real_export.json", ("import", "{}")),
        ("csv/seed_real_export.csv", ("import", "{}")),
        ("sqlite/seed_real_backup.db", ("restore", "{}", "--yes")),
    ]
    empty = tmp_path / "empty"  # the CSV and JSON seeds are the template's own export: into
    empty.mkdir(mode=0o700)  # a new home (into the template, each interview is there: refused)
    for name, args in accepted:
        own = name.startswith(("csv/", "json/"))
        with fresh_home(empty if own else template, tmp_path) as home:
            before = snapshot(home)["followup.db"]
            outcome = run(home, *(a.format(CORPUS / name) for a in args))
            # A seed refused means the corpus went stale: `make_corpus.py --fresh`.
            assert outcome.code == 0, (name, outcome.err)
            if args[0] == "import":
                assert snapshot(home)["followup.db"] != before, name
    with fresh_home(template, tmp_path) as home:
        assert run(home, "classify", str(CORPUS / "eml/seed_out_of_office.eml")).code == 0
        assert run(home, "lint", str(CORPUS / "notes/seed_good_thank_you.txt")).code == 0
    config = (CORPUS / "toml/seed_good_config.toml").read_bytes()
    with fresh_home(template, tmp_path, config) as home:
        assert run(home, "config", "show").code == 0
        assert run(home, "agenda").code == 0


# --- real data nobody here wrote (GUIDE §4), run in place: nothing is copied --------------


def icalendar_calendars() -> list[Path]:
    spec = importlib.util.find_spec("icalendar")
    assert spec is not None and spec.submodule_search_locations
    root = Path(next(iter(spec.submodule_search_locations))) / "tests" / "calendars"
    return sorted(root.glob("*.ics"))


def cpython_messages() -> list[Path | None]:
    try:
        return list(sorted(cpython_email_data().glob("msg_*.txt")))
    except CorpusUnavailable:
        return [None]  # the test then fails with the reason


@pytest.mark.parametrize("path", icalendar_calendars(), ids=lambda p: f"icalendar:{p.name}")
def test_icalendar_test_calendar(template: Path, tmp_path: Path, path: Path) -> None:
    problems = run_case(template, tmp_path, "ics", path)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", cpython_messages(), ids=lambda p: f"cpython:{p and p.name}")
def test_cpython_email_test_message(template: Path, tmp_path: Path, path: Path | None) -> None:
    if path is None:
        cpython_email_data()  # raises CorpusUnavailable, saying where it looked
        return
    problems = run_case(template, tmp_path, "eml", path)
    assert not problems, "\n".join(problems)


def test_flufl_bounce_corpus(template: Path, tmp_path: Path) -> None:
    """The Mailman bounce corpus (fetched by tests/corpus.py), classified and imported."""
    messages = sorted((flufl_bounce_root() / "tests" / "data").glob("*.txt"))
    assert len(messages) > 100
    problems = {}
    for path in messages:
        found = run_case(template, tmp_path, "eml", path)
        if found:
            problems[path.name] = found
    assert not problems, "\n".join(f"{name}: {found}" for name, found in problems.items())
