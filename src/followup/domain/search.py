"""What a board search matches: every word of the query somewhere in an application's
company, role or people (in any order), ignoring the case of ASCII letters as SQLite's LIKE
does (PostgreSQL's ILIKE ignores the case of every letter)."""

from __future__ import annotations

# Past this, an application's search text stops growing: a calendar export of one role's
# thousands of rounds would otherwise make every new round's write copy all the others'.
LONGEST = 4_000

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def words(query: str) -> list[str]:
    """The query's words: each must be found."""
    return query.split()


def ascii_lower(text: str) -> str:
    """`text` with its ASCII capitals made small, and no other letter changed."""
    return text.translate(_ASCII_LOWER)
