"""Accounts in server mode: users, their roles, coach -> client links, sign-in sessions.

Use-cases only: the SQL is in adapters/store/accounts.py, the password hashing (argon2) in
adapters/passwords.py, the tenant schemas in adapters/store/postgres.py — each behind a port
(app/ports.py: AccountStore, PasswordHasher, Tenants).

- An e-mail address is the login name, kept lower-case; a role is seeker, coach or admin.
- A seeker gets a tenant of their own (a PostgreSQL schema) when the account is made; coaches
  and admins hold no follow-up data.
- `authenticate` costs one argon2 verification whatever the outcome (unknown address,
  disabled account, wrong password), so the time it takes does not tell which; the hash is
  renewed when the hasher's parameters have changed since it was made.
- A session is a random token (`secrets.token_urlsafe(32)`) that only the browser holds: the
  server keeps its SHA-256, the user, a CSRF secret and an expiry. Signing out deletes it.
- Sign-in attempts are limited per account from one client address, per account from all
  of them (more), and per client address (`Limit`): each attempt
  is counted in the database *before* its password is checked, so parallel attempts, from
  any number of web processes, cannot all get a verdict; past the free ones, each waits
  twice as long as the one before. A refusal says the same whatever the reason.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import re
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from followup.app.errors import Conflict, InvalidInput, NotFound
from followup.app.rows import Limit, User

if TYPE_CHECKING:
    from followup.app.ports import AccountStore, Clock, PasswordHasher, Tenants

ROLES = ("seeker", "coach", "admin")
SESSION_LIFETIME = timedelta(hours=12)
MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # argon2 takes any length; a cap keeps a request from costing much more
# A pragmatic address check: one @, a dotted domain, no spaces, quotes, brackets or controls.
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


class SignedIn(NamedTuple):
    """A live session: `token` goes to the browser (a cookie) and is never stored."""

    user: User
    token: str
    csrf: str
    expires_at: datetime


class Session(NamedTuple):
    """A session found by its token."""

    user: User
    token_hash: str
    csrf: str
    expires_at: datetime


class Accounts(NamedTuple):
    """What the account use-cases are handed (the composition root builds it)."""

    store: AccountStore
    passwords: PasswordHasher
    tenants: Tenants
    clock: Clock


class AuthenticationFailed(InvalidInput):
    """Wrong address or password, or a disabled account: one message for all three."""

    def __init__(self) -> None:
        super().__init__("wrong e-mail address or password")


class TooManyAttempts(InvalidInput):
    """The attempt was refused before its password was looked at: the account or the client
    must wait `retry_after` seconds. One message whatever the reason, so it tells nothing
    about whether the account exists or which limit was hit."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("too many sign-in attempts: wait a while and try again")
        self.retry_after = retry_after


# An account from one client address: a person who mistyped five times waits seconds; a
# guesser gets about a dozen tries in the first hour, then one an hour — and the account's
# owner, from anywhere else, is not held up by it (an attacker trial locked a seeker out by
# one wrong password per back-off). The account from every address together: many
# addresses guessing at it (a botnet) are held back too, later. A client address is shared
# more often (an office behind one NAT), so it gets more before the back-off, and is
# forgotten sooner.
ACCOUNT_FROM_CLIENT_LIMIT = Limit(free=5, cap=timedelta(hours=1), forget=timedelta(hours=24))
ACCOUNT_LIMIT = Limit(free=50, cap=timedelta(hours=1), forget=timedelta(hours=24))
CLIENT_LIMIT = Limit(free=20, cap=timedelta(hours=1), forget=timedelta(hours=1))


# --- checks -------------------------------------------------------------------------------


def normal_email(text: str) -> str:
    """The address as stored (trimmed, lower-case), or InvalidInput saying why not."""
    email = text.strip().lower()
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        raise InvalidInput(f"not an e-mail address: {text!r}")
    return email


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r} (one of: {', '.join(ROLES)})")
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"the password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(f"the password is longer than {MAX_PASSWORD} characters")
    if any(c in password for c in "\x00\r\n"):
        raise InvalidInput("the password cannot contain line breaks or NUL")
    return password


def token_hash(token: str) -> str:
    """What the store keeps of a session token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


# --- users --------------------------------------------------------------------------------


def add_user(acc: Accounts, email: str, role: str, password: str) -> User:
    """A new account; a seeker's tenant is created with it (and the account undone if not)."""
    email = normal_email(email)
    check_role(role)
    check_password(password)
    hashed = acc.passwords.hash(password)
    if acc.store.user_by_email(email) is not None:
        raise Conflict(f"{email} already has an account")
    user = acc.store.add_user(email, role, hashed, acc.clock.now())
    if role == "seeker":
        try:
            acc.tenants.create_tenant(user.id)
        except BaseException:
            acc.store.delete_user(user.id)  # nothing half-made: no account without its data
            raise
    return user


def find_user(acc: Accounts, email: str) -> User:
    found = acc.store.user_by_email(normal_email(email))
    if found is None:
        raise NotFound(f"no account for {email.strip().lower()}")
    return found.user


def list_users(acc: Accounts) -> list[tuple[User, list[str]]]:
    """Every account, by id, each with the addresses of its linked clients (for a coach)."""
    links = acc.store.links()
    by_id = {u.id: u for u in acc.store.users()}
    out = []
    for user in by_id.values():
        clients = sorted(by_id[c].email for c in links.get(user.id, ()) if c in by_id)
        out.append((user, clients))
    return out


def set_password(acc: Accounts, email: str, password: str) -> User:
    user = find_user(acc, email)
    check_password(password)
    acc.store.set_password_hash(user.id, acc.passwords.hash(password))
    acc.store.delete_sessions_of(user.id)
    acc.store.attempt_succeeded(account_key(user.email), None)  # a new password: try it now
    return user


def disable(acc: Accounts, email: str) -> User:
    """The account can no longer sign in, and its sessions end now; its data stays."""
    user = find_user(acc, email)
    acc.store.set_disabled(user.id, True)
    acc.store.delete_sessions_of(user.id)
    return user._replace(disabled=True)


def enable(acc: Accounts, email: str) -> User:
    user = find_user(acc, email)
    acc.store.set_disabled(user.id, False)
    return user._replace(disabled=False)


# --- coaches ------------------------------------------------------------------------------


def link(acc: Accounts, coach_email: str, client_email: str) -> tuple[User, User]:
    """Let a coach see a seeker's adherence numbers (never the notes themselves)."""
    coach, client = find_user(acc, coach_email), find_user(acc, client_email)
    if coach.role != "coach":
        raise InvalidInput(f"{coach.email} is a {coach.role}, not a coach")
    if client.role != "seeker":
        raise InvalidInput(f"{client.email} is a {client.role}: only seekers can be clients")
    if not acc.store.link(coach.id, client.id):
        raise Conflict(f"{client.email} is already a client of {coach.email}")
    return coach, client


def unlink(acc: Accounts, coach_email: str, client_email: str) -> tuple[User, User]:
    coach, client = find_user(acc, coach_email), find_user(acc, client_email)
    if not acc.store.unlink(coach.id, client.id):
        raise NotFound(f"{client.email} is not a client of {coach.email}")
    return coach, client


def clients(acc: Accounts, coach: User) -> list[User]:
    """The coach's linked clients, by e-mail address (disabled ones included, marked)."""
    return sorted(acc.store.clients_of(coach.id), key=lambda u: u.email)


def client_of(acc: Accounts, coach: User, client_id: int) -> User:
    """The client `client_id` of this coach; NotFound for anyone else (no hint who exists)."""
    for user in acc.store.clients_of(coach.id):
        if user.id == client_id:
            return user
    raise NotFound(f"no client {client_id}")


# --- signing in ---------------------------------------------------------------------------


def authenticate(acc: Accounts, email: str, password: str) -> User:
    """The user these credentials belong to, or AuthenticationFailed — the same way, and
    after one argon2 verification, whether the address is unknown, the account disabled or
    the password wrong."""
    try:
        address = normal_email(email)
    except InvalidInput:
        address = ""
    found = acc.store.user_by_email(address) if address else None
    if found is None or len(password) > MAX_PASSWORD:
        acc.passwords.verify(acc.passwords.dummy_hash(), password[:MAX_PASSWORD])
        raise AuthenticationFailed
    ok = acc.passwords.verify(found.password_hash, password)
    if not ok or found.user.disabled:
        raise AuthenticationFailed
    if acc.passwords.needs_rehash(found.password_hash):
        acc.store.set_password_hash(found.user.id, acc.passwords.hash(password))
    return found.user


def account_key(email: str) -> str:
    """The attempts' key of an address, existing or not (it must not matter which)."""
    try:
        return f"account:{normal_email(email)}"
    except InvalidInput:
        return f"account:{email.strip().lower()[:320]}"


def client_key(address: str) -> str:
    """The attempts' key of a client address: an IPv6 client counts by its /64, which one
    host usually gets whole (it could otherwise take a fresh address for each try)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return f"client:{address[:100]}"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"client:{ip.ipv4_mapped}"
        return f"client:{ipaddress.IPv6Network((ip, 64), strict=False)}"
    return f"client:{ip}"


def sign_in(acc: Accounts, email: str, password: str, client: str) -> SignedIn:
    """Check the credentials from this client address and open a session (expired ones are
    swept on the way), or TooManyAttempts / AuthenticationFailed.

    The attempt is counted against the account and the client before the password is
    checked, in one transaction that holds both counters: however many attempts run at
    once, only those the limits allow get a verdict. A success takes its own attempt back."""
    account, where = account_key(email), client_key(client)
    limits = [
        (f"{account}|{where}", ACCOUNT_FROM_CLIENT_LIMIT),
        (account, ACCOUNT_LIMIT),
        (where, CLIENT_LIMIT),
    ]
    wait = acc.store.count_attempt(limits, acc.clock.now())
    if wait > timedelta(0):
        raise TooManyAttempts(max(1, math.ceil(wait.total_seconds())))
    user = authenticate(acc, email, password)
    acc.store.attempt_succeeded(account, where)
    return open_session(acc, user)


def open_session(acc: Accounts, user: User) -> SignedIn:
    now = acc.clock.now()
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = now + SESSION_LIFETIME
    acc.store.purge_sessions(now)
    acc.store.add_session(token_hash(token), user.id, csrf, now, expires)
    return SignedIn(user, token, csrf, expires)


def session(acc: Accounts, token: str | None) -> Session | None:
    """The live session of this token, if any (expired, unknown or a disabled user: None)."""
    if not token or len(token) > 128:
        return None
    found = acc.store.session(token_hash(token))
    if found is None:
        return None
    user, csrf, expires_at = found
    if user.disabled or expires_at <= acc.clock.now():
        return None
    return Session(user, token_hash(token), csrf, expires_at)


def sign_out(acc: Accounts, token: str | None) -> None:
    if token:
        acc.store.delete_session(token_hash(token))
