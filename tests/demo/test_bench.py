"""`manage.py bench`: budgets and verdicts, the answer checks, the JSON report and --compare."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from demo.bench.measure import Bench
from demo.bench.pages import BENCH_APPLICANT, Page, _html, _text, pages
from demo.bench.report import compare
from demo.bench.verdicts import (
    BACK_OFFICE,
    BACK_OFFICE_LIST,
    INTAKE,
    PUBLIC,
    Budget,
    Check,
    judge,
    verdict,
    verdict_text,
)
from demo.generate.dossiers import DossierGenerator
from hall.models import Ticket
from intake.models import Dossier
from onestop.models import Role
from tests.intake.factories import ProcedureFactory

# --- the rules, as pure functions -----------------------------------------------------------

FIGURES = {"p50_ms": 10.0, "p95_ms": 40.0, "queries": 8, "sql_total_ms": 6.0, "admin_p50_ms": 150.0}
ALL_MET = {"p95": True, "queries": True, "admin": True, "sql": True}


@pytest.mark.parametrize(
    ("budget", "changed", "expected"),
    [
        # A list inside every rule: p95 40 ≤ 50, 8 ≤ 10 queries, 10 ≤ 150/10, 10 ≤ 2 × 6.
        (BACK_OFFICE_LIST, {}, ALL_MET),
        # Exactly on each limit still meets it.
        (
            BACK_OFFICE_LIST,
            {"p95_ms": 50.0, "queries": 10, "admin_p50_ms": 100.0, "sql_total_ms": 5.0},
            ALL_MET,
        ),
        # Just past each limit breaks it, and only it.
        (BACK_OFFICE_LIST, {"p95_ms": 50.01}, {**ALL_MET, "p95": False}),
        (BACK_OFFICE_LIST, {"queries": 11}, {**ALL_MET, "queries": False}),
        (BACK_OFFICE_LIST, {"admin_p50_ms": 99.9}, {**ALL_MET, "admin": False}),
        (BACK_OFFICE_LIST, {"sql_total_ms": 4.99}, {**ALL_MET, "sql": False}),
        # The admin baseline was not measured: that rule cannot be said either way.
        (BACK_OFFICE_LIST, {"admin_p50_ms": None}, {**ALL_MET, "admin": None}),
        # A page with no admin counterpart is never compared with the admin.
        (BACK_OFFICE, {"admin_p50_ms": 1.0}, {"p95": True, "queries": True, "sql": True}),
        # Intake: 100 ms at p95 and the query count; no SQL ratio, no admin.
        (INTAKE, {"p95_ms": 99.0, "sql_total_ms": 0.1}, {"p95": True, "queries": True}),
        (INTAKE, {"p95_ms": 101.0, "queries": 14}, {"p95": False, "queries": False}),
        # The citizens' page: only the query count.
        (PUBLIC, {"p95_ms": 900.0, "queries": 3}, {"queries": True}),
        (Budget(p95_ms=150, max_queries=None), {"p95_ms": 149.0}, {"p95": True}),
    ],
)
def test_judge_checks_each_rule_of_the_budget(budget, changed, expected):
    checks = judge(budget=budget, **{**FIGURES, **changed})
    assert {c.rule: c.met for c in checks} == expected


def test_judge_states_limits_and_measured_values():
    checks = judge(budget=BACK_OFFICE_LIST, **{**FIGURES, "admin_p50_ms": 123.4})
    assert {c.rule: (c.limit, c.actual) for c in checks} == {
        "p95": (50, 40.0),
        "queries": (10, 8),
        "admin": (12.34, 10.0),  # a tenth of the admin's median
        "sql": (12.0, 10.0),  # twice the page's own SQL
    }


@pytest.mark.parametrize(
    ("mets", "expected"),
    [
        ([True, True], "met"),
        ([], "met"),
        ([True, False], "not met"),
        ([None, False], "not met"),  # a broken rule decides, whatever could not be checked
        ([True, None], "unchecked"),
    ],
)
def test_verdict_of_the_checks(mets, expected):
    assert verdict([Check("p95", 50, 1.0, met) for met in mets]) == expected


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"verdict": "met"}, "đạt"),
        ({"verdict": "baseline"}, "mốc so sánh"),
        ({"verdict": "error", "problem": "HTTP 500, cần 200"}, "LỖI: HTTP 500, cần 200"),
        ({"verdict": "unavailable", "problem": "trang chưa có"}, "không đo: trang chưa có"),
        (
            {
                "verdict": "not met",
                "budget": {"admin_share": 0.1, "sql_factor": 2},
                "checks": [
                    {"rule": "p95", "limit": 50, "actual": 62.5, "met": False},
                    {"rule": "queries", "limit": 10, "actual": 14, "met": False},
                    {"rule": "admin", "limit": 8.1, "actual": 9.0, "met": False},
                    {"rule": "sql", "limit": 20.0, "actual": 9.0, "met": True},
                ],
            },
            "KHÔNG ĐẠT: p95 62.5 > 50 ms; 14 truy vấn SQL > 10; "
            "trung vị 9 > 8.1 ms (0.1 × trung vị trang admin)",
        ),
        (
            {
                "verdict": "not met",
                "budget": {"sql_factor": 2},
                "checks": [{"rule": "sql", "limit": 4.0, "actual": 9.5, "met": False}],
            },
            "KHÔNG ĐẠT: trung vị 9.5 > 4 ms (2 × thời gian SQL)",
        ),
        (
            {
                "verdict": "unchecked",
                "versus": "admin changelist: ward",
                "checks": [{"rule": "admin", "limit": None, "actual": 9.0, "met": None}],
            },
            "chưa so được với admin changelist: ward; các quy tắc khác đạt",
        ),
    ],
)
def test_verdict_in_words(row, expected):
    assert verdict_text(row) == expected


def test_every_page_has_a_budget_or_is_an_admin_baseline_it_is_compared_with():
    listed = pages()
    names = [page.name for page in listed]
    assert len(names) == len(set(names))
    baselines = {page.name for page in listed if page.baseline}
    assert all(name.startswith("admin changelist") for name in baselines)
    for page in listed:
        assert page.versus in baselines | {""}, page.name
        if not page.baseline:
            assert page.budget.admin_share == (0.1 if page.versus else None), page.name
    # Every ward list has its admin baseline, except the citizen ID search the admin cannot do.
    lists = [page for page in listed if page.name.startswith("dossier list")]
    assert [page.name for page in lists if not page.versus] == ["dossier list: citizen ID search"]
    assert {"intake form", "API intake", "dossier list: code search"} <= set(names)
    # The hall: calling the next citizen (page and API) and the display's state (page and API).
    assert {
        "hall: call next",
        "API hall call next",
        "hall: display state",
        "API hall display",
    } <= set(names)


# --- two runs compared ----------------------------------------------------------------------


def report(*rows, baseline=()) -> dict:
    return {
        "machine": {"at": "2026-11-27T10:00:00+00:00"},
        "data": {"dossiers": 1_000_000},
        "pages": list(rows),
        "admin_baseline": list(baseline),
    }


def row(name, p50, p95, queries, verdict="met", **more) -> dict:
    return {
        "name": name,
        "p50_ms": p50,
        "p95_ms": p95,
        "queries": queries,
        "verdict": verdict,
        **more,
    }


OLD = report(
    row("dossier list", 20.0, 40.0, 6, "met"),
    row("receipt", 10.0, 12.0, 8),
    {"name": "old page", "p50_ms": 5.0, "p95_ms": 6.0, "queries": 3},  # written before verdicts
    baseline=[row("admin changelist", 300.0, 400.0, 5, baseline=True)],
)
NEW = report(
    row("dossier list", 30.0, 80.0, 12, "not met"),
    row("receipt", 9.0, 12.0, 8),
    row("intake form", 40.0, 60.0, 9),
    baseline=[row("admin changelist", 150.0, 200.0, 5, baseline=True)],
)


def test_compare_pairs_pages_by_name_with_their_changes():
    changes = {c.name: c for c in compare(OLD, NEW)}
    assert list(changes) == [
        "dossier list",
        "receipt",
        "intake form",
        "admin changelist",
        "old page",
    ]
    listed = changes["dossier list"]
    assert (listed.p50_change, listed.p95_change) == (50.0, 100.0)
    assert (listed.old_queries, listed.new_queries) == (6, 12)
    assert (listed.old_verdict, listed.new_verdict) == ("met", "not met")
    assert changes["receipt"].p50_change == -10.0
    assert changes["admin changelist"].p50_change == -50.0
    assert changes["admin changelist"].new_verdict == "baseline"
    added, dropped = changes["intake form"], changes["old page"]
    assert (added.old_p50_ms, added.p50_change, added.old_verdict) == (None, None, "")
    assert (dropped.new_p50_ms, dropped.new_verdict, dropped.old_verdict) == (None, "", "")


def test_compare_ignores_pages_that_were_not_timed():
    old = report(row("receipt", 0.0, 0.0, 0, "error"))
    new = report(row("receipt", None, None, None, "error"))
    (change,) = compare(old, new)
    assert (change.p50_change, change.p95_change) == (None, None)


def write(path, data) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_command_compares_two_files_without_measuring(tmp_path):
    out = StringIO()
    call_command(
        "bench",
        compare=[write(tmp_path / "a.json", OLD), write(tmp_path / "b.json", NEW)],
        stdout=out,
    )
    text = out.getvalue()
    assert "So với" in text and "1,000,000 hồ sơ" in text
    lines = {line.split("  ")[0].strip(): line for line in text.splitlines()}
    assert "20.0 → 30.0 (+50%)" in lines["dossier list"]
    assert "40.0 → 80.0 (+100%)" in lines["dossier list"]
    assert "6 → 12" in lines["dossier list"]
    assert "đạt → không đạt" in lines["dossier list"]
    assert "— → 40.0" in lines["intake form"]
    assert "5.0 → —" in lines["old page"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (["a.json", "b.json", "c.json"], "một tệp"),
        (["missing.json", "b.json"], "Không đọc được"),
        (["list.json", "b.json"], "không phải kết quả"),
    ],
)
def test_command_refuses_what_it_cannot_compare(tmp_path, files, message):
    write(tmp_path / "b.json", NEW)
    write(tmp_path / "list.json", [1, 2])
    with pytest.raises(CommandError, match=message):
        call_command("bench", compare=[str(tmp_path / name) for name in files], stdout=StringIO())


# --- a run on a small data set --------------------------------------------------------------


@pytest.fixture
def small(world):
    components = [{"name": "Tờ khai", "originals": 1, "copies": 0}]
    for code in ["2.000815", "1.001193", "1.004873"]:
        ProcedureFactory(code=code, processing_days=3, components=components)
    DossierGenerator(count=300, years=0.3, seed=1, chunk=300).run()
    return world


@pytest.mark.django_db
def test_bench_on_a_small_data_set_writes_valid_json_with_verdicts(small, tmp_path):
    path = tmp_path / "bench.json"
    before = Dossier.objects.count()
    out = StringIO()
    call_command("bench", repeat=2, json_path=str(path), stdout=out, stderr=StringIO())
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["repeat"] == 2 and data["data"]["dossiers"] == Dossier.objects.count()
    rows = {r["name"]: r for r in data["pages"]}
    baselines = {r["name"]: r for r in data["admin_baseline"]}
    assert set(rows) | set(baselines) == {page.name for page in pages()}
    # Every page answered the right page: nothing is an error or left unmeasured.
    wrong = {name: r["problem"] for name, r in {**rows, **baselines}.items() if not r["ok"]}
    assert wrong == {}
    for r in rows.values():
        assert r["verdict"] in {"met", "not met", "unchecked"}, r
        assert r["p50_ms"] > 0 and r["p95_ms"] >= r["p50_ms"] and r["queries"] > 0
        assert r["sql_total_ms"] >= r["sql_ms"]
        assert r["budget"]["max_queries"] == 10
        assert {c["rule"] for c in r["checks"]} >= {"queries"}
    assert all(r["verdict"] == "baseline" for r in baselines.values())
    listed = rows["dossier list: name search"]
    assert listed["versus"] == "admin changelist: ward + name search"
    assert listed["admin_p50_ms"] == baselines["admin changelist: ward + name search"]["p50_ms"]
    assert {c["rule"] for c in listed["checks"]} == {"p95", "queries", "admin", "sql"}
    assert rows["intake form"]["budget"]["p95_ms"] == 100
    assert rows["API Biểu 06, city, one year"]["budget"]["p95_ms"] == 100
    assert rows["API pilot report, one year"]["budget"]["p95_ms"] == 150
    assert sum(data["summary"].values()) == len(rows)
    # Both intakes received a dossier per request, warm-up included.
    received = Dossier.objects.filter(applicant_name__startswith=BENCH_APPLICANT)
    assert Dossier.objects.count() - before == received.count() == 2 * 3
    # Both at the counter the form offers the officer.
    assert set(received.values_list("counter", flat=True)) == {small.officer_counter.pk}
    # Each call-next request (warm-up included) called a ticket at the postal counter, and
    # finished the one before it.
    called = Ticket.objects.filter(ward=small.ward, counter=small.postal_counter)
    assert called.count() == 2 * 3
    assert called.filter(status="done").count() == 2 * 3 - 1
    assert rows["hall: call next"]["budget"]["p95_ms"] == 100
    text = out.getvalue()
    assert "đánh giá" in text and "Ngân sách:" in text and f"JSON: {path}" in text


@pytest.mark.django_db
def test_a_second_run_compares_with_the_first(small, tmp_path):
    first = tmp_path / "first.json"
    call_command("bench", repeat=1, json_path=str(first), stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command("bench", repeat=1, compare=[str(first)], stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert f"So với {first}" in text
    # The second run does not sample the dossiers the first one received.
    assert "LỖI" not in text


@pytest.mark.django_db
def test_explain_writes_the_plan_of_each_pages_main_query(small, tmp_path):
    from django.db import connection

    path = tmp_path / "plans.txt"
    out = StringIO()
    call_command("bench", repeat=1, explain=str(path), stdout=out, stderr=StringIO())
    assert f"EXPLAIN: {path}" in out.getvalue()
    text = path.read_text(encoding="utf-8")
    if connection.vendor != "postgresql":
        assert text == ""  # plans are PostgreSQL's
        return
    assert "== dossier list\nSELECT" in text
    assert "Execution Time" in text and "intake_dossier" in text


@pytest.mark.django_db
def test_a_wrong_answer_is_an_error_not_a_timing(small):
    bench = Bench(repeat=2)
    ctx = bench.context()
    missing = Page(
        "missing dossier",
        Role.OFFICER,
        lambda ctx: "/ho-so/000.00.00.X00-000000-0000/",
        _html(_text("data-testid")),
        BACK_OFFICE,
    )
    result = bench.measure(missing, ctx)
    assert (result.ok, result.status, result.p50_ms) == (False, 404, None)
    assert result.problem == "HTTP 404, cần 200"
    unmarked = Page(
        "home", Role.OFFICER, lambda ctx: "/", _html(_text("no such marker")), BACK_OFFICE
    )
    result = bench.measure(unmarked, ctx)
    assert (result.ok, result.status, result.problem) == (False, 200, "thiếu «no such marker»")


@pytest.mark.django_db
def test_the_intake_form_saves_dossiers_with_its_real_fields(small):
    bench = Bench(repeat=2)
    ctx = bench.context()
    assert {
        "procedure",
        "applicant_name",
        "counter",
        "request_id",
        "components-TOTAL_FORMS",
    } <= set(ctx.intake_form)
    (form_intake,) = [page for page in pages() if page.name == "intake form"]
    result = bench.measure(form_intake, ctx)
    assert result.ok, result.problem
    assert result.status == 302
    received = Dossier.objects.filter(applicant_name__startswith=BENCH_APPLICANT)
    assert received.count() == 3
    assert set(received.values_list("procedure_code", flat=True)) == {ctx.procedure.code}
    # A form that no longer validates is flagged: the page answers 200 with its errors.
    ctx.intake_form = {**ctx.intake_form, "applicant_id_number": "12"}
    result = bench.measure(form_intake, ctx)
    assert (result.ok, result.status) == (False, 200)
    assert "cần 302" in result.problem
