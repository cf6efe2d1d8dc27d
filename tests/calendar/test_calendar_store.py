"""The store's calendar methods (migration 0005), on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from followup.adapters.store.sqlite import SqliteStore
from followup.domain.model import Culture

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    s = SqliteStore(tmp_path / "db.sqlite")
    yield s
    s.close()


def interview(store: SqliteStore, company: str = "Acme", role: str = "Dev") -> tuple[int, int]:
    app = store.add_application(
        company=company, role=role, culture=Culture.OTHER, country=None,
        domains=["acme.example"], now=NOW,
    )  # fmt: skip
    iid = store.add_interview(
        application_id=app, start=NOW, duration=timedelta(hours=1), tz="UTC", now=NOW
    )
    return app, iid


def test_schema_is_at_the_calendar_migration(store: SqliteStore) -> None:
    assert store.schema_version() >= 5
    names = {r[0] for r in store._conn.execute("SELECT name FROM sqlite_master")}
    assert {"calendar_identity", "calendar_published"} <= names


def test_ics_uid_finds_the_interview_and_its_sequence(store: SqliteStore) -> None:
    _, iid = interview(store)
    assert store.interview_by_ics_uid("u-1") is None
    store.set_ics(iid, "u-1", 4)
    assert store.interview_by_ics_uid("u-1") == (iid, 4)


def test_move_interview(store: SqliteStore) -> None:
    _, iid = interview(store)
    later = NOW + timedelta(days=2)
    store.move_interview(
        iid, start=later, duration=timedelta(minutes=90), tz="Asia/Tokyo",
        location="Room 1", description="moved",
    )  # fmt: skip
    moved = store.get_interview(iid)
    assert moved is not None
    assert (moved.start, moved.end, moved.tz, moved.location) == (
        later, later + timedelta(minutes=90), "Asia/Tokyo", "Room 1",
    )  # fmt: skip


def test_find_application_ignores_case_and_merges_domains(store: SqliteStore) -> None:
    app, _ = interview(store, "Zürich Labs", "Backend Engineer")
    found = store.find_application("zürich LABS", "backend ENGINEER")
    assert found is not None and found.id == app
    # SQLite's lower() folds ASCII only: other letters must match in case (documented)
    assert store.find_application("ZÜRICH LABS", "Backend Engineer") is None
    assert store.find_application("Zürich Labs", "Frontend") is None
    store.add_domains(app, ["ZL.example", "acme.example"])
    again = store.get_application(app)
    assert again is not None and again.domains == ("acme.example", "zl.example")


def test_install_id_is_made_once(store: SqliteStore) -> None:
    assert store.calendar_install_id("first", NOW) == "first"
    assert store.calendar_install_id("second", NOW) == "first"
