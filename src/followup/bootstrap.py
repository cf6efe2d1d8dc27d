"""The composition root: the one place that picks the adapters behind the ports."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from followup.app.context import Context
from followup.app.errors import Conflict, InvalidInput, NotFound, StoreUnavailable
from followup.app.parse import parse_datetime
from followup.config import paths as paths_mod
from followup.config import settings as settings_mod

if TYPE_CHECKING:
    from followup.adapters.calendar.caldav_push import CalDavTarget, PushResult
    from followup.adapters.store.postgres import PostgresDatabase
    from followup.app.mailports import Composer, Mailbox, Mailer
    from followup.app.mailsetup import Resolver
    from followup.app.oauth import (
        DeviceEndpoint,
        OAuthClient,
        Pkce,
        SecretStore,
        Tokens,
        TokenSet,
    )
    from followup.app.ports import (
        CalendarCodec,
        Clock,
        CoachFigures,
        Holidays,
        Store,
        Templates,
    )
    from followup.app.receiving import MailIdentity
    from followup.app.sending import Outbox
    from followup.domain.policy import Policy
    from followup.domain.replies import MessageFacts


def clock_from_env() -> Clock:
    """The system clock, or a fixed instant from FOLLOWUP_NOW (ISO-8601 with an offset)."""
    from followup.adapters.clock import FixedClock, SystemClock

    fixed = os.environ.get("FOLLOWUP_NOW")
    if not fixed:
        return SystemClock()
    instant, _ = parse_datetime(fixed, "UTC")
    return FixedClock(instant)


def open_context(
    home: str | Path | None = None,
    clock: Clock | None = None,
    *,
    user_id: int | None = None,
    create: bool = True,
) -> Context:
    """The context of the laptop's SQLite file, or, with FOLLOWUP_DATABASE_URL set (server
    mode), of one user's PostgreSQL schema: `user_id`, else the user FOLLOWUP_USER names.

    `create=False` is for the commands that only read (agenda, list, show, stats, export):
    they never create a home or a database. A home the user named (--home, FOLLOWUP_HOME)
    that does not exist is most likely a typo: StoreUnavailable, naming it. With no database
    yet (the platform's default home on a first run, or a home that holds only a config),
    they read an empty one, in memory, and nothing is written."""
    if os.environ.get(DATABASE_URL_ENV):
        return _server_context(home, clock, user_id)
    if user_id is not None:  # never serve the laptop's file as some user's data
        raise StoreUnavailable(f"a user's data needs server mode: set {DATABASE_URL_ENV}")
    from followup.adapters.store.sqlite import SqliteStore, StoreError

    where = paths_mod.resolve(home)
    database: Path | str = where.database
    if not create and not where.database.exists():
        named = home or os.environ.get("FOLLOWUP_HOME")
        if named and not where.home.exists():
            raise StoreUnavailable(
                f"{where.home} does not exist (--home or FOLLOWUP_HOME): check the path,"
                " or start there with followup add or followup import"
            )
        database = ":memory:"  # nothing recorded yet: read as empty, create nothing
    paths_mod.secure(where)
    settings = settings_mod.load(where.config_file)
    try:
        store = SqliteStore(database)
    except StoreError as exc:
        raise StoreUnavailable(str(exc)) from exc
    except OSError as exc:
        raise StoreUnavailable(f"cannot use {where.database}: {exc.strerror or exc}") from exc
    return _context(store, settings, where.config_file.parent, clock)


def _context(
    store: Store,
    settings: settings_mod.Settings,
    config_dir: Path,
    clock: Clock | None,
    holidays_dir: Path | None = None,
) -> Context:
    """`config_dir`: the user's own (templates, approval key); `holidays_dir`: where the
    holidays cache is kept (the install's, shared by its users; default `config_dir`)."""
    from followup.adapters.templates import TemplateLibrary
    from followup.domain.names import as_written

    try:
        policy = settings.policy()
    except InvalidInput as exc:
        raise StoreUnavailable(str(exc)) from exc
    ctx = Context(
        store=store,
        clock=clock or clock_from_env(),
        policy=policy,
        user_tz=settings.timezone,
        holidays=holiday_calendars(holidays_dir or config_dir),
        sender_name=as_written(settings.sender_name),  # "sam rivera" signs "Sam Rivera"
        sender_email=settings.sender_email,
        templates=TemplateLibrary(str(config_dir / "templates")),
        approval_key=functools.cache(lambda: _approval_key(config_dir)),  # read once a context
        zone_countries=_zone_countries,
        home_country=settings.values.get("country"),
        daily_limit=_daily_limit(settings),
    )
    if store.planned_policy() != ctx.planning_key:  # config.toml's policy changed
        from followup.app.services import follow_policy_change

        change = follow_policy_change(ctx)
        if change is not None and change.anything:
            ctx = ctx._replace(policy_change=change)
    return ctx


_calendars: dict[Path, Holidays] = {}


def holiday_calendars(directory: Path) -> Holidays:
    """The public-holiday calendars cached in `directory`, one object per directory and
    process: a worker's or the dashboard's every context shares what was read or computed
    (each country's year once), instead of reading the cache file again per context."""
    found = _calendars.get(directory)
    if found is None:
        from followup.adapters.holidays import HolidayCalendars

        found = _calendars.setdefault(directory, HolidayCalendars(cache_dir=directory))
    return found


@functools.cache
def holiday_countries() -> Mapping[str, str]:
    """The countries with a public-holiday calendar, code -> English name, sorted by name."""
    from followup.adapters.holidays import country_names

    return country_names()


def zone_country(tz: str) -> str | None:
    """The country the zone `tz` lies in (tzdata's zone.tab), if any."""
    return _zone_countries().get(tz)


def _daily_limit(settings: settings_mod.Settings) -> Any:
    """The account's daily sending limit: `mail.daily_limit`, else its preset's (Gmail's)."""
    provider, setting = settings.mail("provider"), settings.mail("daily_limit")
    if not provider and setting is None:
        return None  # most accounts: nothing imported
    from followup.app.pacing import limit_of

    address = settings.mail("from_address") or settings.sender_email or ""
    return limit_of(provider, setting, str(address))


def _zone_countries() -> Mapping[str, str]:
    from followup.adapters.zone_countries import zone_countries  # read once, when planning

    return zone_countries()


def _approval_key(config_dir: Path) -> bytes:
    from followup.config.keys import approval_key  # only when approving or sending

    try:
        return approval_key(config_dir)
    except OSError as exc:
        raise StoreUnavailable(f"the approval key: {exc}") from exc


# --- server mode (PostgreSQL) -------------------------------------------------------------

DATABASE_URL_ENV = "FOLLOWUP_DATABASE_URL"
# PostgreSQL itself when FOLLOWUP_DATABASE_URL goes through a pooler in transaction mode:
# what needs a server session of its own (db migrate's jobs, LISTEN) connects to this.
DIRECT_URL_ENV = "FOLLOWUP_DATABASE_DIRECT_URL"
USER_ENV = "FOLLOWUP_USER"
_databases: dict[str, PostgresDatabase] = {}


def server_mode() -> bool:
    """FOLLOWUP_DATABASE_URL is set: the data is in PostgreSQL, one schema per user."""
    return bool(os.environ.get(DATABASE_URL_ENV))


# Server mode: every connection to a mail server is a seeker's way to make the shared
# server open a connection to any host and port they typed, and the answer ("refused",
# "nothing answered", "works", an error's text) tells its own loopback and private network
# apart port by port. There a host that resolves to such an address is never tried — by Test
# connection, Send, Check mail or the workers — unless the administrator allows it (a
# campus relay).
ALLOW_PRIVATE = "FOLLOWUP_ALLOW_PRIVATE_MAIL_HOSTS"


def shared_server_refuses(host: str) -> str | None:
    """What kind of non-public address `host` resolves to ("a loopback address"), when
    the server is shared (server mode) and may not reach it; else None."""
    import ipaddress
    import socket

    if not server_mode() or os.environ.get(ALLOW_PRIVATE, "").strip() in ("1", "true", "yes"):
        return None
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return None  # not resolved: the connection says so itself
    for *_, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if address.is_loopback:
            return "a loopback address"
        if address.is_private or address.is_link_local or address.is_reserved:
            return "a private address"
        if address.is_unspecified or address.is_multicast:
            return "no mail server's address"
        if not address.is_global:  # shared (100.64/10: carrier-grade NAT, a VPN), benchmarks
            return "a non-public address"
    return None


def sender_problem(settings_dir: str | Path | None, address: str) -> str | None:
    """In server mode a seeker's notes go from the address they sign in with: a relay that
    asks no login (a campus relay) would otherwise carry any seeker's notes in anyone's
    name, and a mail login is no proof of an address either. What is wrong with `address`
    as the From of the seeker whose settings are in `settings_dir` (user_home), or None."""
    if not server_mode() or settings_dir is None:
        return None
    where = Path(settings_dir)
    user = where.name if where.parent.name == "users" and where.name.isdigit() else None
    owner = open_database().user_email(int(user)) if user else None
    if owner is None or address.strip().lower() == owner.lower():
        return None
    return (
        f"notes go from the address you sign in with, {owner}, on a shared server:"
        f" the From address {address} is not it (followup config set mail.from_address {owner})"
    )


def open_database() -> PostgresDatabase:
    """The PostgreSQL database FOLLOWUP_DATABASE_URL names, opened once per process (its pool
    is shared by every store of the process and closed at exit); FOLLOWUP_DATABASE_DIRECT_URL,
    if set, reaches the same database without a pooler (docs/deployment.md, PgBouncer)."""
    url = os.environ.get(DATABASE_URL_ENV, "")
    if not url:
        raise StoreUnavailable(f"server mode needs {DATABASE_URL_ENV}=postgresql://...")
    direct = os.environ.get(DIRECT_URL_ENV, "") or None
    key = f"{url}\n{direct or ''}"
    database = _databases.get(key)
    if database is None:
        try:
            from followup.adapters.store.postgres import PostgresDatabase
        except ImportError as exc:
            raise StoreUnavailable(
                f"{DATABASE_URL_ENV} is set but PostgreSQL support is not installed"
                f" ({exc.name}): pip install 'followup[server]'"
            ) from None
        import atexit

        database = _databases[key] = PostgresDatabase(url, direct_url=direct)
        atexit.register(database.close)
    return database


def close_databases() -> None:
    """Close the pools `open_database` opened (tests; a server's shutdown)."""
    while _databases:
        _, database = _databases.popitem()
        database.close()


def user_home(home: str | Path | None, user_id: int) -> Path:
    """A user's own settings and templates in server mode: <FOLLOWUP_HOME>/users/<id>/."""
    return paths_mod.resolve(home).home / "users" / str(int(user_id))


def _server_context(home: str | Path | None, clock: Clock | None, user_id: int | None) -> Context:
    database = open_database()
    if user_id is None:
        user_id = _user_from_env(database)
    own = user_home(home, user_id)
    settings = settings_mod.load(own / "config.toml")
    # Public holidays are the same for every seeker: one cache for the install, beside its
    # config, not one per seeker (each made by a seeker's first re-plan, and written).
    shared = paths_mod.resolve(home).config_file.parent
    return _context(database.tenant_store(user_id), settings, own, clock, shared)


def coach_figures() -> CoachFigures:
    """Every seeker's coach-view figures, kept in schema `followup` (server mode)."""
    from followup.adapters.store.coaching import PostgresCoachFigures

    return PostgresCoachFigures(open_database())


_policies: dict[Path, tuple[tuple[int, int, int] | None, Policy]] = {}


def client_policy(home: str | Path | None, user_id: int) -> Policy:
    """The cadence a user's own config.toml sets (server mode), as their context has it.

    Kept per process while the file stays the same (its inode, size and mtime): a coach's
    list needs every client's, and parsing 200 files costs ~80-200 ms here, a stat each
    ~3 ms for all. `config set` writes a new file, so a change is seen at the next read.
    Only the policy is read (settings.load_policy): another setting a client got wrong does
    not stop their coach's page."""
    path = user_home(home, user_id) / "config.toml"
    try:
        st = path.stat()
        key: tuple[int, int, int] | None = (st.st_ino, st.st_size, st.st_mtime_ns)
    except FileNotFoundError:
        key = None
    except OSError:
        return _policy_in(path)  # not kept: load() says what is wrong with it
    found = _policies.get(path)
    if found is not None and found[0] == key:
        return found[1]
    policy = _policy_in(path)
    if len(_policies) >= 100_000:
        _policies.clear()
    _policies[path] = (key, policy)
    return policy


def _policy_in(path: Path) -> Policy:
    try:
        return settings_mod.load_policy(path)
    except InvalidInput as exc:
        raise StoreUnavailable(str(exc)) from exc


def _user_from_env(database: PostgresDatabase) -> int:
    """The user FOLLOWUP_USER names (the CLI's way to say whose data, in server mode)."""
    email = os.environ.get(USER_ENV, "").strip()
    if not email:
        raise StoreUnavailable(
            f"{DATABASE_URL_ENV} is set (server mode): say whose data to use with"
            f" {USER_ENV}=their e-mail address"
        )
    found = database.user_by_email(email)
    if found is None:
        raise NotFound(f"no user {email} in the server database ({USER_ENV})")
    user_id, disabled = found
    if disabled:
        raise Conflict(f"the user {email} is disabled")
    return user_id


def settings_home(home: str | Path | None) -> str | Path | None:
    """Where a CLI command's settings live: the laptop's home or, in server mode with
    FOLLOWUP_USER, that user's own home (so `config set` and the mail account are theirs)."""
    if not (server_mode() and os.environ.get(USER_ENV, "").strip()):
        return home
    return user_home(home, _user_from_env(open_database()))


def composer() -> Composer:
    """How a note becomes RFC 5322 bytes (every header checked): for a .eml file."""
    from followup.adapters.mail.message import compose

    return compose


OAUTH_SECRET_ENV = "FOLLOWUP_OAUTH_CLIENT_SECRET"  # Google's installed apps have one


def mail_resolver() -> Resolver:
    """The DNS and autoconfig lookups of `mail setup`. dnspython (~0.2 s) is loaded at the
    first lookup: an address at a preset's domain needs none."""
    return _LazyResolver()


class _LazyResolver:
    def __init__(self) -> None:
        self._real: Resolver | None = None

    def _resolver(self) -> Resolver:
        if self._real is None:
            from followup.adapters.mail.discovery import DnsResolver

            self._real = DnsResolver(may_reach=lambda host: shared_server_refuses(host) is None)
        return self._real

    @property
    def failed(self) -> bool:
        return bool(getattr(self._real, "failed", False))

    def mx(self, domain: str) -> list[str]:
        return self._resolver().mx(domain)

    def srv(self, name: str) -> list[tuple[str, int]]:
        return self._resolver().srv(name)

    def autoconfig(self, domain: str, address: str) -> bytes | None:
        return self._resolver().autoconfig(domain, address)


def oauth_sign_in(
    client: OAuthClient, ca_file: str | None, timeout: float | None = None
) -> tuple[SecretStore, Any]:
    """`mail login`'s keyring (refused when there is none) and token endpoint; `timeout`:
    seconds for each exchange (None: the endpoint's own 20)."""
    from followup.adapters.mail.oauth_http import HttpTokenEndpoint
    from followup.adapters.secrets import KeyringStore

    store = KeyringStore()
    endpoint = HttpTokenEndpoint(
        client.token_endpoint,
        client.client_id,
        client.scopes,
        clock_from_env().now,
        os.environ.get(OAUTH_SECRET_ENV),
        ca_file=ca_file,
        **({} if timeout is None else {"timeout": timeout}),
    )
    return store, endpoint


def device_endpoint(client: OAuthClient, tokens: Any) -> DeviceEndpoint:
    from followup.adapters.mail.oauth_http import HttpDeviceEndpoint

    return HttpDeviceEndpoint(client.device_endpoint, tokens)


def loopback_sign_in(
    client: OAuthClient, tokens: Any, params: dict[str, str], pkce: Pkce, show: Any
) -> TokenSet:
    from followup.adapters.mail.oauth_http import loopback_sign_in as sign_in

    return sign_in(client.authorization_endpoint, params, tokens, pkce, show)


# Each read and write on a mail connection (the adapters' default): a slow DATA is waited for.
MAIL_TIMEOUT = 30.0


class MailSetup:
    """The mail adapters for the configured account, each created on first use."""

    def __init__(self, home: str | Path | None, connect_timeout: float | None = None) -> None:
        """`connect_timeout`: seconds to reach a server (the dashboard's 5: it says a refused
        or unreachable server at once); None: the adapters' own (30)."""
        from followup.config.mail import load_account

        where = paths_mod.resolve(home)
        self.account = load_account(settings_mod.load(where.config_file))
        self._settings_dir = where.home
        self.connect_timeout: float | None = connect_timeout  # None: the adapters' 30 s
        # each read and write once connected (the greeting, the login); None: MAIL_TIMEOUT.
        # The Test button bounds them too: a server that accepts and never answers
        self.io_timeout: float | None = None
        self._mailbox: Mailbox | None = None
        self._tokens: Tokens | None = None

    def _password(self) -> str:
        from followup.config.mail import password

        return password(self.account)

    def tokens(self) -> Tokens | None:
        """The OAuth2 access tokens when the account signs in with OAuth2 (mail.auth)."""
        if self.account.auth != "oauth2":
            return None
        if self._tokens is None:
            from followup.adapters.mail.oauth_http import HttpTokenEndpoint
            from followup.adapters.secrets import KeyringStore
            from followup.app.oauth import Tokens

            client = self.oauth_client()
            clock = clock_from_env()
            endpoint = HttpTokenEndpoint(
                client.token_endpoint,
                client.client_id,
                client.scopes,
                clock.now,
                os.environ.get(OAUTH_SECRET_ENV),
                ca_file=self.account.ca_file,
                # the dashboard's short budget holds for the token endpoint too, and one
                # refresh per request (each MailSetup) at most when it fails
                **({} if self.connect_timeout is None else {"timeout": self.connect_timeout}),
            )
            self._tokens = Tokens(
                self.token_name(client),
                endpoint,
                KeyringStore(),
                clock.now,
                one_try=self.connect_timeout is not None,
            )
        return self._tokens

    def token_name(self, client: OAuthClient) -> str:
        """The keyring entry of this account's sign-in. In server mode one keyring serves
        every seeker: the entry is also the seeker's own (their settings directory), else
        one who typed another's mail login would send with the other's sign-in."""
        name = client.key(self.account.username)
        return f"{name}@{self._settings_dir}" if server_mode() else name

    def oauth_client(self) -> OAuthClient:
        client = self.account.oauth
        if client is None:
            raise InvalidInput(
                "OAuth2 needs the client id of the app you registered (docs/mail.md):"
                " followup config set mail.oauth.client_id ID, then followup mail login"
            )
        return client

    def _refused_hint(self, host: str) -> str:
        """What a refused connection means for the preset's own servers (Proton's Bridge)."""
        preset = self.account.preset
        if preset is None or host not in (preset.imap.host, preset.smtp.host):
            return ""
        return preset.unreachable

    def _mechanism(self) -> str:
        return self.account.oauth.mechanism if self.account.oauth else "XOAUTH2"

    def has_password(self) -> bool:
        """A password is at hand (the environment, a command, the keyring), unread."""
        from followup.config.mail import password_available

        return password_available(self.account)

    def _may_reach(self, host: str) -> None:
        """A shared server's own network is no seeker's mail server (`shared_server_refuses`):
        refused before any connection, as Test connection says it (a coach trial: Send went
        to the server's loopback ports and said what answered)."""
        inside = shared_server_refuses(host)
        if inside is not None:
            raise InvalidInput(
                f"{host} is {inside}: a shared server reaches public mail servers only (its"
                f" administrator allows others with {ALLOW_PRIVATE}=1)"
            )

    def _may_send_as(self, address: str) -> None:
        problem = sender_problem(self._settings_dir, address)
        if problem:
            raise InvalidInput(problem)

    def mailer(self) -> Mailer | None:
        from followup.adapters.mail.smtp import SmtpMailer

        server = self.account.smtp
        if server is None:
            return None
        self._may_reach(server.host)
        return SmtpMailer(
            server.host,
            server.port,
            server.security,
            self.account.username,
            self._password,
            ca_file=self.account.ca_file,
            oauth=self.tokens(),
            mechanism=self._mechanism(),
            connect_timeout=self.connect_timeout,
            refused_hint=self._refused_hint(server.host),
            timeout=self._io_timeout(),
        )

    def _io_timeout(self) -> float:
        return MAIL_TIMEOUT if self.io_timeout is None else self.io_timeout

    def mailbox(self) -> Mailbox | None:
        from followup.adapters.mail.imap import ImapMailbox

        server = self.account.imap
        if server is None:
            return None
        self._may_reach(server.host)
        if self._mailbox is None:
            preset = self.account.preset
            self._mailbox = ImapMailbox(
                server.host,
                server.port,
                server.security,
                self.account.username,
                self._password,
                ca_file=self.account.ca_file,
                fallback_folders={"sent": preset.sent_folder, "drafts": preset.drafts_folder}
                if preset
                else None,
                oauth=self.tokens(),
                mechanism=self._mechanism(),
                connect_timeout=self.connect_timeout,
                refused_hint=self._refused_hint(server.host),
                timeout=self._io_timeout(),
            )
        return self._mailbox

    def outbox(self, sender_name: str) -> Outbox:
        from followup.adapters.mail.message import compose, redate
        from followup.app.parse import format_mailbox
        from followup.app.sending import Outbox

        address = self.account.from_address
        self._may_send_as(address)
        return Outbox(
            sender=format_mailbox(sender_name, address),
            sender_address=address,
            compose=compose,
            mailer=self.mailer(),
            mailbox=self.mailbox(),
            redate=redate,
            copy_to_sent=self.account.copy_to_sent,
            sends=self.account.mode != "drafts",
        )

    def inbox_reader(self, ctx: Context) -> Callable[[], object] | None:
        """Read new mail once into `ctx` (replies stop sequences); None without IMAP."""
        mailbox = self.mailbox()
        if mailbox is None:
            return None
        from followup.adapters.mail.inbound import facts_from_bytes
        from followup.app import syncing

        return lambda: syncing.sync(ctx, mailbox, self.identity(), facts_from_bytes)

    def identity(self) -> MailIdentity:
        from followup.app.receiving import MailIdentity

        return MailIdentity(
            account=self.account.name,
            own_addresses=self.account.own_addresses,
            ats_domains=self.account.ats_domains,
            ooo_default_days=self.account.ooo_default_days,
            calendar=calendar_codec,
        )

    def check(self) -> dict[str, Any]:
        """`mail test`: each connection tried, and exactly what is wrong; closes them after."""
        lines = {label: self.check_part(label) for label in ("smtp", "imap")}
        return {**lines, "ok": all(passed(line) for line in lines.values())}

    def check_part(self, label: str) -> str:
        """One of `mail test`'s lines: "smtp" or "imap" tried ("FAILED — why" when it
        failed, "not configured (…)" without a server); its connection closed after."""
        from followup.app.mailports import MailError

        make = self.mailer if label == "smtp" else self.mailbox
        try:
            adapter: Mailer | Mailbox | None = make()
            if adapter is None:
                return f"not configured (set mail.{label}_host)"
            return str(adapter.check())
        except (MailError, InvalidInput) as exc:
            return f"FAILED — {exc}"
        finally:
            if label == "imap":
                self.close()

    def close(self) -> None:
        if self._mailbox is not None:
            self._mailbox.close()


def passed(line: str) -> bool:
    """Whether a line of `mail test` (MailSetup.check_part) says the part works."""
    return not line.startswith(("FAILED", "not configured"))


def hang_up_mail() -> None:
    """End the SMTP connections a worker parked between visits (adapters/mail/smtp.py)."""
    if "followup.adapters.mail.smtp" in sys.modules:  # nothing to end if none was made
        from followup.adapters.mail.smtp import hang_up_parked

        hang_up_parked()


# --- the adapters cli/ and web/ use directly (they import no adapter themselves) ----------


def calendar_codec() -> CalendarCodec:
    """iCalendar in and out (icalendar: imported only by the commands that read or write it)."""
    from followup.adapters.calendar.ics import CODEC

    return CODEC


def web_calendar_codec() -> CalendarCodec:
    """The codec for the dashboard's uploads: parsing off the web process
    (adapters/calendar/isolated.py)."""
    from followup.adapters.calendar.isolated import IsolatedCodec

    return IsolatedCodec()


def mail_identity(home: str | Path | None) -> MailIdentity:
    """Who the user is for reading mail (`receive`, `reclassify`): the mail account's, or —
    with no From address set up — nobody's own mail, the default relays."""
    from followup.app.errors import InvalidInput
    from followup.app.receiving import MailIdentity
    from followup.config.mail import ats_domains

    try:
        return MailSetup(home).identity()
    except InvalidInput:
        settings = settings_mod.load(paths_mod.resolve(home).config_file)
        return MailIdentity(
            account="-",
            own_addresses=frozenset(),
            ats_domains=ats_domains(settings),
            ooo_default_days=int(settings.mail("ooo_default_days", 7)),
            calendar=calendar_codec,
        )


def message_facts(raw: bytes) -> MessageFacts:
    """What the reply classifier needs of an inbound message (the email package's parse)."""
    from followup.adapters.mail.inbound import facts_from_bytes

    return facts_from_bytes(raw)


def mailto_link(to: str, subject: str, body: str) -> str:
    """An RFC 6068 `mailto:` link for a draft (the address and subject checked)."""
    from followup.adapters.mail import message

    return message.mailto_link(to, subject, body)


def template_file(templates: Templates | None, kind: str, tone: str) -> tuple[str, str] | None:
    """Where a note of `kind` in `tone` renders from: ("yours" or "built-in", the file); None
    when the templates are not files (a test's stand-in). A broken file: InvalidInput."""
    from followup.adapters.templates import BUILTIN_DIR, TemplateLibrary

    if not isinstance(templates, TemplateLibrary):
        return None
    origin = templates.find(kind, tone).origin
    return ("built-in" if origin.startswith(BUILTIN_DIR) else "yours", origin)


def sqlite_versions(home: str | Path | None) -> tuple[Path, int, int]:
    """The laptop's database file, its schema version (read only: 0 before the first use) and
    the newest version this followup ships."""
    from followup.adapters.store.sqlite import StoreError, file_version, latest_version

    path = paths_mod.resolve(home).database
    try:
        return path, file_version(path), latest_version()
    except StoreError as exc:
        raise StoreUnavailable(str(exc)) from None


def migrate_sqlite(home: str | Path | None) -> tuple[Path, int, list[str]]:
    """Bring the laptop's database file up to date: (the file, its version, what was applied)."""
    from followup.adapters.store.sqlite import SqliteStore, StoreError, migrations

    path, before, _ = sqlite_versions(home)
    try:
        store = SqliteStore(path)  # opening the file migrates it
    except StoreError as exc:
        raise StoreUnavailable(str(exc)) from None
    except OSError as exc:
        raise StoreUnavailable(f"cannot use {path}: {exc.strerror or exc}") from None
    try:
        after = store.schema_version()
    finally:
        store.close()
    return path, after, [f"{v:04d}_{name}" for v, name, _ in migrations() if before < v <= after]


# --- CalDAV (the optional extra) ----------------------------------------------------------

DEFAULT_CALENDAR = "followup"


def caldav_push(ctx: Context, home: str | Path | None, todo: bool) -> PushResult:
    """`caldav push`: the `[caldav]` settings of `home`, its password, then the push."""
    from followup.adapters.calendar import caldav_push as caldav

    caldav.require_extra()
    target = caldav_target(settings_mod.load(paths_mod.resolve(home).config_file))
    return caldav.push(ctx, calendar_codec(), target, caldav_password(target), todo)


def caldav_target(settings: settings_mod.Settings) -> CalDavTarget:
    """The `[caldav]` settings; InvalidInput naming what is missing."""
    url = str(settings.values.get("caldav.url") or "")
    if not url:
        raise InvalidInput(
            "no CalDAV server: followup config set caldav.url https://cloud.example.org/remote.php/dav"
        )
    username = str(settings.values.get("caldav.username") or "")
    if not username:
        raise InvalidInput("no CalDAV login: followup config set caldav.username YOU")
    from followup.adapters.calendar.caldav_push import CalDavTarget

    return CalDavTarget(
        url=url,
        username=username,
        calendar=str(settings.values.get("caldav.calendar") or DEFAULT_CALENDAR),
        password_command=settings.values.get("caldav.password_command"),
    )


def caldav_password(target: CalDavTarget) -> str:
    """The CalDAV password: FOLLOWUP_CALDAV_PASSWORD, else `caldav.password_command`."""
    from_env = os.environ.get("FOLLOWUP_CALDAV_PASSWORD")
    if from_env:
        return from_env
    if target.password_command:
        from followup.config.mail import from_command

        return from_command(target.password_command, "caldav.password_command")
    raise InvalidInput(
        "no CalDAV password: set FOLLOWUP_CALDAV_PASSWORD, or caldav.password_command"
        " (e.g. 'pass show caldav'; for iCloud an app-specific password)"
    )
