"""Company, role and interviewers from an invitation's SUMMARY, ORGANIZER and ATTENDEEs."""

from __future__ import annotations

import pytest

from followup.app.calendar import MAX_INTERVIEWERS, interviewers
from followup.app.invite_titles import guess_application
from followup.app.rows import Attendee, NewInterviewer
from followup.domain.companies import company_domain, registrable_domain
from tests.calendar.helpers import fixture, ok, only
from tests.conftest import Run

ACME = (Attendee("rita@acme.com", "Rita", organizer=True),)
NOBODY: tuple[Attendee, ...] = ()


@pytest.mark.parametrize(
    ("summary", "people", "company", "role"),
    [
        ("Interview: Backend Engineer at Acme", NOBODY, "Acme", "Backend Engineer"),
        ("Acme — Backend Engineer interview", NOBODY, "Acme", "Backend Engineer"),
        ("Acme / Backend Engineer (Round 2)", NOBODY, "Acme", "Backend Engineer"),
        ("Acme - Backend Engineer - Technical Interview", NOBODY, "Acme", "Backend Engineer"),
        ("Backend Engineer interview - Acme", NOBODY, "Acme", "Backend Engineer"),
        ("Interview with Acme for Backend Engineer", NOBODY, "Acme", "Backend Engineer"),
        ("Phone screen with Hooli for Product Manager", NOBODY, "Hooli", "Product Manager"),
        ("Updated invitation: Acme | Staff SRE [Onsite]", NOBODY, "Acme", "Staff SRE"),
        ("FW: Interview: Data Scientist @ Initech", NOBODY, "Initech", "Data Scientist"),
        # the organizer's domain names the company and tells the sides apart
        ("Backend Engineer / Acme", ACME, "Acme", "Backend Engineer"),
        ("Technical interview", ACME, "Acme", ""),
        ("Acme Backend Engineer Interview", ACME, "Acme", "Backend Engineer"),
        ("Chat about the Backend Engineer role", ACME, "Acme", "Backend Engineer"),
        ("Interview", ACME, "Acme", ""),
        ("Interview", NOBODY, "", ""),
        ("", ACME, "Acme", ""),
    ],
)
def test_company_and_role_from_the_summary(
    summary: str, people: tuple[Attendee, ...], company: str, role: str
) -> None:
    guess = guess_application(summary, people)
    assert (guess.company, guess.role) == (company, role)


def test_the_summarys_spelling_of_the_domain_wins() -> None:
    people = (Attendee("demis@deepmind.com", organizer=True),)
    assert guess_application("Research Engineer", people).company == "Deepmind"
    assert guess_application("DeepMind — Research Engineer", people).company == "DeepMind"
    two_words = (Attendee("hr@acme-robotics.co.uk", organizer=True),)
    guess = guess_application("Interview", two_words)
    assert (guess.company, guess.domains) == ("Acme Robotics", ("acme-robotics.co.uk",))


def test_free_mail_and_ats_relays_name_no_company() -> None:
    people = (
        Attendee("noreply@greenhouse.io", organizer=True),
        Attendee("someone@gmail.com"),
        Attendee("ada@acme.example"),
        Attendee("grace@example.org"),
    )
    guess = guess_application("Interview", people, own={"grace@example.org"})
    assert guess.company == "Acme" and guess.domains == ("acme.example",)
    assert company_domain("mail.yahoo.co.uk") is None
    # national free mail is free mail too (a cold trial, session 11, found these two)
    assert company_domain("outlook.de") is None and company_domain("live.co.uk") is None
    assert company_domain("acme.greenhouse.io") is None
    assert company_domain("jobs.example.com", ats=["example.com"]) is None
    assert registrable_domain("careers.acme.co.uk") == "acme.co.uk"
    assert registrable_domain("acme.com") == "acme.com"
    # a Microsoft 365 tenant is its own company, never all of onmicrosoft.com
    assert registrable_domain("contoso.onmicrosoft.com") == "contoso.onmicrosoft.com"
    assert company_domain("mail.contoso.onmicrosoft.com") == "contoso.onmicrosoft.com"


def test_interviewers_are_checked_deduplicated_and_filtered() -> None:
    people = (
        Attendee("rita@acme.example", "Rita Recruiter", organizer=True),
        Attendee("GRACE@example.org", "Grace"),  # the user
        Attendee("ada@acme.example", "Ada Lovelace"),
        Attendee("Ada@ACME.example", "Lovelace, Ada"),  # the same person again
        Attendee("room-4@acme.example", "Room 4", kind="ROOM"),
        Attendee("no-reply@acme.example", "Acme Calendar"),
        Attendee("calendar-notification@google.com", "Google Calendar"),
        Attendee("scheduler@goodtime.io", "GoodTime"),
        Attendee("alice@example.org)<bob@example.com>", "Two"),  # not exactly one mailbox
        Attendee("bob@acme.example", "Bob\r\nBcc: x@evil.example"),  # a name with a line break
        Attendee("carol@acme.example", ""),  # no CN: the local part
    )
    found, notes, left_out, *_ = interviewers(people, own={"grace@example.org"})
    assert found == [
        NewInterviewer("Rita Recruiter", "rita@acme.example", primary=True),  # the organizer
        NewInterviewer("Ada Lovelace", "ada@acme.example"),
        NewInterviewer("bob", "bob@acme.example"),
        NewInterviewer("carol", "carol@acme.example"),
    ]
    assert len(notes) == 2
    assert "skipped attendee" in notes[0] and "bob@acme.example" in notes[1]
    # the file's ROOM and the relay go silently; those guessed from name or address are said
    assert left_out == [
        '"Acme Calendar" <no-reply@acme.example> (a no-reply address)',
        '"Google Calendar" <calendar-notification@google.com> (a scheduling system\'s mailbox)',
    ]


def test_a_meeting_with_many_attendees_keeps_a_panel() -> None:
    people = tuple(Attendee(f"p{i}@acme.example", f"P{i}") for i in range(25))
    found, notes, *_ = interviewers(people)
    assert len(found) == MAX_INTERVIEWERS
    assert "25 attendees" in notes[-1]


GRACE = Attendee("grace@example.org", "Grace Hopper")


@pytest.mark.parametrize(
    ("summary", "people", "company", "role"),
    [
        # Greenhouse: "Interview: <candidate> - <role> (<company>)", the candidate unknown
        ("Interview: Grace Hopper - Backend Engineer (Acme)", NOBODY, "Acme", "Backend Engineer"),
        ("Interview: Grace Hopper - Backend Engineer (Round 2)", (*ACME, GRACE), "Acme",
         "Backend Engineer"),
        # Greenhouse scheduling: the organizer's domain spelt otherwise than the company
        ("Interview with Initech for Data Engineer",
         (Attendee("peter@initech-corp.example", "Peter Gibbons", organizer=True),),
         "Initech", "Data Engineer"),
        # Ashby: "<company> | <role> interview with <candidate>"
        ("Hooli | Product Manager interview with Grace Hopper", (GRACE,), "Hooli",
         "Product Manager"),
        ("Hooli | Product Manager interview with Grace Hopper", NOBODY, "Hooli",
         "Product Manager"),
        # Calendly: "<event type> between <host> and <invitee>"
        ("Globex Intro Call - Platform Engineer between Rita Ramos and Grace Hopper", NOBODY,
         "Globex", "Platform Engineer"),
        # GoodTime: "<company> Onsite Interview for <role> - <candidate>"
        ("Umbrella Corp Onsite Interview for Staff SRE - Grace Hopper", (GRACE,),
         "Umbrella Corp", "Staff SRE"),
        ("Umbrella Corp Onsite Interview for Staff SRE - Grace Hopper", NOBODY,
         "Umbrella Corp", "Staff SRE"),
        # Lever: "<candidate> <> <company>: <role> Interview"
        ("Grace Hopper <> Cyberdyne: Backend Engineer Interview", (GRACE,), "Cyberdyne",
         "Backend Engineer"),
        # an interviewer named in the title is a person, not the company
        ("Phone Screen with Rita Recruiter", ACME, "Acme", ""),
        ("Interview with Grace Hopper", (*ACME, GRACE), "Acme", ""),
    ],
)  # fmt: skip
def test_ats_and_scheduler_titles(
    summary: str, people: tuple[Attendee, ...], company: str, role: str
) -> None:
    guess = guess_application(summary, people, own={"grace@example.org"})
    assert (guess.company, guess.role) == (company, role)


def test_the_users_name_is_never_the_company_nor_an_interviewer() -> None:
    """user.name tells when the invitation lists the user at an address followup does not
    know (a Calendly booking made with a private address)."""
    people = (Attendee("grace.h@gmail.com", ""),)
    assert guess_application("Grace Hopper - Acme Interview", people).company == "Grace Hopper"
    guess = guess_application("Grace Hopper - Acme Interview", people, own_names=["Grace Hopper"])
    assert guess.company == "Acme"
    panel = (Attendee("rita@acme.example", "Rita", organizer=True),
             Attendee("grace.h@gmail.com", "Grace  Hopper"))  # fmt: skip
    found = interviewers(panel, own_names=["grace hopper"]).people
    assert [p.email for p in found] == ["rita@acme.example"]


def test_an_address_in_the_title_is_never_the_company() -> None:
    assert guess_application("Interview with grace@example.org", ACME).company == "Acme"
    guess = guess_application("Interview with grace@example.org", NOBODY, own={"grace@example.org"})
    assert guess.company == ""  # then the import asks for --company


def _organizer(address: str, name: str) -> tuple[Attendee, ...]:
    return (Attendee(address, name, organizer=True), Attendee("priya.raman@gmail.com", ""))


# Titles in other languages and informal shapes, as a cold trial imported them: the word
# for "interview", a call's kind or the platform was taken for the company or the role.
@pytest.mark.parametrize(
    ("summary", "people", "company", "role"),
    [
        ("Entretien – Lumière Énergie – Ingénieure données",
         _organizer("camille.durand@lumiere-energie.fr", "Camille Durand"),
         "Lumière Énergie", "Ingénieure données"),
        ("Entretien d'embauche : Chef de projet – Société Générale Immobilier",
         _organizer("marc.dupont@sgimmo.fr", "Marc Dupont"),
         "Société Générale Immobilier", "Chef de projet"),
        ("Premier entretien téléphonique - Analyste crédit - Banque Sauvage",
         NOBODY, "Banque Sauvage", "Analyste crédit"),
        ("Vorstellungsgespräch Bauwerk Gruppe – Senior Projektingenieur",
         _organizer("katrin.schmidt@bauwerk-gruppe.de", "Schmidt, Katrin"),
         "Bauwerk Gruppe", "Senior Projektingenieur"),
        ("Vorstellungsgespräch: Werkstudent Data Science – Alpenblick GmbH",
         _organizer("sabine.vogel@alpenblick.de", "Sabine Vogel"),
         "Alpenblick GmbH", "Werkstudent Data Science"),
        ("Zweites Gespräch: Softwareentwicklerin bei Nordlicht", NOBODY, "Nordlicht",
         "Softwareentwicklerin"),
        ("Entrevista - Data Scientist - Meridiano Seguros",
         _organizer("lucia.gomez@meridianoseguros.es", "Lucía Gómez"),
         "Meridiano Seguros", "Data Scientist"),
        ("Segunda entrevista: Desarrolladora backend - Sol Digital", NOBODY, "Sol Digital",
         "Desarrolladora backend"),
        ("Sollicitatiegesprek Tulpa B.V. - Backend Developer",
         _organizer("sanne@tulpa.nl", "Sanne de Vries"), "Tulpa B.V.", "Backend Developer"),
        ("Entrevista de emprego - Engenheira de dados - Banco Aurora", NOBODY, "Banco Aurora",
         "Engenheira de dados"),
        ("Colloquio di lavoro – Sviluppatore Java – Fonte Srl", NOBODY, "Fonte Srl",
         "Sviluppatore Java"),
        ("HireVue: Technical Interview | Senior Data Engineer | Orbit Bank",
         _organizer("noreply@hirevue.com", "Orbit Bank Careers"),
         "Orbit Bank", "Senior Data Engineer"),
        ("Zoom: Marketing Manager - Kestrel Foods", NOBODY, "Kestrel Foods", "Marketing Manager"),
        # the title names nobody's role: none, rather than "& Dana" (the import asks)
        ("Follow up: Priya Raman & Dana (Zenith Foods)",
         _organizer("dana@zenithfoods.com", "Dana Lee"), "Zenith Foods", ""),
        # only the word for "interview": the organizer's domain, no role
        ("Vorstellungsgespräch", _organizer("hr@bauwerk-gruppe.de", "HR"), "Bauwerk Gruppe", ""),
        ("Entretien", NOBODY, "", ""),
        # a first-hour trial: "the Risk Analyst, Hartwell & Stone Bank position"
        ("Interview: Priya Raman - Risk Analyst, Hartwell & Stone Bank",
         _organizer("recruiting@hartwellstone.com", "Recruiting"),
         "Hartwell & Stone Bank", "Risk Analyst"),
        ("Interview: Priya Raman - Hartwell & Stone Bank, Risk Analyst",
         _organizer("recruiting@hartwellstone.com", "Recruiting"),
         "Hartwell & Stone Bank", "Risk Analyst"),
    ],
)  # fmt: skip
def test_titles_in_other_languages_and_informal_shapes(
    summary: str, people: tuple[Attendee, ...], company: str, role: str
) -> None:
    guess = guess_application(
        summary, people, own={"priya.raman@gmail.com"}, own_names=["Priya Raman"]
    )
    assert (guess.company, guess.role) == (company, role)


def _from(address: str, *attendees: str) -> tuple[Attendee, ...]:
    """An organizer at `address`, the user, and attendees given as "Name <address>"."""
    people = [Attendee(address, "Rita Alvarez", organizer=True),
              Attendee("priya.raman@gmail.com", "Priya Raman")]  # fmt: skip
    for text in attendees:
        name, _, email = text.partition(" <")
        people.append(Attendee(email.rstrip(">"), name))
    return tuple(people)


# A second cold trial: a meeting word cut out of a company's name, an attendee's first name
# taking half a company, the sides swapped, and connecting words left in the role.
@pytest.mark.parametrize(
    ("summary", "people", "company", "role"),
    [
        # a meeting word is stripped at a side's edge, never from inside a name, and never
        # from the stretch of the title the organizer's domain spells
        ("Round Table Pizza — Shift Manager interview", _from("kim.ng@roundtablepizza.example"),
         "Round Table Pizza", "Shift Manager"),
        ("Zoom Video Communications — Senior SRE interview", _from("maya.cohen@zoom.us"),
         "Zoom Video Communications", "Senior SRE"),
        ("Teams & Co — Office Manager interview", _from("lea.martin@teamsandco.example"),
         "Teams & Co", "Office Manager"),
        ("Teams & Co — Office Manager interview", NOBODY, "Teams & Co", "Office Manager"),
        ("Interview for Accountant – Call & Co LLP", _from("r@callco.example"),
         "Call & Co LLP", "Accountant"),
        ("Meeting Street Capital / Investment Analyst (Round 2)",
         _from("ari.s@meetingstreet.example"), "Meeting Street Capital", "Investment Analyst"),
        ("Meeting Point Travel — Travel Consultant interview", _from("m@meetingpoint.example"),
         "Meeting Point Travel", "Travel Consultant"),
        ("Next Round Ventures | Associate interview", _from("v@nextround.example"),
         "Next Round Ventures", "Associate"),
        ("Next Round Ventures | Associate interview", NOBODY, "Next Round Ventures", "Associate"),
        ("Interview – Line Cook – The Round House", _from("chef@theroundhouse.example"),
         "The Round House", "Line Cook"),
        ("Chat Lab - Conversation Designer interview", _from("zoe@chatlab.example"),
         "Chat Lab", "Conversation Designer"),
        ("Interview with Chat Lab for Conversation Designer", _from("zoe@chatlab.example"),
         "Chat Lab", "Conversation Designer"),
        # an attendee's first name goes only after a person's whole name ("Priya Raman & Dana")
        ("Ernst & Young — Audit Associate interview",
         _from("rita@ey.example", "Young Kim <young.kim@ey.example>"),
         "Ernst & Young", "Audit Associate"),
        ("Marks and Spencer — Buyer interview",
         _from("rita@marksandspencer.example", "Spencer Hale <spencer@marksandspencer.example>"),
         "Marks and Spencer", "Buyer"),
        ("Johnson & Johnson / Data Analyst",
         _from("rita@jnj.example", "Johnson Okafor <johnson.okafor@jnj.example>"),
         "Johnson & Johnson", "Data Analyst"),
        ("Barnes & Noble - Store Manager interview",
         _from("rita@bn.example", "Noble Adeyemi <noble.adeyemi@bn.example>"),
         "Barnes & Noble", "Store Manager"),
        ("Interview with Dana for Product Manager",
         _from("rita@zenith.example", "Dana Lee <dana.lee@zenith.example>"),
         "Zenith", "Product Manager"),
        # the side that starts with the organizer's company is the company
        ("Teacher interview - Oakwood Academy", _from("principal@oakwood.example"),
         "Oakwood Academy", "Teacher"),
        # onsites, superdays and coffee chats are meetings, not roles
        ("Onsite: Frontend Engineer - Meta", _from("a@meta.example"), "Meta", "Frontend Engineer"),
        ("Acme — Backend Engineer onsite", NOBODY, "Acme", "Backend Engineer"),
        ("Acme — Backend Engineer (Virtual Onsite)", NOBODY, "Acme", "Backend Engineer"),
        ("Superday: Analyst - Goldman Sachs", NOBODY, "Goldman Sachs", "Analyst"),
        ("Acme | Backend Engineer - On-site", NOBODY, "Acme", "Backend Engineer"),
        ("Coffee chat with Priya – Figma", _from("priya.n@figma.example"), "Figma", ""),
        ("[Interview] Product Manager - Canva", _from("o@canva.example"), "Canva",
         "Product Manager"),
        # "ROLE at COMPANY" and "with COMPANY for ROLE" in other languages
        ("Entretien téléphonique avec Orange pour Ingénieure réseau",
         _from("m.leroy@orange.example"), "Orange", "Ingénieure réseau"),
        ("Entrevista: Desarrolladora Backend en Glovo", _from("l.garcia@glovo.example"),
         "Glovo", "Desarrolladora Backend"),
        ("Sollicitatiegesprek Data Engineer bij Bol", _from("j@bol.example"), "Bol",
         "Data Engineer"),
        ("Entrevista de emprego: Engenheira de Software na Nubank", _from("r@nubank.example"),
         "Nubank", "Engenheira de Software"),
        ("Colloquio: Sviluppatore Java presso Reply", NOBODY, "Reply", "Sviluppatore Java"),
        # ... where the same word is an everyday one: the role keeps it
        ("Entretien : Ingénieur en informatique", _from("rh@acme.example"), "Acme",
         "Ingénieur en informatique"),
        ("Jansen en Zonen - Data Engineer", NOBODY, "Jansen en Zonen", "Data Engineer"),
        # the words for an interview in Swedish, Polish, Japanese and Chinese
        ("Rekryteringsintervju – Backendutvecklare – Klarna", _from("e@klarna.example"),
         "Klarna", "Backendutvecklare"),
        ("Rekryteringsintervju – Backendutvecklare – Klarna", NOBODY, "Klarna",
         "Backendutvecklare"),
        ("Rozmowa kwalifikacyjna – Programista Python – Allegro", NOBODY, "Allegro",
         "Programista Python"),
        ("面接: ソフトウェアエンジニア - Mercari", _from("k@mercari.example"), "Mercari",
         "ソフトウェアエンジニア"),
        ("面试 - 软件工程师 - 字节跳动", NOBODY, "字节跳动", "软件工程师"),
        # a collaboration's " x " before a person goes with the person
        ("Deliveroo x Noor Haddad - Operations Lead",
         _from("o@deliveroo.example", "Noor Haddad <noor.haddad@gmail.com>"),
         "Deliveroo", "Operations Lead"),
        # the title's last dot is the abbreviation's
        ("Interview: Data Scientist, Ads at Snap Inc.", _from("s@snap.example"), "Snap Inc.",
         "Data Scientist, Ads"),
        # unchanged: a platform that is the whole side, or that ends a name, is the meeting's
        ("Interview: Software Engineer II at Microsoft Teams", _from("a@microsoft.example"),
         "Microsoft", "Software Engineer II"),
        ("HireVue Technical Interview | Senior Data Engineer | Orbit Bank", NOBODY,
         "Orbit Bank", "Senior Data Engineer"),
    ],
)  # fmt: skip
def test_a_second_trials_titles(
    summary: str, people: tuple[Attendee, ...], company: str, role: str
) -> None:
    guess = guess_application(
        summary, people, own={"priya.raman@gmail.com"}, own_names=["Priya Raman"]
    )
    assert (guess.company, guess.role) == (company, role)


def _invited_by(address: str) -> tuple[Attendee, ...]:
    """As a third cold trial's invitations came: an organizer with no CN, the user at a
    private address, and a colleague of the organizer's."""
    colleague = "priya.nair" if address.startswith("sam.lee@") else "sam.lee"
    name = "Priya Nair" if colleague == "priya.nair" else "Sam Lee"
    return (
        Attendee(address, "", organizer=True),
        Attendee("noor.haddad@gmail.com", "Noor Haddad"),
        Attendee(f"{colleague}@{address.partition('@')[2]}", name),
    )


# A third cold trial (62 titles, 22 wrong before the guess became a table of title shapes):
# the user's own first name taken for the company, Google Calendar's mail subject used as a
# title, meeting phrases read as the role, a company in brackets lost to a domain that
# only abbreviates it, and a full-width colon.
@pytest.mark.parametrize(
    ("summary", "organizer", "company", "role"),
    [
        # the user's first name (user.name) and the organizer's (sam.lee@) are people
        ("Noor / Sam - 30 min intro", "sam.lee@brightwheel.com", "Brightwheel", ""),
        ("Noor Haddad and Sam Lee", "sam.lee@brightwheel.com", "Brightwheel", ""),
        ("Coffee with Priya (Deliveroo)", "priya.nair@deliveroo.co.uk", "Deliveroo", ""),
        ("Interview with Tom", "tom@gmail.com", "", ""),
        ("Interview (Noor Haddad) - Nurse Practitioner - Kaiser Permanente",
         "recruiting@kp.org", "Kaiser Permanente", "Nurse Practitioner"),
        ("Follow-up call: Noor Haddad x Plaid (Data Scientist)", "ben@plaid.com", "Plaid",
         "Data Scientist"),
        ("Google Meet: Noor Haddad + Priya (Hiring Manager) - Product Analyst, Gorgias",
         "priya@gorgias.com", "Gorgias", "Product Analyst"),
        # Google Calendar's subject: the "Invitation:" head and the "@ date (zone)" tail go
        ("Updated invitation: Interview: UX Researcher at Spotify @ Mon Nov 30, 2026 3pm - 4pm"
         " (GMT)", "talent@spotify.com", "Spotify", "UX Researcher"),
        ("Invitation: Product Manager interview - Revolut @ Tue Dec 1, 2026", "hr@revolut.com",
         "Revolut", "Product Manager"),
        ("Invitation: Acme - Backend Engineer @ Weekly from 3pm to 4pm on Monday (GMT)"
         " (noor@example.com)", "noor@example.com", "Acme", "Backend Engineer"),
        # meeting phrases
        ("Interview Invitation: Account Executive, Mid-Market — HubSpot",
         "recruiter@hubspot.com", "HubSpot", "Account Executive, Mid-Market"),
        ("Case interview – McKinsey & Company – Business Analyst", "rec@mckinsey.com",
         "McKinsey & Company", "Business Analyst"),
        ("Meet & Greet – Barista – Blue Bottle Coffee", "manager@bluebottlecoffee.com",
         "Blue Bottle Coffee", "Barista"),
        ("Hiring event: Warehouse Associate – Amazon", "noreply@amazon.jobs", "Amazon",
         "Warehouse Associate"),
        ("Noor Haddad - Amazon - Loop Interview - SDE II", "loop@amazon.com", "Amazon",
         "SDE II"),
        ("Noor Haddad: Onsite Loop (Lunch) - Airbnb", "recruiting@airbnb.com", "Airbnb", ""),
        ("Lunch with the team", "maria@smallstudio.io", "Smallstudio", ""),
        ("HireVue: Digital Interview – Graduate Scheme – Unilever", "noreply@hirevue.com",
         "Unilever", "Graduate Scheme"),
        ("Panel Interview – Clinical Nurse Specialist – St Mary's Hospital",
         "hr.recruitment@stmarys.nhs.uk", "St Mary's Hospital", "Clinical Nurse Specialist"),
        ("Technical Interview (Python) - Junior Developer @ Monzo", "hiring@monzo.com", "Monzo",
         "Junior Developer"),
        ("Superday: Investment Banking Analyst (Goldman Sachs)", "campus@gs.com",
         "Goldman Sachs", "Investment Banking Analyst"),
        ("Interview for the position of Legal Counsel - Linklaters LLP",
         "grad.recruitment@linklaters.com", "Linklaters LLP", "Legal Counsel"),
        ("Re: Interview next week?", "tom@gmail.com", "", ""),
        # ... but a job's title that starts with one keeps it
        ("Call Center Representative Interview - Teleperformance", "jobs@teleperformance.com",
         "Teleperformance", "Call Center Representative"),
        ("Meeting Planner interview – Marriott", "events@marriott.com", "Marriott",
         "Meeting Planner"),
        # a platform named after "at" is the employer when no domain names another
        ("Interview: Software Engineer II at Zoom", "recruiting@zoom.us", "Zoom",
         "Software Engineer II"),
        # "[COMPANY] …", and a lone bracket
        ("[Monzo] Hiring Manager Chat - Noor Haddad", "rachel@monzo.com", "Monzo", ""),
        ("[Monzo]", "noor@example.com", "Monzo", ""),
        ("[EXTERNAL] Interview: Backend Engineer at Acme", "noor@example.com", "Acme",
         "Backend Engineer"),
        # Japanese and Chinese: a full-width colon, a legal form that ends the company
        ("面接：株式会社メルカリ ソフトウェアエンジニア", "saiyo@mercari.com", "株式会社メルカリ",
         "ソフトウェアエンジニア"),
        ("面试 - 字节跳动 - 产品经理", "hr@bytedance.com", "字节跳动", "产品经理"),
    ],
)  # fmt: skip
def test_a_third_trials_titles(summary: str, organizer: str, company: str, role: str) -> None:
    guess = guess_application(
        summary,
        _invited_by(organizer),
        own={"noor.haddad@gmail.com", "noor@example.com"},
        own_names=["Noor Haddad"],
    )
    assert (guess.company, guess.role) == (company, role)


def test_the_title_shapes_are_one_ordered_table() -> None:
    """Each shape is named as the title reads; a new one goes in its place in the table."""
    from followup.app.invite_titles import TITLE_SHAPES

    names = [name for name, _ in TITLE_SHAPES]
    assert names.index("ROLE at COMPANY") < names.index("COMPANY – ROLE | ROLE – COMPANY")
    assert names[-1].startswith("COMPANY ROLE")  # the last always answers


def _sent_by(organizer: str, *others: str) -> tuple[Attendee, ...]:
    """As a fourth cold trial's invitations came: the organizer and others given as
    "Name <address>" (no organizer when `organizer` is ""), and the user."""
    people = [Attendee("noor.haddad@gmail.com", "Noor Haddad")]
    for i, text in enumerate((organizer, *others)):
        if text:
            name, _, email = text.partition(" <")
            people.append(Attendee(email.rstrip(">"), name, organizer=i == 0))
    return tuple(people)


# A fourth cold trial (90 titles, 27 wrong, 21 of them embarrassing in a draft): "w/" read as
# a word, full-width brackets, honorifics and the word for a candidate before the user's
# name, meeting phrases ("On Demand", "Scheduled", "Client Interview", "next steps"), a
# position's label ("Puesto:"), an institution's side taken for the role, zero-width spaces,
# store and requisition numbers, an unnamed client, and a title of emoji.
@pytest.mark.parametrize(
    ("summary", "people", "company", "role"),
    [
        # "w/" is "with"; the aside after the user's own name is the role, never their part
        ("Technical interview w/ Noor Haddad (Frontend Engineer)",
         _sent_by("Raj Patel <raj@posthog.com>"), "Posthog", "Frontend Engineer"),
        ("Noor Haddad Interview w/ Chris & Dana",
         _sent_by("Chris Wood <chris@smallbakery.co>", "Dana Fox <dana@smallbakery.co>"),
         "Smallbakery", ""),
        # a platform's compound ("Teams-Besprechung": Outlook's German Teams meeting)
        ("Teams-Besprechung: Interview Noor Haddad (Data Scientist)",
         _sent_by("Anna Schmidt <anna.schmidt@siemens.com>"), "Siemens", "Data Scientist"),
        # full-width brackets and slash, 様 after a name, the rounds of 面接
        ("【面接】Noor Haddad様 - バックエンドエンジニア（株式会社メルカリ）",
         _sent_by("田中 太郎 <taro.tanaka@mercari.com>"), "株式会社メルカリ",
         "バックエンドエンジニア"),
        ("一次面接：データサイエンティスト ／ LINEヤフー株式会社",
         _sent_by("佐藤 花子 <hanako.sato@lycorp.co.jp>"), "LINEヤフー株式会社",
         "データサイエンティスト"),
        ("二次面接 Noor Haddad様 / 楽天グループ株式会社 / プロダクトマネージャー",
         _sent_by("鈴木 一郎 <ichiro.suzuki@rakuten.com>"), "楽天グループ株式会社",
         "プロダクトマネージャー"),
        # a form of address or the word for a candidate before the user's name or surname
        ("Candidate interview: Noor Haddad for Assistant Professor of Chemistry",
         _sent_by("Dr. Alan Moore <amoore@umich.edu>"), "Umich",
         "Assistant Professor of Chemistry"),
        ("Vorstellungsgespräch: Frau Noor Haddad – Assistenzärztin Innere Medizin – Klinikum"
         " Nürnberg", _sent_by("Dr. Petra Lang <petra.lang@klinikum-nuernberg.de>"),
         "Klinikum Nürnberg", "Assistenzärztin Innere Medizin"),
        ("Frau Haddad – Softwareentwicklerin – Nordlicht GmbH", _sent_by(""), "Nordlicht GmbH",
         "Softwareentwicklerin"),
        ("Interview with Ms. Haddad - Data Analyst - Acme", _sent_by(""), "Acme", "Data Analyst"),
        ("Mme Haddad / Nordlicht / Data Analyst", _sent_by(""), "Nordlicht", "Data Analyst"),
        ("Dr. Noor Haddad - Nordlicht", _sent_by(""), "Nordlicht", ""),
        # personio.de is an applicant-tracking system's: no company (the import asks)
        ("Zweites Gespräch mit Frau Haddad (Senior Backend-Entwicklerin)",
         _sent_by("Jens Vogel <j.vogel@personio.de>"), "", "Senior Backend-Entwicklerin"),
        # meeting phrases: neither company nor role
        ("HireVue: On Demand Interview - Graduate Analyst - Barclays",
         _sent_by("Barclays <noreply@hirevue.com>"), "Barclays", "Graduate Analyst"),
        ("Interview Scheduled: Noor Haddad - Req 48213 Warehouse Associate",
         _sent_by("Amazon Jobs <no-reply@amazon.jobs>", "Rosa Diaz <rosdiaz@amazon.com>"),
         "Amazon", "Warehouse Associate"),
        ("Quick call re: Head of Operations opportunity", _sent_by("Lisa Ford <lisa@fordexec.com>"),
         "Fordexec", "Head of Operations"),
        ("Noor Haddad - Client Interview - Northwind Traders - Finance Analyst",
         _sent_by("", "Dev Patel <dev.patel@northwindtraders.com>"), "Northwind Traders",
         "Finance Analyst"),
        ("Noor Haddad - Client Interview (Morgan Stanley) - Business Analyst",
         _sent_by("Chris Taylor <chris.taylor@robertwalters.com>"), "Morgan Stanley",
         "Business Analyst"),
        ("Meet & Greet: Noor Haddad + Hiring Team (Deloitte)",
         _sent_by("Claire Evans <cevans@deloitte.co.uk>"), "Deloitte", ""),
        ("Interview (In Person) - Retail Sales Associate - H&M Oxford Street",
         _sent_by("Eva Berg <eva.berg@hm.com>"), "H&M Oxford Street", "Retail Sales Associate"),
        ("Entrevista con Noor Haddad - Puesto: Jefa de Proyecto - Telefónica",
         _sent_by("Javier Gómez <javier.gomez@telefonica.com>"), "Telefónica", "Jefa de Proyecto"),
        ("Entretien RH – Poste de Responsable Paie – Groupe Casino",
         _sent_by("Nadia Benali <nbenali@groupe-casino.fr>"), "Groupe Casino", "Responsable Paie"),
        ("Sollicitatie Noor Haddad | Verpleegkundige | UMC Utrecht",
         _sent_by("Eva de Boer <e.deboer@umcutrecht.nl>"), "UMC Utrecht", "Verpleegkundige"),
        ("Follow-up: Noor Haddad & Dana Levi - next steps", _sent_by("Dana Levi <dana@wix.com>"),
         "Wix", ""),
        ("Noor Haddad - Amazon Loop - SDE II",
         _sent_by("Amazon Recruiting <interviews@amazon.com>", "Kevin Li <kevinli@amazon.com>"),
         "Amazon", "SDE II"),
        # "with" after a catch-up or a coffee is a person, never a company: ask
        ("Catch-up call with Gemma", _sent_by(""), "", ""),
        ("Coffee with Priya", NOBODY, "", ""),
        # an unnamed client is no company: the organizer's domain's, or ask
        ("Interview: Noor Haddad for Senior Accountant at a leading FMCG client",
         _sent_by("Tim Clark <tim.clark@michaelpage.co.uk>"), "Michaelpage", "Senior Accountant"),
        ("Interview: Senior Accountant at a leading FMCG client", NOBODY, "", "Senior Accountant"),
        # the side naming an institution or a firm is the company, the other the role
        ("Entrevista de trabajo - Enfermera - Hospital Clínic de Barcelona",
         _sent_by("Marta Soler <msoler@clinic.cat>"), "Hospital Clínic de Barcelona", "Enfermera"),
        ("Interview with Noor Haddad - Lecturer in Economics - University of Leeds",
         _sent_by("Prof. Sarah Holt <s.holt@leeds.ac.uk>"), "University of Leeds",
         "Lecturer in Economics"),
        ("Tweede gesprek: Beleidsmedewerker bij Gemeente Utrecht",
         _sent_by("Joost Smit <j.smit@utrecht.nl>"), "Gemeente Utrecht", "Beleidsmedewerker"),
        ("Noor Haddad: Case Interview with McKinsey & Company",
         _sent_by("Anna Roth <anna_roth@mckinsey.com>"), "McKinsey & Company", ""),
        ("Bank Teller - Chase", NOBODY, "Chase", "Bank Teller"),
        # zero-width spaces are spaces; store numbers no part of the company; no letters, no role
        ("\u200bInterview\u200b–\u200bBackend Engineer\u200b–\u200bNorthwind\ufeff",
         _sent_by("Kate Lowe <kate.lowe@northwind.com>"), "Northwind", "Backend Engineer"),
        ("Store Manager Interview - Target Store #1432",
         _sent_by("Rick Alvarez <rick.alvarez@target.com>"), "Target", "Store Manager"),
        ("Video interview - Pharmacy Technician - Walgreens #04512",
         _sent_by("Donna Hill <donna.hill@walgreens.com>"), "Walgreens", "Pharmacy Technician"),
        ("Walmart Interview - Overnight Stocker - Store 5260",
         _sent_by("Jamie Cole <jamie.cole@walmart.com>"), "Walmart", "Overnight Stocker"),
        ("🙂🙂🙂", _sent_by("Kate Lowe <kate.lowe@northwind.com>"), "Northwind", ""),
        # unchanged: a name that starts with one of those words, a job that starts with "Post"
        ("Interview – Loop Returns – Backend Engineer", NOBODY, "Loop Returns",
         "Backend Engineer"),
        ("Loop - Backend Engineer", NOBODY, "Loop", "Backend Engineer"),
        ("Post Office Clerk - Royal Mail", NOBODY, "Royal Mail", "Post Office Clerk"),
        ("Client Services Manager - Acme", NOBODY, "Acme", "Client Services Manager"),
    ],
)  # fmt: skip
def test_a_fourth_trials_titles(
    summary: str, people: tuple[Attendee, ...], company: str, role: str
) -> None:
    guess = guess_application(
        summary, people, own={"noor.haddad@gmail.com"}, own_names=["Noor Haddad"]
    )
    assert (guess.company, guess.role) == (company, role)


@pytest.mark.parametrize(
    ("name", "company", "role", "not_said"),
    [
        ("synthesized_japanese_full_width_brackets.ics", "株式会社メルカリ",
         "バックエンドエンジニア", "（"),
        ("synthesized_agency_client_interview.eml", "Morgan Stanley", "Business Analyst",
         "Client Interview"),
    ],
)  # fmt: skip
def test_an_invitations_guess_as_the_import_shows_it_and_the_draft_says_it(
    run: Run, name: str, company: str, role: str, not_said: str
) -> None:
    """The fourth trial's drafts would have thanked for "the （ position" at Mercari and
    named the company "Client Interview (Morgan Stanley)"."""
    ok(run("config", "set", "user.name", "Noor Haddad"))
    ok(run("config", "set", "user.email", "noor.haddad@gmail.com"))
    check = ok(run("import", fixture(name), "--dry-run", "--json"))
    row = only(check.json["interviews"])
    assert (row["company"], row["role"]) == (company, role)
    row = only(ok(run("import", fixture(name), "--yes", "--json")).json["interviews"])
    drafts = ok(run("draft", str(row["id"]), now="2026-12-05T16:00:00Z")).out
    assert f"the {role} position" in drafts and company in drafts
    assert not_said not in drafts and "Noor Haddad様" not in drafts
