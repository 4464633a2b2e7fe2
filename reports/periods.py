"""Reporting periods: a month, quarter, half-year, year, or any from–to range of days.

A period is a closed range of local (Asia/Ho_Chi_Minh) days. Reports count instants in the
half-open range [start, end), where `start` is midnight at the beginning of the first day and
`end` midnight after the last one, so a dossier received at 23:59 on the last day is inside and
one received at 00:00 the next day is not.

The official cut-off (thời gian chốt số liệu, Decree 09/2019/NĐ-CP Art. 12; see reports/README.md)
shifts a period so that it runs from the 15th of the month before its first month to the 14th of
its last month: March with the cut-off is 15/02–14/03, the first quarter 15/12 of the year before
to 14/03, the year 15/12 of the year before to 14/12.

A period that is not over yet is counted as of now: what is still in hand at its end is what is
in hand now, and it is overdue when the date promised is before now (`Period.as_of`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.errors import InvalidInput

# The cut-off: a period starts on FIRST_CUTOFF_DAY of the month before its first month and ends
# on LAST_CUTOFF_DAY of its last month (so consecutive periods neither overlap nor leave a gap).
FIRST_CUTOFF_DAY = 15
LAST_CUTOFF_DAY = FIRST_CUTOFF_DAY - 1
# The oldest and newest years a period may name; outside them a request is an input error.
FIRST_YEAR = 2000
LAST_YEAR = 2100
# A from–to range longer than this is refused: a report is read, not a data dump.
MAX_RANGE_DAYS = 366 * 10 + 3

KINDS = ("month", "quarter", "half", "year", "range")


@dataclass(frozen=True)
class Period:
    """A closed range of days [first_day, last_day] with the words that name it."""

    first_day: dt.date
    last_day: dt.date
    kind: str = "range"
    cutoff: bool = False

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise InvalidInput(_("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."), field="to")

    @property
    def start(self) -> dt.datetime:
        """Local midnight at the beginning of the first day (aware)."""
        return day_start(self.first_day)

    @property
    def end(self) -> dt.datetime:
        """Local midnight after the last day (aware): the exclusive end."""
        return day_start(self.last_day + dt.timedelta(days=1))

    @property
    def day_before(self) -> dt.date:
        """The last day of the previous period: what was open at its end was carried over."""
        return self.first_day - dt.timedelta(days=1)

    def as_of(self, now: dt.datetime) -> dt.datetime:
        """The instant the period's end-of-period figures are counted at: its end, or `now`
        while it is not over (a dossier due later today is not overdue yet)."""
        return min(self.end, now)

    def is_over(self, now: dt.datetime) -> bool:
        return self.end <= now

    def span(self) -> str:
        """ "Từ ngày 01/03/2026 đến ngày 31/03/2026": the form's period line."""
        return _("Từ ngày %(first)s đến ngày %(last)s") % {
            "first": f"{self.first_day:%d/%m/%Y}",
            "last": f"{self.last_day:%d/%m/%Y}",
        }

    def name(self) -> str:
        """ "Tháng 3/2026", "Quý I/2026"…; for a from–to range, its span."""
        return self.label().split(" (", 1)[0]

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def label(self) -> str:
        """The period as a reader names it: "Tháng 3/2026", "Quý I/2026", "01/01/2026 – …"."""
        first, last = self.first_day, self.last_day
        span = _("từ %(first)s đến %(last)s") % {
            "first": f"{first:%d/%m/%Y}",
            "last": f"{last:%d/%m/%Y}",
        }
        year = last.year
        if self.kind == "month":
            name = _("Tháng %(month)s/%(year)s") % {"month": last.month, "year": year}
        elif self.kind == "quarter":
            roman = ("I", "II", "III", "IV")[(last.month - 1) // 3]
            name = _("Quý %(quarter)s/%(year)s") % {"quarter": roman, "year": year}
        elif self.kind == "half":
            name = (
                _("6 tháng đầu năm %(year)s") if last.month <= 6 else _("6 tháng cuối năm %(year)s")
            ) % {"year": year}
        elif self.kind == "year":
            name = _("Năm %(year)s") % {"year": year}
        else:
            return span[0].upper() + span[1:]
        return f"{name} ({span})"

    def months(self) -> list[dt.date]:
        """The first day of every calendar month the period touches, in order."""
        months = []
        month = self.first_day.replace(day=1)
        while month <= self.last_day:
            months.append(month)
            month = next_month(month)
        return months

    def query(self) -> dict[str, str]:
        """The query parameters that name this period (for links and export URLs)."""
        return {
            "period": "range",
            "from": self.first_day.isoformat(),
            "to": self.last_day.isoformat(),
        }


def day_start(day: dt.date) -> dt.datetime:
    """Local midnight at the beginning of `day`, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after `day`'s month."""
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _last_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month_span(year: int, first_month: int, months: int, *, cutoff: bool) -> tuple:
    last_month = first_month + months - 1
    if not cutoff:
        return dt.date(year, first_month, 1), _last_of_month(year, last_month)
    # From the 15th of the month before the first month to the 14th of the last month.
    previous = dt.date(year, first_month, 1) - dt.timedelta(days=1)
    return previous.replace(day=FIRST_CUTOFF_DAY), dt.date(year, last_month, LAST_CUTOFF_DAY)


def month_period(year: int, month: int, *, cutoff: bool = False) -> Period:
    _check_year(year)
    if not 1 <= month <= 12:
        raise InvalidInput(_("Tháng phải từ 1 đến 12."), field="month")
    first, last = _month_span(year, month, 1, cutoff=cutoff)
    return Period(first, last, "month", cutoff)


def quarter_period(year: int, quarter: int, *, cutoff: bool = False) -> Period:
    _check_year(year)
    if not 1 <= quarter <= 4:
        raise InvalidInput(_("Quý phải từ 1 đến 4."), field="quarter")
    first, last = _month_span(year, 3 * quarter - 2, 3, cutoff=cutoff)
    return Period(first, last, "quarter", cutoff)


def half_period(year: int, half: int, *, cutoff: bool = False) -> Period:
    _check_year(year)
    if half not in (1, 2):
        raise InvalidInput(_("Chọn 6 tháng đầu năm (1) hoặc cuối năm (2)."), field="half")
    first, last = _month_span(year, 6 * half - 5, 6, cutoff=cutoff)
    return Period(first, last, "half", cutoff)


def year_period(year: int, *, cutoff: bool = False) -> Period:
    _check_year(year)
    first, last = _month_span(year, 1, 12, cutoff=cutoff)
    return Period(first, last, "year", cutoff)


def range_period(first_day: dt.date, last_day: dt.date) -> Period:
    for name, day in (("from", first_day), ("to", last_day)):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise InvalidInput(
                _("Ngày phải trong các năm %(first)s–%(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
                field=name,
            )
    period = Period(first_day, last_day, "range")
    if period.days > MAX_RANGE_DAYS:
        raise InvalidInput(_("Khoảng thời gian báo cáo dài tối đa 10 năm."), field="to")
    return period


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(
            _("Năm phải từ %(first)s đến %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            field="year",
        )


def parse_date(value: str, field: str) -> dt.date:
    """A day written yyyy-mm-dd or dd/mm/yyyy; InvalidInput otherwise."""
    value = (value or "").strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise InvalidInput(
        _("Ngày không hợp lệ: “%(value)s” (dạng dd/mm/yyyy hoặc yyyy-mm-dd).")
        % {"value": value[:20]},
        field=field,
    )


def _int(params: Mapping, name: str, default: int) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(str(raw).strip())
    except ValueError:
        raise InvalidInput(_("Giá trị phải là số nguyên."), field=name) from None


def default_period(today: dt.date | None = None) -> Period:
    """The month that includes `today` (the first thing a reader wants to see)."""
    today = today or timezone.localdate()
    return month_period(today.year, today.month)


def period_from_query(params: Mapping, *, today: dt.date | None = None) -> Period:
    """Read a period from query parameters; InvalidInput names the faulty parameter.

    `period` is one of month, quarter, half, year, range (default: month, or range when `from`
    is given); `year`, `month`, `quarter`, `half` pick the calendar unit (default: today's);
    `from` and `to` bound a range; `cutoff=1` applies the official cut-off (from the 15th of
    the month before to the 14th).
    """
    today = today or timezone.localdate()
    kind = (params.get("period") or "").strip()
    if not kind:
        kind = "range" if params.get("from") or params.get("to") else "month"
    if kind not in KINDS:
        raise InvalidInput(_("Loại kỳ báo cáo không hợp lệ."), field="period")
    cutoff = str(params.get("cutoff", "")).lower() in ("1", "true", "on", "yes")
    year = _int(params, "year", today.year)
    if kind == "month":
        return month_period(year, _int(params, "month", today.month), cutoff=cutoff)
    if kind == "quarter":
        return quarter_period(
            year, _int(params, "quarter", (today.month - 1) // 3 + 1), cutoff=cutoff
        )
    if kind == "half":
        return half_period(year, _int(params, "half", 1 if today.month <= 6 else 2), cutoff=cutoff)
    if kind == "year":
        return year_period(year, cutoff=cutoff)
    first = parse_date(params.get("from", ""), "from")
    last = parse_date(params.get("to", ""), "to")
    return range_period(first, last)
