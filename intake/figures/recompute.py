"""The same figures recomputed from the dossiers by grouped queries, and compared with the table."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from intake.figures.tables import (
    BY_WARD,
    COLUMNS,
    PUNCTUAL,
    TABLES,
    Rows,
    Table,
)
from intake.models import (
    Channel,
    Dossier,
    DossierEvent,
    DossierFile,
    ReceiverKind,
    ReturnMethod,
    Satisfaction,
    Timeliness,
)


def _count(condition: Q | None = None) -> Count:
    return Count("pk", filter=condition)


def _day(expression) -> TruncDate:
    return TruncDate(expression, tzinfo=timezone.get_default_timezone())


def recompute(
    table: Table = BY_WARD,
    ward_ids: Iterable[int] | None = None,
    *,
    calendar_for: Callable | None = None,
) -> Rows:
    """Every row of `table`, recomputed from the dossiers and their events (9 queries).

    `calendar_for(ward_id)` gives the working calendar that counts a result's working days;
    by default each city's current calendar.
    """
    dossiers = Dossier.objects.all()
    # A stop-processing notice closes the dossier as a refusal does and is counted with them.
    events = DossierEvent.objects.filter(action__in=["refuse", "stop", "withdraw"])
    if ward_ids is not None:
        ward_ids = list(ward_ids)
        dossiers = dossiers.filter(ward_id__in=ward_ids)
        events = events.filter(dossier__ward_id__in=ward_ids)
    calendar_for = calendar_for or current_calendars()
    keys = list(table.keys)
    event_keys = [f"dossier__{k}" for k in keys]
    rows: Rows = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))

    def merge(queryset, names=keys):
        for row in queryset:
            cells = rows[(*(row.pop(k) for k in names), row.pop("day"))]
            for column, n in row.items():
                cells[column] += n or 0

    postal_worker = Q(receiver_kind=ReceiverKind.POSTAL_WORKER)
    officer = Q(receiver_kind=ReceiverKind.OFFICER)
    current_files = DossierFile.objects.filter(superseded_at__isnull=True).values("dossier_id")
    merge(
        dossiers.values(*keys, day=_day("received_at"))
        .order_by()
        .annotate(
            received_online=_count(Q(channel=Channel.ONLINE)),
            received_direct=_count(Q(channel=Channel.DIRECT)),
            received_postal=_count(Q(channel=Channel.POSTAL)),
            received_postal_worker=_count(postal_worker),
            received_officer=_count(officer),
            out_of_list=_count(Q(out_of_list=True)),
            digitised=_count(Q(pk__in=current_files)),
        )
    )
    resolved = dossiers.filter(resolved_at__isnull=False)
    punctual = Q(timeliness__in=PUNCTUAL)
    merge(
        resolved.values(*keys, day=_day("resolved_at"))
        .order_by()
        .annotate(
            resolved_early=_count(Q(timeliness=Timeliness.EARLY)),
            resolved_on_time=_count(Q(timeliness=Timeliness.ON_TIME)),
            resolved_late=_count(Q(timeliness=Timeliness.LATE)),
            resolved_postal_worker=_count(postal_worker),
            resolved_officer=_count(officer),
            punctual_postal_worker=_count(postal_worker & punctual),
            punctual_officer=_count(officer & punctual),
            paused_seconds=Sum("paused_seconds"),
        )
    )
    for key, days in _working_days(table, resolved, calendar_for).items():
        rows[key]["working_days"] += days
    merge(
        dossiers.filter(returned_at__isnull=False)
        .values(*keys, day=_day("returned_at"))
        .order_by()
        .annotate(
            returned_postal_worker=_count(postal_worker),
            returned_officer=_count(officer),
            returned_counter=_count(Q(return_method=ReturnMethod.COUNTER)),
            returned_post=_count(Q(return_method=ReturnMethod.POST)),
            rated=_count(Q(satisfaction__isnull=False)),
            satisfied=_count(Q(satisfaction__gte=Satisfaction.SATISFIED)),
        )
    )
    merge(
        events.values(*event_keys, day=_day("at"))
        .order_by()
        .annotate(
            refused=_count(Q(action__in=["refuse", "stop"])),
            withdrawn=_count(Q(action="withdraw")),
        ),
        event_keys,
    )
    promised = Coalesce("apology_appointment_at", "appointment_at")
    merge(dossiers.values(*keys, day=_day(promised)).order_by().annotate(overdue_from=_count()))
    merge(
        resolved.values(*keys, day=_day(Greatest(promised, "resolved_at")))
        .order_by()
        .annotate(overdue_until=_count())
    )
    closed_promise = Coalesce("dossier__apology_appointment_at", "dossier__appointment_at")
    merge(
        events.values(*event_keys, day=_day(Greatest(closed_promise, "at")))
        .order_by()
        .annotate(overdue_until=_count()),
        event_keys,
    )
    return dict(rows)


def current_calendars() -> Callable:
    """ward id -> the current working calendar of its city (one query per city)."""
    from wards.models import Ward
    from wards.selectors import working_calendar

    cities = dict(Ward.objects.values_list("pk", "city_id"))
    calendars = {city: working_calendar(city_id=city) for city in set(cities.values())}
    return lambda ward_id: calendars[cities[ward_id]]


def _working_days(table: Table, resolved, calendar_for: Callable) -> dict[tuple, int]:
    """Working days from receipt to result, summed per row of `table` (by the day resolved).

    They depend on the calendar, so they are counted per (day received, day resolved) pair.
    """
    pairs = (
        resolved.values(*table.keys, day=_day("resolved_at"), received=_day("received_at"))
        .order_by()
        .annotate(n=Count("pk"))
    )
    totals: dict[tuple, int] = defaultdict(int)
    for row in pairs:
        days = calendar_for(row["ward_id"]).working_days_between(row["received"], row["day"])
        totals[(*(row[k] for k in table.keys), row["day"])] += row["n"] * days
    return totals


def write_rows(table: Table, rows: Rows, update_fields: list[str]) -> None:
    model = table.model
    names = [k.removesuffix("_id") for k in table.keys]
    model.objects.bulk_create(
        [
            model(**dict(zip([*table.keys, "day"], key, strict=True)), **cells)
            for key, cells in rows.items()
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=[*names, "day"],
        update_fields=update_fields,
    )


def rows_of(table: Table, ward_ids: list[int] | None):
    rows = table.model.objects.all()
    return rows if ward_ids is None else rows.filter(ward_id__in=ward_ids)


@transaction.atomic
def refresh_working_days(ward_ids: Iterable[int]) -> None:
    """Recount the working days of the wards' results: their city's calendar has changed."""
    ward_ids = list(ward_ids)
    resolved = Dossier.objects.filter(ward_id__in=ward_ids, resolved_at__isnull=False)
    calendar_for = current_calendars()
    for table in TABLES:
        totals = _working_days(table, resolved, calendar_for)
        rows_of(table, ward_ids).exclude(working_days=0).update(working_days=0)
        write_rows(table, {key: {"working_days": n} for key, n in totals.items()}, ["working_days"])


def stored(table: Table = BY_WARD, ward_ids: Iterable[int] | None = None) -> Rows:
    keys = [*table.keys, "day"]
    rows = rows_of(table, None if ward_ids is None else list(ward_ids))
    return {tuple(row.pop(k) for k in keys): row for row in rows.values(*keys, *COLUMNS).order_by()}


def differences(ward_ids: Iterable[int] | None = None) -> list[tuple]:
    """(table, *key, day, column, stored, recomputed) wherever a table is not what it should be."""
    if ward_ids is not None:
        ward_ids = list(ward_ids)
    calendar_for = current_calendars()
    zero = dict.fromkeys(COLUMNS, 0)
    out = []
    for table in TABLES:
        expected = recompute(table, ward_ids, calendar_for=calendar_for)
        actual = stored(table, ward_ids)
        for key in sorted(expected.keys() | actual.keys()):
            want, have = expected.get(key, zero), actual.get(key, zero)
            out += [(table.name, *key, c, have[c], want[c]) for c in COLUMNS if have[c] != want[c]]
    return out
