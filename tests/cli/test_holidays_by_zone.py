"""Holidays by default: without --country, the interview's zone gives the country whose
public holidays the notes skip (tzdata's zone.tab); --country none skips none."""

from __future__ import annotations

from pathlib import Path

from followup.adapters.zone_countries import parse, zone_countries
from followup.domain.planner import PlannedNote
from followup.domain.workdays import HolidayCountry, holiday_country
from tests.conftest import Run


def _add(run: Run, at: str, tz: str, *extra: str) -> str:
    r = run("add", "--company", "Acme", "--role", "Eng", "--at", at, "--tz", tz, *extra,
            "--json")  # fmt: skip
    assert r.code == 0, r.err
    return str(r.json["id"])


def _due(run: Run, iid: str) -> str:
    [note] = run("show", iid, "--json").json["notes"]
    return str(note["due_at"])


def test_a_london_interview_before_christmas_skips_the_uk_bank_holidays(run: Run) -> None:
    iid = _add(run, "2026-12-23T10:00", "Europe/London")
    # + 48 h is Fri 25 Dec (Christmas); Mon 28 Dec is Boxing Day's substitute: Tue 29 Dec
    assert _due(run, iid) == "2026-12-29T09:00:00Z"
    shown = run("show", iid)
    assert "  Holidays: GB-ENG, from Europe/London\n" in shown.out
    assert run("show", iid, "--json").json["holidays"] == {
        "country": "GB-ENG",
        "assumed_from": "Europe/London",
    }


def test_a_zone_of_one_region_skips_that_regions_holidays(run: Run) -> None:
    """A cold trial (session 11): Europe/London took the United Kingdom's shared holidays,
    which have no Easter Monday, and Sydney Australia's, which have no NSW Labour Day: the
    thank-you was due on the holiday."""
    london = _add(run, "2026-04-01T15:00", "Europe/London")
    # + 48 h is Fri 3 Apr, Good Friday; Mon 6 Apr is Easter Monday in England: Tue 7 Apr
    assert _due(run, london) == "2026-04-07T08:00:00Z"
    sydney = _add(run, "2026-10-01T15:00", "Australia/Sydney")
    # + 48 h is Sat 3 Oct; Mon 5 Oct is Labour Day in New South Wales: Tue 6 Oct 09:00 AEDT
    assert _due(run, sydney) == "2026-10-05T22:00:00Z"
    assert "Holidays: AU-NSW, from Australia/Sydney" in run("show", sydney).out
    # Scotland's own, given as a region: Easter Monday is a working day there
    glasgow = _add(run, "2026-04-01T15:30", "Europe/London", "--country", "gb-sct")
    assert _due(run, glasgow) == "2026-04-06T08:00:00Z"
    assert "  Holidays: GB-SCT\n" in run("show", glasgow).out
    refused = run("add", "--company", "Acme", "--role", "Eng", "--at", "2026-04-01T15:00",
                  "--tz", "Europe/London", "--country", "GB-XYZ")  # fmt: skip
    assert refused.code == 4 and "no public-holiday calendar for country 'GB-XYZ'" in refused.err


def test_a_chicago_interview_skips_thanksgiving(run: Run) -> None:
    iid = _add(run, "2026-11-24T10:00", "America/Chicago")
    # + 48 h is Thu 26 Nov, Thanksgiving: Fri 27 Nov 09:00 CST = 15:00Z
    assert _due(run, iid) == "2026-11-27T15:00:00Z"
    assert "Holidays: US, from America/Chicago" in run("show", iid).out


def test_country_none_skips_no_holidays(run: Run) -> None:
    iid = _add(run, "2026-12-23T10:00", "Europe/London", "--country", "none")
    assert _due(run, iid) == "2026-12-25T11:00:00Z"
    assert "Holidays: none (--country none)" in run("show", iid).out
    assert run("show", iid, "--json").json["application"]["country"] == "none"


def test_a_given_country_wins_over_the_zone(run: Run) -> None:
    iid = _add(run, "2026-12-23T10:00", "Europe/London", "--country", "us")
    # US: Christmas only; Mon 28 Dec is a working day
    assert _due(run, iid) == "2026-12-28T09:00:00Z"
    assert "  Holidays: US\n" in run("show", iid).out


def test_a_zone_of_no_country_says_so(run: Run) -> None:
    iid = _add(run, "2026-12-23T10:00", "UTC")
    assert _due(run, iid) == "2026-12-25T11:00:00Z"
    assert "Holidays: none known for UTC (set one with --country CC)" in run("show", iid).out


def test_a_bad_country_names_none_as_a_choice(run: Run) -> None:
    r = run("add", "--company", "A", "--role", "B", "--at", "2026-12-23T10:00", "--country", "xyz")
    assert r.code == 4
    assert "two-letter ISO code such as US or DE (or a region's, such as GB-SCT), or none" in r.err


def test_country_none_survives_an_export_and_import(run: Run, tmp_path: Path) -> None:
    _add(run, "2026-12-23T10:00", "Europe/London", "--country", "none")
    exported = tmp_path / "all.json"
    exported.write_text(run("export").out)
    fresh = ("--home", str(tmp_path / "fresh"))  # (here it is there already)
    r = run(*fresh, "import", str(exported), "--json")
    assert r.code == 0, r.err
    new = str(r.json["interviews"][0]["id"])
    assert "Holidays: none (--country none)" in run(*fresh, "show", new).out


def test_the_zone_table_from_tzdata() -> None:
    table = zone_countries()
    assert table["Europe/London"] == "GB"
    assert table["America/Chicago"] == "US"
    assert table["Europe/Amsterdam"] == "NL"  # in zone.tab, merged into Brussels in zone1970
    assert zone_countries() is table  # read once


def test_a_zone_several_countries_share_gives_the_first_listed() -> None:
    zone1970 = "# comment\nCH,DE,LI\t+4723+00832\tEurope/Zurich\tBüsingen\nXX\t+0\tEtc/Made\n"
    assert parse(zone1970) == {"Europe/Zurich": "CH", "Etc/Made": "XX"}
    assert parse("LI\t+4723+00832\tEurope/Zurich\n", zone1970)["Europe/Zurich"] == "LI"


def test_with_no_zone_table_no_country_is_assumed() -> None:
    assert parse("", "") == {}
    assert holiday_country(None, "Europe/Paris", {}) == HolidayCountry(None, "Europe/Paris")
    assert holiday_country("none", "Europe/London", {"Europe/London": "GB"}).off
    assert holiday_country("DE", "Europe/London", {"Europe/London": "GB"}) == HolidayCountry("DE")


def test_an_interview_planned_before_the_default_is_planned_again_once(
    run: Run, home: Path
) -> None:
    """An interview recorded with no country by an older followup had no holidays skipped:
    the policy key it was planned under lacks the zone rule, so the next start re-plans it."""
    from followup.bootstrap import open_context

    iid = _add(run, "2026-12-23T10:00", "Europe/London")
    ctx = open_context(str(home))
    [note] = ctx.store.notes(int(iid))
    christmas = note.due_at.replace(day=25, hour=11)
    with ctx.store.transaction():  # as an older followup planned and recorded it
        planned = (note.step, note.kind, note.interviewer_id, note.earliest_at, christmas)
        ctx.store.reschedule_note(note.id, PlannedNote(*planned), christmas)
        ctx.store.set_next(int(iid), note.step, note.kind, christmas)
        ctx.store.set_planned_policy(ctx.policy.planning_key.replace("|holidays by region", ""))
    assert [n.due_at for n in ctx.store.notes(int(iid))] == [christmas]

    assert run("agenda", "--json").json[0]["due_at"] == "2026-12-29T09:00:00Z"
    assert _due(run, iid) == "2026-12-29T09:00:00Z"


def test_a_zone_of_no_country_takes_your_country_and_a_change_re_plans(run: Run) -> None:
    iid = _add(run, "2026-12-23T10:00", "Etc/GMT-1")  # "UTC+1" on the dashboard
    # no country: the end + 48 h is Fri 25 Dec 11:00 UTC+1, a working day without holidays
    assert _due(run, iid) == "2026-12-25T10:00:00Z"
    assert run("config", "set", "country", "de").code == 0
    # re-planned at the next start: DE's 25 and 26 Dec skipped, Mon 28 Dec 09:00 UTC+1
    assert _due(run, iid) == "2026-12-28T08:00:00Z"
    assert "Holidays: DE, yours (Etc/GMT-1 lies in no country)" in run("show", iid).out
    assert run("config", "set", "country", "").code == 0
    assert _due(run, iid) == "2026-12-25T10:00:00Z"


def test_your_country_never_overrides_a_zones_or_a_given_one(run: Run) -> None:
    assert run("config", "set", "country", "DE").code == 0
    london = _add(run, "2026-12-23T10:00", "Europe/London")
    assert _due(run, london) == "2026-12-29T09:00:00Z"  # GB's, as without it
    given = _add(run, "2026-12-23T10:00", "Etc/GMT-1", "--country", "none")
    assert _due(run, given) == "2026-12-25T10:00:00Z"


def test_your_country_is_two_letters() -> None:
    from followup.app.errors import InvalidInput
    from followup.config.settings import parse_value

    assert parse_value("country", "de") == "DE"
    for wrong in ("Germany", "none", "D"):
        try:
            parse_value("country", wrong)
        except InvalidInput as exc:
            assert str(exc).startswith("country: ")
        else:
            raise AssertionError(wrong)
