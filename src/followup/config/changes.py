"""Changing settings from a form: each field checked by the same parsers as `config set`,
one message per field, and nothing written unless every field is good.

The dashboard's Settings page calls these; `config set` and `mail setup` write through the
same `settings.update`, so a value one refuses the other refuses with the same words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from followup.app import zones
from followup.app.errors import InvalidInput
from followup.config import settings as settings_mod
from followup.domain.policy import describe_duration, parse_duration


class FieldErrors(InvalidInput):
    """Some fields are wrong: `errors` maps each field's name to its one message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


# The profile form's fields and the settings they set.
PROFILE_FIELDS = {
    "name": "user.name",
    "email": "user.email",
    "timezone": "timezone",
    "country": "country",
}


def _message(key: str, exc: InvalidInput) -> str:
    text = str(exc)
    return text[len(key) + 2 :] if text.startswith(f"{key}: ") else text


def zone_of(text: str) -> str:
    """An IANA zone from what a person typed: the name, or what `zones.resolve` is sure of
    ("Berlin", "PST", "UTC+1"); else InvalidInput with the closest names."""
    return zones.typed(text)


def change_profile(
    path: Path, form: dict[str, str], countries: Container[str] | None = None
) -> dict[str, Any]:
    """Your name, address, zone and country (one of `countries`, the codes with a holiday
    calendar, when given). An empty field clears its setting (its default again).
    FieldErrors when any field is wrong, and then nothing is written."""

    def parse(field: str, key: str, raw: str) -> Any:
        value = settings_mod.parse_value(key, zone_of(raw) if field == "timezone" else raw)
        if field == "country" and countries is not None and value not in countries:
            raise InvalidInput(f"no public-holiday calendar for country {raw[:10]!r}")
        return value

    return _change(path, form, PROFILE_FIELDS, parse)


class CadenceStep(NamedTuple):
    number: int
    kind: str
    after: str  # "48h", "7d", "2w"
    anchor: str
    minimum: str  # the article's shortest wait for this kind


def cadence_steps(policy: Any) -> list[CadenceStep]:
    """The steps the cadence form shows: each with its wait, as a config would write it."""
    return [
        CadenceStep(
            s.number,
            s.kind,
            describe_duration(s.delay),
            s.anchor.value,
            describe_duration(s.minimum),
        )
        for s in policy.steps
    ]


_STEP = re.compile(r"^step (\d+)(?: \([^)]*\))?:? ")
_UNUSABLE = "the policy in the config is not usable: "
# The policy's way past the article's floors is a config key; the form offers only the floors.
_CUSTOM = re.compile(r": set custom = true under \[policy\] to use a faster cadence")
_CUSTOM_OR = re.compile(r", or set custom = true under \[policy\]")


def change_cadence(path: Path, afters: dict[int, str]) -> dict[str, Any]:
    """Each step's wait ("48h", "7d", "2w"), written as `[[policy.steps]]`. The policy's own
    rules decide (domain/policy.py `Policy.checked`): no step sooner than the article allows
    unless `policy.custom` is true. FieldErrors by step number (`after_N`); nothing written."""
    current = settings_mod.load(path)
    policy = current.policy()
    errors: dict[str, str] = {}
    steps = []
    changed = False
    for step in policy.steps:
        given = afters.get(step.number, describe_duration(step.delay)).strip()
        try:
            delay = parse_duration(given)
        except ValueError as exc:
            errors[f"after_{step.number}"] = str(exc)
            continue
        changed = changed or delay != step.delay
        steps.append({"kind": step.kind, "after": given.lower(), "from": step.anchor.value})
    if errors:
        raise FieldErrors(errors)
    if not changed:
        return {}
    legacy = ("policy.thank_you_after_hours", "policy.follow_up_after_days",
              "policy.final_after_days")  # fmt: skip
    # The per-step keys count as custom (they predate it): written as steps instead, the
    # floors hold again unless policy.custom says otherwise.
    remove = tuple(k for k in legacy if k in current.values)
    try:
        return settings_mod.update(path, {"policy.steps": steps}, remove)
    except InvalidInput as exc:  # the policy as a whole (Policy.checked), by step
        text = str(exc).removeprefix(_UNUSABLE)
        found = _STEP.search(text)
        number = int(found.group(1)) if found else 1
        floor = next((s.minimum for s in policy.steps if s.number == number), None)
        said = _STEP.sub("", text, count=1)
        if floor is not None:  # what this form allows, not the config key that lifts it
            said = _CUSTOM.sub(f": enter {describe_duration(floor)} or more", said)
        raise FieldErrors({f"after_{number}": _CUSTOM_OR.sub("", said)}) from exc


# The mail account's servers (Settings → Mail account → Server settings) and the settings
# they set: what `config set mail.…` sets, through the same parsers.
MAIL_SERVER_FIELDS = {
    "smtp_host": "mail.smtp_host",
    "smtp_port": "mail.smtp_port",
    "smtp_security": "mail.smtp_security",
    "imap_host": "mail.imap_host",
    "imap_port": "mail.imap_port",
    "imap_security": "mail.imap_security",
    "mode": "mail.mode",
}


def change_mail_servers(path: Path, form: dict[str, str]) -> dict[str, Any]:
    """The SMTP and IMAP servers (host, port, security) and where notes go (`mail.mode`):
    each field checked as `config set` checks it, an empty one cleared (the provider's
    preset, else the default, again). FieldErrors by field; nothing written then. No
    secret is among them: the password stays in the keyring (the account's own form)."""
    return _change(
        path, form, MAIL_SERVER_FIELDS, lambda _, key, raw: settings_mod.parse_value(key, raw)
    )


def _change(
    path: Path,
    form: dict[str, str],
    fields: Mapping[str, str],
    parse: Callable[[str, str, str], Any],
) -> dict[str, Any]:
    """A form's fields (form field -> setting key) written at once: each parsed, an empty
    one cleared (its default again); FieldErrors by field, and then nothing written."""
    values: dict[str, Any] = {}
    remove: list[str] = []
    errors: dict[str, str] = {}
    for field, key in fields.items():
        if field not in form:
            continue
        raw = form[field].strip()
        if not raw:
            remove.append(key)
            continue
        try:
            values[key] = parse(field, key, raw)
        except InvalidInput as exc:
            errors[field] = _message(key, exc)
    if errors:
        raise FieldErrors(errors)
    return settings_mod.update(path, values, tuple(remove))
