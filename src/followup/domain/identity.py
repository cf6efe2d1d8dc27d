"""Whether an invitation's attendee is the user: at one of their addresses, or by their name.

Invitations list the user at whatever address the recruiter typed: a filter tag
(noor.haddad+jobs@gmail.com), Gmail's other spelling (noorhaddad@googlemail.com: Gmail
ignores dots and treats both domains as one), or an address followup was never told of,
under the user's name as a tracker writes it ("Candidate - Noor Haddad", "Haddad, Noor").
A cold trial had the user thanking themselves at each. The user is no interviewer, and
their address's domain is no company's.

Pure: stdlib and domain/names only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from followup.domain.names import canonical_title

# Gmail's rule only (dots ignored, googlemail.com ≡ gmail.com): elsewhere a dot is a letter
_GMAIL = frozenset({"gmail.com", "googlemail.com"})

# What a tracker writes beside the candidate's name: "Candidate - Noor Haddad", "Noor Haddad
# (Candidate)", "Bewerberin: …" — the label, then a separator (or the aside's brackets)
_LABEL = (
    r"(?:candidate|applicant|interviewee|guest|external|kandidat(?:in)?|candidat[oae]?"
    r"|bewerber(?:in)?|sollicitant|kandydat(?:ka)?)"
)
_LEADING_LABEL = re.compile(rf"^\s*{_LABEL}\s*(?:[-–—:|/]\s*|\s)", re.IGNORECASE)
_TRAILING_LABEL = re.compile(rf"\s*(?:[-–—:|/]\s*|[(\[]\s*){_LABEL}\s*[)\]]?\s*$", re.IGNORECASE)


def mailbox_key(address: str) -> str:
    """One spelling per mailbox: lower case, without a +tag; Gmail's without dots, at
    gmail.com."""
    local, _, domain = address.strip().lower().rpartition("@")
    local = local.partition("+")[0]
    if domain in _GMAIL:
        return f"{local.replace('.', '')}@gmail.com"
    return f"{local}@{domain}"


def own_address(address: str, own: Iterable[str]) -> bool:
    """Whether `address` reaches one of the user's own mailboxes (`own`)."""
    key = mailbox_key(address)
    return any(mailbox_key(mine) == key for mine in own if "@" in mine)


def _words(name: str) -> list[str]:
    """The name's words, folded (no case, no accents), without a title ("Ms.") or commas."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = [w.strip(".,'’-") for w in re.split(r"[\s,]+", plain)]
    return [w for w in words if w and not canonical_title(w)]


def own_name(name: str, own_names: Iterable[str]) -> bool:
    """Whether an attendee's name is the user's (user.name): in either order ("Haddad, Noor"),
    with a candidate's label before or after it ("Candidate - Noor Haddad")."""
    bare = _TRAILING_LABEL.sub("", _LEADING_LABEL.sub("", name))
    theirs = _words(bare)
    if not theirs:
        return False
    for mine in own_names:
        words = _words(mine)
        if len("".join(words)) < 3:
            continue  # too short to tell anyone by
        if "".join(theirs) == "".join(words):  # "Noor Haddad", "NoorHaddad"
            return True
        if len(words) >= 2 and sorted(theirs) == sorted(words):  # "Haddad Noor"
            return True
    return False
