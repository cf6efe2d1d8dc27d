"""People's names (domain/names.py): the shapes real address books, calendars and trackers
hold, and the greeting each tone writes for them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.app.parse import parse_interviewer
from followup.domain.compose import tidy
from followup.domain.model import Tone
from followup.domain.names import (
    NO_NAME,
    greet,
    greeting_problem,
    parse_name,
)

# name as stored, address -> (formal, casual, neutral)
SHAPES = [
    ("Margaret Chen", None, ("Dear Margaret Chen,", "Hi Margaret,", "Hello Margaret,")),
    ("Dr. Amara Okafor", None, ("Dear Dr. Okafor,", "Hi Amara,", "Hello Dr. Okafor,")),
    ("Okafor, Chidi", None, ("Dear Chidi Okafor,", "Hi Chidi,", "Hello Chidi,")),
    ("OKAFOR, Chidi", None, ("Dear Chidi Okafor,", "Hi Chidi,", "Hello Chidi,")),
    ("Okafor, Chidi, PhD", None, ("Dear Chidi Okafor,", "Hi Chidi,", "Hello Chidi,")),
    ("Okafor, Dr. Chidi", None, ("Dear Dr. Okafor,", "Hi Chidi,", "Hello Dr. Okafor,")),
    ("Chidi Okafor Jr.", None, ("Dear Chidi Okafor,", "Hi Chidi,", "Hello Chidi,")),
    ("Chidi Okafor (she/her)", None, ("Dear Chidi Okafor,", "Hi Chidi,", "Hello Chidi,")),
    ("Dr Okafor", None, ("Dear Dr. Okafor,", "Hi Dr. Okafor,", "Hello Dr. Okafor,")),
    ("prof. Hans Müller", None, ("Dear Prof. Müller,", "Hi Hans,", "Hello Prof. Müller,")),
    (
        "Prof. Dr. Hans Müller",
        None,
        ("Dear Prof. Dr. Müller,", "Hi Hans,", "Hello Prof. Dr. Müller,"),
    ),
    ("Mx. Sam Rivera", None, ("Dear Mx. Rivera,", "Hi Sam,", "Hello Mx. Rivera,")),
    ("Mrs. Ada King", None, ("Dear Mrs. King,", "Hi Ada,", "Hello Mrs. King,")),
    ("Margaret A. Chen", None, ("Dear Margaret Chen,", "Hi Margaret,", "Hello Margaret,")),
    ("J. Robert Oppenheimer", None, ("Dear Robert Oppenheimer,", "Hi Robert,", "Hello Robert,")),
    (
        "J.R.R. Tolkien",
        None,
        ("Dear J.R.R. Tolkien,", "Hi J.R.R. Tolkien,", "Hello J.R.R. Tolkien,"),
    ),
    ('Robert "Bob" Smith', None, ("Dear Bob Smith,", "Hi Bob,", "Hello Bob,")),
    ("Ludwig van Beethoven", None, ("Dear Ludwig van Beethoven,", "Hi Ludwig,", "Hello Ludwig,")),
    (
        "Dr. Jan van der Berg",
        None,
        ("Dear Dr. van der Berg,", "Hi Jan,", "Hello Dr. van der Berg,"),
    ),
    ("van der Berg, Jan", None, ("Dear Jan van der Berg,", "Hi Jan,", "Hello Jan,")),
    ("Maria de la Cruz", None, ("Dear Maria de la Cruz,", "Hi Maria,", "Hello Maria,")),
    (
        "Ms. Ursula von der Leyen",
        None,
        ("Dear Ms. von der Leyen,", "Hi Ursula,", "Hello Ms. von der Leyen,"),
    ),
    ("Jean-Luc Picard", None, ("Dear Jean-Luc Picard,", "Hi Jean-Luc,", "Hello Jean-Luc,")),
    ("Mary Smith-Jones", None, ("Dear Mary Smith-Jones,", "Hi Mary,", "Hello Mary,")),
    ("D'Angelo O'Neil", None, ("Dear D'Angelo O'Neil,", "Hi D'Angelo,", "Hello D'Angelo,")),
    ("Yo-Yo Ma", None, ("Dear Yo-Yo Ma,", "Hi Yo-Yo,", "Hello Yo-Yo,")),
    ("José Núñez", None, ("Dear José Núñez,", "Hi José,", "Hello José,")),
    ("Иван Петров", None, ("Dear Иван Петров,", "Hi Иван,", "Hello Иван,")),
    ("Madonna", None, ("Dear Madonna,", "Hi Madonna,", "Hello Madonna,")),
    # CJK: family name first, spaces or not: greeted whole, never split
    ("王小明", None, ("Dear 王小明,", "Hi 王小明,", "Hello 王小明,")),
    ("山田 太郎", None, ("Dear 山田 太郎,", "Hi 山田 太郎,", "Hello 山田 太郎,")),
    ("김민준", None, ("Dear 김민준,", "Hi 김민준,", "Hello 김민준,")),
    ("Dr. 王小明", None, ("Dear Dr. 王小明,", "Hi Dr. 王小明,", "Hello Dr. 王小明,")),
    # an address with no name: neutral in every tone (the linter asks for the name)
    ("mei.lin", "mei.lin@acme.example", ("Hello,", "Hello,", "Hello,")),
    ("mei.lin", None, ("Hello,", "Hello,", "Hello,")),
    ("chidi", "chidi@acme.example", ("Hello,", "Hello,", "Hello,")),
    ("j_smith2", None, ("Hello,", "Hello,", "Hello,")),
    ("recruiting", "recruiting@acme.example", ("Hello,", "Hello,", "Hello,")),
    ("ada@acme.example", None, ("Hello,", "Hello,", "Hello,")),
    ("Dr.", None, ("Hello,", "Hello,", "Hello,")),
    ("", "ada@acme.example", ("Hello,", "Hello,", "Hello,")),
    # a cold trial's shapes (issue #13, round 2)
    ("A. K.", None, ("Dear A. K.,", "Hi A. K.,", "Hello A. K.,")),
    ("Rev. Ana Lima", None, ("Dear Rev. Lima,", "Hi Ana,", "Hello Rev. Lima,")),
    (
        "Dr. van der Berg",
        None,
        ("Dear Dr. van der Berg,", "Hi Dr. van der Berg,", "Hello Dr. van der Berg,"),
    ),
    ("Dr. de Vries", None, ("Dear Dr. de Vries,", "Hi Dr. de Vries,", "Hello Dr. de Vries,")),
    ("van Gogh", None, ("Dear van Gogh,", "Hi van Gogh,", "Hello van Gogh,")),
    ("Jean Paul Sartre", None, ("Dear Jean Paul Sartre,", "Hi Jean,", "Hello Jean,")),
    ("Mary Ann Evans", None, ("Dear Mary Ann Evans,", "Hi Mary,", "Hello Mary,")),
    ("Siobhán Ní Bhriain", None, ("Dear Siobhán Ní Bhriain,", "Hi Siobhán,", "Hello Siobhán,")),
    ("Sir Tim Berners-Lee", None, ("Dear Sir Tim,", "Hi Tim,", "Hello Sir Tim,")),
    ("Amara Okafor via Greenhouse", None, ("Dear Amara Okafor,", "Hi Amara,", "Hello Amara,")),
    ("Amara Okafor | Acme", None, ("Dear Amara Okafor,", "Hi Amara,", "Hello Amara,")),
    ("Talent Acquisition", None, ("Hello,", "Hello,", "Hello,")),
    ("Acme Recruiting Team", None, ("Hello,", "Hello,", "Hello,")),
    ("O'NEIL, MARY", None, ("Dear Mary O'Neil,", "Hi Mary,", "Hello Mary,")),
    ("McDONALD, EWAN", None, ("Dear Ewan McDonald,", "Hi Ewan,", "Hello Ewan,")),
    ("DE LA CRUZ, MARIA", None, ("Dear Maria de la Cruz,", "Hi Maria,", "Hello Maria,")),
    ("Dra. Lucía Pérez", None, ("Dear Dra. Pérez,", "Hi Lucía,", "Hello Dra. Pérez,")),
    # typed all in lower case (a cold trial, session 11: "Dear john o'brien,"): capitalised
    ("john o'brien", None, ("Dear John O'Brien,", "Hi John,", "Hello John,")),
    (
        "anne-marie van der berg",
        None,
        ("Dear Anne-Marie van der Berg,", "Hi Anne-Marie,", "Hello Anne-Marie,"),
    ),
    ("marie", None, ("Dear Marie,", "Hi Marie,", "Hello Marie,")),
    ("mary-kate mcdonald", None, ("Dear Mary-Kate McDonald,", "Hi Mary-Kate,", "Hello Mary-Kate,")),
    ("dr. amara okafor", None, ("Dear Dr. Okafor,", "Hi Amara,", "Hello Dr. Okafor,")),
    # one capital: the name as its owner writes it
    ("Ludwig van Beethoven", None, ("Dear Ludwig van Beethoven,", "Hi Ludwig,", "Hello Ludwig,")),
    # typed with a capital, it is a name even where it matches the address
    ("Chidi", "chidi@acme.example", ("Dear Chidi,", "Hi Chidi,", "Hello Chidi,")),
]


@pytest.mark.parametrize(("name", "address", "expected"), SHAPES)
def test_each_shape_is_greeted_as_a_person_would(
    name: str, address: str | None, expected: tuple[str, str, str]
) -> None:
    person = parse_name(name, address)
    lines = tuple(
        tidy(greet(person, tone).line) for tone in (Tone.FORMAL, Tone.CASUAL, Tone.NEUTRAL)
    )
    assert lines == expected
    assert greet(person, Tone.FORMAL).named is (expected[0] != "Hello,")


def test_the_parts_are_kept_for_templates() -> None:
    assert tuple(parse_name("Okafor, Dr. Chidi Emeka")) == (
        "Chidi Emeka Okafor",
        "Chidi",
        "Okafor",
        "Dr.",
    )
    assert parse_name("  Ada   Lovelace ").full == "Ada Lovelace"
    assert parse_name("mei.lin", "mei.lin@acme.example") == NO_NAME


def test_the_users_form_of_address_is_used_verbatim_in_every_tone() -> None:
    chen = parse_name("Margaret Chen")
    assert greet(chen, Tone.FORMAL, "Ms. Chen") == ("Dear Ms. Chen,", True)
    assert greet(chen, Tone.CASUAL, "Maggie").line == "Hi Maggie,"
    assert greet(NO_NAME, Tone.NEUTRAL, "Mei").line == "Hello Mei,"  # and no longer a fallback
    assert greet(NO_NAME, Tone.NEUTRAL, "Mei").named


def test_no_recipient_at_all_keeps_the_team_greetings() -> None:
    assert [greet(None, t).line for t in (Tone.FORMAL, Tone.CASUAL, Tone.NEUTRAL)] == [
        "Dear Hiring Team,",
        "Hi team,",
        "Hello,",
    ]
    assert not greet(None, Tone.CASUAL).named


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("Ms. Chen", None),
        ("Dr. 王", None),
        ("Ms. Chen,", "ends in punctuation"),
        ("Ms.\nChen", "one line"),
    ],
)
def test_a_typed_greeting_is_checked(typed: str, problem: str | None) -> None:
    found = greeting_problem(typed)
    assert (found is None) if problem is None else (problem in (found or ""))


_NAME_CHARS = st.characters(
    codec="utf-8", categories=("L", "M", "Zs", "Pd", "Po", "Ps", "Pe", "Nd")
)


@given(st.text(_NAME_CHARS, max_size=60), st.one_of(st.none(), st.emails()))
def test_any_text_gives_one_clean_greeting_line(text: str, address: str | None) -> None:
    """Whatever a calendar or tracker stored, the greeting is one line, starts with the
    tone's word, ends in exactly one comma and never shows an address."""
    person = parse_name(text, address)
    for tone in Tone:
        line = greet(person, tone).line
        assert line.endswith(",") and not line.endswith(",,")
        assert line.split()[0].rstrip(",") in ("Dear", "Hi", "Hello")
        assert "\n" not in line and "@" not in line
        assert "  " not in line and " ," not in line
        if line != "Hello,":
            assert line.split(" ", 1)[1][:-1].strip(), line  # a name, not an empty slot


@pytest.mark.parametrize(
    ("typed", "tone", "line"),
    [
        ("Dear Mr Reyes", Tone.FORMAL, "Dear Mr Reyes,"),
        ("Hi Ana", Tone.FORMAL, "Hi Ana,"),
        ("Dear Ms. Chen", Tone.NEUTRAL, "Dear Ms. Chen,"),
        ("hello Lisa", Tone.CASUAL, "hello Lisa,"),
        ("Good morning Dr. Okafor", Tone.CASUAL, "Good morning Dr. Okafor,"),
        ("Dearbhla", Tone.CASUAL, "Hi Dearbhla,"),  # a name, not a salutation
        ("Hilary", Tone.FORMAL, "Dear Hilary,"),
    ],
)
def test_a_typed_greeting_with_its_own_salutation_is_never_doubled(
    typed: str, tone: Tone, line: str
) -> None:
    """A trial wrote --greeting "Dear Mr Reyes" and got "Dear Dear Mr Reyes,"."""
    assert greet(parse_name("Tom Reyes"), tone, typed).line == line


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("A. K. <ak@x.example>", ("A. K.", "ak@x.example")),
        (
            "Dr. Martin Luther King Jr. <mlk@x.example>",
            ("Dr. Martin Luther King Jr.", "mlk@x.example"),
        ),
        ('"A. K." <ak@x.example>', ("A. K.", "ak@x.example")),
    ],
)
def test_a_name_with_initials_before_an_address_is_accepted(
    typed: str, parsed: tuple[str, str]
) -> None:
    """A cold trial: `add --interviewer "A. K. <ak@x.example>"` failed with "comment found
    without atom" (exit 4)."""
    assert parse_interviewer(typed) == parsed
