"""An out-of-office's return date pushes the next note at most 60 days (limits.OOO_RETURN_DAYS):
"until 1 January 2099" is ignored and said, the default delay applies (cold trial)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.cli.test_receive_cli import add, eml
from tests.conftest import Run


def ooo(run: Run, tmp_path: Path, until: str) -> dict[str, Any]:
    path = eml(tmp_path / f"{until[-4:]}.eml", "Ada <ada@acme.example>", "Out of office",
               f"I am out of the office until {until} with no access to email.",
               f"<ooo{until[-4:]}@acme.example>", Auto_Submitted="auto-replied")  # fmt: skip
    done = run("receive", path, "--json")
    assert done.code == 0, done.err
    [change] = done.json["changes"]
    return dict(change)


def test_a_return_date_decades_away_is_ignored_and_said(run: Run, tmp_path: Path) -> None:
    iid = add(run, "Acme", "Engineer", "Ada <ada@acme.example>")
    assert run("sent", str(iid)).code == 0  # the follow-up waits (a thank-you is never held)
    change = ooo(run, tmp_path, "1 January 2099")
    assert change["kind"] == "deferred"
    assert "its return date 2099-01-01 is more than 60 days away: ignored" in change["detail"]
    assert "next note after 2026-12-02" in change["detail"]  # 25 Nov + mail.ooo_default_days
    assert run("show", str(iid), "--json").json["defer_until"] == "2026-12-02T09:00:00Z"


def test_a_return_date_within_60_days_is_kept(run: Run, tmp_path: Path) -> None:
    iid = add(run, "Acme", "Engineer", "Ada <ada@acme.example>")
    assert run("sent", str(iid)).code == 0
    change = ooo(run, tmp_path, "14 January 2027")
    assert "ignored" not in change["detail"]
    assert "next note after 2027-01-15" in change["detail"]
    assert run("show", str(iid), "--json").json["defer_until"].startswith("2027-01-15T")
