"""The load and soak tooling: the plan of accounts, the reports, and the locust journey.

The journey tests drive a live server from separate processes (importing locust patches the
standard library for gevent, which must not happen inside the test run); without locust
installed (`pip install -r requirements-perf.txt`) they are skipped.
"""

import csv
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from demo.load import report
from demo.load.plan import build_plan
from intake.models import Dossier
from tests.intake.factories import ProcedureFactory
from tests.onestop.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
needs_locust = pytest.mark.skipif(
    importlib.util.find_spec("locust") is None,
    reason="locust is not installed (requirements-perf.txt, installed by make load / make soak)",
)


def accounts(plan: dict) -> dict[str, dict]:
    return {account["username"]: account for account in plan["staff"]}


# --- the plan --------------------------------------------------------------------------------


def test_plan_lists_counter_staff_with_their_counter_and_receivable_procedures(world):
    active = ProcedureFactory()
    ProcedureFactory(active=False)
    ProcedureFactory(unverified=True)  # no processing time yet: intake refuses it

    plan = build_plan(password="secret")

    staff = accounts(plan)
    assert plan["password"] == "secret"
    assert world.city_admin.username not in staff
    officer = staff[world.officer.username]
    assert officer["procedures"] == [active.code]
    assert officer["counter"] == world.officer_counter.number
    assert officer["ward"] == world.ward.slug
    assert staff[world.postal_worker.username]["counter"] == world.postal_counter.number
    assert staff[world.other_officer.username]["counter"] is None  # its ward has no officer desk


@pytest.mark.intake_rules
def test_plan_gives_postal_workers_only_what_the_intake_rules_allow(world):
    procedure = ProcedureFactory()

    staff = accounts(build_plan(password="secret"))

    assert staff[world.chief.username]["procedures"] == [procedure.code]
    # Not authorised by the chief: intake would refuse, so the load never tries it.
    assert staff[world.postal_worker.username]["procedures"] == []


# --- the reports -----------------------------------------------------------------------------

STATS_COLUMNS = [
    "Type", "Name", "Request Count", "Failure Count", "Median Response Time",
    "Average Response Time", "Min Response Time", "Max Response Time", "Average Content Size",
    "Requests/s", "Failures/s", "50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%",
    "99.99%", "100%",
]  # fmt: skip


def write_stats(path: Path, rows: list[tuple[str, str, int, int, float, int, int, int]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(STATS_COLUMNS)
        for method, name, count, failures, rps, p50, p95, p99 in rows:
            writer.writerow(
                [method, name, count, failures, p50, p50, 1, p99 + 5, 100, rps, 0,
                 p50, p50, p50, p50, p95, p95, p99, p99, p99, p99, p99 + 5]
            )  # fmt: skip


def test_load_report_gives_rates_percentiles_and_fails_on_any_error(tmp_path, capsys):
    stats = tmp_path / "locust_stats.csv"
    write_stats(
        stats,
        [
            ("POST", "API intake", 1200, 0, 20.0, 30, 80, 120),
            ("GET", "today", 600, 0, 10.0, 12, 40, 60),
            ("", "Aggregated", 1800, 0, 30.0, 20, 70, 110),
        ],
    )
    out = tmp_path / "summary.json"

    assert report.main(["load", str(stats), "--json", str(out)]) == 0

    printed = capsys.readouterr().out
    assert "1800 requests, 30.0 requests/s, 1200 intakes (20.0 intakes/s), 0 errors" in printed
    facts = json.loads(out.read_text())
    assert facts["intakes_per_s"] == 20.0
    assert {e["name"]: e["p95"] for e in facts["endpoints"]}["today"] == 40

    write_stats(
        stats, [("GET", "today", 10, 1, 1.0, 5, 9, 9), ("", "Aggregated", 10, 1, 1.0, 5, 9, 9)]
    )
    assert report.main(["load", str(stats)]) == 1


def test_steady_rates_count_only_after_every_user_signed_in(tmp_path):
    history = tmp_path / "history.csv"
    columns = ["Timestamp", "User Count", "Type", "Name", "Total Request Count"]
    rows = [
        # t, users, name, running total
        (100, 2, "Aggregated", 10), (100, 2, "login: submit", 1), (100, 2, "API intake", 0),
        (101, 4, "Aggregated", 30), (101, 4, "login: submit", 3), (101, 4, "API intake", 5),
        (102, 4, "Aggregated", 60), (102, 4, "login: submit", 4), (102, 4, "API intake", 15),
        (112, 4, "Aggregated", 460), (112, 4, "login: submit", 4), (112, 4, "API intake", 215),
    ]  # fmt: skip
    with open(history, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        for t, users, name, total in rows:
            writer.writerow(
                {"Timestamp": t, "User Count": users, "Type": "", "Name": name,
                 "Total Request Count": total}
            )  # fmt: skip

    steady = report.steady_rates(str(history))

    assert steady == {"users": 4, "seconds": 10, "requests_per_s": 40.0, "intakes_per_s": 20.0}


def test_memory_report_shows_first_last_and_largest_per_worker(tmp_path, capsys):
    samples = tmp_path / "rss.csv"
    samples.write_text(
        "elapsed_s,pid,rss_kb\n0,11,102400\n0,12,81920\n30,11,112640\n30,12,81920\n"
        "60,11,107520\n60,12,92160\n"
    )

    assert report.main(["memory", str(samples)]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["11", "3", "100.0", "105.0", "110.0"]
    assert lines[2].split() == ["12", "3", "80.0", "90.0", "90.0"]


# --- the journey against a live server ---------------------------------------------------------


@pytest.fixture
def load_plan(world, tmp_path, settings) -> Path:
    # As in make load: every lookup comes from 127.0.0.1, far beyond a citizen's rate.
    settings.LOOKUP_RATE_LIMIT = 1_000_000
    ProcedureFactory(code="1.001193")
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(build_plan(password=PASSWORD)), encoding="utf-8")
    return path


def run(args: list[str], plan: Path, timeout: int = 90) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "ONESTOP_LOAD_PLAN": str(plan),
        "ONESTOP_LOAD_WAIT": "0.05,0.2",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(  # noqa: S603 (our own interpreter and files)
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip


@needs_locust
def test_journey_takes_every_step_once_without_error(live_server, load_plan, world):
    result = run(["-m", "demo.load.journey", live_server.url], load_plan)

    assert result.returncode == 0, result.stdout + result.stderr
    passed = [line for line in result.stdout.splitlines() if line.startswith("ok ")]
    for step in ["login: submit", "today", "dossier list", "dossier detail", "API intake",
                 "API step: return", "status page: lookup"]:  # fmt: skip
        assert any(f" {step} " in line for line in passed), step
    returned = Dossier.objects.filter(ward=world.ward, status="returned")
    assert returned.count() == 1


@needs_locust
def test_locustfile_runs_headless_for_a_few_seconds_without_error(live_server, load_plan, tmp_path):
    # One user of each kind at once; on SQLite one officer alone, since the live server's shared
    # in-memory database answers concurrent writers with "table is locked".
    kinds = ["Officer"] if connection.vendor == "sqlite" else ["Officer", "PostalWorker", "Citizen"]
    users = [{"user_class_name": kind, "fixed_count": 1} for kind in kinds]
    prefix = tmp_path / "locust"
    result = run(
        ["-m", "locust", "-f", "demo/load/locustfile.py", *kinds, "--headless", "--only-summary",
         "--users", str(len(kinds)), "--spawn-rate", str(len(kinds)), "--run-time", "4s",
         "--stop-timeout", "3", "--host", live_server.url, "--csv", str(prefix),
         "--loglevel", "WARNING", "--config-users", json.dumps(users)],
        load_plan,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    rows = {r.name: r for r in report.read_stats(f"{prefix}_stats.csv")}
    assert rows["Aggregated"].failures == 0
    signed_in = len(kinds) - ("Citizen" in kinds)
    assert rows["login: submit"].requests == signed_in
    if "Citizen" in kinds:
        assert rows["status page: form"].requests >= 1
    # Which tasks ran is chance; the journey test above takes each one for certain.
    assert rows["Aggregated"].requests > 2 * signed_in
