"""Terms in calendar days, the day an instant counts on, and windows counted in whole working
days (wards.calendar): pure functions, tested as tables commented by weekday."""

import datetime as dt

import pytest

from wards.calendar import (
    CALENDAR_DAYS,
    VIETNAM_TZ,
    WORKING_DAYS,
    WorkingCalendar,
    appointment_at,
    calendar_days_appointment_at,
    closing_time,
    effective_day,
    last_working_day_within,
    term_appointment_at,
)

NATIONAL = WorkingCalendar()


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def d(year, month, day) -> dt.date:
    return dt.date(year, month, day)


# (received, days, expected): the receipt's day does not count (Civil Code 2015 Art. 147); the
# term ends at the close of its last day, or of the next working day when that one is off
# (Art. 148).
CALENDAR_TERMS = [
    # Tuesday 10/3/2026 09:00 + 15 days -> Wednesday 25/3, at closing time.
    (at(2026, 3, 10, 9, 0), 15, at(2026, 3, 25, 17, 0)),
    # The hour of receipt does not matter: Tuesday 16:59 or 20:00 ends the same day.
    (at(2026, 3, 10, 16, 59), 15, at(2026, 3, 25, 17, 0)),
    (at(2026, 3, 10, 20, 0), 15, at(2026, 3, 25, 17, 0)),
    # Monday 2/3 + 5 days -> Saturday 7/3, a day off -> Monday 9/3.
    (at(2026, 3, 2, 10, 0), 5, at(2026, 3, 9, 17, 0)),
    # Received on a Saturday (7/3) + 1 day -> Sunday 8/3 -> Monday 9/3.
    (at(2026, 3, 7, 9, 0), 1, at(2026, 3, 9, 17, 0)),
    # Tết Bính Ngọ: Monday 9/2/2026 + 7 days -> Monday 16/2, inside the holiday (14-22/2)
    # -> Monday 23/2, the first working day after it.
    (at(2026, 2, 9, 9, 0), 7, at(2026, 2, 23, 17, 0)),
    # Across Tết the calendar days still run: Friday 13/2 + 15 days -> Saturday 28/2 ->
    # Monday 2/3. (Fifteen working days would run to Friday 13/3.)
    (at(2026, 2, 13, 9, 0), 15, at(2026, 3, 2, 17, 0)),
    # 30/4 and 1/5/2026 (Thursday, Friday) off: Wednesday 15/4 + 15 days -> Thursday 30/4
    # -> Monday 4/5.
    (at(2026, 4, 15, 9, 0), 15, at(2026, 5, 4, 17, 0)),
    # 2/9/2026 (Wednesday) off: Tuesday 1/9 + 1 day -> Wednesday 2/9 -> Thursday 3/9.
    (at(2026, 9, 1, 9, 0), 1, at(2026, 9, 3, 17, 0)),
    # Zero days is a same-day procedure, as in working days: 17:00 today, next working day
    # after 15:00.
    (at(2026, 3, 10, 9, 0), 0, at(2026, 3, 10, 17, 0)),
    (at(2026, 3, 10, 15, 30), 0, at(2026, 3, 11, 17, 0)),
]


@pytest.mark.parametrize(("received", "days", "expected"), CALENDAR_TERMS)
def test_calendar_day_terms(received, days, expected):
    assert calendar_days_appointment_at(received, days, NATIONAL) == expected
    assert term_appointment_at(received, days, CALENDAR_DAYS, NATIONAL) == expected


def test_a_city_day_off_moves_a_calendar_term_and_a_worked_saturday_ends_it():
    # Tuesday 10/3 + 15 days -> Wednesday 25/3; the city closes that day -> Thursday 26/3.
    closed = WorkingCalendar(extra_days_off=frozenset({d(2026, 3, 25)}))
    assert calendar_days_appointment_at(at(2026, 3, 10, 9), 15, closed) == at(2026, 3, 26, 17)
    # Monday 2/3 + 5 days -> Saturday 7/3, worked by the city: the term ends that Saturday.
    worked = WorkingCalendar(extra_working_days=frozenset({d(2026, 3, 7)}))
    assert calendar_days_appointment_at(at(2026, 3, 2, 10), 5, worked) == at(2026, 3, 7, 17)


def test_working_days_are_the_default_arithmetic():
    received = at(2026, 3, 10, 9, 0)  # Tuesday
    for days in (0, 1, 3, 15):
        assert term_appointment_at(received, days, WORKING_DAYS, NATIONAL) == appointment_at(
            received, days, NATIONAL
        )
    # 15 working days from Tuesday 10/3 09:00 -> Tuesday 31/3 09:00; 15 days -> Wednesday 25/3.
    assert term_appointment_at(received, 15, WORKING_DAYS, NATIONAL) == at(2026, 3, 31, 9, 0)


@pytest.mark.parametrize("unit", ["weeks", "", "ngay"])
def test_an_unknown_unit_is_refused(unit):
    with pytest.raises(ValueError):
        term_appointment_at(at(2026, 3, 10, 9), 3, unit, NATIONAL)


def test_negative_and_naive_terms_are_refused():
    with pytest.raises(ValueError):
        calendar_days_appointment_at(at(2026, 3, 10, 9), -1, NATIONAL)
    with pytest.raises(ValueError):
        calendar_days_appointment_at(dt.datetime(2026, 3, 10, 9), 3, NATIONAL)
    with pytest.raises(TypeError):
        calendar_days_appointment_at(at(2026, 3, 10, 9), True, NATIONAL)


# (instant, the working day it counts on)
EFFECTIVE_DAYS = [
    (at(2026, 3, 10, 6, 0), d(2026, 3, 10)),  # Tuesday before opening: Tuesday
    (at(2026, 3, 10, 12, 0), d(2026, 3, 10)),  # lunch: Tuesday
    (at(2026, 3, 10, 17, 0), d(2026, 3, 10)),  # closing time is still Tuesday
    (at(2026, 3, 10, 17, 1), d(2026, 3, 11)),  # a minute later: Wednesday
    (at(2026, 3, 13, 18, 0), d(2026, 3, 16)),  # Friday evening: Monday
    (at(2026, 3, 14, 9, 0), d(2026, 3, 16)),  # Saturday: Monday
    (at(2026, 2, 13, 17, 30), d(2026, 2, 23)),  # the evening before Tết: after it
]


@pytest.mark.parametrize(("instant", "day"), EFFECTIVE_DAYS)
def test_the_day_an_instant_counts_on(instant, day):
    assert effective_day(instant, NATIONAL) == day


# (opened at, working days, last day of the window)
WINDOWS = [
    (at(2026, 3, 9, 10, 0), 3, d(2026, 3, 12)),  # Monday 10:00 -> Thursday
    (at(2026, 3, 9, 16, 59), 3, d(2026, 3, 12)),  # the hour does not shorten it
    (at(2026, 3, 13, 18, 0), 3, d(2026, 3, 19)),  # Friday evening counts from Monday
    (at(2026, 3, 11, 9, 0), 3, d(2026, 3, 16)),  # Wednesday -> Monday, over the weekend
    (at(2026, 2, 11, 9, 0), 3, d(2026, 2, 23)),  # Wed 11/2: Thu 12, Fri 13, (Tết), Mon 23
    (at(2026, 3, 9, 10, 0), 10, d(2026, 3, 23)),  # a procedure's own, longer window
    (at(2026, 3, 9, 10, 0), 0, d(2026, 3, 9)),  # no window: the day itself
]


@pytest.mark.parametrize(("opened", "days", "last"), WINDOWS)
def test_windows_in_whole_working_days(opened, days, last):
    assert last_working_day_within(opened, days, NATIONAL) == last


def test_the_nth_working_day_before():
    # Thursday 12/3 -> Wednesday 11/3; Monday 9/3 -> Friday 6/3; Monday 23/2 (after Tết)
    # -> Friday 13/2; two before Monday 5/1/2026 cross the year: Friday 2/1 (a working day
    # in the national calendar alone), then Wednesday 31/12/2025 (1/1 is off).
    assert NATIONAL.nth_working_day_before(d(2026, 3, 12), 1) == d(2026, 3, 11)
    assert NATIONAL.nth_working_day_before(d(2026, 3, 9), 1) == d(2026, 3, 6)
    assert NATIONAL.nth_working_day_before(d(2026, 2, 23), 1) == d(2026, 2, 13)
    assert NATIONAL.nth_working_day_before(d(2026, 1, 5), 2) == d(2025, 12, 31)
    assert NATIONAL.nth_working_day_before(d(2026, 1, 5), 3) == d(2025, 12, 30)
    with pytest.raises(ValueError):
        NATIONAL.nth_working_day_before(d(2026, 3, 12), 0)


def test_closing_time():
    assert closing_time(d(2026, 3, 12)) == at(2026, 3, 12, 17, 0)
