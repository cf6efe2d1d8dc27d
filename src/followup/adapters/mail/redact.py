"""Secrets out of any text a mail server sent back, before it is shown, logged or stored.

A server may echo the command it could not parse — `a001 BAD Error in IMAP command:
a001 LOGIN alice hunter2`, `500 unrecognised: AUTH PLAIN AGFsaWNlAGh1bnRlcjI=` — and that
text reaches `mail test`, `sync`, the worker's log, a note's last error and the dashboard.
Every SMTP and IMAP error the adapters report goes through `redact`:

- the password itself, as sent: raw, IMAP-quoted (`\\"` and `\\\\`), as Python shows bytes
  (imaplib's errors carry `b'...'` reprs), and base64 (SMTP AUTH LOGIN sends it alone,
  AUTH PLAIN as `\\0user\\0password`);
- whatever follows a LOGIN, AUTHENTICATE or AUTH command word on its line (the user name,
  a token, a mechanism's initial response), even where the secret is not known here.

The password is matched in any letter case (a server may echo the line upper-cased: `A001
LOGIN ALICE HUNTER2`), and also percent-encoded, with `+` for spaces or not (a web front end's error
page may quote the form it was posted), in either case of hex digit (issue #11).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

REDACTED = "[redacted]"

# An echoed command: the word, then its arguments up to the end of the line (a real line
# break, or the \r or \n of a bytes repr). imaplib's "LOGIN command error: ..." is none.
# Upper case only: "SMTP login at host failed" is our own wording, not an echo.
_COMMAND = re.compile(r"\b(LOGIN|AUTHENTICATE|AUTH)([ \t]+)(?!command\b)(?:(?!\\[rn])[^\r\n])+")


def redact(text: str, password: str | None = None, username: str | None = None) -> str:
    """`text` with the password (in every form it crossed the wire) and every echoed
    LOGIN/AUTH command's arguments replaced by [redacted]."""
    forms = sorted(_forms(password, username), key=len, reverse=True)
    if forms:  # longest first: a form inside another is not left half-redacted
        pattern = re.compile("|".join(re.escape(f) for f in forms), re.IGNORECASE)
        text = pattern.sub(REDACTED, text)
    return _COMMAND.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)


def _forms(password: str | None, username: str | None) -> set[str]:
    if not password:
        return set()
    quoted = password.replace("\\", "\\\\").replace('"', '\\"')  # an IMAP quoted string
    forms = {password, quoted, quote(password, safe=""), quote_plus(password, safe="")}
    for text in (password, quoted):
        forms.add(repr(text.encode("utf-8"))[2:-1])  # how b'...' shows it
    secrets: Iterable[str] = (password, f"\0{username or ''}\0{password}", f"\0\0{password}")
    for secret in secrets:
        encoded = base64.b64encode(secret.encode("utf-8")).decode("ascii")
        forms.add(encoded)
        forms.add(encoded.rstrip("="))
    return {form for form in forms if form}
