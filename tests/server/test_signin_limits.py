"""Sign-in limits in server mode (issue #11, item 3), on a real PostgreSQL.

The attempt is counted in the database before the password is checked, so parallel
attempts, spread over two web processes (two apps on one database), cannot all get a
verdict. The clock is fixed: the back-off is stepped through by moving it, never by sleeping.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from followup.adapters.clock import FixedClock
from followup.app import accounts as acc_mod
from tests.server.web import HOST, ORIGIN, PASSWORD, PORT, Browser

pytestmark = pytest.mark.integration

ADA = "ada@example.org"
WRONG = "not the password!"
PROXY = "testclient"  # TestClient's peer address: here it plays the proxy


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def make_app(accounts: Any, home: Path, clock: FixedClock) -> Iterator[Any]:
    """Web processes on one database: each app has its own ServerMode, as each process would."""
    from followup.bootstrap import close_databases
    from followup.web.app import create_app
    from followup.web.deps import WebConfig
    from followup.web.security import Sessions
    from followup.web.server_mode import ServerMode

    acc = accounts._replace(clock=clock)
    acc_mod.add_user(acc, ADA, "seeker", PASSWORD)

    def make(trusted: frozenset[str] = frozenset()) -> Any:
        mode = ServerMode(
            accounts=acc,
            home=str(home),
            port=PORT,
            allowed_hosts=frozenset({HOST}),
            trusted_proxies=trusted,
        )
        return create_app(WebConfig(str(home), PORT), Sessions(None), server=mode)

    try:
        yield make
    finally:
        close_databases()


def _browser(app: Any, browsers: list[Browser]) -> Browser:
    b = Browser(app)
    browsers.append(b)
    return b


def _page(response: Any, email: str) -> str:
    """The refusal page without what differs per browser: the form secret, the address."""
    return re.sub(r'name="csrf_token" value="[^"]+"', "", response.text.replace(email, "EMAIL"))


def test_sixty_parallel_attempts_get_at_most_five_verdicts(
    make_app: Any, browsers: list[Browser], clock: FixedClock
) -> None:
    apps = [make_app(), make_app()]  # two web processes share the limit
    attackers = [_browser(apps[i % 2], browsers) for i in range(60)]
    forms = [b.login_form() for b in attackers]
    start = threading.Barrier(len(attackers))

    def attempt(i: int) -> int:
        start.wait()
        response = attackers[i].client.post(
            "/login",
            data={"email": ADA, "password": WRONG, "csrf_token": forms[i]},
            headers={"Origin": ORIGIN},
            follow_redirects=False,
        )
        return int(response.status_code)

    with ThreadPoolExecutor(len(attackers)) as pool:
        statuses = Counter(pool.map(attempt, range(len(attackers))))
    assert statuses == {401: 5, 429: 55}

    # locked: the right password gets the same refusal, without being looked at
    right = _browser(apps[0], browsers).try_login(ADA, PASSWORD)
    assert right.status_code == 429 and right.headers["retry-after"] == "2"
    clock.advance(timedelta(seconds=2))
    assert _browser(apps[1], browsers).try_login(ADA, PASSWORD).status_code == 303


def test_each_attempt_past_five_waits_twice_as_long_and_a_success_resets(
    make_app: Any, browsers: list[Browser], clock: FixedClock
) -> None:
    b = _browser(make_app(), browsers)
    for _ in range(5):
        assert b.try_login(ADA, WRONG).status_code == 401
    for wait in (2, 4, 8, 16):
        refused = b.try_login(ADA, WRONG)
        assert refused.status_code == 429 and refused.headers["retry-after"] == str(wait)
        clock.advance(timedelta(seconds=wait - 1))
        early = b.try_login(ADA, PASSWORD)  # a refused attempt does not lengthen the wait
        assert early.status_code == 429 and early.headers["retry-after"] == "1"
        clock.advance(timedelta(seconds=1))
        assert b.try_login(ADA, WRONG).status_code == 401
    clock.advance(timedelta(seconds=32))
    assert b.try_login(ADA, PASSWORD).status_code == 303
    b = _browser(b.client.app, browsers)  # signed out again
    for _ in range(5):  # the account starts from zero again
        assert b.try_login(ADA, WRONG).status_code == 401
    assert b.try_login(ADA, WRONG).status_code == 429


def test_one_client_trying_many_accounts_is_limited_and_the_refusal_tells_nothing(
    make_app: Any, accounts: Any, browsers: list[Browser], clock: FixedClock
) -> None:
    app = make_app(frozenset({PROXY}))
    sprayer = _browser(app, browsers)
    sprayer.client.headers["X-Forwarded-For"] = "198.51.100.7"
    for i in range(acc_mod.CLIENT_LIMIT.free):
        assert sprayer.try_login(f"who{i}@example.org", WRONG).status_code == 401
    by_client = sprayer.try_login(ADA, PASSWORD)
    assert by_client.status_code == 429  # a fresh account, the right password: still refused

    # from elsewhere, the same account is fine: the limit was this client's
    elsewhere = _browser(app, browsers)
    elsewhere.client.headers["X-Forwarded-For"] = "203.0.113.20"
    assert elsewhere.try_login(ADA, PASSWORD).status_code == 303

    # the same page whether the client, a real account or an unknown address is locked
    clock.advance(timedelta(hours=2))
    pages = [_page(by_client, ADA)]
    for n, email in enumerate((ADA, "nobody@example.org")):
        other = _browser(app, browsers)
        other.client.headers["X-Forwarded-For"] = f"203.0.113.{30 + n}"
        for _ in range(5):
            assert other.try_login(email, WRONG).status_code == 401
        locked = other.try_login(email, WRONG)
        assert locked.status_code == 429
        pages.append(_page(locked, email))
    assert pages[0] == pages[1] == pages[2]
    assert "Too many sign-in attempts" in pages[0]


def test_behind_a_proxy_the_client_is_the_right_most_untrusted_hop(
    make_app: Any, browsers: list[Browser]
) -> None:
    """A client sends its own X-Forwarded-For, a new one each time; the proxy adds the real
    address after it (on the same line, or as a line of its own): the limit still holds."""
    app = make_app(frozenset({PROXY, "10.0.0.2"}))
    b = _browser(app, browsers)
    for i in range(acc_mod.CLIENT_LIMIT.free):
        spoofed = f"192.0.2.{i}"
        if i % 2:
            hops = [("X-Forwarded-For", f"{spoofed}, 198.51.100.7")]
        else:  # ... and a second proxy of ours in the chain
            hops = [("X-Forwarded-For", spoofed), ("X-Forwarded-For", "198.51.100.7, 10.0.0.2")]
        r = b.client.post(
            "/login",
            data={"email": f"who{i}@example.org", "password": WRONG, "csrf_token": b.login_form()},
            headers=[("Origin", ORIGIN), *hops],
            follow_redirects=False,
        )
        assert r.status_code == 401
    fresh = b.client.post(
        "/login",
        data={"email": ADA, "password": PASSWORD, "csrf_token": b.login_form()},
        headers=[("Origin", ORIGIN), ("X-Forwarded-For", "192.0.2.250, 198.51.100.7")],
        follow_redirects=False,
    )
    assert fresh.status_code == 429


@pytest.mark.parametrize(
    ("peer", "lines", "client"),
    [
        ("192.0.2.1", ["203.0.113.9"], "192.0.2.1"),  # not a proxy of ours: ignored
        ("10.0.0.1", [], "10.0.0.1"),
        ("10.0.0.1", ["203.0.113.9"], "203.0.113.9"),
        ("10.0.0.1", ["6.6.6.6, 203.0.113.9"], "203.0.113.9"),
        ("10.0.0.1", ["6.6.6.6", "203.0.113.9"], "203.0.113.9"),
        ("10.0.0.1", ["6.6.6.6, 203.0.113.9, 10.0.0.2"], "203.0.113.9"),
        ("10.0.0.1", ["6.6.6.6", "203.0.113.9,10.0.0.2", "10.0.0.1"], "203.0.113.9"),
        ("10.0.0.1", ["10.0.0.2"], "10.0.0.2"),  # nothing but our proxies
        ("10.0.0.1", ["2001:DB8::0:1"], "2001:db8::1"),
    ],
)
def test_client_address(peer: str, lines: list[str], client: str) -> None:
    from followup.web.server_mode import ServerMode

    mode = ServerMode(
        accounts=None,  # type: ignore[arg-type]  # not needed to read an address
        home=None,
        port=PORT,
        trusted_proxies=frozenset({"10.0.0.1", "10.0.0.2"}),
    )
    scope = {
        "client": (peer, 40000),
        "headers": [(b"x-forwarded-for", line.encode()) for line in lines],
    }
    assert mode.client_address(scope) == client


def test_an_ipv6_client_counts_by_its_64() -> None:
    assert acc_mod.client_key("2001:db8:1:2:aaaa::1") == acc_mod.client_key("2001:db8:1:2::9")
    assert acc_mod.client_key("2001:db8:1:3::1") != acc_mod.client_key("2001:db8:1:2::1")
    assert acc_mod.client_key("::ffff:192.0.2.1") == acc_mod.client_key("192.0.2.1")


def test_a_new_password_ends_the_wait(
    make_app: Any, accounts: Any, browsers: list[Browser], clock: FixedClock
) -> None:
    b = _browser(make_app(), browsers)
    for _ in range(5):
        assert b.try_login(ADA, WRONG).status_code == 401
    assert b.try_login(ADA, PASSWORD).status_code == 429
    new = "a brand new passphrase"
    acc_mod.set_password(accounts._replace(clock=clock), ADA, new)  # `followup users passwd`
    assert b.try_login(ADA, new).status_code == 303


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere(
    make_app: Any, browsers: list[Browser], clock: FixedClock
) -> None:
    """An attacker trial kept a seeker locked out with one wrong password per back-off from
    an address of its own: the owner, from theirs, still gets in; many addresses guessing
    together are held back by the account's own, larger, limit."""
    app = make_app(frozenset({PROXY}))

    def at(address: str) -> Browser:
        b = _browser(app, browsers)
        b.client.headers["X-Forwarded-For"] = address
        return b

    attacker = at("203.0.113.5")
    for _ in range(acc_mod.ACCOUNT_FROM_CLIENT_LIMIT.free):
        assert attacker.try_login(ADA, WRONG).status_code == 401
    assert attacker.try_login(ADA, WRONG).status_code == 429
    assert attacker.try_login(ADA, PASSWORD).status_code == 429  # that address waits
    owner = at("198.51.100.7")
    assert owner.try_login(ADA, PASSWORD).status_code == 303  # the owner does not

    # the owner's success started the account from zero, from every address: so did the
    # attacker's back-off
    assert at("203.0.113.5").try_login(ADA, WRONG).status_code == 401

    # a botnet: five tries from each of many addresses, until the account's own limit
    clock.advance(timedelta(days=2))  # everything before is forgotten
    tried = 0
    for n in range(20):
        bot = at(f"192.0.2.{n + 1}")
        for _ in range(acc_mod.ACCOUNT_FROM_CLIENT_LIMIT.free):
            status = bot.try_login(ADA, WRONG).status_code
            tried += status == 401
    assert tried == acc_mod.ACCOUNT_LIMIT.free  # then every address waits
    assert at("198.51.100.99").try_login(ADA, PASSWORD).status_code == 429
