"""A typed interview knows its company's domain as an imported one does (cold trial, item 1):
a rejection from talent@acme.example ends the application whose interviewer is
ada@acme.example, whether the people were typed with `add`, `edit --add-interviewer`, the
dashboard's Add form or `POST /api/interviews` — and for an interview typed before the
domains were kept (a fallback when matching). Free mail is never a company's domain."""

from __future__ import annotations

from pathlib import Path

from followup.bootstrap import open_context
from tests.cli.test_receive_cli import eml
from tests.conftest import Run

REGRET = "We regret to inform you that we will not be moving forward with your application."


def _add(run: Run, *people: str, company: str = "Acme") -> int:
    extra = [a for p in people for a in ("--interviewer", p)]
    done = run("add", "--company", company, "--role", "Engineer",
               "--at", "2026-11-20T10:00:00Z", *extra, "--json")  # fmt: skip
    assert done.code == 0, done.err
    return int(done.json["id"])


def _domains(run: Run, iid: int) -> list[str]:
    return list(run("show", str(iid), "--json").json["application"]["domains"])


def _rejection(run: Run, tmp_path: Path, sender: str = "Talent <talent@acme.example>") -> dict:
    path = eml(tmp_path / "no.eml", sender, "Your application", REGRET, "<no1@acme.example>")
    done = run("receive", path, "--json")
    assert done.code == 0, done.err
    return dict(done.json)


def test_a_typed_interviewers_company_domain_is_the_applications(run: Run, tmp_path: Path) -> None:
    iid = _add(run, "Ada <ada@mail.acme.example>", "Bo <bo@gmail.com>")
    assert _domains(run, iid) == ["acme.example"]  # the registrable part; no free mail
    done = _rejection(run, tmp_path)
    assert (done["kind"], done["matched"], done["matched_by"]) == ("rejection", [iid], "domain")
    assert run("show", str(iid), "--json").json["status"] == "rejected"


def test_free_mail_alone_gives_no_domain_and_matches_nothing(run: Run, tmp_path: Path) -> None:
    iid = _add(run, "Bo <bo@gmail.com>")
    assert _domains(run, iid) == []
    done = _rejection(run, tmp_path, "Someone <someone@gmail.com>")
    assert done["matched"] == [] and run("show", str(iid), "--json").json["status"] == "waiting"


def test_the_users_own_domain_is_not_the_companys(run: Run, home: Path) -> None:
    (home / "config.toml").write_text('[user]\nname = "Grace"\nemail = "grace@acme.example"\n')
    iid = _add(run, "Ada <ada@acme.example>")
    assert _domains(run, iid) == []


def test_edit_add_interviewer_adds_their_domain(run: Run, tmp_path: Path) -> None:
    iid = _add(run)
    assert _domains(run, iid) == []
    done = run("edit", str(iid), "--add-interviewer", "Ada <ada@acme.example>")
    assert done.code == 0, done.err
    assert _domains(run, iid) == ["acme.example"]
    assert _rejection(run, tmp_path)["matched"] == [iid]


def test_a_later_round_adds_its_peoples_domains(run: Run) -> None:
    iid = _add(run, "Ada <ada@acme.example>")
    application = run("show", str(iid), "--json").json["application_id"]
    later = run("add", "--application", str(application), "--at", "2026-11-27T10:00:00Z",
                "--interviewer", "Cy <cy@acme-labs.example>", "--json")  # fmt: skip
    assert later.code == 0, later.err
    assert _domains(run, int(later.json["id"])) == ["acme.example", "acme-labs.example"]


def test_an_interview_typed_before_domains_were_kept_still_matches(
    run: Run, tmp_path: Path
) -> None:
    iid = _add(run, "Ada <ada@acme.example>", "Bo <bo@gmail.com>")
    other = _add(run, "Cy <cy@gmail.com>", company="Beta")
    ctx = open_context()
    with ctx.store.transaction():  # as `add` left it before: no domain kept
        ctx.store._execute("UPDATE applications SET domains = ''")  # type: ignore[attr-defined]
    assert _domains(run, iid) == []
    done = _rejection(run, tmp_path)
    assert (done["matched"], done["matched_by"]) == ([iid], "domain")
    # free mail is no company: a stranger at gmail.com is none of Bo's or Cy's colleagues
    path = eml(tmp_path / "g.eml", "Zed <zed@gmail.com>", "Your application", REGRET, "<g@x>")
    assert run("receive", path, "--json").json["matched"] == []
    assert run("show", str(other), "--json").json["status"] == "waiting"


def test_mail_from_a_subdomain_of_the_company_is_the_companys(run: Run, tmp_path: Path) -> None:
    """The input fixes' report (session 11): a rejection from noreply@careers.acme.example
    matched nothing for an application at acme.example, and the follow-ups went on after the
    no. The sender's registrable domain is what is compared, for kept domains and for the
    colleagues of an interview typed before they were kept."""
    iid = _add(run, "Ada <ada@acme.example>")
    done = _rejection(run, tmp_path, "Careers <noreply@careers.acme.example>")
    assert (done["matched"], done["matched_by"]) == ([iid], "domain")
    assert run("show", str(iid), "--json").json["status"] == "rejected"
    other = _add(run, "Cy <cy@mail.beta.example>", company="Beta")
    ctx = open_context()
    with ctx.store.transaction():  # typed before the domains were kept
        ctx.store._execute("UPDATE applications SET domains = ''")  # type: ignore[attr-defined]
    path = eml(tmp_path / "b.eml", "Beta HR <hr@jobs.beta.example>", "Your application", REGRET,
               "<b@x>")  # fmt: skip
    assert run("receive", path, "--json").json["matched"] == [other]
    # a look-alike is not a subdomain
    path = eml(tmp_path / "c.eml", "X <x@notbeta.example>", "Your application", REGRET, "<c@x>")
    assert run("receive", path, "--json").json["matched"] == []


def test_an_agencys_domain_speaks_for_a_client_only_when_it_names_it(
    run: Run, tmp_path: Path
) -> None:
    """A cold trial (session 11): the agency recruiter on an Initech panel gave the Initech
    application hays.example, and another agency recruiter's "Contoso have decided not to
    move forward" then ended it. A domain without the company's name speaks for it only in
    a message that names it."""
    iid = _add(run, "Rita <rita@hays.example>", "Ivy <ivy@initech.example>", company="Initech")
    contoso = "Unfortunately Contoso have decided not to move forward with your application."
    path = eml(tmp_path / "c.eml", "Harry <harry@hays.example>", "Update", contoso, "<c@hays>")
    done = run("receive", path, "--json")
    assert done.code == 0 and done.json["matched"] == [], done.json
    assert run("show", str(iid), "--json").json["status"] == "waiting"
    initech = "Unfortunately Initech have decided not to move forward with your application."
    path = eml(tmp_path / "i.eml", "Harry <harry@hays.example>", "Update", initech, "<i@hays>")
    assert run("receive", path, "--json").json["matched"] == [iid]
    assert run("show", str(iid), "--json").json["status"] == "rejected"


def test_a_companys_own_domain_speaks_for_it_whatever_its_name(run: Run, tmp_path: Path) -> None:
    """The next cold trial (session 11): the agency rule ignored real rejections from a
    company's own domain that does not spell its name (AT&T at att.example, Procter &
    Gamble at pg.example, Alphabet at google.example). The application's only company
    domain, its name run together or its initials, speak for it."""
    regret = "Unfortunately we have decided not to move forward with your application."
    for company, domain in (("AT&T", "att.example"), ("Procter & Gamble", "pg.example"),
                            ("Alphabet", "google.example")):  # fmt: skip
        iid = _add(run, f"Ma <ma@{domain}>", company=company)
        path = eml(tmp_path / f"{iid}.eml", f"HR <hr@{domain}>", "Your application", regret,
                   f"<{iid}@x>")  # fmt: skip
        done = run("receive", path, "--json")
        assert done.json["matched"] == [iid], (company, done.json)
        assert run("show", str(iid), "--json").json["status"] == "rejected", company


def test_a_company_is_named_as_words_and_a_role_names_its_application(
    run: Run, tmp_path: Path
) -> None:
    """The next cold trial: "Business Intelligence" named Intel, whose application an
    agency's mail about Contoso then ended; an agency's mail naming only the role is about
    the application with that role."""
    intel = _add(run, "Rec <rec@hays.example>", "Pat <pat@intel.example>", company="Intel")
    done = run("add", "--company", "Initech", "--role", "SRE", "--at", "2026-11-21T10:00:00Z",
               "--interviewer", "Rec Two <rec2@hays.example>",
               "--interviewer", "Ivy <ivy@initech.example>", "--json")  # fmt: skip
    initech = int(done.json["id"])
    contoso = "Unfortunately Contoso have decided not to move forward with your application."
    path = eml(tmp_path / "bi.eml", "Jane <jane@hays.example>",
               "Update from the Business Intelligence practice", contoso, "<bi@x>")  # fmt: skip
    assert run("receive", path, "--json").json["matched"] == []
    assert run("show", str(intel), "--json").json["status"] == "waiting"
    sre = "The client has decided not to move forward with you for the SRE role."
    path = eml(tmp_path / "sre.eml", "Jane <jane@hays.example>", "Update", sre, "<sre@x>")
    assert run("receive", path, "--json").json["matched"] == [initech]
