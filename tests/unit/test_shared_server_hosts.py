"""Which hosts a shared server (server mode) never opens a mail connection to: its own
loopback, private, link-local and other non-public networks — 100.64.0.0/10 too (carrier-
grade NAT, a VPN's addresses: a second attacker trial reached one) — unless the
administrator allows them."""

from __future__ import annotations

import pytest

from followup.bootstrap import ALLOW_PRIVATE, shared_server_refuses


@pytest.fixture
def shared(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOLLOWUP_DATABASE_URL", "postgresql://unused.invalid/x")
    monkeypatch.delenv(ALLOW_PRIVATE, raising=False)


@pytest.mark.parametrize(
    ("host", "kind"),
    [
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("10.1.2.3", "a private address"),
        ("169.254.169.254", "a private address"),  # a cloud's metadata service
        ("0.0.0.0", "a private address"),
        ("100.64.0.1", "a non-public address"),
        ("100.127.255.254", "a non-public address"),
        ("198.18.0.1", "a private address"),  # benchmarking networks
    ],
)
def test_its_own_networks_are_refused(shared: None, host: str, kind: str) -> None:
    assert shared_server_refuses(host) == kind


@pytest.mark.parametrize("host", ["8.8.8.8", "2001:4860:4860::8888", "100.128.0.1"])
def test_public_addresses_are_tried(shared: None, host: str) -> None:
    assert shared_server_refuses(host) is None


def test_a_laptop_and_an_allowed_relay_try_anything(
    shared: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ALLOW_PRIVATE, "1")
    assert shared_server_refuses("100.64.0.1") is None
    monkeypatch.delenv(ALLOW_PRIVATE)
    monkeypatch.delenv("FOLLOWUP_DATABASE_URL")
    assert shared_server_refuses("127.0.0.1") is None
