"""`followup db migrate|status` on both stores, and the everyday commands in server mode
(FOLLOWUP_DATABASE_URL + FOLLOWUP_USER): the same CLI over one user's PostgreSQL schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from followup.adapters.store.sqlite import latest_version
from tests.conftest import Run

SERVER_MIGRATIONS = Path(__file__).parents[2] / "src/followup/adapters/store/migrations/server"

pytest_plugins = ["tests.integration.postgres"]

ADD = (
    "add",
    "--company",
    "Acme",
    "--role",
    "Backend Engineer",
    "--at",
    "2026-11-23T14:00",
    "--tz",
    "Europe/Berlin",
    "--interviewer",
    "Ada Lovelace <ada@acme.example>",
)


# --- SQLite (the laptop) ---------------------------------------------------------------------


def test_sqlite_status_then_migrate_then_nothing_left(run: Run, home: Path) -> None:
    before = run("db", "status", "--json")
    assert before.code == 0, before.err
    assert before.json == {
        "backend": "sqlite",
        "database": str(home / "followup.db"),
        "version": 0,
        "latest": latest_version(),
        "pending": latest_version(),
    }
    assert not (home / "followup.db").exists()  # status only reads
    done = run("db", "migrate", "--json")
    assert done.code == 0, done.err
    assert done.json["version"] == latest_version()
    assert (
        done.json["applied"][0] == "0001_initial" and len(done.json["applied"]) == latest_version()
    )
    assert run("db", "migrate", "--json").json["applied"] == []
    after = run("db", "status")
    assert after.code == 0
    assert f"schema: version {latest_version()} of {latest_version()}, up to date" in after.out


def test_sqlite_db_commands_do_not_load_psycopg(tmp_path: Path) -> None:
    probe = (
        "import sys\nfrom followup.cli.entry import main\n"
        "try:\n    main(['db', 'status'])\nexcept SystemExit:\n    pass\n"
        "print('psycopg' in sys.modules, file=sys.stderr)"
    )
    env = {k: v for k, v in os.environ.items() if k != "FOLLOWUP_DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env={**env, "FOLLOWUP_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stderr.strip().splitlines()[-1] == "False"


# --- PostgreSQL --------------------------------------------------------------------------------


@pytest.fixture
def server(postgres_url: str, monkeypatch: pytest.MonkeyPatch, home: Path) -> Iterator[str]:
    """Server mode on a fresh database; the process's cached pool is closed afterwards."""
    from followup.bootstrap import close_databases

    monkeypatch.setenv("FOLLOWUP_DATABASE_URL", postgres_url)
    monkeypatch.delenv("FOLLOWUP_USER", raising=False)
    yield postgres_url
    close_databases()


def add_user(url: str, email: str) -> int:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "INSERT INTO followup.users (email, role, password_hash, created_at)"
            " VALUES (%s, 'seeker', 'x', '2026-11-25T12:00:00Z') RETURNING id",
            (email,),
        ).fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.integration
def test_postgres_migrate_and_status(run: Run, server: str) -> None:
    before = run("db", "status", "--json")
    assert before.code == 0, before.err
    # every server migration shipped, whatever their number (issue work adds them)
    shipped = sorted(SERVER_MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql"))
    names = [p.stem for p in shipped]
    assert names[:2] == ["0001_accounts", "0002_sign_in_attempts"]
    assert before.json["server"] == {"version": 0, "latest": len(names), "pending": len(names)}
    assert before.json["tenants"] == []
    done = run("db", "migrate")
    assert done.code == 0, done.err
    assert f"server (followup): applied {', '.join(names)}" in done.out
    uid = add_user(server, "grace@example.org")
    from followup.bootstrap import open_database

    open_database().create_tenant(uid)
    again = run("db", "migrate", "--json")
    assert again.json["server"] == []
    assert again.json["tenants"] == [{"user_id": uid, "schema": f"u{uid}", "applied": []}]
    status = run("db", "status", "--json").json
    assert status["server"]["pending"] == 0
    assert status["tenants"] == [
        {"user_id": uid, "schema": f"u{uid}", "version": latest_version(), "pending": 0}
    ]
    text = run("db", "status").out
    assert f"u{uid}: version {latest_version()} of {latest_version()}, up to date" in text


@pytest.mark.integration
def test_the_core_commands_run_on_a_users_postgres_schema(
    run: Run, server: str, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("db", "migrate").code == 0
    grace = add_user(server, "grace@example.org")
    alan = add_user(server, "alan@example.org")
    # Grace's own settings, in <FOLLOWUP_HOME>/users/<id>/: two notes at most
    own = home / "users" / str(grace)
    own.mkdir(parents=True)
    (own / "config.toml").write_text("[policy]\nmax_notes = 2\n", "utf-8")

    monkeypatch.setenv("FOLLOWUP_USER", "Grace@Example.org")  # matched in any case
    added = run(*ADD, "--json")
    assert added.code == 0, added.err
    iid = str(added.json["id"])
    items = run("agenda", "--json", now="2026-11-24T09:00:00Z").json
    assert [(i["interview_id"], i["step"], i["due_at"]) for i in items] == [
        (int(iid), 1, "2026-11-25T14:00:00Z")
    ]
    sent = run("sent", iid, "--at", "2026-11-25T14:30:00Z", "--json", now="2026-11-25T15:00:00Z")
    assert sent.code == 0, sent.err
    assert sent.json["plan"]["next"][0]["earliest_at"] == "2026-12-02T14:30:00Z"
    second = run("sent", iid, "--at", "2026-12-02T15:00:00Z", "--json", now="2026-12-02T15:00:00Z")
    assert second.code == 0, second.err
    assert second.json["plan"]["next"] == []  # Grace's max_notes: no final note
    replied = run("replied", iid, "--json", now="2026-12-03T10:00:00Z")
    assert replied.code == 0, replied.err
    shown = run("show", iid, "--json")
    assert shown.code == 0, shown.err
    assert shown.json["status"] == "replied"
    assert [n["state"] for n in shown.json["notes"]] == ["sent", "sent"]
    assert not (home / "followup.db").exists()  # nothing went to a SQLite file

    monkeypatch.setenv("FOLLOWUP_USER", "alan@example.org")
    assert run("list", "--json").json == []  # Alan sees nothing of Grace's
    assert run("show", iid).code == 3
    assert alan != grace


@pytest.mark.integration
def test_server_mode_needs_a_known_user(
    run: Run, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = run("agenda")
    assert missing.code == 6
    assert missing.err.count("\n") == 1 and "FOLLOWUP_USER" in missing.err
    before_migrate = run("agenda", "--json")
    assert before_migrate.code == 6
    monkeypatch.setenv("FOLLOWUP_USER", "nobody@example.org")
    assert "followup db migrate" in run("agenda").err
    assert run("db", "migrate").code == 0
    unknown = run("agenda")
    assert unknown.code == 3
    assert unknown.err == (
        "followup: error: no user nobody@example.org in the server database (FOLLOWUP_USER)\n"
    )


def test_a_user_id_without_server_mode_is_refused(home: Path) -> None:
    from followup.app.errors import StoreUnavailable
    from followup.bootstrap import open_context

    with pytest.raises(StoreUnavailable, match="needs server mode"):
        open_context(user_id=1)
    assert not (home / "followup.db").exists()


@pytest.mark.parametrize(
    "url",
    ["not a url", "postgresql://me:s3cret@127.0.0.1:1/followup"],
    ids=["malformed", "unreachable"],
)
def test_a_bad_database_url_is_one_line_and_exit_6(
    run: Run, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from followup.bootstrap import close_databases

    monkeypatch.setenv("FOLLOWUP_DATABASE_URL", url)
    monkeypatch.setenv("FOLLOWUP_USER", "grace@example.org")
    try:
        for args in (("db", "status"), ("db", "migrate", "--json"), ("agenda",)):
            got = run(*args)
            assert got.code == 6, (args, got.err)
            assert got.err.startswith("followup: error: ") and got.err.count("\n") == 1, got.err
            assert "Traceback" not in got.err and "s3cret" not in got.err
            assert got.out == ""
    finally:
        close_databases()


def test_json_of_status_is_stable(run: Run) -> None:
    assert set(json.loads(run("db", "status", "--json").out)) == {
        "backend",
        "database",
        "version",
        "latest",
        "pending",
    }


@pytest.mark.integration
def test_config_in_server_mode_is_the_users_own(
    run: Run, server: str, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("db", "migrate").code == 0
    grace = add_user(server, "grace@example.org")
    add_user(server, "alan@example.org")

    monkeypatch.setenv("FOLLOWUP_USER", "grace@example.org")
    assert run("config", "set", "timezone", "America/Chicago").code == 0
    assert (home / "users" / str(grace) / "config.toml").exists()
    assert not (home / "config.toml").exists()  # not the server's, nor anyone else's
    assert run("config", "show", "--json").json["timezone"] == "America/Chicago"

    monkeypatch.setenv("FOLLOWUP_USER", "alan@example.org")
    assert run("config", "show", "--json").json["timezone"] != "America/Chicago"
