"""Ward and city reports: Biểu 06, the pilot's own figures, the national index subset, trends.

The one module that reads figures for reports. Every figure comes from grouped, conditional
aggregates in the database: one `values(<group>).annotate(...)` query per family of figures,
so a report costs the same handful of queries for one ward or a whole city, whatever the number
of dossiers. Python only adds the grouped rows up (subtotals, totals) and divides (shares).

Definitions (a period is [start, end) in local time, see wards.periods):

* received online: received in the period through channel 2; direct and postal: channels 1, 3;
* carried over: received before the start and not finished at the start;
* finished: resolved (`resolved_at`), refused or withdrawn (the time of that event);
* resolved: `resolved_at` in the period, split by `timeliness` (early, on time, late);
* pending: received before the end and not finished at the end; overdue when the date promised
  (the apology's, when there is one, else the appointment) is before the end;
* refused, withdrawn: the refusal or withdrawal happened in the period.

So every dossier counted as carried over or received ends the period exactly once as resolved,
refused, withdrawn or pending:
``carried_over + received = resolved + refused + withdrawn + pending``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlencode

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake import figures as figures_table
from intake.lifecycle import Action
from intake.models import (
    Channel,
    DailyFigures,
    Dossier,
    DossierEvent,
    Procedure,
    ReceiverKind,
    ReturnMethod,
    Satisfaction,
    Status,
    Timeliness,
)
from onestop.models import Role, User
from onestop.scope import visible_wards
from postal.models import Assignment, DataEntryBatch, DataEntryRecord, GuidanceSession
from wards.calendar import WORKING_DAY
from wards.models import Ward
from wards.periods import Period

REPORT_ROLES = (Role.CHIEF, Role.CITY_ADMIN)
SATISFIED = Satisfaction.SATISFIED  # "satisfied or better" is a rating of 4 or 5


# --- who may read reports ---------------------------------------------------------------------


def may_read_reports(user: User) -> bool:
    """Chiefs (their ward), city admins (their city) and technical administrators."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.role in REPORT_ROLES or (user.is_superuser and not user.role))
    )


def report_wards(*, user: User) -> QuerySet[Ward]:
    """The wards whose reports `user` may read; none for counter staff."""
    if not may_read_reports(user):
        return Ward.objects.none()
    return visible_wards(user).filter(active=True).order_by("name")


def report_ward(*, user: User, slug: str) -> Ward:
    """One ward whose report `user` may read, or Ward.DoesNotExist (a 404)."""
    return report_wards(user=user).get(slug=slug)


# --- the figures ------------------------------------------------------------------------------

# Biểu 06 (Circular 01/2020/TT-VPCP) in the form's column order; English names for machines.
BIEU06_COLUMNS: list[tuple[str, str]] = [
    ("total", _("Tổng số hồ sơ nhận giải quyết")),
    ("carried_over", _("Từ kỳ trước chuyển qua")),
    ("received", _("Mới tiếp nhận trong kỳ")),
    ("received_online", _("Trực tuyến")),
    ("received_direct_postal", _("Trực tiếp và qua dịch vụ bưu chính")),
    ("resolved", _("Đã giải quyết")),
    ("resolved_early", _("Trước hạn")),
    ("resolved_on_time", _("Đúng hạn")),
    ("resolved_late", _("Quá hạn")),
    ("pending", _("Đang giải quyết")),
    ("pending_within", _("Trong hạn")),
    ("pending_overdue", _("Quá hạn")),
    ("refused", _("Từ chối")),
    ("withdrawn", _("Rút hồ sơ")),
]

PILOT_COLUMNS: list[tuple[str, str]] = [
    ("received", _("Tiếp nhận")),
    ("received_postal_worker", _("Do nhân viên bưu điện tiếp nhận")),
    ("received_officer", _("Do công chức tiếp nhận")),
    ("postal_worker_share", _("Tỷ lệ do bưu điện tiếp nhận (%)")),
    ("on_time_share_postal_worker", _("Đúng hạn – bưu điện tiếp nhận (%)")),
    ("on_time_share_officer", _("Đúng hạn – công chức tiếp nhận (%)")),
    ("returned_postal_worker", _("Đã trả – bưu điện tiếp nhận")),
    ("returned_officer", _("Đã trả – công chức tiếp nhận")),
    ("out_of_list", _("Tiếp nhận ngoài danh mục")),
    ("returned_counter", _("Trả kết quả tại quầy")),
    ("returned_post", _("Trả kết quả qua bưu điện")),
    ("refused", _("Từ chối")),
    ("withdrawn", _("Rút hồ sơ")),
    ("mean_processing_days", _("Thời gian giải quyết bình quân (ngày làm việc)")),
    ("digitised_share", _("Tỷ lệ số hóa (%)")),
    ("satisfaction_share", _("Tỷ lệ hài lòng (%)")),
    ("shifts_intake", _("Ca tiếp nhận")),
    ("shifts_result_return", _("Ca trả kết quả")),
    ("shifts_data_entry", _("Ca nhập liệu")),
    ("shifts_guidance", _("Ca hướng dẫn")),
    ("shifts_out_of_list_intake", _("Ca tiếp nhận ngoài danh mục")),
    ("guidance_sessions", _("Lượt hướng dẫn")),
    ("data_entry_progress", _("Tiến độ nhập liệu (%)")),
]

INDEX_COLUMNS: list[tuple[str, str]] = [
    ("on_time_share", _("Tỷ lệ giải quyết đúng hạn (%)")),
    ("online_share", _("Tỷ lệ trực tuyến (%)")),
    ("direct_share", _("Tỷ lệ trực tiếp (%)")),
    ("postal_share", _("Tỷ lệ qua bưu chính công ích (%)")),
    ("digitised_share", _("Tỷ lệ số hóa (%)")),
    ("satisfaction_share", _("Tỷ lệ hài lòng (%)")),
]

# Raw counts read from the database; everything else is derived from them.
COUNTS = (
    "received_online",
    "received_direct",
    "received_postal",
    "carried_open",
    "carried_closed",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_open_within",
    "pending_open_overdue",
    "pending_closed_within",
    "pending_closed_overdue",
    "refused",
    "withdrawn",
    "received_postal_worker",
    "received_officer",
    "resolved_postal_worker",
    "resolved_officer",
    "punctual_postal_worker",
    "punctual_officer",
    "returned_postal_worker",
    "returned_officer",
    "out_of_list",
    "returned_counter",
    "returned_post",
    "rated",
    "satisfied",
    "paused_seconds",
    "working_days_sum",
    "digitised",
)

# Postal back-office counts: present only when the postal app provides the models.
POSTAL_COUNTS = (
    "shifts_intake",
    "shifts_result_return",
    "shifts_data_entry",
    "shifts_guidance",
    "shifts_out_of_list_intake",
    "guidance_sessions",
    "data_entry_total",
    "data_entry_done",
)


def _share(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Figures:
    """The counts of one ward, group or city, and every figure derived from them."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    postal: dict[str, int] | None = None  # per ward only: a field row has none

    def add(self, other: Figures) -> None:
        for key, value in other.counts.items():
            self.counts[key] += value
        if other.postal is not None:
            if self.postal is None:
                self.postal = dict.fromkeys(POSTAL_COUNTS, 0)
            for key, value in other.postal.items():
                self.postal[key] += value

    def values(self) -> dict[str, int | float | None]:
        """Every column of Biểu 06, the pilot view and the index, by its English name."""
        c = self.counts
        received = c["received_online"] + c["received_direct"] + c["received_postal"]
        carried = c["carried_open"] + c["carried_closed"]
        resolved = c["resolved_early"] + c["resolved_on_time"] + c["resolved_late"]
        within = c["pending_open_within"] + c["pending_closed_within"]
        overdue = c["pending_open_overdue"] + c["pending_closed_overdue"]
        resolved_by_kind = c["resolved_postal_worker"] + c["resolved_officer"]
        mean_days = None
        if resolved_by_kind:
            days = c["working_days_sum"] - c["paused_seconds"] / WORKING_DAY.total_seconds()
            mean_days = round(max(days, 0) / resolved_by_kind, 1)
        values: dict[str, int | float | None] = {
            "total": carried + received,
            "carried_over": carried,
            "received": received,
            "received_online": c["received_online"],
            "received_direct_postal": c["received_direct"] + c["received_postal"],
            "received_direct": c["received_direct"],
            "received_postal": c["received_postal"],
            "resolved": resolved,
            "resolved_early": c["resolved_early"],
            "resolved_on_time": c["resolved_on_time"],
            "resolved_late": c["resolved_late"],
            "pending": within + overdue,
            "pending_within": within,
            "pending_overdue": overdue,
            "refused": c["refused"],
            "withdrawn": c["withdrawn"],
            "received_postal_worker": c["received_postal_worker"],
            "received_officer": c["received_officer"],
            "postal_worker_share": _share(c["received_postal_worker"], received),
            "on_time_share_postal_worker": _share(
                c["punctual_postal_worker"], c["resolved_postal_worker"]
            ),
            "on_time_share_officer": _share(c["punctual_officer"], c["resolved_officer"]),
            "returned_postal_worker": c["returned_postal_worker"],
            "returned_officer": c["returned_officer"],
            "out_of_list": c["out_of_list"],
            "returned_counter": c["returned_counter"],
            "returned_post": c["returned_post"],
            "mean_processing_days": mean_days,
            "digitised_share": _share(c["digitised"], received),
            "satisfaction_share": _share(c["satisfied"], c["rated"]),
            "rated": c["rated"],
            "satisfied": c["satisfied"],
            "on_time_share": _share(c["resolved_early"] + c["resolved_on_time"], resolved),
            "online_share": _share(c["received_online"], received),
            "direct_share": _share(c["received_direct"], received),
            "postal_share": _share(c["received_postal"], received),
        }
        postal = self.postal
        for key in POSTAL_COUNTS:
            values[key] = postal[key] if postal is not None else None
        values["data_entry_progress"] = (
            _share(postal["data_entry_done"], postal["data_entry_total"]) if postal else None
        )
        return values

    def reconciles(self) -> bool:
        """carried over + received = resolved + refused + withdrawn + pending."""
        v = self.values()
        return v["carried_over"] + v["received"] == (
            v["resolved"] + v["refused"] + v["withdrawn"] + v["pending"]
        )


def _postal_counts(ward_ids: list[int], period: Period) -> dict[int, dict[str, int]]:
    """Shifts by task type, guidance sessions and data-entry progress, per ward (4 queries).

    Data entry counts the batches at work during the period (created before its end, not
    cancelled, not closed before its start): their paper dossiers, and how many of them had
    been entered by the period's end.
    """
    counts = {pk: dict.fromkeys(POSTAL_COUNTS, 0) for pk in ward_ids}
    shifts = (
        Assignment.objects.active()
        .filter(ward_id__in=ward_ids, date__gte=period.first_day, date__lte=period.last_day)
        .values("ward_id", "task_type")
        .order_by()
        .annotate(n=Count("pk"))
    )
    for row in shifts:
        counts[row["ward_id"]][f"shifts_{row['task_type']}"] += row["n"]
    guidance = (
        GuidanceSession.objects.filter(
            ward_id__in=ward_ids, at__gte=period.start, at__lt=period.end
        )
        .values("ward_id")
        .order_by()
        .annotate(n=Count("pk"))
    )
    for row in guidance:
        counts[row["ward_id"]]["guidance_sessions"] = row["n"]
    batches = DataEntryBatch.objects.filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=period.start),
        ward_id__in=ward_ids,
        created_at__lt=period.end,
    ).exclude(status=DataEntryBatch.Status.CANCELLED)
    for row in batches.values("ward_id").order_by().annotate(n=Sum("paper_count")):
        counts[row["ward_id"]]["data_entry_total"] = row["n"] or 0
    entered = (
        DataEntryRecord.objects.filter(batch__in=batches, entered_at__lt=period.end)
        .values("batch__ward_id")
        .order_by()
        .annotate(n=Count("pk"))
    )
    for row in entered:
        counts[row["batch__ward_id"]]["data_entry_done"] = row["n"]
    return counts


# --- the report -------------------------------------------------------------------------------


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
    rows = figures_table.totals(ward_ids, period.first_day, period.last_day)
    return {ward_id: _from_table(row) for ward_id, row in rows.items()}


def _field_figures(ward: Ward, period: Period) -> dict[str, Figures]:
    """Per field (lĩnh vực) of the catalogue, the ward's figures of the period (two queries).

    The table is kept per procedure, so a procedure moved to another field counts there.
    """
    rows = figures_table.totals(
        [ward.pk], period.first_day, period.last_day, table=figures_table.BY_PROCEDURE
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
    postal = _postal_counts([w.pk for w in wards], period)

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


# --- links from a figure to its dossiers ------------------------------------------------------


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


# --- monthly trends ---------------------------------------------------------------------------


@dataclass
class MonthPoint:
    month: dt.date
    received: int = 0
    received_postal_worker: int = 0
    resolved: int = 0
    punctual: int = 0

    @property
    def on_time_share(self) -> float | None:
        return _share(self.punctual, self.resolved)

    @property
    def postal_worker_share(self) -> float | None:
        return _share(self.received_postal_worker, self.received)


TREND_MONTHS = 12


def trend_months(period: Period, count: int = TREND_MONTHS) -> list[dt.date]:
    """The months of the period, extended back to `count` months, at most five years."""
    months = period.months()
    while len(months) < count:
        months.insert(0, (months[0] - dt.timedelta(days=1)).replace(day=1))
    return months[-60:]


def _month_key(value) -> dt.date:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date().replace(day=1)
    return value.replace(day=1)


def monthly_trend(
    *,
    user: User,
    period: Period,
    ward_slug: str = "",
    by_phase: bool = False,
    report: Report | None = None,
) -> dict[object, list[MonthPoint]]:
    """Received, on-time share and postal-worker share per month, for the trend charts.

    One grouped query over the daily figures (receipts by the day received, results by the day
    resolved). Returns one series: "all" for a single ward or the whole scope; or, when
    `by_phase`, one per pilot phase (1, 2, 0) that some ward in scope belongs to (one more
    query), so the pilot's phases can be set against each other and against the wards outside
    it. `report`, the same user's `ward_report` for the same wards, lends its wards (no query).
    """
    if report is not None:
        wards = report.wards
        ward_ids = [w.pk for w in wards]
    else:
        wards = report_wards(user=user)
        if ward_slug:
            wards = wards.filter(slug=ward_slug)
        ward_ids = wards.values("pk")
    months = trend_months(period)
    if by_phase:
        present = {w.pilot_phase for w in wards}
        keys = [phase for phase, _label in PHASE_GROUPS if phase in present]
    else:
        keys = ["all"]
    series = {key: {m: MonthPoint(month=m) for m in months} for key in keys}
    group = ["month", "ward__pilot_phase"] if by_phase else ["month"]

    rows = (
        DailyFigures.objects.filter(ward__in=ward_ids, day__gte=months[0], day__lte=period.last_day)
        .annotate(month=TruncMonth("day"))
        .values(*group)
        .order_by()
        .annotate(
            received=Sum(figures_table.columns_sum(figures_table.RECEIVED)),
            postal=Sum("received_postal_worker"),
            resolved=Sum(figures_table.columns_sum(figures_table.RESOLVED)),
            punctual=Sum(F("punctual_postal_worker") + F("punctual_officer")),
        )
    )
    for row in rows:
        key = row["ward__pilot_phase"] if by_phase else "all"
        point = series.get(key, {}).get(_month_key(row["month"]))
        if point is not None:
            point.received += row["received"]
            point.received_postal_worker += row["postal"]
            point.resolved += row["resolved"]
            point.punctual += row["punctual"]
    return {key: list(points.values()) for key, points in series.items()}


# --- the logbook (Mẫu 06) ---------------------------------------------------------------------


def logbook_entries(*, user: User, ward: Ward, period: Period) -> QuerySet[Dossier]:
    """The dossiers received by `ward` in the period, oldest first, as Sổ theo dõi lists them.

    `ward` must come from `report_ward` (the caller's scope). Each row carries `transferred_at`,
    the time it was handed to the resolving agency, read in the same query.
    """
    from django.db.models import OuterRef, Subquery

    transfer = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), action=Action.TRANSFER)
        .order_by("at")
        .values("at")[:1]
    )
    return (
        Dossier.objects.filter(ward=ward, received_at__gte=period.start, received_at__lt=period.end)
        .annotate(transferred_at=Subquery(transfer))
        .order_by("received_at", "id")
        .only(
            "code",
            "procedure_code",
            "procedure_name",
            "sets",
            "applicant_name",
            "applicant_address",
            "applicant_phone",
            "resolving_agency",
            "received_at",
            "appointment_at",
            "apology_appointment_at",
            "resolved_at",
            "returned_at",
            "return_method",
            "status",
            "timeliness",
            "notes",
        )
    )
