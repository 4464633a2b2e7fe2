"""The hall's waits in a report: mean and 90th-percentile wait and service time per ward, pilot
phase and the total, for tickets served by postal workers and by officers, each figure linked to
the tickets behind it. Read from hall's daily figures (one grouped query), never the tickets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from hall import figures as hall_figures
from hall.models import DailyHallFigures, TicketStatus
from intake.models import ReceiverKind
from reports.periods import Period

if TYPE_CHECKING:
    from reports.selectors.report import Row

KINDS = (ReceiverKind.POSTAL_WORKER, ReceiverKind.OFFICER)
MEASURES = ("served", "wait_mean", "wait_p90", "service_mean", "service_p90")
HALL_NAMES = [f"hall_{measure}_{kind}" for kind in KINDS for measure in MEASURES]


def _values(summary: hall_figures.Summary | None, kind: str) -> dict:
    values: dict[str, int | float | None] = dict.fromkeys(
        (f"hall_{m}_{kind}" for m in MEASURES), None
    )
    if summary is None or not summary.served:
        values[f"hall_served_{kind}"] = 0
        return values
    wait_p90, service_p90 = summary.wait_p90, summary.service_p90
    values.update(
        {
            f"hall_served_{kind}": summary.served,
            f"hall_wait_mean_{kind}": summary.wait_mean,
            f"hall_wait_p90_{kind}": wait_p90.minutes if wait_p90 else None,
            f"hall_service_mean_{kind}": summary.service_mean,
            f"hall_service_p90_{kind}": service_p90.minutes if service_p90 else None,
        }
    )
    return values


def _ticket_list() -> str | None:
    try:
        return reverse("hall:ticket-list")
    except NoReverseMatch:
        return None


def hall_figures_add(rows: list[Row], period: Period, ward_ids: list[int]) -> None:
    """Add the hall's columns (HALL_NAMES) and their links to the report's rows, in place."""
    sums = hall_figures.summaries(
        DailyHallFigures.objects.filter(
            ward_id__in=ward_ids, day__gte=period.first_day, day__lte=period.last_day
        ),
        "ward_id",
        "receiver_kind",
    )
    base = _ticket_list()
    days = {
        "day_from": f"{period.first_day:%d/%m/%Y}",
        "day_to": f"{period.last_day:%d/%m/%Y}",
        "status": TicketStatus.DONE,
    }
    wards_of_group: dict[int | None, list[int]] = {}
    for row in rows:
        if row.kind == "ward" and row.ward is not None:
            wards_of_group.setdefault(row.pilot_phase, []).append(row.ward.pk)
    for row in rows:
        if row.kind == "ward" and row.ward is not None:
            members = [row.ward.pk]
            scope = {"ward": row.ward.slug}
        elif row.kind == "group":
            members = wards_of_group.get(row.pilot_phase, [])
            scope = {"pilot_phase": str(row.pilot_phase)}
        elif row.kind == "total":
            members = [pk for group in wards_of_group.values() for pk in group]
            scope = {}
        else:
            continue
        for kind in KINDS:
            summary = None
            for pk in members:
                part = sums.get((pk, kind))
                if part is not None:
                    summary = part if summary is None else summary + part
            values = _values(summary, kind)
            row.values.update(values)
            if base is None:
                continue
            query = urlencode({**scope, **days, "receiver_kind": kind})
            for name, value in values.items():
                if value not in (None, 0):
                    row.links[name] = f"{base}?{query}"
