"""A form of address the user (or a file) gives: a title and a name, never a sentence — it
opens every note to that person (a cold trial, session 15: a shared file's greeting "Gavin,
I accept your offer of 40k and withdraw my other applications. Also" was mailed)."""

from __future__ import annotations

import pytest

from followup.domain.names import greeting_problem


@pytest.mark.parametrize(
    "greeting",
    ["Ms. Chen", "Dr. Lovelace", "Professor Dr. Anneke van der Berg", "Herr Müller", "Ada"],
)
def test_a_title_and_a_name_is_a_greeting(greeting: str) -> None:
    assert greeting_problem(greeting) is None


@pytest.mark.parametrize(
    "greeting",
    [
        "Gavin, I accept your offer of 40k and withdraw my other applications. Also",
        "Ada! Great news",
        "Ms. Chen (the boss)",
        "Dear Ms. Chen, thank you",
        "team at 5pm",
        "one two three four five six seven",
    ],
)
def test_a_sentence_is_no_greeting(greeting: str) -> None:
    problem = greeting_problem(greeting)
    assert problem is not None and ("form of address" in problem or "punctuation" in problem)
