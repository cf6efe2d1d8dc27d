"""The pieces of export and import that have rules of their own: cells, lists, headers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.app.errors import InvalidInput
from followup.app.parse import parse_interviewer
from followup.app.portability import parse_mapping
from followup.app.portability.csv_format import (
    _cell,
    _map_header,
    _person_item,
    _quote_item,
    _split_items,
    _uncell,
    _unquote,
)

text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), max_size=30)


@given(text)
def test_a_cell_comes_back_as_it_was_exported(value: str) -> None:
    assert _uncell(_cell(value)) == value


@given(st.sampled_from("=+-@\t\r"), text)
def test_no_exported_cell_starts_like_a_formula(first: str, rest: str) -> None:
    assert _cell(first + rest).startswith("'")


@given(st.lists(text.filter(lambda t: t.strip()), max_size=5))
def test_a_list_cell_splits_back_into_its_items(items: list[str]) -> None:
    cell = "; ".join(_quote_item(t) for t in items)
    assert [_unquote(i) for i in _split_items(cell)] == items


@pytest.mark.parametrize(
    ("name", "email"),
    [
        ("Ada Lovelace", "ada@acme.example"),
        ("Doe, Jane", "jane@x.example"),
        ('Robert "Bob" Tables', "bob@x.example"),
        ("J. R. Smith; Jr", "jr@x.example"),
        ("Zoë Ångström", "zoe@x.example"),
    ],
)
def test_an_interviewer_item_parses_back_to_the_same_person(name: str, email: str) -> None:
    cell = "; ".join([_person_item(name, email), _person_item("Bob", None)])
    items = _split_items(cell)
    assert parse_interviewer(items[0]) == (name, email)
    assert parse_interviewer(_unquote(items[1])) == ("Bob", None)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["Company", "Job Title", "Interview Date"], ("company", "role", "start")),
        (["company_name", "POSITION", "start-time"], ("company", "role", "start")),
        (["Employer", "Role", "Date", "Interviewer Email"], ("company", "role", "start")),
        (["Organization", "Title", "When"], ("company", "role", "start")),
    ],
)
def test_tracker_headers_map_case_insensitively(
    header: list[str], expected: tuple[str, ...]
) -> None:
    mapped = _map_header(header, {})
    assert tuple(f for f in ("company", "role", "start") if f in mapped.columns) == expected
    assert [mapped.columns[f] for f in expected] == [0, 1, 2]


def test_two_columns_for_one_field_must_be_disambiguated() -> None:
    header = ["Company", "Employer", "Role", "Start"]
    with pytest.raises(InvalidInput, match="both look like company"):
        _map_header(header, {})
    mapped = _map_header(header, parse_mapping(["Employer=company"]))
    assert mapped.columns["company"] == 1
    assert mapped.ignored == ("Company",)


def test_our_computed_columns_are_not_reported_as_ignored() -> None:
    mapped = _map_header(["interview_id", "company", "role", "start", "next_due_at"], {})
    assert mapped.ignored == ()


def test_the_import_help_lists_every_field() -> None:
    from followup.app.portability import FIELDS
    from followup.cli.main import cli

    import_ = cli.commands["import"]

    [option] = [p for p in import_.params if p.name == "mapping"]
    listed = str(getattr(option, "help", "")).split("Fields: ", 1)[1].rstrip(".").split(", ")
    assert listed == list(FIELDS)


# --- the JSON import's two readings of an item agree -----------------------------------

_SAMPLES = [
    None, 0, 1, -3, 7, True, 2.5, "", " ", "x", "Acme", "startup", "waiting", "sent",
    "thank-you", "human", "UTC", "Europe/Berlin", "DE", "Germany", "ada@acme.example",
    "Ada <ada@acme.example>", "noreply@acme.example", "2026-11-25T12:00:00Z",
    "2026-11-25T13:00:00+01:00", "2026-13-25T12:00:00Z", "1969-12-31T23:59:59Z",
    "2026-11-25", "a\0b", "[specific project]", "SQL tuning", ["acme.example"], {"a": 1},
]  # fmt: skip


@pytest.mark.parametrize(
    "table",
    ["applications", "interviews", "interviewers", "notes", "inbound_messages", "debriefs"],
)
@given(data=st.data())
def test_the_fast_reading_of_an_item_is_the_careful_one(table: str, data: st.DataObject) -> None:
    """The straight-line reader (made from each table's plan) answers only for items the
    key-by-key reading takes whole, with no warning, and then with the same values."""
    from followup.app.portability.json_format import (
        _fast_readers,
        _plans,
        _read_slowly,
        _Reader,
    )

    keys = [*_plans()[table][0], "unknown_key"]
    raw = data.draw(st.dictionaries(st.sampled_from(keys), st.sampled_from(_SAMPLES)))
    try:
        fast = _fast_readers()[table](raw)
    except ValueError:
        fast = None
    reader = _Reader([], [])
    slow = _read_slowly(table, raw, "item", reader)
    if fast is not None:
        assert slow is not None and not reader.problems and not reader.warnings
        assert fast == (slow.values, slow.old_id, slow.interviewer)


@pytest.mark.parametrize("count", [0, 1, 2, 999, 1000, 1001, 2500])
def test_a_streamed_json_answer_is_the_whole_documents_text(
    count: int, capsys: pytest.CaptureFixture[str]
) -> None:
    """`import --json` writes its interviews one by one, the text `json.dumps` would make
    of the whole answer (key order, indentation, an empty list as [])."""
    import json

    from followup.cli.render import emit_json_streamed

    entries = [{"id": k, "item": f"applications[{k}].interviews[0]"} for k in range(count)]
    data = {"file": "ü.json", "format": "json", "interviews": None, "warnings": ["a\nb"]}
    emit_json_streamed(data, "interviews", iter(entries))
    whole = {**data, "interviews": entries}
    assert capsys.readouterr().out == json.dumps(whole, indent=2, ensure_ascii=False) + "\n"


# --- what a JSON import keeps between batches ---------------------------------------------


@given(
    st.lists(
        st.lists(
            st.tuples(
                st.one_of(
                    st.integers(0, 300),
                    st.sampled_from([2**24 - 1, 2**24, 2**40, -1, -(2**63), 2**63 - 1]),
                ),
                st.integers(0, 9),
            ),
            max_size=8,
        ),
        max_size=5,
    )
)
def test_the_kept_keys_are_found_as_the_store_alone_finds_them(
    batches: list[list[tuple[int, int]]],
) -> None:
    """`_Kept` finds each key of an earlier batch with its first value, whether it is asked
    of the store or known not to be there; a key below 2**24 that no batch kept is never
    asked for (an import's fresh ids cost no query)."""
    from followup.adapters.store.memory import MemoryStore
    from followup.app.portability.json_format import _Kept

    store = MemoryStore()
    asked: list[int] = []
    recall = store.recall

    def spy(space: str, keys: object) -> dict[int, int]:
        keys = list(keys)  # type: ignore[call-overload]
        asked.extend(keys)
        return recall(space, keys)

    store.recall = spy  # type: ignore[method-assign]
    store.scratch()
    kept = _Kept(store, "where")
    first: dict[int, int] = {}
    probes = [0, 1, 150, 301, 2**24 - 1, 2**24, 2**40, -1, -(2**63), 2**63 - 1]
    for batch in batches:
        asked.clear()
        kept.fetch(probes)
        for key in probes:
            assert (key in kept) == (key in first)
            if key in first:
                assert kept[key] == first[key]
        assert not [k for k in asked if 0 <= k < 2**24 and k not in first]
        for key, value in batch:
            kept[key] = value
            first.setdefault(key, value)
        kept.keep()
