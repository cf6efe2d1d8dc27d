"""bootstrap.client_policy: a client's cadence for their coach's list, from their config.toml,
kept per process while the file is unchanged and read again when it changes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from followup.app.errors import StoreUnavailable
from followup.bootstrap import client_policy
from followup.domain.policy import ARTICLE_POLICY


def _config(home: Path, uid: int, text: str) -> Path:
    path = home / "users" / str(uid) / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    tmp.replace(path)  # as `config set` writes: a new file
    return path


def test_the_policy_follows_the_file_and_nothing_else_in_it_matters(tmp_path: Path) -> None:
    assert client_policy(tmp_path, 1) == ARTICLE_POLICY  # no file: the article's cadence
    # another setting, even one this version does not know: not the coach's concern
    _config(tmp_path, 1, 'timezone = "Europe/Berlin"\nsome.future_key = 3\n')
    assert client_policy(tmp_path, 1) == ARTICLE_POLICY
    _config(tmp_path, 1, "[policy]\noverdue_after_hours = 60\n")
    assert client_policy(tmp_path, 1).overdue_after == timedelta(hours=60)
    _config(tmp_path, 1, "[policy]\noverdue_after_hours = 6\n")  # changed: read again
    assert client_policy(tmp_path, 1).overdue_after == timedelta(hours=6)
    assert client_policy(tmp_path, 2) == ARTICLE_POLICY  # each client their own


def test_a_policy_that_cannot_be_used_is_one_clear_error(tmp_path: Path) -> None:
    _config(tmp_path, 1, "[policy]\noverdue_after_hours = -5\n")
    with pytest.raises(StoreUnavailable, match="overdue_after"):
        client_policy(tmp_path, 1)
