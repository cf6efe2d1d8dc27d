"""Driving a draft's Send / Save to Drafts region as htmx does (issue #16): the POST answers
at once with the region, which asks `…/mail-status` again until its job is done."""

from __future__ import annotations

import html
import re
import time
from typing import Any

from tests.web.conftest import Web

HTMX = {"HX-Request": "true", "HX-Target": "draft-1-0-mail"}


def press(web: Web, iid: str, mode: str, email: str = "ada@acme.example", step: int = 1) -> Any:
    """Click Send (`send`), Save to Drafts (`drafts`) or Send when due (`when-due`)."""
    form = {"interviewer": email, "mode": mode, "step": str(step), "dom_id": "draft-1-0"}
    return web.post(f"/interviews/{iid}/send", form, headers=HTMX)


def settled(web: Web, iid: str, first: str, email: str = "ada@acme.example", step: int = 1) -> str:
    """The region once its job is done, as the page's polling would end on it."""
    region = first
    deadline = time.monotonic() + 20
    while 'data-running="true"' in region:
        assert time.monotonic() < deadline, "the job never finished"
        time.sleep(0.1)
        region = web.get(
            f"/interviews/{iid}/mail-status",
            params={"interviewer": email, "step": step, "dom_id": "draft-1-0"},
            headers=HTMX,
        ).text
    return region


def lines(region: str, kind: str) -> list[str]:
    """The outcome's lines of one kind (`ok`, `error`), as text."""
    found = re.findall(rf'data-testid="job-{kind}"[^>]*>(.*?)</p>', region, re.DOTALL)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", f)).split()) for f in found]
