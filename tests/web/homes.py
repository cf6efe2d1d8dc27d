"""Homes to test the dashboard against, built through the real CLI."""

from __future__ import annotations

from tests.conftest import Run


def ok(result: object) -> object:
    assert getattr(result, "code", 1) == 0, getattr(result, "err", "")
    return result


def add(run: Run, *args: str) -> int:
    result = run("add", *args, "--json")
    assert result.code == 0, result.err
    return int(result.json["id"])


def realistic(run: Run) -> dict[str, int]:
    """A week of a job search (now: Wed 25 Nov 2026 12:00 UTC, the user in Europe/Berlin).

    acme: a panel on Monday, debriefed, thank-you due; globex: ten days ago in New York and
    never thanked (fading); umbrella: thanked, the follow-up ahead; initech: they replied;
    hooli: cancelled.
    """
    ok(run("config", "set", "user.name", "Grace Hopper"))
    ok(run("config", "set", "user.email", "grace@example.org"))
    ids = {
        "acme": add(
            run, "--company", "Acme", "--role", "Backend Engineer", "--culture", "startup",
            "--at", "2026-11-23T14:00", "--tz", "Europe/Berlin", "--country", "DE",
            "--interviewer", "Ada Lovelace <ada@acme.example>",
            "--interviewer", "Bob Stone <bob@acme.example>",
        ),
        "globex": add(
            run, "--company", "Globex", "--role", "SRE", "--culture", "corporate",
            "--at", "2026-11-13T10:00", "--tz", "America/New_York",
            "--interviewer", "Carol Danvers <carol@globex.example>",
        ),
        "umbrella": add(
            run, "--company", "Umbrella", "--role", "Data Engineer",
            "--at", "2026-11-16T09:00", "--tz", "Europe/London",
            "--interviewer", "Dan <dan@umbrella.example>",
        ),
        "initech": add(
            run, "--company", "Initech", "--role", "Platform Engineer",
            "--at", "2026-11-12T15:00", "--interviewer", "Peter <peter@initech.example>",
        ),
        "hooli": add(run, "--company", "Hooli", "--role", "Engineer", "--at", "2026-11-24T10:00"),
    }  # fmt: skip
    acme = str(ids["acme"])
    ok(run("debrief", acme, "--interviewer", "ada@acme.example", "--topic", "the billing rewrite",
           "--skill", "PostgreSQL"))  # fmt: skip
    ok(run("debrief", acme, "--interviewer", "bob@acme.example", "--topic", "on-call load",
           "--skill", "incident response"))  # fmt: skip
    ok(run("sent", str(ids["umbrella"]), "--at", "2026-11-18T15:00:00Z"))
    ok(run("sent", str(ids["initech"]), "--at", "2026-11-16T10:00:00Z"))
    ok(run("replied", str(ids["initech"]), "--at", "2026-11-20T09:00:00Z"))
    ok(run("cancel", str(ids["hooli"])))
    return ids
