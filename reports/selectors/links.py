"""Links from a figure to the list of the dossiers it counts."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from intake.models import (
    Channel,
    ReceiverKind,
    ReturnMethod,
    Status,
    Timeliness,
)
from reports.periods import Period

if TYPE_CHECKING:
    from reports.selectors.report import Row


def _d(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def figure_filters(name: str, period: Period) -> dict[str, str | list[str]] | None:
    """The dossier list's query parameters that select exactly the dossiers `name` counts.

    None for figures that do not count dossiers (shifts, guidance, data entry).
    """
    return _filter_table(period).get(name)


@lru_cache(maxsize=64)
def _filter_table(period: Period) -> dict[str, dict]:
    received = {"received_from": _d(period.first_day), "received_to": _d(period.last_day)}
    resolved = {"resolved_from": _d(period.first_day), "resolved_to": _d(period.last_day)}
    returned = {"returned_from": _d(period.first_day), "returned_to": _d(period.last_day)}
    closed = {"closed_from": _d(period.first_day), "closed_to": _d(period.last_day)}
    pending = {"open_on": _d(period.last_day)}
    filters: dict[str, dict] = {
        "carried_over": {"open_on": _d(period.day_before)},
        "received": received,
        "total": {"handled_from": _d(period.first_day), "handled_to": _d(period.last_day)},
        "received_online": {**received, "channel": str(Channel.ONLINE)},
        "received_direct_postal": {
            **received,
            "channels": [str(Channel.DIRECT), str(Channel.POSTAL)],
        },
        "received_direct": {**received, "channel": str(Channel.DIRECT)},
        "received_postal": {**received, "channel": str(Channel.POSTAL)},
        "resolved": resolved,
        "resolved_early": {**resolved, "timeliness": Timeliness.EARLY},
        "resolved_on_time": {**resolved, "timeliness": Timeliness.ON_TIME},
        "resolved_late": {**resolved, "timeliness": Timeliness.LATE},
        "pending": pending,
        "pending_within": {**pending, "open_overdue": "0"},
        "pending_overdue": {**pending, "open_overdue": "1"},
        "refused": {**closed, "status": Status.REFUSED},
        "withdrawn": {**closed, "status": Status.WITHDRAWN},
        "received_postal_worker": {**received, "receiver_kind": ReceiverKind.POSTAL_WORKER},
        "received_officer": {**received, "receiver_kind": ReceiverKind.OFFICER},
        "postal_worker_share": {**received, "receiver_kind": ReceiverKind.POSTAL_WORKER},
        "on_time_share_postal_worker": {
            **resolved,
            "receiver_kind": ReceiverKind.POSTAL_WORKER,
            "punctual": "1",
        },
        "on_time_share_officer": {
            **resolved,
            "receiver_kind": ReceiverKind.OFFICER,
            "punctual": "1",
        },
        "returned_postal_worker": {**returned, "receiver_kind": ReceiverKind.POSTAL_WORKER},
        "returned_officer": {**returned, "receiver_kind": ReceiverKind.OFFICER},
        "out_of_list": {**received, "out_of_list": "1"},
        "returned_counter": {**returned, "return_method": ReturnMethod.COUNTER},
        "returned_post": {**returned, "return_method": ReturnMethod.POST},
        "mean_processing_days": resolved,
        "satisfaction_share": {**returned, "satisfied": "1"},
        "on_time_share": {**resolved, "punctual": "1"},
        "online_share": {**received, "channel": str(Channel.ONLINE)},
        "direct_share": {**received, "channel": str(Channel.DIRECT)},
        "postal_share": {**received, "channel": str(Channel.POSTAL)},
        "digitised_share": {**received, "digitised": "1"},
    }
    return filters


def dossier_list_url(params: dict) -> str | None:
    """The dossier list's address with `params`, or None while the list page is not installed."""
    try:
        base = reverse("intake:dossier-list")
    except NoReverseMatch:
        return None
    return f"{base}?{urlencode(params, doseq=True)}"


def figure_links(
    row: Row, period: Period, *, single_ward: bool = False, scope: dict | None = None
) -> dict[str, str]:
    """A link per figure of `row` to the list of the dossiers it counts."""
    if scope is not None:
        pass
    elif row.kind == "ward" and row.ward is not None:
        scope = {"ward": row.ward.slug}
    elif row.kind == "group":
        scope = {"pilot_phase": str(row.pilot_phase)}
    elif row.kind == "total" and single_ward and row.ward is not None:
        scope = {"ward": row.ward.slug}
    else:
        scope = {}
    base = dossier_list_url({})
    if base is None:
        return {}
    table = _encoded_filters(period)
    prefix = urlencode(scope)
    links = {}
    for name, value in row.values.items():
        query = table.get(name)
        if value in (None, 0) or query is None:
            continue
        links[name] = f"{base}{prefix}&{query}" if prefix else f"{base}{query}"
    return links


@lru_cache(maxsize=64)
def _encoded_filters(period: Period) -> dict[str, str]:
    return {name: urlencode(filters, doseq=True) for name, filters in _filter_table(period).items()}
