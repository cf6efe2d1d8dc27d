"""What a worker's visit to a seeker costs besides its notes (issue 17: a worker visits
thousands of seekers): their settings are parsed once per process, not on every visit nor
three times on the first (the mail account, the outbox and the context each read them); a
change to the file is still seen at the next visit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

CONFIG = (
    '[user]\nname = "Ada"\nemail = "ada@example.org"\n'
    '[mail]\nsmtp_host = "127.0.0.1"\nsmtp_port = 9\nsmtp_security = "none"\nmode = "send"\n'
)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    from followup.config import settings

    seen: list[Path] = []
    real = settings._parse

    def counting(text: str, path: Path) -> dict[str, Any]:
        seen.append(path)
        return real(text, path)

    monkeypatch.setattr(settings, "_parse", counting)
    return seen


def test_a_seekers_second_visit_parses_no_settings(
    home: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from followup.bootstrap import open_context
    from followup.cli.worker import Tenant

    monkeypatch.delenv("FOLLOWUP_DATABASE_URL", raising=False)
    (home / "config.toml").write_text(CONFIG)
    tenant = Tenant("local", lambda: open_context(home), home)
    try:
        with tenant.context() as ctx:
            assert ctx.sender_name == "Ada" and tenant.outbox is not None
        assert parses == [home / "config.toml"]  # the first visit: one parse
        with tenant.context():
            pass
        assert len(parses) == 1  # the second: none
        (home / "config.toml").write_text(CONFIG.replace('"Ada"', '"Ada L."'))
        with tenant.context() as ctx:
            assert ctx.sender_name == "Ada L."  # a change: parsed again at the next visit
        assert len(parses) == 2
    finally:
        tenant.close()
