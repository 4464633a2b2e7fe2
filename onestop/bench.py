"""Server-side timing of the key pages, side by side with the Django admin changelist.

Each page is requested in-process through Django's test client (the full middleware stack,
the view, the templates and the database; no network), `repeat` times after one warm-up. For
each page: the median and 95th percentile of the server time, the number of SQL queries, and
the time of its slowest ("main") query alone.
"""

import datetime as dt
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from intake.generator import generated_pin
from intake.models import Dossier, DossierEvent
from onestop.models import Role, User
from wards.models import Ward


@dataclass
class Page:
    name: str
    username: str | None
    path: Callable[["Context"], str]
    method: str = "get"
    data: Callable[["Context", int], dict] | None = None
    content_type: str | None = None
    baseline: bool = False  # the Django admin, for comparison


@dataclass
class Result:
    name: str
    p50_ms: float
    p95_ms: float
    queries: int
    sql_ms: float
    status: int
    baseline: bool = False
    note: str = ""


@dataclass
class Context:
    ward: Ward
    dossier: Dossier
    year: int
    seed: int
    extra: dict = field(default_factory=dict)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def intake_payload(ctx: Context, i: int) -> dict:
    return {
        "procedure": ctx.dossier.procedure_code,
        "channel": 1,
        "applicant_name": f"Nguyễn Văn Đo Tải {i}",
        "applicant_id_number": "074090001234",
        "applicant_phone": "0912345678",
        "applicant_address": "1 Yersin, Phú Cường",
    }


def status_payload(ctx: Context, i: int) -> dict:
    return {"code": ctx.dossier.code, "pin": generated_pin(ctx.seed, ctx.dossier.code)}


def _url(name: str, **kwargs) -> Callable[[Context], str]:
    def build(ctx: Context) -> str:
        return reverse(name, kwargs={k: v(ctx) for k, v in kwargs.items()})

    return build


def _with(query: str, base: Callable[[Context], str]) -> Callable[[Context], str]:
    return lambda ctx: base(ctx) + "?" + query.format(ctx=ctx)


def pages(postal: str, chief: str, officer: str, city_admin: str, admin: str) -> list[Page]:
    code = lambda ctx: ctx.dossier.code  # noqa: E731
    year = "from={ctx.year}-01-01&to={ctx.year}-12-31"
    dossiers = _url("intake:dossier-list")
    api_dossiers = _url("dossier-list")
    changelist = "/quan-tri/intake/dossier/"
    return [
        Page("today (postal worker)", postal, _url("home")),
        Page("dossier list", officer, dossiers),
        Page(
            "dossier list: processing, overdue",
            officer,
            _with("status=processing&overdue=on", dossiers),
        ),
        Page("dossier list: name search", officer, _with("q=nguyen thi lan", dossiers)),
        Page("dossier list: page 50", officer, _with("page=50", dossiers)),
        Page("dossier detail", officer, _url("intake:dossier-detail", code=code)),
        Page("receipt", officer, _url("intake:receipt", code=code)),
        Page("chief dashboard", chief, _url("home")),
        Page("roster week", chief, _url("postal:roster")),
        Page(
            "city reports page, one year",
            city_admin,
            _with("period=year&year={ctx.year}", _url("wards:reports")),
        ),
        Page("API Biểu 06, city, one year", city_admin, _with(year, _url("api-report-bieu06"))),
        Page("API pilot report, one year", city_admin, _with(year, _url("api-report-pilot"))),
        Page("public status page", None, _url("intake:public-lookup"), "post", status_payload),
        Page("API dossier list", officer, api_dossiers),
        Page("API intake", officer, api_dossiers, "post", intake_payload, "application/json"),
        Page("admin changelist", admin, lambda ctx: changelist, baseline=True),
        Page(
            "admin changelist: ward + status",
            admin,
            lambda ctx: f"{changelist}?ward__id__exact={ctx.ward.pk}&status__exact=processing",
            baseline=True,
        ),
        Page(
            "admin changelist: name search",
            admin,
            lambda ctx: f"{changelist}?q=nguyen+thi+lan",
            baseline=True,
        ),
    ]  # fmt: skip


class Bench:
    def __init__(self, *, repeat: int = 30, seed: int = 1):
        self.repeat = repeat
        self.seed = seed
        self.clients: dict[str | None, Client] = {}

    def _context(self) -> Context:
        ward = (
            Ward.objects.filter(pilot_phase__gt=0, active=True).order_by("admin_code").first()
            or Ward.objects.order_by("admin_code").first()
        )
        if ward is None:
            raise ValueError("No wards: run seed_demo and generate_dossiers first.")
        dossier = Dossier.objects.filter(ward=ward).order_by("-received_at").first()
        if dossier is None:
            raise ValueError(f"{ward} has no dossiers: run generate_dossiers first.")
        latest = Dossier.objects.order_by("-received_at").values_list("received_at", flat=True)[0]
        return Context(ward=ward, dossier=dossier, year=latest.year - 1, seed=self.seed)

    def _user(self, ward: Ward, role: str) -> str:
        user = User.objects.filter(ward=ward, role=role, is_active=True).order_by("pk").first()
        if user is None:
            raise ValueError(f"{ward} has no {role}: run seed_demo first.")
        return user.username

    def _client(self, username: str | None) -> Client:
        if username not in self.clients:
            client = Client()
            if username:
                client.force_login(User.objects.get(username=username))
            self.clients[username] = client
        return self.clients[username]

    def _admin(self) -> str:
        admin, _ = User.objects.get_or_create(
            username="bench.superuser",
            defaults={"is_superuser": True, "is_staff": True, "role": ""},
        )
        return admin.username

    def run(self, progress: Callable[[str], None] = lambda name: None) -> list[Result]:
        ctx = self._context()
        city_admin = (
            User.objects.filter(role=Role.CITY_ADMIN, city=ctx.ward.city).order_by("pk").first()
        )
        specs = pages(
            postal=self._user(ctx.ward, Role.POSTAL_WORKER),
            chief=self._user(ctx.ward, Role.CHIEF),
            officer=self._user(ctx.ward, Role.OFFICER),
            city_admin=city_admin.username if city_admin else None,
            admin=self._admin(),
        )
        results = []
        for spec in specs:
            progress(spec.name)
            results.append(self._measure(spec, ctx))
        return results

    def _request(self, spec: Page, ctx: Context, i: int):
        client = self._client(spec.username)
        url = spec.path(ctx)
        # A client address per request: the public page's rate limit is per address.
        extra = {"REMOTE_ADDR": f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"}
        if spec.method == "get":
            return client.get(url, secure=True, **extra)
        data = spec.data(ctx, i) if spec.data else {}
        if spec.content_type:
            return client.post(url, data, content_type=spec.content_type, secure=True, **extra)
        return client.post(url, data, secure=True, **extra)

    def _measure(self, spec: Page, ctx: Context) -> Result:
        try:
            spec.path(ctx)
        except NoReverseMatch:
            return Result(spec.name, 0, 0, 0, 0, 0, spec.baseline, "page not available")
        self._request(spec, ctx, 0)  # warm-up: templates, caches, connection
        timings, sql_times, queries, status = [], [], 0, 0
        for i in range(1, self.repeat + 1):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = self._request(spec, ctx, i)
                timings.append(time.perf_counter() - started)
            status = response.status_code
            queries = len(captured.captured_queries)
            slowest = max((float(q["time"]) for q in captured.captured_queries), default=0.0)
            sql_times.append(slowest)
        return Result(
            name=spec.name,
            p50_ms=_ms(statistics.median(timings)),
            p95_ms=_ms(_p95(timings)),
            queries=queries,
            sql_ms=_ms(statistics.median(sql_times)),
            status=status,
            baseline=spec.baseline,
        )


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


def as_json(results: list[Result], repeat: int) -> dict:
    return {
        "machine": machine(),
        "data": data_size(),
        "repeat": repeat,
        "pages": [asdict(r) for r in results if not r.baseline],
        "admin_baseline": [asdict(r) for r in results if r.baseline],
    }
