"""A bad address is said in plain words (issue #16 trial item 6): "addr-spec local part with
no domain" was the mail parser's own phrase."""

from __future__ import annotations

import pytest

from followup.app.errors import InvalidInput
from followup.app.parse import parse_mailbox


@pytest.mark.parametrize("typed", ["bob", "Bob Stone <bob>"])
def test_an_address_with_no_domain_says_what_it_needs(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_mailbox(typed)
    message = str(refused.value)
    assert message.endswith("is not an e-mail address (it needs a domain, like name@example.com)")
    assert "addr-spec" not in message
