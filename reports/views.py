"""Report pages (city and ward), their exports and the logbook. Views are thin: a form reads the
period, a selector counts, a template shows."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hall.models import BUCKET_BOUNDS, INDICATORS
from intake.privacy import personal_data_access_log
from onestop import clock
from onestop.paging import page_number
from reports import charts, columns, exports, selectors, services
from reports.forms import PeriodForm
from reports.selectors.evaluations import EVALUATION_NAMES, evaluation_labels, evaluation_rows

LOGBOOK_PAGE = 100


def _reader(request) -> None:
    if not selectors.may_read_reports(request.user):
        raise Http404


def _period_form(request) -> PeriodForm:
    form = PeriodForm(request.GET)
    form.is_valid()
    return form


def show(value) -> str:
    """A figure as the page prints it: 1.234 for counts, 75,0 for shares, — when unknown."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return number_format(value, decimal_pos=1, use_l10n=True)
    return number_format(value, use_l10n=True, force_grouping=True)


def _cells(row, names) -> list[dict]:
    return [
        {
            "name": name,
            "value": row.values.get(name),
            "shown": show(row.values.get(name)),
            "url": row.links.get(name),
        }
        for name in names
    ]


def _table(report_rows, names) -> list[dict]:
    lines, number = [], 0
    for row in report_rows:
        if row.kind in ("ward", "field"):
            number += 1
        lines.append(
            {
                "row": row,
                "cells": _cells(row, names),
                "number": number if row.kind in ("ward", "field") else "",
            }
        )
    return lines


PILOT_MAIN = [
    "received",
    "received_postal_worker",
    "received_officer",
    "postal_worker_share",
    "on_time_share_postal_worker",
    "on_time_share_officer",
    "returned_postal_worker",
    "returned_officer",
    "out_of_list",
    "returned_counter",
    "returned_post",
    "mean_processing_days",
    "digitised_share",
    "satisfaction_share",
]
PILOT_WORK = exports.PILOT_WORK


def _labels(names) -> list[str]:
    known = dict(columns.PILOT_COLUMNS) | dict(columns.INDEX_COLUMNS)
    return [str(known[name]) for name in names]


def _month_labels(points) -> list[str]:
    return [f"{p.month:%m/%y}" for p in points]


HALL_NAMES = [name for name, _label in columns.HALL_COLUMNS]
HALL_BOUNDS = ", ".join(str(bound) for bound in BUCKET_BOUNDS)
BIEU06_NAMES = columns.BIEU06_ORDER
CLOSED_NAMES = columns.CLOSED_ORDER


def _form_context(unit: str, period, as_of) -> dict:
    """What the page prints around Biểu 06: the form's own lines, its headings, the note on a
    period not yet over, and the separate table's headings."""
    return {
        "bieu06_heading": dict(exports.bieu06_heading(unit, period)),
        "bieu06_numbers": [f"({n})" for n in range(1, columns.BIEU06_WIDTH + 1)],
        "bieu06_form": columns.BIEU06_FORM,
        "closed_title": columns.CLOSED_TITLE,
        "closed_labels": [label for _n, label in columns.CLOSED_COLUMNS],
        "overdue_note": exports.overdue_note(as_of),
        "as_of": as_of,
    }


def _report_context(request, report, form, *, export_query: dict) -> dict:
    query = urlencode({**form.query(), **export_query})
    return {
        "form": form,
        "period": report.period,
        "report": report,
        "bieu06": _table(report.rows, BIEU06_NAMES),
        "closed": _table(report.rows, CLOSED_NAMES),
        "pilot_main": _table(report.rows, PILOT_MAIN),
        "pilot_main_labels": _labels(PILOT_MAIN),
        "pilot_work": _table(report.rows, PILOT_WORK),
        "pilot_work_labels": _labels(PILOT_WORK),
        "index": _table(report.rows, [n for n, _l in columns.INDEX_COLUMNS]),
        "index_labels": [str(label) for _n, label in columns.INDEX_COLUMNS],
        "hall": _table(report.rows, HALL_NAMES),
        "hall_labels": [str(label) for _n, label in columns.HALL_COLUMNS],
        "hall_bounds": HALL_BOUNDS,
        "export_query": query,
        "evaluations": _evaluation_table(report),
        "evaluation_labels": evaluation_labels(),
        "indicators": [label for _name, label in INDICATORS],
    }


def _evaluation_table(report) -> list[dict]:
    lines, number = [], 0
    for line in evaluation_rows(report):
        if line.row.kind == "ward":
            number += 1
        lines.append(
            {
                "row": line.row,
                "cells": _cells(line, EVALUATION_NAMES),
                "number": number if line.row.kind == "ward" else "",
            }
        )
    return lines


@login_required
def reports_home(request):
    """The city page for a city admin (and a technical administrator); a chief's own ward."""
    _reader(request)
    user = request.user
    if user.is_chief:
        url = reverse("reports:ward-report", kwargs={"slug": user.ward.slug})
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    form = _period_form(request)
    report = selectors.ward_report(user=user, period=form.period)
    trend = selectors.monthly_trend(user=user, period=form.period, by_phase=True, report=report)
    names = {phase: str(label) for phase, label in selectors.PHASE_GROUPS}
    phases = list(trend)
    labels = _month_labels(trend[phases[0]]) if phases else []

    def series(value):
        return [
            charts.Series(names[phase], [value(p) for p in trend[phase]], style)
            for style, phase in enumerate(phases)
        ]

    chart_received = charts.bar_chart(
        title=_("Hồ sơ tiếp nhận theo tháng"),
        desc=_("Số hồ sơ tiếp nhận mỗi tháng, theo nhóm phường (giai đoạn thí điểm)."),
        labels=labels,
        series=series(lambda p: p.received),
    )
    chart_on_time = charts.line_chart(
        title=_("Tỷ lệ giải quyết đúng hạn theo tháng"),
        desc=_("Phần trăm hồ sơ có kết quả trước hoặc đúng hạn trong số hồ sơ có kết quả."),
        labels=labels,
        series=series(lambda p: p.on_time_share),
    )
    chart_postal = charts.line_chart(
        title=_("Tỷ lệ hồ sơ do nhân viên bưu điện tiếp nhận"),
        desc=_("Phần trăm hồ sơ tiếp nhận mỗi tháng do nhân viên bưu điện tiếp nhận."),
        labels=labels,
        series=series(lambda p: p.postal_worker_share),
    )
    city = user.city  # the header reads it too: one query for both
    context = _report_context(request, report, form, export_query={})
    context.update(_form_context(_unit(user, city), report.period, _as_of_note(report)))
    context.update(
        {
            "city": city,
            "trend_groups": [names[phase] for phase in phases],
            "trend": [
                (label, [trend[phase][i] for phase in phases]) for i, label in enumerate(labels)
            ],
            "chart_received": chart_received,
            "chart_on_time": chart_on_time,
            "chart_postal": chart_postal,
        }
    )
    return render(request, "reports/report_city.html", context)


@login_required
def ward_report(request, slug: str):
    _reader(request)
    ward = selectors.report_ward(user=request.user, slug=slug)
    form = _period_form(request)
    now = clock.now()  # one instant for both tables of a period not yet over
    report = selectors.ward_report(user=request.user, period=form.period, ward_slug=slug, now=now)
    fields = selectors.field_report(user=request.user, period=form.period, ward_slug=slug, now=now)
    series = selectors.monthly_trend(user=request.user, period=form.period, report=report)["all"]
    labels = _month_labels(series)
    context = _report_context(request, report, form, export_query={"ward": slug})
    context.update(_form_context(f"UBND {ward}", report.period, _as_of_note(report)))
    # One ward: its own line says it all; the subtotal and total lines would repeat it.
    for key, names in (
        ("bieu06", BIEU06_NAMES),
        ("closed", CLOSED_NAMES),
        ("pilot_main", PILOT_MAIN),
        ("pilot_work", PILOT_WORK),
        ("index", [n for n, _l in columns.INDEX_COLUMNS]),
        ("hall", HALL_NAMES),
    ):
        context[key] = _table(report.ward_rows, names)
    context.update(
        {
            "ward": ward,
            "row": next(row for row in report.rows if row.kind == "ward"),
            "fields": _table(fields, BIEU06_NAMES),
            "fields_closed": _table(fields, CLOSED_NAMES),
            "series": list(zip(labels, series, strict=True)),
            "chart_received": charts.bar_chart(
                title=_("Hồ sơ tiếp nhận theo tháng"),
                desc=_("Số hồ sơ phường tiếp nhận mỗi tháng."),
                labels=labels,
                series=[charts.Series(_("Tiếp nhận"), [p.received for p in series], 0)],
            ),
            "chart_shares": charts.line_chart(
                title=_("Đúng hạn và tỷ lệ bưu điện tiếp nhận theo tháng"),
                desc=_(
                    "Phần trăm hồ sơ có kết quả đúng hoặc trước hạn, và phần trăm hồ sơ do "
                    "nhân viên bưu điện tiếp nhận, mỗi tháng."
                ),
                labels=labels,
                series=[
                    charts.Series(_("Đúng hạn"), [p.on_time_share for p in series], 0),
                    charts.Series(
                        _("Do bưu điện tiếp nhận"), [p.postal_worker_share for p in series], 1
                    ),
                ],
            ),
        }
    )
    return render(request, "reports/report_ward.html", context)


# --- exports ----------------------------------------------------------------------------------


def _log_export(request, *, ward=None) -> None:
    """Every export (and the logbook, which lists applicants) is logged: who, when, which
    one, and the query that chose its rows."""
    personal_data_access_log(
        user=request.user,
        export=request.resolver_match.view_name,
        params=request.GET.dict(),
        ward=ward,
    )


def _attachment(content, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export_report(request):
    _reader(request)
    form = _period_form(request)
    if form.errors:
        raise Http404
    slug = request.GET.get("ward", "")[:50]
    report = selectors.ward_report(user=request.user, period=form.period, ward_slug=slug)
    unit = f"UBND {report.ward_rows[0].ward}" if slug and report.ward_rows else _unit(request.user)
    _log_export(request, ward=report.ward_rows[0].ward if slug and report.ward_rows else None)
    stem = f"{slug or 'thanh-pho'}-{report.period.first_day:%Y%m%d}-{report.period.last_day:%Y%m%d}"
    return report, unit, stem


def _unit(user, city=None) -> str:
    city = city or user.city  # the header reads it too: one query for both
    return f"UBND {city}" if city else _("Các phường")


def _as_of_note(report):
    """The instant a period not yet over is counted at; None when it is over."""
    return None if report.over else report.as_of


@login_required
def bieu06_xlsx(request):
    report, unit, stem = _export_report(request)
    content = exports.bieu06_workbook(
        report.rows, unit=unit, period=report.period, as_of=_as_of_note(report)
    )
    return _attachment(content, f"bieu-06-{stem}.xlsx", exports.XLSX)


@login_required
def bieu06_csv(request):
    report, _unit_name, stem = _export_report(request)
    # The form's columns in its order, then what is not on the form: all receipts of the
    # period, and the refused (or stopped) and withdrawn dossiers of the separate table.
    content = exports.report_csv(report, [*BIEU06_NAMES, "received", *CLOSED_NAMES])
    return _attachment(content, f"bieu-06-{stem}.csv", "text/csv; charset=utf-8")


@login_required
def pilot_xlsx(request):
    report, unit, stem = _export_report(request)
    content = exports.pilot_workbook(report, unit=unit)
    return _attachment(content, f"thi-diem-{stem}.xlsx", exports.XLSX)


@login_required
def pilot_csv(request):
    report, _unit_name, stem = _export_report(request)
    names = [n for n, _l in columns.PILOT_COLUMNS] + [n for n, _l in columns.INDEX_COLUMNS]
    names += HALL_NAMES
    content = exports.report_csv(report, list(dict.fromkeys(names)))
    return _attachment(content, f"thi-diem-{stem}.csv", "text/csv; charset=utf-8")


@login_required
def ward_fields_xlsx(request, slug: str):
    """Biểu 06 of one ward with a row per field, the form's own layout."""
    _reader(request)
    ward = selectors.report_ward(user=request.user, slug=slug)
    form = _period_form(request)
    if form.errors:
        raise Http404
    rows = selectors.field_report(user=request.user, period=form.period, ward_slug=slug)
    _log_export(request, ward=ward)
    now = clock.now()
    content = exports.bieu06_workbook(
        rows,
        unit=f"UBND {ward}",
        period=form.period,
        by_field=True,
        as_of=None if form.period.is_over(now) else form.period.as_of(now),
    )
    period = form.period
    name = f"bieu-06-{slug}-linh-vuc-{period.first_day:%Y%m%d}-{period.last_day:%Y%m%d}.xlsx"
    return _attachment(content, name, exports.XLSX)


# --- the logbook (Mẫu 06) ---------------------------------------------------------------------


@login_required
def logbook(request, slug: str):
    """Sổ theo dõi hồ sơ, a page of rows at a time (keyset on the receipt time)."""
    _reader(request)
    ward = selectors.report_ward(user=request.user, slug=slug)
    form = _period_form(request)
    entries = selectors.logbook_entries(user=request.user, ward=ward, period=form.period)
    _log_export(request, ward=ward)
    page = page_number(request.GET.get("page"))
    offset = (page - 1) * LOGBOOK_PAGE
    rows = list(entries[offset : offset + LOGBOOK_PAGE + 1])
    has_next = len(rows) > LOGBOOK_PAGE
    lines = [exports.logbook_line(offset + i, d) for i, d in enumerate(rows[:LOGBOOK_PAGE], 1)]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/logbook.html",
        {
            "ward": ward,
            "form": form,
            "period": form.period,
            "lines": lines,
            "page": page,
            "has_next": has_next,
            "query": query.urlencode(),
            "export_query": urlencode(form.query()),
            "headings": [label for label, _w in exports.LOGBOOK_COLUMNS],
            "form_line": exports.logbook_form_line(form.period),
            "edition": exports.logbook_edition(form.period),
            "printed_at": timezone.localtime(),
        },
    )


@login_required
def logbook_xlsx(request, slug: str):
    _reader(request)
    ward = selectors.report_ward(user=request.user, slug=slug)
    form = _period_form(request)
    if form.errors:
        raise Http404
    entries = selectors.logbook_entries(user=request.user, ward=ward, period=form.period)
    if entries.count() > settings.EXPORT_SYNC_MAX_ROWS:
        # A long book is made in the background, so no gateway cuts the request off.
        messages.info(
            request,
            _(
                "Sổ của kỳ này dài hơn %(count)s hồ sơ: tệp Excel được lập ở chế độ nền. "
                "Bấm “Lập tệp Excel ở chế độ nền”."
            )
            % {"count": number_format(settings.EXPORT_SYNC_MAX_ROWS, force_grouping=True)},
        )
        return redirect(f"{reverse('reports:logbook', args=[slug])}?{request.GET.urlencode()}")
    _log_export(request, ward=ward)
    content = exports.logbook_workbook(
        entries.iterator(chunk_size=2000), ward=ward, period=form.period
    )
    period = form.period
    name = f"so-theo-doi-{slug}-{period.first_day:%Y%m%d}-{period.last_day:%Y%m%d}.xlsx"
    return _attachment(content, name, exports.XLSX)


@login_required
@require_POST
def logbook_export(request, slug: str):
    """Ask for the logbook's Excel file in the background; its page follows the progress."""
    _reader(request)
    ward = selectors.report_ward(user=request.user, slug=slug)
    form = _period_form(request)
    if form.errors:
        raise Http404
    _log_export(request, ward=ward)
    record = services.logbook_export_request(
        user=request.user, ward=ward, period=form.period, language=get_language() or "vi"
    )
    return redirect("task", pk=record.pk)
