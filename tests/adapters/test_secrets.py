"""The refresh token lives in the OS keyring; with none (a headless machine) followup refuses
rather than keep it in a file in clear."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import keyring.backend
import pytest
from keyring.backends import fail

from followup.adapters.secrets import KeyringStore
from followup.app.errors import InvalidInput


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring for the tests: a dict (what a desktop's Secret Service would hold)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[service, username] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(before)


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
