"""The linter: every rule fires on a note that breaks it and not on a minimal fix of it.

Notes are checked against the article: "Express gratitude for the opportunity, highlight a
key point from your discussion ... and gently reiterate your enthusiasm", bring in "your
experience in [relevant skill]", keep it brief and positive, match the company's culture.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.domain.lint import (
    DEFAULT_WORD_LIMIT,
    RULES,
    SUBJECT_LIMIT,
    WORD_LIMITS,
    Finding,
    NoteContext,
    Rule,
    Severity,
    lint,
    looks_like_placeholder,
    rule,
)
from followup.domain.model import Tone

NOTES = Path(__file__).parent.parent / "fixtures" / "notes"

ARTICLE = (
    "Thank you for the opportunity to discuss the exciting work at Acme. I particularly"
    " enjoyed our conversation about the billing rewrite. I'm eager to contribute to such"
    " innovative projects and bring my experience in PostgreSQL to your team."
)
ARTICLE_TEMPLATE = (
    "Thank you for the opportunity to discuss the exciting work at [Company Name]. I"
    " particularly enjoyed our conversation about [specific project]. I’m eager to contribute"
    " to such innovative projects and bring my experience in [relevant skill] to your team."
)
ARTICLE_WORDS = len(ARTICLE.split())  # 38
GENERIC = "Hi, just checking in on my application. Any update? Thanks!"

ACME = NoteContext(
    kind="thank-you",
    company="Acme",
    recipient_name="Ada Lovelace",
    topics=("the billing rewrite",),
    skill="PostgreSQL",
    tone=Tone.FORMAL,
)


def ids(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


def errors(subject: str, body: str, context: NoteContext = ACME) -> list[str]:
    return [f.rule for f in lint(subject, body, context) if f.severity is Severity.ERROR]


# --- the rule table --------------------------------------------------------------------------


def test_rule_ids_are_stable_and_in_documented_order() -> None:
    assert [r.id for r in RULES] == [
        "no-gratitude",
        "no-specific-point",
        "no-enthusiasm",
        "no-skill",
        "too-long",
        "placeholder",
        "pushy",
        "duplicate",
        "wrong-name",
        "generic-point",
        "ultimatum",
        "slang-in-formal",
        "unsigned",
        "greeting",
        "unfinished",
        "no-name",
        "tone-clash",
        "negative",
        "unpaid-work",
        "giving-up",
        "desperate",
        "doubled",
    ]
    assert all(isinstance(r, Rule) for r in RULES)
    assert {r.id for r in RULES if r.severity is Severity.WARNING} == {
        "no-name",
        "tone-clash",
        "negative",
        "unpaid-work",
        "giving-up",
        "desperate",
        "doubled",
    }


def test_every_rule_has_a_one_line_explanation() -> None:
    for r in RULES:
        assert r.explanation and "\n" not in r.explanation and len(r.explanation) <= 100, r.id
    assert rule("pushy").severity is Severity.ERROR
    with pytest.raises(KeyError):
        rule("no-such-rule")


def test_documented_limits() -> None:
    assert WORD_LIMITS == {"thank-you": 200, "follow-up": 120, "final": 100}
    assert DEFAULT_WORD_LIMIT == 200
    assert SUBJECT_LIMIT == 78


def test_every_rule_is_documented_in_docs_lint_md() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "lint.md").read_text(encoding="utf-8")
    for r in RULES:
        assert f"`{r.id}`" in doc, r.id


# --- the article's own example ----------------------------------------------------------------


def test_the_articles_example_passes_with_matching_context() -> None:
    for tone in Tone:
        assert lint("Thank you", ARTICLE, ACME._replace(tone=tone)) == []


def test_the_articles_example_passes_without_any_context() -> None:
    assert lint("", ARTICLE) == []
    assert lint("", ARTICLE, NoteContext(kind="thank-you")) == []


def test_the_articles_template_with_placeholders_left_in_fails() -> None:
    findings = lint("Thank you", ARTICLE_TEMPLATE, ACME)
    assert "placeholder" in ids(findings)
    message = next(f.message for f in findings if f.rule == "placeholder")
    for placeholder in ("[Company Name]", "[specific project]", "[relevant skill]"):
        assert placeholder in message
    # a placeholder is not a specific point, nor a skill
    assert ids(findings) == ["no-specific-point", "no-skill", "placeholder"]
    assert ids(lint("", ARTICLE_TEMPLATE, NoteContext(kind="thank-you"))) == [
        "no-specific-point",
        "placeholder",
    ]


def test_a_generic_note_fails_with_exactly_the_expected_rules() -> None:
    assert ids(lint("", GENERIC, NoteContext(kind="follow-up"))) == [
        "no-specific-point",
        "no-enthusiasm",
        "pushy",
    ]
    assert ids(lint("", GENERIC, NoteContext(kind="thank-you"))) == [
        "no-specific-point",
        "no-enthusiasm",
        "no-skill",
        "pushy",
    ]
    assert ids(lint("", GENERIC, ACME)) == [
        "no-specific-point",
        "no-enthusiasm",
        "no-skill",
        "pushy",
    ]


# --- each rule: a note that breaks it, and a minimal change that does not ---------------------

BREAKS_AND_FIXES = [
    (
        "no-gratitude",
        ARTICLE.replace("Thank you for", "I enjoyed"),
        ARTICLE.replace("Thank you for", "I am grateful for"),
    ),
    (
        "no-specific-point",
        ARTICLE.replace("the billing rewrite", "the role"),
        ARTICLE.replace("the billing rewrite", "your billing-system rewrite"),
    ),
    (
        "no-enthusiasm",
        ARTICLE.replace("I'm eager to", "I could").replace("exciting ", ""),
        ARTICLE.replace("I'm eager to", "I look forward to the chance to").replace("exciting ", ""),
    ),
    (
        "no-skill",
        ARTICLE.replace(" and bring my experience in PostgreSQL", ""),
        ARTICLE.replace("experience in PostgreSQL", "Postgres experience"),
    ),
    (
        "too-long",
        ARTICLE + " More." * (201 - ARTICLE_WORDS),
        ARTICLE + " More." * (200 - ARTICLE_WORDS),
    ),
    ("placeholder", ARTICLE + " Best, [Your Name]", ARTICLE + " Best, Jamie"),
    ("pushy", ARTICLE + " Any update?", ARTICLE + " Have a good week."),
    ("wrong-name", ARTICLE.replace("at Acme", "at Acmee"), ARTICLE),
    ("tone-clash", ARTICLE + " Cheers!", ARTICLE + " Kind regards."),
    ("negative", "Sorry to bother you again. " + ARTICLE, "I hope you are well. " + ARTICLE),
    (
        "ultimatum",
        ARTICLE + " I have another offer and need to know by Friday.",
        ARTICLE + " I hope to hear from you soon.",
    ),
    ("slang-in-formal", ARTICLE + " It was super fun.", ARTICLE + " It was a pleasure."),
    ("unsigned", ARTICLE + "\n\nKind regards,\n", ARTICLE + "\n\nKind regards,\nJamie\n"),
    ("greeting", "Hi Dr.,\n\n" + ARTICLE, "Hi Dr. Lovelace,\n\n" + ARTICLE),
    (
        "unpaid-work",
        ARTICLE + " I'd be happy to put together a full proposal for free.",
        ARTICLE + " I'd be happy to tell you more about the proposal I wrote.",
    ),
    (
        "giving-up",
        ARTICLE + " I assume you've moved on.",
        ARTICLE + " I would be glad to stay in touch.",
    ),
    (
        "desperate",
        ARTICLE + " I need this job, it would mean the world to me.",
        ARTICLE + " The role would mean a great deal to me.",
    ),
    (  # a cold trial (session 11): a hand-edited note's typos went out unflagged
        "doubled",
        ARTICLE.replace("about the billing", "about the the billing") + " Thank you..",
        ARTICLE + " I think that that is why the billing rewrite matters... Thank you.",
    ),
    (
        "unfinished",
        ARTICLE + "\n\nI look forward to hearing from you and to\n\nBest,\nGrace",
        ARTICLE + "\n\nI look forward to hearing from you\n\nBest,\nGrace",
    ),
]


@pytest.mark.parametrize(("rule_id", "broken", "fixed"), BREAKS_AND_FIXES)
def test_rule_fires_and_a_minimal_fix_silences_it(rule_id: str, broken: str, fixed: str) -> None:
    assert ids(lint("Monday's interview", broken, ACME)) == [rule_id]
    assert lint("Monday's interview", fixed, ACME) == []


def test_duplicate_fires_against_another_interviewers_note_and_a_minimal_fix() -> None:
    context = ACME._replace(others=("Dear Grace,\n\n" + ARTICLE,))
    findings = lint("Thank you", "Dear Ada,\n\n" + ARTICLE, context)
    assert ids(findings) == ["duplicate"]
    assert "another interviewer's note" in findings[0].message
    different = (
        "Dear Grace,\n\nThank you for walking me through the on-call rota and the incident"
        " reviews. I am keen to help the team, and my PostgreSQL background should help."
    )
    assert lint("Thank you", ARTICLE, ACME._replace(others=(different,))) == []


def test_every_rule_is_covered_above() -> None:
    # generic-point: test_a_point_that_is_only_the_role_or_a_stock_phrase_is_generic (no topics)
    # no-name: test_a_drafted_hello_for_an_address_only_asks_for_the_name (needs the greeting)
    covered = {r for r, _, _ in BREAKS_AND_FIXES} | {"duplicate", "generic-point", "no-name"}
    assert covered == {r.id for r in RULES}


# --- no-gratitude, no-enthusiasm -------------------------------------------------------------


@pytest.mark.parametrize(
    "thanks", ["Thanks for your time.", "I appreciate your time.", "I'm thankful", "THANK YOU"]
)
def test_gratitude_in_many_forms(thanks: str) -> None:
    body = ARTICLE.replace("Thank you for the opportunity to", "It was great to") + " " + thanks
    assert "no-gratitude" not in ids(lint("", body, ACME))


def test_gratitude_in_the_subject_counts() -> None:
    body = ARTICLE.replace("Thank you for the opportunity to", "It was great to")
    assert "no-gratitude" in ids(lint("Interview", body, ACME))
    assert "no-gratitude" not in ids(lint("Thank you!", body, ACME))


@pytest.mark.parametrize(
    "keen",
    [
        "I'm excited about the role.",
        "I am keen to join.",
        "I look forward to hearing from you.",
        "I'm looking forward to it.",
        "I would love to join the team.",
        "I remain very interested in the position.",
        "I am thrilled by the prospect.",
        "I'm enthusiastic about the role.",
    ],
)
def test_enthusiasm_in_many_forms(keen: str) -> None:
    flat = "Thank you for our conversation about the billing rewrite. My PostgreSQL skills fit."
    assert "no-enthusiasm" in ids(lint("", flat, ACME))
    assert "no-enthusiasm" not in ids(lint("", f"{flat} {keen}", ACME))


# --- no-specific-point -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mention",
    [
        "your billing-system rewrite",
        "the Billing Rewrite",
        "rewriting billing",
        "the rewrite of billing",
    ],
)
def test_a_topic_matches_fuzzily(mention: str) -> None:
    body = ARTICLE.replace("the billing rewrite", mention)
    assert "no-specific-point" not in ids(lint("", body, ACME))


def test_one_topic_word_of_two_is_not_enough() -> None:
    body = ARTICLE.replace("the billing rewrite", "the rewrite")
    findings = lint("", body, ACME)
    assert "no-specific-point" in ids(findings)
    assert "mention the billing rewrite" in findings[0].message


def test_any_one_of_several_topics_will_do() -> None:
    context = ACME._replace(topics=("the on-call rota", "the billing rewrite"))
    assert "no-specific-point" not in ids(lint("", ARTICLE, context))
    findings = lint("", ARTICLE.replace("the billing rewrite", "the role"), context)
    assert "mention one of the on-call rota; the billing rewrite" in findings[0].message


@pytest.mark.parametrize(
    "sentence",
    [
        "I particularly enjoyed our conversation about the billing rewrite.",
        "I enjoyed discussing the move to event sourcing.",
        "I keep thinking about when we talked about latency budgets.",
        "Learning about your Kafka migration was fascinating.",
        "Your insights on incident reviews stayed with me.",
        "The roadmap you mentioned last week, for the mobile app, sounds great.",
    ],
)
def test_without_topics_a_reference_to_something_concrete_counts(sentence: str) -> None:
    body = f"Thank you for your time. {sentence} I'm eager to bring my experience in Go."
    assert "no-specific-point" not in ids(lint("", body, NoteContext(kind="thank-you")))


@pytest.mark.parametrize(
    "sentence",
    [
        "Thank you for the opportunity to discuss the role at Acme.",
        "It was great discussing the position.",
        "Thank you for the interview.",
    ],
)
def test_without_topics_generic_references_do_not_count(sentence: str) -> None:
    body = f"{sentence} I'm eager to bring my experience in Go."
    context = NoteContext(kind="thank-you", company="Acme")
    assert "no-specific-point" in ids(lint("", body, context))


@pytest.mark.parametrize(
    "sentence",
    [
        # issue 13: a "point" that is only the opportunity, the job title or the company
        "I enjoyed our conversation about the opportunity.",
        "I particularly enjoyed our conversation about the Backend Engineer role.",
        "I keep coming back to the exciting work at Acme.",
        "I loved hearing about your plans for the team.",
        "I loved hearing about the plans for Acme.",
    ],
)
def test_a_point_that_is_only_the_role_or_a_stock_phrase_is_generic(sentence: str) -> None:
    body = f"Thank you for your time. {sentence} I'm eager to bring my experience in Go."
    context = NoteContext(kind="thank-you", company="Acme", role="Backend Engineer")
    assert "generic-point" in ids(lint("", body, context))
    assert "no-specific-point" not in ids(lint("", body, context))


@pytest.mark.parametrize(
    "sentence",
    [
        # the held-out set's false alarm: what the plans are for is the point
        "I loved hearing about the plans for the new member portal.",
        "I enjoyed learning about your roadmap for the mobile checkout.",
    ],
)
def test_plans_for_something_concrete_are_a_point(sentence: str) -> None:
    body = f"Thank you for your time. {sentence} I'm eager to bring my experience in Go."
    context = NoteContext(kind="thank-you", company="Acme", role="Backend Engineer")
    assert lint("", body + " Best, Jo", context) == []


# --- no-skill ---------------------------------------------------------------------------------


def test_skill_is_checked_on_the_thank_you_only() -> None:
    body = ARTICLE.replace(" and bring my experience in PostgreSQL", "")
    assert "no-skill" in ids(lint("", body, ACME))
    for kind in ("follow-up", "final", "check-in", None):
        assert "no-skill" not in ids(lint("", body, ACME._replace(kind=kind)))


@pytest.mark.parametrize(
    ("skill", "mention"),
    [
        ("PostgreSQL", "postgresql"),
        ("PostgreSQL", "Postgres"),
        ("C++", "modern C++"),
        ("distributed systems", "distributed-systems"),
        ("Kubernetes operations", "operating Kubernetes"),
    ],
)
def test_skill_matches_fuzzily(skill: str, mention: str) -> None:
    body = ARTICLE.replace("PostgreSQL", mention)
    assert "no-skill" not in ids(lint("", body, ACME._replace(skill=skill)))


def test_a_single_letter_skill_is_matched_literally() -> None:
    body = ARTICLE.replace("PostgreSQL", "Java")
    findings = lint("", body, ACME._replace(skill="C++"))
    assert "no-skill" in ids(findings)
    assert "C++" in next(f.message for f in findings if f.rule == "no-skill")


def test_without_a_known_skill_a_phrase_about_your_experience_counts() -> None:
    context = NoteContext(kind="thank-you")
    assert "no-skill" not in ids(lint("", ARTICLE, context))
    assert "no-skill" in ids(lint("", ARTICLE.replace(" and bring my experience in", ""), context))


# --- too-long ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "limit"),
    [("thank-you", 200), ("follow-up", 120), ("final", 100), (None, 200), ("check-in", 200)],
)
def test_word_limits_per_kind(kind: str | None, limit: int) -> None:
    context = ACME._replace(kind=kind)
    words = len(ARTICLE.split())
    at_limit = ARTICLE + " fine" * (limit - words)
    over = at_limit + " more"
    assert "too-long" not in ids(lint("", at_limit, context))
    findings = [f for f in lint("", over, context) if f.rule == "too-long"]
    assert findings and findings[0].severity is Severity.ERROR
    assert f"{limit + 1} words" in findings[0].message and f"at most {limit}" in findings[0].message


def test_the_signature_and_quoted_history_do_not_count() -> None:
    quoted = "\n".join("> old text of an earlier message" for _ in range(80))
    signature = "\n-- \nJamie Rivera\n" + "Senior Engineer, many words here. " * 40
    assert "too-long" not in ids(lint("", f"{ARTICLE}\n\n{quoted}\n{signature}", ACME))
    crlf = f"{ARTICLE}\n\n{quoted}\n{signature}".replace("\n", "\r\n")
    assert "too-long" not in ids(lint("", crlf, ACME))
    assert "too-long" in ids(lint("", crlf.replace("-- ", "Jamie"), ACME))


def test_a_long_subject_is_a_warning_only() -> None:
    ok = ("Thank you for Monday's interview " + "a" * 100)[:SUBJECT_LIMIT]
    assert lint(ok, ARTICLE, ACME) == []
    findings = lint(ok + "!", ARTICLE, ACME)
    assert [(f.rule, f.severity) for f in findings] == [("too-long", Severity.WARNING)]
    assert f"{SUBJECT_LIMIT + 1} characters" in findings[0].message


# --- placeholder ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "placeholder",
    [
        "[Company Name]",
        "[specific project]",
        "[your relevant skill]",
        "[Interviewer's Name]",
        "{{ company }}",
        "{{company}}",
        "{% if topic %}",
        "${name}",
        "{first_name}",
        "<NAME>",
        "<YOUR NAME>",
        "<First Name>",
        "TODO",
        "TBD",
        "XXX",
        "Lorem ipsum",
        "lorem ipsum dolor",
    ],
)
def test_placeholders_are_found(placeholder: str) -> None:
    findings = lint("", f"{ARTICLE} {placeholder} done.", ACME)
    assert ids(findings) == ["placeholder"]
    assert placeholder.split()[0] in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "See [1] and [link](https://example.org).",
        "Write to <ada@acme.example>.",
        "It works [sic].",
        "A list: [x] done.",
        "Todo lists are fine, and so is xxx-small.",
        "Prices {1, 2}.",
    ],
)
def test_ordinary_brackets_are_not_placeholders(text: str) -> None:
    assert "placeholder" not in ids(lint("", f"{ARTICLE} {text}", ACME))


def test_a_company_named_like_a_placeholder_is_not_one() -> None:
    context = ACME._replace(company="{{7*7}} Labs")
    body = ARTICLE.replace("Acme", "{{7*7}} Labs")
    assert lint("", body, context) == []
    assert ids(lint("", body + " {{ name }}", context)) == ["placeholder"]


@pytest.mark.parametrize("topic", ["[specific project]", "TBD", "{{ company }}", "«project»"])
def test_a_debriefed_topic_that_is_a_placeholder_is_still_one(topic: str) -> None:
    # Only the company's name is data that may look like a template: a topic or a skill that
    # does was never filled in, and must not be sent.
    context = ACME._replace(topics=(topic,))
    found = ids(lint("", ARTICLE.replace("the billing rewrite", topic), context))
    assert "placeholder" in found
    assert "no-specific-point" in found  # a placeholder topic is no point either
    skill = ACME._replace(skill=topic)
    assert "placeholder" in ids(lint("", ARTICLE.replace("PostgreSQL", topic), skill))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[specific project]", True),
        ("[ specific project ]", True),
        ("TBD", True),
        ("{{ company }}", True),
        ("«project»", True),
        ("project-name-here", True),
        ("specific project", True),
        ("project", True),
        ("a specific project", True),
        ("the project", False),  # vague, but what the user wrote: not a template's blank
        ("N/A", True),
        ("PROJECT NAME", True),
        ("the [beta] launch", True),
        ("the billing rewrite", False),
        ("C#", False),
        ("SQL", False),
        ("Project Orion", False),
    ],
)
def test_looks_like_placeholder_for_the_drafting_side(text: str, expected: bool) -> None:
    assert looks_like_placeholder(text) is expected


def test_a_placeholder_in_the_subject_is_found() -> None:
    assert ids(lint("Thank you – [Position Title] interview", ARTICLE, ACME)) == ["placeholder"]


# --- pushy ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase",
    [
        "Just checking in.",
        "just following up on this.",
        "Any update?",
        "Any news on my application?",
        "Please reply ASAP.",
        "As soon as possible, please.",
        "Really!!",
        "Great!!!",
        "I haven't heard back yet.",
        "I have not heard back from you.",
        "Following up again on my application.",
        "Please respond.",
        "This is urgent.",
        "I am desperate for this job.",
        "I REALLY NEED this job.",
        "PLEASE CONSIDER me.",
        "ABSOLUTELY.",
    ],
)
def test_pushy_phrasing(phrase: str) -> None:
    findings = lint("", f"{ARTICLE} {phrase}", ACME)
    assert "pushy" in ids(findings), phrase


@pytest.mark.parametrize(
    "text",
    [
        "We spoke about the REST API and AWS costs.",
        "I have used SQL, HTML and JSON daily.",
        "My NASDAQ-listed employer uses FORTRAN.",
        "Wow! That was fun!",
        "I look forward to any next steps.",
    ],
)
def test_acronyms_and_single_exclamations_are_not_pushy(text: str) -> None:
    assert "pushy" not in ids(lint("", f"{ARTICLE} {text}", ACME))


def test_an_all_caps_company_or_skill_is_not_shouting() -> None:
    context = ACME._replace(company="ACME CORPORATION", skill="COBOL PROGRAMMING")
    body = ARTICLE.replace("Acme", "ACME CORPORATION").replace("PostgreSQL", "COBOL PROGRAMMING")
    assert "pushy" not in ids(lint("", body, context))


# --- duplicate --------------------------------------------------------------------------------


def test_the_same_text_as_the_previous_note() -> None:
    findings = lint("", ARTICLE, ACME._replace(kind="follow-up", previous=ARTICLE))
    assert ids(findings) == ["duplicate"]
    assert findings[0].message.startswith("the same text as the previous note")


def test_nearly_the_same_text_names_the_other_note_and_how_alike() -> None:
    near = ARTICLE.replace("your team", "the team")
    context = ACME._replace(others=("Something else entirely, thank you.", near))
    findings = lint("", ARTICLE, context)
    assert ids(findings) == ["duplicate"]
    assert "another interviewer's note (#2)" in findings[0].message
    assert "% alike" in findings[0].message


def test_case_punctuation_and_signatures_do_not_hide_a_duplicate() -> None:
    shouty = ARTICLE.upper().replace(".", "") + "\n-- \nJamie"
    assert ids(lint("", ARTICLE, ACME._replace(others=(shouty,)))) == ["duplicate"]


def test_notes_citing_each_persons_own_topic_are_distinct() -> None:
    """The issue: "one distinct note per interviewer, each citing that person's own topic"."""
    mine = "Dear Ada,\n\n" + ARTICLE
    grace = "Dear Grace,\n\n" + ARTICLE.replace("the billing rewrite", "the on-call rota")
    assert lint("", mine, ACME._replace(others=(grace,))) == []
    # both citing the same point, only the name changed: a copy
    same_point = "Dear Grace,\n\n" + ARTICLE
    assert ids(lint("", mine, ACME._replace(others=(same_point,)))) == ["duplicate"]


def test_empty_notes_are_not_duplicates_of_each_other() -> None:
    assert "duplicate" not in ids(lint("", "", NoteContext(others=("",), previous="")))
    assert "duplicate" not in ids(lint("", ARTICLE, ACME._replace(others=("", "  "))))


# --- wrong-name -------------------------------------------------------------------------------


@pytest.mark.parametrize("misspelt", ["Acmee", "Amce", "Acne", "ACMEE"])
def test_a_near_miss_of_the_company_name(misspelt: str) -> None:
    findings = lint("", ARTICLE.replace("Acme", misspelt), ACME)
    assert ids(findings) == ["wrong-name"]
    assert f'"{misspelt}"' in findings[0].message and "it is Acme" in findings[0].message


@pytest.mark.parametrize("spelling", ["Acme", "ACME", "acme", "Acme's"])
def test_the_right_company_spelling_in_any_case(spelling: str) -> None:
    assert lint("", ARTICLE.replace("Acme", spelling), ACME) == []


@pytest.mark.parametrize(
    ("company", "written"),
    [("Stripe", "Stripe's"), ("Meridian Analytics", "Meridian’s"), ("Deloitte", "Deloittes")],
)
def test_the_companys_possessive_is_its_name(company: str, written: str) -> None:
    """A cold trial (session 16): "Stripe's pricing changes" (the README's own kind of topic)
    was 'wrong-name: "Stripe's" (it is Stripe)', an error `send` refused to pass."""
    context = ACME._replace(company=company)
    body = ARTICLE.replace("at Acme", f"at {company}") + f" I enjoyed hearing about {written} API."
    assert "wrong-name" not in ids(lint("", body, context))
    assert "wrong-name" in ids(
        lint(
            "",
            body.replace(
                written, {"Stripe": "Stirpe's", "Deloitte": "Deloite"}.get(company, "Meridain's")
            ),
            context,
        )
    )


@pytest.mark.parametrize("company", ["Night2", "3M", "Web3 Labs", "Area51"])
def test_a_company_name_with_digits_is_not_a_misspelling_of_itself(company: str) -> None:
    """A cold trial (session 11): the tool's own draft for "Night2" was blocked as
    'wrong-name: "Night" (it is Night2)'. Its misspelling still is one."""
    context = ACME._replace(company=company)
    assert "wrong-name" not in ids(lint("", ARTICLE.replace("Acme", company), context))
    if company == "Night2":
        assert "wrong-name" in ids(lint("", ARTICLE.replace("Acme", "Nigth2"), context))


def test_company_near_misses_ignore_legal_suffixes_and_short_words() -> None:
    context = ACME._replace(company="Initech Corp")
    body = ARTICLE.replace("Acme", "Initech Corp.")
    assert "wrong-name" not in ids(lint("", body + " The Core team.", context))
    assert "wrong-name" in ids(lint("", body.replace("Initech", "Initek"), context))
    short = ACME._replace(company="Box", recipient_name="Bob Smith", tone=None)
    assert "wrong-name" not in ids(lint("", "Dear Bob,\n\n" + ARTICLE, short))


@pytest.mark.parametrize(
    "greeting",
    [
        "Dear Ada,",
        "Hi Ada!",
        "Hello ada,",
        "Dear Ms. Lovelace,",
        "Dear Ms Lovelace,",
        "Dear Dr. Ada Lovelace,",
        "Dear Hiring Team,",
        "Hello everyone,",
        "Hi there,",
        "Good morning Ada,",
        "Hi Acme team,",
    ],
)
def test_greetings_that_are_right(greeting: str) -> None:
    context = ACME._replace(tone=None)
    assert "wrong-name" not in ids(lint("", f"{greeting}\n\n{ARTICLE}", context))


@pytest.mark.parametrize("greeting", ["Dear Grace,", "Hi Grace!", "Hello Mr. Hopper,", "Hey Bob"])
def test_greetings_that_name_someone_else(greeting: str) -> None:
    findings = lint("", f"{greeting}\n\n{ARTICLE}", ACME._replace(tone=None))
    assert ids(findings) == ["wrong-name"]
    assert "Ada Lovelace" in findings[0].message


def test_names_compare_without_case_or_accents_and_accept_a_short_form() -> None:
    context = ACME._replace(recipient_name="José Núñez", tone=None)
    for greeting in ("Dear José,", "Dear Jose,", "Dear JOSÉ,", "Dear Mr. Núñez,", "Hola José,"):
        assert "wrong-name" not in ids(lint("", f"{greeting}\n\n{ARTICLE}", context)), greeting
    alexandra = ACME._replace(recipient_name="Alexandra Zoë Okafor", tone=None)
    for greeting in ("Hi Alex,", "Hi Zoë,", "Hi Zoe,"):
        assert "wrong-name" not in ids(lint("", f"{greeting}\n\n{ARTICLE}", alexandra)), greeting
    assert "wrong-name" in ids(lint("", f"Hi Zoey,\n\n{ARTICLE}", context))


def test_a_surname_cannot_be_checked_against_a_first_name_alone() -> None:
    context = ACME._replace(recipient_name="Ada", tone=None)
    assert lint("", f"Dear Ms. Lovelace,\n\n{ARTICLE}", context) == []
    assert ids(lint("", f"Dear Grace,\n\n{ARTICLE}", context)) == ["wrong-name"]


def test_without_a_recipient_the_greeting_is_not_checked() -> None:
    assert lint("", f"Dear Grace,\n\n{ARTICLE}", ACME._replace(recipient_name=None)) == []


# --- tone-clash -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "casual",
    [
        "Hey Ada",
        "Hi there",
        "Cheers",
        ":)",
        "🎉",
    ],
)
def test_casual_markers_clash_with_a_formal_culture(casual: str) -> None:
    body = f"{ARTICLE} {casual}"
    findings = lint("", body, ACME._replace(tone=Tone.FORMAL, recipient_name=None))
    assert ids(findings) == ["tone-clash"]
    assert findings[0].severity is Severity.WARNING
    assert lint("", body, ACME._replace(tone=Tone.CASUAL, recipient_name=None)) == []
    assert lint("", body, ACME._replace(tone=Tone.NEUTRAL, recipient_name=None)) == []


@pytest.mark.parametrize(
    "stiff",
    [
        "Dear Sir or Madam,",
        "Dear Sir/Madam,",
        "To whom it may concern,",
        "Yours faithfully,",
        "I remain,",
        "Respectfully yours,",
    ],
)
def test_stiff_formulas_clash_with_a_casual_culture(stiff: str) -> None:
    body = f"{stiff}\n{ARTICLE}"
    nameless = ACME._replace(recipient_name=None)  # to a named person, see the greeting rule
    assert ids(lint("", body, nameless._replace(tone=Tone.CASUAL))) == ["tone-clash"]
    assert lint("", body, nameless._replace(tone=Tone.FORMAL)) == []


def test_i_remain_interested_is_not_stiff() -> None:
    body = f"{ARTICLE} I remain very interested in the role."
    assert lint("", body, ACME._replace(tone=Tone.CASUAL)) == []


# --- negative ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase",
    [
        "Unfortunately I missed your call.",
        "I was disappointed not to hear back.",
        "Sorry to bother you.",
        "I know you're busy but wanted to write.",
        "I know you are very busy.",
        "I understand if you have chosen someone else.",
    ],
)
def test_negative_phrasing_is_a_warning(phrase: str) -> None:
    findings = lint("", f"{ARTICLE} {phrase}", ACME)
    assert [(f.rule, f.severity) for f in findings if f.rule != "giving-up"] == [
        ("negative", Severity.WARNING)
    ]
    assert all(f.severity is Severity.WARNING for f in findings)  # "… chosen someone else"


# --- how phrases are read ----------------------------------------------------------------------


FORMAL_NO_NAME = ACME._replace(tone=Tone.FORMAL, recipient_name=None)


def test_phrases_are_quoted_as_written_and_in_order() -> None:
    findings = lint("", f"Hey Ada,\n\n{ARTICLE} Cheers, and THX :) <3", FORMAL_NO_NAME)
    assert [f.message for f in findings] == [
        'casual words for a formal (corporate) culture: "Hey", "Cheers", "THX", ":)" (+1 more)'
    ]


@pytest.mark.parametrize(
    "phrase",
    [
        "Just\nchecking in.",
        "ANY   UPDATES?",
        "I haven’t\theard back.",
        "i have  not yet heard from you",
        "Why haven't you replied?",
    ],
)
def test_phrases_match_across_any_whitespace_in_any_case(phrase: str) -> None:
    assert "pushy" in ids(lint("", f"{ARTICLE} {phrase}", ACME)), phrase


@pytest.mark.parametrize(
    "text",
    [
        "The heyday of lollipops.",  # hey, lol: only whole words
        "Cheersome awesomeness.",
        "Any updater works.",
        "Just checkingly.",
        "I have notably heard back.",
    ],
)
def test_phrases_match_whole_words_only(text: str) -> None:
    assert lint("", f"{ARTICLE} {text}", FORMAL_NO_NAME) == [], text


def test_a_phrase_inside_a_longer_one_is_quoted_once() -> None:
    findings = lint("", f"{ARTICLE} Just following up again.", ACME)
    assert [f.message for f in findings] == ['pushy or desperate phrasing: "Just following up"']


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        ("I'd love to join.", "no-enthusiasm"),
        ("I can't wait to start.", "no-enthusiasm"),
        ("I remain genuinely interested.", "no-enthusiasm"),
        ("I have shipped payment systems.", "no-skill"),
        ("My years of running Postgres help.", "no-skill"),
    ],
)
def test_phrase_variants_count(body: str, rule: str) -> None:
    flat = "Thank you for our conversation about the billing rewrite."
    context = NoteContext(kind="thank-you")
    assert rule in ids(lint("", flat, context))
    assert rule not in ids(lint("", f"{flat} {body}", context)), body


def test_stiff_formulas_read_spacing_and_line_ends() -> None:
    casual = ACME._replace(tone=Tone.CASUAL, recipient_name=None)
    for stiff in ("Dear Sir / Madam,", "I remain\nyours truly", "I remain at your disposal."):
        assert ids(lint("", f"{stiff}\n{ARTICLE}", casual)) == ["tone-clash"], stiff
    assert lint("", f"{ARTICLE} I remained calm.", casual) == []


def test_importing_the_linter_compiles_few_small_patterns() -> None:
    """`followup draft` runs as a cold process: the phrase lists are not regexes (compiling
    those cost ~11 ms per process; see the "phrase lists" comment in domain/lint/text.py)."""
    code = (
        "import re, sys, followup.domain.lint\n"
        "mods = [m for n, m in sys.modules.items() if n.startswith('followup.domain.lint')]\n"
        "found = {id(v): v for m in mods for v in vars(m).values() if isinstance(v, re.Pattern)}\n"
        "print(len(found), sum(len(p.pattern) for p in found.values()))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, size = map(int, done.stdout.split())
    assert count <= 5
    assert size <= 200  # no long alternations


@pytest.mark.parametrize(
    "slang", ["awesome", "super excited", "gonna", "wanna", "lol", "super fun", "Really pumped"]
)
def test_slang_to_a_formal_culture_is_an_error(slang: str) -> None:
    """Issue 13: slang to a bank was a warning at most ("awesome") or missed ("super fun")."""
    body = f"{ARTICLE} {slang}"
    findings = lint("", body, ACME._replace(tone=Tone.FORMAL, recipient_name=None))
    assert ids(findings) == ["slang-in-formal"]
    assert findings[0].severity is Severity.ERROR
    assert lint("", body, ACME._replace(tone=Tone.CASUAL, recipient_name=None)) == []
    assert lint("", body, ACME._replace(tone=Tone.NEUTRAL, recipient_name=None)) == []


# --- findings: order and shape ---------------------------------------------------------------


def test_errors_come_first_then_warnings_each_in_rule_order() -> None:
    body = "Hey! Unfortunately I must ask: any update?? TODO"
    findings = lint("x" * 100, body, ACME)
    severities = [f.severity for f in findings]
    assert severities == sorted(severities, key=lambda s: s is not Severity.ERROR)
    order = [r.id for r in RULES]
    errors_ = [order.index(f.rule) for f in findings if f.severity is Severity.ERROR]
    warnings = [order.index(f.rule) for f in findings if f.severity is Severity.WARNING]
    assert errors_ == sorted(errors_) and warnings == sorted(warnings)
    assert ids(findings)[-3:] == ["too-long", "tone-clash", "negative"]


def test_messages_say_what_is_wrong_in_one_line() -> None:
    findings = lint("", "Hi Grace,\n\nAny\nupdate??\n[Company\nName] TODO", ACME)
    for f in findings:
        assert f.message and "\n" not in f.message
    assert (
        next(f for f in findings if f.rule == "no-specific-point").message
        == "no specific point from the conversation: mention the billing rewrite"
    )


def test_typographic_quotes_and_unicode_spaces_are_read_as_plain() -> None:
    body = ARTICLE.replace("I'm", "I’m").replace(" ", "\u00a0")
    assert lint("", body, ACME) == []
    assert "pushy" in ids(lint("", ARTICLE + " I haven’t heard back.", ACME))


# --- realistic notes ---------------------------------------------------------------------------

SENAL = NoteContext(
    kind="thank-you",
    company="Señal Datos",
    recipient_name="José Núñez",
    topics=("the Kafka migration",),
    skill="Go",
    tone=Tone.FORMAL,
)

FIXTURES: list[tuple[str, NoteContext, list[str]]] = [
    ("good_formal_thank_you.txt", ACME, []),
    ("good_casual_thank_you.txt", ACME._replace(tone=Tone.CASUAL), []),
    ("good_follow_up_one_week.txt", ACME._replace(kind="follow-up"), []),
    ("good_final_note.txt", ACME._replace(kind="final"), []),
    ("accented_names_unicode.txt", SENAL, []),
    ("html_only_outlook_thank_you.eml", ACME, []),
    ("follow_up_reply_with_quoted_history_multipart.eml", ACME._replace(kind="follow-up"), []),
    (
        "generic_check_in.txt",
        ACME._replace(kind="follow-up"),
        ["no-specific-point", "no-enthusiasm", "pushy"],
    ),
    (
        "pushy_follow_up.txt",
        ACME._replace(kind="follow-up"),
        ["no-specific-point", "no-enthusiasm", "pushy"],
    ),
    ("placeholder_left_in.txt", ACME, ["no-specific-point", "no-skill", "placeholder"]),
    ("wrong_company_name.txt", ACME, ["wrong-name"]),
    ("wrong_recipient_greeting.txt", ACME, ["wrong-name"]),
    ("rambling_thank_you_too_long.txt", ACME, ["too-long", "too-long"]),
    ("casual_words_to_corporate.txt", ACME, ["slang-in-formal", "tone-clash"]),
    ("casual_words_to_corporate.txt", ACME._replace(tone=Tone.CASUAL), []),
    # "To whom it may concern," to Ada Lovelace: a warning to greet her by name
    ("stiff_formulas_to_startup.txt", ACME._replace(tone=Tone.CASUAL), ["greeting", "tone-clash"]),
    ("stiff_formulas_to_startup.txt", ACME, ["greeting"]),
    ("apologetic_negative_follow_up.txt", ACME._replace(kind="follow-up"), ["negative"]),
]


@pytest.mark.parametrize(
    ("name", "context", "expected"), FIXTURES, ids=[f"{n}-{c.tone}" for n, c, _ in FIXTURES]
)
def test_realistic_notes(name: str, context: NoteContext, expected: list[str]) -> None:
    from followup.cli.lint import read_note

    subject, body = read_note(str(NOTES / name))
    assert ids(lint(subject, body, context)) == expected


def test_every_fixture_is_exercised() -> None:
    assert {p.name for p in NOTES.iterdir()} == {name for name, _, _ in FIXTURES}


# --- properties -------------------------------------------------------------------------------

VOCABULARY = (
    "Thank", "you", "Dear", "Hi", "Hey", "Ada", "Grace", "Acme", "Acmee", "[Company Name]",
    "{{ x }}", "TODO", "ASAP", "!!!", "billing", "rewrite", "PostgreSQL", "excited", "eager",
    "our conversation about", "the", "discuss", "unfortunately", "sorry to bother", "I remain",
    "Cheers", ":)", "🎉", "Zoë", "José", "\n", ">", "\n-- \n", "Subject:", "ß", "İ", "ﬁ",
)  # fmt: skip
any_text = st.text(alphabet=st.characters(codec=None, categories=None), max_size=300)
wordy_text = st.lists(st.sampled_from(VOCABULARY), max_size=60).map(" ".join)
texts = st.one_of(any_text, wordy_text, st.text(max_size=300))
contexts = st.builds(
    NoteContext,
    kind=st.one_of(st.none(), st.sampled_from(["thank-you", "follow-up", "final", "check-in"])),
    company=st.one_of(st.none(), texts),
    recipient_name=st.one_of(st.none(), texts),
    topics=st.lists(texts, max_size=3).map(tuple),
    skill=st.one_of(st.none(), texts),
    tone=st.one_of(st.none(), st.sampled_from(Tone)),
    others=st.lists(texts, max_size=2).map(tuple),
    previous=st.one_of(st.none(), texts),
)


@settings(max_examples=300, deadline=None)
@given(subject=texts, body=texts, context=contexts)
def test_any_text_is_linted_without_raising_and_deterministically(
    subject: str, body: str, context: NoteContext
) -> None:
    first = lint(subject, body, context)
    assert lint(subject, body, context) == first
    known = {r.id: r for r in RULES}
    for f in first:
        assert f.rule in known
        assert isinstance(f.severity, Severity)
        assert f.message and "\n" not in f.message
    order = [(f.severity is not Severity.ERROR, list(known).index(f.rule)) for f in first]
    assert order == sorted(order)


@given(body=texts)
def test_surrogates_and_control_characters_never_raise(body: str) -> None:
    lint("\ud800" + body, body + "\x00\udfff\u202e", ACME)


# --- issue 13: placeholders of every shape, the new rules, the false alarms -------------------

SIGNED = ARTICLE + "\n\nKind regards,\nJamie"


@pytest.mark.parametrize(
    "placeholder",
    [
        "[a specific point you discussed]",
        "[Company Name]",
        "{company}",
        "{{ name }}",
        "<first name>",
        "<NAME>",
        "XXX",
        "TODO",
        "(name)",
        "(company name)",
        "____",
        "a specific project you discussed",
        "your relevant skill",
        "$NAME",
        "${name}",
        "%COMPANY%",
        "INSERT NAME HERE",
        "[insert company]",
        "<<name>>",
        "___",
        "Firstname",
        "FIRST_NAME",
        "first_name",
        "First Name",
        "Hiring Manager Name",
        "Company Name",
    ],
)
def test_every_common_placeholder_shape_is_an_error(placeholder: str) -> None:
    body = SIGNED.replace("the billing rewrite", f"the billing rewrite and {placeholder}")
    assert ids(lint("Thank you", body, ACME)) == ["placeholder"]
    assert "placeholder" in ids(lint("Thank you", body))  # standalone too


@pytest.mark.parametrize(
    "not_one",
    ["<ada@acme.example>", "<https://acme.example/jobs>", "[1]", "[my notes](https://x.example)",
     "(the billing rewrite)", "I <3 it", "[sic]", "after the $5M round", "for 50% of users",
     "with Ada <ada@acme.example>", "on a first name basis", "at 20% and 30% margins",
     "with $PATH and $HOME set"],
)  # fmt: skip
def test_addresses_links_and_ordinary_brackets_are_not_placeholders(not_one: str) -> None:
    body = SIGNED.replace("the billing rewrite.", f"the billing rewrite {not_one}.")
    assert "placeholder" not in ids(lint("Thank you", body, ACME))


def test_the_templates_old_wording_is_neither_a_point_nor_unseen() -> None:
    """The issue's reproduction: `[a …]` once passed lint and counted as the point."""
    body = (
        "Dear Ada,\n\nThank you for taking the time to meet with me about the Backend Engineer"
        " position at Acme. I particularly valued our conversation about [a specific point you"
        " discussed].\n\nI am enthusiastic about the opportunity to contribute to your team and"
        " to bring my experience in PostgreSQL to this work.\n\nKind regards,\nGrace Hopper\n"
    )
    context = ACME._replace(topics=(), interview_id=4, role="Backend Engineer")
    found = lint("Thank you for the Backend Engineer interview", body, context)
    assert ids(found) == ["no-specific-point", "placeholder"]
    assert "followup debrief 4 --topic" in found[0].message


def test_an_unsigned_note_is_an_error_with_the_fix() -> None:
    found = lint("Thank you", ARTICLE + "\n\nKind regards,\n", ACME)
    assert ids(found) == ["unsigned"]
    assert "followup config set user.name" in found[0].message
    assert lint("Thank you", SIGNED, ACME) == []


@pytest.mark.parametrize(
    "greeting",
    ["Hi Dr.,", "Hi Okafor,,", "Hi mei.lin,", "Dear Okafor, Chidi,", "Dear ada@acme.example,"],
)
def test_a_greeting_that_is_not_a_name_is_an_error(greeting: str) -> None:
    context = ACME._replace(recipient_name=None)
    assert "greeting" in ids(lint("Thank you", f"{greeting}\n\n{SIGNED}", context))


@pytest.mark.parametrize(
    "greeting",
    ["Hello,", "Hi Chidi,", "Dear Dr. Okafor,", "Dear Hiring Team,", "Hi there,",
     "Dear Margaret Chen,", "Hi Ada, thank you again.", "Dear Ms. van der Berg,", "Hello Zoë,"],
)  # fmt: skip
def test_names_and_neutral_greetings_pass(greeting: str) -> None:
    context = ACME._replace(recipient_name=None, tone=None)
    assert "greeting" not in ids(lint("Thank you", f"{greeting}\n\n{SIGNED}", context))


@pytest.mark.parametrize(
    "pressure",
    ["I have another offer and need to know by Friday.", "I need an answer by Monday.",
     "If I don't hear back this week I will have to accept elsewhere."],
)  # fmt: skip
def test_an_ultimatum_is_an_error(pressure: str) -> None:
    assert "ultimatum" in ids(
        lint("Thank you", SIGNED.replace("Kind", f"{pressure}\n\nKind"), ACME)
    )


def test_a_polite_timeline_question_in_a_follow_up_is_not_pushy() -> None:
    body = SIGNED.replace("Kind", "Is there any update on the timeline?\n\nKind")
    assert lint("Thank you", body, ACME._replace(kind="follow-up")) == []
    assert "pushy" in ids(lint("Thank you", body.replace("Is there any", "Any"), ACME))


def test_really_pumped_is_enthusiasm() -> None:
    body = SIGNED.replace("I'm eager to", "Really pumped to")
    assert ids(lint("Thank you", body, ACME._replace(tone=Tone.CASUAL))) == []


@pytest.mark.parametrize(
    "point",
    ["I keep coming back to your plan to split the monolith.",
     "I enjoyed hearing how the on-call rota works.",
     "The migration to event sourcing you described stuck with me."],
)  # fmt: skip
def test_a_good_note_linted_standalone_has_its_point(point: str) -> None:
    body = f"Hi Ada,\n\nThank you for your time on Monday. {point} I'm keen to help.\n\nBest,\nJo"
    assert lint("Thanks", body) == []


def test_a_drafted_hello_for_an_address_only_asks_for_the_name() -> None:
    from followup.domain.names import Greeting

    body = "Hello,\n\n" + ARTICLE
    unnamed = ACME._replace(
        recipient_name="mei.lin", greeting=Greeting("Hello,", False), interview_id=3
    )
    findings = lint("Thank you", body, unnamed)
    assert ids(findings) == ["no-name"] and findings[0].severity is Severity.WARNING
    assert "followup debrief 3 --interviewer EMAIL --greeting" in findings[0].message
    # the address known, the fix is a command to copy, not a form to fill in
    known = unnamed._replace(recipient_email="mei.lin@acme.example")
    [finding] = lint("Thank you", body, known)
    assert "followup debrief 3 --interviewer mei.lin@acme.example --greeting" in finding.message
    # a name is known, the user wrote their own greeting, or there is nobody to name: silent
    assert lint("Thank you", body, unnamed._replace(greeting=Greeting("Hello,", True))) == []
    assert lint("Thank you", "Hi Mei,\n\n" + ARTICLE, unnamed) == []
    assert lint("Thank you", body, unnamed._replace(recipient_name=None)) == []


def test_one_placeholder_twice_is_one_placeholder() -> None:
    body = ARTICLE.replace("Acme", "[Company Name]") + " I hope to join [Company Name]."
    [finding] = [f for f in lint("Thank you", body, ACME) if f.rule == "placeholder"]
    assert finding.message.startswith('unfilled placeholder: "[Company Name]"')


def test_a_title_not_theirs_names_their_own_surname() -> None:
    schmidt = ACME._replace(recipient_name="Dr. Hannah Schmidt")
    found = lint("Thank you", "Dear Ms. Smith,\n\n" + ARTICLE, schmidt)
    [greeting] = [f.message for f in found if f.rule == "greeting"]
    assert "they are Dr. Schmidt, not Ms. Smith" in greeting


def test_placeholders_in_the_greeting_are_placeholders_not_shouting_nor_a_bad_greeting() -> None:
    for greeting in ("Dear INSERT NAME HERE,", "Hello FIRST_NAME,", "Hi $NAME,", "Dear %NAME%,"):
        assert ids(lint("Thank you", f"{greeting}\n\n{SIGNED}", ACME)) == ["placeholder"]


def test_no_skill_tells_how_to_record_the_skill() -> None:
    body = SIGNED.replace(" and bring my experience in PostgreSQL to your team", "")
    unknown = lint("Thank you", body, ACME._replace(skill=None, interview_id=4))
    assert ids(unknown) == ["no-skill"]
    assert 'followup debrief 4 --skill "' in unknown[0].message
    other = lint("Thank you", body, ACME._replace(skill="Kafka", interview_id=4))
    assert 'followup debrief 4 --skill "' in other[0].message


# --- unpaid-work and giving-up -----------------------------------------------------------------


@pytest.mark.parametrize(
    "offer",
    [
        "I'd be happy to put together a full proposal for the launch.",
        "I can build a prototype of the dashboard this weekend, for free.",
        "I would be glad to prepare a 30-60-90 day plan before you decide.",
        "If it helps, I can do a free audit of your onboarding emails.",
        "I'd be happy to draft a short outline of how I would approach it.",
    ],
)
def test_offering_work_they_did_not_ask_for_is_a_warning(offer: str) -> None:
    found = lint("Thank you", SIGNED.replace("Kind regards", f"{offer}\n\nKind regards"), ACME)
    assert [(f.rule, f.severity) for f in found] == [("unpaid-work", Severity.WARNING)]
    assert "unless they asked" in found[0].message


@pytest.mark.parametrize(
    "fine",
    [
        "I built a prototype of something similar last year.",
        "I'll send over the deck from my talk at PyCon.",
        "I'd love to help build the roadmap once I join.",
        "We talked about the plan to split the monolith.",
    ],
)
def test_past_work_and_the_job_itself_are_not_unpaid_work(fine: str) -> None:
    body = SIGNED.replace("Kind regards", f"{fine}\n\nKind regards")
    assert "unpaid-work" not in ids(lint("Thank you", body, ACME))


@pytest.mark.parametrize(
    "concession",
    [
        "I assume you've moved on with someone else by now.",
        "I guess it didn't work out this time.",
        "I understand if I'm not the right fit for the team.",
        "I understand you may have gone with another candidate.",
        "I'll take your silence as a no.",
        "I take it the position has been filled.",
    ],
)
def test_a_note_that_concedes_is_a_giving_up_warning(concession: str) -> None:
    body = SIGNED.replace("Kind regards", f"{concession}\n\nKind regards")
    found = [
        f for f in lint("Thank you", body, ACME._replace(kind="final")) if f.rule == "giving-up"
    ]
    assert [f.severity for f in found] == [Severity.WARNING]
    assert "keeping the door open" in found[0].message


@pytest.mark.parametrize(
    "door_open",
    [
        "If the timing works out later, I would be glad to talk again.",
        "I could not work out how the cache was invalidated until you explained it.",
        "It was interesting to hear why the old design was not a good fit for mobile.",
        "We moved on to the system design part quickly.",
        "The new office has been filled with plants.",
    ],
)
def test_keeping_the_door_open_is_not_giving_up(door_open: str) -> None:
    body = SIGNED.replace("Kind regards", f"{door_open}\n\nKind regards")
    assert "giving-up" not in ids(lint("Thank you", body, ACME._replace(kind="final")))


# --- greeting: stock forms to a named person, the wrong title, lower case ----------------------

OKAFOR = ACME._replace(recipient_name="Dr. Chidi Okafor")


@pytest.mark.parametrize(
    "stock", ["Dear Sir,", "Dear Sir or Madam,", "Dear Sir/Madam,", "To whom it may concern,"]
)
def test_a_stock_greeting_to_a_named_interviewer_warns_to_use_their_name(stock: str) -> None:
    found = lint("Thank you", f"{stock}\n\n{SIGNED}", OKAFOR)
    assert [(f.rule, f.severity) for f in found] == [("greeting", Severity.WARNING)]
    assert '"Dear Dr. Okafor,"' in found[0].message
    # nobody's name known (standalone, or an address only): the neutral form is right
    assert lint("Thank you", f"{stock}\n\n{SIGNED}", OKAFOR._replace(recipient_name=None)) == []
    assert lint("Thank you", f"{stock}\n\n{SIGNED}") == []


def test_the_wrong_title_for_a_known_doctor_is_an_error() -> None:
    found = lint("Thank you", f"Dear Mr. Okafor,\n\n{SIGNED}", OKAFOR)
    assert [(f.rule, f.severity) for f in found] == [("greeting", Severity.ERROR)]
    assert "Dr. Okafor" in found[0].message
    for right in ("Dear Dr. Okafor,", "Dear Dr Okafor,", "Hi Chidi,"):
        assert lint("Thank you", f"{right}\n\n{SIGNED}", OKAFOR) == [], right
    # no title known: "Mr." cannot be told wrong
    plain = OKAFOR._replace(recipient_name="Chidi Okafor")
    assert lint("Thank you", f"Dear Mr. Okafor,\n\n{SIGNED}", plain) == []


@pytest.mark.parametrize("lower", ["dear dr. okafor,", "Dear dr. Okafor,", "hi chidi,"])
def test_a_greeting_in_lower_case_is_an_error(lower: str) -> None:
    for context in (OKAFOR, NoteContext()):
        found = lint("Thank you", f"{lower}\n\n{SIGNED}", context)
        assert "greeting" in ids(found)
    message = next(f.message for f in found if f.rule == "greeting")
    assert "capitalised" in message


def test_a_plain_draft_does_not_pay_for_compiling_the_placeholder_pattern() -> None:
    # ~8 ms of `followup draft`'s 50 ms budget: "Dr." and "10:30" are in many drafts
    from followup.domain.lint.phrases import _may_hold

    draft = "Dear Dr. Schmidt,\n\nThank you for Monday at 10:30: it was a pleasure. Issue #4 too."
    assert not _may_hold(draft)
    for shape in ("Dear Mr. X,", "Dear :name,", "Hi #NAME#,", "«project»", "a-project-here"):
        assert _may_hold(shape), shape


def test_another_applications_company_or_role_is_wrong_name_as_a_name_only() -> None:
    context = ACME._replace(role="Backend Engineer", elsewhere=("Northwind Bank", "Risk Analyst"))
    copied = ARTICLE + " Our talk confirmed my interest in Northwind Bank."
    [finding] = [f for f in lint("Thanks", copied, context) if f.rule == "wrong-name"]
    assert finding.message == (
        'names another of your applications: "Northwind Bank": this note is for'
        " Backend Engineer at Acme"
    )
    assert "wrong-name" in ids(lint("Thanks", ARTICLE + " I want the Risk Analyst job.", context))
    # a word of the text, not a name; the same title at two companies
    assert lint("Thanks", ARTICLE + " Your risk analyst team impressed me.", context) == []
    same = context._replace(elsewhere=("Backend Engineer",))
    assert lint("Thanks", ARTICLE + " I am a Backend Engineer.", same) == []


def test_a_note_reusing_any_earlier_note_is_a_duplicate() -> None:
    earlier = ("Hi Ada,\n\n" + ARTICLE, "Hi Ada,\n\nAny news on the timeline? Still keen.")
    context = ACME._replace(previous=earlier[1], earlier=earlier)
    [finding] = [
        f for f in lint("Thanks", "Hi Ada,\n\n" + ARTICLE, context) if f.rule == "duplicate"
    ]
    assert finding.message.startswith("the same text as an earlier note")


@pytest.mark.parametrize(
    ("last", "severity"),
    [
        ("I am keen to bring my SQL to the team. I also", Severity.ERROR),
        ("I am keen to bring my SQL, which", Severity.ERROR),
        ("I have built it in tools such as", Severity.ERROR),
        ("I'm keen to", Severity.ERROR),
        ("I am keen to bring my SQL (and", Severity.ERROR),
        ("Here is the link I promised:", Severity.ERROR),
        ("I would make a strong candidate for", Severity.WARNING),
        ("Our talk is something I keep thinking about", Severity.WARNING),
        ("Thanks again", None),
        ("I look forward to hearing from you", None),
        # session 13's fourth trial: whole sentences read as cut off, and cuts let through
        ("Please give my thanks to Ms. Rao also", None),
        ("And congratulations on closing your Series A", None),
        ("Nobody enjoys data modelling quite as much as I", None),
        ("The demo would not load, the demo gods struck :(", None),
        ("I would help the ledger team, whose", Severity.ERROR),
        ("I would help the team, including", Severity.ERROR),
        ("Let me know if I can send anything, or if", Severity.ERROR),
    ],
)
def test_unfinished_is_sure_of_a_cut_and_only_asks_of_a_preposition(
    last: str, severity: Severity | None
) -> None:
    """Session 13's third trial: "…thinking about" and "…part of" (whole sentences) were
    errors, blocking good notes; "I also", ", which", "such as" and a colon with no link
    after it went through."""
    body = f"Dear Ada,\n\n{ARTICLE}\n\n{last}\n\nBest regards,\nGrace Hopper"
    found = [f.severity for f in lint("Thank you", body, ACME) if f.rule == "unfinished"]
    assert found == ([severity] if severity else [])


@pytest.mark.parametrize(
    "closing",
    [
        "Looking forward to hearing from you,\nJamie Rivera",
        "Thank you again for your time,\n\nJamie Rivera",
        "I remain,\nYours faithfully,\nJamie Rivera",
        "Looking forward to hearing from you,\n\nJamie Rivera\nSenior Engineer, Globex\n"
        "+44 7700 900123\njamie@example.com",
    ],
)
def test_a_closing_of_ones_own_is_no_cut_sentence(closing: str) -> None:
    body = f"Dear Ada,\n\n{ARTICLE}\n\n{closing}"
    assert "unfinished" not in [f.rule for f in lint("Thank you", body, ACME)]


def test_a_markdown_link_is_no_open_bracket() -> None:
    body = f"Dear Ada,\n\n{ARTICLE} See [the audit](https://example.org/a11y)\n\nBest,\nGrace"
    assert "unfinished" not in [f.rule for f in lint("Thank you", body, ACME)]


def test_a_thanks_with_the_note_going_on_after_it_is_no_sign_off() -> None:
    body = f"Dear Ada,\n\nThanks!\n\n{ARTICLE} I would bring it to the\n\nBest,\nGrace"
    assert [f.severity for f in lint("Thank you", body, ACME) if f.rule == "unfinished"] == [
        Severity.ERROR
    ]


def test_a_short_greeting_with_a_dash_is_no_cut_sentence() -> None:
    body = f"Hi Ada —\n\n{ARTICLE}\n\nBest,\nGrace"
    assert "unfinished" not in [f.rule for f in lint("Thank you", body, ACME)]


@pytest.mark.parametrize(
    ("ps", "severity"),
    [
        ("P.S. I also wanted to mention the", Severity.ERROR),
        ("P.S. I've attached the deck we talked about", None),  # a P.S. is only asked of a cut
        ("P.S. Here is the notebook I mentioned:", Severity.ERROR),
        ("P.S. Here is the notebook I mentioned: https://example.org/nb", None),
        ("PS: the talk I mentioned is well worth watching", None),
    ],
)
def test_a_ps_after_the_signature_is_checked_too(ps: str, severity: Severity | None) -> None:
    """Session 13's fifth trial: a cut-off P.S. after "Best,\\nSam" went out: nothing after
    the sign-off was read."""
    body = f"Dear Ada,\n\n{ARTICLE}\n\nBest,\nGrace\n\n{ps}"
    found = [f.severity for f in lint("Thank you", body, ACME) if f.rule == "unfinished"]
    assert found == ([severity] if severity else [])


@pytest.mark.parametrize("end", ["the next steps at Acme, as well as", "the team, e.g."])
def test_as_well_as_and_eg_are_no_ending(end: str) -> None:
    body = f"Dear Ada,\n\n{ARTICLE} I would like to help with {end}\n\nBest,\nGrace"
    found = [f.severity for f in lint("Thank you", body, ACME) if f.rule == "unfinished"]
    assert found == [Severity.ERROR]


def test_the_company_as_it_was_before_a_correction_is_wrong_name_in_the_users_text() -> None:
    """A cold trial (session 17): "Brightline Bank" renamed "Brightline Financial" was said
    once by the edit, then the user's own text naming the old one passed lint and was sent."""
    renamed = ACME._replace(company="Acme Financial", former=("Acme Bank",))
    text = ARTICLE.replace("Acme", "Acme Financial") + " I admire how Acme Bank trains analysts."
    [finding] = [f for f in lint("Thanks", text, renamed) if f.rule == "wrong-name"]
    assert finding.severity is Severity.ERROR
    assert finding.message.startswith('still says "Acme Bank" as it was before your correction')
    # the old name inside the new one ("Acme" renamed "Acme Corp") is no stale name
    inside = ACME._replace(company="Acme Corp", former=("Acme",))
    assert "wrong-name" not in ids(lint("Thanks", ARTICLE.replace("Acme", "Acme Corp"), inside))
