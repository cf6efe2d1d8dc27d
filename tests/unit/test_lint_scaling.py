"""`lint` reads whatever a user pipes in: its time grows linearly with the text, whatever
the text repeats (issue #11: 200,000 placeholders took 11.7 s, quadratic in their number)."""

from __future__ import annotations

import itertools
import string

import pytest

from followup.domain.lint import NoteContext, lint
from followup.domain.model import Tone
from tests.unit.scaling import TENFOLD_BOUND, tenfold_ratio

LARGE = 300_000  # characters: 300 KB of text at the large end, 30 KB at the small one
CASUAL = NoteContext(
    kind="thank-you", company="Acme", tone=Tone.CASUAL, recipient_name="Ada Lovelace"
)


def _repeated(unit: str) -> str:
    return unit * (LARGE // len(unit))


def _distinct_placeholders() -> str:
    names = ("".join(p) for p in itertools.product(string.ascii_lowercase, repeat=4))
    return " ".join(f"{{{next(names)}}}" for _ in range(LARGE // 7))


TEXTS = {
    # the reproduction: one placeholder, again and again
    "same placeholder": (_repeated("{name} "), CASUAL),
    "bracket placeholder": (_repeated("Thanks for [specific point]! "), CASUAL),
    # each one quoted in the finding's list of distinct placeholders
    "distinct placeholders": (_distinct_placeholders(), CASUAL),
    # each "I remain" looks at what follows it (a sign-off?)
    "sign-offs": (_repeated("I remain at your disposal "), CASUAL),
    # each mention of the conversation looks at what follows it (a specific point?)
    "conversation mentions": (_repeated("talk on x, "), CASUAL),
}


@pytest.mark.parametrize("name", list(TEXTS))
def test_lint_time_grows_linearly_with_the_text(name: str) -> None:
    text, context = TEXTS[name]

    def make(size: int):  # the first `size` characters
        body = text[:size]
        return lambda: lint("Thank you", body, context)

    ratio = tenfold_ratio(make, LARGE // 10)
    assert ratio < TENFOLD_BOUND, f"10x the text took {ratio:.0f}x the time"
