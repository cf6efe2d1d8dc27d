"""The mail account from the dashboard's Settings: `mail setup`'s recognition and plan, the
password kept in the OS keyring, `mail test`'s checks with a short connect timeout, and
`mail login`'s device-code sign-in run in the background while the page polls.

Part of the composition root (it picks the keyring and the HTTP endpoints); web/ calls it
and never names an adapter.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any, NamedTuple

from followup.app import mailsetup
from followup.app.errors import InvalidInput
from followup.config import paths as paths_mod
from followup.config import settings as settings_mod
from followup.config.changes import FieldErrors

# A refused or unreachable server answers the Test button within this (seconds).
TEST_TIMEOUT = 5.0


class Account(NamedTuple):
    """What setting up the account from the form did (never the password)."""

    lines: list[str]  # mail setup's description of what it recognised
    written: dict[str, object]
    removed: tuple[str, ...]
    password_kept: bool
    oauth_only: bool  # the provider takes no password: sign in instead


def keep_mail_password(username: str, secret: str) -> None:
    """The mail password into the OS keyring, under the service `config/mail.py` reads
    (`followup`, the login): never config.toml. InvalidInput when there is no keyring."""
    from followup.adapters.secrets import KeyringStore
    from followup.bootstrap import server_mode
    from followup.config.mail import KEYRING_SERVICE

    if server_mode():  # one keyring for every seeker, keyed by the login alone (a coach trial)
        raise InvalidInput(
            "on a shared server mail passwords are not kept here: your administrator sets"
            " mail.password_command for your account (docs/deployment.md)"
        )
    KeyringStore(KEYRING_SERVICE).put(username, secret)


def set_up_account(home: str | None, address: str, username: str, password: str) -> Account:
    """`mail setup` from a form: recognise the provider of `address`, write only what differs
    from its preset, keep `password` (if given) in the keyring. FieldErrors by field."""
    from followup.bootstrap import mail_resolver
    from followup.config.mail import configured_servers

    address, username = address.strip(), username.strip()
    if not address:
        raise FieldErrors({"address": "give your e-mail address"})
    if username and any(c in username for c in "\r\n\0"):
        raise FieldErrors({"username": "expected a login on one line"})
    where = paths_mod.resolve(home)
    current = settings_mod.load(where.config_file)
    try:
        found = mailsetup.find(address, mail_resolver(), configured_servers(current))
    except InvalidInput as exc:
        raise FieldErrors({"address": str(exc)}) from exc
    plan = mailsetup.plan(found, current.values, username or None)
    oauth_only = not mailsetup.password_works(found.preset)
    if password and oauth_only:
        raise FieldErrors(
            {
                "password": f"{found.preset.name if found.preset else 'This provider'} takes no"
                " password: sign in with the button below"
            }
        )
    kept = False
    if password:  # first: a keyring that refuses leaves the config as it was
        login = username or found.username or found.address
        try:
            keep_mail_password(login, password)
        except InvalidInput as exc:
            raise FieldErrors({"password": str(exc)}) from exc
        kept = True
    try:
        settings_mod.update(where.config_file, plan.set, plan.remove)
    except InvalidInput as exc:
        raise FieldErrors({"address": str(exc)}) from exc
    return Account(mailsetup.describe(found), plan.set, plan.remove, kept, oauth_only)


def test_account(home: str | None) -> dict[str, Any]:
    """`mail test`'s checks (MailSetup.check) answered within about TEST_TIMEOUT whatever
    the servers do: SMTP and IMAP are tried side by side, each connect and each read or
    write given TEST_TIMEOUT, and a part still talking after it (a server that answers each
    line slowly) is said as not answering; its thread ends by its own timeouts.

    `seconds` in the answer: the wait, for the sentence that says what failed
    (wording.mail_test)."""
    from followup.bootstrap import ALLOW_PRIVATE, MailSetup, passed, shared_server_refuses

    first = MailSetup(home)  # a settings problem (no From address) is said as the error
    lines: dict[str, str] = {}
    servers = {"smtp": first.account.smtp, "imap": first.account.imap}
    for label, server in servers.items():
        inside = shared_server_refuses(server.host) if server is not None else None
        if server is not None and inside is not None:  # not tried: why
            lines[label] = (
                f"FAILED — {server.host} is {inside}: a shared server reaches public mail"
                f" servers only (its administrator allows others with {ALLOW_PRIVATE}=1)"
            )

    def part(label: str, setup: MailSetup) -> None:
        setup.connect_timeout = setup.io_timeout = TEST_TIMEOUT
        lines[label] = setup.check_part(label)

    workers = [
        threading.Thread(target=part, args=(label, setup), daemon=True, name=f"mail-test-{label}")
        for label, setup in (("smtp", first), ("imap", MailSetup(home)))
        if label not in lines
    ]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + TEST_TIMEOUT + 1.0  # margin: a slow TLS wrap, the keyring
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
    for label, server in servers.items():
        if label not in lines:  # still talking: each line answered, but too slowly
            where = f" {server.host}:{server.port}" if server else ""
            lines[label] = f"FAILED — cannot reach {label.upper()} server{where}: timed out"
    result: dict[str, Any] = {"smtp": lines["smtp"], "imap": lines["imap"]}
    return {**result, "ok": all(passed(line) for line in result.values()), "seconds": TEST_TIMEOUT}


class SignIn:
    """One device-code sign-in (`mail login`) running in a thread: the page shows `code`
    and polls `state` until it is "signed-in" or "failed"."""

    def __init__(self) -> None:
        self.state = "starting"  # starting | waiting | signed-in | failed
        self.user_code = ""
        self.verification_uri = ""
        self.message = ""
        self.started = time.monotonic()
        self._ready = threading.Event()

    def wait_for_code(self, seconds: float) -> None:
        self._ready.wait(seconds)

    def _show(self, code: Any) -> None:
        self.user_code, self.verification_uri = code.user_code, code.verification_uri
        self.state = "waiting"
        self._ready.set()

    def _fail(self, message: str) -> None:
        self.state, self.message = "failed", message
        self._ready.set()


def refused_sign_in(message: str) -> SignIn:
    """A sign-in that could not start (no client id, no keyring): its one line, to show."""
    sign_in = SignIn()
    sign_in._fail(message)
    return sign_in


_SIGN_INS: dict[str, SignIn] = {}
_LOCK = threading.Lock()


def sign_in_of(home: str | None) -> SignIn | None:
    """The sign-in running (or last run) for `home`'s account, if any."""
    return _SIGN_INS.get(str(paths_mod.resolve(home).config_file))


def start_sign_in(home: str | None) -> SignIn:
    """`mail login`'s device flow for the configured account, in a background thread; what
    it needs (a client id, a device endpoint, a keyring) is checked first, in one line."""
    from followup.app.oauth import OAuthError, device_sign_in
    from followup.bootstrap import MailSetup, device_endpoint, oauth_sign_in
    from followup.config.mail import oauth_client

    where = paths_mod.resolve(home)
    current = settings_mod.load(where.config_file)
    client = oauth_client(current)
    if client is None:
        raise InvalidInput(
            "OAuth2 needs the client id of the app you registered (docs/mail.md):"
            " set mail.oauth.client_id in the config file"
        )
    if client.flow != "device":
        raise InvalidInput(
            f"{client.provider} signs in through a browser window on this machine, not with a"
            " code: run followup mail login in a terminal"
        )
    setup = MailSetup(home)
    username = setup.account.username
    store, tokens = oauth_sign_in(client, setup.account.ca_file, TEST_TIMEOUT)
    device = device_endpoint(client, tokens)
    key = str(where.config_file)
    with _LOCK:
        running = _SIGN_INS.get(key)
        if running is not None and running.state in ("starting", "waiting"):
            return running
        sign_in = _SIGN_INS[key] = SignIn()

    def run() -> None:
        try:
            device_sign_in(device, store, setup.token_name(client), sign_in._show, time.sleep)
            values: dict[str, object] = {}
            if current.mail("auth") != "oauth2" and setup.account.auth != "oauth2":
                values["mail.auth"] = "oauth2"
            if values:
                settings_mod.update(where.config_file, values)
        except (OAuthError, InvalidInput) as exc:
            sign_in._fail(f"sign-in failed: {exc}")
        except Exception as exc:  # a thread's error must still reach the page, in one line
            sign_in._fail(f"sign-in failed: {type(exc).__name__}")
        else:
            sign_in.state = "signed-in"
            sign_in.message = f"Signed in as {username} ({client.provider})."

    threading.Thread(target=run, name="followup-sign-in", daemon=True).start()
    return sign_in


def forget_sign_ins() -> None:
    """Tests: no sign-in left from another test."""
    with _LOCK:
        _SIGN_INS.clear()


def config_file(home: str | None) -> Path:
    return paths_mod.resolve(home).config_file
