"""Setting up a mail account from an address: the providers' presets and how one is found.

`PRESETS` is the one table of what followup knows about the big providers: their servers,
ports, TLS modes, how one signs in, their folder quirks and a line for the user. A preset is
recognised by the address's domain; any other domain is looked up (through the `Resolver`
port, so tests need no network): its MX hosts may name a preset's (Google Workspace or
Microsoft 365 on a company's own domain), else its RFC 6186 SRV records or a
Thunderbird-style autoconfig file give the servers themselves.

What setup writes is only what differs from the preset: `mail.provider` and the address
(config/mail.py fills the rest from the preset), or the servers found for a domain no
preset has. Stdlib only: the resolver adapter (adapters/mail/discovery.py) does the I/O.
"""

from __future__ import annotations

from typing import NamedTuple, Protocol

from followup.app.errors import InvalidInput


class Endpoint(NamedTuple):
    host: str
    port: int
    security: str  # ssl | starttls | none (loopback only)


class Preset(NamedTuple):
    id: str  # the value of mail.provider
    name: str
    domains: tuple[str, ...]  # addresses at these domains are this provider's
    mx: tuple[str, ...]  # an MX host ending in one of these: a custom domain hosted here
    imap: Endpoint
    smtp: Endpoint
    auth: tuple[str, ...]  # password | app-password | oauth2 | bridge-password, best first
    sent_folder: str  # when the server flags no \Sent folder
    drafts_folder: str  # when the server flags no \Drafts folder
    never_read: tuple[str, ...]  # folders holding copies of what INBOX and Sent hold
    smtp_saves_sent: bool  # the server files a copy of what SMTP sends: never append one
    note: str
    # recipients a day an address at one of `domains` may send to (app/pacing.py); 0: none
    daily_limit: int = 0
    # what a refused connection to its servers most likely means (Proton: Bridge not running)
    unreachable: str = ""

    @property
    def short_name(self) -> str:
        """ "Gmail" of "Gmail / Google Workspace": what a message names."""
        return self.name.split(" / ")[0]


PRESETS: tuple[Preset, ...] = (
    Preset(
        id="gmail",
        name="Gmail / Google Workspace",
        domains=("gmail.com", "googlemail.com"),
        mx=("google.com", "googlemail.com"),
        imap=Endpoint("imap.gmail.com", 993, "ssl"),
        smtp=Endpoint("smtp.gmail.com", 465, "ssl"),
        auth=("oauth2", "app-password"),
        sent_folder="[Gmail]/Sent Mail",
        drafts_folder="[Gmail]/Drafts",
        never_read=("[Gmail]/All Mail", "[Gmail]/Important", "[Gmail]/Starred"),
        smtp_saves_sent=True,
        note="Gmail takes an app password only with 2-Step Verification on"
        " (myaccount.google.com/apppasswords); its SMTP files a copy in Sent itself;"
        " it allows about 500 recipients a day (consumer accounts): notes wait beyond that",
        daily_limit=500,
    ),
    Preset(
        id="microsoft",
        name="Outlook.com / Microsoft 365",
        domains=(
            "outlook.com",
            "outlook.de",
            "outlook.fr",
            "hotmail.com",
            "hotmail.co.uk",
            "hotmail.de",
            "hotmail.fr",
            "live.com",
            "live.co.uk",
            "msn.com",
        ),
        mx=("mail.protection.outlook.com", "olc.protection.outlook.com"),
        imap=Endpoint("outlook.office365.com", 993, "ssl"),
        smtp=Endpoint("smtp.office365.com", 587, "starttls"),
        auth=("oauth2",),
        sent_folder="Sent Items",
        drafts_folder="Drafts",
        never_read=(),
        smtp_saves_sent=True,
        note="Microsoft turned passwords off for IMAP and SMTP (September 2024):"
        " sign in with OAuth2 (followup mail login)",
    ),
    Preset(
        id="fastmail",
        name="Fastmail",
        domains=("fastmail.com", "fastmail.fm"),
        mx=("messagingengine.com",),
        imap=Endpoint("imap.fastmail.com", 993, "ssl"),
        smtp=Endpoint("smtp.fastmail.com", 465, "ssl"),
        auth=("app-password",),
        sent_folder="Sent",
        drafts_folder="Drafts",
        never_read=(),
        smtp_saves_sent=False,
        note="Fastmail needs an app password (Settings → Privacy & Security → App passwords)",
    ),
    Preset(
        id="icloud",
        name="iCloud Mail",
        domains=("icloud.com", "me.com", "mac.com"),
        mx=("mail.icloud.com",),
        imap=Endpoint("imap.mail.me.com", 993, "ssl"),
        smtp=Endpoint("smtp.mail.me.com", 587, "starttls"),
        auth=("app-password",),
        sent_folder="Sent Messages",
        drafts_folder="Drafts",
        never_read=(),
        smtp_saves_sent=False,
        note="iCloud needs an app-specific password (account.apple.com → Sign-In and Security)",
    ),
    Preset(
        id="yahoo",
        name="Yahoo Mail",
        domains=("yahoo.com", "yahoo.co.uk", "yahoo.de", "yahoo.fr", "ymail.com", "rocketmail.com"),
        mx=("yahoodns.net",),
        imap=Endpoint("imap.mail.yahoo.com", 993, "ssl"),
        smtp=Endpoint("smtp.mail.yahoo.com", 465, "ssl"),
        auth=("app-password",),
        sent_folder="Sent",
        drafts_folder="Draft",
        never_read=(),
        smtp_saves_sent=True,
        note="Yahoo needs an app password (Account security → Generate app password)",
    ),
    Preset(
        id="proton",
        name="Proton Mail (through Proton Mail Bridge)",
        domains=("proton.me", "protonmail.com", "protonmail.ch", "pm.me"),
        mx=("protonmail.ch",),
        imap=Endpoint("127.0.0.1", 1143, "starttls"),
        smtp=Endpoint("127.0.0.1", 1025, "starttls"),
        auth=("bridge-password",),
        sent_folder="Sent",
        drafts_folder="Drafts",
        never_read=("All Mail",),
        smtp_saves_sent=True,
        note="Proton works through Proton Mail Bridge on this machine: use the username and"
        " password Bridge shows, and trust its certificate (export it, then set mail.ca_file)",
        unreachable="is Proton Mail Bridge running? (it listens on 127.0.0.1 while it runs)",
    ),
    Preset(
        id="gmx",
        name="GMX",
        domains=("gmx.net", "gmx.de", "gmx.at", "gmx.ch"),
        mx=("gmx.net",),
        imap=Endpoint("imap.gmx.net", 993, "ssl"),
        smtp=Endpoint("mail.gmx.net", 587, "starttls"),
        auth=("password",),
        sent_folder="Gesendet",
        drafts_folder="Entwürfe",
        never_read=(),
        smtp_saves_sent=False,
        note="GMX lets mail programs in only once 'POP3/IMAP access' is turned on in its"
        " web settings",
    ),
    Preset(
        id="webde",
        name="WEB.DE",
        domains=("web.de",),
        mx=("web.de",),
        imap=Endpoint("imap.web.de", 993, "ssl"),
        smtp=Endpoint("smtp.web.de", 587, "starttls"),
        auth=("password",),
        sent_folder="Gesendet",
        drafts_folder="Entwürfe",
        never_read=(),
        smtp_saves_sent=False,
        note="WEB.DE lets mail programs in only once 'POP3/IMAP access' is turned on in its"
        " web settings",
    ),
)

BY_ID = {p.id: p for p in PRESETS}

AUTH_WORDS = {
    "password": "your password",
    "app-password": "an app password",
    "bridge-password": "the Bridge password",
    "oauth2": "OAuth2 sign-in",
}

# The settings that name a server: setup writes those that differ and removes the rest.
SERVER_KEYS = tuple(
    f"mail.{kind}_{what}" for kind in ("imap", "smtp") for what in ("host", "port", "security")
)

# The port each security mode has unless said otherwise (config/mail.py reads it too).
DEFAULT_PORTS = {
    ("smtp", "ssl"): 465,
    ("smtp", "starttls"): 587,
    ("smtp", "none"): 25,
    ("imap", "ssl"): 993,
    ("imap", "starttls"): 143,
    ("imap", "none"): 143,
}


class Resolver(Protocol):
    """The lookups setup makes for a domain no preset has; each says "nothing" by an empty
    answer, never by raising (a domain without the record and an unreachable DNS server
    are both "not found here": the next way is tried). A resolver may say by a true
    `failed` attribute that a lookup could not be made at all (no network)."""

    def mx(self, domain: str) -> list[str]:
        """The domain's MX hosts, most preferred first."""
        ...

    def srv(self, name: str) -> list[tuple[str, int]]:
        """The SRV targets of `name` (e.g. `_imaps._tcp.example.org`), best first; a
        target of "." (the service is not offered) is left out."""
        ...

    def autoconfig(self, domain: str, address: str) -> bytes | None:
        """A Thunderbird-style autoconfig file (clientConfig 1.1) for `domain`, if any."""
        ...


class Found(NamedTuple):
    """What setup learned about an address: a preset, or servers a domain announced."""

    address: str
    how: str  # a few words for the user: "the domain gmail.com", "MX aspmx.l.google.com"
    preset: Preset | None
    imap: Endpoint | None
    smtp: Endpoint | None
    username: str | None = None  # when the servers want something other than the address
    kept: bool = False  # the servers already set (config, the dashboard's Advanced form)


class Configured(NamedTuple):
    """The servers the settings already name (config.toml: `config set mail.imap_host …`, or
    the dashboard's Advanced server settings), with the preset they override, if any."""

    preset: Preset | None
    imap: Endpoint
    smtp: Endpoint
    explicit: bool  # mail.imap_host and mail.smtp_host are set, not only mail.provider


def domain_of(address: str) -> str:
    """The domain of a plain address, checked whole before any lookup is made for it
    ("you@uni.example\r\nBcc: x@y.example" named y.example to a lookup)."""
    text = address.strip()
    local, at, domain = text.rpartition("@")
    domain = domain.strip().rstrip(".").lower()
    bad = not text.isprintable() or any(c in text for c in " <>,;")
    if bad or not at or not local or "." not in domain or any(c in domain for c in " /\\"):
        raise InvalidInput(f"{address!r} is not an e-mail address: give one like you@example.org")
    return domain


def by_domain(domain: str) -> Preset | None:
    return next((p for p in PRESETS if domain in p.domains), None)


def by_mx(hosts: list[str]) -> tuple[Preset, str] | None:
    for host in hosts:
        name = host.rstrip(".").lower()
        for preset in PRESETS:
            if any(name == s or name.endswith("." + s) for s in preset.mx):
                return preset, name
    return None


def find(address: str, resolver: Resolver, configured: Configured | None = None) -> Found:
    """The provider of `address`: by its domain; else the servers already set by hand
    (`configured` explicit: they are kept, no lookup is made); else by MX, RFC 6186 SRV,
    autoconfig; else the provider already set (`mail.provider` for a school address).

    InvalidInput in one line when none of them says anything, naming the settings to set."""
    domain = domain_of(address)
    preset = by_domain(domain)
    if preset:
        return Found(address, f"the domain {domain}", preset, preset.imap, preset.smtp)
    if configured is not None and configured.explicit:
        return _kept(address, configured)
    hit = by_mx(resolver.mx(domain))
    if hit:
        preset, host = hit
        return Found(address, f"the domain's mail server {host}", preset, preset.imap, preset.smtp)
    imap, smtp = _by_srv(domain, resolver)
    if imap and smtp:
        return Found(address, "the domain's SRV records (RFC 6186)", None, imap, smtp)
    data = resolver.autoconfig(domain, address)
    if data:
        found = parse_autoconfig(data, address)
        if found.imap and found.smtp:
            return found
    if configured is not None:
        return _kept(address, configured)
    by_hand = (
        "set mail.imap_host and mail.smtp_host yourself (your provider's help pages name"
        " them): followup config set mail.imap_host HOST; a Microsoft 365 school or work"
        " address can use followup config set mail.provider microsoft"
    )
    if getattr(resolver, "failed", False):  # offline: nothing was learnt about the domain
        raise InvalidInput(
            f"could not look up {domain}'s mail servers (the DNS lookup failed: offline?):"
            f" try again when online, or {by_hand}"
        )
    raise InvalidInput(
        f"no mail settings found for {domain} (not a known provider; no MX, SRV or autoconfig"
        f" that names its servers): {by_hand}"
    )


def _kept(address: str, configured: Configured) -> Found:
    return Found(
        address, "the servers already set", configured.preset, configured.imap,
        configured.smtp, kept=True,
    )  # fmt: skip


def _by_srv(domain: str, resolver: Resolver) -> tuple[Endpoint | None, Endpoint | None]:
    """RFC 6186 (with RFC 8314's `_submissions`): implicit TLS first, then STARTTLS."""

    def first(*services: tuple[str, str]) -> Endpoint | None:
        for service, security in services:
            for host, port in resolver.srv(f"_{service}._tcp.{domain}"):
                host = host.rstrip(".")
                if host and port:
                    return Endpoint(host, port, security)
        return None

    return (
        first(("imaps", "ssl"), ("imap", "starttls")),
        first(("submissions", "ssl"), ("submission", "starttls")),
    )


_SOCKETS = {"ssl": "ssl", "tls": "ssl", "starttls": "starttls"}


def parse_autoconfig(data: bytes, address: str) -> Found:
    """The first IMAP and SMTP servers of a clientConfig file, as Thunderbird reads it
    (placeholders %EMAILADDRESS%, %EMAILLOCALPART%, %EMAILDOMAIN%). A server offered only
    without TLS is left out: followup sends no password in clear to another host.

    InvalidInput when the file is not such XML."""
    import xml.etree.ElementTree as ET

    if len(data) > 256 * 1024 or b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise InvalidInput("the autoconfig file is not a clientConfig file")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise InvalidInput(f"the autoconfig file is not XML: {exc}") from exc
    provider = root.find("emailProvider")
    if root.tag != "clientConfig" or provider is None:
        raise InvalidInput("the autoconfig file is not a clientConfig file")
    local, _, domain = address.rpartition("@")

    def fill(text: str) -> str:
        return (
            text.replace("%EMAILADDRESS%", address)
            .replace("%EMAILLOCALPART%", local)
            .replace("%EMAILDOMAIN%", domain)
        )

    def server(tag: str, kind: str) -> tuple[Endpoint, str] | None:
        for node in provider.findall(tag):
            if node.get("type") != kind:
                continue
            host = (node.findtext("hostname") or "").strip()
            socket = (node.findtext("socketType") or "").strip().lower()
            try:
                port = int((node.findtext("port") or "").strip())
            except ValueError:
                continue
            if not host or socket not in _SOCKETS or not 1 <= port <= 65535:
                continue
            return Endpoint(fill(host), port, _SOCKETS[socket]), fill(
                (node.findtext("username") or "%EMAILADDRESS%").strip()
            )
        return None

    imap = server("incomingServer", "imap")
    smtp = server("outgoingServer", "smtp")
    username = (imap or smtp or (None, address))[1]
    name = (provider.findtext("displayName") or provider.get("id") or domain).strip()
    return Found(
        address,
        f"the autoconfig file of {name}",
        None,
        imap[0] if imap else None,
        smtp[0] if smtp else None,
        username if username and username != address else None,
    )


class Plan(NamedTuple):
    """What setup writes to config.toml (only what differs from the preset) and removes."""

    set: dict[str, object]
    remove: tuple[str, ...]


def plan(found: Found, current: dict[str, object], username: str | None = None) -> Plan:
    """The settings for `found`: the provider and the address, plus each server value the
    preset (or the security mode's default port) does not already give. Server settings
    left from before are removed, so that they do not override the preset."""
    values: dict[str, object] = {"mail.from_address": found.address}
    login = username or found.username
    if login and login.lower() != found.address.lower():
        values["mail.username"] = login
    if found.kept:  # the servers already set stay as they are
        remove = tuple(k for k in ("mail.username",) if k in current and k not in values)
        return Plan(values, remove)
    if found.preset:
        values["mail.provider"] = found.preset.id
    else:
        for kind, endpoint in (("imap", found.imap), ("smtp", found.smtp)):
            assert endpoint is not None
            values[f"mail.{kind}_host"] = endpoint.host
            if endpoint.security != "ssl":
                values[f"mail.{kind}_security"] = endpoint.security
            if endpoint.port != DEFAULT_PORTS[(kind, endpoint.security)]:
                values[f"mail.{kind}_port"] = endpoint.port
    stale = [*SERVER_KEYS, "mail.provider", "mail.username"]
    remove = tuple(k for k in stale if k in current and k not in values)
    return Plan(values, remove)


def describe(found: Found) -> list[str]:
    """The lines setup shows about what it found (no secret is ever part of it)."""
    preset = found.preset
    title = preset.name if preset else "Servers"
    if found.kept:
        lines = [f"{title}: {found.how}, kept as they are"]
    else:
        lines = [f"{title} (recognised by {found.how})"]
    for label, endpoint in (("IMAP", found.imap), ("SMTP", found.smtp)):
        if endpoint:
            lines.append(f"  {label}: {endpoint.host}:{endpoint.port} ({endpoint.security})")
    if preset:
        lines.append("  sign-in: " + " or ".join(AUTH_WORDS[a] for a in preset.auth))
        lines.append(f"  note: {preset.note}")
    return lines


def password_works(preset: Preset | None) -> bool:
    """Whether a password (or app password) can sign in at all (Microsoft: no)."""
    return preset is None or any(a != "oauth2" for a in preset.auth)
