"""The hall's daily figures: waits and service times kept as each ticket finishes.

A ticket adds to one row of DailyHallFigures (ward, local day, counter, group, receiver kind)
when it is finished (`served`, its wait and service in seconds and in the minute buckets) or
dropped as absent (`dropped`). The services add a ticket's cells in the transaction that
finishes it (`ticket_finished`), so the table never lags. The same rows are recomputed from the
tickets (`recompute`), which is how the table is built after a bulk load (`rebuild`) and how
`manage.py check_report_figures` proves it right (`differences`). Reports read sums over any
range of days (`summaries`), and a 90th percentile from the summed buckets (`percentile`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from hall.models import (
    BUCKET_BOUNDS,
    BUCKETS,
    MEASURES,
    DailyHallFigures,
    Ticket,
    TicketEvent,
    TicketStatus,
    bucket_column,
)
from intake.models import ReceiverKind
from onestop.models import Role

KEY = ("ward_id", "day", "counter_id", "group_id", "receiver_kind")
BUCKET_COLUMNS = tuple(bucket_column(m, i) for m in MEASURES for i in range(BUCKETS))
COLUMNS = ("served", "dropped", "transferred", "wait_seconds", "service_seconds", *BUCKET_COLUMNS)

Key = tuple[int, dt.date, int, int, str]
Rows = dict[Key, dict[str, int]]


def bucket_of(seconds: int) -> int:
    """The bucket a duration falls in (BUCKET_BOUNDS are the buckets' upper ends, in minutes)."""
    for index, bound in enumerate(BUCKET_BOUNDS):
        if seconds < bound * 60:
            return index
    return len(BUCKET_BOUNDS)


def receiver_kind(role: str | None) -> str:
    return ReceiverKind.POSTAL_WORKER if role == Role.POSTAL_WORKER else ReceiverKind.OFFICER


@dataclass(frozen=True)
class Facts:
    """What of one finished or dropped ticket its figures depend on."""

    key: Key
    status: str
    issued_at: dt.datetime
    called_at: dt.datetime | None
    served_at: dt.datetime | None
    done_at: dt.datetime | None
    transferred: bool


def _seconds(start: dt.datetime | None, end: dt.datetime | None) -> int:
    if start is None or end is None:
        return 0
    return max(0, int((end - start).total_seconds()))


def contributions(facts: Facts) -> dict[str, int]:
    """The cells one ticket adds to its row: nothing until it is done or dropped."""
    if facts.status == TicketStatus.DROPPED:
        return {"dropped": 1}
    if facts.status != TicketStatus.DONE:
        return {}
    wait = _seconds(facts.issued_at, facts.called_at)
    service = _seconds(facts.served_at or facts.called_at, facts.done_at)
    return {
        "served": 1,
        "transferred": int(facts.transferred),
        "wait_seconds": wait,
        "service_seconds": service,
        bucket_column("wait", bucket_of(wait)): 1,
        bucket_column("service", bucket_of(service)): 1,
    }


def _add(key: Key, cells: dict[str, int]) -> None:
    """Add `cells` to the row of `key`, creating it: one statement that also locks the row
    until the transaction ends, so two tickets finished together both count."""
    if not cells:
        return
    table = connection.ops.quote_name(DailyHallFigures._meta.db_table)
    names = [connection.ops.quote_name(column) for column in cells]
    keys = ["ward_id", "day", "counter_id", "group_id", "receiver_kind"]
    # Every column of a new row: the key, these cells, zero for the rest.
    rest = [c for c in COLUMNS if c not in cells]
    columns = ", ".join([*keys, *names, *(connection.ops.quote_name(c) for c in rest)])
    values = ", ".join(["%s"] * (len(keys) + len(cells) + len(rest)))
    updates = ", ".join(f"{name} = {table}.{name} + EXCLUDED.{name}" for name in names)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({values}) "  # noqa: S608
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}",
            [*key, *cells.values(), *([0] * len(rest))],
        )


def ticket_finished(ticket: Ticket, *, role: str | None) -> None:
    """Add a ticket just done or dropped to its row, in the caller's transaction.

    `role` is the role of the user who called it (the receiver kind of the row).
    """
    transferred = (
        ticket.status == TicketStatus.DONE
        and TicketEvent.objects.filter(
            ticket=ticket, action=TicketEvent.Action.TRANSFERRED
        ).exists()
    )
    facts = Facts(
        key=(ticket.ward_id, ticket.day, ticket.counter_id, ticket.group_id, receiver_kind(role)),
        status=ticket.status,
        issued_at=ticket.issued_at,
        called_at=ticket.called_at,
        served_at=ticket.served_at,
        done_at=ticket.done_at,
        transferred=transferred,
    )
    _add(facts.key, contributions(facts))


def _tickets(ward_ids: list[int] | None) -> QuerySet[Ticket]:
    tickets = Ticket.objects.filter(
        status__in=[TicketStatus.DONE, TicketStatus.DROPPED], counter__isnull=False
    )
    if ward_ids is not None:
        tickets = tickets.filter(ward_id__in=ward_ids)
    return tickets


def recompute(ward_ids: Iterable[int] | None = None) -> Rows:
    """Every row, recomputed from the tickets (one streamed query)."""
    ward_ids = list(ward_ids) if ward_ids is not None else None
    transfers = TicketEvent.objects.filter(
        ticket=OuterRef("pk"), action=TicketEvent.Action.TRANSFERRED
    )
    rows: Rows = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    values = (
        _tickets(ward_ids)
        .annotate(was_transferred=Exists(transfers))
        .values_list(
            "ward_id",
            "day",
            "counter_id",
            "group_id",
            "called_by__role",
            "status",
            "issued_at",
            "called_at",
            "served_at",
            "done_at",
            "was_transferred",
        )
        .order_by()
    )
    for ward_id, day, counter_id, group_id, role, *rest in values.iterator(chunk_size=5000):
        facts = Facts((ward_id, day, counter_id, group_id, receiver_kind(role)), *rest)
        cells = rows[facts.key]
        for column, n in contributions(facts).items():
            cells[column] += n
    return dict(rows)


def stored(ward_ids: Iterable[int] | None = None) -> Rows:
    """The kept rows that are not all zero."""
    rows = DailyHallFigures.objects.all()
    if ward_ids is not None:
        rows = rows.filter(ward_id__in=list(ward_ids))
    nonzero = Q()
    for column in ("served", "dropped"):
        nonzero |= ~Q(**{column: 0})
    return {
        tuple(row[k] for k in KEY): {c: row[c] for c in COLUMNS}  # type: ignore[misc]
        for row in rows.filter(nonzero).values(*KEY, *COLUMNS)
    }


def differences(ward_ids: Iterable[int] | None = None) -> list[tuple]:
    """(ward, day, counter, group, receiver kind, column, kept, recomputed) for each cell that
    differs; empty when the table is right."""
    ward_ids = list(ward_ids) if ward_ids is not None else None
    have, want = stored(ward_ids), recompute(ward_ids)
    zero = dict.fromkeys(COLUMNS, 0)
    wrong = []
    for key in sorted(have.keys() | want.keys(), key=lambda k: (k[0], k[1], k[2], k[3], k[4])):
        kept, recomputed = have.get(key, zero), want.get(key, zero)
        for column in COLUMNS:
            if kept[column] != recomputed[column]:
                wrong.append((*key, column, kept[column], recomputed[column]))
    return wrong


@transaction.atomic
def rebuild(ward_ids: Iterable[int] | None = None) -> int:
    """Replace the wards' rows by the recomputed figures; rows no longer needed are set to
    zero, never deleted. Returns the number of rows written."""
    ward_ids = list(ward_ids) if ward_ids is not None else None
    existing = DailyHallFigures.objects.all()
    if ward_ids is not None:
        existing = existing.filter(ward_id__in=ward_ids)
    existing.update(**dict.fromkeys(COLUMNS, 0))
    expected = recompute(ward_ids)
    DailyHallFigures.objects.bulk_create(
        [
            DailyHallFigures(**dict(zip(KEY, key, strict=True)), **cells)
            for key, cells in expected.items()
        ],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["ward", "day", "counter", "group", "receiver_kind"],
        update_fields=list(COLUMNS),
    )
    return len(expected)


def not_built(using: str = "default") -> bool:
    """True for a database with finished tickets but no hall figures yet."""
    return (
        not DailyHallFigures.objects.using(using).exists()
        and Ticket.objects.using(using)
        .filter(status__in=[TicketStatus.DONE, TicketStatus.DROPPED])
        .exists()
    )


# -- what the pages read --


@dataclass
class Summary:
    """Waits and service times of some tickets: counts, means and 90th percentiles."""

    served: int = 0
    dropped: int = 0
    transferred: int = 0
    wait_seconds: int = 0
    service_seconds: int = 0
    wait_buckets: tuple[int, ...] = ()
    service_buckets: tuple[int, ...] = ()

    def __add__(self, other: Summary) -> Summary:
        def buckets(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
            if not a or not b:
                return a or b
            return tuple(x + y for x, y in zip(a, b, strict=True))

        return Summary(
            served=self.served + other.served,
            dropped=self.dropped + other.dropped,
            transferred=self.transferred + other.transferred,
            wait_seconds=self.wait_seconds + other.wait_seconds,
            service_seconds=self.service_seconds + other.service_seconds,
            wait_buckets=buckets(self.wait_buckets, other.wait_buckets),
            service_buckets=buckets(self.service_buckets, other.service_buckets),
        )

    @property
    def wait_mean(self) -> float | None:
        return self.wait_seconds / self.served / 60 if self.served else None

    @property
    def service_mean(self) -> float | None:
        return self.service_seconds / self.served / 60 if self.served else None

    @property
    def wait_p90(self) -> Percentile | None:
        return percentile(self.wait_buckets, 0.9)

    @property
    def service_p90(self) -> Percentile | None:
        return percentile(self.service_buckets, 0.9)


@dataclass(frozen=True)
class Percentile:
    """A percentile read from the buckets: between `low` and `high` minutes (`high` None for
    the last, open bucket)."""

    bucket: int
    low: int
    high: int | None

    @property
    def minutes(self) -> int:
        """One number for tables and exports: the band's upper end (its lower end, 240, for
        the open band)."""
        return self.high if self.high is not None else self.low

    def __str__(self) -> str:
        if self.high is None:
            return f"≥ {self.low}"
        return f"{self.low}–{self.high}"


def percentile(buckets: tuple[int, ...], share: float) -> Percentile | None:
    """The bucket holding the nearest-rank percentile (the ceil(share × n)-th smallest)."""
    total = sum(buckets)
    if not total:
        return None
    rank = math.ceil(share * total)
    seen, index = 0, 0
    for index, n in enumerate(buckets):  # noqa: B007 - the bucket where the rank is reached
        seen += n
        if seen >= rank:
            break
    low = BUCKET_BOUNDS[index - 1] if index else 0
    high = BUCKET_BOUNDS[index] if index < len(BUCKET_BOUNDS) else None
    return Percentile(index, low, high)


def summaries(rows: QuerySet[DailyHallFigures], *by: str) -> dict[tuple, Summary]:
    """The rows summed per the values of `by` (one grouped query)."""
    sums = {column: Sum(column) for column in COLUMNS}
    result = {}
    for row in rows.values(*by).order_by().annotate(**sums):
        key = tuple(row.pop(name) for name in by)
        result[key] = Summary(
            served=row["served"] or 0,
            dropped=row["dropped"] or 0,
            transferred=row["transferred"] or 0,
            wait_seconds=row["wait_seconds"] or 0,
            service_seconds=row["service_seconds"] or 0,
            wait_buckets=tuple(row[bucket_column("wait", i)] or 0 for i in range(BUCKETS)),
            service_buckets=tuple(row[bucket_column("service", i)] or 0 for i in range(BUCKETS)),
        )
    return result
