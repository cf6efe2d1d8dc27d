"""An out-of-office's return date (see the package notes for how dates are read)."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta
from typing import NamedTuple

from followup.domain.replies.text import _OWN_LIMIT, _normal

# --- return dates -------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _month, _names in enumerate(
    (
        "january jan januar jänner janvier janv enero januari gennaio janeiro",
        "february feb februar février fevrier févr fevr febrero februari febbraio fevereiro",
        "march mar märz maerz mär mars marzo maart março marco",
        "april apr avril avr abril aprile",
        "may mai mayo mei maggio maio",
        "june jun juni juin junio giugno junho",
        "july jul juli juillet juil julio luglio julho",
        "august aug août aout agosto augustus",
        "september sep sept septembre septiembre setiembre settembre setembro",
        "october oct oktober okt octobre octubre ottobre outubro",
        "november nov novembre noviembre novembro",
        "december dec dezember dez décembre decembre déc diciembre dicembre dezembro",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _month

_WEEKDAYS: dict[str, int] = {}
for _day, _names in enumerate(
    (
        "monday mon montag lundi lunes maandag lunedì lunedi segunda segunda-feira",
        "tuesday tue tues dienstag mardi martes dinsdag martedì martedi terça terça-feira",
        "wednesday wed mittwoch mercredi miércoles miercoles woensdag mercoledì quarta",
        "thursday thu thurs donnerstag jeudi jueves donderdag giovedì giovedi quinta",
        "friday fri freitag vendredi viernes vrijdag venerdì venerdi sexta sexta-feira",
        "saturday sat samstag samedi sábado sabado zaterdag sabato",
        "sunday sun sonntag dimanche domingo zondag domenica",
    )
):
    for _name in _names.split():
        _WEEKDAYS[_name] = _day

_MONTH = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_WEEKDAY = "|".join(sorted(map(re.escape, _WEEKDAYS), key=len, reverse=True))
_ORDINAL = r"(?:st|nd|rd|th|er|e|\.|º|°)?"
_DATE_FORMS = (
    re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),
    re.compile(
        rf"(?<!\w)(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}}){_ORDINAL}(?!\d)"
        r"(?:,?\s+(?P<y>\d{4})(?!\d))?"
    ),
    re.compile(
        rf"(?<![\w.])(?P<d>\d{{1,2}}){_ORDINAL}\s*(?:of\s+|de\s+)?(?P<mon>{_MONTH})(?!\w)\.?"
        r"(?:,?\s+(?:de\s+)?(?P<y>\d{4})(?!\d))?"
    ),
    # Japanese "(2026年)11月30日", which comes before its "まで" (until): read without a trigger
    re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?<!\d)(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    # Korean "(2026년) 12월 3일"
    re.compile(r"(?:(?P<y>\d{4})\s*년\s*)?(?<!\d)(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일"),
    # "the end of February": its last day
    re.compile(rf"(?<!\w)end of (?P<end>{_MONTH})(?!\w)(?:,?\s+(?P<y>\d{{4}})(?!\d))?"),
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?:(?P<y>\d{4}|\d{2})(?!\d))?"),
    re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?(?![\d/])"),
)
_WEEKDAY_FORM = re.compile(rf"(?<!\w)(?P<wd>{_WEEKDAY})(?!\w)")
_ENGLISH_TRIGGERS = (
    r"back(?: in (?:the )?office| in| at (?:my )?(?:desk|work)| to (?:the )?office)?"
    r"(?: on| by| from| after)?"
    r"|return(?:ing)?(?: to (?:the )?(?:office|work))?(?: on)?|returns?|resum\w*|until|till"
    r"|til|through|thru|up to and including|reachable again|available again"
)
_TRIGGER = re.compile(
    rf"(?<!\w)(?:(?P<en>{_ENGLISH_TRIGGERS})"
    r"|(?P<other>zur[üu]ck(?: im b[üu]ro)?(?: am| ab)?|wieder (?:im b[üu]ro |erreichbar |da )?"
    r"(?:am|ab)|bis(?: einschlie(?:ß|ss)lich| inklusive| zum| am)?|ab dem|ab"
    r"|jusqu'(?:au|à)|(?:de )?retour(?: au bureau)?(?: le)?|reviendrai(?: le)?|à partir du"
    r"|hasta(?: el)?|regreso(?: el)?|de vuelta(?: el)?|volver[ée](?: el)?|regresar[ée](?: el)?"
    r"|a partir del?|tot en met|t/m|tot|terug(?: op)?|weer (?:aanwezig|op kantoor|bereikbaar)"
    r"(?: op| vanaf)?|vanaf|fino al|fino a|rientr\w*(?: il| previsto per il)?|di ritorno(?: il)?"
    r"|at[ée](?: o dia| ao dia| dia)?|retorno(?: em| no dia| dia)?|regresso(?: em| a)?"
    r"|estarei de volta(?: em| no dia)?))(?!\w)"
)
_RANGE = re.compile(r"\s*(?:-|–|—|to|bis|au|al|a|tot|t/m|through|until)\s*")
_FILLER = re.compile(
    r"^[\s,]*(?:(?:the|on|le|el|o|dia|dem|den|zum|am|of|du|del|de|il|op)\b[\s,.]*)*$"
)
_WINDOW = 48


class _Found(NamedTuple):
    start: int
    end: int
    value: date


def return_date(subject: str, own: str, anchor: date | None) -> date | None:
    """The date an out-of-office says its writer is back, or None (see the module notes)."""
    text = _normal(f"{subject}\n{own}")[: _OWN_LIMIT + 400]
    found: list[date] = []
    for trigger in _TRIGGER.finditer(text):
        english = trigger.group("en") is not None
        hit = _date_after(text, trigger.end(), anchor, english)
        if hit is not None:
            found.append(hit.value)
            # a range: "1 - 7 December", "December 1 to December 7"
            rest = text[hit.end : hit.end + _WINDOW]
            connector = _RANGE.match(rest)
            if connector:
                more = _date_after(text, hit.end + connector.end(), anchor, english)
                if more is not None:
                    found.append(more.value)
    if not found:  # no return word: a month-named date within the coming year
        found = [
            hit.value
            for hit in _dates(text, 0, len(text), anchor, english=True, numeric=False)
            if anchor is None or anchor <= hit.value <= _plus(anchor, 366)
        ]
    return max(found) if found else None


def _plus(day: date, days: int) -> date:
    return day + timedelta(days=days) if day <= date.max - timedelta(days=days) else date.max


def _date_after(text: str, pos: int, anchor: date | None, english: bool) -> _Found | None:
    """The date (or weekday) that follows `pos` after only filler words, if any."""
    hits = _dates(text, pos, pos + _WINDOW, anchor, english, numeric=True)
    hits += _weekday(text, pos, anchor)
    first = min(hits, key=lambda h: (h.start, -h.end), default=None)
    if first is not None and _FILLER.match(_WEEKDAY_FORM.sub(" ", text[pos : first.start])):
        return first
    return None


def _weekday(text: str, pos: int, anchor: date | None) -> list[_Found]:
    match = _WEEKDAY_FORM.match(text, _skip_filler(text, pos))
    if match is None or anchor is None:
        return []
    # only a weekday alone: "back on Monday" (with a date after it, the date wins)
    if any(form.match(text, _skip_filler(text, match.end())) for form in _DATE_FORMS):
        return []
    ahead = (_WEEKDAYS[match.group("wd")] - anchor.weekday() - 1) % 7 + 1
    if anchor > date.max - timedelta(days=ahead):
        return []
    return [_Found(match.start(), match.end(), anchor + timedelta(days=ahead))]


def _skip_filler(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " ,.\t":
        pos += 1
    return pos


def _dates(
    text: str, start: int, end: int, anchor: date | None, english: bool, numeric: bool
) -> list[_Found]:
    out: list[_Found] = []
    forms = _DATE_FORMS if numeric else _DATE_FORMS[:6]  # those that name their month
    for form in forms:
        for match in form.finditer(text, start, min(end, len(text))):
            value = _resolve(match.groupdict(), anchor, english)
            if value is not None:
                out.append(_Found(match.start(), match.end(), value))
    return out


def _resolve(parts: dict[str, str | None], anchor: date | None, english: bool) -> date | None:
    year = _year(parts.get("y"))
    day_text = parts.get("d")
    if parts.get("a") is not None:  # slashed: month-first or day-first
        a, b = int(parts["a"] or 0), int(parts["b"] or 0)
        readings = [(a, b), (b, a)] if english else [(b, a), (a, b)]
        candidates = [v for m, d in readings if (v := _on(year, m, d, anchor)) is not None]
        if not candidates:
            return None
        if anchor is None:
            return candidates[0]
        upcoming = [v for v in candidates if v >= anchor]
        return min(upcoming) if upcoming else candidates[0]
    if parts.get("end") is not None:  # "the end of February": the month's last day
        return _month_end(year, _MONTHS[parts["end"] or ""], anchor)
    if day_text is None:
        return None
    month_name = parts.get("mon")
    month = _MONTHS.get(month_name.rstrip(".")) if month_name else int(parts.get("m") or 0)
    return _on(year, month or 0, int(day_text), anchor)


def _month_end(year: int | None, month: int, anchor: date | None) -> date | None:
    """The last day of `month` in `year`, or the first such day on or after the anchor."""
    years = [year] if year is not None else [anchor.year, anchor.year + 1] if anchor else []
    for y in years:
        if not 1 <= y <= 9999:
            return None
        last = date(y, month, monthrange(y, month)[1])
        if year is not None or anchor is None or last >= anchor:
            return last
    return None


def _year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def _on(year: int | None, month: int, day: int, anchor: date | None) -> date | None:
    """The date, with a missing year taken from the anchor (rolling over to the next year)."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if year is not None:
        return _valid(year, month, day)
    if anchor is None:
        return None
    for candidate_year in range(anchor.year, anchor.year + 9):
        value = _valid(candidate_year, month, day)
        if value is not None and value >= anchor:
            return value
    return None


def _valid(year: int, month: int, day: int) -> date | None:
    if not 1 <= year <= 9999:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
