"""The Sent and Drafts folders: by their special-use flag, else by the provider's own name
(the preset's), else by imapclient's usual names; never All Mail (a second copy of all)."""

from __future__ import annotations

from typing import Any

import pytest
from imapclient.imapclient import ALL, DRAFTS, SENT

from followup.adapters.mail.imap import ImapMailbox


class Listing:
    """Just what `folders` asks of an IMAPClient: LIST and the by-name search."""

    def __init__(self, folders: list[tuple[tuple[bytes, ...], str]]) -> None:
        self._folders = folders

    def list_folders(self) -> list[tuple[tuple[bytes, ...], bytes, str]]:
        return [(flags, b"/", name) for flags, name in self._folders]

    def find_special_folder(self, flag: bytes) -> str | None:
        common = {SENT: ("Sent", "Sent Items"), DRAFTS: ("Drafts",)}[flag]
        return next((n for _, n in self._folders if n in common), None)


def roles(
    monkeypatch: pytest.MonkeyPatch,
    folders: list[tuple[tuple[bytes, ...], str]],
    fallback: dict[str, str] | None = None,
) -> dict[str, str]:
    box = ImapMailbox("imap.example.org", 993, "ssl", "u", "p", fallback_folders=fallback)
    client: Any = Listing(folders)
    monkeypatch.setattr(box, "_connection", lambda _limit: client)
    return box.folders()


def test_gmail_flags_sent_mail_and_all_mail_is_never_a_role(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = roles(
        monkeypatch,
        [
            ((b"\\HasNoChildren",), "INBOX"),
            ((b"\\HasNoChildren", ALL), "[Gmail]/All Mail"),
            ((b"\\HasNoChildren", SENT), "[Gmail]/Sent Mail"),
            ((b"\\HasNoChildren", DRAFTS), "[Gmail]/Drafts"),
        ],
    )
    assert found["sent"] == "[Gmail]/Sent Mail" and found["drafts"] == "[Gmail]/Drafts"
    assert "[Gmail]/All Mail" not in found.values()


def test_an_unflagged_server_uses_the_presets_names(monkeypatch: pytest.MonkeyPatch) -> None:
    folders: list[tuple[tuple[bytes, ...], str]] = [
        ((), "INBOX"),
        ((), "Gesendet"),
        ((), "Entwürfe"),
        ((), "Sent"),  # an old folder a client once made: not where GMX files what it sends
    ]
    assert roles(monkeypatch, folders)["sent"] == "Sent"
    preset = {"sent": "Gesendet", "drafts": "Entwürfe"}
    found = roles(monkeypatch, folders, preset)
    assert found["sent"] == "Gesendet" and found["drafts"] == "Entwürfe"


def test_a_presets_name_the_server_does_not_have_is_not_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = roles(monkeypatch, [((), "INBOX"), ((), "Sent Items")], {"sent": "Gesendet"})
    assert found["sent"] == "Sent Items"
