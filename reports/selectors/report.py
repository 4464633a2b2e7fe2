"""A period's report for the wards in scope: rows per ward, pilot-phase subtotals, the total;
and Biểu 06 of one ward by field (lĩnh vực)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import cast

from django.utils.translation import gettext_lazy as _

from intake import figures as figures_table
from intake.models import (
    Procedure,
)
from onestop.models import User
from reports.periods import Period
from reports.selectors.access import report_ward, report_wards
from reports.selectors.figures import COUNTS, POSTAL_COUNTS, Figures, postal_counts
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


def _ledger_figures(ward_ids: list[int], period: Period) -> dict[int, Figures]:
    """Per ward, the figures of the period from the daily figures table (one query)."""
    # Keyed by ward id in the per-ward table.
    rows = cast(
        dict[int, dict[str, int]], figures_table.totals(ward_ids, period.first_day, period.last_day)
    )
    return {ward_id: _from_table(row) for ward_id, row in rows.items()}


def _field_figures(ward: Ward, period: Period) -> dict[str, Figures]:
    """Per field (lĩnh vực) of the catalogue, the ward's figures of the period (two queries).

    The table is kept per procedure, so a procedure moved to another field counts there.
    """
    # Keyed by (ward id, procedure id) in the per-procedure table.
    rows = cast(
        dict[tuple[int, int], dict[str, int]],
        figures_table.totals(
            [ward.pk], period.first_day, period.last_day, table=figures_table.BY_PROCEDURE
        ),
    )
    fields = dict(Procedure.objects.filter(pk__in=[p for _w, p in rows]).values_list("pk", "field"))
    out: dict[str, Figures] = defaultdict(Figures)
    for (_ward_id, procedure_id), row in rows.items():
        out[fields[procedure_id]].add(_from_table(row))
    return out


def ward_report(*, user: User, period: Period, ward_slug: str = "") -> Report:
    """Biểu 06 and the pilot figures for every ward `user` may read (or one of them).

    Raises Ward.DoesNotExist when `ward_slug` names a ward outside the user's scope.
    """
    wards_qs = report_wards(user=user)
    if ward_slug:
        wards_qs = wards_qs.filter(slug=ward_slug)
    wards = list(wards_qs)
    if ward_slug and not wards:
        raise Ward.DoesNotExist(ward_slug)
    figures = _ledger_figures([w.pk for w in wards], period)
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
    return Report(period=period, rows=rows, total=total, groups=groups, wards=wards)


def _empty() -> Figures:
    return Figures(postal=dict.fromkeys(POSTAL_COUNTS, 0))


def field_report(*, user: User, period: Period, ward_slug: str) -> list[Row]:
    """Biểu 06 of one ward with a row per field (lĩnh vực), as the official form is laid out."""
    ward = report_ward(user=user, slug=ward_slug)
    figures = _field_figures(ward, period)
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
    return rows
