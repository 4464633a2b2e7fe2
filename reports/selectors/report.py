"""A period's report for the wards in scope: rows per ward, pilot-phase subtotals, the total;
and Biểu 06 of one ward by field (lĩnh vực)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import cast

from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from intake import figures as figures_table
from intake.models import Dossier, Procedure, Status
from onestop import clock
from onestop.models import User
from reports.periods import Period
from reports.selectors.access import report_ward, report_wards
from reports.selectors.figures import COUNTS, POSTAL_COUNTS, Figures, postal_counts
from reports.selectors.hall import hall_figures_add
from reports.selectors.links import figure_links
from wards.models import Ward


@dataclass
class Row:
    """One line of a report: a ward, a group subtotal or the total."""

    label: str
    figures: Figures
    kind: str = "ward"  # ward | group | total | field
    ward: Ward | None = None
    pilot_phase: int | None = None
    field_name: str = ""  # a row of the by-field form: the catalogue's field
    values: dict = field(default_factory=dict)
    links: dict = field(default_factory=dict)


@dataclass
class Report:
    """A period's figures for the wards in scope, grouped by pilot phase."""

    period: Period
    rows: list[Row]
    total: Row
    groups: list[tuple[Row, list[Row]]]
    wards: list[Ward] = field(default_factory=list)  # the wards in scope, as read for it
    # The instant the end-of-period stocks (in progress, within, overdue) are counted at: the
    # period's end, or the moment of the report while the period is not over.
    as_of: dt.datetime | None = None

    @property
    def over(self) -> bool:
        return self.as_of is None or self.as_of >= self.period.end

    @property
    def ward_rows(self) -> list[Row]:
        return [row for row in self.rows if row.kind == "ward"]


PHASE_GROUPS = [
    (Ward.PilotPhase.FIRST, _("Thí điểm giai đoạn 1")),
    (Ward.PilotPhase.SECOND, _("Thí điểm giai đoạn 2")),
    (Ward.PilotPhase.NONE, _("Chưa thí điểm")),
]


def _from_table(row: dict) -> Figures:
    """One row of `intake.figures.totals` as Figures."""
    fig = Figures()
    c = fig.counts
    for name in COUNTS:
        if name in row:
            c[name] = row[name]
    c["working_days_sum"] = row["working_days"]
    c["carried_open"] = row["carried_over"]
    c["pending_open_overdue"] = row["pending_overdue"]
    c["pending_open_within"] = row["pending"] - row["pending_overdue"]
    return fig


def _ledger_figures(
    ward_ids: list[int], period: Period, as_of: dt.datetime | None = None
) -> dict[int, Figures]:
    """Per ward, the figures of the period from the daily figures table (one query; one more
    while the period is not over)."""
    # Keyed by ward id in the per-ward table.
    rows = cast(
        dict[int, dict[str, int]], figures_table.totals(ward_ids, period.first_day, period.last_day)
    )
    if as_of is not None and as_of < period.end:
        _overdue_as_of(rows, ward_ids, as_of, ("ward_id",))
    return {ward_id: _from_table(row) for ward_id, row in rows.items()}


def _overdue_as_of(rows: dict, ward_ids: list[int], as_of: dt.datetime, keys: tuple) -> None:
    """Set each row's `pending_overdue` to the dossiers in hand and past the date promised at
    `as_of` (now, in a period not yet over), not at the period's end.

    The table's stock at the end of a future day holds every dossier promised before it, so it
    would call a dossier due later today overdue. What is in hand at the end of a period not yet
    over is what is in hand now (no receipt or ending lies in the future), so `pending` stands;
    only the overdue part is counted here, with the table's definitions: in hand = received,
    neither resolved, refused nor withdrawn; promised = the apology's date, else the appointment.
    """
    overdue = (
        Dossier.objects.filter(
            ward_id__in=ward_ids, received_at__lt=as_of, resolved_at__isnull=True
        )
        .exclude(status__in=[Status.REFUSED, Status.WITHDRAWN])
        .alias(promised=Coalesce("apology_appointment_at", "appointment_at"))
        .filter(promised__lt=as_of)
        .values(*keys)
        .order_by()
        .annotate(n=Count("pk"))
    )
    counts = {tuple(row[k] for k in keys): row["n"] for row in overdue}
    for key, row in rows.items():
        row["pending_overdue"] = counts.get(key if isinstance(key, tuple) else (key,), 0)


def _field_figures(
    ward: Ward, period: Period, as_of: dt.datetime | None = None
) -> dict[str, Figures]:
    """Per field (lĩnh vực) of the catalogue, the ward's figures of the period (two queries;
    one more while the period is not over).

    The table is kept per procedure, so a procedure moved to another field counts there.
    """
    # Keyed by (ward id, procedure id) in the per-procedure table.
    rows = cast(
        dict[tuple[int, int], dict[str, int]],
        figures_table.totals(
            [ward.pk], period.first_day, period.last_day, table=figures_table.BY_PROCEDURE
        ),
    )
    if as_of is not None and as_of < period.end:
        _overdue_as_of(rows, [ward.pk], as_of, ("ward_id", "procedure_id"))
    fields = dict(Procedure.objects.filter(pk__in=[p for _w, p in rows]).values_list("pk", "field"))
    out: dict[str, Figures] = defaultdict(Figures)
    for (_ward_id, procedure_id), row in rows.items():
        out[fields[procedure_id]].add(_from_table(row))
    return out


# While a period is not over, the dossier list cannot select "overdue at this minute" (its
# filter counts at the end of a day): these figures go without a link rather than with a wrong one.
AS_OF_FIGURES = ("pending_within", "pending_overdue")


def _unlink_as_of(row: Row) -> None:
    for name in AS_OF_FIGURES:
        row.links.pop(name, None)


def ward_report(
    *, user: User, period: Period, ward_slug: str = "", now: dt.datetime | None = None
) -> Report:
    """Biểu 06 and the pilot figures for every ward `user` may read (or one of them).

    A period not yet over is counted as of `now` (default: the clock's). Raises
    Ward.DoesNotExist when `ward_slug` names a ward outside the user's scope.
    """
    as_of = period.as_of(now or clock.now())
    wards_qs = report_wards(user=user)
    if ward_slug:
        wards_qs = wards_qs.filter(slug=ward_slug)
    wards = list(wards_qs)
    if ward_slug and not wards:
        raise Ward.DoesNotExist(ward_slug)
    figures = _ledger_figures([w.pk for w in wards], period, as_of)
    postal = postal_counts([w.pk for w in wards], period)

    def ward_row(ward: Ward) -> Row:
        fig = figures.get(ward.pk) or Figures()
        fig.postal = postal[ward.pk]
        return Row(label=str(ward), figures=fig, ward=ward, pilot_phase=ward.pilot_phase)

    rows: list[Row] = []
    groups: list[tuple[Row, list[Row]]] = []
    total = Row(label=str(_("Tổng cộng")), figures=_empty(), kind="total")
    for phase, label in PHASE_GROUPS:
        members = [ward_row(w) for w in wards if w.pilot_phase == phase]
        if not members:
            continue
        subtotal = Row(
            label=str(label),
            figures=_empty(),
            kind="group",
            pilot_phase=phase,
        )
        for row in members:
            subtotal.figures.add(row.figures)
        total.figures.add(subtotal.figures)
        groups.append((subtotal, members))
        rows += [*members, subtotal]
    rows.append(total)
    for row in rows:
        row.values = row.figures.values()
        row.links = figure_links(row, period, single_ward=len(wards) == 1)
        if as_of < period.end:
            _unlink_as_of(row)
    hall_figures_add(rows, period, [w.pk for w in wards])
    return Report(period=period, rows=rows, total=total, groups=groups, wards=wards, as_of=as_of)


def _empty() -> Figures:
    return Figures(postal=dict.fromkeys(POSTAL_COUNTS, 0))


def field_report(
    *, user: User, period: Period, ward_slug: str, now: dt.datetime | None = None
) -> list[Row]:
    """Biểu 06 of one ward with a row per field (lĩnh vực), as the official form is laid out;
    a period not yet over is counted as of `now`, as `ward_report` does."""
    ward = report_ward(user=user, slug=ward_slug)
    as_of = period.as_of(now or clock.now())
    figures = _field_figures(ward, period, as_of)
    rows = []
    total = Figures()
    for name in sorted(figures, key=lambda n: n or ""):
        if not figures[name].values()["total"]:
            continue  # a field with no dossier handled in the period has no line in the form
        total.add(figures[name])
        rows.append(
            Row(
                label=name or "—",
                figures=figures[name],
                kind="field",
                ward=ward,
                field_name=name or "",
            )
        )
    rows.append(Row(label=str(_("Tổng cộng")), figures=total, kind="total", ward=ward))
    for row in rows:
        row.values = row.figures.values()
        scope = {"ward": ward.slug}
        if row.kind == "field":
            scope["procedure_field"] = row.field_name
        row.links = figure_links(row, period, scope=scope)
        if as_of < period.end:
            _unlink_as_of(row)
    return rows
