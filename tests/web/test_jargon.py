"""The pages speak plainly (issue #16, the cold trials' leftovers): no setting's key
("custom = true", "panel_follow_up"), no command ("followup config set …"), no linter rule
id ("no-specific-point") in what a person reads; a fixed-offset zone is offered as
"UTC+1 (Etc/GMT-1)" with its backwards sign explained."""

from __future__ import annotations

import re

import pytest

from followup.domain.lint.rules import RULES
from tests.conftest import Run
from tests.web.conftest import Web
from tests.web.homes import add, ok
from tests.web.test_plain import visible

pytestmark = pytest.mark.integration

JARGON = re.compile(
    r"custom = true|panel_follow_up|policy\.[a-z_]+|mail\.[a-z_]+|user\.(?:name|email)\b"
    r"|followup (?:config|policy|mail|debrief|edit|draft) "
)
RULE_IDS = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(r.id) for r in RULES) + r")(?![\w-])")


def test_no_page_names_a_setting_a_command_or_a_rule_id(web: Web, run: Run) -> None:
    ok(run("config", "set", "policy.custom", "true"))
    ok(run("config", "set", "policy.panel_follow_up", "all"))
    bare = add(run, "--company", "Acme", "--role", "Backend Engineer", "--at",
               "2026-11-20T10:00", "--tz", "Europe/Berlin",
               "--interviewer", "Ada Lovelace <ada@acme.example>",
               "--interviewer", "Bob Stone <bob@acme.example>")  # fmt: skip
    page = web.get(f"/interviews/{bare}").text
    assert 'data-rule="no-specific-point"' in page  # kept for a tool tip and for scripts
    assert "Must fix:" in visible(page)
    for path in ("/", f"/interviews/{bare}", "/pipeline", "/add", "/stats", "/settings"):
        shown = visible(web.get(path).text)
        assert JARGON.findall(shown) == [], path
        assert RULE_IDS.findall(shown) == [], path
    settings = visible(web.get("/settings").text)
    assert "every interviewer gets every note" in settings
    assert "Custom cadence: your own timing" in settings


def test_a_fixed_offset_zone_is_offered_as_the_offset_people_say(web: Web) -> None:
    settings = web.get("/settings").text
    assert '<option value="Etc/GMT-1">UTC+1 (Etc/GMT-1)</option>' in settings
    assert '<option value="Etc/GMT+5">UTC-5 (Etc/GMT+5)</option>' in settings
    assert "Etc/GMT-1 is one hour ahead of UTC" in visible(settings)
    found = web.get("/settings/zones", params={"timezone": "UTC+1"}).text
    assert '<option value="Etc/GMT-1">UTC+1 (Etc/GMT-1)</option>' in found
