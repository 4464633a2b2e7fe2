"""Reporting periods: calendar units, the official cut-off (15th to 14th), ranges and bad input."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from onestop.errors import InvalidInput
from reports.periods import (
    Period,
    half_period,
    month_period,
    parse_date,
    period_from_query,
    quarter_period,
    range_period,
    year_period,
)

D = dt.date
TODAY = D(2026, 5, 20)


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [
        (month_period(2026, 2), D(2026, 2, 1), D(2026, 2, 28)),
        (month_period(2024, 2), D(2024, 2, 1), D(2024, 2, 29)),  # leap year
        (month_period(2026, 12), D(2026, 12, 1), D(2026, 12, 31)),
        (quarter_period(2026, 1), D(2026, 1, 1), D(2026, 3, 31)),
        (quarter_period(2026, 4), D(2026, 10, 1), D(2026, 12, 31)),
        (half_period(2026, 1), D(2026, 1, 1), D(2026, 6, 30)),
        (half_period(2026, 2), D(2026, 7, 1), D(2026, 12, 31)),
        (year_period(2026), D(2026, 1, 1), D(2026, 12, 31)),
        # The cut-off (Decree 09/2019/NĐ-CP Art. 12): from the 15th of the month before the
        # first month to the 14th of the last month.
        (month_period(2026, 3, cutoff=True), D(2026, 2, 15), D(2026, 3, 14)),
        (month_period(2026, 1, cutoff=True), D(2025, 12, 15), D(2026, 1, 14)),  # across the year
        (month_period(2026, 2, cutoff=True), D(2026, 1, 15), D(2026, 2, 14)),
        (month_period(2026, 12, cutoff=True), D(2026, 11, 15), D(2026, 12, 14)),
        (quarter_period(2026, 1, cutoff=True), D(2025, 12, 15), D(2026, 3, 14)),
        (quarter_period(2026, 2, cutoff=True), D(2026, 3, 15), D(2026, 6, 14)),
        (quarter_period(2026, 4, cutoff=True), D(2026, 9, 15), D(2026, 12, 14)),
        (half_period(2026, 1, cutoff=True), D(2025, 12, 15), D(2026, 6, 14)),
        (half_period(2026, 2, cutoff=True), D(2026, 6, 15), D(2026, 12, 14)),
        (year_period(2026, cutoff=True), D(2025, 12, 15), D(2026, 12, 14)),
    ],
)
def test_calendar_units(period, first, last):
    assert (period.first_day, period.last_day) == (first, last)


def test_consecutive_cutoff_periods_neither_overlap_nor_leave_gaps():
    days = []
    for year, month in itertools.product((2025, 2026), range(1, 13)):
        period = month_period(year, month, cutoff=True)
        assert (period.first_day.day, period.last_day.day) == (15, 14)
        days.append((period.first_day, period.last_day))
    for (_, last), (first, _) in itertools.pairwise(days):
        assert first - last == dt.timedelta(days=1)
    quarters = [quarter_period(2026, q, cutoff=True) for q in range(1, 5)]
    assert sum(q.days for q in quarters) == year_period(2026, cutoff=True).days == 365


@pytest.mark.parametrize(("year", "days"), [(2026, 28), (2024, 29)])
def test_the_cutoff_march_holds_all_of_february_and_no_more(year, days):
    # 15/02–14/03: the days of February from the 15th, and the 14 first days of March.
    period = month_period(year, 3, cutoff=True)
    assert period.days == days
    assert period.label() == (f"Tháng 3/{year} (từ 15/02/{year} đến 14/03/{year})")


def test_the_cutoff_january_is_named_for_the_year_it_ends_in():
    period = month_period(2027, 1, cutoff=True)
    assert (period.first_day, period.last_day) == (D(2026, 12, 15), D(2027, 1, 14))
    assert period.name() == "Tháng 1/2027"
    assert period.span() == "Từ ngày 15/12/2026 đến ngày 14/01/2027"
    assert year_period(2027, cutoff=True).name() == "Năm 2027"


def test_a_period_not_over_is_counted_as_of_now():
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    march = month_period(2026, 3)
    during = dt.datetime(2026, 3, 18, 14, 0, tzinfo=tz)
    after = dt.datetime(2026, 4, 2, 8, 0, tzinfo=tz)
    assert march.as_of(during) == during and not march.is_over(during)
    assert march.as_of(after) == march.end and march.is_over(after)
    assert march.as_of(march.end) == march.end and march.is_over(march.end)


def test_instants_are_local_midnights_and_the_end_is_exclusive():
    period = month_period(2026, 3)
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    assert period.start == dt.datetime(2026, 3, 1, tzinfo=tz)
    assert period.end == dt.datetime(2026, 4, 1, tzinfo=tz)
    assert period.day_before == D(2026, 2, 28)
    assert period.days == 31


def test_labels():
    assert month_period(2026, 3).label() == "Tháng 3/2026 (từ 01/03/2026 đến 31/03/2026)"
    assert quarter_period(2026, 2).label().startswith("Quý II/2026")
    assert half_period(2026, 2).label().startswith("6 tháng cuối năm 2026")
    assert year_period(2026).label().startswith("Năm 2026")
    assert range_period(D(2026, 1, 5), D(2026, 2, 1)).label() == "Từ 05/01/2026 đến 01/02/2026"


def test_months_touched():
    assert range_period(D(2025, 12, 20), D(2026, 2, 3)).months() == [
        D(2025, 12, 1),
        D(2026, 1, 1),
        D(2026, 2, 1),
    ]


@pytest.mark.parametrize(
    ("query", "first", "last"),
    [
        ({}, D(2026, 5, 1), D(2026, 5, 31)),
        ({"period": "month", "year": "2026", "month": "2"}, D(2026, 2, 1), D(2026, 2, 28)),
        ({"period": "quarter"}, D(2026, 4, 1), D(2026, 6, 30)),
        ({"period": "quarter", "quarter": "1", "cutoff": "1"}, D(2025, 12, 15), D(2026, 3, 14)),
        ({"period": "month", "month": "1", "cutoff": "on"}, D(2025, 12, 15), D(2026, 1, 14)),
        ({"period": "year", "cutoff": "1"}, D(2025, 12, 15), D(2026, 12, 14)),
        ({"period": "half"}, D(2026, 1, 1), D(2026, 6, 30)),
        ({"period": "year", "year": "2025"}, D(2025, 1, 1), D(2025, 12, 31)),
        ({"from": "2026-01-05", "to": "2026-02-01"}, D(2026, 1, 5), D(2026, 2, 1)),
        (
            {"period": "range", "from": "05/01/2026", "to": "05/01/2026"},
            D(2026, 1, 5),
            D(2026, 1, 5),
        ),
    ],
)
def test_period_from_query(query, first, last):
    period = period_from_query(query, today=TODAY)
    assert (period.first_day, period.last_day) == (first, last)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"period": "week"}, "period"),
        ({"period": "month", "month": "13"}, "month"),
        ({"period": "month", "month": "x"}, "month"),
        ({"period": "quarter", "quarter": "5"}, "quarter"),
        ({"period": "half", "half": "3"}, "half"),
        ({"period": "year", "year": "1999"}, "year"),
        ({"from": "2026-02-30", "to": "2026-03-01"}, "from"),
        ({"from": "2026-03-01"}, "to"),
        ({"from": "2026-03-02", "to": "2026-03-01"}, "to"),
        ({"from": "1990-01-01", "to": "2026-03-01"}, "from"),
        ({"from": "2000-01-01", "to": "2026-03-01"}, "to"),  # longer than ten years
        ({"from": "'; drop table", "to": "2026-03-01"}, "from"),
    ],
)
def test_bad_queries_name_the_field(query, field):
    with pytest.raises(InvalidInput) as error:
        period_from_query(query, today=TODAY)
    assert error.value.field == field


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(InvalidInput):
        Period(D(2026, 3, 2), D(2026, 3, 1))


def test_parse_date_accepts_both_spellings():
    assert parse_date("2026-03-05", "from") == parse_date("05/03/2026", "from") == D(2026, 3, 5)
