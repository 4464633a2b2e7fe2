"""Working-time arithmetic for appointment dates (ngày hẹn trả kết quả).

Plain Python on top of `holidays` and `zoneinfo`: no Django import, so intake code, bulk data
generators and unit tests can use it without a configured project.

Conventions shared by every function below:

* Working periods are 07:00-11:30 and 13:30-17:00, Asia/Ho_Chi_Minh, Monday to Friday; the two
  periods make exactly one working day of 8 working hours. Both bounds of a period are inside
  working hours, so an instant at exactly 11:30 or 17:00 is a working instant.
* Days off are weekends and the national public holidays known to `holidays` (observed and
  substituted days included); the library's make-up working days (ngày làm bù, usually a
  Saturday) are working days. The Government's own swaps (``official_days_off`` and
  ``official_working_days``, shipped as data in wards/data/official_swaps.csv) beat the
  library and the city. A city's ``extra_working_days`` beat any other day off, and its
  ``extra_days_off`` any other working day; a date in both sets is a working day.
* An instant outside working hours (night, lunch break, day off) counts from the start of the
  next working period: its *effective start*.
* Adding whole working days keeps the wall-clock time of the effective start (Monday 09:00 plus
  3 days is Thursday 09:00; received at lunch, Monday 13:30 plus 1 day is Tuesday 13:30).
* A remaining part of a day that ends exactly where a period ends yields that end (11:30 or
  17:00), never the start of the following period.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "VIETNAM_TZ",
    "WORKING_DAY",
    "TermUnit",
    "Timeliness",
    "WorkingCalendar",
    "add_working_time",
    "appointment_at",
    "closing_time",
    "effective_day",
    "last_working_day_within",
    "term_appointment_at",
    "timeliness",
    "working_time_between",
]

VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WORKING_DAY = timedelta(hours=8)

Timeliness = Literal["early", "on_time", "late"]
# How a procedure states its term: in working days ("ngày làm việc") or in calendar days
# ("ngày"). The strings are the values of intake's Procedure.TermUnit.
TermUnit = Literal["working_days", "calendar_days"]
WORKING_DAYS: TermUnit = "working_days"
CALENDAR_DAYS: TermUnit = "calendar_days"

# Times of day are plain microsecond counts: integer arithmetic keeps bulk generation fast and
# exact, with no float rounding at period boundaries.
_US_PER_MINUTE = 60_000_000
_OPEN = 7 * 60 * _US_PER_MINUTE
_MORNING_END = (11 * 60 + 30) * _US_PER_MINUTE
_AFTERNOON_START = (13 * 60 + 30) * _US_PER_MINUTE
_CLOSE = 17 * 60 * _US_PER_MINUTE
_SAME_DAY_CUTOFF = 15 * 60 * _US_PER_MINUTE
_MORNING_LENGTH = _MORNING_END - _OPEN
_DAY_LENGTH = _MORNING_LENGTH + (_CLOSE - _AFTERNOON_START)


@lru_cache(maxsize=64)
def _national_working_flags(year: int) -> bytes:
    """One byte per day of `year` (index 0 is 1 January): 1 for a national working day."""
    # `is_working_day` is the library's public answer that already combines weekends, public
    # holidays with their observed/substituted days off, and `weekend_workdays` (the make-up
    # Saturdays, including ones swapped across a year boundary). The library's WORKDAY
    # category means something else (named observances that are not days off) and Vietnam
    # does not define it, so only the default public category is loaded.
    country = holidays.country_holidays("VN", years=year)
    first = date(year, 1, 1)
    length = (date(year + 1, 1, 1) - first).days
    return bytes(country.is_working_day(first + timedelta(days=i)) for i in range(length))


@dataclass(frozen=True)
class WorkingCalendar:
    """The national working calendar (the library and the official swaps) and one city's
    exceptions.

    Instances are immutable and hashable; build one per city and reuse it, since the
    per-year tables derived from it are cached by value.
    """

    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    official_days_off: frozenset[date] = frozenset()
    official_working_days: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        # Callers pass whatever their query produced (lists, sets); freezing keeps the
        # calendar hashable for the caches. A datetime would never equal a date during
        # lookups and would be ignored silently, hence the strict type check.
        for name in (
            "extra_days_off",
            "extra_working_days",
            "official_days_off",
            "official_working_days",
        ):
            days = frozenset(getattr(self, name))
            for day in days:
                if not isinstance(day, date) or isinstance(day, datetime):
                    raise TypeError(f"{name} must contain datetime.date values, got {day!r}")
            object.__setattr__(self, name, days)

    def is_working_day(self, day: date) -> bool:
        """Return True when `day` is a working day for this city."""
        # A decision of the Government binds every city's civil servants: a city's own
        # exception cannot undo it (wards.calendar_admin refuses one on such a date).
        if day in self.official_working_days:
            return True
        if day in self.official_days_off:
            return False
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        return bool(_national_working_flags(day.year)[day.toordinal() - _jan_first(day.year)])

    def next_working_day(self, day: date) -> date:
        """Return the first working day strictly after `day`."""
        return self.nth_working_day_after(day, 1)

    def nth_working_day_after(self, day: date, n: int) -> date:
        """Return the `n`-th working day strictly after `day` (n >= 1); `day` never counts."""
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        ordinal = day.toordinal()
        year = day.year
        while True:
            ordinals = _working_ordinals(self, year)
            index = bisect_right(ordinals, ordinal) + n - 1
            if index < len(ordinals):
                return date.fromordinal(ordinals[index])
            n = index - len(ordinals) + 1
            year += 1

    def nth_working_day_before(self, day: date, n: int) -> date:
        """Return the `n`-th working day strictly before `day` (n >= 1); `day` never counts."""
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        ordinal = day.toordinal()
        year = day.year
        while True:
            ordinals = _working_ordinals(self, year)
            index = bisect_left(ordinals, ordinal) - n
            if index >= 0:
                return date.fromordinal(ordinals[index])
            n = -index
            year -= 1
            ordinal = _jan_first(year + 1)

    def working_days_between(self, start: date, end: date) -> int:
        """Count working days in the half-open range [start, end); 0 when end <= start."""
        if end <= start:
            return 0
        first, last = start.toordinal(), end.toordinal()
        count = 0
        for year in range(start.year, end.year + 1):
            ordinals = _working_ordinals(self, year)
            count += bisect_left(ordinals, last) - bisect_left(ordinals, first)
        return count


@lru_cache(maxsize=4096)
def _jan_first(year: int) -> int:
    return date(year, 1, 1).toordinal()


@lru_cache(maxsize=1024)
def _working_ordinals(calendar: WorkingCalendar, year: int) -> tuple[int, ...]:
    """Sorted ordinals of the calendar's working days in `year`."""
    first = _jan_first(year)
    last = _jan_first(year + 1)
    return tuple(
        ordinal
        for ordinal in range(first, last)
        if calendar.is_working_day(date.fromordinal(ordinal))
    )


def _require_aware(value: datetime, name: str) -> datetime:
    """Return `value` converted to Vietnam time; reject anything but an aware datetime."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
    return value.astimezone(VIETNAM_TZ)


def _time_of_day(local: datetime) -> int:
    return ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond


def _worked_by(time_of_day: int) -> int:
    """Working time of one working day already elapsed at `time_of_day`."""
    if time_of_day <= _OPEN:
        return 0
    if time_of_day <= _MORNING_END:
        return time_of_day - _OPEN
    if time_of_day <= _AFTERNOON_START:
        return _MORNING_LENGTH
    if time_of_day <= _CLOSE:
        return _MORNING_LENGTH + time_of_day - _AFTERNOON_START
    return _DAY_LENGTH


def _clock(worked: int) -> int:
    """Time of day at which `worked` (0..8h) of a working day has elapsed."""
    # `<=` puts an exact end of the morning at 11:30 rather than at 13:30.
    if worked <= _MORNING_LENGTH:
        return _OPEN + worked
    return _AFTERNOON_START + worked - _MORNING_LENGTH


def _effective_start(local: datetime, calendar: WorkingCalendar) -> tuple[date, int]:
    """The working day and time of day from which an instant starts counting."""
    day = local.date()
    if calendar.is_working_day(day):
        time_of_day = _time_of_day(local)
        if time_of_day <= _OPEN:
            return day, _OPEN
        if time_of_day <= _MORNING_END:
            return day, time_of_day
        if time_of_day < _AFTERNOON_START:
            return day, _AFTERNOON_START
        if time_of_day <= _CLOSE:
            return day, time_of_day
    return calendar.next_working_day(day), _OPEN


def _local_datetime(day: date, time_of_day: int) -> datetime:
    seconds, microsecond = divmod(time_of_day, 1_000_000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return datetime(
        day.year, day.month, day.day, hour, minute, second, microsecond, tzinfo=VIETNAM_TZ
    )


def _advance(calendar: WorkingCalendar, day: date, time_of_day: int, duration: int) -> datetime:
    """Move a working instant forward by `duration` microseconds of working time."""
    whole_days, remainder = divmod(duration, _DAY_LENGTH)
    if whole_days:
        day = calendar.nth_working_day_after(day, whole_days)
    if remainder:
        worked = _worked_by(time_of_day) + remainder
        # Strictly greater: landing exactly on 8h is 17:00 of this day, not 07:00 of the next.
        if worked > _DAY_LENGTH:
            day = calendar.next_working_day(day)
            worked -= _DAY_LENGTH
        time_of_day = _clock(worked)
    return _local_datetime(day, time_of_day)


def appointment_at(
    received_at: datetime, processing_days: int, calendar: WorkingCalendar
) -> datetime:
    """Return the appointment (ngày hẹn trả) for a dossier received at `received_at`.

    For ``processing_days >= 1`` the result is the effective start moved forward by that many
    working days at the same wall-clock time, i.e. exactly ``processing_days * 8`` working
    hours later; it equals ``add_working_time(received_at, processing_days * WORKING_DAY)``.

    For ``processing_days == 0`` (same-day procedures) the result is 17:00 on the day of the
    effective start when that start is at or before 15:00, otherwise 17:00 of the next working
    day.

    The result is an aware datetime in Asia/Ho_Chi_Minh, always inside working hours.
    Raises ValueError for a naive `received_at` or a negative `processing_days`.
    """
    local = _require_aware(received_at, "received_at")
    if isinstance(processing_days, bool) or not isinstance(processing_days, int):
        raise TypeError(f"processing_days must be an int, got {processing_days!r}")
    if processing_days < 0:
        raise ValueError(f"processing_days must not be negative, got {processing_days}")
    day, time_of_day = _effective_start(local, calendar)
    if processing_days == 0:
        if time_of_day > _SAME_DAY_CUTOFF:
            day = calendar.next_working_day(day)
        return _local_datetime(day, _CLOSE)
    return _advance(calendar, day, time_of_day, processing_days * _DAY_LENGTH)


def add_working_time(start: datetime, duration: timedelta, calendar: WorkingCalendar) -> datetime:
    """Return the instant at which `duration` of working time has elapsed since `start`.

    Whole 8-hour days keep the wall-clock time of the effective start; a remainder ending
    exactly at 11:30 or 17:00 returns that end. A zero `duration` returns the effective start
    (`start` itself when it is inside working hours). The result is an aware datetime in
    Asia/Ho_Chi_Minh, and ``working_time_between(start, result, calendar) == duration``.
    Raises ValueError for a naive `start` or a negative `duration`.
    """
    local = _require_aware(start, "start")
    if duration < timedelta(0):
        raise ValueError(f"duration must not be negative, got {duration}")
    day, time_of_day = _effective_start(local, calendar)
    return _advance(calendar, day, time_of_day, duration // timedelta(microseconds=1))


def working_time_between(start: datetime, end: datetime, calendar: WorkingCalendar) -> timedelta:
    """Return the working time elapsed from `start` to `end` (zero outside working hours).

    Raises ValueError for naive datetimes or when `end` is before `start`.
    """
    local_start = _require_aware(start, "start")
    local_end = _require_aware(end, "end")
    if local_end < local_start:
        raise ValueError(f"end {end.isoformat()} is before start {start.isoformat()}")
    start_day, end_day = local_start.date(), local_end.date()
    start_working = calendar.is_working_day(start_day)
    worked_at_start = _worked_by(_time_of_day(local_start)) if start_working else 0
    worked_at_end = _worked_by(_time_of_day(local_end)) if calendar.is_working_day(end_day) else 0
    if start_day == end_day:
        elapsed = worked_at_end - worked_at_start
    else:
        rest_of_first_day = (_DAY_LENGTH if start_working else 0) - worked_at_start
        days_between = calendar.working_days_between(start_day + timedelta(days=1), end_day)
        elapsed = rest_of_first_day + days_between * _DAY_LENGTH + worked_at_end
    return timedelta(microseconds=elapsed)


def timeliness(resolved_at: datetime, appointment_at: datetime) -> Timeliness:
    """Classify a resolution against its appointment by Vietnam-local calendar dates.

    Returns "early" when resolved on a date before the appointment's date, "on_time" on the
    same date (whatever the hour) and "late" on a later date. Raises ValueError for naive
    datetimes.
    """
    resolved_day = _require_aware(resolved_at, "resolved_at").date()
    appointment_day = _require_aware(appointment_at, "appointment_at").date()
    if resolved_day < appointment_day:
        return "early"
    if resolved_day == appointment_day:
        return "on_time"
    return "late"


def calendar_days_appointment_at(
    received_at: datetime, days: int, calendar: WorkingCalendar
) -> datetime:
    """Return the appointment for a term stated in calendar days ("… ngày", not "ngày làm
    việc").

    Civil Code 2015 Art. 147(1): the day of receipt does not count, the term runs from the next
    day; Art. 148(1) and (3): it ends at the end of its last day, and when that day is a weekend
    or a holiday, at the end of the next working day. The end of a day at the counter is its
    closing time, 17:00. A term of 0 days is a same-day procedure and follows
    `appointment_at` (17:00 of the day, the next working day after 15:00).

    Raises ValueError for a naive `received_at` or a negative `days`.
    """
    local = _require_aware(received_at, "received_at")
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError(f"days must be an int, got {days!r}")
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    if days == 0:
        return appointment_at(received_at, 0, calendar)
    last = local.date() + timedelta(days=days)
    if not calendar.is_working_day(last):
        last = calendar.next_working_day(last)
    return _local_datetime(last, _CLOSE)


def term_appointment_at(
    received_at: datetime, days: int, unit: str, calendar: WorkingCalendar
) -> datetime:
    """The appointment for a term of `days` in `unit` (WORKING_DAYS or CALENDAR_DAYS).

    Raises ValueError for an unknown unit, as well as whatever the unit's function raises.
    """
    if unit == WORKING_DAYS:
        return appointment_at(received_at, days, calendar)
    if unit == CALENDAR_DAYS:
        return calendar_days_appointment_at(received_at, days, calendar)
    raise ValueError(f"unknown term unit {unit!r}")


def effective_day(moment: datetime, calendar: WorkingCalendar) -> date:
    """The working day an instant counts on: its own day when that is a working day and the
    instant is not after closing time (17:00), otherwise the next working day."""
    day, _time_of_day = _effective_start(_require_aware(moment, "moment"), calendar)
    return day


def closing_time(day: date) -> datetime:
    """17:00 of `day` in Asia/Ho_Chi_Minh: where a day counted in whole days ends."""
    return _local_datetime(day, _CLOSE)


def last_working_day_within(start: datetime, working_days: int, calendar: WorkingCalendar) -> date:
    """The last day of a window of `working_days` whole working days opened at `start`.

    The day `start` counts on (`effective_day`) does not count, as a term in days does not count
    its first day (Civil Code 2015 Art. 147(1)); the window runs to the end of the
    `working_days`-th working day after it. Received Monday 10:00, a window of 3 working days
    ends with Thursday; received Friday 18:00 (after closing), with Thursday as well, since the
    dossier counts from Monday. A window of 0 days ends with the effective day itself.
    """
    day = effective_day(start, calendar)
    if working_days < 0:
        raise ValueError(f"working_days must not be negative, got {working_days}")
    return calendar.nth_working_day_after(day, working_days) if working_days else day
