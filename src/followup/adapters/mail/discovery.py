"""The lookups `followup mail setup` makes for a domain no preset has (app/mailsetup.Resolver).

MX and SRV records through dnspython (~0.2 s to import: only `mail setup` loads it), and a
Thunderbird-style autoconfig file from the domain's own autoconfig host or its
/.well-known/ path, over HTTPS only (a certificate that does not verify is no answer, nor
is a redirect).
Each lookup gives "nothing" rather than raising: setup then tries the next way, and says in
one line what to set by hand when none answers.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

import dns.exception
import dns.resolver

TIMEOUT = 5.0
MAX_AUTOCONFIG = 256 * 1024


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is no answer: followed, it could lead anywhere (a server's own network,
    plain http) before any check of where it went."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


class DnsResolver:
    def __init__(
        self, timeout: float = TIMEOUT, may_reach: Callable[[str], bool] = lambda host: True
    ) -> None:
        """`may_reach`: whether a host may be asked for its autoconfig file (a shared
        server never asks its own network)."""
        self._dns = dns.resolver.Resolver()
        self._dns.lifetime = timeout
        self.timeout = timeout
        self.may_reach = may_reach
        self.failed = False  # a lookup could not be made (offline), not "no such record"

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer)):
            self.failed = True

    def mx(self, domain: str) -> list[str]:
        try:
            answer = self._dns.resolve(domain, "MX")
        except (dns.exception.DNSException, OSError) as exc:
            self._failed(exc)
            return []
        records = sorted(answer, key=lambda r: r.preference)
        return [r.exchange.to_text(omit_final_dot=True) for r in records]

    def srv(self, name: str) -> list[tuple[str, int]]:
        try:
            answer = self._dns.resolve(name, "SRV")
        except (dns.exception.DNSException, OSError) as exc:
            self._failed(exc)
            return []
        records = sorted(answer, key=lambda r: (r.priority, -r.weight))
        found = [(r.target.to_text(omit_final_dot=True), int(r.port)) for r in records]
        return [(host, port) for host, port in found if host not in ("", ".")]

    def autoconfig(self, domain: str, address: str) -> bytes | None:
        query = urllib.parse.urlencode({"emailaddress": address})
        for url in (
            f"https://autoconfig.{domain}/mail/config-v1.1.xml?{query}",
            f"https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml",
        ):
            if not self.may_reach(urllib.parse.urlsplit(url).hostname or ""):
                continue
            try:
                with _OPENER.open(url, timeout=self.timeout) as response:
                    data: bytes = response.read(MAX_AUTOCONFIG + 1)
            except (OSError, ValueError):
                continue
            if data and len(data) <= MAX_AUTOCONFIG:
                return data
        return None
