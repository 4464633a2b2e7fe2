"""The key pages the bench measures: how to reach each one as which user, how to tell the right
answer from an error page, what each posts, and the budget it is judged by."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from django import forms
from django.http import HttpResponse
from django.urls import Resolver404, resolve, reverse

from demo.bench.hall import HallBench
from demo.bench.verdicts import (
    BACK_OFFICE,
    BACK_OFFICE_LIST,
    BIEU06,
    INTAKE,
    PILOT_REPORT,
    PUBLIC,
    Budget,
)
from intake.forms.receive import ReceiveForm, component_formset
from intake.forms.steps import PAGE_SIZE
from intake.models import Channel, Dossier, Procedure, Status
from onestop.models import Role, User
from onestop.text import fold
from wards.models import Ward

# The applicant of every dossier the bench receives, so it never samples its own dossiers.
BENCH_APPLICANT = "Nguyễn Văn Đo Tải"
ADMIN_PAGE_SIZE = 100  # the Django admin changelist's list_per_page


class Unavailable(Exception):
    """The page cannot be measured on this data (no such user, no such dossier)."""


@dataclass
class Context:
    """The data the pages are measured on, chosen before any page is requested."""

    ward: Ward
    dossier: Dossier  # the newest of the ward's dossiers the bench did not receive itself
    newest: Dossier  # the first row of the ward's unfiltered list
    overdue: Dossier | None  # the first row of the list filtered by processing and overdue
    deep_page: int
    deep: Dossier | None  # the first row of the deep page
    lookup: tuple[str, str] | None  # a generated dossier's code and lookup PIN
    procedure: Procedure  # what the bench receives
    intake_form: dict[str, str]  # the counter's intake form as a browser posts it
    counter_number: int | None  # the counter the form chose, for the API's intake
    year: int
    seed: int
    users: dict[str, str] = field(default_factory=dict)  # role -> username
    hall: HallBench | None = None  # the counter that calls and the display (demo.bench.hall)


@dataclass
class Page:
    name: str
    role: str | None  # a Role, "admin" (the Django admin's superuser), or None (a citizen)
    path: Callable[[Context], str]
    check: Callable[[Context, HttpResponse], str]  # what is wrong with the answer, "" if right
    budget: Budget | None = None  # None: an admin baseline, measured for comparison only
    versus: str = ""  # the admin baseline this page is compared with
    method: str = "get"
    data: Callable[[Context, int], dict] | None = None
    content_type: str | None = None
    # The code of the dossier the answer says it received; the bench then checks it exists.
    created: Callable[[HttpResponse], str] | None = None
    # Request headers (the API's device key, htmx's marker), as the test client takes them.
    headers: Callable[[Context], dict[str, str]] | None = None
    # A device link opened once before measuring: its cookie makes the client that device.
    device_link: Callable[[Context], str] | None = None

    @property
    def baseline(self) -> bool:
        return self.budget is None


def _url(name: str, **kwargs) -> Callable[[Context], str]:
    def build(ctx: Context) -> str:
        return reverse(name, kwargs={k: v(ctx) for k, v in kwargs.items()})

    return build


def _query(base: Callable[[Context], str], query: Callable[[Context], dict]):
    return lambda ctx: base(ctx) + "?" + urlencode(query(ctx))


def _status_problem(response: HttpResponse, expected: int) -> str:
    problem = f"HTTP {response.status_code}, cần {expected}"
    exc_info = getattr(response, "exc_info", None)
    if exc_info:
        # The exception's first line: enough to name the fault, one line in the table.
        first_line = (str(exc_info[1]).strip().splitlines() or [""])[0][:160]
        problem += f" ({exc_info[0].__name__}: {first_line})"
    return problem


def _html(*markers: Callable[[Context], str]) -> Callable[[Context, HttpResponse], str]:
    """A 200 page containing every marker."""

    def check(ctx: Context, response: HttpResponse) -> str:
        if response.status_code != 200:
            return _status_problem(response, 200)
        body = response.content.decode(errors="replace")
        for marker in markers:
            text = marker(ctx)
            if text not in body:
                return f"thiếu «{text}»"
        return ""

    return check


def _text(text: str) -> Callable[[Context], str]:
    return lambda ctx: text


def _row(pick: Callable[[Context], Dossier | None]) -> Callable[[Context], str]:
    """The link of a dossier the list must show; the table itself when nothing should match."""

    def marker(ctx: Context) -> str:
        dossier = pick(ctx)
        if dossier is None:
            return 'data-testid="dossier-table"'
        return f'<a href="{reverse("intake:dossier-detail", kwargs={"code": dossier.code})}">'

    return marker


def _admin_row(pick: Callable[[Context], Dossier]) -> Callable[[Context], str]:
    def marker(ctx: Context) -> str:
        return f'href="{reverse("admin:intake_dossier_change", args=[pick(ctx).pk])}'

    return marker


def _json(check_body: Callable[[Context, dict], str], expected: int = 200):
    def check(ctx: Context, response: HttpResponse) -> str:
        if response.status_code != expected:
            return _status_problem(response, expected)
        try:
            body = response.json()
        except ValueError:
            return "không phải JSON"
        return check_body(ctx, body) if isinstance(body, dict) else "JSON không phải đối tượng"

    return check


def _first_code(ctx: Context, body: dict) -> str:
    results = body.get("results") or []
    code = results[0].get("code") if results else None
    return "" if code == ctx.newest.code else f"dòng đầu {code!r}, cần {ctx.newest.code}"


def _report_rows(ctx: Context, body: dict) -> str:
    return "" if body.get("rows") and "totals" in body else "báo cáo không có dòng nào"


def _received(ctx: Context, body: dict) -> str:
    return "" if body.get("code") and body.get("lookup_pin") else "không có mã hồ sơ và mã tra cứu"


def _redirect_to_receipt(ctx: Context, response: HttpResponse) -> str:
    if response.status_code != 302:
        return _status_problem(response, 302)
    try:
        match = resolve(urlsplit(response["Location"]).path)
    except Resolver404:
        match = None
    if match is None or match.view_name != "intake:receipt":
        return f"chuyển đến {response['Location']}, không phải giấy tiếp nhận"
    return ""


def _receipt_code(response: HttpResponse) -> str:
    return resolve(urlsplit(response["Location"]).path).kwargs["code"]


def _lookup(ctx: Context) -> tuple[str, str]:
    if ctx.lookup is None:
        # The stored digest is keyed with LOOKUP_KEY: the generating run's key must be this one.
        raise Unavailable(
            "không có hồ sơ do generate_dossiers sinh với --seed và LOOKUP_KEY của lần chạy này"
        )
    return ctx.lookup


def status_payload(ctx: Context, i: int) -> dict:
    code, pin = _lookup(ctx)
    return {"code": code, "pin": pin}


def intake_payload(ctx: Context, i: int) -> dict:
    payload = {
        "procedure": ctx.procedure.code,
        "channel": int(Channel.DIRECT),
        "applicant_name": f"{BENCH_APPLICANT} {i}",
        "applicant_id_number": "074090001234",
        "applicant_phone": "0912345678",
        "applicant_address": "1 Yersin, Phú Cường",
        "counter": ctx.counter_number,
    }
    return {key: value for key, value in payload.items() if value is not None}


def intake_form_payload(ctx: Context, i: int) -> dict:
    return {
        **ctx.intake_form,
        "applicant_name": f"{BENCH_APPLICANT} {i}",
        # A new form each time: the same request_id would be taken for a repeat of the save.
        "request_id": str(uuid.uuid4()),
    }


def browser_post(form: forms.BaseForm) -> dict[str, str]:
    """What a browser submits for an unbound form as rendered: every field's initial value."""
    data = {}
    for bound in form:
        value = bound.value()
        widget = bound.field.widget
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
            continue
        shown = widget.format_value(value)
        if isinstance(shown, list):  # choice widgets: the selected options
            shown = shown[0] if shown else ""
        data[bound.html_name] = "" if shown is None else str(shown)
    return data


def intake_form_data(*, user: User, procedure: Procedure) -> dict[str, str]:
    """The counter's intake form for `procedure`, its checklist as offered, ready to save."""
    data = {"q": "", "_action": "save"}
    data.update(browser_post(ReceiveForm(user=user)))
    formset = component_formset(procedure)
    data.update(browser_post(formset.management_form))
    for line in formset.forms:
        data.update(browser_post(line))
    if not any(line.initial.get("included") for line in formset.forms):
        # No catalogue checklist: the counter names the paper on the first free line.
        data[f"{formset.forms[0].prefix}-name"] = "Đơn đề nghị"
    data.update(
        procedure=procedure.code,
        applicant_id_number="074090001234",
        applicant_phone="0912345678",
        applicant_address="1 Yersin, Phú Cường",
    )
    return data


def _hall(ctx: Context) -> HallBench:
    if ctx.hall is None:
        raise Unavailable("phường chưa có quầy gọi số")
    return ctx.hall


def call_next_payload(ctx: Context, i: int) -> dict:
    return {"counter": _hall(ctx).counter.pk}


def api_call_next_payload(ctx: Context, i: int) -> dict:
    return {"counter": _hall(ctx).counter.number}


def _called(ctx: Context, body: dict) -> str:
    ticket = body.get("ticket")
    return "" if ticket and ticket.get("number") else "không gọi được số nào (hết số đang chờ?)"


def _display_state(ctx: Context, body: dict) -> str:
    return "" if "counters" in body and "groups" in body else "không có trạng thái màn hình"


def _hall_pages() -> list[Page]:
    htmx = lambda ctx: {"HTTP_HX_REQUEST": "true"}  # noqa: E731
    device = lambda ctx: {"HTTP_AUTHORIZATION": f"Device {_hall(ctx).display_key}"}  # noqa: E731
    display_link = lambda ctx: reverse(  # noqa: E731
        "hall:device-link", args=[_hall(ctx).display_link]
    )
    year = lambda ctx: {  # noqa: E731
        "ward": ctx.ward.slug, "day_from": f"01/01/{ctx.year}", "day_to": f"31/12/{ctx.year}",
        "status": "done",
    }  # fmt: skip
    return [
        Page("hall: display state", None, _url("hall:display-state"),
             _html(_text('data-testid="display-state"')), BACK_OFFICE, device_link=display_link),
        Page("API hall display", None, _url("hall-display"), _json(_display_state),
             BACK_OFFICE, headers=device),
        Page("hall: chief's panel", Role.CHIEF, _url("hall:board"),
             _html(_text('data-testid="board-waits"')), BACK_OFFICE),
        Page("hall: tickets of a year", Role.CITY_ADMIN, _query(_url("hall:ticket-list"), year),
             _html(_text('data-testid="ticket-list"')), BACK_OFFICE),
        # Each request finishes the counter's ticket and calls the next of those
        # demo.bench.hall left waiting.
        Page("hall: call next", Role.POSTAL_WORKER, _url("hall:desk-next"),
             _html(_text('data-testid="desk-number"')), INTAKE, method="post",
             data=call_next_payload, headers=htmx),
        Page("API hall call next", Role.POSTAL_WORKER, _url("hall-call-next"), _json(_called),
             INTAKE, method="post", data=api_call_next_payload, content_type="application/json"),
    ]  # fmt: skip


def pages() -> list[Page]:
    code = lambda ctx: ctx.dossier.code  # noqa: E731
    year = lambda ctx: {"from": f"{ctx.year}-01-01", "to": f"{ctx.year}-12-31"}  # noqa: E731
    ward = lambda ctx: {"ward__id__exact": ctx.ward.pk}  # noqa: E731
    dossiers = _url("intake:dossier-list")
    api_dossiers = _url("dossier-list")
    changelist = _url("admin:intake_dossier_changelist")
    result_list = _text('id="result_list"')
    sample, newest = (lambda ctx: ctx.dossier), (lambda ctx: ctx.newest)
    return [
        Page("today (postal worker)", Role.POSTAL_WORKER, _url("home"),
             _html(_text('data-testid="today-shifts"')), BACK_OFFICE),
        Page("dossier list", Role.OFFICER, dossiers, _html(_row(newest)),
             BACK_OFFICE_LIST, versus="admin changelist: ward"),
        Page("dossier list: processing, overdue", Role.OFFICER,
             _query(dossiers, lambda ctx: {"status": Status.PROCESSING, "overdue": "on"}),
             _html(_row(lambda ctx: ctx.overdue)),
             BACK_OFFICE_LIST, versus="admin changelist: ward + status"),
        Page("dossier list: name search", Role.OFFICER,
             _query(dossiers, lambda ctx: {"q": fold(ctx.dossier.applicant_name)}),
             _html(_row(sample)), BACK_OFFICE_LIST, versus="admin changelist: ward + name search"),
        Page("dossier list: code search", Role.OFFICER,
             _query(dossiers, lambda ctx: {"q": ctx.dossier.code}),
             _html(_row(sample)), BACK_OFFICE_LIST, versus="admin changelist: ward + code search"),
        # The admin cannot search citizen IDs (nor should it): no baseline for this one.
        Page("dossier list: citizen ID search", Role.OFFICER,
             _query(dossiers, lambda ctx: {"q": ctx.dossier.applicant_id_number}),
             _html(_row(sample)), BACK_OFFICE),
        Page("dossier list: deep page", Role.OFFICER,
             _query(dossiers, lambda ctx: {"page": ctx.deep_page}),
             _html(_row(lambda ctx: ctx.deep)),
             BACK_OFFICE_LIST, versus="admin changelist: ward, deep page"),
        Page("dossier detail", Role.OFFICER, _url("intake:dossier-detail", code=code),
             _html(lambda ctx: f'data-testid="dossier-code">{ctx.dossier.code}<'), BACK_OFFICE),
        Page("receipt", Role.OFFICER, _url("intake:receipt", code=code),
             _html(lambda ctx: f'data-testid="receipt-code">{ctx.dossier.code}<'), BACK_OFFICE),
        Page("chief dashboard", Role.CHIEF, _url("home"),
             _html(_text('data-testid="overdue-count"')), BACK_OFFICE),
        Page("roster week", Role.CHIEF, _url("postal:roster"),
             _html(_text('data-testid="week-grid"')), BACK_OFFICE),
        Page("city reports page, one year", Role.CITY_ADMIN,
             _query(_url("reports:reports"), lambda ctx: {"period": "year", "year": ctx.year}),
             _html(_text('data-testid="bieu06-table"'), _text('data-testid="pilot-table"')),
             PILOT_REPORT),
        Page("API Biểu 06, city, one year", Role.CITY_ADMIN,
             _query(_url("api-report-bieu06"), year), _json(_report_rows), BIEU06),
        Page("API pilot report, one year", Role.CITY_ADMIN,
             _query(_url("api-report-pilot"), year), _json(_report_rows), PILOT_REPORT),
        Page("public status page", None, _url("intake:public-lookup"),
             _html(_text('data-testid="public-status"'), lambda ctx: _lookup(ctx)[0]),
             PUBLIC, method="post", data=status_payload),
        Page("API dossier list", Role.OFFICER, api_dossiers, _json(_first_code),
             BACK_OFFICE_LIST, versus="admin changelist: ward"),
        Page("admin changelist", "admin", changelist, _html(result_list)),
        Page("admin changelist: ward", "admin", _query(changelist, ward), _html(result_list)),
        Page("admin changelist: ward + status", "admin",
             _query(changelist, lambda ctx: {**ward(ctx), "status__exact": Status.PROCESSING}),
             _html(result_list)),
        # The admin searches names as typed, with their diacritics.
        Page("admin changelist: ward + name search", "admin",
             _query(changelist, lambda ctx: {**ward(ctx), "q": ctx.dossier.applicant_name}),
             _html(_admin_row(sample))),
        Page("admin changelist: ward + code search", "admin",
             _query(changelist, lambda ctx: {**ward(ctx), "q": ctx.dossier.code}),
             _html(_admin_row(sample))),
        Page("admin changelist: ward, deep page", "admin",
             _query(changelist, lambda ctx: {
                 **ward(ctx), "p": (ctx.deep_page - 1) * PAGE_SIZE // ADMIN_PAGE_SIZE + 1}),
             _html(result_list)),
        *_hall_pages(),
        # Last: they add dossiers, which would head the lists above.
        Page("intake form", Role.OFFICER, _url("intake:receive"), _redirect_to_receipt, INTAKE,
             method="post", data=intake_form_payload, created=_receipt_code),
        Page("API intake", Role.OFFICER, api_dossiers, _json(_received, expected=201), INTAKE,
             method="post", data=intake_payload, content_type="application/json",
             created=lambda response: response.json()["code"]),
    ]  # fmt: skip
