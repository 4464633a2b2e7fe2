"""Biểu 06 and the pilot figures against a hand-computed month, links, scope and query counts."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from intake import figures
from intake.lifecycle import Action
from intake.models import Dossier
from intake.selectors import DossierFilters, dossier_list
from reports import selectors as reports
from reports.periods import month_period, range_period
from tests.intake.factories import DossierFactory
from tests.onestop.factories import UserFactory
from tests.reports.scenario import EXPECTED_MARCH_ROW, at, build_march
from tests.wards.factories import WardFactory
from wards.models import Ward

pytestmark = pytest.mark.django_db

MARCH = month_period(2026, 3)


@pytest.fixture
def march(world, settings):
    settings.INTAKE_RULES = []
    return build_march(world)


def row_for(report, ward):
    return next(row for row in report.rows if row.ward == ward and row.kind == "ward")


def test_the_scenario_lands_where_the_comments_say(march):
    d = march.dossiers
    # The appointments the hand count relies on.
    assert d["A"].appointment_at == at(2, 3)
    assert d["F"].appointment_at == at(5, 3, 7)
    assert d["G"].appointment_at == at(5, 3, 7)
    # The term restarts on each completion: 3 working days from Tue 17/03 14:00.
    assert d["K"].appointment_at == at(20, 3, 14)
    assert d["N"].appointment_at == at(1, 4)
    assert [d[n].timeliness for n in "AFGHIJKN"] == [
        "on_time", "on_time", "early", "late", "on_time", "early", "late", "early",
    ]  # fmt: skip
    assert d["K"].supplement_count == 2


def test_bieu06_row_matches_the_hand_count(march, world):
    report = reports.ward_report(user=world.city_admin, period=MARCH)
    row = row_for(report, world.ward)
    assert {key: row.values[key] for key in EXPECTED_MARCH_ROW} == EXPECTED_MARCH_ROW
    assert row.figures.reconciles()


def test_the_neighbour_and_the_total(march, world):
    report = reports.ward_report(user=world.city_admin, period=MARCH)
    neighbour = row_for(report, world.other_ward)
    assert neighbour.values["received"] == 1
    assert neighbour.values["pending"] == 1
    assert report.total.values["received"] == EXPECTED_MARCH_ROW["received"] + 1
    assert report.total.figures.reconciles()


def test_pilot_figures_of_the_scenario(march, world):
    row = row_for(reports.ward_report(user=world.city_admin, period=MARCH), world.ward)
    v = row.values
    assert v["received_postal_worker"] == 2  # H I
    assert v["received_officer"] == 10
    assert v["postal_worker_share"] == pytest.approx(16.7)
    assert v["on_time_share_postal_worker"] == 50.0  # H late, I on time
    assert v["on_time_share_officer"] == pytest.approx(round(100 * 5 / 6, 1))  # A F G J N of +K
    assert v["returned_postal_worker"] == 1
    assert v["returned_counter"] == 1
    assert v["returned_post"] == 0
    assert v["satisfaction_share"] == 100.0
    assert v["refused"] == 1
    assert v["withdrawn"] == 2
    # Working days receipt → result: A 3, F 3, G 2, H 4, I 3, J 2, K 2 less 9 h paused, N 2.
    assert v["mean_processing_days"] == pytest.approx(round((21 - 9 / 8) / 8, 1))
    assert v["on_time_share"] == pytest.approx(75.0)  # 6 of 8
    assert v["online_share"] == pytest.approx(8.3)


def test_the_next_month_carries_over_what_march_left_pending(march, world):
    april = month_period(2026, 4)
    row = row_for(reports.ward_report(user=world.city_admin, period=april), world.ward)
    assert row.values["carried_over"] == EXPECTED_MARCH_ROW["pending"]
    assert row.values["received"] == 1  # S
    assert row.values["resolved"] == 2  # L O
    assert row.values["refused"] == 1  # Q
    assert row.figures.reconciles()


def test_cutoff_period_moves_the_boundaries(march, world):
    # 15/02–14/03: B and C now fall inside, and so do A's and D's endings.
    period = month_period(2026, 3, cutoff=True)
    assert (period.first_day, period.last_day) == (dt.date(2026, 2, 15), dt.date(2026, 3, 14))
    row = row_for(reports.ward_report(user=world.city_admin, period=period), world.ward)
    assert row.values["carried_over"] == 0
    assert row.values["refused"] == 2  # C P
    assert row.figures.reconciles()


def _filters_from(url: str) -> DossierFilters:
    """What the dossier list reads from a report link's query string."""
    query = {k: v if len(v) > 1 else v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    fields = DossierFilters.__dataclass_fields__
    values = {}
    for name, raw in query.items():
        kind = str(fields[name].type)
        if "date" in kind:
            values[name] = dt.datetime.strptime(raw, "%d/%m/%Y").date()
        elif "bool" in kind:
            values[name] = raw == "1"
        elif "tuple" in kind:
            values[name] = tuple(int(x) for x in raw)
        elif "int" in kind:
            values[name] = int(raw)
        else:
            values[name] = raw
    return DossierFilters(**values)


def test_every_figure_links_to_exactly_the_dossiers_it_counts(march, world):
    report = reports.ward_report(user=world.city_admin, period=MARCH)
    rows = [row_for(report, world.ward), report.total, *(g for g, _ in report.groups)]
    checked = 0
    for row in rows:
        for name, url in row.links.items():
            assert url.startswith(reverse("intake:dossier-list") + "?")
            listed = dossier_list(user=world.city_admin, filters=_filters_from(url))
            value = row.values[name]
            if isinstance(value, int):
                assert listed.count() == value, (row.label, name, url)
                checked += 1
    assert checked > 30
    names = set(row_for(report, world.ward).links)
    assert {"carried_over", "pending_overdue", "refused", "withdrawn", "resolved_late"} <= names


def test_links_name_the_period_and_the_ward(march, world):
    row = row_for(reports.ward_report(user=world.city_admin, period=MARCH), world.ward)
    query = parse_qs(urlsplit(row.links["pending_overdue"]).query)
    assert query == {"ward": ["phuhoa"], "open_on": ["31/03/2026"], "open_overdue": ["1"]}
    carried = parse_qs(urlsplit(row.links["carried_over"]).query)
    assert carried["open_on"] == ["28/02/2026"]


def test_the_chief_sees_only_their_ward(march, world):
    report = reports.ward_report(user=world.chief, period=MARCH)
    assert [row.ward for row in report.ward_rows] == [world.ward]
    assert report.total.values == row_for(report, world.ward).values
    with pytest.raises(Ward.DoesNotExist):
        reports.ward_report(user=world.chief, period=MARCH, ward_slug=world.other_ward.slug)


@pytest.mark.parametrize("role", ["postal_worker", "officer", "other_city_admin"])
def test_others_read_no_report_of_the_ward(world, role):
    user = getattr(world, role)
    assert world.ward not in reports.report_wards(user=user)


def test_groups_subtotal_by_pilot_phase(world):
    second = WardFactory(city=world.city, pilot_phase=Ward.PilotPhase.SECOND)
    rest = WardFactory(city=world.city, not_pilot=True)
    for ward in (world.ward, second, rest):
        DossierFactory(ward=ward, received_at=at(5, 3), returned=True)
    report = reports.ward_report(user=world.city_admin, period=MARCH)
    labels = [(group.label, [r.ward for r in members]) for group, members in report.groups]
    assert labels == [
        ("Thí điểm giai đoạn 1", [world.ward, world.other_ward]),
        ("Thí điểm giai đoạn 2", [second]),
        ("Chưa thí điểm", [rest]),
    ]
    assert [group.values["received"] for group, _ in report.groups] == [1, 1, 1]
    assert report.total.values["received"] == 3
    assert report.rows[-1] is report.total


def test_field_report_rows_follow_the_catalogue_fields(march, world):
    other = DossierFactory(ward=world.ward, received_at=at(4, 3))
    other.procedure.field = "Chứng thực"
    other.procedure.save()
    rows = reports.field_report(user=world.chief, period=MARCH, ward_slug=world.ward.slug)
    assert [row.label for row in rows] == ["Chứng thực", "Hộ tịch", "Tổng cộng"]
    assert {k: rows[1].values[k] for k in EXPECTED_MARCH_ROW} == EXPECTED_MARCH_ROW
    assert rows[0].values["received"] == 1
    assert rows[-1].values["received"] == EXPECTED_MARCH_ROW["received"] + 1
    for row in rows:
        for name, url in row.links.items():
            value = row.values[name]
            if isinstance(value, int):
                listed = dossier_list(user=world.chief, filters=_filters_from(url))
                assert listed.count() == value, (row.label, name)


def test_monthly_trend(march, world):
    series = reports.monthly_trend(user=world.chief, period=MARCH)["all"]
    assert len(series) == 12
    assert series[-1].month == dt.date(2026, 3, 1)
    assert series[-1].received == 12
    assert series[-1].received_postal_worker == 2
    assert series[-1].resolved == 8
    assert series[-1].on_time_share == 75.0
    assert series[-2].received == 6  # A B C D E, and F at 23:59 on 28/02
    rest = WardFactory(city=world.city, not_pilot=True)
    DossierFactory(ward=rest, received_at=at(9, 3))
    split = reports.monthly_trend(user=world.city_admin, period=MARCH, by_phase=True)
    assert list(split) == [Ward.PilotPhase.FIRST, Ward.PilotPhase.NONE]
    assert split[Ward.PilotPhase.FIRST][-1].received == 13
    assert split[Ward.PilotPhase.NONE][-1].received == 1


def test_logbook_lists_the_wards_dossiers_of_the_period(march, world):
    entries = list(reports.logbook_entries(user=world.chief, ward=world.ward, period=MARCH))
    assert [e.code for e in entries] == [march.dossiers[n].code for n in "GHIJPKRMNOLQ"]
    k = next(e for e in entries if e.code == march.dossiers["K"].code)
    assert k.transferred_at == at(16, 3, 9, 30)


def _grow(world, wards: int, per_ward: int):
    for _ in range(wards):
        ward = WardFactory(city=world.city)
        officer = UserFactory(officer=True, ward=ward)
        for i in range(per_ward):
            DossierFactory(
                ward=ward,
                received_by=officer,
                received_at=at(2 + i % 20, 3),
                returned=i % 3 == 0,
                refused=i % 3 == 1,
            )


def test_query_count_does_not_grow_with_wards_and_dossiers(world, django_assert_num_queries):
    _grow(world, 1, 3)
    # Wards, the daily figures (the period's, the stocks before it), shifts, guidance,
    # data-entry batches and records, the hall's waits.
    with django_assert_num_queries(8) as small:
        report = reports.ward_report(user=world.city_admin, period=MARCH)
    _grow(world, 6, 25)
    with django_assert_num_queries(len(small.captured_queries)):
        report = reports.ward_report(user=world.city_admin, period=MARCH)
    assert len(report.ward_rows) == 9
    with django_assert_num_queries(2):  # the phases present, the daily figures by month
        reports.monthly_trend(user=world.city_admin, period=MARCH, by_phase=True)


def test_reconciliation_holds_on_random_history(world, settings):
    """Many dossiers walked through the services at random times; every period reconciles."""
    import random

    from tests.reports.scenario import Scenario

    settings.INTAKE_RULES = []
    rng = random.Random(6)
    s = Scenario(world)
    from tests.intake.factories import ProcedureFactory

    s.procedure = ProcedureFactory(processing_days=2)
    moment = at(2, 2)
    for n in range(60):
        moment += dt.timedelta(hours=rng.randint(1, 30))
        name = f"x{n}"
        s.receive(name, moment, channel=rng.choice([1, 2, 3]))
        fate = rng.random()
        later = moment + dt.timedelta(hours=rng.randint(1, 200))
        if fate < 0.15:
            s.step(name, later, Action.REFUSE)
        elif fate < 0.25:
            s.step(name, later, Action.WITHDRAW)
        elif fate < 0.85:
            s.resolve(name, later)
    for period in (
        month_period(2026, 2),
        month_period(2026, 3),
        month_period(2026, 4),
        range_period(dt.date(2026, 2, 10), dt.date(2026, 3, 20)),
        month_period(2026, 3, cutoff=True),
    ):
        report = reports.ward_report(user=world.city_admin, period=period)
        for row in report.rows:
            assert row.figures.reconciles(), (period, row.label, row.values)
        assert report.total.values["total"] <= Dossier.objects.count()


def test_postal_back_office_figures(world):
    from django.utils import timezone

    from postal.models import (
        Assignment,
        DataEntryBatch,
        DataEntryRecord,
        GuidanceSession,
        TaskType,
    )

    now = timezone.now()
    pw, chief = world.postal_worker, world.chief

    def assign(day, shift, task, **extra):
        extra.setdefault("counter", world.postal_counter)
        return Assignment.objects.create(
            ward=world.ward, worker=pw, date=dt.date(2026, 3, day), shift=shift,
            task_type=task, assigned_by=chief, created_at=now, updated_at=now, **extra,
        )  # fmt: skip

    assign(2, "morning", TaskType.INTAKE)
    assign(2, "afternoon", TaskType.INTAKE)
    assign(3, "morning", TaskType.GUIDANCE)
    assign(1, "morning", TaskType.DATA_ENTRY, counter=None)
    assign(4, "morning", TaskType.INTAKE, cancelled_at=now, cancelled_by=chief, cancel_note="x")
    Assignment.objects.create(
        ward=world.ward, worker=pw, date=dt.date(2026, 4, 1), shift="morning",
        task_type=TaskType.INTAKE, counter=world.postal_counter, assigned_by=chief,
        created_at=now, updated_at=now,
    )  # fmt: skip
    for day in (2, 3, 31):
        GuidanceSession.objects.create(
            ward=world.ward, worker=pw, at=at(day, 3, 10), topic="Khai sinh", outcome="guided"
        )
    GuidanceSession.objects.create(
        ward=world.ward, worker=pw, at=at(1, 4, 0), topic="Khai tử", outcome="guided"
    )
    batch = DataEntryBatch.objects.create(
        ward=world.ward, title="Lô 1", paper_count=4, assigned_to=pw,
        created_at=at(2, 3), created_by=chief,
    )  # fmt: skip
    for n in range(3):
        dossier = DossierFactory(ward=world.ward, received_at=at(1, 2))
        DataEntryRecord.objects.create(
            batch=batch, dossier=dossier, ward=world.ward, original_receipt_number=f"GT-{n}",
            original_received_at=at(1, 2), entered_by=pw,
            entered_at=[at(3, 3), at(18, 3), at(2, 4)][n],
        )  # fmt: skip
    v = row_for(reports.ward_report(user=world.chief, period=MARCH), world.ward).values
    assert v["shifts_intake"] == 2
    assert v["shifts_guidance"] == 1
    assert v["shifts_data_entry"] == 1
    assert v["shifts_result_return"] == 0
    assert v["guidance_sessions"] == 3
    assert (v["data_entry_total"], v["data_entry_done"]) == (4, 2)  # the third on 02/04
    assert v["data_entry_progress"] == 50.0


def test_digitised_share_counts_current_scans_only(world):
    from intake.models import DossierEvent, DossierFile

    dossiers = [DossierFactory(ward=world.ward, received_at=at(5, 3)) for _ in range(4)]

    def scan(dossier, superseded=False):
        event = DossierEvent.objects.create(
            dossier=dossier, at=at(5, 3, 10), action="attach", to_status=dossier.status
        )
        DossierFile.objects.create(
            dossier=dossier, component="Tờ khai", original_name="a.pdf",
            content_type="application/pdf", size=10, sha256="0" * 64,
            storage_name=f"scan-{event.pk}", uploaded_at=at(5, 3, 10),
            uploaded_by=world.officer, upload_event=event,
            superseded_at=at(5, 3, 11) if superseded else None,
            superseded_by=world.officer if superseded else None,
        )  # fmt: skip

    scan(dossiers[0])
    scan(dossiers[0])
    scan(dossiers[1], superseded=True)
    figures.rebuild()  # the scans were written directly, not through the file services
    row = row_for(reports.ward_report(user=world.chief, period=MARCH), world.ward)
    assert row.values["digitised_share"] == 25.0
    url = row.links["digitised_share"]
    assert list(dossier_list(user=world.chief, filters=_filters_from(url))) == [dossiers[0]]


def test_the_trend_reuses_the_reports_wards(world, django_assert_num_queries):
    _grow(world, 2, 5)
    report = reports.ward_report(user=world.city_admin, period=MARCH)
    with django_assert_num_queries(1):  # the daily figures by month; the wards are the report's
        lent = reports.monthly_trend(
            user=world.city_admin, period=MARCH, by_phase=True, report=report
        )
    assert lent == reports.monthly_trend(user=world.city_admin, period=MARCH, by_phase=True)
