"""ISO weeks as the roster names them: "2026-W20" is the week starting Monday 11/05/2026."""

import datetime as dt
import re

from django.utils import timezone

from onestop import clock

WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
FIRST_YEAR, LAST_YEAR = 2000, 2099


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def parse_week(value: str) -> dt.date:
    """The Monday of ISO week `value` ("YYYY-Www"); ValueError when it is not one."""
    match = WEEK.match(value.strip())
    if not match:
        raise ValueError(value)
    year, week = int(match[1]), int(match[2])
    # Weeks of years 1 and 9999 have no neighbour week to link to.
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(value)
    return dt.date.fromisocalendar(year, week, 1)


def week_code(monday: dt.date) -> str:
    year, week, _weekday = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_days(monday: dt.date) -> list[dt.date]:
    return [monday + dt.timedelta(days=i) for i in range(7)]


def today() -> dt.date:
    """Today's local date at the counter (the services' clock)."""
    return timezone.localdate(clock.now())


def current_monday() -> dt.date:
    return monday_of(today())
