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
    _refuse_line_breaks,
    _shown,
    parse_single_mailbox,
    plain_address,
)
from followup.app.parse import _fits, parse_mailbox
from followup.domain import limits

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


def _by_the_parsers(text: str) -> tuple[str, str] | str:
    """parse_mailbox's verdict with no shortcut at all: the stdlib parsers' reading."""
    try:
        _fits("interviewer", text, limits.MAILBOX_TEXT)
        _refuse_line_breaks("address", text)
        if not text.strip():
            raise InvalidInput("an e-mail address is empty")
        name, address = _parse_by_stdlib(text.strip(), _shown(text))
        _fits("e-mail address", address, limits.EMAIL)
        _fits("interviewer's name", name, limits.NAME)
        return name.strip(), address.lower()
    except InvalidInput as exc:
        return str(exc)


def _verdict(text: str) -> tuple[str, str] | str:
    try:
        return parse_mailbox(text)
    except InvalidInput as exc:
        return str(exc)


# Near misses of a plain address: hosts whose last label has no letter, labels of 63 and 64
# characters, hosts of 253 to 255 characters, local parts of 64 and 65, texts of 254 to 256,
# case, space, dots, hyphens.
_EDGES = [
    "a@x.org",
    "A.B@X.ORG",
    "a@x.123",
    "a@x.1a",
    "a@123.x1",
    "a@x.org.",
    "a@.x.org",
    "a@x..org",
    "a@-x.org",
    "a@x-.org",
    "a@x.-org",
    "a@x.o-",
    "a@x.o_g",
    " a@x.org",
    "a@x.org ",
    "a@x.org\n",
    "a@x.org\u2028",
    "a@x.org\0",
    "a@x.ｏrg",
    "a@x.org\u0301",
    "a@x",
    "@x.org",
    "a@",
    "a@@x.org",
    "a@b@x.org",
    "a+b_c-d.e@x-y.z9.org",
    f"{'a' * 64}@x.org",
    f"{'a' * 65}@x.org",
    f"a@{'b' * 63}.org",
    f"a@{'b' * 64}.org",
    *(f"a@{'.'.join(['b' * 61] * 4)}.{tld}" for tld in ("or.gh", "or.ghi", "or.ghij")),
    *(f"a@{'b' * 63}.{'.'.join(['b' * 61] * 3)}.{tld}" for tld in ("o", "or", "org")),
    *(f"{'a' * 64}@{'.'.join(['b' * 61] * 3)}.{tld}" for tld in ("org", "orgx", "orgxy")),
    "no-reply@x.org",
]


@pytest.mark.parametrize("text", _EDGES)
def test_parse_mailbox_gives_the_parsers_verdict_on_near_misses(text: str) -> None:
    assert _verdict(text) == _by_the_parsers(text)


near = st.text("aZ09.-_+@ ", min_size=1, max_size=24)
long_hosts = st.builds(
    lambda local, n, size, tld: f"{local}@{'.'.join(['h' * size] * n)}.{tld}",
    st.sampled_from(["a", "a" * 64, "a.b"]),
    st.integers(1, 5),
    st.integers(55, 64),
    st.sampled_from(["org", "o", "1", "o1", "1o"]),
)


@settings(max_examples=400)
@given(st.one_of(addresses, near, long_hosts, addresses.map(str.upper)))
def test_parse_mailbox_gives_the_parsers_verdict(text: str) -> None:
    """The bare-address shortcut (`plain_address`) changes nothing parse_mailbox says: the
    same mailbox, or the same refusal, as the parsers alone."""
    assert _verdict(text) == _by_the_parsers(text)
    address = plain_address(text)
    if address is not None and len(text) <= limits.EMAIL:  # (a longer one: too long)
        assert _verdict(text) == ("", address.lower())
