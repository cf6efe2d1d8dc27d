"""The shortcuts for a bare address and for `Plain Name <address>` give what the two stdlib
parsers give (app/headers.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.app.errors import InvalidInput
from followup.app.headers import (
    _NAMED,
    _PLAIN,
    _parse_by_stdlib,
    _shown,
    parse_single_mailbox,
)

atom = st.text("abcXYZ019_+-", min_size=1, max_size=12)
label = st.from_regex(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,8}[A-Za-z0-9])?", fullmatch=True)
addresses = st.builds(
    lambda local, hosts, tld: f"{'.'.join(local)}@{'.'.join([*hosts, tld])}",
    st.lists(atom, min_size=1, max_size=4),
    st.lists(label, min_size=1, max_size=3),
    st.one_of(label, st.sampled_from(["org", "EXAMPLE", "co", "123"])),
)


word = st.from_regex(r"[A-Za-z0-9]{1,6}(?:['-][A-Za-z0-9]{1,4})?", fullmatch=True)
names = st.lists(word, min_size=1, max_size=4).map(" ".join)
named = st.builds(lambda name, address: f"{name} <{address}>", names, addresses)


@settings(max_examples=300)
@given(st.one_of(addresses, named))
def test_the_shortcut_reads_a_plain_address_as_the_parsers_do(address: str) -> None:
    try:
        expected: tuple[str, str] | str = _parse_by_stdlib(address, _shown(address))
    except InvalidInput as exc:
        expected = str(exc)
    try:
        found: tuple[str, str] | str = parse_single_mailbox(address)
    except InvalidInput as exc:
        found = str(exc)
    assert found == expected


@pytest.mark.parametrize(
    "text",
    [
        "a..b@x.org",
        ".a@x.org",
        "a.@x.org",
        "a@x",
        "Ada <a@x.org>",
        "a@x.org (Ada)",
        f"{'a' * 65}@x.org",
    ],
)
def test_anything_else_takes_the_parsers_path(text: str) -> None:
    assert _PLAIN.fullmatch(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Ada  Lovelace <a@x.org>",
        "Ada. Lovelace <a@x.org>",
        "Lovelace, Ada <a@x.org>",
        '"Ada" <a@x.org>',
        "Ada <a@x>",
        "Ada <a..b@x.org>",
        "José <j@x.org>",
        "Ada <a@x.org> (Ada)",
        "-Ada <a@x.org>",
    ],
)
def test_any_other_named_address_takes_the_parsers_path(text: str) -> None:
    assert _NAMED.fullmatch(text) is None
