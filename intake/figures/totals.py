"""What the reports read: the flows of a range of days and the stocks at its ends."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import F, Sum

from intake.figures.tables import BY_WARD, COLUMNS, FINISHED, RECEIVED, Table, columns_sum


def totals(
    ward_ids: Iterable[int],
    first_day: dt.date,
    last_day: dt.date,
    *,
    table: Table = BY_WARD,
) -> dict[object, dict[str, int]]:
    """Per row key (a ward id; (ward id, procedure id) for BY_PROCEDURE): every flow column
    summed over [first_day, last_day], and the stocks.

    `carried_over`: dossiers in hand at the start of `first_day`; `pending` and
    `pending_overdue`: in hand, and past the date promised, at the end of `last_day`. Two
    queries with plain sums: the period's own rows, and the stocks over the days before it; the
    stocks at the end follow from those and the period's flows.
    """

    rows = table.model.objects.filter(ward_id__in=list(ward_ids)).values(*table.keys).order_by()
    flows = rows.filter(day__gte=first_day, day__lte=last_day).annotate(
        **{c: Sum(c) for c in COLUMNS}
    )
    before = rows.filter(day__lt=first_day).annotate(
        carried=Sum(columns_sum(RECEIVED) - columns_sum(FINISHED)),
        overdue=Sum(F("overdue_from") - F("overdue_until")),
    )
    out: dict[object, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))

    def key(row):
        values = tuple(row.pop(k) for k in table.keys)
        return values[0] if len(values) == 1 else values

    for row in flows:
        out[key(row)].update(row)
    stocks = {key(row): row for row in before}
    for k in out.keys() | stocks.keys():
        row, stock = out[k], stocks.get(k, {})
        carried, overdue = stock.get("carried") or 0, stock.get("overdue") or 0
        row["carried_over"] = carried
        row["pending"] = carried + sum(row[c] for c in RECEIVED) - sum(row[c] for c in FINISHED)
        row["pending_overdue"] = overdue + row["overdue_from"] - row["overdue_until"]
    return dict(out)
