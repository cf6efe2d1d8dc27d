"""`followup caldav push`: the planned notes, published to a CalDAV calendar.

The items are `app.calendar.publish`'s — the same UIDs and SEQUENCEs as `export --ics` —
each written as its own calendar object (one VCALENDAR with one VEVENT, or a VTODO with
`--todo`) by the same codec. What is on the server is the state compared against: an item
is PUT when the server lacks its UID or holds a different SEQUENCE, time, status or text;
an object of ours (a UID `followup-<this database's install id>-note-N@followup.invalid`)
that the plan no longer shows is DELETEd. Nothing else in the calendar is read twice or
touched. No local table is needed: an event deleted by hand comes back on the next push,
and what a failed push left half done is finished by the next one.

The `caldav` package is an optional extra and is imported only here: its HTTP stack installs
a start-up hook in every Python process, which a plain `pip install followup` should not.
The login is basic auth, given explicitly (no guessing from a 401's challenge).
"""

from __future__ import annotations

import inspect
import re
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, NamedTuple
from urllib.parse import quote

from followup.app.calendar import publish
from followup.app.context import Context
from followup.app.errors import FollowupError, InvalidInput
from followup.app.ports import CalendarCodec
from followup.app.rows import Feed

MISSING_EXTRA = "install the caldav extra: pip install 'followup[caldav]'"
TIMEOUT_SECONDS = 30
_FINGERPRINT = ("UID", "SEQUENCE", "STATUS", "SUMMARY", "DESCRIPTION")
_TIMES = ("DTSTART", "DTEND", "DUE", "COMPLETED")


class CalDavError(FollowupError):
    """The CalDAV server could not be reached or refused a request (exit code 1)."""


class CalDavTarget(NamedTuple):
    url: str
    username: str
    calendar: str
    password_command: str | None


class PushResult(NamedTuple):
    url: str
    calendar: str
    component: str  # VEVENT | VTODO
    created: int
    updated: int
    deleted: int
    unchanged: int
    calendar_created: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "calendar": self.calendar,
            "component": self.component,
            "calendar_created": self.calendar_created,
            "created": self.created,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
        }


def require_extra() -> None:
    """InvalidInput (exit 4) when the `caldav` extra is not installed; imports nothing."""
    from importlib.util import find_spec

    if find_spec("caldav") is None:
        raise InvalidInput(MISSING_EXTRA)


# --- the push -----------------------------------------------------------------------------


def push(
    ctx: Context, codec: CalendarCodec, target: CalDavTarget, secret: str, todo: bool = False
) -> PushResult:
    """Make the CalDAV calendar show what `publish` shows; only our own UIDs are touched."""
    try:
        import caldav
        from caldav.lib import error as dav_error
    except ImportError as exc:
        raise InvalidInput(MISSING_EXTRA) from exc
    where = _shown(target.url)
    try:
        client_class: Any = caldav.DAVClient
        client = client_class(url=target.url, **_auth(client_class, target, secret))
        calendar, made = _calendar(client, target.calendar)
        ours = _our_objects(calendar, _uid_pattern(ctx))
        feed = publish(ctx, todo)  # after connecting: a refused login raises no SEQUENCE
        counts = _sync(client, calendar, codec, feed, ours)
    except dav_error.AuthorizationError as exc:
        raise InvalidInput(
            f"the CalDAV server at {where} refused the login of {target.username!r}"
            " (wrong username or password? iCloud and Fastmail need an app password)"
        ) from exc
    except dav_error.NotFoundError as exc:
        raise InvalidInput(
            f"no CalDAV service at {where}: check caldav.url (e.g. Nextcloud's"
            " https://HOST/remote.php/dav)"
        ) from exc
    except dav_error.DAVError as exc:
        raise CalDavError(f"the CalDAV server at {where} refused a request: {_short(exc)}") from exc
    except (OSError, ValueError) as exc:  # requests/niquests' ConnectionError is an OSError
        raise CalDavError(f"cannot reach the CalDAV server at {where}: {_short(exc)}") from exc
    created, updated, deleted, unchanged = counts
    return PushResult(
        url=where,
        calendar=target.calendar,
        component="VTODO" if todo else "VEVENT",
        created=created,
        updated=updated,
        deleted=deleted,
        unchanged=unchanged,
        calendar_created=made,
    )


def _auth(client_class: Any, target: CalDavTarget, secret: str) -> dict[str, Any]:
    """Basic auth, said so where this caldav version lets it be said (`auth_type`)."""
    kwargs: dict[str, Any] = {"username": target.username, "password": secret}
    params = inspect.signature(client_class).parameters
    if "auth_type" in params:
        kwargs["auth_type"] = "basic"
    if "timeout" in params:
        kwargs["timeout"] = TIMEOUT_SECONDS
    return kwargs


def _calendar(client: Any, name: str) -> tuple[Any, bool]:
    """The calendar whose display name is `name`, made when there is none."""
    principal = client.principal()
    for calendar in principal.calendars():
        if _display_name(calendar) == name:
            return calendar, False
    return principal.make_calendar(
        name=name, supported_calendar_component_set=["VEVENT", "VTODO"]
    ), True


def _display_name(calendar: Any) -> str | None:
    getter = getattr(calendar, "get_display_name", None)
    found = getter() if getter is not None else getattr(calendar, "name", None)
    return str(found) if found is not None else None


def _uid_pattern(ctx: Context) -> re.Pattern[str]:
    with ctx.store.transaction():
        install = ctx.store.calendar_install_id(secrets.token_hex(8), ctx.clock.now())
    return re.compile(rf"followup-{re.escape(install)}-note-\d+@followup\.invalid")


class _Remote(NamedTuple):
    url: Any
    fingerprint: tuple[str, ...]


def _our_objects(calendar: Any, ours: re.Pattern[str]) -> dict[str, list[_Remote]]:
    """Our objects on the server by UID (events and tasks); everyone else's are skipped."""
    found: dict[str, list[_Remote]] = {}
    objects = [
        *calendar.search(event=True),
        *calendar.search(todo=True, include_completed=True),
    ]
    for obj in objects:
        for component in _components(_text(obj.data)):
            uid = str(component.get("UID", ""))
            if ours.fullmatch(uid):
                found.setdefault(uid, []).append(_Remote(obj.url, _fingerprint(component)))
                break
    return found


def _sync(
    client: Any,
    calendar: Any,
    codec: CalendarCodec,
    feed: Feed,
    ours: dict[str, list[_Remote]],
) -> tuple[int, int, int, int]:
    created = updated = deleted = unchanged = 0
    wanted = [i for i in feed.items if feed.todo or i.status == "open"]  # events: open only
    kept: set[str] = set()
    for item in wanted:
        kept.add(item.uid)
        data = codec.write(feed._replace(items=(item,)))
        remote = ours.get(item.uid, [])
        mine = _fingerprint(next(iter(_components(data))))
        if remote and remote[0].fingerprint == mine:
            unchanged += 1
        elif remote:
            _put(client, remote[0].url, data)
            updated += 1
        else:
            _put(client, _join(calendar.url, quote(item.uid, safe="@-.") + ".ics"), data)
            created += 1
        for extra in remote[1:]:  # the same UID twice: keep one
            _delete(client, extra.url)
    for uid, remotes in ours.items():
        if uid not in kept:
            for gone in remotes:
                _delete(client, gone.url)
            deleted += 1
    return created, updated, deleted, unchanged


def _put(client: Any, url: Any, data: bytes) -> None:
    response = client.put(
        str(url), data.decode("utf-8"), {"Content-Type": 'text/calendar; charset="utf-8"'}
    )
    _check(response, "PUT", url, (200, 201, 204))


def _delete(client: Any, url: Any) -> None:
    response = client.delete(str(url))
    _check(response, "DELETE", url, (200, 204, 404))  # 404: already gone


def _check(response: Any, method: str, url: Any, ok: Iterable[int]) -> None:
    status = int(getattr(response, "status", 0) or 0)
    if status not in ok:
        from caldav.lib import error as dav_error

        if status == 401:
            raise dav_error.AuthorizationError(f"{method} {url}: 401")
        reason = getattr(response, "reason", "") or ""
        raise CalDavError(f"the CalDAV server answered {method} with {status} {reason}".strip())


def _join(base: Any, name: str) -> str:
    text = str(base)
    return (text if text.endswith("/") else text + "/") + name


# --- comparing what is there with what should be ------------------------------------------


def _text(data: Any) -> bytes:
    if isinstance(data, bytes):
        return data
    return str(data or "").encode("utf-8")


def _components(data: bytes) -> list[Any]:
    import icalendar

    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception:  # someone else's broken object: not ours to judge
        return []
    return [c for c in calendar.walk() if c.name in ("VEVENT", "VTODO")]


def _fingerprint(component: Any) -> tuple[str, ...]:
    """What a push decides on: the kind, UID, SEQUENCE, status, text and times (in UTC)."""
    parts = [str(component.name)]
    parts += [str(component.get(name, "")) for name in _FINGERPRINT]
    for name in _TIMES:
        prop = component.get(name)
        value = getattr(prop, "dt", None)
        if isinstance(value, datetime):
            value = value.astimezone(UTC) if value.tzinfo else value
        parts.append(value.isoformat() if value is not None else "")
    parts.append(",".join(sorted(str(a.get("TRIGGER").to_ical()) for a in _alarms(component))))
    return tuple(parts)


def _alarms(component: Any) -> list[Any]:
    return [c for c in component.subcomponents if c.name == "VALARM" and c.get("TRIGGER")]


def _shown(url: str) -> str:
    """The URL for messages: no user or password in it."""
    return re.sub(r"//[^/@]*@", "//", url)


def _short(exc: BaseException, limit: int = 200) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."
