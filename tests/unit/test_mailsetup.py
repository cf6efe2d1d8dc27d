"""Mail setup: a provider recognised by the address's domain, else by the domain's MX, RFC
6186 SRV records or a Thunderbird-style autoconfig file (through a stub resolver: no
network); only what differs from the preset is written; the account reads the rest from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from followup.app.errors import InvalidInput
from followup.app.mailsetup import (
    BY_ID,
    PRESETS,
    Endpoint,
    Preset,
    find,
    parse_autoconfig,
    plan,
)
from followup.config.mail import load_account
from followup.config.settings import Settings, parse_value

AUTOCONFIG = Path(__file__).parent.parent / "fixtures" / "autoconfig"


class StubResolver:
    """Answers from dicts; records every lookup (a known domain must need none)."""

    def __init__(
        self,
        mx: dict[str, list[str]] | None = None,
        srv: dict[str, list[tuple[str, int]]] | None = None,
        autoconfig: dict[str, bytes] | None = None,
    ) -> None:
        self._mx, self._srv, self._auto = mx or {}, srv or {}, autoconfig or {}
        self.asked: list[str] = []

    def mx(self, domain: str) -> list[str]:
        self.asked.append(f"MX {domain}")
        return self._mx.get(domain, [])

    def srv(self, name: str) -> list[tuple[str, int]]:
        self.asked.append(f"SRV {name}")
        return self._srv.get(name, [])

    def autoconfig(self, domain: str, address: str) -> bytes | None:
        self.asked.append(f"autoconfig {domain}")
        return self._auto.get(domain)


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.id)
def test_each_presets_domains_are_recognised_without_a_lookup(preset: Preset) -> None:
    for domain in preset.domains:
        resolver = StubResolver()
        found = find(f"Grace.Hopper@{domain.upper()}", resolver)
        assert found.preset is preset
        assert resolver.asked == []


@pytest.mark.parametrize(
    ("mx", "provider"),
    [
        (["aspmx.l.google.com.", "alt1.aspmx.l.google.com."], "gmail"),
        (["smtp.google.com"], "gmail"),
        (["acme-example.mail.protection.outlook.com"], "microsoft"),
        (["in1-smtp.messagingengine.com"], "fastmail"),
        (["mx01.mail.icloud.com"], "icloud"),
        (["mail.protonmail.ch", "mailsec.protonmail.ch"], "proton"),
    ],
)
def test_a_company_domain_hosted_by_a_provider_is_found_by_its_mx(
    mx: list[str], provider: str
) -> None:
    found = find("grace@acme.example", StubResolver(mx={"acme.example": mx}))
    assert found.preset is BY_ID[provider]
    assert "mail server" in found.how


def test_an_mx_only_resembling_a_providers_is_not_it() -> None:
    resolver = StubResolver(mx={"acme.example": ["mail.notgoogle.com", "google.com.evil.example"]})
    with pytest.raises(InvalidInput):
        find("grace@acme.example", resolver)


def test_rfc_6186_srv_records_give_the_servers_implicit_tls_first() -> None:
    resolver = StubResolver(
        mx={"acme.example": ["mx.acme.example"]},
        srv={
            "_imap._tcp.acme.example": [("imap.acme.example.", 143)],
            "_imaps._tcp.acme.example": [("mail.acme.example.", 993)],
            "_submission._tcp.acme.example": [("smtp.acme.example.", 587)],
        },
    )
    found = find("grace@acme.example", resolver)
    assert found.preset is None
    assert found.imap == Endpoint("mail.acme.example", 993, "ssl")
    assert found.smtp == Endpoint("smtp.acme.example", 587, "starttls")
    assert not any(a.startswith("autoconfig") for a in resolver.asked)


def test_srv_for_one_service_only_falls_through_to_autoconfig() -> None:
    resolver = StubResolver(
        srv={"_imaps._tcp.example-isp.net": [("imap.example-isp.net", 993)]},
        autoconfig={"example-isp.net": (AUTOCONFIG / "isp_ssl_and_starttls.xml").read_bytes()},
    )
    found = find("grace@example-isp.net", resolver)
    assert found.smtp == Endpoint("mail.example-isp.net", 587, "starttls")


def test_an_autoconfig_file_gives_imap_smtp_and_the_login() -> None:
    data = (AUTOCONFIG / "isp_ssl_and_starttls.xml").read_bytes()
    found = find("grace@example-isp.net", StubResolver(autoconfig={"example-isp.net": data}))
    assert found.imap == Endpoint("imap.example-isp.net", 993, "ssl")  # not POP3, SSL first
    assert found.smtp == Endpoint("mail.example-isp.net", 587, "starttls")
    assert found.username == "grace"  # %EMAILLOCALPART%
    assert "Example ISP Mail" in found.how


def test_an_autoconfig_offering_only_clear_text_is_not_used() -> None:
    data = (AUTOCONFIG / "plain_only.xml").read_bytes()
    found = parse_autoconfig(data, "grace@plain.example")
    assert found.imap is None and found.smtp is None
    with pytest.raises(InvalidInput, match=r"set mail\.imap_host and mail\.smtp_host yourself"):
        find("grace@plain.example", StubResolver(autoconfig={"plain.example": data}))


@pytest.mark.parametrize("data", [b"<html>not found</html>", b"\x00\x01garbage", b""])
def test_a_broken_autoconfig_file_is_one_line(data: bytes) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_autoconfig(data, "grace@example.org")
    assert "\n" not in str(caught.value)


def test_an_autoconfig_with_entities_is_refused_unexpanded() -> None:
    with pytest.raises(InvalidInput, match="not a clientConfig"):
        parse_autoconfig((AUTOCONFIG / "entity_expansion.xml").read_bytes(), "g@bomb.example")


def test_an_unknown_domain_is_one_line_naming_the_settings_to_set() -> None:
    with pytest.raises(InvalidInput) as caught:
        find("grace@acme.example", StubResolver())
    message = str(caught.value)
    assert "\n" not in message
    assert "imap.acme.example" not in message  # a host no lookup found is not suggested
    assert "followup config set mail.imap_host HOST" in message
    assert "followup config set mail.provider microsoft" in message


def test_a_failed_lookup_says_so_instead_of_no_records() -> None:
    offline = StubResolver()
    offline.failed = True  # type: ignore[attr-defined]
    with pytest.raises(InvalidInput) as caught:
        find("grace@school.example", offline)
    message = str(caught.value)
    assert "\n" not in message and "lookup failed" in message and "no MX" not in message
    assert "mail.provider microsoft" in message and "imap.school.example" not in message


@pytest.mark.parametrize("address", ["grace", "grace@", "@gmail.com", "grace@localhost"])
def test_a_malformed_address_is_refused(address: str) -> None:
    with pytest.raises(InvalidInput, match="not an e-mail address"):
        find(address, StubResolver())


def settings(values: dict[str, object]) -> Settings:
    return Settings({k: parse_value(k, v) for k, v in values.items()})


def test_a_preset_writes_only_the_provider_and_the_address_and_removes_old_servers() -> None:
    found = find("grace@gmail.com", StubResolver())
    written = plan(found, {"mail.smtp_host": "smtp.old.example", "mail.imap_port": 1993})
    assert written.set == {"mail.from_address": "grace@gmail.com", "mail.provider": "gmail"}
    assert written.remove == ("mail.imap_port", "mail.smtp_host")


def test_found_servers_are_written_with_only_what_differs_from_the_defaults() -> None:
    data = (AUTOCONFIG / "isp_ssl_and_starttls.xml").read_bytes()
    found = find("grace@example-isp.net", StubResolver(autoconfig={"example-isp.net": data}))
    written = plan(found, {"mail.provider": "gmail"})
    assert written.set == {
        "mail.from_address": "grace@example-isp.net",
        "mail.username": "grace",
        "mail.imap_host": "imap.example-isp.net",  # 993 ssl: the defaults
        "mail.smtp_host": "mail.example-isp.net",
        "mail.smtp_security": "starttls",  # 587: starttls's default
    }
    assert written.remove == ("mail.provider",)


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.id)
def test_the_account_reads_each_presets_servers_from_the_provider_alone(preset: Preset) -> None:
    account = load_account(settings({"mail.provider": preset.id, "mail.from_address": "g@x.org"}))
    assert account.imap == tuple(preset.imap)
    assert account.smtp == tuple(preset.smtp)
    assert account.username == "g@x.org"


def test_a_setting_beside_the_provider_overrides_the_preset() -> None:
    account = load_account(
        settings(
            {
                "mail.provider": "gmail",
                "mail.from_address": "g@x.org",
                "mail.smtp_security": "starttls",
                "mail.imap_port": 1993,
            }
        )
    )
    assert account.smtp == ("smtp.gmail.com", 587, "starttls")  # starttls's port, not 465
    assert account.imap == ("imap.gmail.com", 1993, "ssl")


def test_an_unknown_provider_is_refused_as_a_setting() -> None:
    with pytest.raises(InvalidInput, match=r"mail\.provider: expected one of gmail"):
        parse_value("mail.provider", "hotmail")


DOC = Path(__file__).parent.parent.parent / "docs" / "mail.md"
BEGIN, END = "<!-- mail-presets -->", "<!-- /mail-presets -->"


def presets_table() -> str:
    """docs/mail.md's table of the presets, from PRESETS (UPDATE_MAIL_TABLE=1 rewrites it)."""
    from followup.app.mailsetup import AUTH_WORDS

    def server(e: Endpoint) -> str:
        return f"`{e.host}` {e.port} {e.security}"

    lines = [
        BEGIN,
        "| `mail.provider` | provider | domains | IMAP | SMTP | sign-in | Sent folder"
        " | SMTP files a copy in Sent | never read |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for p in PRESETS:
        cells = [
            f"`{p.id}`",
            p.name,
            ", ".join(p.domains) + "; MX " + ", ".join(f"*.{m}" for m in p.mx),
            server(p.imap),
            server(p.smtp),
            " or ".join(AUTH_WORDS[a] for a in p.auth),
            f"`{p.sent_folder}`",
            "yes" if p.smtp_saves_sent else "no",
            ", ".join(f"`{f}`" for f in p.never_read) or "·",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines += [f"- **{p.name}**: {p.note}." for p in PRESETS]
    return "\n".join([*lines, END])


def test_docs_mail_md_lists_each_preset_as_the_code_has_it() -> None:
    import os

    text = DOC.read_text("utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    if os.environ.get("UPDATE_MAIL_TABLE"):
        DOC.write_text(text[:start] + presets_table() + text[end:], "utf-8")
        text = DOC.read_text("utf-8")
        end = text.index(END) + len(END)
    assert text[start:end] == presets_table()


@pytest.mark.parametrize(
    ("values", "copy"),
    [
        ({"mail.provider": "gmail"}, False),  # its SMTP files one: never a second
        ({"mail.provider": "microsoft"}, False),
        ({"mail.provider": "fastmail"}, True),
        ({"mail.provider": "gmx"}, True),
        ({"mail.provider": "gmx", "mail.copy_to_sent": "false"}, False),
        ({"mail.smtp_host": "smtp.example.org"}, False),  # no preset: as before
        ({"mail.smtp_host": "smtp.example.org", "mail.copy_to_sent": "true"}, True),
    ],
)
def test_a_copy_goes_to_sent_only_where_the_smtp_server_files_none(
    values: dict[str, object], copy: bool
) -> None:
    account = load_account(settings({**values, "mail.from_address": "g@x.org"}))
    assert account.copy_to_sent is copy


def test_an_unfinished_generic_oauth_setting_does_not_stop_a_password_account() -> None:
    values = {"mail.smtp_host": "smtp.example.org", "mail.oauth.client_id": "abc"}
    account = load_account(settings({**values, "mail.from_address": "g@x.org"}))
    assert account.auth == "password" and account.oauth is None
    with pytest.raises(InvalidInput, match=r"mail\.oauth\.token_endpoint"):
        load_account(settings({**values, "mail.from_address": "g@x.org", "mail.auth": "oauth2"}))


def test_servers_set_by_hand_are_kept_before_any_lookup_and_a_preset_still_wins() -> None:
    from followup.app.mailsetup import Configured

    mine = Configured(
        None,
        Endpoint("imap.example.org", 993, "ssl"),
        Endpoint("smtp.example.org", 2525, "starttls"),
        True,
    )
    resolver = StubResolver(mx={"example.org": ["aspmx.l.google.com"]})
    found = find("jo@example.org", resolver, mine)
    assert (found.kept, found.smtp, resolver.asked) == (True, mine.smtp, [])
    current = {"mail.smtp_host": "smtp.example.org", "mail.username": "old"}
    assert plan(found, current) == (
        {"mail.from_address": "jo@example.org"},
        ("mail.username",),  # the login is the address again; the servers stay
    )
    assert not find("jo@gmail.com", resolver, mine).kept  # a preset's domain wins
    # only a provider set (not servers): the lookups first, it when they find nothing
    only_provider = mine._replace(explicit=False)
    assert find("jo@example.org", resolver, only_provider).preset.id == "gmail"  # type: ignore[union-attr]
    assert find("jo@uni.example", StubResolver(), only_provider).kept


@pytest.mark.parametrize(
    "address",
    [
        "mal2@uni.example\r\nBcc: x@y.example",  # the lookup was for y.example
        "mal2@uni.example, x@y.example",
        "Mal <mal2@uni.example>",
        "mal 2@uni.example",
        "mal2@uni.example\x1b[2J",
    ],
)
def test_an_address_is_checked_whole_before_any_lookup(address: str) -> None:
    """An attacker trial: a line break in the address named another domain to the lookups."""
    resolver = StubResolver()
    with pytest.raises(InvalidInput, match="is not an e-mail address"):
        find(address, resolver)
    assert resolver.asked == []
