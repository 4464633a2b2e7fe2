"""Monthly trends for the charts: received, on-time share, postal-worker share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from intake import figures as figures_table
from intake.models import (
    DailyFigures,
)
from onestop.models import User
from reports.periods import Period
from reports.selectors.access import report_wards
from reports.selectors.figures import share
from reports.selectors.report import PHASE_GROUPS, Report
from wards.models import Ward


@dataclass
class MonthPoint:
    month: dt.date
    received: int = 0
    received_postal_worker: int = 0
    resolved: int = 0
    punctual: int = 0

    @property
    def on_time_share(self) -> float | None:
        return share(self.punctual, self.resolved)

    @property
    def postal_worker_share(self) -> float | None:
        return share(self.received_postal_worker, self.received)


TREND_MONTHS = 12


def trend_months(period: Period, count: int = TREND_MONTHS) -> list[dt.date]:
    """The months of the period, extended back to `count` months, at most five years."""
    months = period.months()
    while len(months) < count:
        months.insert(0, (months[0] - dt.timedelta(days=1)).replace(day=1))
    return months[-60:]


def _month_key(value) -> dt.date:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date().replace(day=1)
    return value.replace(day=1)


def monthly_trend(
    *,
    user: User,
    period: Period,
    ward_slug: str = "",
    by_phase: bool = False,
    report: Report | None = None,
) -> dict[object, list[MonthPoint]]:
    """Received, on-time share and postal-worker share per month, for the trend charts.

    One grouped query over the daily figures (receipts by the day received, results by the day
    resolved). Returns one series: "all" for a single ward or the whole scope; or, when
    `by_phase`, one per pilot phase (1, 2, 0) that some ward in scope belongs to (one more
    query), so the pilot's phases can be set against each other and against the wards outside
    it. `report`, the same user's `ward_report` for the same wards, lends its wards (no query).
    """
    wards: Iterable[Ward]
    ward_ids: Iterable[int]
    if report is not None:
        wards = report.wards
        ward_ids = [w.pk for w in wards]
    else:
        in_scope = report_wards(user=user)
        if ward_slug:
            in_scope = in_scope.filter(slug=ward_slug)
        wards, ward_ids = in_scope, in_scope.values_list("pk", flat=True)
    months = trend_months(period)
    keys: list[object]
    if by_phase:
        present = {w.pilot_phase for w in wards}
        keys = [phase for phase, _label in PHASE_GROUPS if phase in present]
    else:
        keys = ["all"]
    series = {key: {m: MonthPoint(month=m) for m in months} for key in keys}
    group = ["month", "ward__pilot_phase"] if by_phase else ["month"]

    rows = (
        DailyFigures.objects.filter(ward__in=ward_ids, day__gte=months[0], day__lte=period.last_day)
        .annotate(month=TruncMonth("day"))
        .values(*group)
        .order_by()
        .annotate(
            received=Sum(figures_table.columns_sum(figures_table.RECEIVED)),
            postal=Sum("received_postal_worker"),
            resolved=Sum(figures_table.columns_sum(figures_table.RESOLVED)),
            punctual=Sum(F("punctual_postal_worker") + F("punctual_officer")),
        )
    )
    for row in rows:
        key = row["ward__pilot_phase"] if by_phase else "all"
        point = series.get(key, {}).get(_month_key(row["month"]))
        if point is not None:
            point.received += row["received"]
            point.received_postal_worker += row["postal"]
            point.resolved += row["resolved"]
            point.punctual += row["punctual"]
    return {key: list(points.values()) for key, points in series.items()}
