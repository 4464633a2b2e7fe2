"""Server-side timing of the key pages, side by side with the Django admin changelist.

Each page is requested in-process through Django's test client (the full middleware stack,
the view, the templates and the database; no network), `repeat` times after one warm-up. For
each page: the median and 95th percentile of the server time, the number of SQL queries, the
time of its slowest ("main") query and of all its queries together, and whether every answer
was the right page (status and a marker of its content): an error page is reported as an
error, never timed as a success.

Each page then gets the verdict of the budgets of issue 7 (on a million dossiers):
- every back-office page and API list: p95 ≤ 50 ms, a median at most a tenth of the Django
  admin changelist's on the same data and filter (where the admin can filter the same way),
  and at most twice the time of its own SQL (all its queries);
- at most 10 SQL queries on every page;
- intake (form or API): p95 ≤ 100 ms; the city's Biểu 06 for a year ≤ 100 ms; the pilot
  report ≤ 150 ms (the city reports page shows both, so it has the pilot report's budget).
"""

import datetime as dt
import os
import platform
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode, urlsplit

from django import forms
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone

from demo.generate.pins import generated_pin
from intake.forms.receive import ReceiveForm, component_formset
from intake.forms.steps import PAGE_SIZE
from intake.models import Channel, Dossier, DossierEvent, Procedure, Status
from intake.selectors import procedures_for_user
from intake.services import lookup_pin_digest
from onestop.models import Role, User
from onestop.text import fold
from wards.models import Counter, Ward

# The applicant of every dossier the bench receives, so it never samples its own dossiers.
BENCH_APPLICANT = "Nguyễn Văn Đo Tải"
ADMIN_USERNAME = "bench.superuser"
ADMIN_PAGE_SIZE = 100  # the Django admin changelist's list_per_page
MAX_QUERIES = 10
# Generated dossiers looked at, newest first, for one whose lookup PIN the seed gives.
LOOKUP_SAMPLE = 2000


# --- budgets and verdicts (pure) -----------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    """What a page may cost; None: the rule does not apply to the page."""

    p95_ms: float | None = None
    max_queries: int | None = MAX_QUERIES
    admin_share: float | None = None  # median ≤ this share of its admin baseline's median
    sql_factor: float | None = None  # median ≤ this many times its own SQL's time


BACK_OFFICE = Budget(p95_ms=50, sql_factor=2)
BACK_OFFICE_LIST = Budget(p95_ms=50, admin_share=0.1, sql_factor=2)
INTAKE = Budget(p95_ms=100)
BIEU06 = Budget(p95_ms=100)
PILOT_REPORT = Budget(p95_ms=150)
PUBLIC = Budget()  # issue 7 sets only the query count for the citizens' page

# Verdicts, as the JSON writes them.
MET = "met"
NOT_MET = "not met"
UNCHECKED = "unchecked"  # no rule broken, but the admin baseline could not be measured
ERROR = "error"  # an answer was not the right page: nothing timed
UNAVAILABLE = "unavailable"  # not requested: no such page, user or dossier on this data
BASELINE = "baseline"  # an admin changelist, measured for comparison only


@dataclass(frozen=True)
class Check:
    """One rule of a budget: its limit, the measured value, and whether the value keeps it.

    `met` is None when the rule could not be checked (its admin baseline was not measured).
    """

    rule: str  # "p95", "queries", "admin", "sql"
    limit: float | None
    actual: float
    met: bool | None


def judge(
    *,
    budget: Budget,
    p50_ms: float,
    p95_ms: float,
    queries: int,
    sql_total_ms: float,
    admin_p50_ms: float | None,
) -> list[Check]:
    """The checks of `budget` against one page's figures (admin_p50_ms: its baseline's median)."""
    checks = []
    if budget.p95_ms is not None:
        checks.append(Check("p95", budget.p95_ms, p95_ms, p95_ms <= budget.p95_ms))
    if budget.max_queries is not None:
        checks.append(Check("queries", budget.max_queries, queries, queries <= budget.max_queries))
    if budget.admin_share is not None:
        if admin_p50_ms is None:
            checks.append(Check("admin", None, p50_ms, None))
        else:
            limit = round(admin_p50_ms * budget.admin_share, 2)
            checks.append(Check("admin", limit, p50_ms, p50_ms <= limit))
    if budget.sql_factor is not None:
        limit = round(sql_total_ms * budget.sql_factor, 2)
        checks.append(Check("sql", limit, p50_ms, p50_ms <= limit))
    return checks


def verdict(checks: list[Check]) -> str:
    """met, not met (some rule broken), or unchecked (none broken, some not checkable)."""
    if any(c.met is False for c in checks):
        return NOT_MET
    if any(c.met is None for c in checks):
        return UNCHECKED
    return MET


# --- pages ---------------------------------------------------------------------------------


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

    @property
    def baseline(self) -> bool:
        return self.budget is None


@dataclass
class Result:
    name: str
    p50_ms: float | None
    p95_ms: float | None
    queries: int | None
    sql_ms: float | None  # the slowest query's time (median over the requests)
    sql_total_ms: float | None  # all the page's queries together (median over the requests)
    status: int | None
    ok: bool  # every answer was the right page
    problem: str = ""
    baseline: bool = False
    versus: str = ""
    admin_p50_ms: float | None = None
    budget: dict | None = None
    checks: list[dict] = field(default_factory=list)
    verdict: str = ""


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


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
        # The stored digest is keyed with SECRET_KEY: the generating run's key must be this one.
        raise Unavailable(
            "không có hồ sơ do generate_dossiers sinh với --seed và SECRET_KEY của lần chạy này"
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
        # Last: they add dossiers, which would head the lists above.
        Page("intake form", Role.OFFICER, _url("intake:receive"), _redirect_to_receipt, INTAKE,
             method="post", data=intake_form_payload, created=_receipt_code),
        Page("API intake", Role.OFFICER, api_dossiers, _json(_received, expected=201), INTAKE,
             method="post", data=intake_payload, content_type="application/json",
             created=lambda response: response.json()["code"]),
    ]  # fmt: skip


# --- measuring -----------------------------------------------------------------------------


class Bench:
    def __init__(self, *, repeat: int = 30, seed: int = 1):
        self.repeat = repeat
        self.seed = seed
        self.clients: dict[tuple[str | None, str], Client] = {}
        # Per page, the SQL of its slowest SELECT in the last request: what `explain` plans.
        self.main_queries: dict[str, str] = {}

    def _ward(self) -> Ward:
        ward = (
            Ward.objects.filter(pilot_phase__gt=0, active=True).order_by("admin_code").first()
            or Ward.objects.order_by("admin_code").first()
        )
        if ward is None:
            raise ValueError("Chưa có phường: chạy seed_demo và generate_dossiers trước.")
        return ward

    def _lookup(self, ward: Ward) -> tuple[str, str] | None:
        recent = Dossier.objects.filter(ward=ward).order_by("-received_at", "-id")
        for code, digest in recent.values_list("code", "lookup_pin_hash")[:LOOKUP_SAMPLE]:
            pin = generated_pin(self.seed, code)
            if lookup_pin_digest(code, pin) == digest:
                return code, pin
        return None

    def context(self) -> Context:
        ward = self._ward()
        in_ward = Dossier.objects.filter(ward=ward).order_by("-received_at", "-id")
        newest = in_ward.first()
        dossier = in_ward.exclude(applicant_name__startswith=BENCH_APPLICANT).first()
        if newest is None or dossier is None:
            raise ValueError(f"{ward} chưa có hồ sơ: chạy generate_dossiers trước.")
        staff = (Role.POSTAL_WORKER, Role.OFFICER, Role.CHIEF)
        users = {role: self._username(ward, role) for role in staff}
        city_admin = (
            User.objects.filter(role=Role.CITY_ADMIN, city=ward.city, is_active=True)
            .order_by("pk")
            .first()
        )
        if city_admin:
            users[Role.CITY_ADMIN] = city_admin.username
        users["admin"] = self._admin()
        officer = User.objects.get(username=users[Role.OFFICER])
        procedure = self._procedure(officer, dossier.procedure_code)
        intake_form = intake_form_data(user=officer, procedure=procedure)
        counter = Counter.objects.filter(pk=intake_form["counter"] or None).first()
        # The deep page: page 50 (rows 2,451–2,500), or the ward's last full page on less data.
        deep_page = max(1, min(50, in_ward.count() // PAGE_SIZE))
        latest = Dossier.objects.order_by("-received_at").values_list("received_at", flat=True)[0]
        return Context(
            ward=ward,
            dossier=dossier,
            newest=newest,
            overdue=in_ward.filter(
                status=Status.PROCESSING, appointment_at__lt=timezone.now()
            ).first(),
            deep_page=deep_page,
            deep=next(iter(in_ward[(deep_page - 1) * PAGE_SIZE :][:1]), None),
            lookup=self._lookup(ward),
            procedure=procedure,
            intake_form=intake_form,
            counter_number=counter.number if counter else None,
            year=latest.year - 1,
            seed=self.seed,
            users=users,
        )

    def _procedure(self, user: User, code: str) -> Procedure:
        receivable = procedures_for_user(user=user).filter(processing_days__isnull=False)
        procedure = receivable.filter(code=code).first() or receivable.first()
        if procedure is None:
            raise ValueError("Không có thủ tục nào đã xác minh thời hạn giải quyết.")
        return procedure

    def _username(self, ward: Ward, role: str) -> str:
        user = User.objects.filter(ward=ward, role=role, is_active=True).order_by("pk").first()
        if user is None:
            raise ValueError(f"{ward} chưa có người dùng vai trò {role}: chạy seed_demo trước.")
        return user.username

    def _admin(self) -> str:
        admin, _ = User.objects.get_or_create(
            username=ADMIN_USERNAME,
            defaults={"is_superuser": True, "is_staff": True, "role": ""},
        )
        return admin.username

    def _client(self, username: str | None, page: Page) -> Client:
        # Pages that post get a session of their own: the intake form leaves receipt PINs in it.
        key = (username, page.name if page.method == "post" else "")
        if key not in self.clients:
            # An error page is answered and reported, not raised through the bench.
            client = Client(raise_request_exception=False)
            if username:
                client.force_login(User.objects.get(username=username))
            self.clients[key] = client
        return self.clients[key]

    def run(self, progress: Callable[[str], None] = lambda name: None) -> list[Result]:
        ctx = self.context()
        results: dict[str, Result] = {}
        for page in pages():
            progress(page.name)
            results[page.name] = self.measure(page, ctx)
        for page in pages():
            self._judge(results[page.name], page, results.get(page.versus))
        return list(results.values())

    def _judge(self, result: Result, page: Page, admin: Result | None) -> None:
        if page.baseline:
            result.verdict = BASELINE if result.ok else _failure(result)
            return
        result.budget = asdict(page.budget)
        if page.versus:
            result.versus = page.versus
            if admin is not None and admin.ok:
                result.admin_p50_ms = admin.p50_ms
        if not result.ok:
            result.verdict = _failure(result)
            return
        checks = judge(
            budget=page.budget,
            p50_ms=result.p50_ms,
            p95_ms=result.p95_ms,
            queries=result.queries,
            sql_total_ms=result.sql_total_ms,
            admin_p50_ms=result.admin_p50_ms,
        )
        result.checks = [asdict(c) for c in checks]
        result.verdict = verdict(checks)

    def _request(self, page: Page, ctx: Context, i: int):
        client = self._client(ctx.users.get(page.role) if page.role else None, page)
        url = page.path(ctx)
        # A client address per request: the public page's rate limit is per address.
        extra = {"REMOTE_ADDR": f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"}
        if page.method == "get":
            return client.get(url, secure=True, **extra)
        data = page.data(ctx, i) if page.data else {}
        if page.content_type:
            return client.post(url, data, content_type=page.content_type, secure=True, **extra)
        return client.post(url, data, secure=True, **extra)

    def measure(self, page: Page, ctx: Context) -> Result:
        def failed(problem: str, status: int | None = None) -> Result:
            return Result(
                page.name, None, None, None, None, None, status, False, problem, page.baseline
            )

        try:
            if page.role and page.role not in ctx.users:
                raise Unavailable(f"không có người dùng vai trò {page.role}")
            page.path(ctx)
            if page.data:
                page.data(ctx, 0)
        except NoReverseMatch:
            return failed("trang chưa có")
        except Unavailable as reason:
            return failed(str(reason))
        created = []
        response = self._request(page, ctx, 0)  # warm-up: templates, caches, connection
        if problem := page.check(ctx, response):
            return failed(problem, response.status_code)
        if page.created:
            created.append(page.created(response))
        timings, slowest, totals, queries = [], [], [], 0
        for i in range(1, self.repeat + 1):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = self._request(page, ctx, i)
                timings.append(time.perf_counter() - started)
            if problem := page.check(ctx, response):
                return failed(f"lần {i}: {problem}", response.status_code)
            if page.created:
                created.append(page.created(response))
            times = [float(q["time"]) for q in captured.captured_queries]
            queries = len(times)
            slowest.append(max(times, default=0.0))
            totals.append(sum(times))
            selects = [q for q in captured.captured_queries if _is_select(q["sql"])]
            if selects:
                main = max(selects, key=lambda q: float(q["time"]))
                self.main_queries[page.name] = main["sql"]
        if created and not self._all_received(ctx, created):
            problem = "hồ sơ báo đã tiếp nhận nhưng không có trong cơ sở dữ liệu, hoặc trùng mã"
            return failed(problem, response.status_code)
        return Result(
            name=page.name,
            p50_ms=_ms(statistics.median(timings)),
            p95_ms=_ms(_p95(timings)),
            queries=queries,
            sql_ms=_ms(statistics.median(slowest)),
            sql_total_ms=_ms(statistics.median(totals)),
            status=response.status_code,
            ok=True,
            baseline=page.baseline,
        )

    def _all_received(self, ctx: Context, codes: list[str]) -> bool:
        stored = Dossier.objects.filter(ward=ctx.ward, code__in=codes).count()
        return len(set(codes)) == len(codes) == stored


def _is_select(sql: str) -> bool:
    return sql.lstrip().upper().startswith("SELECT")


def explain(sql: str) -> str:
    """PostgreSQL's plan of one captured SELECT, run with ANALYZE and BUFFERS; "" elsewhere.

    The SQL is what the page sent, with its parameters already in it (as Django records it).
    """
    if connection.vendor != "postgresql" or not _is_select(sql):
        return ""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def _failure(result: Result) -> str:
    """An answer that was not the right page is an error; a page never requested, unavailable."""
    return UNAVAILABLE if result.status is None else ERROR


# --- report --------------------------------------------------------------------------------


def machine() -> dict:
    memory = ""
    try:
        with open("/proc/meminfo") as f:
            memory = f.readline().split(":")[1].strip()
    except OSError:
        pass
    with connection.cursor() as cursor:
        version = connection.vendor
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "database": version,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def data_size() -> dict:
    return {
        "dossiers": Dossier.objects.count(),
        "events": DossierEvent.objects.count(),
        "wards": Ward.objects.count(),
    }


def summary(results: list[Result]) -> dict:
    """How many pages met their budgets, missed them, or could not be judged."""
    counts = {MET: 0, NOT_MET: 0, UNCHECKED: 0, ERROR: 0, UNAVAILABLE: 0}
    for r in results:
        if not r.baseline:
            counts[r.verdict] += 1
    return {key.replace(" ", "_"): value for key, value in counts.items()}


def as_json(results: list[Result], repeat: int) -> dict:
    return {
        "machine": machine(),
        "data": data_size(),
        "repeat": repeat,
        "summary": summary(results),
        "pages": [asdict(r) for r in results if not r.baseline],
        "admin_baseline": [asdict(r) for r in results if r.baseline],
    }


# --- two runs compared (pure) --------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One page in two runs; None where a run did not measure it."""

    name: str
    old_p50_ms: float | None
    new_p50_ms: float | None
    old_p95_ms: float | None
    new_p95_ms: float | None
    old_queries: int | None
    new_queries: int | None
    old_verdict: str
    new_verdict: str

    @staticmethod
    def _percent(old: float | None, new: float | None) -> float | None:
        if old is None or new is None or old == 0:
            return None
        return round((new - old) / old * 100, 1)

    @property
    def p50_change(self) -> float | None:
        """The median's change in percent of the old one."""
        return self._percent(self.old_p50_ms, self.new_p50_ms)

    @property
    def p95_change(self) -> float | None:
        return self._percent(self.old_p95_ms, self.new_p95_ms)


def compare(old: dict, new: dict) -> list[Change]:
    """Every page of two bench JSON reports, in the new report's order, then pages it dropped."""

    def rows(report: dict) -> dict[str, dict]:
        listed = [*report.get("pages", []), *report.get("admin_baseline", [])]
        return {row["name"]: row for row in listed}

    before, after = rows(old), rows(new)
    names = list(after) + [name for name in before if name not in after]
    changes = []
    for name in names:
        a, b = before.get(name, {}), after.get(name, {})
        changes.append(
            Change(
                name=name,
                old_p50_ms=a.get("p50_ms"),
                new_p50_ms=b.get("p50_ms"),
                old_p95_ms=a.get("p95_ms"),
                new_p95_ms=b.get("p95_ms"),
                old_queries=a.get("queries"),
                new_queries=b.get("queries"),
                old_verdict=_verdict_of(a),
                new_verdict=_verdict_of(b),
            )
        )
    return changes


def _verdict_of(row: dict) -> str:
    if not row:
        return ""
    if row.get("baseline"):
        return BASELINE
    # Reports written before verdicts existed carry none.
    return row.get("verdict", "")


# --- words for the table (Vietnamese, as the command prints them) --------------------------


def broken_text(check: dict, budget: dict) -> str:
    """One broken rule in words, with the measured value and the limit it passed."""
    actual, limit = check["actual"], check["limit"]
    if check["rule"] == "p95":
        return f"p95 {actual:g} > {limit:g} ms"
    if check["rule"] == "queries":
        return f"{actual:g} truy vấn SQL > {limit:g}"
    if check["rule"] == "admin":
        share = budget["admin_share"]
        return f"trung vị {actual:g} > {limit:g} ms ({share:g} × trung vị trang admin)"
    return f"trung vị {actual:g} > {limit:g} ms ({budget['sql_factor']:g} × thời gian SQL)"


def verdict_text(row: dict) -> str:
    """A page's verdict in words: met, or which rules it broke and by how much."""
    state = row.get("verdict", "")
    if state == MET:
        return "đạt"
    if state == BASELINE:
        return "mốc so sánh"
    if state == ERROR:
        return f"LỖI: {row.get('problem', '')}"
    if state == UNAVAILABLE:
        return f"không đo: {row.get('problem', '')}"
    checks = row.get("checks", [])
    budget = row.get("budget") or {}
    broken = [broken_text(c, budget) for c in checks if c["met"] is False]
    if broken:
        return "KHÔNG ĐẠT: " + "; ".join(broken)
    if state == UNCHECKED:
        return f"chưa so được với {row.get('versus', 'trang admin')}; các quy tắc khác đạt"
    return state
