"""What a debrief refuses as a topic or skill, and what it must not: the false refusals a
cold trial found (session 16: ~75 real topics of 330 refused, with no way around), and
the pointless topics it must still refuse."""

from __future__ import annotations

import pytest

from followup.app.services import talk_problem

ACME = ("Acme", "Backend Engineer")


@pytest.mark.parametrize(
    "topic",
    [
        # names and titles, written with their capitals
        "the Terrible Towel anniversary campaign",
        "the Awful Truth restoration",
        "Ivan the Terrible icon loan",
        "the Shady Grove Adventist transfer agreement",
        "My Brilliant Career 4K restoration",
        "My Design System audit tool",
        "the What I Made This Summer children's show",
        "Yahoo! Finance coverage",
        "the Jeopardy! tape transfers",
        "Do the Right Thing 35mm print",
        "Is It Cake season 4",
        "About Us page redesign",
        # neutral senses and abbreviations
        "the hate crimes task force",
        "the hate speech reporting portal",
        "the Phase I built environment study",
        "Sen. Warren's antitrust bill",
        "the Sec. 230 litigation",
        "the Warner Bros. Discovery merger review",
        # their plans for the seeker are theirs
        "the training I would receive",
        "my future manager's leadership style",
        "the 401(k) plan redesign",
        # round 2: an event they described, not scorn for them (a warning, not a refusal)
        "the terrible flooding in Onion Creek",
        "the terrible nurse shortage in rural Ohio",
        "My Little Pony licensing deal",
        "my first 90 days",
    ],
)
def test_a_real_topic_is_accepted(topic: str) -> None:
    assert talk_problem("topic", topic, ACME) is None


def test_pay_is_the_work_of_a_pay_role() -> None:
    assert talk_problem("topic", "the salary", ACME)
    assert talk_problem("topic", "the vesting schedule", ACME) is None  # only bare pay
    assert talk_problem("topic", "the benefits", ("Acme", "Benefits Analyst")) is None


@pytest.mark.parametrize(
    ("topic", "said"),
    [
        ("the crappy onboarding", "holds your opinion"),
        ("their terrible reviews", "holds your opinion"),
        ("my portfolio", "is about you"),
        ("My portfolio", "is about you"),  # a phone capitalises the first letter
        ("the prototype I walked them through", "is about you"),
        ("my previous job at Rakuten", "is about you"),
        ("how much it pays", "is about pay"),
        ("the firm", "too general"),
        ("touched on the roadmap", "starts with"),
        ("Is the team remote", "is a sentence"),
        # round 2: a keyboard's first capital is no name's; more of the seeker's own work
        ("Awful onboarding", "holds your opinion"),
        ("their ugly website", "holds your opinion"),
        ("my PhD thesis chapter on sediment transport", "is about you"),
        ("my 30-60-90 day plan", "is about you"),
        ("the sample lesson I taught", "is about you"),
        ("the hourly rate", "is about pay"),
        ("the roadmap. They are hiring", "is a sentence"),
    ],
)
def test_a_topic_that_makes_no_point_is_refused(topic: str, said: str) -> None:
    problem = talk_problem("topic", topic, ACME)
    assert problem is not None and said in problem, problem


def test_the_company_written_with_its_article_is_too_general() -> None:
    assert "too general" in (talk_problem("topic", "The Team Co", ("The Team Co", "Dev")) or "")


@pytest.mark.parametrize(
    "skill", ["CMake and Ninja", "Ninja Forms", "Guru", "World Class Manufacturing"]
)
def test_a_tools_name_is_no_boast(skill: str) -> None:
    assert talk_problem("skill", skill, ACME) is None


@pytest.mark.parametrize(
    "skill",
    ["world-class negotiation", "Excel wizard", "HR guru", "World-class negotiation",
     "excellent communication"],
)  # fmt: skip
def test_a_boast_is_refused(skill: str) -> None:
    assert "is a boast" in (talk_problem("skill", skill, ACME) or "")


def test_a_files_topics_are_read_without_the_typed_only_checks() -> None:
    assert talk_problem("topic", "the salary", None) is None
    assert talk_problem("topic", "my portfolio", None) is None


def test_a_name_in_capitals_is_not_read_as_negative() -> None:
    from followup.domain.lint import negative_phrases

    assert negative_phrases("the Terrible Towel merch") == []
    assert negative_phrases("the Awful Truth 1937 soundtrack cleanup") == []
    assert negative_phrases("Awful onboarding") == ["awful"]  # the keyboard's capital
    assert negative_phrases("the terrible flooding in Onion Creek") == ["terrible"]  # warned
