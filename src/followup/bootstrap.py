"""The composition root: the one place that picks the adapters behind the ports."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from followup.app.context import Context
from followup.app.errors import InvalidInput, StoreUnavailable
from followup.app.parse import parse_datetime
from followup.config import paths as paths_mod
from followup.config import settings as settings_mod

if TYPE_CHECKING:
    from followup.app.mailports import Mailbox, Mailer
    from followup.app.ports import Clock
    from followup.app.sending import Outbox
    from followup.app.syncing import MailIdentity


def clock_from_env() -> Clock:
    """The system clock, or a fixed instant from FOLLOWUP_NOW (ISO-8601 with an offset)."""
    from followup.adapters.clock import FixedClock, SystemClock

    fixed = os.environ.get("FOLLOWUP_NOW")
    if not fixed:
        return SystemClock()
    instant, _ = parse_datetime(fixed, "UTC")
    return FixedClock(instant)


def open_context(home: str | Path | None = None, clock: Clock | None = None) -> Context:
    from followup.adapters.holidays import HolidayCalendars
    from followup.adapters.store.sqlite import SqliteStore, StoreError
    from followup.adapters.templates import TemplateLibrary

    where = paths_mod.resolve(home)
    settings = settings_mod.load(where.config_file)
    try:
        store = SqliteStore(where.database)
    except StoreError as exc:
        raise StoreUnavailable(str(exc)) from exc
    except OSError as exc:
        raise StoreUnavailable(f"cannot use {where.database}: {exc.strerror or exc}") from exc
    try:
        policy = settings.policy()
    except InvalidInput as exc:
        raise StoreUnavailable(str(exc)) from exc
    return Context(
        store=store,
        clock=clock or clock_from_env(),
        policy=policy,
        user_tz=settings.timezone,
        holidays=HolidayCalendars(),
        sender_name=settings.sender_name,
        sender_email=settings.sender_email,
        templates=TemplateLibrary(str(where.config_file.parent / "templates")),
    )


class MailSetup:
    """The mail adapters for the configured account, each created on first use."""

    def __init__(self, home: str | Path | None) -> None:
        from followup.config.mail import load_account

        where = paths_mod.resolve(home)
        self.account = load_account(settings_mod.load(where.config_file))
        self._mailbox: Mailbox | None = None

    def _password(self) -> str:
        from followup.config.mail import password

        return password(self.account)

    def mailer(self) -> Mailer | None:
        from followup.adapters.mail.smtp import SmtpMailer

        server = self.account.smtp
        if server is None:
            return None
        return SmtpMailer(
            server.host,
            server.port,
            server.security,
            self.account.username,
            self._password,
            ca_file=self.account.ca_file,
        )

    def mailbox(self) -> Mailbox | None:
        from followup.adapters.mail.imap import ImapMailbox

        server = self.account.imap
        if server is None:
            return None
        if self._mailbox is None:
            self._mailbox = ImapMailbox(
                server.host,
                server.port,
                server.security,
                self.account.username,
                self._password,
                ca_file=self.account.ca_file,
            )
        return self._mailbox

    def outbox(self, sender_name: str) -> Outbox:
        from followup.adapters.mail.message import compose
        from followup.app.sending import Outbox

        address = self.account.from_address
        return Outbox(
            sender=f"{sender_name} <{address}>" if sender_name else address,
            sender_address=address,
            compose=compose,
            mailer=self.mailer(),
            mailbox=self.mailbox(),
        )

    def identity(self) -> MailIdentity:
        from followup.app.syncing import MailIdentity

        return MailIdentity(
            account=self.account.name,
            own_addresses=self.account.own_addresses,
            ats_domains=self.account.ats_domains,
            ooo_default_days=self.account.ooo_default_days,
        )

    def close(self) -> None:
        if self._mailbox is not None:
            self._mailbox.close()
