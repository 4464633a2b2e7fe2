"""The Government's day swaps, shipped as data and loaded for every city.

wards/data/official_swaps.csv (UTF-8, with a header) holds one row per date and decision:
``date`` (YYYY-MM-DD), ``kind`` (day_off / working_day), ``document`` (its number and issuer),
``document_date`` (YYYY-MM-DD, empty when unknown) and ``note``. Rows are in the order the
decisions were issued: a later row for a date already listed is a newer document and replaces
the earlier one. Sources of every row: wards/data/README.md, "Official day swaps".

`official_swaps_load()` runs after every `migrate` (post_migrate, so a database created, flushed
or upgraded gets the rows of the file it ships with) and in `seed_demo`. It never deletes: a
replaced row is kept with `superseded_by` and `superseded_at`. When the national calendar
changed, every city's calendar changed: it sends `calendar_changed` for each, so the apps above
recount what they derived from it (the report figures' working days).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from onestop import clock
from wards.models import City, OfficialSwap
from wards.signals import calendar_changed

DATA_FILE = Path(__file__).resolve().parent / "data" / "official_swaps.csv"
COLUMNS = ["date", "kind", "document", "document_date", "note"]


@dataclass(frozen=True)
class SwapRow:
    """One row of the data file."""

    date: dt.date
    kind: str
    document: str
    document_date: dt.date | None
    note: str


def read_official_swaps(path: Path = DATA_FILE) -> list[SwapRow]:
    """The rows of the data file in file order; ValueError naming the line for a bad one."""
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise ValueError(f"{path.name}: the header must be {','.join(COLUMNS)}")
        for line, record in enumerate(reader, start=2):
            try:
                row = SwapRow(
                    date=dt.date.fromisoformat(record["date"].strip()),
                    kind=record["kind"].strip(),
                    document=record["document"].strip(),
                    document_date=(
                        dt.date.fromisoformat(record["document_date"].strip())
                        if record["document_date"].strip()
                        else None
                    ),
                    note=record["note"].strip(),
                )
            except (TypeError, ValueError, AttributeError) as error:
                raise ValueError(f"{path.name}, line {line}: {error}") from None
            if row.kind not in OfficialSwap.Kind.values:
                raise ValueError(f"{path.name}, line {line}: unknown kind {row.kind!r}")
            if not row.document or len(row.document) > 200 or len(row.note) > 200:
                raise ValueError(f"{path.name}, line {line}: document 1-200, note 0-200 characters")
            rows.append(row)
    return rows


def current_rows(rows: list[SwapRow]) -> dict[dt.date, SwapRow]:
    """date -> the row in force: the last one the file lists for that date."""
    return {row.date: row for row in rows}


def official_swaps_load(*, path: Path = DATA_FILE) -> int:
    """Load the data file; return how many rows were added or replaced (0: nothing changed)."""
    rows = read_official_swaps(path)
    changed = 0
    with transaction.atomic():
        by_key = {
            (swap.date, swap.kind, swap.document): swap
            for swap in OfficialSwap.objects.select_for_update().filter(
                date__in={row.date for row in rows}
            )
        }
        for row in rows:
            key = (row.date, row.kind, row.document)
            if key not in by_key:
                # Written below: the row in force first, then the rows it replaces. A row
                # already stored is never rewritten (a correction is a newer row).
                by_key[key] = OfficialSwap(
                    date=row.date,
                    kind=row.kind,
                    document=row.document,
                    document_date=row.document_date,
                    note=row.note,
                )
        now = clock.now()
        for day, row in current_rows(rows).items():
            current = by_key[(row.date, row.kind, row.document)]
            older = [
                swap
                for key, swap in by_key.items()
                if key[0] == day and swap is not current and swap.superseded_by_id is None
            ]
            # The rows it replaces step aside first, so one row per day is in force throughout
            # (a database constraint); then they point at the row in force.
            stepping_aside = [swap.pk for swap in older if swap.pk is not None]
            OfficialSwap.objects.filter(pk__in=stepping_aside).update(superseded_at=now)
            if current.pk is None:
                current.save()
                changed += 1
            elif current.superseded_at is not None:
                current.superseded_at = None
                current.superseded_by = None
                current.save(update_fields=["superseded_at", "superseded_by"])
                changed += 1
            for swap in older:
                swap.superseded_by = current
                swap.superseded_at = now
                swap.save()
                changed += 1
        if changed:
            for city in City.objects.order_by("pk"):
                calendar_changed.send(sender=City, city=city)
    return changed


def load_after_migrate(sender, using, **kwargs) -> None:
    """post_migrate: the rows of the shipped file, in every database migrate creates."""
    if using != "default":
        return
    official_swaps_load()
