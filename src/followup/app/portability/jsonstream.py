"""Reading a large JSON document one item at a time, in bounded memory (issue #17).

A followup export is one object whose "applications" list holds everything; `json.loads`
of a 350 MB export holds it all, several times over. `Scanner` walks the top-level object
itself and hands each element of a list to a callback as it is decoded by the C decoder
(`raw_decode`), from a buffer of about a megabyte refilled as it goes: memory follows the
largest element, not the file. Errors carry the line and column in the whole file, as
`json.loads` gives them. Standard library only (no streaming parser package).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, BinaryIO

from followup.app.errors import InvalidInput

# Characters read at a time: below glibc's 128 KB mmap threshold. Freeing 1 MB buffers
# raised that threshold, and the next ones came from the heap among long-lived objects:
# the import's RSS grew ~0.7 KB per interview (130 MB at 100,000) with the Python heap flat.
CHUNK = 1 << 16
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class Scanner:
    """The JSON text of `source` (UTF-8, an optional BOM), consumed from the front."""

    def __init__(self, source: BinaryIO, name: str, item_limit: int) -> None:
        import codecs

        self._decode = codecs.getincrementaldecoder("utf-8-sig")()
        self._source = source
        self.name = name
        self.item_limit = item_limit  # characters one element may take
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._line = 1  # the line and column of _buf[0] in the file
        self._col = 1
        self._offset = 0  # bytes read from the source

    @property
    def bytes_read(self) -> int:
        return self._offset

    # --- the buffer ------------------------------------------------------------------------

    def _fill(self) -> bool:
        """More text at the end of the buffer (what is consumed is dropped); False at EOF."""
        if self._eof:
            return False
        data = self._source.read(CHUNK)
        self._offset += len(data)
        try:
            text = self._decode.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            at = self._offset - len(data) + exc.start
            raise InvalidInput(
                f"{self.name} is not UTF-8 text (bad byte at offset {at}): save it as UTF-8"
            ) from None
        if not data:
            self._eof = True
        done = self._buf[: self._pos]
        lines = done.count("\n")
        if lines:
            self._line += lines
            self._col = len(done) - done.rfind("\n")
        else:
            self._col += len(done)
        self._buf = self._buf[self._pos :] + text
        self._pos = 0
        return bool(data)

    def _where(self, pos: int) -> str:
        before = self._buf[:pos]
        lines = before.count("\n")
        col = pos - before.rfind("\n") if lines else self._col + pos
        return f"line {self._line + lines} column {col}"

    def error(self, message: str, pos: int | None = None) -> InvalidInput:
        at = self._where(self._pos if pos is None else pos)
        return InvalidInput(f"{self.name} is not valid JSON: {message} at {at}")

    def peek(self) -> str:
        """The next character that is not white space ("" at the end of the text)."""
        while True:
            self._pos = _WS.match(self._buf, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._buf) or not self._fill():
                return self._buf[self._pos : self._pos + 1]

    def expect(self, char: str, what: str) -> None:
        if self.peek() != char:
            raise self.error(f"Expecting {what}")
        self._pos += 1

    def value(self) -> Any:
        """The next JSON value, whole (an element of a list: an application)."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as exc:
                # Maybe only cut off by the buffer's end: read on, up to the item limit.
                if not self._eof and len(self._buf) - self._pos <= self.item_limit:
                    self._fill()  # then decode again: exc.pos is in the buffer before
                    continue
                if not self._eof:
                    raise InvalidInput(
                        f"{self.name}: one item at {self._where(self._pos)} is larger than"
                        f" {self.item_limit // 2**20} MB: too big to import"
                    ) from None
                raise self.error(exc.msg, exc.pos) from None
            except RecursionError:
                raise InvalidInput(
                    f"{self.name} is nested too deeply to be a followup export"
                ) from None
            except ValueError:  # a number of more than 4,300 digits (int's own limit)
                raise InvalidInput(
                    f"{self.name}: the value at {self._where(self._pos)} holds a number of"
                    " more than 4,300 digits: not a number we read"
                ) from None
            if end == len(self._buf) and not self._eof:
                self._fill()
                continue  # a number at the buffer's end may go on
            self._pos = end
            return value

    def at_end(self) -> bool:
        return self.peek() == ""

    # --- the document's shape --------------------------------------------------------------

    def elements(self, each: Callable[[Any], None]) -> None:
        """A list, at the current position: `each` of its elements, in order."""
        self.expect("[", "'['")
        if self.peek() == "]":
            self._pos += 1
            return
        while True:
            each(self.value())
            char = self.peek()
            self._pos += 1
            if char == "]":
                return
            if char != ",":
                raise self.error("Expecting ',' delimiter", self._pos - 1)

    def members(self, each: Callable[[str], None]) -> None:
        """An object, at the current position: `each(key)` with the position on its value,
        which `each` must consume (with `value()` or `elements()`)."""
        self.expect("{", "'{'")
        if self.peek() == "}":
            self._pos += 1
            return
        while True:
            if self.peek() != '"':
                raise self.error("Expecting property name enclosed in double quotes")
            key = self.value()
            self.expect(":", "':' delimiter")
            each(key)
            char = self.peek()
            self._pos += 1
            if char == "}":
                return
            if char != ",":
                raise self.error("Expecting ',' delimiter", self._pos - 1)
