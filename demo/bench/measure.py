"""Server-side timing of the key pages, side by side with the Django admin changelist.

Each page is requested in-process through Django's test client (the full middleware stack,
the view, the templates and the database; no network), `repeat` times after one warm-up. For
each page: the median and 95th percentile of the server time, the number of SQL queries, the
time of its slowest ("main") query and of all its queries together, and whether every answer
was the right page (status and a marker of its content): an error page is reported as an
error, never timed as a success. Each page then gets the verdict of its budget
(`demo.bench.verdicts`).
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch
from django.utils import timezone

from demo.bench.hall import hall_bench_prepare
from demo.bench.pages import BENCH_APPLICANT, Context, Page, Unavailable, intake_form_data, pages
from demo.bench.verdicts import BASELINE, ERROR, UNAVAILABLE, judge, verdict
from demo.generate.pins import generated_pin
from intake.forms.steps import PAGE_SIZE
from intake.models import Dossier, Procedure, Status
from intake.selectors import procedures_for_user
from intake.services import lookup_pin_digest
from onestop.models import Role, User
from wards.models import Counter, Ward

ADMIN_USERNAME = "bench.superuser"
# Generated dossiers looked at, newest first, for one whose lookup PIN the seed gives.
LOOKUP_SAMPLE = 2000


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


class Bench:
    def __init__(self, *, repeat: int = 30, seed: int = 1):
        self.repeat = repeat
        self.seed = seed
        self.clients: dict[tuple[str | None, str], Client] = {}
        self.devices: set[tuple[str | None, str]] = set()  # clients that opened a device link
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
            # Two pages call, each once per request and once to warm up.
            hall=hall_bench_prepare(
                ward=ward,
                chief=User.objects.get(username=users[Role.CHIEF]),
                calls=2 * (self.repeat + 1),
            ),
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

    def _client(self, username: str | None, page: Page, ctx: Context) -> Client:
        # Pages that post get a session of their own: the intake form leaves receipt PINs in it.
        key = (username, page.name if page.method == "post" else "")
        if key not in self.clients:
            # An error page is answered and reported, not raised through the bench.
            client = Client(raise_request_exception=False)
            if username:
                client.force_login(User.objects.get(username=username))
            self.clients[key] = client
        if page.device_link is not None and key not in self.devices:
            # The link sets the device's cookie on this client (hall.devices).
            self.clients[key].get(page.device_link(ctx), secure=True)
            self.devices.add(key)
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
        client = self._client(ctx.users.get(page.role) if page.role else None, page, ctx)
        url = page.path(ctx)
        # A client address per request: the public page's rate limit is per address.
        extra = {"REMOTE_ADDR": f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"}
        if page.headers is not None:
            extra.update(page.headers(ctx))
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
