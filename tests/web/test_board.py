"""The board of applications (issue #16): search, filters, pages and moves."""

from __future__ import annotations

import re

import pytest

from tests.conftest import Run
from tests.web.conftest import Web
from tests.web.homes import realistic


@pytest.fixture
def ids(run: Run) -> dict[str, int]:
    return realistic(run)


def _cards(html: str, stage: str | None = None) -> list[str]:
    """The companies on the board (in one column), in order."""
    if stage is not None:
        start = html.index(f'data-testid="column-{stage}"')
        end = html.find("<section", start)
        html = html[start : end if end > 0 else None]
    return re.findall(r'class="card-title"><strong>([^<]*)</strong>', html)


def test_one_card_per_application_by_stage_with_its_next_action(
    web: Web, ids: dict[str, int]
) -> None:
    html = web.get("/pipeline").text
    assert _cards(html, "interviewing") == ["Umbrella", "Globex", "Acme"]
    assert _cards(html, "answered") == ["Initech"]
    assert _cards(html, "cancelled") == ["Hooli"]
    acme = html[html.index(f'data-interview="{ids["acme"]}"') :].split("</li>")[0]
    assert "Send the follow-up to Dan — due <time" in html  # umbrella, in the user's zone
    assert "CET</time>" in html and "UTC</time>" not in html
    assert "Ada Lovelace, Bob Stone" in acme
    assert f'href="/interviews/{ids["acme"]}"' in html


def test_search_and_filters_are_in_the_url_and_server_side(web: Web, ids: dict[str, int]) -> None:
    assert _cards(web.get("/pipeline?q=lovelace").text) == ["Acme"]  # a person
    assert _cards(web.get("/pipeline?q=PLATFORM").text) == ["Initech"]  # a role, any case
    assert _cards(web.get("/pipeline?culture=corporate").text) == ["Globex"]
    assert _cards(web.get("/pipeline?tone=casual").text) == ["Acme"]  # a startup's tone
    assert _cards(web.get("/pipeline?tone=formal").text) == ["Globex"]
    only = web.get("/pipeline?stage=cancelled").text
    assert _cards(only) == ["Hooli"] and 'data-testid="column-interviewing"' not in only
    assert _cards(web.get("/pipeline?q=lovelace+ADA").text) == ["Acme"]  # words, any order
    due_now = _cards(web.get("/pipeline?due=now").text)
    assert "Globex" in due_now and "Umbrella" not in due_now
    # the form shows what the URL chose (a shared link or the back button keeps them)
    html = web.get("/pipeline?q=acme&due=week&stage=offer").text
    assert 'value="acme"' in html and '<option value="week" selected>' in html
    assert re.search(r'id="filter-offer"\s+data-testid="filter-offer" checked', html)
    assert not re.search(r'id="filter-answered"\s+data-testid="filter-answered" checked', html)
    for bad in (
        "stage=bogus",
        "due=soon",
        "culture=chaotic",
        "tone=rude",
        "after=0",
        "q=" + "x" * 201,
    ):
        response = web.get(f"/pipeline?{bad}")
        assert response.status_code == 400, bad
        assert "Traceback" not in response.text


def test_htmx_swaps_only_the_results(web: Web, ids: dict[str, int]) -> None:
    headers = {"HX-Request": "true", "HX-Target": "board-results"}
    fragment = web.get("/pipeline?q=globex", headers=headers).text
    assert fragment.startswith('<div id="board-results"') and "<html" not in fragment
    assert _cards(fragment) == ["Globex"]


def test_a_long_column_pages_by_keyset(
    web: Web, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from followup.app import board

    monkeypatch.setattr(board, "COLUMN", 2)
    html = web.get("/pipeline").text
    assert _cards(html, "interviewing") == ["Umbrella", "Globex"]
    assert 'data-testid="column-size">(3)' in html
    umbrella = web.get("/api/board").json()["columns"][0]["cards"][1]["application_id"]
    link = f'href="/pipeline?stage=interviewing&amp;after={umbrella}"'
    assert link in html
    older = web.get(f"/pipeline?stage=interviewing&after={umbrella}").text
    assert _cards(older) == ["Acme"] and 'data-testid="column-more"' not in older


def test_moves_record_what_happened_through_the_use_cases_with_undo(
    web: Web, ids: dict[str, int]
) -> None:
    acme = ids["acme"]
    back = "/pipeline?q=acme"
    moved = web.post(
        f"/interviews/{acme}/move",
        {
            "to": "replied",
            "at": "2026-11-25T09:30",
            "interviewer": "ada@acme.example",
            "back": back,
            "confirmed": "1",  # the page asked (with JavaScript in its dialog)
        },
        follow_redirects=False,
    )
    assert moved.status_code == 303 and moved.headers["location"] == back
    page = web.get(back).text
    assert _cards(page, "answered") == ["Acme"]
    assert 'data-testid="undo-notice"' in page and "they replied (ada@acme.example)" in page
    shown = web.get(f"/api/interviews/{acme}").json()
    assert shown["status"] == "replied"
    event = re.search(r'name="event" value="(\d+)"', page)
    assert event is not None
    undone = web.post(f"/interviews/{acme}/undo", {"event": event.group(1), "back": "/pipeline"})
    assert undone.status_code == 200
    assert web.get(f"/api/interviews/{acme}").json()["status"] == "waiting"
    for to, stage in (("rejected", "rejected"), ("reopen", "interviewing"), ("offer", "offer")):
        assert web.post(f"/interviews/{acme}/move", {"to": to}).status_code == 200
        assert "Acme" in _cards(web.get("/pipeline").text, stage), to
    assert web.post(f"/interviews/{acme}/move", {"to": "cancelled"}).status_code == 200
    assert "Acme" in _cards(web.get("/pipeline").text, "cancelled")


def test_a_move_the_use_case_refuses_changes_nothing(web: Web, ids: dict[str, int]) -> None:
    hooli = ids["hooli"]  # cancelled
    refused = web.post(f"/interviews/{hooli}/move", {"to": "replied", "confirmed": "1"})
    assert refused.status_code == 409 and "reopen it first" in refused.text
    assert "--" not in re.sub(r"<[^>]+>", "", refused.text.split("<main", 1)[1])[:400]
    assert web.post(f"/interviews/{hooli}/move", {"to": ""}).status_code == 400
    assert web.post(f"/interviews/{hooli}/move", {"to": "sideways"}).status_code == 400
    assert web.post(f"/interviews/{hooli}/move", {"to": "offer", "at": "x"}).status_code == 400
    assert web.post("/interviews/99999/move", {"to": "offer"}).status_code == 404
    assert web.get(f"/api/interviews/{hooli}").json()["status"] == "cancelled"


def test_a_second_tabs_move_says_what_happened_meanwhile(web: Web, ids: dict[str, int]) -> None:
    """Two tabs move the same card: the first is recorded, the second says the card already
    moved and the way back — not a bare status."""
    acme = ids["acme"]
    assert web.post(f"/interviews/{acme}/move", {"to": "rejected"}).status_code == 200
    stale = web.post(f"/interviews/{acme}/move", {"to": "offer", "confirmed": "1"})
    assert stale.status_code == 409
    assert "already rejected" in stale.text and "undo it first" in stale.text
    assert web.get(f"/api/interviews/{acme}").json()["status"] == "rejected"


def test_the_move_needs_the_csrf_token(web: Web, ids: dict[str, int]) -> None:
    acme = ids["acme"]
    forged = web.client.post(
        f"/interviews/{acme}/move",
        data={"to": "rejected"},
        headers={"Origin": "http://127.0.0.1:8765"},
    )
    assert forged.status_code == 403
    assert web.get(f"/api/interviews/{acme}").json()["status"] == "waiting"


def test_the_board_twin_and_the_move_twin(web: Web, ids: dict[str, int]) -> None:
    shown = web.get("/api/board", params={"q": "initech"}).json()
    [card] = [c for col in shown["columns"] for c in col["cards"]]
    assert (card["company"], card["rounds"], card["people"]) == ("Initech", 1, ["Peter"])
    assert card["next_action"]["text"] == "Read their answer and reply"
    assert card["moves"] == ["rejected", "role-closed", "offer", "cancelled", "reopen"]
    moved = web.api("POST", f"/api/interviews/{ids['initech']}/move", json={"to": "offer"})
    assert moved.status_code == 200 and moved.json()["status"] == "offer"
    assert (
        web.api("POST", f"/api/interviews/{ids['initech']}/move", json={"to": "x"}).status_code
        == 400
    )


def _card(page: str, company: str) -> str:
    """One card's HTML, by its company."""
    start = page.rindex('<li class="card"', 0, page.index(f"<strong>{company}</strong>"))
    return page[start : page.index("</li>", start)]


def test_they_replied_without_javascript_asks_when_and_who_first(
    web: Web, ids: dict[str, int]
) -> None:
    acme = ids["acme"]
    back = "/pipeline?q=acme"
    asked = web.post(f"/interviews/{acme}/move", {"to": "replied", "back": back})
    assert asked.status_code == 200
    form = asked.text[asked.text.index('data-testid="move-confirm-form"') :]
    assert "They replied — Acme, Backend Engineer?" in asked.text
    assert 'name="confirmed" value="1"' in form and f'name="back" value="{back}"' in form
    assert 'name="at"' in form and 'name="interviewer"' in form
    assert f'href="{back}" id="move-cancel"' in form  # "Don't": back to the board as it was
    assert web.get(f"/api/interviews/{acme}").json()["status"] == "waiting"  # nothing yet
    done = web.post(
        f"/interviews/{acme}/move",
        {"to": "replied", "back": back, "confirmed": "1", "interviewer": "ada@acme.example"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == back
    assert web.get(f"/api/interviews/{acme}").json()["status"] == "replied"


def test_a_refused_move_is_said_by_its_card_on_the_board_as_it_was(
    web: Web, ids: dict[str, int]
) -> None:
    hooli = ids["hooli"]  # cancelled: a reply ends only an open sequence
    back = "/pipeline?q=hooli&stage=cancelled"
    refused = web.post(f"/interviews/{hooli}/move", {"to": "replied", "confirmed": "1",
                                                      "back": back})  # fmt: skip
    assert refused.status_code == 409
    page = refused.text
    assert 'data-testid="board"' in page and 'value="hooli"' in page  # the board, searched
    assert 'data-testid="error"' not in page  # not the error page
    card = _card(page, "Hooli")
    assert 'data-testid="move-error"' in card and "reopen it first" in card
    assert "--" not in re.sub(r"<[^>]+>", "", card)
    # with htmx: the one line, swapped into the card (a 200: htmx swaps no error), no board
    htmx = web.post(f"/interviews/{hooli}/move", {"to": "replied", "confirmed": "1"},
                    headers={"HX-Request": "true"})  # fmt: skip
    assert htmx.status_code == 200 and 'data-testid="move-error"' in htmx.text
    assert "reopen it first" in htmx.text and 'data-testid="board"' not in htmx.text
    assert web.get(f"/api/interviews/{hooli}").json()["status"] == "cancelled"


def test_a_move_by_htmx_lands_on_the_board_as_it_was_and_undo_keeps_it(
    web: Web, ids: dict[str, int]
) -> None:
    acme = ids["acme"]
    back = "/pipeline?q=acme&culture=startup"
    moved = web.post(f"/interviews/{acme}/move", {"to": "rejected", "back": back},
                     headers={"HX-Request": "true"})  # fmt: skip
    assert moved.status_code == 200 and moved.headers["HX-Redirect"] == back
    page = web.get(back).text
    undo = page[page.index('data-testid="done"') :]
    undo = undo[: undo.index("</form>")]
    assert 'name="back" value="/pipeline?q=acme&amp;culture=startup"' in undo
    event = re.search(r'name="event" value="(\d+)"', undo)
    assert event is not None
    undone = web.post(f"/interviews/{acme}/undo", {"event": event.group(1), "back": back},
                      follow_redirects=False)  # fmt: skip
    assert undone.status_code == 303 and undone.headers["location"] == back


def test_the_filters_wait_behind_a_disclosure_open_when_one_is_on(
    web: Web, ids: dict[str, int]
) -> None:
    plain_board = web.get("/pipeline").text
    more = re.search(r'<details class="more-filters"[^>]*>', plain_board)
    assert more is not None and " open" not in more.group(0)
    assert 'data-testid="board-q"' in plain_board[: more.start()]  # search stays in view
    assert 'name="stage"' in plain_board[more.end() : plain_board.index("</details>")]
    chosen = web.get("/pipeline?stage=answered&tone=casual").text
    more = re.search(r'<details class="more-filters"[^>]*>', chosen)
    assert more is not None and " open" in more.group(0)
    assert "Filters (2 on)" in _text(chosen)


def test_the_address_keeps_only_the_filters_set(web: Web, ids: dict[str, int]) -> None:
    """Issue #16 cold trial item 4: the address filled with empty fields
    (`?q=acme&due=&culture=&tone=`)."""
    plain = web.get("/pipeline?q=acme&due=&culture=&tone=", follow_redirects=False)
    assert plain.status_code == 303 and plain.headers["location"] == "/pipeline?q=acme"
    every = web.get("/pipeline?q=&stage=answered&due=week&culture=&tone=casual",
                    follow_redirects=False)  # fmt: skip
    assert every.headers["location"] == "/pipeline?stage=answered&due=week&tone=casual"
    emptied = web.get("/pipeline?due=&q=", follow_redirects=False)
    assert emptied.headers["location"] == "/pipeline"
    bad = web.get("/pipeline?q=acme&due=soon&tone=", follow_redirects=False)
    assert bad.status_code == 400  # said, not redirected away
    # htmx: the address pushed is the same, whatever the request carried
    headers = {"HX-Request": "true", "HX-Target": "board-results"}
    live = web.get("/pipeline?q=+acme+&stage=interviewing&due=&culture=&tone=", headers=headers)
    assert live.status_code == 200 and _cards(live.text) == ["Acme"]
    assert live.headers["HX-Push-Url"] == "/pipeline?stage=interviewing&q=acme"
    assert web.get("/pipeline?q=acme", follow_redirects=False).status_code == 200


FRAGMENT = {"HX-Request": "true", "HX-Target": "board-results"}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def test_an_empty_result_says_what_was_searched_and_which_filters_are_on(
    web: Web, ids: dict[str, int]
) -> None:
    """Issue #16 cold trial item 2: "No application matches. Add one." after a search with
    filters on (the disclosure closed, on a phone) did not say why."""
    for headers in ({}, FRAGMENT):  # the page, and htmx's live answer
        html = web.get("/pipeline?q=cobalt&stage=interviewing&due=now", headers=headers).text
        empty = html[html.index('data-testid="pipeline-empty"') :]
        empty = empty[: empty.index("</p>")]
        assert _text(empty).endswith(
            "No application matches “cobalt” with Interviewing, Due now. Clear the filters"
        ), _text(empty)
        assert 'href="/pipeline?q=cobalt"' in empty  # the filters off, the search kept
        assert "Add one" not in html
        assert re.search(r'id="board-count"[^>]*>No application matches “cobalt” with', html)
    searched = web.get("/pipeline?q=cobalt").text
    empty = searched[searched.index('data-testid="pipeline-empty"') :]
    assert _text(empty[: empty.index("</p>")]).endswith(
        "No application matches “cobalt”. Clear the search"
    )
    assert 'href="/pipeline" id="empty-clear"' in searched
    words = web.get("/pipeline?culture=startup&tone=formal&due=week").text
    assert "No application matches Due this week, startup culture, formal tone." in words
    hostile = web.get("/pipeline", params={"q": "<b>x"}).text
    assert "“&lt;b&gt;x”" in hostile and "<b>x" not in hostile


def test_a_live_change_puts_the_filters_count_and_clear_back_in_place(
    web: Web, ids: dict[str, int]
) -> None:
    """Issue #16 cold trial item 2: "Filters (2 on)" and Clear came only with a full page
    load; they sit outside the results htmx swaps, so the answer carries them out of band."""
    live = web.get("/pipeline?q=acme&stage=interviewing&tone=casual", headers=FRAGMENT).text
    count = re.search(r'<span id="board-more-count"[^>]*hx-swap-oob="true">([^<]*)</span>', live)
    assert count is not None and count.group(1) == " (2 on)"
    clear = re.search(r'<span id="board-clear" hx-swap-oob="true">(.*?)</span>', live)
    assert clear is not None and 'id="filter-clear"' in clear.group(1)
    assert re.search(r'id="board-count"[^>]*hx-swap-oob="innerHTML">1 application</p>', live)
    # nothing on: no count, no Clear (the answer empties them)
    plain = web.get("/pipeline", headers=FRAGMENT).text
    assert re.search(r'<span id="board-more-count"[^>]*hx-swap-oob="true"></span>', plain)
    assert re.search(r'<span id="board-clear" hx-swap-oob="true"></span>', plain)
    assert re.search(r'id="board-count"[^>]*>5 applications</p>', plain)
    page = web.get("/pipeline?stage=answered&due=now").text
    assert "hx-swap-oob" not in page and "(2 on)" in page and 'id="filter-clear"' in page
