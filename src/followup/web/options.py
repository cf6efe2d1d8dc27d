"""The long lists of options the forms show — every zone, every country — rendered once.

Such a list is the same on every page that shows it, but for which entry is selected, and
looping over six hundred zones and 250 countries in Jinja2 (an escape and a test per entry)
was most of the server time of Add, Settings and the interview page (docs/benchmarks.md).
So each list is rendered by its template once per (list, choice) and kept; a choice that is
not in the list selects nothing, which is the list rendered with no choice. Only the data
the template is given decides its output: no request, no session, nothing a user typed but
the choice (which, not in the list, is not kept).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import jinja2
from markupsafe import Markup

KEPT = 64  # (list, choice) pairs kept: a few lists, and the choices one person makes


def zone_options(env: jinja2.Environment, zones: Sequence[str]) -> Markup:
    """A datalist's `<option value=…>` per zone (_zone_options.html)."""
    return _rendered(env, "_zone_options.html", "zones", tuple(zones), "")


def country_choices(env: jinja2.Environment, countries: Mapping[str, str], chosen: str) -> Markup:
    """A `<select>`'s `<option>` per country, "Name (CODE)", `chosen` (a code) selected
    (_country_choices.html)."""
    return _rendered(
        env,
        "_country_choices.html",
        "countries",
        tuple(countries.items()),
        chosen if chosen in countries else "",
    )


@lru_cache(maxsize=KEPT)
def _rendered(
    env: jinja2.Environment, name: str, what: str, items: tuple[object, ...], chosen: str
) -> Markup:
    # the environment is passed in (pages.py owns it): options never imports pages
    return Markup(env.get_template(name).render({what: items, "chosen": chosen}))
