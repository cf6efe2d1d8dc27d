"""The streamed JSON import on every store (memory, SQLite, PostgreSQL): batches written
inside one transaction, a bad item in a late batch rolls back the batches written before."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from followup.adapters.clock import FixedClock
from followup.adapters.templates import TemplateLibrary
from followup.app.context import Context
from followup.app.errors import InvalidInput
from followup.app.portability import ImportOptions, json_format
from followup.app.ports import Store
from followup.domain.policy import ARTICLE_POLICY
from followup.domain.workdays import no_holidays
from tests.contract.stores import NOW

AT = "2026-10-01T09:00:00Z"


def context(store: Store) -> Context:
    return Context(
        store=store,
        clock=FixedClock(NOW),
        policy=ARTICLE_POLICY,
        user_tz="UTC",
        holidays=lambda country: no_holidays,
        sender_name="Grace Hopper",
        sender_email="grace@example.org",
        templates=TemplateLibrary(None),
    )


def document(n: int) -> dict[str, Any]:
    apps = []
    for k in range(n):
        note = {"step": 1, "kind": "thank-you", "state": "sent", "due_at": AT, "sent_at": AT,
                "earliest_at": AT, "message_id": f"<n{k}@firm.example>"}  # fmt: skip
        interview = {
            "start_at": AT,
            "tz": "UTC",
            "status": "closed",
            "interviewers": [{"id": k + 1, "name": f"P {k}", "email": f"p{k}@firm.example"}],
            "notes": [{**note, "interviewer_id": k + 1}],
        }
        apps.append({"company": f"Firm {k}", "role": "Engineer", "interviews": [interview]})
    return {"format": "followup-export", "version": 1, "applications": apps}


def test_batches_are_one_transaction(store: Store, tmp_path: Path) -> None:
    ctx = context(store)
    n = 2 * json_format._BATCH + 7
    path = tmp_path / "export.json"
    doc = document(n)
    doc["applications"][n - 1]["interviews"][0]["notes"][0]["message_id"] = "<n0@firm.example>"
    path.write_text(json.dumps(doc))
    with pytest.raises(InvalidInput) as bad:
        json_format.import_json(ctx, path, ImportOptions())
    assert f"applications[{n - 1}].interviews[0].notes[0]: message_id" in str(bad.value)
    assert store.counts()["applications"] == 0  # two batches were written, then rolled back
    path.write_text(json.dumps(document(n)))
    done = json_format.import_json(ctx, path, ImportOptions())
    assert (
        len(done.interviews) == n
        and done.interviews[-1].item == f"applications[{n - 1}].interviews[0]"
    )
    counts = store.counts()
    assert (counts["applications"], counts["notes"], counts["interviewers"]) == (n, n, n)
    assert store.taken_message_ids([f"<n{n - 1}@firm.example>"]) == {f"<n{n - 1}@firm.example>"}


def varied(n: int) -> dict[str, Any]:
    """Interviews of every outcome, thank-yous and follow-ups sent at spread times, human
    replies and others, before and after the end: what the stats' aggregates count."""
    doc = document(n)
    statuses = ["closed", "replied", "rejected", "offer", "role-closed", "waiting"]
    for k, app in enumerate(doc["applications"]):
        interview = app["interviews"][0]
        start = f"2026-09-{1 + k % 28:02d}T{8 + k % 9:02d}:00:00Z"
        sent = f"2026-10-{1 + k % 28:02d}T{k % 24:02d}:{k % 60:02d}:00Z"
        status = statuses[k % len(statuses)]
        interview.update(start_at=start, status=status)
        if status not in ("waiting", "closed"):
            interview["status_at"] = f"2026-10-{2 + k % 27:02d}T12:00:00Z"
        note = interview["notes"][0]
        note.update(due_at=sent, sent_at=sent, earliest_at=sent)
        if k % 3 == 0:
            interview["notes"].append({**note, "step": 2, "kind": "follow-up",
                                       "message_id": f"<f{k}@firm.example>"})  # fmt: skip
        if k % 2 == 0:
            got = f"2026-10-{3 + k % 26:02d}T0{k % 10}:00:00Z"
            interview["inbound"] = [{
                "message_id": f"<r{k}@firm.example>", "from_addr": f"p{k}@firm.example",
                "subject": "Re: thanks", "received_at": got,
                "classification": "human" if k % 4 else "auto-reply", "source": "imap",
                "created_at": AT,
            }]  # fmt: skip
    return doc


def test_stats_after_an_import_equal_a_computation_from_the_rows(
    store: Store, tmp_path: Path
) -> None:
    """The import pauses the stats' triggers and counts its interviews once at the end: the
    answers equal the memory store's, which computes them from the rows when asked."""
    from datetime import timedelta

    from followup.adapters.store.memory import MemoryStore
    from followup.app.stats import delay_ranks

    path = tmp_path / "export.json"
    path.write_text(json.dumps(varied(json_format._BATCH + 40)))
    reference = MemoryStore()
    for target in (store, reference):
        json_format.import_json(context(target), path, ImportOptions())
    bounds = [NOW - timedelta(days=7 * w, hours=5) for w in range(12, -1, -1)]
    assert store.status_counts(None) == reference.status_counts(None)
    assert store.sent_note_counts(bounds, None) == reference.sent_note_counts(bounds, None)
    assert sorted(store.reply_rates(None, 8)) == sorted(reference.reply_rates(None, 8))
    assert store.reply_quantiles(delay_ranks, None) == reference.reply_quantiles(delay_ranks, None)
    assert store.outcome_quantiles(delay_ranks, None) == reference.outcome_quantiles(
        delay_ranks, None
    )
    assert sum(store.status_counts(None).values()) == json_format._BATCH + 40


def test_the_board_after_an_import_equals_a_computation_from_the_rows(
    store: Store, tmp_path: Path
) -> None:
    """The import pauses the board's triggers too (SQLite drops them, PostgreSQL's functions
    read the pause, migration 0031) and writes its applications' board rows once at the
    end: every column, count and search of the board equals the memory store's, which
    computes the board from the rows when asked."""
    from followup.adapters.store.memory import MemoryStore
    from tests.contract.test_board_property import assert_kept, searches

    doc = varied(json_format._BATCH + 40)
    for k, app in enumerate(doc["applications"]):
        if k % 5 == 0:  # a later round, its thank-you sent, a reply proposing the next
            later = {**app["interviews"][0], "start_at": "2026-11-02T10:00:00Z", "round": 2}
            later["status"] = "replied" if k % 2 else "waiting"
            later["interviewers"] = [{"id": 10_000 + k, "name": f"Q {k}", "email": None}]
            later["notes"] = []
            later["inbound"] = [{
                "message_id": f"<s{k}@firm.example>", "from_addr": f"q{k}@firm.example",
                "subject": "Next round", "received_at": "2026-11-03T09:00:00Z",
                "classification": "scheduling", "source": "imap", "created_at": AT,
            }]  # fmt: skip
            app["interviews"].append(later)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(doc))
    reference = MemoryStore()
    for target in (store, reference):
        json_format.import_json(context(target), path, ImportOptions())
    assert_kept(store)
    assert searches(store) == searches(reference)
    counts = searches(store)[""][0]
    assert sum(counts) == json_format._BATCH + 40  # every application on the board


def test_the_stash_gives_each_group_back_together_in_the_order_of_its_first_row(
    store: Store,
) -> None:
    """What the CSV import keeps out of the process until the file is read (its rows, an
    application's rounds anywhere in the file): each group's rows together, in their order,
    the groups in the order of their first rows; emptied by `scratch`."""
    with store.transaction():
        store.scratch()
        store.stash([("b", 5, b"b5"), ("a", 2, b"a2"), ("b", 1, b"b1")])
        store.stash([("a", 9, b"a9"), ("c", 3, b"\x00c\xff")])
        got = [(group, bytes(data)) for group, data in store.stashed()]
        assert got == [("b", b"b1"), ("b", b"b5"), ("a", b"a2"), ("a", b"a9"), ("c", b"\x00c\xff")]
        store.scratch()
        assert list(store.stashed()) == []


def test_a_csv_import_keeps_its_rows_in_the_stash_until_the_file_is_read(
    store: Store, tmp_path: Path
) -> None:
    """The CSV import stashes every row, then writes each application whole, its rounds
    brought together from anywhere in the file (more applications than one batch): on every
    store the same interviews as the memory store's."""
    from followup.adapters.store.memory import MemoryStore
    from followup.app.portability import csv_format

    n = csv_format._BATCH + 30
    lines = ["application_id,company,role,start,round,status,thank_you_sent_at"]
    lines += [f"{k},Firm {k},Dev,2026-10-{1 + k % 28:02d}T09:00:00Z,1,,2026-10-29T09:00:00Z"
              for k in range(n)]  # fmt: skip
    lines += [f"{k},Firm {k},Dev,2026-11-{1 + k % 20:02d}T09:00:00Z,2,,"
              for k in range(0, n, 7)]  # fmt: skip
    path = tmp_path / "rounds.csv"
    path.write_text("\n".join(lines) + "\n")
    reference = MemoryStore()
    done = [csv_format.import_csv(context(s), path, ImportOptions()) for s in (store, reference)]
    assert [(i.line, i.interview_id is not None) for i in done[0].interviews] == [
        (i.line, True) for i in done[1].interviews
    ]

    def rounds(s: Store) -> list[tuple[str, list[tuple[int, str]]]]:
        rows = s.export_rows()
        by_app: dict[int, list[tuple[int, str]]] = {}
        for i in rows.interviews:
            by_app.setdefault(i.application_id, []).append((i.round, i.status))
        return [(a.company, sorted(by_app[a.id])) for a in rows.applications]

    assert rounds(store) == rounds(reference)
    assert sum(len(r) == 2 for _c, r in rounds(store)) == len(range(0, n, 7))
    assert ("Firm 0", [(1, "advanced"), (2, "waiting")]) in rounds(store)
