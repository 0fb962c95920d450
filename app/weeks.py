"""ISO 8601 week arithmetic (Monday to Sunday weeks): pure, no I/O but the time zone database.

Representable range: every ISO week whose seven days are all valid `datetime.date`
values, from 0001-W01 (Monday 0001-01-01) to 9999-W51 (Sunday 9999-12-26). The ISO
year 9999 has 52 weeks, but 9999-W52 runs from Monday 9999-12-27 to Sunday
10000-01-02, a date that cannot exist; so 9999-W52 is out of range, and so is asking
for the week of 9999-12-27..9999-12-31 (`date.max`). Dates and months follow the
weeks: the parsers accept the days of those weeks, 0001-01-01 to 9999-12-26, and the
months whose every row is one of them, 0001-01 to 9999-11 (9999-12 ends in 9999-W52).
Every out-of-range message states its range exactly. Whatever leaves that range raises
`OutOfRangeError`, never `OverflowError`.

Every error is a `CalendarError` (a `ValueError`) whose message says what is wrong and
what to write instead.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from functools import cache, lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "DEFAULT_TIME_ZONE",
    "FIRST_WEEK",
    "LAST_WEEK",
    "CalendarError",
    "GridDay",
    "GridWeek",
    "InvalidDateError",
    "InvalidMonthError",
    "InvalidWeekError",
    "OutOfRangeError",
    "UnknownTimeZoneError",
    "Week",
    "current_week",
    "month_grid",
    "parse_date",
    "parse_month",
    "parse_week_day",
    "weeks_in_year",
]

DEFAULT_TIME_ZONE: Final = "Europe/Paris"

_WEEK_FORMAT: Final = "use YYYY-Www, e.g. 2026-W48"
_WEEK_DAY_FORMAT: Final = "use YYYY-Www-D with D from 1 (Monday) to 7 (Sunday), e.g. 2026-W48-3"
_DATE_FORMAT: Final = "use YYYY-MM-DD, e.g. 2026-11-05"
_MONTH_FORMAT: Final = "use YYYY-MM, e.g. 2026-11"
_RANGE: Final = "weeks run from 0001-W01 (0001-01-01) to 9999-W51 (9999-12-26)"
_DATE_RANGE: Final = "dates run from 0001-01-01 to 9999-12-26 (the days of 0001-W01..9999-W51)"
_MONTH_RANGE: Final = (
    "months run from 0001-01 to 9999-11 (the months whose weeks all lie in 0001-W01..9999-W51)"
)
_ZONE_NAMES: Final = (
    f"use an IANA time zone name, Area/Location such as {DEFAULT_TIME_ZONE!r}, "
    "'America/New_York' or 'Asia/Tokyo', or 'UTC' (case matters)"
)
_PAST_THE_END: Final = "would end on 10000-01-02, past the last date 9999-12-31"
_MONTH_NAMES: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MAX_SHOWN: Final = 40
_ONE_WEEK: Final = timedelta(days=7)
# 9999-W52 would end on 10000-01-02: the last representable week is W51.
_LAST_ISO_WEEK: Final = 51

# [0-9] and fullmatch, not \d and $: \d accepts other scripts' digits and $ a final "\n".
_WEEK_RE: Final = re.compile(r"([0-9]{4})-W([0-9]{2})(?:-([0-9]))?")
_DATE_RE: Final = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_MONTH_RE: Final = re.compile(r"([0-9]{4})-([0-9]{2})")
_LOOSE_WEEK_RE: Final = re.compile(
    r"\s*([0-9]{4})\s*-?\s*[Ww]\s*([0-9]{1,2})(?:\s*-?\s*([0-9]))?\s*"
)
_LOOSE_DATE_RE: Final = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})")
_COMPACT_DATE_RE: Final = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_LOOSE_MONTH_RE: Final = re.compile(r"\s*([0-9]{4})[-/.]?([0-9]{1,2})\s*")
# IANA names are ASCII words joined by "/" (Etc/GMT+5, America/Port-au-Prince); checking
# the shape first keeps path-like input ("../etc", "/etc/passwd") away from the file system.
_ZONE_RE: Final = re.compile(r"[A-Za-z0-9_+-]{1,32}(?:/[A-Za-z0-9_+-]{1,32}){0,3}")


class CalendarError(ValueError):
    """Base of every error of this module: the input is not a valid calendar value."""


class InvalidWeekError(CalendarError):
    """The text or numbers do not name an existing ISO week (or week day)."""


class InvalidDateError(CalendarError):
    """The text is not a strict YYYY-MM-DD date, or the date does not exist."""


class InvalidMonthError(CalendarError):
    """The text or numbers do not name a month (YYYY-MM, month 01..12)."""


class UnknownTimeZoneError(CalendarError):
    """The name is not an IANA time zone (the tzdata package lists them, aliases included)."""


class OutOfRangeError(CalendarError):
    """The value lies outside the representable weeks (0001-W01..9999-W51)."""


def _shown(value: object) -> str:
    """Quote a user value for a message, cut short so a huge input cannot flood logs."""
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else f"{text[:_MAX_SHOWN]}...'"


def _require_int(value: object, name: str, error: type[CalendarError]) -> int:
    """Return value if it is a real int (bool is refused: True is not a year)."""
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"{name} must be an int, got {type(value).__name__} {_shown(value)}"
        raise error(msg)
    return value


def _require_year(value: object, name: str, error: type[CalendarError]) -> int:
    """Return value if it is an int year within 0001..9999."""
    year = _require_int(value, name, error)
    if not MINYEAR <= year <= MAXYEAR:
        msg = f"{name} {year} is out of range: years run from 0001 to 9999; {_RANGE}"
        raise OutOfRangeError(msg)
    return year


def _require_text(value: object, error: type[CalendarError], fmt: str) -> str:
    """Return value if it is a str."""
    if not isinstance(value, str):
        msg = f"expected text, got {type(value).__name__} {_shown(value)}: {fmt}"
        raise error(msg)
    return value


def _suggestion(candidate: str, parse: Callable[[str], object]) -> str:
    """Return "; did you mean X?" if the corrected candidate parses, else ""."""
    try:
        parse(candidate)
    except CalendarError:
        return ""
    return f"; did you mean {candidate}?"


def weeks_in_year(iso_year: int) -> int:
    """Return the number of ISO weeks (52 or 53) of an ISO year within 0001..9999."""
    year = _require_year(iso_year, "ISO year", InvalidWeekError)
    # 28 December is always in the last ISO week of its year.
    return date(year, 12, 28).isocalendar()[1]


def _week_count_text(year: int) -> str:
    count = weeks_in_year(year)
    return f"{year:04d} has {count} ISO weeks ({year:04d}-W01..{year:04d}-W{count:02d})"


@dataclass(frozen=True, slots=True, order=True)
class Week:
    """An ISO 8601 week (Monday to Sunday) within 0001-W01..9999-W51; see the module doc."""

    iso_year: int
    iso_week: int

    def __post_init__(self) -> None:
        year = _require_year(self.iso_year, "ISO year", InvalidWeekError)
        week = _require_int(self.iso_week, "ISO week", InvalidWeekError)
        count = weeks_in_year(year)
        if not 1 <= week <= count:
            msg = f"week {week} of {year:04d} does not exist: {_week_count_text(year)}"
            raise InvalidWeekError(msg)
        if year == MAXYEAR and week > _LAST_ISO_WEEK:
            msg = (
                f"{year:04d}-W{week:02d} is out of range: it would end on 10000-01-02, "
                f"past the last date 9999-12-31; {_RANGE}"
            )
            raise OutOfRangeError(msg)

    @classmethod
    def _trusted(cls, iso_year: int, iso_week: int) -> Week:
        """Build without validation, for (year, week) pairs that come from the calendar."""
        # Skips the generated __init__ and __post_init__ (from_date is on the hot path and
        # date.isocalendar() only yields existing weeks); the slot descriptors set the
        # frozen fields directly, about 30 % faster than object.__setattr__.
        week = object.__new__(cls)
        _set_iso_year(week, iso_year)
        _set_iso_week(week, iso_week)
        return week

    @classmethod
    def of(cls, iso_year: int, iso_week: int) -> Week:
        """Return the validated week iso_week of iso_year (InvalidWeekError, OutOfRangeError)."""
        return cls(iso_year, iso_week)

    @classmethod
    def from_date(cls, d: date) -> Week:
        """Return the ISO week containing d; OutOfRangeError for 9999-12-27..9999-12-31."""
        iso_year, iso_week, _ = d.isocalendar()
        if iso_week > _LAST_ISO_WEEK and iso_year == MAXYEAR:
            msg = (
                f"{d.isoformat()} is in {iso_year:04d}-W{iso_week:02d}, which is out of range: "
                f"that week would end on 10000-01-02, past the last date 9999-12-31; {_RANGE}"
            )
            raise OutOfRangeError(msg)
        return cls._trusted(iso_year, iso_week)

    @classmethod
    def parse(cls, text: str) -> Week:
        """Parse "YYYY-Www" (e.g. "2026-W48"), or the day form "YYYY-Www-D", to its week."""
        iso_year, iso_week, _ = _parse_week_text(text, day_required=False, error=InvalidWeekError)
        return cls._trusted(iso_year, iso_week)

    @property
    def monday(self) -> date:
        """The first day of the week."""
        return date.fromisocalendar(self.iso_year, self.iso_week, 1)

    @property
    def sunday(self) -> date:
        """The last day of the week."""
        return date.fromisocalendar(self.iso_year, self.iso_week, 7)

    @property
    def days(self) -> tuple[date, ...]:
        """The seven dates of the week, Monday first."""
        first = self.monday.toordinal()
        return tuple(map(date.fromordinal, range(first, first + 7)))

    @property
    def label(self) -> str:
        """The ISO text of the week, e.g. "2026-W48"."""
        return f"{self.iso_year:04d}-W{self.iso_week:02d}"

    def __str__(self) -> str:
        return self.label

    def contains(self, d: date) -> bool:
        """Tell whether d falls within this week."""
        iso = d.isocalendar()
        return iso[1] == self.iso_week and iso[0] == self.iso_year

    def next(self) -> Week:
        """Return the following week; OutOfRangeError after 9999-W51."""
        if self.iso_year == MAXYEAR and self.iso_week == _LAST_ISO_WEEK:
            msg = f"{self.label} is the last representable week, it has no next week; {_RANGE}"
            raise OutOfRangeError(msg)
        return type(self).from_date(self.monday + _ONE_WEEK)

    def previous(self) -> Week:
        """Return the preceding week; OutOfRangeError before 0001-W01."""
        if self.iso_year == MINYEAR and self.iso_week == 1:
            msg = f"{self.label} is the first representable week, it has no previous week; {_RANGE}"
            raise OutOfRangeError(msg)
        return type(self).from_date(self.monday - _ONE_WEEK)


_set_iso_year: Final = Week.__dict__["iso_year"].__set__
_set_iso_week: Final = Week.__dict__["iso_week"].__set__

FIRST_WEEK: Final = Week(MINYEAR, 1)
"""The first representable week, 0001-W01 (Monday 0001-01-01)."""
LAST_WEEK: Final = Week(MAXYEAR, _LAST_ISO_WEEK)
"""The last representable week, 9999-W51 (Sunday 9999-12-26)."""
_LAST_DAY: Final = LAST_WEEK.sunday
# 9999-12's last row is 9999-W52: the last month whose rows are all representable.
_LAST_MONTH: Final = (MAXYEAR, 11)


def _parse_week_text(
    text: str, *, day_required: bool, error: type[CalendarError]
) -> tuple[int, int, int]:
    """Parse "YYYY-Www[-D]" into a representable (ISO year, ISO week, day); day 1 if absent."""
    fmt = _WEEK_DAY_FORMAT if day_required else _WEEK_FORMAT
    text = _require_text(text, error, fmt)
    match = _WEEK_RE.fullmatch(text)
    if match is None:
        hint = ""
        loose = _LOOSE_WEEK_RE.fullmatch(text)
        if loose is not None:
            year, week, day = loose.groups()
            candidate = f"{year}-W{int(week):02d}" + ("" if day is None else f"-{day}")
            hint = _suggestion(candidate, parse_week_day if day_required else Week.parse)
        kind = "a week day" if day_required else "a week"
        msg = f"{_shown(text)} is not {kind}: {fmt}{hint}"
        raise error(msg)
    year_text, week_text, day_text = match.groups()
    if day_text is None and day_required:
        msg = f"{_shown(text)} is a week, not a day: add the day number, {fmt}"
        raise error(msg)
    day = 1 if day_text is None else int(day_text)
    if not 1 <= day <= 7:  # noqa: PLR2004  ISO days are 1..7 by definition
        msg = f"{_shown(text)} has no day {day}: {_WEEK_DAY_FORMAT}"
        raise error(msg)
    year, week = int(year_text), int(week_text)
    if year < MINYEAR:
        msg = f"{_shown(text)} is out of range: {_RANGE}"
        raise OutOfRangeError(msg)
    if not 1 <= week <= weeks_in_year(year):
        msg = f"{_shown(text)} is not a week: {_week_count_text(year)}; {_WEEK_FORMAT}"
        raise InvalidWeekError(msg)
    if year == MAXYEAR and week > _LAST_ISO_WEEK:
        msg = (
            f"{_shown(text)} is out of range: {year:04d}-W{week:02d} would end on 10000-01-02, "
            f"past the last date 9999-12-31; {_RANGE}"
        )
        raise OutOfRangeError(msg)
    return year, week, day


def parse_week_day(text: str) -> date:
    """Parse an ISO week date "YYYY-Www-D" (e.g. "2026-W48-3") to that date."""
    iso_year, iso_week, day = _parse_week_text(text, day_required=True, error=InvalidDateError)
    return date.fromisocalendar(iso_year, iso_week, day)


def parse_date(text: str) -> date:
    """Parse a strict "YYYY-MM-DD" date (e.g. "2026-11-05"); nothing else is accepted."""
    text = _require_text(text, InvalidDateError, _DATE_FORMAT)
    match = _DATE_RE.fullmatch(text)
    if match is None:
        msg = f"{_shown(text)} is not a date: {_date_shape_problem(text)}"
        raise InvalidDateError(msg)
    year, month, day = (int(part) for part in match.groups())
    if year < MINYEAR:
        msg = f"{_shown(text)} is out of range: {_DATE_RANGE}"
        raise OutOfRangeError(msg)
    if not 1 <= month <= len(_MONTH_NAMES):
        msg = f"{_shown(text)} is not a date: month {month:02d} does not exist; {_DATE_FORMAT}"
        raise InvalidDateError(msg)
    length = monthrange(year, month)[1]
    if not 1 <= day <= length:
        msg = (
            f"{_shown(text)} is not a date: {_MONTH_NAMES[month - 1]} {year:04d} "
            f"has {length} days, pick a day from 01 to {length}"
        )
        raise InvalidDateError(msg)
    parsed = date(year, month, day)
    if parsed > _LAST_DAY:
        msg = f"{_shown(text)} is out of range: its week, 9999-W52, {_PAST_THE_END}; {_DATE_RANGE}"
        raise OutOfRangeError(msg)
    return parsed


def _date_shape_problem(text: str) -> str:
    """Say how text differs from YYYY-MM-DD, with a corrected form when there is one."""
    stripped = text.strip()
    if stripped != text and _DATE_RE.fullmatch(stripped):
        problem, candidate = "remove the spaces around it", stripped
    elif compact := _COMPACT_DATE_RE.fullmatch(stripped):
        problem, candidate = "the dashes are missing", "-".join(compact.groups())
    elif loose := _LOOSE_DATE_RE.fullmatch(stripped):
        year, month, day = loose.groups()
        problem = "month and day need two digits each, joined by '-'"
        candidate = f"{year}-{int(month):02d}-{int(day):02d}"
    else:
        return _DATE_FORMAT
    return f"{problem}, {_DATE_FORMAT}{_suggestion(candidate, parse_date)}"


def _require_month(year: object, month: object) -> tuple[int, int]:
    """Return (year, month) if both are ints with year 0001..9999 and month 1..12."""
    checked_year = _require_year(year, "year", InvalidMonthError)
    checked_month = _require_int(month, "month", InvalidMonthError)
    if not 1 <= checked_month <= len(_MONTH_NAMES):
        msg = f"there is no month {checked_month}: months run from 1 to 12; {_MONTH_FORMAT}"
        raise InvalidMonthError(msg)
    return checked_year, checked_month


def parse_month(text: str) -> tuple[int, int]:
    """Parse a strict "YYYY-MM" month (e.g. "2026-11") to (year, month)."""
    text = _require_text(text, InvalidMonthError, _MONTH_FORMAT)
    match = _MONTH_RE.fullmatch(text)
    if match is None:
        hint = ""
        loose = _LOOSE_MONTH_RE.fullmatch(text)
        if loose is not None:
            year, month = loose.groups()
            hint = _suggestion(f"{year}-{int(month):02d}", parse_month)
        msg = f"{_shown(text)} is not a month: {_MONTH_FORMAT}{hint}"
        raise InvalidMonthError(msg)
    year, month = int(match[1]), int(match[2])
    if year < MINYEAR:
        msg = f"{_shown(text)} is out of range: {_MONTH_RANGE}"
        raise OutOfRangeError(msg)
    if not 1 <= month <= len(_MONTH_NAMES):
        msg = f"{_shown(text)} is not a month: months run 01..12; {_MONTH_FORMAT}"
        raise InvalidMonthError(msg)
    if (year, month) > _LAST_MONTH:
        raise OutOfRangeError(_last_month_message(_shown(text)))
    return year, month


def _last_month_message(shown: str) -> str:
    return f"{shown} is out of range: its last row, 9999-W52, {_PAST_THE_END}; {_MONTH_RANGE}"


@dataclass(frozen=True, slots=True)
class GridDay:
    """One cell of a month grid: a date and whether it belongs to the month shown."""

    date: date
    in_month: bool


@dataclass(frozen=True, slots=True)
class GridWeek:
    """One row of a month grid: an ISO week and its seven days, Monday first."""

    week: Week
    days: tuple[GridDay, ...]


def month_grid(year: int, month: int) -> tuple[GridWeek, ...]:
    """Return the Monday-first weeks (4 to 6 rows) covering every day of a month."""
    checked_year, checked_month = _require_month(year, month)
    if (checked_year, checked_month) > _LAST_MONTH:
        raise OutOfRangeError(_last_month_message("9999-12"))
    return _month_grid(checked_year, checked_month)


@lru_cache(maxsize=256)
def _month_grid(year: int, month: int) -> tuple[GridWeek, ...]:
    """Build the grid of a validated month (cached: grids are immutable and often reused)."""
    first = date(year, month, 1).toordinal()
    last = first + monthrange(year, month)[1] - 1
    # 0001-01-01 is a Monday, so the first Monday is never before date.min.
    start = first - date.fromordinal(first).weekday()
    rows = []
    for monday in range(start, last + 1, 7):
        days = tuple(
            GridDay(date.fromordinal(ordinal), first <= ordinal <= last)
            for ordinal in range(monday, monday + 7)
        )
        rows.append(GridWeek(Week.from_date(days[0].date), days))
    return tuple(rows)


@cache
def _iana_zone_names() -> frozenset[str]:
    """Return the IANA time zone names (aliases included): the tzdata package's list."""
    listed = (files("tzdata") / "zones").read_text(encoding="utf-8").split()
    # Factory is IANA's "zone unknown" placeholder (offset 0, abbreviation -00): no place.
    return frozenset(listed) - {"Factory"}


def _zone(tz_name: str) -> ZoneInfo:
    """Return the IANA zone named tz_name, or raise UnknownTimeZoneError."""
    if not isinstance(tz_name, str) or _ZONE_RE.fullmatch(tz_name) is None:
        msg = f"{_shown(tz_name)} is not a time zone name: {_ZONE_NAMES}"
        raise UnknownTimeZoneError(msg)
    # ZoneInfo alone would also load any TZif file under the host's zoneinfo directory
    # (localtime: the host's zone; posixrules; posix/..., right/...): files, not places.
    if tz_name not in _iana_zone_names():
        msg = (
            f"unknown time zone {_shown(tz_name)}: {_ZONE_NAMES}; the host's files "
            "(localtime, posixrules, posix/..., right/...) and Factory are not time zones"
        )
        raise UnknownTimeZoneError(msg)
    # Every listed name loads (tzdata ships its file); one that did not would be a broken
    # installation, a server error, not the client's.
    return ZoneInfo(tz_name)


def current_week(tz_name: str = DEFAULT_TIME_ZONE, now: datetime | None = None) -> Week:
    """Return the ISO week of today in the IANA zone tz_name (now: an aware instant, for tests)."""
    zone = _zone(tz_name)
    if now is None:
        return Week.from_date(datetime.now(zone).date())
    if now.utcoffset() is None:
        msg = (
            f"now={now.isoformat()} has no time zone, so its day is ambiguous: "
            "pass an aware datetime, e.g. datetime.now(UTC)"
        )
        raise InvalidDateError(msg)
    try:
        local = now.astimezone(zone)
    except OverflowError as exc:
        msg = f"{now.isoformat()} in {tz_name} falls outside 0001-01-01..9999-12-31; {_RANGE}"
        raise OutOfRangeError(msg) from exc
    return Week.from_date(local.date())
