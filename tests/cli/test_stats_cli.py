"""`followup stats` on a small history built through the real CLI, with exact numbers.

The user is in Europe/Berlin (conftest); every instant below is UTC. Ten interviews:

  A  Acme    corporate  thank-you after 2 d 1 h                     reply 4 d after the end
  B  Bolt    startup    panel of two: thank-yous 3 d 20 h, follow-up reply 14 d after
  C  Corp    corporate  thank-you after 8 d, follow-up, final: closed, no reply
  D  Dyn     other      thank-you after 4 d 1 h, still waiting
  E  Echo    startup    tone set to formal; thank-you after 5 d    reply 7 d after
  F  Fast    corporate  replied after 1 d, before any note
  G  Gone    other      thank-you, then cancelled
  H1 Hop     corporate  round 1: thank-you, then round 2 was added: advanced
  H2 Hop     corporate  round 2: nothing sent yet
  I  Late    startup    thank-you after 2 d 1 h, follow-up, then a reply recorded late that
                        came before the follow-up: credited to the thank-you (6 d 23 h)
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Run


def later(at: str, minutes: int = 60) -> str:
    """A clock `minutes` after `at` (a UTC instant ending in Z)."""
    from datetime import datetime, timedelta

    moved = datetime.fromisoformat(at) + timedelta(minutes=minutes)
    return moved.strftime("%Y-%m-%dT%H:%M:%SZ")


def ok(run: Run, *args: str, now: str | None = None) -> Any:
    result = run(*args, "--json", now=now)
    assert result.code == 0, (args, result.err)
    return result.json


def add(run: Run, company: str, at: str, culture: str, *extra: str, now: str) -> dict[str, Any]:
    """An interview at `at`, Berlin local time, recorded at `now`."""
    added: dict[str, Any] = ok(
        run, "add", "--company", company, "--role", "Engineer", "--at", at,
        "--culture", culture, *extra, now=now,
    )  # fmt: skip
    return added


def sent(run: Run, interview: dict[str, Any], at: str) -> None:
    ok(run, "sent", str(interview["id"]), "--at", at, now=later(at))


def replied(run: Run, interview: dict[str, Any], at: str, now: str | None = None) -> None:
    ok(run, "replied", str(interview["id"]), "--at", at, now=now or later(at))


@pytest.fixture
def history(run: Run) -> dict[str, dict[str, Any]]:
    i: dict[str, dict[str, Any]] = {}
    # A: 10:00 CEST = 08:00Z, ends 09:00Z on 5 Oct
    i["A"] = add(run, "Acme", "2026-10-05T10:00", "corporate", now="2026-10-01T08:00:00Z")
    sent(run, i["A"], "2026-10-07T10:00:00Z")
    replied(run, i["A"], "2026-10-09T09:00:00Z")
    # B: ends 13:00Z on 6 Oct; one note per panelist
    i["B"] = add(
        run, "Bolt", "2026-10-06T14:00", "startup",
        "--interviewer", "Bea Stone <bea@bolt.example>",
        "--interviewer", "Ben Stone <ben@bolt.example>",
        now="2026-10-01T08:00:00Z",
    )  # fmt: skip
    sent(run, i["B"], "2026-10-10T09:00:00Z")
    sent(run, i["B"], "2026-10-17T10:00:00Z")
    replied(run, i["B"], "2026-10-20T13:00:00Z")
    # C: ends 09:00Z on 12 Oct
    i["C"] = add(run, "Corp", "2026-10-12T10:00", "corporate", now="2026-10-08T08:00:00Z")
    sent(run, i["C"], "2026-10-20T09:00:00Z")
    sent(run, i["C"], "2026-10-27T10:00:00Z")
    sent(run, i["C"], "2026-11-10T10:00:00Z")
    # H1: ends 09:00Z on 19 Oct; round 2 added on 26 Oct ends round 1 as advanced
    i["H1"] = add(run, "Hop", "2026-10-19T10:00", "corporate", now="2026-10-15T08:00:00Z")
    sent(run, i["H1"], "2026-10-21T10:00:00Z")
    i["H2"] = ok(
        run, "add", "--application", str(i["H1"]["application_id"]),
        "--at", "2026-11-03T10:00", now="2026-10-26T12:00:00Z",
    )  # fmt: skip
    assert i["H2"]["advanced"] == [i["H1"]["id"]]
    # I: 10:00 CET (summer time ended on 25 Oct) = 09:00Z, ends 10:00Z on 26 Oct
    i["I"] = add(run, "Late", "2026-10-26T10:00", "startup", now="2026-10-20T08:00:00Z")
    sent(run, i["I"], "2026-10-28T11:00:00Z")
    sent(run, i["I"], "2026-11-04T11:00:00Z")
    replied(run, i["I"], "2026-11-02T09:00:00Z", now="2026-11-05T08:00:00Z")
    # D: ends 10:00Z on 2 Nov
    i["D"] = add(run, "Dyn", "2026-11-02T10:00", "other", now="2026-10-28T08:00:00Z")
    sent(run, i["D"], "2026-11-06T11:00:00Z")
    # G: ends 14:00Z on 2 Nov
    i["G"] = add(run, "Gone", "2026-11-02T14:00", "other", now="2026-10-28T08:00:00Z")
    sent(run, i["G"], "2026-11-04T15:00:00Z")
    ok(run, "cancel", str(i["G"]["id"]), now="2026-11-10T08:00:00Z")
    # E: ends 10:00Z on 9 Nov; the user chose a formal tone for this startup
    i["E"] = add(run, "Echo", "2026-11-09T10:00", "startup", now="2026-11-05T08:00:00Z")
    tone = run("debrief", str(i["E"]["id"]), "--tone", "formal", now="2026-11-09T12:00:00Z")
    assert tone.code == 0, tone.err
    sent(run, i["E"], "2026-11-14T10:00:00Z")
    replied(run, i["E"], "2026-11-16T10:00:00Z")
    # F: ends 10:00Z on 16 Nov, answered the next day
    i["F"] = add(run, "Fast", "2026-11-16T10:00", "corporate", now="2026-11-12T08:00:00Z")
    replied(run, i["F"], "2026-11-17T10:00:00Z")
    return i


def weeks(data: dict[str, Any]) -> dict[str, int]:
    return {w["week"]: w["sent"] for w in data["sent_per_week"]}


def test_stats_json_on_a_small_history(run: Run, history: dict[str, dict[str, Any]]) -> None:
    data = ok(run, "stats")  # now: Wednesday 25 Nov 2026, 13:00 in Berlin
    assert data["as_of"] == "2026-11-25T12:00:00Z"
    assert (data["since"], data["tz"]) == (None, "Europe/Berlin")
    assert data["totals"] == {
        "interviews": 10,
        "open": 2,  # D, H2
        "replied": 5,  # A, B, E, F, I
        "closed": 1,  # C
        "advanced": 1,  # H1
        "cancelled": 1,  # G
        "rejected": 0,
        "role_closed": 0,
        "offer": 0,
        "notes_sent": 13,  # notes, not sequences: B's panel got two thank-yous, one follow-up
    }
    ghosted = {o["outcome"]: o for o in data["outcomes"]}["ghosted"]
    assert (ghosted["count"], ghosted["days_median"]) == (1, 29.08)  # C: the final, no answer
    assert [o["outcome"] for o in data["outcomes"]] == [
        "rejected",
        "role closed",
        "offer",
        "ghosted",
    ]
    # Counted: A, B, C, D, E, I. Not: F (no note before its reply), G (cancelled),
    # H1 (advanced), H2 (nothing sent).
    assert data["reply_rate_by_step"] == [
        {"step": 1, "kind": "thank-you", "sent": 4, "replied": 3, "rate": 0.75},  # A D E I
        {"step": 2, "kind": "follow-up", "sent": 1, "replied": 1, "rate": 1.0},  # B
        {"step": 3, "kind": "final", "sent": 1, "replied": 0, "rate": 0.0},  # C
    ]
    assert data["reply_rate_by_tone"] == [
        {"tone": "formal", "sent": 3, "replied": 2, "rate": 0.6667},  # A C E
        {"tone": "casual", "sent": 2, "replied": 2, "rate": 1.0},  # B I
        {"tone": "neutral", "sent": 1, "replied": 0, "rate": 0.0},  # D
    ]
    assert data["reply_rate_by_days_to_send"] == [
        {"days": "0-2", "sent": 2, "replied": 2, "rate": 1.0},  # A I
        {"days": "3-4", "sent": 2, "replied": 1, "rate": 0.5},  # B D
        {"days": "5-7", "sent": 1, "replied": 1, "rate": 1.0},  # E
        {"days": "8+", "sent": 1, "replied": 0, "rate": 0.0},  # C
    ]
    # F 1.0, A 4.0, I 6.96, E 7.0, B 14.0
    assert data["time_to_first_reply_days"] == {"median": 6.96, "p90": 14.0, "n": 5}
    assert list(weeks(data)) == [f"2026-W{n}" for n in range(37, 49)]
    assert weeks(data) == {
        **{f"2026-W{n}": 0 for n in range(37, 49)},
        "2026-W41": 3,  # A, B×2
        "2026-W42": 1,  # B's follow-up, to the panel's contact
        "2026-W43": 2,  # C, H1
        "2026-W44": 2,  # C, I
        "2026-W45": 3,  # D, G, I
        "2026-W46": 2,  # C, E
    }
    assert data["sent_per_week"][-1] == {"week": "2026-W48", "start": "2026-11-23", "sent": 0}


def test_since_counts_only_the_interviews_from_that_day(
    run: Run, history: dict[str, dict[str, Any]]
) -> None:
    data = ok(run, "stats", "--since", "2026-11-01")  # D E F G H2
    assert data["since"] == "2026-10-31T23:00:00Z"  # midnight in Berlin
    assert data["totals"] == {
        "interviews": 5,
        "open": 2,
        "replied": 2,
        "closed": 0,
        "advanced": 0,
        "cancelled": 1,
        "rejected": 0,
        "role_closed": 0,
        "offer": 0,
        "notes_sent": 3,
    }
    assert [(r["sent"], r["replied"]) for r in data["reply_rate_by_step"]] == [
        (2, 1),
        (0, 0),
        (0, 0),
    ]
    assert data["reply_rate_by_step"][1]["rate"] is None
    assert data["time_to_first_reply_days"] == {"median": 4.0, "p90": 7.0, "n": 2}
    assert {k: n for k, n in weeks(data).items() if n} == {"2026-W45": 2, "2026-W46": 1}
    assert ok(run, "stats", "--since", "2026-11-09T12:00:00Z")["totals"]["interviews"] == 1


def test_stats_for_people(run: Run, history: dict[str, dict[str, Any]]) -> None:
    result = run("stats")
    assert result.code == 0, result.err
    out = result.out
    assert "10 interviews (2 open, 5 replied, 1 closed, 1 advanced, 1 cancelled)" in out
    assert "13 notes sent" in out
    assert "1 · thank-you" in out and "████████░░   75% (3/4)" in out
    assert "formal" in out and "███████░░░   67% (2/3)" in out
    assert "> 7 days" in out and "░░░░░░░░░░    0% (0/1)" in out
    assert "median 7.0 days, 90% within 14.0 days (5 replies" in out
    lines = out.splitlines()
    assert "  2026-W41  05 Oct  " + "█" * 30 + " 3" in lines  # the busiest week fills the bar
    assert "  2026-W42  12 Oct  " + "█" * 10 + " 1" in lines
    assert "  2026-W48  23 Nov  0  (this week)" in lines


def test_an_empty_home_says_how_to_start(run: Run) -> None:
    result = run("stats")
    assert result.code == 0, result.err
    assert "No interviews yet" in result.out
    assert "followup add" in result.out
    data = ok(run, "stats")
    assert set(data["totals"].values()) == {0}
    assert [r["rate"] for r in data["reply_rate_by_step"]] == [None, None, None]
    assert data["time_to_first_reply_days"] == {"median": None, "p90": None, "n": 0}
    assert len(data["sent_per_week"]) == 12
    assert {w["sent"] for w in data["sent_per_week"]} == {0}
    nothing = run("stats", "--since", "2030-01-01")
    assert "No interviews since" in nothing.out


def test_a_home_with_nothing_sent_yet(run: Run) -> None:
    add(run, "Acme", "2026-11-23T14:00", "corporate", now="2026-11-20T08:00:00Z")
    out = run("stats").out
    assert "1 interview (1 open) · 0 notes sent" in out
    assert "No note recorded as sent yet" in out
    assert "no reply recorded yet" in out


def test_weeks_follow_the_users_midnight_across_dst(run: Run) -> None:
    # Berlin springs forward on Sunday 29 March 2026: Monday starts at 22:00Z, not 23:00Z
    first = "2026-03-20T10:00"
    early, late, sharp = (
        add(run, name, first, "other", now="2026-03-18T08:00:00Z") for name in "ABC"
    )
    sent(run, early, "2026-03-29T21:30:00Z")  # Sunday 23:30 CEST
    sent(run, late, "2026-03-29T22:30:00Z")  # Monday 00:30 CEST, though Sunday in UTC
    sent(run, sharp, "2026-03-29T22:00:00Z")  # Monday 00:00 CEST: the new week's first instant
    old = add(run, "Old", "2026-01-05T10:00", "other", now="2026-01-01T08:00:00Z")
    sent(run, old, "2026-01-07T10:00:00Z")  # more than 12 weeks back: in the total only
    data = ok(run, "stats", now="2026-04-01T10:00:00Z")
    assert data["sent_per_week"][-2:] == [
        {"week": "2026-W13", "start": "2026-03-23", "sent": 1},
        {"week": "2026-W14", "start": "2026-03-30", "sent": 2},
    ]
    assert data["sent_per_week"][0]["week"] == "2026-W03"
    assert sum(w["sent"] for w in data["sent_per_week"]) == 3
    assert data["totals"]["notes_sent"] == 4


def test_bad_since_is_one_line_and_exit_4(run: Run) -> None:
    result = run("stats", "--since", "last tuesday")
    assert result.code == 4
    assert result.err.count("\n") == 1 and "error" in result.err


def test_a_restore_recomputes_the_stats_and_never_reads_them_from_the_file(
    run: Run, history: dict[str, dict[str, Any]], home: Any, tmp_path: Any
) -> None:
    """The aggregates stats reads (migration 0023) follow a restore: made again from the
    restored rows by the triggers, whatever the file says they are."""
    import sqlite3

    before = ok(run, "stats")
    kept = tmp_path / "kept.db"
    ok(run, "backup", str(kept))
    ok(run, "cancel", str(history["D"]["id"]), now="2026-11-25T12:00:00Z")
    ok(run, "replied", str(history["H2"]["id"]), now="2026-11-25T12:00:00Z")
    assert ok(run, "stats")["totals"] != before["totals"]
    with sqlite3.connect(kept) as conn:  # a file whose aggregates lie
        conn.execute("UPDATE stats_totals SET n = n + 1000, sent = sent + 7")
        conn.execute("UPDATE stats_delays SET s = s + 86400")
    assert run("restore", str(kept), "--yes").code == 0
    after = ok(run, "stats")
    assert {**after, "as_of": None} == {**before, "as_of": None}
