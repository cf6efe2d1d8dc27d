"""Which company an e-mail address belongs to: its registrable domain, unless it is free mail
(gmail.com, outlook.com, ...) or an applicant-tracking relay (greenhouse.io, lever.co, ...).

The one rule for an application's `domains`, whether its interviewers came from an
invitation (app/calendar.py), were typed (`add --interviewer`, `edit --add-interviewer`,
the dashboard's form, `POST /api/interviews`: app/services.py) — and what a sender is
matched by (app/receiving.py): a reply from the company's domain ends the sequence.
"""

from __future__ import annotations

from collections.abc import Iterable


def _words(text: str) -> list[str]:
    return text.split()


FREE_MAIL = frozenset(
    _words(
        """gmail.com googlemail.com outlook.com hotmail.com live.com msn.com yahoo.com ymail.com
    rocketmail.com icloud.com me.com mac.com aol.com proton.me protonmail.com pm.me gmx.de
    gmx.net gmx.com gmx.at gmx.ch web.de mail.com email.com yandex.ru yandex.com ya.ru
    zoho.com zohomail.com fastmail.com fastmail.fm hey.com tutanota.com tuta.io qq.com
    163.com 126.com naver.com daum.net mail.ru inbox.ru bk.ru list.ru t-online.de
    freenet.de orange.fr wanadoo.fr free.fr laposte.net sfr.fr libero.it virgilio.it
    seznam.cz wp.pl o2.pl onet.pl interia.pl hotmail.co.uk yahoo.co.uk btinternet.com
    yahoo.fr hotmail.fr yahoo.de yahoo.co.jp yahoo.com.br bol.com.br uol.com.br
    rediffmail.com comcast.net verizon.net att.net sbcglobal.net shaw.ca rogers.com
    bigpond.com optusnet.com.au xtra.co.nz outlook.de outlook.fr outlook.es outlook.it
    outlook.co.uk outlook.jp live.co.uk live.fr live.de live.it live.nl live.ca live.com.au
    hotmail.de hotmail.it hotmail.es hotmail.ca hotmail.nl yahoo.es yahoo.it yahoo.ca
    yahoo.com.au yahoo.in icloud.co gmx.fr gmx.es"""
    )
)
# Applicant-tracking systems and schedulers that send invitations on an employer's behalf,
# and the hosts of a calendar's own addresses (a Google Workspace room: c_…@resource.calendar.
# google.com is no company's).
ATS_DOMAINS = frozenset(
    _words(
        """greenhouse.io greenhouse-mail.io lever.co hire.lever.co workablemail.com workday.com
    myworkday.com myworkdayjobs.com
    smartrecruiters.com ashbyhq.com icims.com jobvite.com taleo.net successfactors.com
    successfactors.eu bamboohr.com workable.com recruitee.com teamtailor.com teamtailor-mail.com
    personio.de personio.com breezy.hr jazzhr.com applytojob.com pinpointhq.com gem.com
    goodtime.io calendly.com cal.com modernloop.io prelude.co paradox.ai hirevue.com
    beamery.com avature.net oraclecloud.com recruiterbox.com comeet.co homerun.co join.com
    zoom.us teams.microsoft.com resource.calendar.google.com group.calendar.google.com
    group.v.calendar.google.com"""
    )
)
_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go", "gv", "ltd"}
# Hosts whose every customer is a subdomain (Microsoft 365's tenant addresses, which
# Bookings and shared mailboxes write from): the tenant is the company, never the host —
# else one invitation from contoso.onmicrosoft.com matched every tenant's mail to it.
_TENANT_HOSTS = {"onmicrosoft.com"}


def registrable_domain(domain: str) -> str:
    """`mail.acme.co.uk` -> `acme.co.uk`: the part a company registers (a heuristic);
    `acme.onmicrosoft.com` stays whole (a tenant of a shared host)."""
    labels = domain.lower().strip(".").split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in _TENANT_HOSTS:
        return ".".join(labels[-3:])
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def company_domain(domain: str, ats: Iterable[str] = ()) -> str | None:
    """The employer's domain behind an address, or None for free mail and ATS relays."""
    reg = registrable_domain(domain)
    if reg in FREE_MAIL or domain.lower() in FREE_MAIL:
        return None
    if reg in ATS_DOMAINS or domain.lower() in ATS_DOMAINS or reg in set(ats):
        return None
    return reg


def company_domains(
    addresses: Iterable[str], own: Iterable[str] = (), ats: Iterable[str] = ()
) -> list[str]:
    """The employers' domains behind these addresses, in their order, once each: not free
    mail, not a relay (the built-in ones and `ats`), not the user's own (`own`: the user's
    addresses; a colleague's address is not the company one applies to)."""
    relays = {d.lower().lstrip("@") for d in ats}
    mine = {registrable_domain(a.rpartition("@")[2]) for a in own if "@" in a}
    found: list[str] = []
    for address in addresses:
        address = address.strip().lower()
        if "@" not in address:
            continue
        domain = company_domain(address.rpartition("@")[2], relays)
        if domain and domain not in found and domain not in mine:
            found.append(domain)
    return found
