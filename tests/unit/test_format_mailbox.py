"""format_mailbox writes a plain name and address itself (the email package's import costs a
draft ~15 ms): the same text Address writes, for every shape, plain or not."""

from __future__ import annotations

from email.headerregistry import Address

from hypothesis import given
from hypothesis import strategies as st

from followup.app.errors import InvalidInput
from followup.app.parse import format_mailbox

NAMES = [
    *("Ada Lovelace", "Ada", "O'Neil Mary", "Dr. Ada", "Lovelace, Ada", "Siobhán Ní Bhriain"),
    *("A  B", " Ada", "Ada ", 'Ada "Countess"', "Ada (math)", "Jean-Paul", "a_b", "x@y"),
]
ADDRESSES = ["ada@acme.example", "first.last@sub.acme.example", "o'neil@acme.example",
             "x+tag@acme.example"]  # fmt: skip


def _expected(name: str, address: str) -> str | None:
    try:
        return str(Address(display_name=name, addr_spec=address))
    except (ValueError, IndexError, TypeError):
        return None


def test_the_plain_shapes_are_written_as_address_writes_them() -> None:
    for name in NAMES:
        for address in ADDRESSES:
            want = _expected(name, address)
            if want is None:
                continue
            assert format_mailbox(name, address) == want, (name, address)


@given(
    name=st.text(alphabet=st.sampled_from("Aa.'- ,é\"()@_"), min_size=1, max_size=12),
    local=st.text(alphabet=st.sampled_from("ab.+'-_"), min_size=1, max_size=6),
)
def test_any_name_is_written_as_address_writes_it(name: str, local: str) -> None:
    address = f"{local}@acme.example"
    want = _expected(name, address)
    try:
        got = format_mailbox(name, address)
    except InvalidInput:
        assert want is None
        return
    assert got == want
