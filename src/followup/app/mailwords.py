"""A mail server not reached, in the dashboard's words: Send's problem (app/feedback.py)
and Test connection's sentence (wording.mail_test) say it alike. Stdlib only: both import it.
"""

from __future__ import annotations

import re

REACH = re.compile(r"cannot reach (SMTP|IMAP) server (\S+?):? ")
UNREACHED = "Couldn't reach your mail server"

# Where the dashboard's Settings set the servers: the fix for a server not reached.
CHECK_SERVERS = "check the host and port under “Advanced: server settings”"
_ERRNO = re.compile(r"\[Errno -?\d+\] ")
_NO_NAME = ("Name or service not known", "nodename nor servname", "getaddrinfo failed",
            "No address associated", "Temporary failure in name resolution")  # fmt: skip


def unreachable(line: str, seconds: float | None = None) -> str | None:
    """A server not reached (the adapters' "cannot reach SMTP server HOST:PORT: why"), in
    Send's words and why in plain ones: "couldn't reach your mail server
    smtp.example.org:2525: nothing answered within 5 s"; None for any other failure.
    `seconds`: how long it was given."""
    found = REACH.search(line)
    if not found:
        return None
    why = _ERRNO.sub("", line[found.end() :]).strip()
    if "timed out" in why.lower():
        waited = f"within {seconds:g} s" if seconds else "in time"
        why = f"nothing answered {waited}"
    elif "refused" in why.lower():
        why = "the connection was refused (nothing listens on that port)"
    elif any(words in why for words in _NO_NAME):
        why = "no server has that name"
    elif "unexpectedly closed" in why.lower():
        why = "it closed the connection without a word"
    return f"{UNREACHED[:1].lower()}{UNREACHED[1:]} {found.group(2)}: {why.rstrip('.')}"
