"""The dashboard on a phone and with a keyboard (issue #16, item 7).

Every page of a realistic home — several interviews, a panel, a 200-character company, a long
video link — at 390×844 and 360×740 (phones) and at 1280×800: the page never scrolls
sideways (`scrollWidth <= innerWidth`) and logs no console error. Then the keyboard: a skip
link first, row buttons that say whose row they act on, input borders a person can see, and
focus that stays on the row after an htmx action.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.conftest import NewPage, Server, Shot, StartServer, Watched, followup, make_home

pytestmark = pytest.mark.integration

LONG_COMPANY = "Kestrel" + "Analytics" * 21 + "Ltd"  # 199 characters, no space to break at
LONG_ROLE = "Principal-Distributed-Systems-Reliability-Engineer-" * 3
LONG_LINK = "https://meet.example.com/j/" + "8" * 120 + "?pwd=" + "x" * 40
PHONES = ({"width": 390, "height": 844}, {"width": 360, "height": 740})
DESKTOP = {"width": 1280, "height": 800}


def login(page: Page, server: Server) -> None:
    response = page.goto(server.login_url)
    assert response is not None and response.ok
    expect(page).to_have_url(f"{server.base}/")


def realistic_home(tmp_path: Path) -> Path:
    home = make_home(tmp_path / "home")
    followup(home, "add", "--company", "Kestrel Analytics", "--role", "Data Engineer",
             "--at", "2026-11-20T16:30", "--tz", "Europe/Berlin",
             "--interviewer", "Ada Lovelace <ada@kestrel.example>",
             "--interviewer", "Bob Stone <bob@kestrel.example>",
             "--interviewer", "Carol Danvers <carol@kestrel.example>",
             "--topic", "the nightly batch that misses its window",
             "--skill", "Airflow")  # fmt: skip
    followup(home, "add", "--company", LONG_COMPANY, "--role", LONG_ROLE,
             "--at", "2026-11-10T10:00", "--tz", "America/New_York", "--location", LONG_LINK,
             "--interviewer",
             "Maximiliane Alexandrovna Featherstonehaugh-Wolfeschlegel"
             " <maximiliane.featherstonehaugh-wolfeschlegel"
             "@a-very-long-subdomain.example>")  # fmt: skip
    followup(home, "add", "--company", "Acme", "--role", "Backend Engineer",
             "--at", "2026-11-24T09:00", "--tz", "Asia/Kolkata",
             "--interviewer", "Dev Patel <dev@acme.example>")  # fmt: skip
    followup(home, "add", "--company", "Globex", "--role", "SRE",
             "--at", "2026-11-03T14:00", "--tz", "Europe/London",
             "--interviewer", "Eve Moneypenny <eve@globex.example>")  # fmt: skip
    followup(home, "add", "--company", "Initech", "--role", "Platform Engineer",
             "--at", "2026-11-12T11:00", "--tz", "Europe/Berlin",
             "--interviewer", "Frank Ocean <frank@initech.example>")  # fmt: skip
    followup(home, "replied", "5")
    return home


PAGES = (
    "/",
    "/?only=fading",
    "/?only=upcoming",
    "/interviews/1",
    "/interviews/2",
    "/interviews/2?step=2#drafts",
    "/interviews/5",
    "/add",
    "/pipeline",
    "/pipeline?stage=interviewing&q=a",
    "/pipeline?due=week&culture=startup",
    "/pipeline?q=cobalt&stage=interviewing&due=now",  # nothing found: why, and Clear
    "/stats",
    "/settings",
)
NOT_FOUND = ("/interviews/999", "/no-such-page")

SIDEWAYS = """() => {
  const inner = window.innerWidth;
  const wide = Array.from(document.querySelectorAll('body *'))
    .filter((el) => el.getBoundingClientRect().right > inner + 0.5)
    .slice(0, 3)
    .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className && typeof el.className === 'string' ? '.' + el.className : '')
      + ' → ' + Math.round(el.getBoundingClientRect().right));
  return {scroll: document.documentElement.scrollWidth, inner, wide};
}"""


def no_sideways_scroll(page: Page, where: str) -> None:
    found = page.evaluate(SIDEWAYS)
    assert found["scroll"] <= found["inner"], (
        f"{where}: {found['scroll']} px wide in a {found['inner']} px window;"
        f" widest: {found['wide']}"
    )


def console_errors(watched: Watched, *expected: int) -> list[str]:
    """The console's errors, but for Chromium's line about an expected error status."""
    allowed = tuple(f"status of {status} " for status in expected)
    return [
        line
        for line in watched.console
        if line.startswith("error:") and not (allowed and any(a in line for a in allowed))
    ]


@pytest.mark.parametrize("viewport", [*PHONES, DESKTOP], ids=["390", "360", "1280"])
def test_no_page_scrolls_sideways(
    viewport: dict[str, int],
    serve: StartServer,
    tmp_path: Path,
    new_page: NewPage,
    shot: Shot,
    watched: Watched,
) -> None:
    server = serve(realistic_home(tmp_path))
    page = new_page(viewport=viewport)
    login(page, server)
    for path in PAGES:
        response = page.goto(f"{server.base}{path}")
        assert response is not None and response.ok, path
        no_sideways_scroll(page, path)
        assert console_errors(watched) == [], path
        shot(page, path.strip("/").replace("/", "-").replace("?", "-").split("#")[0] or "today")
    page.get_by_test_id("nav-today").click()
    page.locator('[data-testid="agenda-row"][data-interview="2"]').get_by_test_id(
        "mark-sent"
    ).click()
    expect(page.get_by_test_id("done")).to_contain_text("sent")
    no_sideways_scroll(page, "Today after Mark sent")
    for path in NOT_FOUND:
        response = page.goto(f"{server.base}{path}")
        assert response is not None and response.status == 404, path
        no_sideways_scroll(page, path)
    assert console_errors(watched, 404) == []
    # without the session: the 401 page
    stranger = new_page(viewport=viewport)
    response = stranger.goto(f"{server.base}/")
    assert response is not None and response.status == 401
    no_sideways_scroll(stranger, "401")
    assert console_errors(watched, 404, 401) == []
    assert watched.errors == [] and watched.csp == []


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two CSS `rgb(r, g, b)` colours."""

    def luminance(css: str) -> float:
        channels = [int(x) / 255 for x in css[css.index("(") + 1 : -1].split(",")[:3]]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


FIELDS = """() => Array.from(document.querySelectorAll(
  'main input:not([type=hidden]), main select, main textarea')).map((el) => ({id: el.id,
  border: getComputedStyle(el).borderTopColor,
  paper: getComputedStyle(document.body).backgroundColor === 'rgba(0, 0, 0, 0)'
    ? getComputedStyle(document.documentElement).backgroundColor
    : getComputedStyle(document.body).backgroundColor,
  height: el.getBoundingClientRect().height, type: el.type}))"""

TARGETS = """() => Array.from(document.querySelectorAll(
  'button, a.button, .top nav a, label:has(> input[type=checkbox]),'
  + ' label:has(> input[type=radio]), a[data-testid=interview-link], .ended a, .failed-notes a'))
  .filter((el) => el.offsetParent !== null && !el.closest('[hidden]'))
  .map((el) => [el.getAttribute('aria-label') || el.textContent.trim(),
                Math.round(el.getBoundingClientRect().height)])
  .filter(([, h]) => h < 44)"""

FOCUSED = """() => { const el = document.activeElement;
  return {id: el.id, tag: el.tagName.toLowerCase(), testid: el.dataset.testid || '',
          row: el.closest('tr[id]') ? el.closest('tr[id]').id : ''}; }"""


def test_keyboard_skip_link_names_focus_and_borders(
    serve: StartServer, tmp_path: Path, new_page: NewPage, shot: Shot, watched: Watched
) -> None:
    server = serve(realistic_home(tmp_path))
    page = new_page(viewport=PHONES[0])
    login(page, server)

    # the first Tab stop skips the header: Enter lands in the main content
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["id"] == "skip"
    expect(page.get_by_test_id("skip")).to_be_visible()
    shot(page, "skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED)["id"] == "main"

    # every row's controls have a name of their own, saying whose row it is
    controls = page.locator(
        '[data-testid="agenda-row"] button, [data-testid="agenda-row"] a.button'
    )
    names = [c.get_attribute("aria-label") for c in controls.all()]
    # Draft, Mark sent, They replied's Record, and Snooze's 1 day, 3 days, next week — but
    # for a fading thank-you (Globex's, and the long-named company's): never snoozed
    fading = page.locator('[data-testid="agenda-row"].fading').count()
    assert fading == 2
    assert len(names) == 4 * 6 - fading * 3 and len(set(names)) == len(names), names
    expect(page.get_by_role("button", name="Mark sent — Acme, Dev Patel")).to_have_count(1)
    panel = "Kestrel Analytics, Ada Lovelace, Bob Stone, Carol Danvers"
    # "They replied…" asks first (when, who): its summary names the row too
    expect(page.locator(f'summary[aria-label="They replied — {panel}"]')).to_have_count(1)
    expect(page.get_by_role("link", name="Draft — Acme, Dev Patel")).to_have_count(1)

    # a panel's draft cards: each button names its note; saving keeps focus in the card
    page.goto(f"{server.base}/interviews/1")
    cards = page.get_by_test_id("draft-card")
    expect(cards).to_have_count(3)
    names = [b.get_attribute("aria-label") for b in cards.locator("button, a.button").all()]
    assert len(names) >= 3 * 2 and len(set(names)) == len(names), names
    bob = "1 · thank-you to Bob Stone"
    expect(page.get_by_role("button", name=f"Keep my text and check it — {bob}")).to_have_count(1)
    card = cards.nth(1)
    card_id = card.get_attribute("id")
    card.get_by_test_id("draft-save").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#{card_id}").get_by_test_id("saved")).to_be_visible()
    page.wait_for_function("document.activeElement !== document.body", timeout=5_000)
    assert page.evaluate(f"!!document.activeElement.closest('#{card_id}')")

    page.goto(f"{server.base}/")

    # Mark sent from the keyboard (a panel: which note and when are asked first, behind its
    # summary; empty means everyone, now): focus stays on that row
    page.locator("#mark-1 summary").focus()
    page.keyboard.press("Enter")
    page.locator("#mark-sent-1").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("done")).to_contain_text("sent")
    # where focus settles (htmx's own focus keeping and ours may pass through other places
    # first, on a loaded machine for long enough to be seen): that row, or the answer
    landed = (
        "() => { const el = document.activeElement;"
        " return (el.closest('tr[id]') || {}).id === 'agenda-row-1'"
        " || el.dataset.testid === 'done'; }"
    )
    try:
        page.wait_for_function(landed, timeout=5_000)
    except PlaywrightTimeoutError:
        raise AssertionError(f"focus after Mark sent: {page.evaluate(FOCUSED)}") from None

    # They replied: the row leaves the list, focus goes to "Done: they replied — Undo"
    page.locator("#reply-3 > summary").focus()  # it asks first: open, then record
    page.keyboard.press("Enter")
    page.locator("#record-reply-3").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("done")).to_contain_text("they replied")
    expect(page.locator("#agenda-row-3")).to_have_count(0)
    expect(page.get_by_test_id("done")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["testid"] == "undo-notice"
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("flashes")).to_contain_text("Undid: they replied")
    expect(page.locator("#agenda-row-3")).to_have_count(1)

    # touch targets: every button, button-like link and header link is 44 px tall on a phone
    for path in ("/", "/interviews/1", "/add", "/pipeline", "/settings"):
        page.goto(f"{server.base}{path}")
        short = page.evaluate(TARGETS)
        assert short == [], f"{path}: under 44 px: {short}"

    # the form fields: borders at >= 3:1 against the page, and 44 px tall on a phone
    for path in ("/add", "/interviews/1"):
        page.goto(f"{server.base}{path}")
        for field in page.evaluate(FIELDS):
            ratio = contrast(field["border"], field["paper"])
            assert ratio >= 3, f"{path} #{field['id']}: border {field['border']} at {ratio:.2f}:1"
            if field["type"] not in ("checkbox", "radio", "textarea") and field["height"]:
                assert field["height"] >= 44, f"{path} #{field['id']}: {field['height']} px tall"
    assert watched.errors == [] and watched.csp == []


# --- the server mode's pages (accounts: PostgreSQL) ------------------------------------------

LONG_EMAIL = "maximiliane.featherstonehaugh-wolfeschlegel@a-very-long-subdomain.example"
COUNTS = {"due_now": 3, "fading": 1, "overdue": 1, "due": 1, "upcoming": 4, "sent_on_time": 12,
          "sent_late": 2, "on_time_rate": 0.857}  # fmt: skip
SEQUENCES = {"open": 4, "replied": 3, "closed": 1, "offer": 1}  # as coaching.adherence_json
TOTALS = {"interviews": 9, "open": 4, "replied": 3, "closed": 1, "advanced": 1, "cancelled": 0,
          "rejected": 0, "role_closed": 0, "offer": 0, "notes_sent": 14}  # fmt: skip


def server_mode_pages() -> dict[str, str]:
    """The login, coach and admin pages as the server renders them, with long addresses
    (server mode needs PostgreSQL, which the e2e tests do not start: tests/server has it)."""
    from followup.web.pages import environment

    env = environment()
    account = {"email": LONG_EMAIL}
    base = {
        "request_path": "/coach",
        "csrf": "x",
        "flashes": [],
        "account": account,
        "sender": "elsewhere",
    }  # as pages.render gives every page
    clients = [
        {"id": n, "email": f"client{n}.{LONG_EMAIL}", "disabled": n == 2,
         "adherence": {**COUNTS, "sequences": SEQUENCES}}
        for n in (1, 2, 3)
    ]  # fmt: skip
    report = {
        "adherence": COUNTS,
        "grace_hours": 24,
        "outcomes": {
            "totals": TOTALS,
            "reply_rate_by_step": [
                {"step": 1, "kind": "thank-you", "sent": 9, "replied": 3, "rate": 0.333},
                {"step": 2, "kind": "follow-up", "sent": 5, "replied": 1, "rate": 0.2},
            ],
            "time_to_first_reply_days": {"median": 4.5, "p90": 9.0, "n": 4},
        },
    }
    users = [
        {"id": n, "email": f"user{n}.{LONG_EMAIL}", "role": role, "disabled": False,
         "clients": [f"client{m}.{LONG_EMAIL}" for m in range(3)] if role == "coach" else []}
        for n, role in enumerate(("admin", "coach", "seeker"), start=1)
    ]  # fmt: skip
    return {
        "login": env.get_template("login.html").render(
            {**base, "account": None, "request_path": "/login", "nav": (), "login_csrf": "x"},
            message="Wrong e-mail address or password.",
            next="/",
            email=LONG_EMAIL,
        ),
        "coach": env.get_template("coach.html").render(
            {**base, "nav": (("/coach", "Clients"),), "clients": clients}
        ),
        "coach-client": env.get_template("coach_client.html").render(
            {**base, "nav": (("/coach", "Clients"),), "client": clients[0], "report": report}
        ),
        "admin": env.get_template("admin.html").render(
            {**base, "request_path": "/admin", "nav": (("/admin", "Users"),), "users": users}
        ),
    }


def serve_html(body: str, route: Route) -> None:
    route.fulfill(body=body, content_type="text/html")


@pytest.mark.parametrize("viewport", [*PHONES, DESKTOP], ids=["390", "360", "1280"])
def test_the_server_modes_pages_do_not_scroll_sideways(
    viewport: dict[str, int], server: Server, new_page: NewPage, shot: Shot, watched: Watched
) -> None:
    """Served at the real server's address, so its stylesheet is the one they load."""
    page = new_page(viewport=viewport)
    for name, body in server_mode_pages().items():
        url = f"{server.base}/e2e-preview/{name}"
        page.route(url, partial(serve_html, body))
        page.goto(url)
        no_sideways_scroll(page, name)
        shot(page, name)
    assert console_errors(watched) == [] and watched.errors == []


def test_an_empty_home_at_a_phones_width(
    server: Server, new_page: NewPage, shot: Shot, watched: Watched
) -> None:
    """The first visit: the onboarding (with its terminal commands) and the empty pages."""
    page = new_page(viewport=PHONES[1])
    login(page, server)
    expect(page.get_by_test_id("onboarding")).to_be_visible()
    for path in ("/", "/pipeline", "/add", "/stats", "/settings"):
        page.goto(f"{server.base}{path}")
        no_sideways_scroll(page, f"empty {path}")
        shot(page, path.strip("/") or "today")
    assert console_errors(watched) == [] and watched.errors == [] and watched.csp == []
