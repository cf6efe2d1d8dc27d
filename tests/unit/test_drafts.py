"""Drafting: golden notes per step × tone, the Jinja2 subset, and template safety."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.adapters.templates import BUILTIN_DIR, Template, TemplateLibrary, render
from followup.app.errors import InvalidInput
from followup.domain.compose import NoteFacts, choose_tone, split_subject, template_variables
from followup.domain.lint import NoteContext, lint
from followup.domain.model import Culture, NoteKind, Tone
from followup.domain.templating import MissingVariable, OutsideSubset, render_subset

GOLDEN = Path(__file__).parent.parent / "fixtures" / "golden"
KINDS = list(NoteKind)
TONES = list(Tone)


def facts(kind: NoteKind, tone: Tone, **extra: str) -> NoteFacts:
    values: dict[str, str] = {
        "company": "Acme",
        "role": "Backend Engineer",
        "recipient_name": "Ada Lovelace",
        "topic": "the billing rewrite",
        "skill": "PostgreSQL",
        "sender": "Grace Hopper",
        "first_subject": "Thank you for the Backend Engineer interview",
        **extra,
    }
    return NoteFacts(kind=kind, tone=tone, **values)  # type: ignore[arg-type]


def draft(kind: NoteKind, tone: Tone, **extra: str) -> tuple[str, str]:
    library = TemplateLibrary(None)
    return split_subject(
        library.render(kind.value, tone.value, template_variables(facts(kind, tone, **extra)))
    )


@pytest.mark.parametrize("tone", TONES)
@pytest.mark.parametrize("kind", KINDS)
def test_golden_note(kind: NoteKind, tone: Tone) -> None:
    subject, body = draft(kind, tone)
    text = f"Subject: {subject}\n\n{body}"
    golden = GOLDEN / f"{kind.value}.{tone.value}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, "utf-8")
    assert text == golden.read_text("utf-8")


@pytest.mark.parametrize("tone", TONES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_default_draft_passes_the_linter_when_fully_debriefed(
    kind: NoteKind, tone: Tone
) -> None:
    subject, body = draft(kind, tone)
    context = NoteContext(
        kind=kind,
        company="Acme",
        recipient_name="Ada Lovelace",
        topics=("the billing rewrite",),
        skill="PostgreSQL",
        tone=tone,
    )
    errors = [f for f in lint(subject, body, context) if f.severity == "error"]
    assert errors == []
    assert not [f for f in lint(subject, body, context) if f.rule == "tone-clash"]


@pytest.mark.parametrize("tone", TONES)
@pytest.mark.parametrize("kind", KINDS)
def test_without_a_debrief_the_draft_leaves_out_the_specific_sentence(
    kind: NoteKind, tone: Tone
) -> None:
    """Nothing debriefed: no "[a specific point you discussed]" that could be sent as is,
    just a shorter note (the linter then asks for the topic)."""
    subject, body = draft(kind, tone, topic="", skill="")
    context = NoteContext(kind=kind, company="Acme", tone=tone)
    assert not {"[", "]", "{", "}"} & set(subject + body)
    assert "placeholder" not in {f.rule for f in lint(subject, body, context)}
    assert "you discussed" not in body and "relevant skill" not in body


def test_without_a_debrief_the_thank_you_fails_lint() -> None:
    subject, body = draft(NoteKind.THANK_YOU, Tone.NEUTRAL, topic="", skill="")
    rules = {f.rule for f in lint(subject, body, NoteContext(kind="thank-you", company="Acme"))}
    assert "no-skill" in rules


def test_a_later_note_replies_to_the_first_subject() -> None:
    subject, _ = draft(NoteKind.FOLLOW_UP, Tone.CASUAL)
    assert subject == "Re: Thank you for the Backend Engineer interview"


def test_the_follow_up_adds_the_news_from_the_debrief() -> None:
    _, body = draft(NoteKind.FOLLOW_UP, Tone.FORMAL, news="I sketched a migration plan")
    assert "I sketched a migration plan" in body
    assert "just checking in" not in body.lower()


def test_tone_follows_the_culture_with_its_reason() -> None:
    # plain words (issue #16 trial item 6: "Tone: casual: culture=startup" read as code)
    assert choose_tone(Culture.CORPORATE) == (
        Tone.FORMAL,
        "formal: the company's culture is corporate",
    )
    assert choose_tone(Culture.STARTUP) == (Tone.CASUAL, "casual: the company's culture is startup")
    tone, reason = choose_tone(Culture.OTHER)
    assert tone is Tone.NEUTRAL and "culture unknown" in reason
    assert choose_tone(Culture.STARTUP, "formal")[0] is Tone.FORMAL


# --- the Jinja2 subset ---------------------------------------------------------------------


def jinja(text: str, variables: dict[str, str]) -> str:
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    return env.from_string(text).render(**variables)


@pytest.mark.parametrize("name", sorted(os.listdir(BUILTIN_DIR)))
@pytest.mark.parametrize("empty", [(), ("topic", "skill"), ("name", "first_name", "news")])
def test_builtins_render_the_same_with_jinja2(name: str, empty: tuple[str, ...]) -> None:
    text = (Path(BUILTIN_DIR) / name).read_text("utf-8")
    variables = template_variables(facts(NoteKind.THANK_YOU, Tone.FORMAL, news="an idea"))
    variables.update({key: "" for key in empty})
    assert render_subset(text, variables) == jinja(text, variables)


fragments = st.lists(
    st.sampled_from(
        [
            "a",
            " ",
            "\n",
            "{{ x }}",
            "{{y}}",
            "{% if x %}",
            "{% if not y %}",
            "{% elif y %}",
            "{% else %}",
            "{% endif %}",
            "é",
            "}",
            "{",
        ]
    ),
    max_size=14,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=fragments, x=st.sampled_from(["", "1", "{{ x }}"]), y=st.sampled_from(["", "Y"]))
def test_subset_matches_jinja2_or_steps_aside(text: str, x: str, y: str) -> None:
    import jinja2

    variables = {"x": x, "y": y}
    try:
        ours = render_subset(text, variables)
    except OutsideSubset:
        return  # Jinja2 renders it (or reports the error) instead
    try:
        theirs = jinja(text, variables)
    except jinja2.TemplateSyntaxError:
        pytest.fail(f"the subset rendered what Jinja2 rejects: {text!r}")
    assert ours == theirs


def test_subset_is_strict_about_undefined_names() -> None:
    with pytest.raises(MissingVariable):
        render_subset("Hi {{ nobody }}", {})
    with pytest.raises(MissingVariable):
        render_subset("{% if nobody %}x{% endif %}", {})


# --- safety -------------------------------------------------------------------------------


def test_data_is_never_compiled_as_a_template() -> None:
    hostile = {"company": "{{7*7}}", "topic": "{% if 1 %}", "role": "{{ role }}"}
    subject, body = draft(NoteKind.THANK_YOU, Tone.CASUAL, **hostile)
    assert "{{ role }}" in subject
    assert "{{7*7}}" in body and "49" not in body
    assert "{% if 1 %}" in body


def test_a_user_template_overrides_the_builtin(tmp_path: Path) -> None:
    (tmp_path / "thank-you.casual.txt").write_text("Subject: Yo {{ company }}\n\nThanks!\n")
    (tmp_path / "final.txt").write_text("Subject: Bye\n\n{{ company|upper }}\n")  # any tone
    library = TemplateLibrary(str(tmp_path))
    variables = template_variables(facts(NoteKind.THANK_YOU, Tone.CASUAL))
    assert library.render("thank-you", "casual", variables).startswith("Subject: Yo Acme")
    assert library.render("final", "formal", variables).endswith("ACME\n")  # Jinja2 filter
    assert library.render("thank-you", "formal", variables).startswith("Subject: Thank you")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("{{ company.__class__.__mro__ }}", "unsafe"),
        ("{{ company.upper.__globals__ }}", "no attribute"),
        ("{{ missing }}", "undefined"),
        ("{% for i in range(10**6) %}x{% endfor %}", "range"),
        ("{% for i in range(900) %}{{ company * 100 }}{% endfor %}", "renders over"),
        ("{% if %}", "line 1"),
        # issue #11: these ran for minutes or built gigabytes before the output cap was read
        ('{{ "a" * 1000000000 }}', "makes a value over 32,768 long"),
        ("{{ [1] * 1000000000 }}", "makes a value over 32,768 long"),
        ("{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
         "{% endfor %}{% endfor %}{% endfor %}", "over 100,000 loop steps"),
        ('{% set ns = namespace(s="ab") %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}'
         "{% endfor %}", "makes a value over"),
        ('{% set ns = namespace(s="ab") %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}'
         "{% endfor %}", "makes a value over"),
        ("{{ company|center(1000000000) }}", "asks for 1,000,000,000"),
        ("{{ company.ljust(1000000000) }}", "asks for 1,000,000,000"),
        ('{{ "%999999999s" % company }}', "asks for 999,999,999"),
        ("{{ 10 ** 100000000 }}", "power over 256"),
        ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "calls itself too deeply"),
        ("{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}",
         "over 100,000 loop steps"),
        ('{% include "x" %}', r"line 1: \{% include %\} is not supported"),
        ('{{ company }}\n{% extends "x" %}', r"line 2: \{% extends %\} is not supported"),
        ('{% from "x" import y %}', r"\{% import %\} is not supported"),
        ("{{ 1 / 0 }}", "division by zero"),
    ],
)  # fmt: skip
def test_hostile_or_broken_user_templates_fail_cleanly(text: str, says: str) -> None:
    variables = template_variables(facts(NoteKind.THANK_YOU, Tone.CASUAL))
    started = time.process_time()  # CPU, not wall: the bound holds on a loaded machine
    with pytest.raises(InvalidInput, match=says):
        render(Template(text, "mine.txt"), variables)
    assert time.process_time() - started < 10


def test_a_template_naming_another_file_is_refused_as_it_is_loaded(tmp_path: Path) -> None:
    """It failed with TypeError "no loader" (exit 1) when rendered; now at load, one line
    naming the file, without importing Jinja2."""
    (tmp_path / "thank-you.txt").write_text('Subject: Hi\n\n{%- include "sig.txt" %}\n')
    with pytest.raises(InvalidInput, match=r"thank-you.txt line 3: \{% include %\}"):
        TemplateLibrary(str(tmp_path)).find("thank-you", "casual")


def test_loops_filters_and_formats_a_note_uses_still_render() -> None:
    variables = template_variables(facts(NoteKind.THANK_YOU, Tone.CASUAL))
    text = (
        "{% for i in range(3) %}{{ loop.index }}{% endfor %} {{ company|upper }}"
        ' {{ "%s!" % company }} {{ company ~ "x" }} {{ company|center(10) }}'
        ' {{ ([company] * 2)|join(",") }} {{ 120000|string }} {{ [50000]|map("string")|join }}'
    )
    expected = "123 ACME Acme! Acmex    Acme    Acme,Acme 120000 50000"
    assert render(Template(text, "mine.txt"), variables) == expected


def test_oversized_template_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "thank-you.txt").write_text("x" * 20_000)
    with pytest.raises(InvalidInput, match="over"):
        TemplateLibrary(str(tmp_path)).find("thank-you", "casual")
