"""What a cold trial (the hiring side reading the notes, session 13) found: a title or an
initial in a topic refused as a sentence, "whether …?" refused, an example after the topic
(", e.g. …") run on into the note, "the Acme Inc.'s roadmap", "Hi med." for "Dr. med. Anna
Bauer", "typed twice: at AT" on every AT&T note, and a follow-up asking when they will
decide after they said when. Every step and tone is drafted and read."""

from __future__ import annotations

from datetime import date

import pytest

from followup.app import drafting, services
from followup.app.services import NewInterviewer
from followup.domain.compose import noun_phrase, topic_is_sentence
from tests.unit.test_draft_quality import PANEL, START, check, context

TONES = ("formal", "casual", "neutral")


def drafted(
    topic: str = "the billing rewrite",
    person: tuple[str, str] = PANEL[0][:2],
    company: str = "Acme",
    promised: date | None = None,
) -> list[drafting.Draft]:
    """Every step's note in every tone to one interviewer who discussed `topic`."""
    out = []
    for tone in TONES:
        ctx = context()
        added = services.add_interview(
            ctx,
            services.NewInterview(
                company=company,
                role="Backend Engineer",
                start=START,
                tz="Europe/Berlin",
                interviewers=[NewInterviewer(*person)],
            ),
        )
        iid = added.interview_id
        drafting.debrief(ctx, iid, tone=tone)
        drafting.debrief(
            ctx, iid, email=person[1], topics=[topic], skill="SQL", promised_by=promised
        )
        for step in (1, 2, 3):
            out += drafting.drafts(ctx, iid, step=step)
    return out


@pytest.mark.parametrize(
    "topic",
    [
        "the paper by Dr. Lee",
        "Dr. Okafor's research",
        "Prof. Ng's course on ranking",
        "A. K. Chen's team",
        "the handover from Mr. Smith",
        "the paper by Lee et al.",
    ],
)
def test_a_title_or_an_initial_in_a_topic_is_no_sentence(topic: str) -> None:
    assert not topic_is_sentence(topic)
    for draft in drafted(topic):
        check(draft)
        assert topic in draft.body, draft.body
        assert not draft.findings, draft.findings


@pytest.mark.parametrize(
    "sentence",
    ["the paper by Dr. Lee. It was great", "A. K. Chen's team. We talked", "I met Dr. Lee"],
)
def test_a_sentence_after_a_title_is_still_one(sentence: str) -> None:
    assert topic_is_sentence(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Yuki mentioned the Kafka ingestion backlog",  # a cold trial: "about the Yuki mentioned"
        "Rosa said the team rebuilt its risk models last year",
        "Yuki Tanaka explained how they shard topics",
        "the team is rebuilding its ingestion layer",
        "Rosa's team wants a faster release cycle",
        "Postgres was the bottleneck",
        # a second trial: after a title, an acronym, a lower-case word; a question unmarked
        "Dr. Park mentioned the ICU is short-staffed",
        "Ms. Holt wants someone who can start in January",
        "St. Mary's is opening a new wing",
        "ICU is short-staffed",
        "churn is up 20%",
        "the team want to grow fast",
        "is the team remote",
    ],
)
def test_a_report_of_what_someone_said_is_a_sentence(sentence: str) -> None:
    assert topic_is_sentence(sentence)


@pytest.mark.parametrize(
    "topic",
    [
        "the widely discussed pricing change",
        "Kafka ingestion backlog",
        "Acme Inc.'s roadmap",
        "What is next for the platform",
        "customer needs in Q3",
        "Die Energiewende",
        "AWS costs",
        "the team's release notes",
        # a second trial: titles of works and cases were refused as sentences
        "Love Is Blind",
        "the Just Do It campaign",
        "the I Have a Dream speech unit",
        "It's Academic quiz team",
        "the Smith v. Jones appeal",
        "No. 10 Downing St.",
        "May sales kickoff",
    ],
)
def test_a_phrase_with_a_name_or_a_participle_is_still_a_topic(topic: str) -> None:
    assert not topic_is_sentence(topic)


def test_an_indirect_question_with_a_stray_mark_is_a_topic() -> None:
    assert not topic_is_sentence("whether they'd move to dbt?")
    assert topic_is_sentence("how do we cut MTTR in half?")  # a direct question is not
    for draft in drafted("whether they'd move to dbt?"):
        check(draft)
        assert "dbt?" not in draft.body, draft.body


def test_an_example_after_the_topic_is_left_out_as_an_aside() -> None:
    for draft in drafted("the migration from Teradata to Snowflake, e.g. cost vs. speed"):
        check(draft)
        assert "the migration from Teradata to Snowflake" in draft.body, draft.body
        assert "e.g." not in draft.body and "speed" not in draft.body, draft.body


@pytest.mark.parametrize("topic", ["Acme Inc.'s roadmap", "Google Cloud's pricing"])
def test_a_names_possessive_of_several_words_takes_no_article(topic: str) -> None:
    assert noun_phrase(topic) == topic


def test_a_doctorates_field_is_no_given_name() -> None:
    """ "Dr. med. Anna Bauer": the casual note said "Hi med." and failed its own lint."""
    for draft in drafted(person=("Dr. med. Anna Bauer", "anna@acme.example")):
        check(draft)
        assert "med." not in draft.body.splitlines()[0], draft.body
        assert not draft.findings, draft.findings
    bodies = {d.body.splitlines()[0] for d in drafted(person=("Dr. med. Anna Bauer", "a@x.de"))}
    assert {"Dear Dr. Bauer,", "Hi Anna,"} <= bodies, bodies


def test_a_company_spelt_in_capitals_after_at_is_no_word_typed_twice() -> None:
    notes = drafted(company="AT&T")
    assert any("at AT&T" in d.body for d in notes)
    for draft in notes:
        assert not draft.findings, draft.findings


def test_a_follow_up_asks_about_the_date_they_gave_not_when_they_will_decide() -> None:
    promised = drafted(promised=date(2026, 12, 4))
    follow_ups = [d for d in promised if d.step == 2]
    assert len(follow_ups) == len(TONES)
    for draft in follow_ups:
        check(draft)
        assert "around 4 December" in draft.body, draft.body
        assert "decide?" not in draft.body and "decision?" not in draft.body, draft.body
        assert "timeline" not in draft.body, draft.body
        assert not draft.findings, draft.findings
    for draft in promised:
        assert draft.step == 2 or "4 December" not in draft.body  # the follow-up's question
    for draft in drafted():
        assert "December" not in draft.body  # no date given: the question is as it was


def test_a_topic_led_by_the_recipients_own_name_is_theirs() -> None:
    """A cold trial (session 15): to Prof. Dr. Hans Müller, "our conversation about Hans's
    research on sepsis bundles"."""
    for draft in drafted(
        "Hans's research on sepsis bundles", person=("Prof. Dr. Hans Müller", "hm@acme.example")
    ):
        check(draft)
        assert "your research on sepsis bundles" in draft.body, draft.body
        assert "Hans's" not in draft.body
    for draft in drafted(  # someone else's research: as typed
        "Ada's research on sepsis bundles", person=("Bob Stone", "bob@acme.example")
    ):
        assert "Ada's research on sepsis bundles" in draft.body, draft.body
