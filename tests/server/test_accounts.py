"""Accounts on a real PostgreSQL: argon2 hashes, sign-in, sessions, coach links."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

import pytest

from followup.app import accounts as acc_mod
from followup.app.accounts import AuthenticationFailed
from followup.app.errors import Conflict, InvalidInput, NotFound

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery staple"


def _row(database: Any, email: str) -> tuple[Any, ...]:
    with database.connection() as conn:
        row = conn.execute(
            "SELECT id, email, role, password_hash, disabled FROM followup.users WHERE email = %s",
            (email,),
        ).fetchone()
    assert row is not None
    return tuple(row)


def test_the_password_is_stored_only_as_an_argon2id_hash(accounts: Any, database: Any) -> None:
    user = acc_mod.add_user(accounts, "Ada@Example.ORG", "seeker", PASSWORD)
    assert user.email == "ada@example.org"
    _, email, role, stored, disabled = _row(database, "ada@example.org")
    assert (email, role, disabled) == ("ada@example.org", "seeker", False)
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    with database.connection() as conn:
        everything = conn.execute("SELECT * FROM followup.users").fetchall()
    assert PASSWORD not in repr(everything)


def test_a_seeker_gets_a_schema_and_a_coach_does_not(accounts: Any, database: Any) -> None:
    seeker = acc_mod.add_user(accounts, "s@example.org", "seeker", PASSWORD)
    coach = acc_mod.add_user(accounts, "c@example.org", "coach", PASSWORD)
    assert seeker.id in database.tenants()
    assert coach.id not in database.tenants()


def test_bad_input_is_refused_before_anything_is_written(accounts: Any, database: Any) -> None:
    for email, role, password in [
        ("not-an-address", "seeker", PASSWORD),
        ("a b@example.org", "seeker", PASSWORD),
        ("x@example.org", "boss", PASSWORD),
        ("x@example.org", "seeker", "short"),
        ("x@example.org", "seeker", "has\nnewline-in-it"),
    ]:
        with pytest.raises(InvalidInput):
            acc_mod.add_user(accounts, email, role, password)
    assert acc_mod.list_users(accounts) == []
    acc_mod.add_user(accounts, "x@example.org", "seeker", PASSWORD)
    with pytest.raises(Conflict):
        acc_mod.add_user(accounts, "X@example.org", "coach", PASSWORD)


def test_authenticate_right_wrong_unknown_disabled(accounts: Any) -> None:
    user = acc_mod.add_user(accounts, "ada@example.org", "seeker", PASSWORD)
    assert acc_mod.authenticate(accounts, " ADA@example.org ", PASSWORD).id == user.id
    messages = set()
    for email, password in [
        ("ada@example.org", PASSWORD + "!"),
        ("nobody@example.org", PASSWORD),
        ("not an address", PASSWORD),
        ("ada@example.org", ""),
    ]:
        with pytest.raises(AuthenticationFailed) as caught:
            acc_mod.authenticate(accounts, email, password)
        messages.add(str(caught.value))
    acc_mod.disable(accounts, "ada@example.org")
    with pytest.raises(AuthenticationFailed) as caught:
        acc_mod.authenticate(accounts, "ada@example.org", PASSWORD)
    messages.add(str(caught.value))
    assert messages == {"wrong e-mail address or password"}


def test_every_failure_costs_exactly_one_argon2_verification(accounts: Any) -> None:
    """No timing shortcut for an unknown address or a disabled account: each failure runs
    one verification with the same parameters (counted, not timed: this machine is shared)."""
    from followup.adapters.passwords import Argon2Passwords
    from tests.server.conftest import cheap_hasher

    class Counting(Argon2Passwords):
        verified: ClassVar[list[str]] = []

        def verify(self, password_hash: str, password: str) -> bool:
            self.verified.append(password_hash.split("$")[3])  # the parameters
            return super().verify(password_hash, password)

    counting = Counting(cheap_hasher())
    acc = accounts._replace(passwords=counting)
    acc_mod.add_user(acc, "ada@example.org", "seeker", PASSWORD)
    acc_mod.add_user(acc, "off@example.org", "seeker", PASSWORD)
    acc_mod.disable(acc, "off@example.org")
    for email, password in [
        ("ada@example.org", "wrong password!"),
        ("nobody@example.org", "wrong password!"),
        ("not an address", "wrong password!"),
        ("off@example.org", PASSWORD),
        ("nobody@example.org", "x" * 5000),
    ]:
        before = len(counting.verified)
        with pytest.raises(AuthenticationFailed):
            acc_mod.authenticate(acc, email, password)
        assert len(counting.verified) == before + 1, email
    assert len(set(counting.verified)) == 1  # the dummy hash has the real ones' parameters


def test_a_hash_made_with_old_parameters_is_renewed_at_sign_in(
    accounts: Any, database: Any
) -> None:
    from followup.adapters.passwords import Argon2Passwords
    from tests.server.conftest import cheap_hasher

    acc_mod.add_user(accounts, "ada@example.org", "seeker", PASSWORD)
    old = _row(database, "ada@example.org")[3]
    stronger = accounts._replace(passwords=Argon2Passwords())  # the defaults: stronger
    assert acc_mod.authenticate(stronger, "ada@example.org", PASSWORD)
    new = _row(database, "ada@example.org")[3]
    assert new != old and new.startswith("$argon2id$") and "m=65536" in new
    again = Argon2Passwords(cheap_hasher())
    assert not Argon2Passwords().needs_rehash(new) and again.verify(new, PASSWORD)


def test_sessions_are_stored_as_a_hash_and_end(accounts: Any, database: Any) -> None:
    acc_mod.add_user(accounts, "ada@example.org", "seeker", PASSWORD)
    signed = acc_mod.sign_in(accounts, "ada@example.org", PASSWORD, "192.0.2.1")
    assert len(signed.token) >= 43 and len(signed.csrf) >= 43
    with database.connection() as conn:
        rows = conn.execute("SELECT token_hash, csrf, expires_at FROM followup.sessions").fetchall()
    assert len(rows) == 1 and signed.token not in repr(rows)
    assert rows[0][0] == acc_mod.token_hash(signed.token)
    found = acc_mod.session(accounts, signed.token)
    assert found is not None and found.user.email == "ada@example.org"
    assert found.csrf == signed.csrf
    assert acc_mod.session(accounts, signed.token + "x") is None
    assert acc_mod.session(accounts, None) is None
    acc_mod.sign_out(accounts, signed.token)
    assert acc_mod.session(accounts, signed.token) is None


def test_a_session_expires_and_disabling_ends_them_all(accounts: Any) -> None:
    from followup.adapters.clock import FixedClock

    acc_mod.add_user(accounts, "ada@example.org", "seeker", PASSWORD)
    first = acc_mod.sign_in(accounts, "ada@example.org", PASSWORD, "192.0.2.1")
    later = accounts._replace(
        clock=FixedClock(accounts.clock.now() + acc_mod.SESSION_LIFETIME + timedelta(seconds=1))
    )
    assert acc_mod.session(accounts, first.token) is not None
    assert acc_mod.session(later, first.token) is None
    second = acc_mod.sign_in(accounts, "ada@example.org", PASSWORD, "192.0.2.1")
    acc_mod.disable(accounts, "ada@example.org")
    assert acc_mod.session(accounts, second.token) is None


def test_coach_links(accounts: Any) -> None:
    coach = acc_mod.add_user(accounts, "coach@example.org", "coach", PASSWORD)
    s1 = acc_mod.add_user(accounts, "s1@example.org", "seeker", PASSWORD)
    acc_mod.add_user(accounts, "s2@example.org", "seeker", PASSWORD)
    acc_mod.link(accounts, "coach@example.org", "s1@example.org")
    with pytest.raises(Conflict):
        acc_mod.link(accounts, "coach@example.org", "s1@example.org")
    with pytest.raises(InvalidInput):
        acc_mod.link(accounts, "s1@example.org", "s2@example.org")  # a seeker is no coach
    with pytest.raises(InvalidInput):
        acc_mod.link(accounts, "coach@example.org", "coach@example.org")
    with pytest.raises(NotFound):
        acc_mod.link(accounts, "coach@example.org", "nobody@example.org")
    assert [u.email for u in acc_mod.clients(accounts, coach)] == ["s1@example.org"]
    assert acc_mod.client_of(accounts, coach, s1.id).email == "s1@example.org"
    listed = {u.email: clients for u, clients in acc_mod.list_users(accounts)}
    assert listed["coach@example.org"] == ["s1@example.org"]
    acc_mod.unlink(accounts, "coach@example.org", "s1@example.org")
    with pytest.raises(NotFound):
        acc_mod.client_of(accounts, coach, s1.id)
    with pytest.raises(NotFound):
        acc_mod.unlink(accounts, "coach@example.org", "s1@example.org")
