"""The citizens' evaluations beside the Decision 766 index: per ward, group and total, how many
evaluated and the share giving each indicator its full score, each linked to the evaluations."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from hall.models import INDICATOR_NAMES, INDICATORS
from hall.selectors import evaluation_counts
from reports.selectors.figures import share
from reports.selectors.report import Report, Row

EVALUATION_NAMES = ["evaluations", *(f"{name}_share" for name in INDICATOR_NAMES)]


def evaluation_labels() -> list[str]:
    """The table's headings: the count, then each indicator by its number (the legend under the
    table gives each indicator's wording)."""
    return [
        str(_("Số lượt đánh giá")),
        *(
            str(_("Chỉ số %(number)s: tỷ lệ đạt điểm tối đa (%%)") % {"number": n})
            for n in range(1, len(INDICATORS) + 1)
        ),
    ]


@dataclass
class EvaluationRow:
    row: Row
    counts: dict[str, int]
    values: dict = field(default_factory=dict)
    links: dict = field(default_factory=dict)


def _zero() -> dict[str, int]:
    counts = {"evaluations": 0}
    for name in INDICATOR_NAMES:
        counts[f"{name}_answered"] = counts[f"{name}_met"] = 0
    return counts


def _values(counts: dict[str, int]) -> dict:
    values: dict = {"evaluations": counts["evaluations"]}
    for name in INDICATOR_NAMES:
        values[f"{name}_share"] = share(counts[f"{name}_met"], counts[f"{name}_answered"])
    return values


def _scope(row: Row, report: Report) -> dict[str, str]:
    if row.kind == "ward" and row.ward is not None:
        return {"ward": row.ward.slug}
    if row.kind == "group":
        return {"pilot_phase": str(row.pilot_phase)}
    if len(report.wards) == 1:
        return {"ward": report.wards[0].slug}
    return {}


def _links(row: Row, values: dict, report: Report) -> dict[str, str]:
    try:
        base = reverse("hall:evaluations")
    except NoReverseMatch:
        return {}
    period = report.period
    query = {
        **_scope(row, report),
        "from": period.first_day.isoformat(),
        "to": period.last_day.isoformat(),
    }
    links = {}
    if values["evaluations"]:
        links["evaluations"] = f"{base}?{urlencode(query)}"
    for name in INDICATOR_NAMES:
        if values[f"{name}_share"]:
            links[f"{name}_share"] = f"{base}?{urlencode({**query, 'indicator': name})}"
    return links


def _add(into: dict[str, int], counts: dict[str, int]) -> None:
    for key, value in counts.items():
        into[key] += value


def evaluation_rows(report: Report) -> list[EvaluationRow]:
    """One line per ward, pilot group and total row of `report`: one grouped query in all.

    A group's line sums the wards listed before it (the report lists each group's wards, then
    its subtotal); the total sums every ward.
    """
    by_ward = evaluation_counts(
        [w.pk for w in report.wards], report.period.start, report.period.end
    )
    lines: list[EvaluationRow] = []
    group, total = _zero(), _zero()
    for row in report.rows:
        if row.kind == "ward" and row.ward is not None:
            counts = by_ward.get(row.ward.pk) or _zero()
            _add(group, counts)
            _add(total, counts)
        elif row.kind == "group":
            counts, group = group, _zero()
        elif row.kind == "total":
            counts = total
        else:
            continue
        values = _values(counts)
        lines.append(
            EvaluationRow(row=row, counts=counts, values=values, links=_links(row, values, report))
        )
    return lines
