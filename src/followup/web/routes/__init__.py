"""One module per page: its HTML route(s), its `/api/…` JSON twin, and its actions."""

from typing import Annotated

from fastapi import Path

from followup.domain.limits import ID_MAX

# An id in a URL (/interviews/{id}): the store's ids are 64-bit, so a bigger number is a
# 404 ("no such page", as for any id not there), never an overflow in the database (a 500).
IdPath = Annotated[int, Path(ge=1, le=ID_MAX)]
