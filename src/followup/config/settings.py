"""The user's settings: one TOML file, read with tomllib, written with tomlkit (keeps comments).

Every key is declared here with its parser; an unknown key is an error, never ignored.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from datetime import time, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from followup.app.errors import InvalidInput, StoreUnavailable
from followup.app.parse import parse_zone, typed_zone
from followup.config.paths import private_dir
from followup.domain import limits
from followup.domain.policy import (
    ARTICLE_POLICY,
    WEEKDAY_NAMES,
    PanelFollowUp,
    Policy,
    SendWindow,
    parse_step,
)

# Every number a setting holds is a count or a duration in hours, days or minutes: capping them
# keeps date arithmetic in range (timedelta(days=1e308) overflows, TOML allows inf and nan).
MAX_NUMBER = 100_000


def _positive_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("expected a number")
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float
        number = math.inf
    except ValueError:  # not Python's "could not convert string to float: 'lots'"
        raise ValueError("expected a number") from None
    if math.isnan(number):
        raise ValueError("expected a number")
    if number < 0:
        raise ValueError("must not be negative")
    if number > MAX_NUMBER:
        raise ValueError(f"must be at most {MAX_NUMBER}")
    return number


def _whole(value: Any) -> int:
    number = _positive_number(value)
    if number != int(number):
        raise ValueError("expected a whole number")
    return int(number)


def _clock(value: Any) -> str:
    try:
        return time.fromisoformat(str(value)).strftime("%H:%M")
    except ValueError as exc:
        raise ValueError("expected a time like 09:00") from exc


def _days(value: Any) -> list[str]:
    items = value if isinstance(value, list) else str(value).replace(" ", "").split(",")
    days = [str(d).lower()[:3] for d in items if str(d)]
    bad = [d for d in days if d not in WEEKDAY_NAMES]
    if bad or not days:
        raise ValueError(f"expected weekdays among {', '.join(WEEKDAY_NAMES)}")
    return days


def _one_line(value: Any) -> str:
    """One line of text: no line break of any kind, no terminal code nor text-direction
    override (they reach logs and terminals as they are)."""
    text = str(value).strip()
    if not text or len(text.splitlines()) > 1 or "\0" in text:  # U+2028, U+0085 too
        raise ValueError("expected a name on one line")
    problem = limits.length_problem("name", text, limits.NAME) or limits.control_problem(
        "name", text
    )  # as every other name
    if problem:
        raise ValueError(problem)
    return text


def _your_name(value: Any) -> str:
    """Your name as your notes' From shows it: one line, no character that reorders or
    hides text ("Eve \u202eelpmaxe.live"), and no address of its own — a From of
    '"Vic Tim <victim@example.edu>" <you@…>' shows someone else's address first."""
    text = _one_line(value)
    if "<" in text or ">" in text or _AN_ADDRESS.search(text):
        raise ValueError("expected your name alone, without an e-mail address")
    if "=?" in text:  # an RFC 2047 encoded word: a From that no send can write
        raise ValueError("expected your name as you write it, not encoded (=?utf-8?…)")
    return text


_AN_ADDRESS = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")


def _address(value: Any) -> str:
    from followup.app.parse import parse_mailbox

    try:
        return parse_mailbox(str(value))[1]
    except InvalidInput as exc:
        raise ValueError(str(exc)) from exc


def _choice(*allowed: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = str(value).strip().lower()
        if text not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}")
        return text

    return parse


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in ("true", "false"):
        raise ValueError("expected true or false")
    return text == "true"


_STEP_FIELDS = ("kind", "after", "from")


def _steps(value: Any) -> list[dict[str, str]]:
    """[[policy.steps]] tables: each a kind, a duration and its anchor (domain/policy.py
    checks each value; the policy as a whole is checked when it is built)."""
    if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
        raise ValueError("expected [[policy.steps]] tables, each with kind, after and from")
    steps = []
    for number, table in enumerate(value, 1):
        unknown = sorted(set(table) - set(_STEP_FIELDS))
        if unknown:
            raise ValueError(
                f"step {number}: unknown key {unknown[0]!r} (a step has kind, after, from)"
            )
        missing = [f for f in _STEP_FIELDS if f not in table]
        if missing:
            raise ValueError(f"step {number}: {missing[0]} is missing")
        if not all(isinstance(table[f], str) for f in _STEP_FIELDS):
            raise ValueError(f'step {number}: kind, after and from are text, e.g. after = "7d"')
        parse_step(number, table["kind"], table["after"], table["from"])
        steps.append({f: table[f] for f in _STEP_FIELDS})
    return steps


def _host(value: Any) -> str:
    """A host name or address: printable, no space (a terminal code in it went raw into the
    shared worker's log, an attacker trial found)."""
    text = str(value).strip()
    if not text or not text.isprintable() or any(c in text for c in " /@"):
        raise ValueError("expected a host name or address")
    return text


def _port(value: Any) -> int:
    port = _whole(value)
    if not 1 <= port <= 65535:
        raise ValueError("expected a port from 1 to 65535")
    return port


def _url(value: Any) -> str:
    text = str(value).strip()
    if not text.lower().startswith(("https://", "http://")) or any(c in text for c in " \r\n\0"):
        raise ValueError("expected an http(s):// URL")
    return text


def _oauth_url(value: Any) -> str:
    from followup.app.oauth import ENDPOINT_RULE, endpoint_allowed

    text = _url(value)
    if not endpoint_allowed(text):
        raise ValueError(f"expected {ENDPOINT_RULE}")
    return text


def _list(value: Any) -> list[str]:
    items = value if isinstance(value, list) else str(value).split(",")
    return [str(i).strip() for i in items if str(i).strip()]


def _addresses(value: Any) -> list[str]:
    return [_address(item) for item in _list(value)]


def _domains(value: Any) -> list[str]:
    domains = [d.lower().lstrip("@") for d in _list(value)]
    for d in domains:
        if "." not in d or any(c in d for c in " /@"):
            raise ValueError(f"{d!r} is not a domain")
    return domains


def _provider(value: Any) -> str:
    from followup.app.mailsetup import BY_ID

    return _choice(*BY_ID)(value)


def _country(value: Any) -> str:
    from followup.app.parse import parse_country
    from followup.domain.workdays import NO_COUNTRY

    try:
        code = parse_country(str(value))
    except InvalidInput as exc:
        raise ValueError(str(exc)) from exc
    if code is None or code == NO_COUNTRY:
        raise ValueError('a two-letter ISO code such as DE; "" clears it')
    return code


def _zone(value: Any) -> str:
    if str(value) == "localtime":  # what this machine is set to: its zone's own name, kept
        return local_zone()
    try:
        return typed_zone(str(value))
    except InvalidInput as exc:
        raise ValueError(str(exc)) from exc


class Key(NamedTuple):
    name: str
    parse: Callable[[Any], Any]
    help: str


KEYS: dict[str, Key] = {
    k.name: k
    for k in (
        Key("timezone", _zone, "your IANA zone; local times you type are read in it"),
        Key("country", _country, "your country: holidays where an interview's zone has none"),
        Key("user.name", _your_name, "your name: signs your notes"),
        Key("user.email", _address, "your address: From of your notes"),
        Key("mail.from_address", _address, "From of sent notes (default: user.email)"),
        Key("mail.aliases", _addresses, "your other addresses: never counted as replies"),
        Key("mail.mode", _choice("drafts", "send"), "drafts (save to Drafts) or send"),
        Key("mail.provider", _provider, "a preset's servers (mail setup writes it; docs/mail.md)"),
        Key("mail.smtp_host", _host, "SMTP server"),
        Key("mail.smtp_port", _port, "SMTP port (465 ssl, 587 starttls)"),
        Key("mail.smtp_security", _choice("ssl", "starttls", "none"), "none: loopback only"),
        Key("mail.imap_host", _host, "IMAP server"),
        Key("mail.imap_port", _port, "IMAP port (993 ssl, 143 starttls)"),
        Key("mail.imap_security", _choice("ssl", "starttls", "none"), "none: loopback only"),
        Key("mail.username", _one_line, "login for both servers"),
        Key("mail.password_command", _one_line, "a command that prints the password"),
        Key("mail.ca_file", _one_line, "extra CA certificates (PEM) to trust"),
        Key("mail.auth", _choice("password", "oauth2"), "password, or oauth2 (mail login)"),
        Key("mail.oauth.provider", _choice("microsoft", "google", "generic"), "whose sign-in"),
        Key("mail.oauth.client_id", _one_line, "the client id of the app you registered"),
        Key("mail.oauth.tenant", _one_line, "Microsoft: your tenant (default: common)"),
        Key("mail.oauth.authorization_endpoint", _oauth_url, "generic: the authorization endpoint"),
        Key("mail.oauth.token_endpoint", _oauth_url, "generic: the token endpoint"),
        Key("mail.oauth.device_endpoint", _oauth_url, "generic: the device authorization endpoint"),
        Key("mail.oauth.scopes", _one_line, "generic: the scopes, space-separated"),
        Key("mail.oauth.mechanism", _choice("xoauth2", "oauthbearer"), "SASL (default xoauth2)"),
        Key("mail.copy_to_sent", _flag, "file a copy of each sent note in Sent (default: preset)"),
        Key("mail.max_batch", _whole, "send --due refuses more than this without --yes"),
        Key(
            "mail.daily_limit",
            _whole,
            "recipients a day before notes wait (default: the preset's, Gmail 500; 0: none)",
        ),
        Key("mail.ooo_default_days", _whole, "defer after an out-of-office with no date"),
        Key("mail.ats_domains", _domains, "more applicant-tracking relays (adds to the built-in)"),
        Key("mail.sync_minutes", _positive_number, "followup worker reads new mail this often"),
        Key("caldav.url", _url, "CalDAV server for `caldav push` (https://…)"),
        Key("caldav.username", _one_line, "CalDAV login"),
        Key("caldav.password_command", _one_line, "a command that prints the CalDAV password"),
        Key("caldav.calendar", _one_line, "the calendar `caldav push` fills (default: followup)"),
        Key("policy.custom", _flag, "true: a cadence faster than the article's is meant"),
        Key("policy.steps", _steps, "the notes, in order ([[policy.steps]]: docs/policy.md)"),
        Key("policy.thank_you_after_hours", _positive_number, "thank-you: hours after the end"),
        Key("policy.follow_up_after_days", _positive_number, "follow-up: days after the thank-you"),
        Key("policy.final_after_days", _positive_number, "final: days after the follow-up"),
        Key(
            "policy.panel_follow_up",
            _choice(*(p.value for p in PanelFollowUp)),
            "a panel's later notes go to the primary contact or to all",
        ),
        Key("policy.max_notes", _whole, "how many of the steps to send (default: all)"),
        Key("policy.fading_after_days", _positive_number, "unsent thank-you is fading after"),
        Key("policy.overdue_after_hours", _positive_number, "grace before a due note is overdue"),
        Key("policy.default_duration_minutes", _whole, "interview length when none is given"),
        Key("policy.window_days", _days, "days notes may go out, recipient-local"),
        Key("policy.window_start", _clock, "send window opens, recipient-local"),
        Key("policy.window_end", _clock, "send window closes, recipient-local"),
    )
}


def local_zone() -> str:
    """The machine's IANA zone name (TZ, then /etc/localtime), or UTC when it cannot be told."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = os.readlink("/etc/localtime")
        candidates.append(target.split("zoneinfo/", 1)[-1] if "zoneinfo/" in target else "")
    except OSError:
        pass
    for name in candidates:
        if name:
            try:
                return parse_zone(name)
            except InvalidInput:
                continue
    return "UTC"


# The article's three steps as the keys that set their delays (before [[policy.steps]]).
_ARTICLE_STEP_KEYS = (
    ("policy.thank_you_after_hours", timedelta(hours=1)),
    ("policy.follow_up_after_days", timedelta(days=1)),
    ("policy.final_after_days", timedelta(days=1)),
)


class Settings(NamedTuple):
    values: dict[str, Any]  # flat, dotted keys, parsed

    @property
    def sender_name(self) -> str:
        return str(self.values.get("user.name", ""))

    @property
    def sender_email(self) -> str:
        return str(self.values.get("user.email", ""))

    def mail(self, key: str, default: Any = None) -> Any:
        return self.values.get(f"mail.{key}", default)

    @property
    def timezone(self) -> str:
        return str(self.values.get("timezone") or local_zone())

    def policy(self) -> Policy:
        try:
            return self._policy()
        except (ValueError, OverflowError) as exc:
            raise InvalidInput(f"the policy in the config is not usable: {exc}") from exc

    def _policy(self) -> Policy:
        v = self.values
        p = ARTICLE_POLICY
        fields: dict[str, object] = {"custom": v.get("policy.custom", False)}
        delays = {
            number: unit * v[key]
            for number, (key, unit) in enumerate(_ARTICLE_STEP_KEYS, 1)
            if key in v
        }
        if "policy.steps" in v:
            if delays:
                key = next(k for k, _ in _ARTICLE_STEP_KEYS if k in v)
                raise ValueError(
                    f"{key} does not apply when [[policy.steps]] lists the steps:"
                    " set that step's after instead"
                )
            steps = tuple(
                parse_step(n, s["kind"], s["after"], s["from"])
                for n, s in enumerate(v["policy.steps"], 1)
            )
            p = p._replace(steps=steps, max_notes=len(steps))
        window = p.window
        if any(k.startswith("policy.window_") for k in v):
            days = v.get("policy.window_days")
            window = SendWindow(
                weekdays=frozenset(WEEKDAY_NAMES.index(d) for d in days)
                if days
                else p.window.weekdays,
                start=time.fromisoformat(v.get("policy.window_start", f"{p.window.start:%H:%M}")),
                end=time.fromisoformat(v.get("policy.window_end", f"{p.window.end:%H:%M}")),
            )
        fields["window"] = window
        if "policy.panel_follow_up" in v:
            fields["panel_follow_up"] = PanelFollowUp(v["policy.panel_follow_up"])
        if "policy.max_notes" in v:
            fields["max_notes"] = v["policy.max_notes"]
        if "policy.fading_after_days" in v:
            fields["fading_after"] = timedelta(days=v["policy.fading_after_days"])
        if "policy.overdue_after_hours" in v:
            fields["overdue_after"] = timedelta(hours=v["policy.overdue_after_hours"])
        if "policy.default_duration_minutes" in v:
            fields["default_duration"] = timedelta(minutes=v["policy.default_duration_minutes"])
        return p.with_overrides(delays=delays, **fields)


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def parse_value(key: str, value: Any) -> Any:
    if key not in KEYS:
        import difflib

        near = difflib.get_close_matches(key, KEYS, n=1, cutoff=0.75)
        if near:  # a typo: the one meant, not a list of fifty
            raise InvalidInput(f"unknown setting {key!r}: did you mean {near[0]}?")
        raise InvalidInput(f"unknown setting {key!r}; known settings: {', '.join(KEYS)}")
    try:
        return KEYS[key].parse(value)
    except ValueError as exc:
        raise InvalidInput(f"{key}: {exc}") from exc


# The settings of each file this process has read, with the text they came from: a
# long-lived process (the worker, the dashboard) opens a context per visit or request, and
# each reads config.toml again. Reading a small file costs microseconds; parsing it (TOML,
# every key's parser, the policy) costs ~1 ms here, more than a whole visit's queries under
# load. Keyed by the text itself, never by the file's size and time: a change within the
# same clock tick (a test, or two quick `config set`s) is still seen.
_parsed: dict[Path, tuple[str, Settings]] = {}
_MAX_PARSED = 100_000  # files (seekers); past it the cache starts again


def load(path: Path) -> Settings:
    """The settings in `path` (none when it does not exist), every key checked.

    The file is read every time, and parsed again only when its text changed since this
    process last parsed it (`_parsed`)."""
    text = _read(path)
    if text is None:
        return Settings({})
    found = _parsed.get(path)
    if found is None or found[0] != text:
        settings = Settings(_values(_parse(text, path)))
        settings.policy()  # a policy that cannot be built is reported now, not mid-command
        if len(_parsed) >= _MAX_PARSED:
            _parsed.clear()
        _parsed[path] = found = (text, settings)
    return Settings(dict(found[1].values))  # a copy: a caller's change stays its own


def load_policy(path: Path) -> Policy:
    """The policy `path` sets. A file that never names `policy` sets none (the default),
    and is not parsed: a coach's list of 200 clients reads 200 files, and parsing each costs
    ~0.5 ms here. A file that does is read as `load` reads it, every key checked."""
    text = _read(path)
    if text is None or "policy" not in text:
        return Settings({}).policy()
    return Settings(_values(_parse(text, path))).policy()


def toml_value(value: Any) -> str:
    """A setting's value as TOML writes it: `true`, `"Asia/Tokyo"`, `["mon", "tue"]`, a
    step as an inline table `{ kind = "final", after = "2w", from = "previous-sent" }`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        import json  # only `config show` and `config set` print values

        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return str(value)


def _a_file_now(value: Any) -> None:
    path = Path(str(value)).expanduser()
    if not path.is_file() or not os.access(path, os.R_OK):
        raise ValueError(f"no readable file at {value} (export the certificate there first)")


# Checked when `config set` writes the value, not on every load: a file that goes away later
# is the TLS error's to say, not a reason to refuse every command.
_ON_SET: dict[str, Callable[[Any], None]] = {"mail.ca_file": _a_file_now}


def set_value(path: Path, key: str, value: str) -> Any:
    """Set `key` in the TOML file, keeping its comments; nothing is written if it is invalid.
    An empty value clears the key (its default again): None."""
    if isinstance(value, str) and not value.strip():
        if key not in KEYS:
            parse_value(key, value)  # the unknown-setting line
        update(path, {}, remove=(key,))
        return None
    if key in _ON_SET:
        try:
            _ON_SET[key](parse_value(key, value))
        except ValueError as exc:
            raise InvalidInput(f"{key}: {exc}") from exc
    return update(path, {key: value})[key]


def update(path: Path, values: dict[str, Any], remove: tuple[str, ...] = ()) -> dict[str, Any]:
    """Set `values` and remove the keys `remove` in one write, keeping the file's comments;
    nothing is written if any of it is invalid. The parsed values, by key."""
    import tomlkit

    parsed = {key: parse_value(key, value) for key, value in values.items()}
    text = _read(path)
    try:
        doc = tomlkit.parse(text) if text is not None else tomlkit.document()
    except Exception as exc:  # tomlkit raises its own ParseError subclasses (and RecursionError)
        raise _unusable(path, exc) from exc
    for key in remove:
        *parents, leaf = key.split(".")
        table: Any = doc
        for part in parents:
            table = table.get(part) if isinstance(table, dict) else None
        if isinstance(table, dict) and leaf in table:
            del table[leaf]
    for key, value in parsed.items():
        table = doc
        *parents, leaf = key.split(".")
        for depth, part in enumerate(parents, 1):
            if part not in table:
                table[part] = tomlkit.table()
            table = table[part]
            if not isinstance(table, dict):  # e.g. `user = 3` where [user] is expected
                where = ".".join(parents[:depth])
                raise StoreUnavailable(
                    f"the config file {path} sets {where} to a value where a table of settings"
                    " belongs: fix or remove that line"
                )
        table[leaf] = value
    new_text = tomlkit.dumps(doc)
    load_text_check(new_text, path)
    _write_private(path, new_text)
    return parsed


def load_text_check(text: str, path: Path | None = None) -> None:
    """Raise InvalidInput if `text` would not load as a config (e.g. window start after end)."""
    Settings(_values(_parse(text, path or Path("config.toml")))).policy()


def _read(path: Path) -> str | None:
    """The config file's text, None if there is none; StoreUnavailable if it cannot be read
    (a fifo or device too: reading one would block every command or never end)."""
    import stat

    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise StoreUnavailable(f"the config file {path} is not a regular file")
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreUnavailable(
            f"cannot read the config file {path}: {exc.strerror or exc}"
        ) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:  # a binary or UTF-16 file
        raise StoreUnavailable(
            f"the config file {path} is not UTF-8 text (TOML must be): byte {exc.start}"
        ) from exc


def _parse(text: str, path: Path) -> dict[str, Any]:
    import tomllib  # only when there is a file to read

    try:
        raw = tomllib.loads(text)
        return _flatten(raw)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        # tomllib and _flatten recurse once per level: `a = [[[[…` 10,000 deep overflows.
        raise _unusable(path, exc) from exc


def _values(flat: dict[str, Any]) -> dict[str, Any]:
    return {k: parse_value(k, v) for k, v in flat.items()}


def _unusable(path: Path, exc: BaseException) -> StoreUnavailable:
    lines = str(exc).splitlines() or [type(exc).__name__]
    reason = "nested too deeply" if isinstance(exc, RecursionError) else lines[0]
    return StoreUnavailable(f"the config file {path} is not valid TOML: {reason}")


def _write_private(path: Path, text: str) -> None:
    """Replace `path` with `text` atomically, readable by the user only (it names servers);
    through the one writer (app/files.py): a config.toml linked from a dotfiles directory
    is written through (the link stays), a fifo or device is refused."""
    from followup.app.files import open_private

    try:
        private_dir(path.parent)  # followup's config directory: 0700
        with open_private(path, follow=True) as f:  # atomic: never half-written
            f.write(text.encode("utf-8"))
    except OSError as exc:
        raise StoreUnavailable(
            f"cannot write the config file {path}: {exc.strerror or exc}"
        ) from exc
