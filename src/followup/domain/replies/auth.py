"""Does the receiving mail server say a message is NOT from its From domain?

Anyone can write `From: Ada Lovelace <ada@acme.example>`. The user's mail server checks
SPF, DKIM and DMARC as the message arrives and writes what it found in an
`Authentication-Results` header (RFC 8601) at the top of the message. A message it says
failed changes no interview (app/receiving.py).

Which header to trust. Each server adds its own header above the ones already there, and
a sender can write any number of them into its message before sending. RFC 8601 (section
5) says to trust only the headers carrying the authserv-id of one's own server; followup
does not know that name, so it reads the **topmost** `Authentication-Results` header only:
the one the last server — the user's own, which delivered the message — added. The rule
only ever acts on failures: a sender who writes a header of its own can make its own
message look forged, never make a forged one look genuine (a "pass" changes nothing), and
headers further down are never read. A message with no such header (a local server that
checks nothing, a file saved by a client that drops it) is read as before.

Forged means, in that header:
- `dmarc=fail` (whatever the domain's policy: p=reject, quarantine or none); or
- `spf=fail` (not `softfail`) and no `dkim=pass` for the From domain (a signature by
  that domain, a subdomain of it or a parent of it below the top level; a `dkim=pass`
  that names no domain counts): a forwarded message fails SPF but keeps its author's
  signature.

Pure, stdlib only; never raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_COMMENT = re.compile(r"\([^()]*\)")  # RFC 5322 comments (nested ones peel off in turn)
_RESULT = re.compile(r"^\s*([a-z0-9_-]+)(?:\s*/\s*\d+)?\s*=\s*([a-z]+)", re.IGNORECASE)
_PROPERTY = re.compile(r"\b(header|smtp|body|policy)\.([a-z0-9_-]+)\s*=\s*([^\s;]+)", re.I)
_MAX_HEADER = 8_000  # characters of the header read: more is noise (or an attack)


def forged(headers: Iterable[tuple[str, str]], from_addr: str | None) -> str:
    """Why the topmost Authentication-Results header says the message is not from its
    From domain ("mx.example.org: dmarc=fail, spf=fail, dkim=none"); "" when it does not
    (no such header, no failure, or a failure a valid signature outweighs)."""
    value = next((v for name, v in headers if name == "authentication-results"), None)
    if not value:
        return ""
    return _judged(value[:_MAX_HEADER], (from_addr or "").rpartition("@")[2].lower())


def _judged(value: str, domain: str) -> str:
    text = value
    for _ in range(5):  # peel nested comments from the inside out
        stripped = _COMMENT.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    parts = text.split(";")
    # RFC 8601 starts with the server's authserv-id; Microsoft 365 writes none and starts
    # with the first result ("spf=fail (…) smtp.mailfrom=…; dkim=none …")
    first = parts[0].split()
    named = bool(first) and _RESULT.match(parts[0]) is None
    server = first[0] if named else "your mail server"
    results: list[tuple[str, str, dict[str, str]]] = []
    for part in parts[1:] if named else parts:
        found = _RESULT.match(part)
        if found is None:
            continue
        method, result = found.group(1).lower(), found.group(2).lower()
        props = {f"{p.lower()}.{k.lower()}": v for p, k, v in _PROPERTY.findall(part)}
        results.append((method, result, props))
    said = {(m, r) for m, r, _ in results}
    dkim_pass = any(m == "dkim" and r == "pass" and _aligned(p, domain) for m, r, p in results)
    if ("dmarc", "fail") in said or (("spf", "fail") in said and not dkim_pass):
        shown = ", ".join(
            dict.fromkeys(f"{m}={r}" for m, r, _ in results if m in ("dmarc", "spf", "dkim"))
        )
        return f"{server}: {shown}"
    return ""


def _aligned(props: dict[str, str], domain: str) -> bool:
    """A DKIM pass speaks for the From domain when its d= (header.d, or header.i's domain)
    is that domain, a parent of it below the top level, or a subdomain of it (DMARC's
    relaxed alignment, without the public-suffix list). A pass naming no domain counts."""
    signer = props.get("header.d") or props.get("header.i", "").rpartition("@")[2]
    signer = signer.strip().strip(".").lower()
    if not signer or not domain:
        return True
    shorter, longer = sorted((signer, domain), key=len)
    return shorter == longer or ("." in shorter and longer.endswith("." + shorter))
