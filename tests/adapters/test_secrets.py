"""The refresh token lives in the OS keyring; with none (a headless machine) followup refuses
rather than keep it in a file in clear."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail

from followup.adapters.secrets import KeyringStore
from followup.app.errors import InvalidInput
from tests.oauth_server import MemoryKeyring


def test_the_token_is_kept_in_the_keyring(memory_keyring: MemoryKeyring) -> None:
    store = KeyringStore()
    store.put("grace@example.org", "rt-secret")
    assert memory_keyring.items == {("followup-oauth", "grace@example.org"): "rt-secret"}
    assert store.get("grace@example.org") == "rt-secret"
    store.delete("grace@example.org")
    assert store.get("grace@example.org") is None


def test_no_keyring_is_refused_in_one_line() -> None:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        with pytest.raises(InvalidInput) as caught:
            KeyringStore()
    finally:
        keyring.set_keyring(before)
    assert "no OS keyring" in str(caught.value) and "\n" not in str(caught.value)
