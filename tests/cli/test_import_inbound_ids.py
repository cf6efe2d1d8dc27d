"""An inbound message's Message-ID is unique, as a note's is (cold trial, item 2): an export
imported again under another company name, or a file that gives one message twice, is
refused in one line naming the item — never "internal error: IntegrityError" — and nothing
is written. The same for `unlinked_inbound`; a CSV keeps no Message-ID and imports."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from followup.app.errors import ExitCode
from tests.cli.test_receive_cli import eml
from tests.conftest import Run

AGAIN = "is already in this database (was this file imported before?)"


def _exported(run: Run, tmp_path: Path) -> dict[str, Any]:
    """One interview with a reply received from a file, and a bounce of nobody's note."""
    made = run("add", "--company", "Acme", "--role", "Engineer", "--at",
               "2026-11-20T10:00:00Z", "--interviewer", "Ada <ada@acme.example>")  # fmt: skip
    assert made.code == 0, made.err
    reply = eml(tmp_path / "r.eml", "Ada <ada@acme.example>", "Re: Thank you",
                "Thanks, we will be in touch.", "<r1@acme.example>")  # fmt: skip
    assert run("receive", reply).code == 0
    path = tmp_path / "export.json"
    assert run("export", "-o", str(path)).code == 0
    return dict(json.loads(path.read_text()))


def _import(run: Run, tmp_path: Path, doc: dict[str, Any]) -> Any:
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(doc))
    return run("import", str(path))


def _refused(run: Run, result: Any, problem: str) -> None:
    assert result.code == ExitCode.INVALID, result.err
    assert result.err.splitlines() == [
        "followup: error: cannot import changed.json: 1 bad item, nothing imported",
        f"  {problem}",
    ]
    assert len(run("list", "--json").json) == 1  # nothing written


def test_a_renamed_company_whose_reply_is_here_already_is_refused(run: Run, tmp_path: Path) -> None:
    doc = _exported(run, tmp_path)
    doc["applications"][0]["company"] = "Acme Renamed"
    _refused(
        run,
        _import(run, tmp_path, doc),
        f"applications[0].interviews[0].inbound[0]: message_id '<r1@acme.example>' {AGAIN}",
    )


def test_one_message_twice_in_a_file_names_both(run: Run, tmp_path: Path) -> None:
    doc = _exported(run, tmp_path)
    app = doc["applications"][0]
    app["company"] = "Other"
    app["interviews"][0]["inbound"][0]["message_id"] = "<new@acme.example>"
    second = copy.deepcopy(app)
    second["id"], second["company"] = 99, "Other again"
    second["interviews"][0]["id"] = 99
    for k, person in enumerate(second["interviews"][0]["interviewers"]):
        person["id"] = 99 + k
    for note in second["interviews"][0]["notes"]:
        note["interviewer_id"] = 99
    doc["applications"].append(second)
    _refused(
        run,
        _import(run, tmp_path, doc),
        "applications[1].interviews[0].inbound[0]: message_id '<new@acme.example>' is also"
        " applications[0].interviews[0].inbound[0]'s",
    )


def test_unlinked_messages_are_checked_as_well(run: Run, tmp_path: Path) -> None:
    doc = _exported(run, tmp_path)
    doc["applications"] = []
    message = {
        "message_id": "<r1@acme.example>",
        "from_addr": "mailer-daemon@acme.example",
        "received_at": "2026-11-25T09:00:00Z",
        "classification": "bounce",
    }
    doc["unlinked_inbound"] = [message]
    _refused(
        run,
        _import(run, tmp_path, doc),
        f"unlinked_inbound[0]: message_id '<r1@acme.example>' {AGAIN}",
    )
    doc["unlinked_inbound"] = [dict(message, message_id="<b@x>"), dict(message, message_id="<b@x>")]
    _refused(
        run,
        _import(run, tmp_path, doc),
        "unlinked_inbound[1]: message_id '<b@x>' is also unlinked_inbound[0]'s",
    )
    doc["unlinked_inbound"] = [dict(message, message_id="<b@x>")]
    done = _import(run, tmp_path, doc)
    assert done.code == 0, done.err


def test_a_csv_of_the_same_interview_imports(run: Run, tmp_path: Path) -> None:
    _exported(run, tmp_path)
    path = tmp_path / "export.csv"
    assert run("export", "-o", str(path)).code == 0
    path.write_text(path.read_text().replace("Acme", "Acme Renamed"))
    done = run("import", str(path), "--json")
    assert done.code == 0, done.err
    assert [i["status"] for i in run("list", "--json").json] == ["replied", "replied"]
