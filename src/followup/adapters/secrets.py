"""The OS keyring (`keyring`) as the SecretStore of OAuth2 refresh tokens.

A machine without a usable keyring (a headless server: keyring's `fail` backend, or the
`null` one) is refused in one line: a refresh token is as good as a password for the mail
account, and followup never keeps one in a file in clear. Imported only by the OAuth2 paths.
"""

from __future__ import annotations

import contextlib

import keyring
import keyring.backend
from keyring.errors import KeyringError

from followup.app.errors import InvalidInput

SERVICE = "followup-oauth"


class KeyringStore:
    def __init__(self, service: str = SERVICE) -> None:
        self.service = service
        backend = keyring.get_keyring()
        if _unusable(backend):
            raise InvalidInput(
                "no OS keyring here to keep the sign-in or password in (followup never writes"
                " them to a file in clear): use a desktop session with a keyring, or a keyring"
                ' backend (docs/mail.md, "No keyring?")'
            )
        self._backend = backend

    def get(self, name: str) -> str | None:
        try:
            found = self._backend.get_password(self.service, name)
        except KeyringError as exc:
            raise InvalidInput(f"the OS keyring could not be read: {type(exc).__name__}") from exc
        return str(found) if found else None

    def put(self, name: str, secret: str) -> None:
        try:
            self._backend.set_password(self.service, name, secret)
        except KeyringError as exc:
            raise InvalidInput(f"the OS keyring refused the sign-in: {type(exc).__name__}") from exc

    def delete(self, name: str) -> None:
        with contextlib.suppress(KeyringError):  # nothing kept: nothing to remove
            self._backend.delete_password(self.service, name)


def _unusable(backend: keyring.backend.KeyringBackend) -> bool:
    name = type(backend).__module__
    if name.startswith(("keyring.backends.fail", "keyring.backends.null")):
        return True
    chained = getattr(backend, "backends", None)
    return chained is not None and not list(chained)
