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
            "interviewers": [{"id": k, "name": f"P {k}", "email": f"p{k}@firm.example"}],
            "notes": [{**note, "interviewer_id": k}],
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
