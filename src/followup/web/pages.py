"""HTML pages: Jinja2 templates from web/templates, autoescaped, fed only with data.

Untrusted text (company names, topics, invite titles, subjects) reaches a template only as a
variable and is escaped on output; nothing a user typed is ever compiled as a template.
`StrictUndefined` turns a misspelt variable into an error in the tests, not a blank.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache, partial
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from followup.app import wording
from followup.app.parse import person_label, shown_mailbox
from followup.app.wording import kind_label as kind_label
from followup.app.wording import local as local  # re-exported: the templates use them
from followup.app.wording import relative as relative
from followup.app.zones import label as zone_label
from followup.web import options
from followup.web.agenda_rows import agenda_rows
from followup.web.plain import linked, plain

NAV = (
    ("/", "Today"),
    ("/pipeline", "Applications"),  # one name: the link, the page's title and its heading
    ("/add", "Add"),
    ("/stats", "Stats"),
    ("/settings", "Settings"),
)
SHOWS_FLASHES = frozenset({"_agenda.html"})  # fragments that show the notices themselves


def iso_attr(dt: datetime | None) -> str:
    """For `<time datetime=…>`: machine-readable, UTC."""
    from followup.app.views import iso

    return iso(dt) or ""


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("followup.web", "templates"),
        autoescape=jinja2.select_autoescape(["html"], default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["local"] = local
    env.filters["iso"] = iso_attr
    env.filters["wait"] = wording.wait  # a step's wait: "48 h", "7 days"
    env.filters["plain"] = plain  # a use-case's message: the fix on the page, not a CLI flag
    env.filters["linked"] = linked  # …and an interview page it names as a link
    env.globals["relative"] = relative
    env.globals["agenda_rows"] = agenda_rows
    env.globals["kind_label"] = kind_label
    env.globals["step_label"] = wording.step_label  # "3 · final note", as `stats` says it
    env.globals["fading_hint"] = wording.FADING_HINT
    env.globals["custom_cadence"] = wording.CUSTOM_CADENCE_PAGE
    env.globals["zone_label"] = zone_label  # "UTC+1 (Etc/GMT-1)"
    env.globals["mail_test_said"] = wording.mail_test  # which part works, which failed
    env.globals["holidays_text"] = wording.holidays
    env.globals["nav"] = NAV
    # people as a header writes them: a name that looks like an address cannot pose as one
    env.globals["mailbox"] = shown_mailbox
    env.globals["person"] = person_label
    # the long option lists (every zone, every country), rendered once: web/options.py
    env.globals["zone_options"] = partial(options.zone_options, env)
    env.globals["country_choices"] = partial(options.country_choices, env)
    return env


def compile_all() -> None:
    """Every template compiled now (`followup serve`, before it answers): not on a first page."""
    env = environment()
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)


def render(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    """A page (or an htmx fragment: a template whose name starts with `_`)."""
    session = getattr(request.state, "session", None)
    base = {
        "request_path": request.url.path,
        "csrf": session.csrf if session is not None else "",
        "account": getattr(session, "user", None),  # server mode: who is signed in
        # what sends approved notes when due (WebConfig.sender): "Send when due" says it
        "sender": getattr(getattr(request.app.state, "config", None), "sender", "off"),
        "flashes": session.take_flashes()
        if session is not None and (name[0] != "_" or name in SHOWS_FLASHES)
        else [],
    }
    html = environment().get_template(name).render({**base, **values})
    return HTMLResponse(html, status_code=status)
