"""Appointment-date arithmetic: plain functions, no database.

Holiday dates below come from holidays 0.109 (printed from the library, not assumed):
Tết 2025 Mon 27/01-Fri 31/01 (+ Sat 01/02), Tết 2026 Mon 16/02-Fri 20/02, Tết 2027
Thu 04/02-Wed 10/02; make-up working Saturdays 04/05/2024, 26/04/2025 and 22/08/2026.
"""

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from wards.calendar import (
    VIETNAM_TZ,
    WORKING_DAY,
    WorkingCalendar,
    add_working_time,
    appointment_at,
    timeliness,
    working_time_between,
)

NATIONAL = WorkingCalendar()
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    return datetime(year, month, day, hour, minute, second, tzinfo=VIETNAM_TZ)


def hours(value: float) -> timedelta:
    return timedelta(hours=value)


# --- appointment_at ---------------------------------------------------------------------------

APPOINTMENTS = [
    # Monday 09:00 + 3 working days -> Thursday 09:00
    (at(2025, 3, 3, 9), 3, at(2025, 3, 6, 9)),
    # Monday 12:00 (lunch break, counts from 13:30) + 1 -> Tuesday 13:30
    (at(2025, 3, 3, 12), 1, at(2025, 3, 4, 13, 30)),
    # Monday 11:30 exactly (end of the morning is inside hours) + 1 -> Tuesday 11:30
    (at(2025, 3, 3, 11, 30), 1, at(2025, 3, 4, 11, 30)),
    # Monday 11:30:01 (lunch break) + 1 -> Tuesday 13:30
    (at(2025, 3, 3, 11, 30, 1), 1, at(2025, 3, 4, 13, 30)),
    # Monday 13:29 (lunch break) + 1 -> Tuesday 13:30
    (at(2025, 3, 3, 13, 29), 1, at(2025, 3, 4, 13, 30)),
    # Monday 16:50 + 1 -> Tuesday 16:50
    (at(2025, 3, 3, 16, 50), 1, at(2025, 3, 4, 16, 50)),
    # Monday 17:00 exactly (end of the day is inside hours) + 1 -> Tuesday 17:00
    (at(2025, 3, 3, 17), 1, at(2025, 3, 4, 17)),
    # Monday 06:30 (before opening, counts from 07:00) + 1 -> Tuesday 07:00
    (at(2025, 3, 3, 6, 30), 1, at(2025, 3, 4, 7)),
    # Monday 18:00 (after closing, counts from Tuesday 07:00) + 1 -> Wednesday 07:00
    (at(2025, 3, 3, 18), 1, at(2025, 3, 5, 7)),
    # Friday 16:00 + 2 -> Tuesday 16:00
    (at(2025, 3, 7, 16), 2, at(2025, 3, 11, 16)),
    # Friday 17:30 (counts from Monday 07:00) + 1 -> Tuesday 07:00
    (at(2025, 3, 7, 17, 30), 1, at(2025, 3, 11, 7)),
    # Saturday 10:00 (counts from Monday 07:00) + 1 -> Tuesday 07:00
    (at(2025, 3, 8, 10), 1, at(2025, 3, 11, 7)),
    # Monday 09:00 + 60 -> Thursday 29/05/2025 09:00 (skips Hùng Kings' Mon 07/04 and
    # Wed 30/04-Fri 02/05, counts the make-up Saturday 26/04)
    (at(2025, 3, 3, 9), 60, at(2025, 5, 29, 9)),
    # Same day: Monday 14:59 + 0 -> Monday 17:00
    (at(2025, 3, 3, 14, 59), 0, at(2025, 3, 3, 17)),
    # Same day: Monday 15:00 exactly + 0 -> Monday 17:00
    (at(2025, 3, 3, 15), 0, at(2025, 3, 3, 17)),
    # Same day: Monday 15:01 + 0 -> Tuesday 17:00
    (at(2025, 3, 3, 15, 1), 0, at(2025, 3, 4, 17)),
    # Same day: Monday 06:00 (counts from 07:00) + 0 -> Monday 17:00
    (at(2025, 3, 3, 6), 0, at(2025, 3, 3, 17)),
    # Same day: Monday 12:00 (counts from 13:30) + 0 -> Monday 17:00
    (at(2025, 3, 3, 12), 0, at(2025, 3, 3, 17)),
    # Same day: Monday 18:00 (counts from Tuesday 07:00) + 0 -> Tuesday 17:00
    (at(2025, 3, 3, 18), 0, at(2025, 3, 4, 17)),
    # Same day: Friday 15:30 + 0 -> Monday 17:00
    (at(2025, 3, 7, 15, 30), 0, at(2025, 3, 10, 17)),
    # Same day: Saturday 10:00 + 0 -> Monday 17:00
    (at(2025, 3, 8, 10), 0, at(2025, 3, 10, 17)),
    # New Year: Tuesday 31/12/2024 10:00 + 1 -> Thursday 02/01/2025 10:00 (Wed 01/01 off)
    (at(2024, 12, 31, 10), 1, at(2025, 1, 2, 10)),
    # Tết 2025: Friday 24/01 10:00 + 1 -> Monday 03/02 10:00 (Mon 27/01-Sun 02/02 off)
    (at(2025, 1, 24, 10), 1, at(2025, 2, 3, 10)),
    # Tết 2025: Wednesday 29/01 09:00 (holiday, counts from Mon 03/02 07:00) + 1
    # -> Tuesday 04/02 07:00
    (at(2025, 1, 29, 9), 1, at(2025, 2, 4, 7)),
    # Tết 2025 same day: Friday 24/01 16:00 + 0 -> Monday 03/02 17:00
    (at(2025, 1, 24, 16), 0, at(2025, 2, 3, 17)),
    # Tết 2026: Friday 13/02 09:00 + 1 -> Monday 23/02 09:00 (Mon 16/02-Fri 20/02 off)
    (at(2026, 2, 13, 9), 1, at(2026, 2, 23, 9)),
    # Tết 2026: Thursday 12/02 14:00 + 3 -> Tuesday 24/02 14:00
    (at(2026, 2, 12, 14), 3, at(2026, 2, 24, 14)),
    # Tết 2027: Wednesday 03/02 10:00 + 1 -> Thursday 11/02 10:00 (Thu 04/02-Wed 10/02 off)
    (at(2027, 2, 3, 10), 1, at(2027, 2, 11, 10)),
    # Tết 2027: Wednesday 03/02 10:00 + 2 -> Friday 12/02 10:00
    (at(2027, 2, 3, 10), 2, at(2027, 2, 12, 10)),
    # Hùng Kings' 2025: Friday 04/04 10:00 + 1 -> Tuesday 08/04 10:00 (Mon 07/04 off)
    (at(2025, 4, 4, 10), 1, at(2025, 4, 8, 10)),
    # Hùng Kings' 2026 on Sunday 26/04, observed Monday 27/04:
    # Friday 24/04 10:00 + 1 -> Tuesday 28/04 10:00
    (at(2026, 4, 24, 10), 1, at(2026, 4, 28, 10)),
    # 30/4-1/5 2026 (Thu, Fri): Tuesday 28/04 10:00 + 2 -> Monday 04/05 10:00
    (at(2026, 4, 28, 10), 2, at(2026, 5, 4, 10)),
    # 30/4-1/5 2025 with bridge Friday 02/05: Tuesday 29/04 10:00 + 1 -> Monday 05/05 10:00
    (at(2025, 4, 29, 10), 1, at(2025, 5, 5, 10)),
    # 30/4-1/5 2024 with bridge Monday 29/04: Friday 26/04 10:00 + 1 -> Thursday 02/05 10:00
    (at(2024, 4, 26, 10), 1, at(2024, 5, 2, 10)),
    # 30/4-1/5 2027 (1/5 on Saturday, observed Monday 03/05):
    # Thursday 29/04 10:00 + 1 -> Tuesday 04/05 10:00
    (at(2027, 4, 29, 10), 1, at(2027, 5, 4, 10)),
    # Make-up Saturday 26/04/2025: Friday 25/04 10:00 + 1 -> Saturday 26/04 10:00
    (at(2025, 4, 25, 10), 1, at(2025, 4, 26, 10)),
    # Make-up Saturday 26/04/2025 same day: Saturday 09:00 + 0 -> Saturday 26/04 17:00
    (at(2025, 4, 26, 9), 0, at(2025, 4, 26, 17)),
    # Make-up Saturday 26/04/2025: Saturday 09:00 + 1 -> Monday 28/04 09:00
    (at(2025, 4, 26, 9), 1, at(2025, 4, 28, 9)),
    # Make-up Saturday 04/05/2024: Friday 03/05 10:00 + 1 -> Saturday 04/05 10:00
    (at(2024, 5, 3, 10), 1, at(2024, 5, 4, 10)),
    # Make-up Saturday 22/08/2026: Friday 21/08 10:00 + 1 -> Saturday 22/08 10:00
    (at(2026, 8, 21, 10), 1, at(2026, 8, 22, 10)),
    # 2/9 2026 with bridge Monday 31/08 and Tuesday 01/09:
    # Friday 28/08 10:00 + 1 -> Thursday 03/09 10:00
    (at(2026, 8, 28, 10), 1, at(2026, 9, 3, 10)),
    # 2/9 2025 (Mon 01/09, Tue 02/09 off): Friday 29/08 10:00 + 1 -> Wednesday 03/09 10:00
    (at(2025, 8, 29, 10), 1, at(2025, 9, 3, 10)),
    # 2/9 2024 (Mon 02/09, Tue 03/09 off): Friday 30/08 10:00 + 1 -> Wednesday 04/09 10:00
    (at(2024, 8, 30, 10), 1, at(2024, 9, 4, 10)),
    # 2/9 2027 (Thu 02/09, Fri 03/09 off): Wednesday 01/09 10:00 + 1 -> Monday 06/09 10:00
    (at(2027, 9, 1, 10), 1, at(2027, 9, 6, 10)),
]


@pytest.mark.parametrize(("received", "processing_days", "expected"), APPOINTMENTS)
def test_appointment_at(received, processing_days, expected):
    result = appointment_at(received, processing_days, NATIONAL)
    assert result == expected
    assert result.tzinfo == VIETNAM_TZ


def test_appointment_at_converts_other_time_zones_to_vietnam_time():
    # Monday 02:00 UTC is Monday 09:00 in Vietnam: + 3 -> Thursday 09:00 (+07:00)
    result = appointment_at(datetime(2025, 3, 3, 2, tzinfo=UTC), 3, NATIONAL)
    assert result.isoformat() == "2025-03-06T09:00:00+07:00"


def test_appointment_at_matches_adding_whole_working_days():
    # Monday 12:00 (lunch) + 2 days of working time -> Wednesday 13:30, same as appointment_at
    received = at(2025, 3, 3, 12)
    assert add_working_time(received, 2 * WORKING_DAY, NATIONAL) == at(2025, 3, 5, 13, 30)
    assert appointment_at(received, 2, NATIONAL) == at(2025, 3, 5, 13, 30)


# --- city exceptions --------------------------------------------------------------------------

CITY_CASES = [
    # Extra day off Monday 10/03/2025: Friday 07/03 10:00 + 1 -> Tuesday 11/03 10:00
    (WorkingCalendar(extra_days_off=frozenset({date(2025, 3, 10)})), at(2025, 3, 7, 10), 1,
     at(2025, 3, 11, 10)),
    # Extra working Saturday 08/03/2025: Friday 07/03 10:00 + 1 -> Saturday 08/03 10:00
    (WorkingCalendar(extra_working_days=frozenset({date(2025, 3, 8)})), at(2025, 3, 7, 10), 1,
     at(2025, 3, 8, 10)),
    # Extra working day on the bridge Friday 02/05/2025: Tuesday 29/04 10:00 + 1
    # -> Friday 02/05 10:00
    (WorkingCalendar(extra_working_days=frozenset({date(2025, 5, 2)})), at(2025, 4, 29, 10), 1,
     at(2025, 5, 2, 10)),
    # Extra day off on the make-up Saturday 26/04/2025: Friday 25/04 10:00 + 1
    # -> Monday 28/04 10:00
    (WorkingCalendar(extra_days_off=frozenset({date(2025, 4, 26)})), at(2025, 4, 25, 10), 1,
     at(2025, 4, 28, 10)),
    # Extra day off Monday 10/03/2025, received that day: Monday 09:00 (counts from
    # Tuesday 07:00) + 0 -> Tuesday 11/03 17:00
    (WorkingCalendar(extra_days_off=frozenset({date(2025, 3, 10)})), at(2025, 3, 10, 9), 0,
     at(2025, 3, 11, 17)),
]  # fmt: skip


@pytest.mark.parametrize(("calendar", "received", "processing_days", "expected"), CITY_CASES)
def test_appointment_at_with_city_exceptions(calendar, received, processing_days, expected):
    assert appointment_at(received, processing_days, calendar) == expected


def test_extra_working_day_wins_when_a_date_is_in_both_sets():
    # Saturday 08/03/2025 listed both ways
    day = date(2025, 3, 8)
    calendar = WorkingCalendar(extra_days_off=frozenset({day}), extra_working_days=frozenset({day}))
    assert calendar.is_working_day(day) is True


def test_calendar_accepts_plain_sets_and_stays_hashable():
    calendar = WorkingCalendar(extra_days_off={date(2025, 3, 10)})  # type: ignore[arg-type]
    assert calendar.extra_days_off == frozenset({date(2025, 3, 10)})
    assert hash(calendar) == hash(WorkingCalendar(extra_days_off=frozenset({date(2025, 3, 10)})))


def test_calendar_rejects_datetimes_in_exceptions():
    with pytest.raises(TypeError):
        WorkingCalendar(extra_days_off=frozenset({at(2025, 3, 10)}))


# --- the national calendar from the holidays library ------------------------------------------

NATIONAL_DAYS = [
    # Tết 2025: Friday 24/01 works, Monday 27/01-Friday 31/01 off, Monday 03/02 works
    (date(2025, 1, 24), True),
    (date(2025, 1, 27), False),
    (date(2025, 1, 29), False),
    (date(2025, 1, 31), False),
    (date(2025, 2, 3), True),
    # Tết 2026: Monday 16/02-Friday 20/02 off
    (date(2026, 2, 13), True),
    (date(2026, 2, 16), False),
    (date(2026, 2, 20), False),
    (date(2026, 2, 23), True),
    # Tết 2027: Thursday 04/02-Wednesday 10/02 off
    (date(2027, 2, 3), True),
    (date(2027, 2, 4), False),
    (date(2027, 2, 10), False),
    (date(2027, 2, 11), True),
    # Bridge days off given by the library: Monday 29/04/2024, Friday 02/05/2025,
    # Monday 31/08/2026
    (date(2024, 4, 29), False),
    (date(2025, 5, 2), False),
    (date(2026, 8, 31), False),
    # 2/9 and its adjacent day: Tuesday 03/09/2024, Monday 01/09/2025, Tuesday 01/09/2026,
    # Friday 03/09/2027
    (date(2024, 9, 3), False),
    (date(2025, 9, 1), False),
    (date(2026, 9, 1), False),
    (date(2027, 9, 3), False),
    # Make-up working Saturdays from the library
    (date(2024, 5, 4), True),
    (date(2025, 4, 26), True),
    (date(2026, 8, 22), True),
    # An ordinary Saturday and Sunday
    (date(2025, 4, 19), False),
    (date(2025, 4, 20), False),
    # An ordinary Wednesday
    (date(2025, 3, 5), True),
]


@pytest.mark.parametrize(("day", "expected"), NATIONAL_DAYS)
def test_is_working_day_follows_the_library(day, expected):
    assert NATIONAL.is_working_day(day) is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Friday 07/03/2025 -> Monday 10/03/2025
        (date(2025, 3, 7), date(2025, 3, 10)),
        # Wednesday 05/03/2025 (a working day itself) -> Thursday 06/03/2025
        (date(2025, 3, 5), date(2025, 3, 6)),
        # Friday 24/01/2025 before Tết -> Monday 03/02/2025
        (date(2025, 1, 24), date(2025, 2, 3)),
        # Friday 25/04/2025 -> make-up Saturday 26/04/2025
        (date(2025, 4, 25), date(2025, 4, 26)),
        # Wednesday 31/12/2025 -> Friday 02/01/2026 (Thursday 01/01 off)
        (date(2025, 12, 31), date(2026, 1, 2)),
    ],
)
def test_next_working_day_is_strictly_after(day, expected):
    assert NATIONAL.next_working_day(day) == expected


def test_working_days_between_is_half_open():
    # Monday 03/03/2025 .. Monday 10/03/2025 exclusive: Mon-Fri = 5
    assert NATIONAL.working_days_between(date(2025, 3, 3), date(2025, 3, 10)) == 5
    # Across Tết 2025, Friday 24/01 .. Tuesday 04/02 exclusive: Fri 24/01 and Mon 03/02 = 2
    assert NATIONAL.working_days_between(date(2025, 1, 24), date(2025, 2, 4)) == 2
    assert NATIONAL.working_days_between(date(2025, 3, 10), date(2025, 3, 3)) == 0


# --- clock pause arithmetic -------------------------------------------------------------------

ELAPSED = [
    # Monday 07:00 -> Monday 17:00: the two periods make exactly one 8-hour working day
    (at(2025, 3, 3, 7), at(2025, 3, 3, 17), WORKING_DAY),
    # Monday 16:00 -> Tuesday 08:00 across a night: 1h + 1h
    (at(2025, 3, 3, 16), at(2025, 3, 4, 8), hours(2)),
    # Friday 15:00 -> Monday 09:30 across a weekend: 2h + 2.5h
    (at(2025, 3, 7, 15), at(2025, 3, 10, 9, 30), hours(4.5)),
    # Monday 11:00 -> Monday 14:00 across lunch: 0.5h + 0.5h
    (at(2025, 3, 3, 11), at(2025, 3, 3, 14), hours(1)),
    # Monday 18:00 -> Tuesday 06:00, all outside hours
    (at(2025, 3, 3, 18), at(2025, 3, 4, 6), hours(0)),
    # Saturday 09:00 -> Sunday 17:00, weekend only
    (at(2025, 3, 8, 9), at(2025, 3, 9, 17), hours(0)),
    # Monday 09:00 -> Thursday 09:00: three working days
    (at(2025, 3, 3, 9), at(2025, 3, 6, 9), hours(24)),
    # Friday 24/01/2025 17:00 -> Monday 03/02/2025 07:00, all Tết
    (at(2025, 1, 24, 17), at(2025, 2, 3, 7), hours(0)),
    # Tuesday 31/12/2024 10:00 -> Thursday 02/01/2025 10:00 across New Year's Day
    (at(2024, 12, 31, 10), at(2025, 1, 2, 10), hours(8)),
    # Saturday 26/04/2025 (make-up) 07:00 -> Saturday 11:30
    (at(2025, 4, 26, 7), at(2025, 4, 26, 11, 30), hours(4.5)),
    # Monday 09:00 -> Monday 09:00
    (at(2025, 3, 3, 9), at(2025, 3, 3, 9), hours(0)),
]


@pytest.mark.parametrize(("start", "end", "expected"), ELAPSED)
def test_working_time_between(start, end, expected):
    assert working_time_between(start, end, NATIONAL) == expected


ADDITIONS = [
    # Monday 09:00 + 2.5h lands on the end of the morning -> Monday 11:30, not 13:30
    (at(2025, 3, 3, 9), hours(2.5), at(2025, 3, 3, 11, 30)),
    # Monday 09:00 + 2h31m -> Monday 13:31
    (at(2025, 3, 3, 9), timedelta(hours=2, minutes=31), at(2025, 3, 3, 13, 31)),
    # Monday 16:00 + 1h lands on closing time -> Monday 17:00, not Tuesday 07:00
    (at(2025, 3, 3, 16), hours(1), at(2025, 3, 3, 17)),
    # Monday 16:00 + 1h01m -> Tuesday 07:01
    (at(2025, 3, 3, 16), timedelta(hours=1, minutes=1), at(2025, 3, 4, 7, 1)),
    # Monday 12:00 (lunch) + 0 -> Monday 13:30
    (at(2025, 3, 3, 12), hours(0), at(2025, 3, 3, 13, 30)),
    # Monday 09:00 + 0 -> Monday 09:00
    (at(2025, 3, 3, 9), hours(0), at(2025, 3, 3, 9)),
    # Friday 16:00 + 3h -> Monday 09:00
    (at(2025, 3, 7, 16), hours(3), at(2025, 3, 10, 9)),
    # Monday 07:00 + 8h (a whole day keeps the clock time) -> Tuesday 07:00
    (at(2025, 3, 3, 7), hours(8), at(2025, 3, 4, 7)),
    # Monday 10:00 + 9.5h -> Tuesday 11:30
    (at(2025, 3, 3, 10), hours(9.5), at(2025, 3, 4, 11, 30)),
    # Friday 24/01/2025 16:00 + 2h across Tết -> Monday 03/02/2025 08:00
    (at(2025, 1, 24, 16), hours(2), at(2025, 2, 3, 8)),
]


@pytest.mark.parametrize(("start", "duration", "expected"), ADDITIONS)
def test_add_working_time(start, duration, expected):
    result = add_working_time(start, duration, NATIONAL)
    assert result == expected
    assert result.tzinfo == VIETNAM_TZ


ROUND_TRIP_STARTS = [
    at(2025, 3, 3, 9),  # Monday 09:00
    at(2025, 3, 3, 12),  # Monday 12:00, lunch break
    at(2025, 3, 7, 16, 45),  # Friday 16:45
    at(2025, 1, 24, 11),  # Friday 11:00 before Tết 2025
    at(2025, 4, 25, 15),  # Friday 15:00 before the make-up Saturday
    at(2026, 8, 21, 20),  # Friday 20:00 before the make-up Saturday 22/08/2026
]
ROUND_TRIP_DURATIONS = [
    hours(0),
    timedelta(minutes=1),
    hours(4.5),
    hours(7.75),
    hours(8),
    timedelta(hours=37, minutes=13, seconds=5),
    60 * WORKING_DAY,
]


@pytest.mark.parametrize("start", ROUND_TRIP_STARTS)
@pytest.mark.parametrize("duration", ROUND_TRIP_DURATIONS)
def test_working_time_between_undoes_add_working_time(start, duration):
    end = add_working_time(start, duration, NATIONAL)
    assert working_time_between(start, end, NATIONAL) == duration


@pytest.mark.parametrize(
    ("start", "end"),
    [
        # Monday 09:00 -> Monday 10:15
        (at(2025, 3, 3, 9), at(2025, 3, 3, 10, 15)),
        # Monday 12:00 (lunch) -> Tuesday 14:00
        (at(2025, 3, 3, 12), at(2025, 3, 4, 14)),
        # Monday 09:00 -> Monday 16:59 the week after
        (at(2025, 3, 3, 9), at(2025, 3, 10, 16, 59)),
        # Friday 24/01/2025 10:00 -> Monday 03/02/2025 09:00 across Tết
        (at(2025, 1, 24, 10), at(2025, 2, 3, 9)),
    ],
)
def test_add_working_time_undoes_working_time_between(start, end):
    # Ends strictly inside a period: a boundary end (07:00, 13:30) comes back as the
    # equivalent end of the previous period, by design.
    elapsed = working_time_between(start, end, NATIONAL)
    assert add_working_time(start, elapsed, NATIONAL) == end


def test_pause_moves_the_appointment_by_the_working_time_paused():
    # Received Monday 03/03/2025 09:00, 3 days -> Thursday 06/03 09:00.
    # Supplement requested Tuesday 04/03 15:00, supplied Monday 10/03 10:00:
    # paused 2h + Wed/Thu/Fri 24h + 3h = 29h, so Thursday 09:00 + 29h -> Tuesday 11/03 16:00.
    appointment = appointment_at(at(2025, 3, 3, 9), 3, NATIONAL)
    paused = working_time_between(at(2025, 3, 4, 15), at(2025, 3, 10, 10), NATIONAL)
    assert paused == hours(29)
    assert add_working_time(appointment, paused, NATIONAL) == at(2025, 3, 11, 16)


# --- timeliness -------------------------------------------------------------------------------

APPOINTMENT = at(2025, 3, 6, 9)  # Thursday 06/03/2025 09:00


@pytest.mark.parametrize(
    ("resolved", "expected"),
    [
        # Wednesday 23:59:59 -> early
        (at(2025, 3, 5, 23, 59, 59), "early"),
        # Thursday 00:00 -> on_time
        (at(2025, 3, 6), "on_time"),
        # Thursday 16:59, hours after the appointment time but the same date -> on_time
        (at(2025, 3, 6, 16, 59), "on_time"),
        # Thursday 23:59:59 -> on_time
        (at(2025, 3, 6, 23, 59, 59), "on_time"),
        # Friday 00:00 -> late
        (at(2025, 3, 7), "late"),
        # 17:00 UTC Wednesday is Thursday 00:00 in Vietnam -> on_time
        (datetime(2025, 3, 5, 17, tzinfo=UTC), "on_time"),
        # 16:59 UTC Wednesday is Wednesday 23:59 in Vietnam -> early
        (datetime(2025, 3, 5, 16, 59, tzinfo=UTC), "early"),
        # 17:00 UTC Thursday is Friday 00:00 in Vietnam -> late
        (datetime(2025, 3, 6, 17, tzinfo=UTC), "late"),
    ],
)
def test_timeliness(resolved, expected):
    assert timeliness(resolved, APPOINTMENT) == expected


# --- input validation -------------------------------------------------------------------------

NAIVE = datetime(2025, 3, 3, 9)


@pytest.mark.parametrize(
    "call",
    [
        lambda: appointment_at(NAIVE, 1, NATIONAL),
        lambda: add_working_time(NAIVE, hours(1), NATIONAL),
        lambda: working_time_between(NAIVE, at(2025, 3, 4, 9), NATIONAL),
        lambda: working_time_between(at(2025, 3, 3, 9), NAIVE, NATIONAL),
        lambda: timeliness(NAIVE, APPOINTMENT),
        lambda: timeliness(APPOINTMENT, NAIVE),
        lambda: appointment_at(at(2025, 3, 3, 9), -1, NATIONAL),
        lambda: add_working_time(at(2025, 3, 3, 9), -hours(1), NATIONAL),
        lambda: working_time_between(at(2025, 3, 4, 9), at(2025, 3, 3, 9), NATIONAL),
    ],
    ids=[
        "appointment_at-naive",
        "add_working_time-naive",
        "working_time_between-naive-start",
        "working_time_between-naive-end",
        "timeliness-naive-resolved",
        "timeliness-naive-appointment",
        "appointment_at-negative-days",
        "add_working_time-negative-duration",
        "working_time_between-end-before-start",
    ],
)
def test_rejects_invalid_input(call):
    with pytest.raises(ValueError):
        call()


def test_module_imports_without_django():
    code = "import sys, wards.calendar; sys.exit('django' in sys.modules)"
    # A fixed command line run by the current interpreter, no outside input.
    command = [sys.executable, "-c", code]
    completed = subprocess.run(command, cwd=PROJECT_ROOT, check=False)  # noqa: S603
    assert completed.returncode == 0
