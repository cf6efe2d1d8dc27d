"""The interview page's edit form as the interview is now (routes/edit.py takes it back)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from followup.app import services
from followup.app.zones import all_zones
from followup.domain import planner
from followup.domain.model import Culture
from followup.domain.workdays import zone

CULTURES = tuple(c.value for c in Culture)


def current(detail: services.Detail) -> dict[str, Any]:
    """The form's fields as the interview is now."""
    interview, application = detail.interview, detail.application
    people = [p for p in detail.interviewers if not p.removed]
    primary = planner.primary_contact(people) if people else None
    return {
        "at": interview.start.astimezone(zone(interview.tz)).strftime("%Y-%m-%dT%H:%M"),
        "tz": interview.tz,
        "duration": str(int(interview.duration / timedelta(minutes=1))),
        "company": application.company,
        "role": application.role,
        "culture": application.culture.value,
        "country": application.country or "",
        "location": interview.location or "",
        "add_name": "",
        "add_email": "",
        "primary": (primary.email or "") if primary else "",
    }


def edit_values(detail: services.Detail) -> dict[str, Any]:
    """What interview.html needs for the form (interview_values adds it)."""
    now = current(detail)
    return {
        "edit_form": now,
        # the values the form was shown with: a save passes on only what the user changed
        # from these, so a form left open while another tab edited reverts nothing
        "edit_was": json.dumps(now, sort_keys=True),
        "people": [p for p in detail.interviewers if not p.removed],
        "edit_error": "",
        "zones": all_zones(),
        "zone_error": "",
        "cultures": CULTURES,
    }
