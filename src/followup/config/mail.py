"""The user's mail account, from the `[mail]` settings, and its password from a safe place.

The password is never stored in plain text by followup: it comes from FOLLOWUP_MAIL_PASSWORD,
from `mail.password_command` (e.g. `pass show mail/work`), or from the OS keyring when one
exists. It is never logged or printed.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from typing import NamedTuple

from followup.app.errors import InvalidInput
from followup.app.mailsetup import BY_ID, DEFAULT_PORTS, Configured, Endpoint, Preset
from followup.app.oauth import OAUTH_PROVIDERS, PROVIDER_OF_PRESET, OAuthClient
from followup.config.settings import Settings
from followup.domain.replies.hiring import ATS_DOMAINS

# The applicant-tracking, scheduling and assessment relays: the classifier's list (one list
# for both). `mail.ats_domains` adds to it.
DEFAULT_ATS_DOMAINS = tuple(ATS_DOMAINS)

KEYRING_SERVICE = "followup"


def ats_domains(settings: Settings) -> tuple[str, ...]:
    """The built-in relays and the user's `mail.ats_domains` added to them."""
    return tuple(dict.fromkeys((*DEFAULT_ATS_DOMAINS, *settings.mail("ats_domains", ()))))


class Server(NamedTuple):
    host: str
    port: int
    security: str  # ssl | starttls | none


class MailAccount(NamedTuple):
    from_address: str
    aliases: tuple[str, ...]
    username: str
    smtp: Server | None
    imap: Server | None
    mode: str  # drafts | send
    max_batch: int
    ooo_default_days: int
    ats_domains: tuple[str, ...]
    password_command: str | None
    ca_file: str | None
    provider: str | None = None  # a preset's id (app/mailsetup.py): its servers by default
    copy_to_sent: bool = False  # file a copy of what SMTP sent in Sent (its SMTP does not)
    auth: str = "password"  # password | oauth2
    oauth: OAuthClient | None = None  # with auth = oauth2

    @property
    def preset(self) -> Preset | None:
        return BY_ID.get(self.provider or "")

    @property
    def own_addresses(self) -> frozenset[str]:
        return frozenset(a.lower() for a in (self.from_address, *self.aliases) if a)

    @property
    def name(self) -> str:
        """A stable key for per-account state (sync points)."""
        host = self.imap.host if self.imap else "-"
        return f"{self.username or self.from_address}@{host}"


def load_account(settings: Settings) -> MailAccount:
    """The configured account; InvalidInput naming what is missing."""
    from_address = settings.mail("from_address") or settings.sender_email
    if not from_address:
        raise InvalidInput("no From address: followup config set mail.from_address you@example.org")
    return MailAccount(
        from_address=from_address,
        aliases=tuple(settings.mail("aliases", [])),
        username=settings.mail("username") or from_address,
        smtp=_server(settings, "smtp"),
        imap=_server(settings, "imap"),
        mode=settings.mail("mode", "drafts"),
        max_batch=int(settings.mail("max_batch", 10)),
        ooo_default_days=int(settings.mail("ooo_default_days", 7)),
        ats_domains=ats_domains(settings),
        password_command=settings.mail("password_command"),
        ca_file=settings.mail("ca_file"),
        provider=settings.mail("provider"),
        copy_to_sent=_copy_to_sent(settings),
        auth=_auth(settings),
        # only an account that signs in with OAuth2 needs its client (and its checks)
        oauth=oauth_client(settings) if _auth(settings) == "oauth2" else None,
    )


def _auth(settings: Settings) -> str:
    """As set; else oauth2 where the preset signs in no other way (Microsoft)."""
    given = settings.mail("auth")
    if given:
        return str(given)
    preset = BY_ID.get(settings.mail("provider") or "")
    return "oauth2" if preset and preset.auth == ("oauth2",) else "password"


def oauth_client(settings: Settings, provider: str | None = None) -> OAuthClient | None:
    """The OAuth2 client the settings describe (None without a client id): a known
    provider's endpoints (Microsoft's with the tenant), or the generic mail.oauth.* ones."""
    client_id = settings.mail("oauth.client_id")
    if not client_id:
        return None
    preset = settings.mail("provider") or ""
    name = provider or settings.mail("oauth.provider") or PROVIDER_OF_PRESET.get(preset, "generic")
    mechanism = str(settings.mail("oauth.mechanism", "xoauth2")).upper()
    known = OAUTH_PROVIDERS.get(name)
    if known:
        tenant = settings.mail("oauth.tenant") or "common"
        return OAuthClient(
            name,
            known.flow,
            client_id,
            known.authorization_endpoint.format(tenant=tenant),
            known.token_endpoint.format(tenant=tenant),
            known.device_endpoint.format(tenant=tenant),
            settings.mail("oauth.scopes") or known.scopes,
            known.params,
            mechanism,
        )
    token = settings.mail("oauth.token_endpoint")
    device = settings.mail("oauth.device_endpoint") or ""
    authorize = settings.mail("oauth.authorization_endpoint") or ""
    if not token or not (device or authorize):
        raise InvalidInput(
            "a generic OAuth2 sign-in needs mail.oauth.token_endpoint and"
            " mail.oauth.device_endpoint or mail.oauth.authorization_endpoint"
        )
    return OAuthClient(
        "generic",
        "device" if device else "loopback",
        client_id,
        authorize,
        token,
        device,
        settings.mail("oauth.scopes") or "",
        (),
        mechanism,
    )


def _copy_to_sent(settings: Settings) -> bool:
    """As set; else as the preset says (no copy where SMTP files one: Gmail, Microsoft…);
    else none, as before presets (a server whose SMTP files none: set it to true)."""
    given = settings.mail("copy_to_sent")
    if given is not None:
        return bool(given)
    preset = BY_ID.get(settings.mail("provider") or "")
    return preset is not None and not preset.smtp_saves_sent


def _server(settings: Settings, kind: str) -> Server | None:
    """The server the settings name; what they leave out comes from the provider's preset
    (`mail.provider`, written by `mail setup`), then from the security mode's default."""
    preset = BY_ID.get(settings.mail("provider") or "")
    given = getattr(preset, kind) if preset else None
    host = settings.mail(f"{kind}_host") or (given.host if given else None)
    if not host:
        return None
    security = settings.mail(f"{kind}_security") or (given.security if given else "ssl")
    port = settings.mail(f"{kind}_port")
    if not port and given and given.host == host and given.security == security:
        port = given.port
    return Server(host, int(port or DEFAULT_PORTS[(kind, security)]), security)


def configured_servers(settings: Settings) -> Configured | None:
    """The IMAP and SMTP servers the settings already name (`mail setup` keeps them for an
    address it does not recognise); None unless both are named."""
    try:
        imap, smtp = _server(settings, "imap"), _server(settings, "smtp")
    except (ValueError, TypeError, KeyError):  # a hand-edited value config set would refuse
        return None
    if imap is None or smtp is None:
        return None
    explicit = bool(settings.mail("imap_host") and settings.mail("smtp_host"))
    preset = BY_ID.get(settings.mail("provider") or "")
    return Configured(preset, Endpoint(*imap), Endpoint(*smtp), explicit)


def password(account: MailAccount) -> str:
    """The mail password, from the environment, a command, or the OS keyring — in that order."""
    from_env = os.environ.get("FOLLOWUP_MAIL_PASSWORD")
    if from_env:
        return from_env
    if account.password_command:
        return from_command(account.password_command, "mail.password_command")
    found = _from_keyring(account.username)
    if found:
        return found
    raise InvalidInput(
        "no mail password: keep it in the OS keyring with followup mail password (or the"
        " dashboard's Settings), or set FOLLOWUP_MAIL_PASSWORD or mail.password_command"
        " (e.g. 'pass show mail')"
    )


def password_available(account: MailAccount) -> bool:
    """Whether `password` has somewhere to look (without running the command)."""
    if os.environ.get("FOLLOWUP_MAIL_PASSWORD") or account.password_command:
        return True
    return _from_keyring(account.username) is not None


def from_command(command: str, setting: str) -> str:
    """The first line a password command prints (its output is never shown in an error)."""
    try:
        done = subprocess.run(
            shlex.split(command), capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        raise InvalidInput(f"{setting} could not run: {exc}") from exc
    if done.returncode != 0:
        # stderr may be useful; stdout might hold a secret, so it is never shown
        why = done.stderr.strip().splitlines()[:1]
        raise InvalidInput(
            f"{setting} failed (exit {done.returncode})" + (f": {why[0]}" if why else "")
        )
    secret = done.stdout.splitlines()[0] if done.stdout else ""
    if not secret:
        raise InvalidInput(f"{setting} printed nothing")
    return secret


def _from_keyring(username: str) -> str | None:
    """The keyring's password, or None when there is no usable keyring (e.g. headless), or
    in server mode: there one keyring would serve every seeker, keyed by a login any of
    them may type (docs/deployment.md: mail secrets come from `mail.password_command`)."""
    if os.environ.get("FOLLOWUP_DATABASE_URL"):  # bootstrap.server_mode, read here
        return None
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        found = keyring.get_password(KEYRING_SERVICE, username)
    except (KeyringError, RuntimeError):  # NoKeyringError on a headless machine, among others
        return None
    return str(found) if found else None
