"""Grammar for what a debrief inserts into a note: articles, sentences, punctuation, URLs."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.domain.compose import (
    PHRASINGS,
    NoteFacts,
    as_sentence,
    clean,
    is_sentence,
    noun_phrase,
    parts,
    phrasing,
    tech_cased,
    template_variables,
    tidy,
)
from followup.domain.model import Tone

URL = re.compile(r"https?://\S+")
DOUBLED = re.compile(r"([.,;:!?])\1|[,;:][.,;:!?]|[.!?][,;:]")


@pytest.mark.parametrize(
    ("topic", "phrase"),
    [
        ("on-call load", "the on-call load"),
        ("billing rewrite", "the billing rewrite"),
        ("The billing rewrite.", "the billing rewrite"),
        ("Kubernetes migration", "the Kubernetes migration"),
        ("the billing rewrite", "the billing rewrite"),
        ("Kubernetes", "Kubernetes"),
        ("observability", "observability"),
        ("Project Apollo", "Project Apollo"),
        ("Stripe's API", "Stripe's API"),
        ("team's roadmap", "the team's roadmap"),
        ("API design", "API design"),  # acronym-led: no article
        ("data model for invoices", "the data model for invoices"),
        ("migration to Kafka", "the migration to Kafka"),
        ("incident reviews", "incident reviews"),
        ("scaling the API", "scaling the API"),
        ("moving to Kafka", "moving to Kafka"),
        ("hiring process", "the hiring process"),
        ("how you hire", "how you hire"),
        ("our roadmap", "our roadmap"),
        ("Our roadmap", "our roadmap"),
        ("distributed systems", "distributed systems"),
        ("  on-call   load  ", "the on-call load"),
        ("C++ tooling", "C++ tooling"),
    ],
)
def test_a_topic_gets_an_article_only_where_it_needs_one(topic: str, phrase: str) -> None:
    assert noun_phrase(topic) == phrase


@pytest.mark.parametrize(
    ("topic", "phrase"),
    [
        # gerunds with their object: no article
        ("improving onboarding", "improving onboarding"),
        ("building trust with clients", "building trust with clients"),
        ("improving recall on long-tail queries", "improving recall on long-tail queries"),
        # a noun in -ing before its head noun is a noun: it keeps the article
        ("hiring process", "the hiring process"),
        ("testing strategy", "the testing strategy"),
        ("meeting cadence", "the meeting cadence"),
        # a field in -ing or a mass noun as the head: no article
        ("machine learning", "machine learning"),
        ("customer onboarding", "customer onboarding"),
        ("churn in month two", "churn in month two"),
        ("GDPR compliance", "GDPR compliance"),
        ("data quality", "data quality"),
        ("classroom management", "classroom management"),  # a teacher's cold trial
        ("software development at scale", "software development at scale"),
        ("credit risk", "credit risk"),
        ("customer support", "customer support"),
        # acronym-led: no article
        ("AB testing", "AB testing"),
        ("AI safety", "AI safety"),
        ("ML platform", "ML platform"),
        # a name's possessive (the company's, typed lower-case) takes none; a common noun's does
        ("fjord's new GPU cluster", "fjord's new GPU cluster"),
        ("team's roadmap", "the team's roadmap"),
        ("CEO's plan for Q3", "the CEO's plan for Q3"),
        # a leading stop that is the name's own stays
        (".NET 8 migration", "the .NET 8 migration"),
        (".NET", ".NET"),
        # what needs the article still gets it ("hearing about on-call load" was flagged)
        ("on-call load", "the on-call load"),
        ("data model for invoices", "the data model for invoices"),
        ("k8s migration", "the k8s migration"),
        ("Q3 roadmap", "the Q3 roadmap"),
    ],
)
def test_articles_are_conservative(topic: str, phrase: str) -> None:
    """A cold trial (issue #13, round 2) read "the improving onboarding", "the machine
    learning", "the fjord's new GPU cluster", "the AI safety" and "the NET 8 migration"."""
    assert noun_phrase(topic, "Fjord AI") == phrase


@pytest.mark.parametrize(
    ("note", "sentence"),
    [
        ("I sketched a migration plan", True),
        ("i've written up how we halved pages", True),
        ("We shipped it. Here is the link", True),
        ("my write-up on halving pages", False),
        ("a link to the talk: https://example.org/talk", False),
        ("", False),
    ],
)
def test_a_sentence_is_told_from_a_phrase(note: str, sentence: bool) -> None:
    assert is_sentence(note) is sentence


def test_a_users_sentence_is_kept_as_a_sentence() -> None:
    assert as_sentence("i sketched a migration plan") == "I sketched a migration plan."
    assert as_sentence("We shipped it!") == "We shipped it!"
    assert as_sentence("I wrote it up..") == "I wrote it up."
    assert as_sentence("  ") == ""


def test_a_url_keeps_no_mark_glued_to_its_end() -> None:
    assert tidy("Here it is: https://ex.org/a/b.") == "Here it is: https://ex.org/a/b"
    assert tidy("See https://ex.org/x. Thanks again.") == "See https://ex.org/x\nThanks again."
    assert tidy("See https://ex.org/x, then more.") == "See https://ex.org/x then more."
    assert tidy("Plain text.. and more,.") == "Plain text. and more,"
    assert tidy("A dotted https://ex.org/v1.2/page stays") == (
        "A dotted https://ex.org/v1.2/page stays"
    )


def test_clean_squashes_runs_of_marks_but_not_urls() -> None:
    assert clean("great!!  really ,") == "great! really,"
    # a template's colon after a topic ending in an abbreviation stays (a cold trial)
    assert tidy("Thanks for walking me through the U.S.: it's the part I keep thinking of.") == (
        "Thanks for walking me through the U.S.: it's the part I keep thinking of."
    )
    assert tidy("Having given further thought to Acme Inc., I am all the more keen.") == (
        "Having given further thought to Acme Inc., I am all the more keen."
    )
    # an abbreviation's stop keeps the list's comma after it (a cold trial, session 12)
    assert clean("expansion into the U.S., Canada and Mexico") == (
        "expansion into the U.S., Canada and Mexico"
    )
    assert clean("see https://ex.org/a..b ok") == "see https://ex.org/a..b ok"


def test_each_panellist_gets_another_phrasing() -> None:
    for key in ("thank-you|Acme|Dev", "final|Globex|SRE", "x"):
        assert len({phrasing(key, i) for i in range(PHRASINGS)}) == PHRASINGS
        assert phrasing(key, 1) == phrasing(key, 1)  # stable: no salted hash


@pytest.mark.parametrize("key", ["thank-you|Acme|Dev", "final|Globex|SRE", "x", ""])
def test_a_panels_phrasings_differ_in_two_parts_and_the_first_four_share_no_paragraph(
    key: str,
) -> None:
    """Any two of a panel of up to nine differ in at least two parts of three; the first
    four in all three: the middle paragraph (the same company and skill for everyone) was
    shared verbatim by consecutive panellists (issue #13, round 2), and the fourth's
    opening was the first one's but for the topic (session 12)."""
    panel = [parts(phrasing(key, i)) for i in range(PHRASINGS)]
    assert PHRASINGS == 9
    for i, mine in enumerate(panel):
        for j in range(i):
            apart = [a != b for a, b in zip(mine, panel[j], strict=True)]
            assert sum(apart) >= 2, (mine, panel[j])
            if i < 4:
                assert all(apart), (i, j, mine, panel[j])


words = st.lists(
    st.sampled_from([*"abcXYZ -'.,;:!?\u00e9", "https://ex.org/p.", " I ", "hiring"]),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=words)
def test_inserted_text_never_carries_doubled_marks_or_a_mark_after_a_url(text: str) -> None:
    for out in (noun_phrase(text), as_sentence(text), clean(text)):
        line = tidy(f"About {out}.")
        assert not DOUBLED.search(URL.sub("", line)), line
        for url in URL.findall(line):
            assert url[-1] not in ".,;:!?", line


@pytest.mark.parametrize(
    ("typed", "inserted"),
    [
        ("their migration to k8s.", "your migration to k8s"),  # about them, written to them
        ("why they left AWS", "why you left AWS"),
        ("Their roadmap", "your roadmap"),
        ("the the billing rewrite", "the billing rewrite"),
        ("k8s migration...", "the k8s migration"),
        ("k8s migration\u2026", "the k8s migration"),
        ("theory of constraints", "the theory of constraints"),
        ("how you hire", "how you hire"),
        ("Q3 roadmap", "the Q3 roadmap"),
        ("k8s migration", "the k8s migration"),
    ],
)
def test_a_topic_reads_as_written_to_the_interviewer(typed: str, inserted: str) -> None:
    """A cold trial saw "our conversation about their migration to k8s." and
    "hearing about k8s migration…." in notes to the interviewer."""
    assert noun_phrase(typed) == inserted


def test_a_skill_keeps_its_leading_stop() -> None:
    """A cold trial: skill `.NET` read "my experience in NET"."""
    facts = NoteFacts("thank-you", Tone.NEUTRAL, "Acme", "Engineer", skill=".NET.")
    assert template_variables(facts)["skill"] == ".NET"
    assert clean("...and more") == "and more"


@pytest.mark.parametrize(
    ("role", "inserted"),
    [
        ("Backend Engineer Role", "Backend Engineer"),
        ("an ML Engineer position", "ML Engineer"),
        ("The Staff Engineer role", "Staff Engineer"),
        ("Backend Engineer", "Backend Engineer"),
        ("Role", "Role"),
    ],
)
def test_the_role_is_never_doubled(role: str, inserted: str) -> None:
    """A cold trial read "the Backend Engineer Role role" and "the an ML Engineer position
    position": the templates say "the {{ role }} role" themselves."""
    facts = NoteFacts("thank-you", Tone.NEUTRAL, "Acme", role)
    assert template_variables(facts)["role"] == inserted


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("acme corp", "Acme Corp"),
        ("bank of america", "Bank of America"),
        ("müller gmbh", "Müller GmbH"),
        ("o'reilly media", "O'Reilly Media"),
        ("at&t", "AT&T"),
        ("ibm", "IBM"),  # initials (session 14's second trial: "Ibm")
        ("kpmg", "KPMG"),
        ("the gap", "The Gap"),
        # the third trial's: short words are words, "'s" no name, "mc" a name's
        ("red hat", "Red Hat"),
        ("old navy", "Old Navy"),
        ("ben & jerry's", "Ben & Jerry's"),
        ("mcdonald's", "McDonald's"),
        ("dr. oetker", "Dr. Oetker"),
        ("j.p. morgan", "J.P. Morgan"),
        ("ebay", "eBay"),
        ("pwc", "PwC"),
        ("nokia oyj", "Nokia Oyj"),
        ("monday.com", "monday.com"),  # a web address is its own spelling
        ("23andme", "23andme"),
        ("eBay", "eBay"),  # any capital: as its owner writes it
        ("ACME", "ACME"),
    ],
)
def test_a_company_typed_in_lower_case_is_written_as_a_name(typed: str, written: str) -> None:
    """Session 14: `add --company "acme corp"` wrote "the position at acme corp" to the
    hiring manager; a person's name typed so was already capitalised."""
    facts = NoteFacts("thank-you", Tone.NEUTRAL, typed, "Engineer")
    assert template_variables(facts)["company"] == written


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("python and postgresql", "Python and PostgreSQL"),
        ("ci/cd and aws", "CI/CD and AWS"),
        ("node.js", "Node.js"),
        ("Python", "Python"),
    ],
)
def test_a_technology_typed_in_lower_case_is_written_as_its_makers_do(
    typed: str, written: str
) -> None:
    facts = NoteFacts("thank-you", Tone.NEUTRAL, "Acme", "Engineer", skill=typed, topic=typed)
    variables = template_variables(facts)
    assert variables["skill"] == written
    assert written in variables["topic"]


@pytest.mark.parametrize(
    ("typed", "skill", "topic"),
    [
        ("sql server and excel", "SQL Server and Excel", "SQL Server and excel"),
        ("r and julia", "R and Julia", "r and julia"),  # a skill is a skill: "R"
        ("rust", "Rust", "rust"),  # in a topic, maybe the metal
        ("github actions", "GitHub Actions", "GitHub Actions"),
        ("ios and macos", "iOS and macOS", "iOS and macOS"),
        ("c++ and .net", "C++ and .NET", "C++ and .NET"),  # the third trial's
        ("node and the rest api", "Node.js and the REST API", "node and the REST API"),
        ("nursing", "nursing", "nursing"),  # no technology: as typed
    ],
)
def test_a_skill_reads_every_name_as_a_skill_a_topic_only_the_unmistakable(
    typed: str, skill: str, topic: str
) -> None:
    """Session 14's second trial: "SQL server and excel", "go and Terraform", "r and julia"
    in "my experience in …" read as sloppy to the hiring manager."""
    variables = template_variables(
        NoteFacts("thank-you", Tone.NEUTRAL, "Acme", "Engineer", skill=typed, topic=typed)
    )
    assert variables["skill"] == skill
    assert topic in variables["topic"]
    assert tech_cased("the rest of the team") == "the rest of the team"  # a topic's words


def test_a_role_typed_in_lower_case_names_its_technologies() -> None:
    """The trial's subject: "Thank you for the ml engineer interview"."""
    facts = NoteFacts("thank-you", Tone.NEUTRAL, "Acme", "ml engineer")
    assert template_variables(facts)["role"] == "ML engineer"


def test_the_company_in_a_topic_is_written_as_the_note_writes_the_company() -> None:
    """Session 14's fourth trial: "…the position at IBM. I particularly enjoyed our
    conversation about the ibm cloud roadmap." — and "your ci pipeline"."""

    def topic(company: str, typed: str) -> str:
        facts = NoteFacts("thank-you", Tone.NEUTRAL, company, "Engineer", topic=typed)
        return template_variables(facts)["topic"]

    assert topic("ibm", "the ibm cloud roadmap") == "the IBM cloud roadmap"
    assert topic("red hat", "red hat's openshift plans").startswith("Red Hat's")
    assert topic("Acme", "the ci pipeline") == "the CI pipeline"
    assert topic("Acme", "acme's roadmap") == "acme's roadmap"  # typed with a capital: as is
