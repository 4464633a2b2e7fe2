"""Report figures computed straight from the dossiers and their events: the tests' oracle.

Independent of intake.figures (which keeps them per day as dossiers change): grouped,
conditional aggregates over the dossiers, as the reports computed them before the daily figures
table. Tests compare both on random histories.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from intake.models import (
    Channel,
    Dossier,
    DossierEvent,
    DossierFile,
    ReceiverKind,
    ReturnMethod,
    Status,
    Timeliness,
)
from reports.periods import Period
from reports.selectors import SATISFIED, Figures
from wards.calendar import WorkingCalendar
from wards.models import Ward
from wards.selectors import working_calendar

CLOSED = (Status.REFUSED, Status.WITHDRAWN)
# The actions that close a dossier; the stop-processing notice counts with the refusals.
CLOSING = ("refuse", "stop", "withdraw")


def _in(field_name: str, period: Period) -> Q:
    return Q(**{f"{field_name}__gte": period.start, f"{field_name}__lt": period.end})


def _open_at(moment: dt.datetime) -> Q:
    """Received before `moment`, not resolved by then, and not (yet) refused or withdrawn.

    Dossiers refused or withdrawn after `moment` are counted from their events instead.
    """
    return (
        Q(received_at__lt=moment)
        & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=moment))
        & ~Q(status__in=CLOSED)
    )


def _overdue_at(moment: dt.datetime, prefix: str = "") -> Q:
    """The date last promised (the apology's, else the appointment) is before `moment`."""
    apology, appointment = f"{prefix}apology_appointment_at", f"{prefix}appointment_at"
    return Q(**{f"{apology}__lt": moment}) | Q(
        **{f"{apology}__isnull": True, f"{appointment}__lt": moment}
    )


def _dossier_counts(
    dossiers: QuerySet[Dossier], group: str, period: Period, as_of: dt.datetime | None = None
) -> dict:
    """One query: every count that a dossier's own columns decide, per `group` value."""
    start, end = period.start, period.end
    overdue = _overdue_at(min(end, as_of or end))
    received = _in("received_at", period)
    resolved = _in("resolved_at", period)
    returned = _in("returned_at", period)
    punctual = Q(timeliness__in=[Timeliness.EARLY, Timeliness.ON_TIME])
    postal_worker = Q(receiver_kind=ReceiverKind.POSTAL_WORKER)
    officer = Q(receiver_kind=ReceiverKind.OFFICER)
    pending = _open_at(end)

    def count(condition: Q) -> Count:
        return Count("pk", filter=condition)

    rows = (
        dossiers.filter(received_at__lt=end)
        .values(group)
        .order_by()
        .annotate(
            received_online=count(received & Q(channel=Channel.ONLINE)),
            received_direct=count(received & Q(channel=Channel.DIRECT)),
            received_postal=count(received & Q(channel=Channel.POSTAL)),
            carried_open=count(_open_at(start)),
            resolved_early=count(resolved & Q(timeliness=Timeliness.EARLY)),
            resolved_on_time=count(resolved & Q(timeliness=Timeliness.ON_TIME)),
            resolved_late=count(resolved & Q(timeliness=Timeliness.LATE)),
            pending_open_within=count(pending & ~overdue),
            pending_open_overdue=count(pending & overdue),
            received_postal_worker=count(received & postal_worker),
            received_officer=count(received & officer),
            resolved_postal_worker=count(resolved & postal_worker),
            resolved_officer=count(resolved & officer),
            punctual_postal_worker=count(resolved & postal_worker & punctual),
            punctual_officer=count(resolved & officer & punctual),
            returned_postal_worker=count(returned & postal_worker),
            returned_officer=count(returned & officer),
            out_of_list=count(received & Q(out_of_list=True)),
            returned_counter=count(returned & Q(return_method=ReturnMethod.COUNTER)),
            returned_post=count(returned & Q(return_method=ReturnMethod.POST)),
            rated=count(returned & Q(satisfaction__isnull=False)),
            satisfied=count(returned & Q(satisfaction__gte=SATISFIED)),
            paused_seconds=Sum("paused_seconds", filter=resolved, default=0),
        )
    )
    return {row.pop(group): row for row in rows}


def _closing_counts(dossiers: QuerySet[Dossier], group: str, period: Period) -> dict:
    """One query over refusal and withdrawal events, the moments those dossiers finished."""
    start, end = period.start, period.end
    pending = Q(at__gte=end, dossier__received_at__lt=end)
    rows = (
        DossierEvent.objects.filter(dossier__in=dossiers, action__in=CLOSING, at__gte=start)
        .values(f"dossier__{group}")
        .order_by()
        .annotate(
            refused=Count("pk", filter=Q(action__in=("refuse", "stop"), at__lt=end)),
            withdrawn=Count("pk", filter=Q(action="withdraw", at__lt=end)),
            carried_closed=Count("pk", filter=Q(dossier__received_at__lt=start)),
            pending_closed_within=Count("pk", filter=pending & ~_overdue_at(end, "dossier__")),
            pending_closed_overdue=Count("pk", filter=pending & _overdue_at(end, "dossier__")),
        )
    )
    return {row.pop(f"dossier__{group}"): row for row in rows}


def _working_days(
    dossiers: QuerySet[Dossier], group: str, period: Period, calendar_for: Callable
) -> dict[object, int]:
    """Σ working days from receipt to result over the dossiers resolved in the period.

    The sum of differences is the difference of sums, so it needs only how many dossiers were
    received, and how many resolved, on each day: two grouped queries whose size follows the
    number of days, not of dossiers. `calendar_for(group value)` is that group's calendar.
    """
    resolved = dossiers.filter(_in("resolved_at", period))
    totals: dict[object, int] = defaultdict(int)
    for column, sign in (("received_at", -1), ("resolved_at", 1)):
        rows = (
            resolved.annotate(day=TruncDate(column))
            .values(group, "day")
            .order_by()
            .annotate(n=Count("pk"))
        )
        for row in rows:
            calendar = calendar_for(row[group])
            totals[row[group]] += sign * row["n"] * _working_day_index(calendar, row["day"])
    return totals


_ORIGIN = dt.date(2000, 1, 1)


def _working_day_index(calendar: WorkingCalendar, day: dt.date) -> int:
    """Working days from a fixed origin up to `day` (excluded)."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return _index(calendar, day)


@lru_cache(maxsize=16384)
def _index(calendar: WorkingCalendar, day: dt.date) -> int:
    return calendar.working_days_between(_ORIGIN, day)


def _digitised_counts(dossiers: QuerySet[Dossier], group: str, period: Period) -> dict:
    """Dossiers received in the period with at least one current scanned component."""
    current = DossierFile.objects.filter(superseded_at__isnull=True)  # a replaced scan is gone
    rows = (
        dossiers.filter(_in("received_at", period), pk__in=current.values("dossier_id"))
        .values(group)
        .order_by()
        .annotate(n=Count("pk"))
    )
    return {row[group]: row["n"] for row in rows}


def calendars(wards: list[Ward]) -> Callable[[int], WorkingCalendar]:
    """One calendar per city (one query each), looked up by ward id."""
    by_city = {city_id: working_calendar(city_id=city_id) for city_id in {w.city_id for w in wards}}
    by_ward = {w.pk: by_city[w.city_id] for w in wards}
    return lambda ward_id: by_ward.get(ward_id) or WorkingCalendar()


def figures_by(
    dossiers: QuerySet[Dossier],
    group: str,
    period: Period,
    calendar_for: Callable,
    *,
    as_of: dt.datetime | None = None,
) -> dict[object, Figures]:
    """Run the figure families once each and fold them into one Figures per group value.

    `as_of`: a moment before the period's end (a period not yet over) at which a dossier in hand
    is overdue when the date promised is before it.
    """
    figures: dict[object, Figures] = defaultdict(Figures)
    for family in (
        _dossier_counts(dossiers, group, period, as_of),
        _closing_counts(dossiers, group, period),
    ):
        for key, counts in family.items():
            for name, value in counts.items():
                figures[key].counts[name] += value or 0
    for key, days in _working_days(dossiers, group, period, calendar_for).items():
        figures[key].counts["working_days_sum"] += days
    digitised = _digitised_counts(dossiers, group, period)
    if digitised is not None:
        for key, n in digitised.items():
            figures[key].counts["digitised"] += n
    return figures
