"""What SMTP and IMAP share: which hosts are loopback, and the TLS context."""

from __future__ import annotations

import ipaddress
import ssl


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: the only hosts we talk to without TLS."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def tls_context(ca_file: str | None = None) -> ssl.SSLContext:
    """Verify certificates and host names; trust `ca_file` too (e.g. a test server's CA)."""
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context
