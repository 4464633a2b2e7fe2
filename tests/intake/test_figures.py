"""The daily report figures: kept by every change in the same transaction, always equal to
the figures recomputed from the dossiers, and the reports read from them agree with the
reports computed straight from the dossiers."""

import datetime as dt
import random

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from intake import figures
from intake.apps import fill_report_figures
from intake.file_services import dossier_file_supersede, dossier_file_upload
from intake.lifecycle import Action
from intake.models import DailyFigures, DailyProcedureFigures, Dossier, DossierEvent, Procedure
from intake.services import StepInput, dossier_step
from onestop import clock
from onestop.errors import Conflict
from reports.periods import month_period, range_period, year_period
from reports.selectors import report as reports
from tests.intake.factories import DossierFactory, ProcedureFactory
from tests.intake.test_files import pdf_bytes, upload
from tests.reports import direct_figures
from tests.reports.scenario import APPLICANT_ID, Scenario, at, build_march
from wards import calendar_admin


def live_figures(wards, period):
    """The figures of each ward computed straight from the dossiers and their events."""
    dossiers = Dossier.objects.filter(ward__in=[w.pk for w in wards])
    return direct_figures.figures_by(dossiers, "ward", period, direct_figures.calendars(wards))


def by_field(ward, period):
    """A ward's figures per field, straight from the dossiers."""
    calendar = direct_figures.calendars([ward])(ward.pk)
    dossiers = Dossier.objects.filter(ward=ward)
    return direct_figures.figures_by(dossiers, "procedure__field", period, lambda _f: calendar)


def assert_same(actual: dict, expected: dict, *context):
    for key in actual.keys() | expected.keys():
        want = expected.get(key, reports.Figures()).values()
        have = actual.get(key, reports.Figures()).values()
        assert have == want, (*context, key)


def assert_table_agrees(wards, periods):
    assert figures.differences() == []
    # A rebuild (in SQL on PostgreSQL) writes exactly what the changes had written.
    before = {table: figures.stored(table) for table in figures.TABLES}
    figures.rebuild()
    for table in figures.TABLES:
        nonzero = {k: v for k, v in figures.stored(table).items() if any(v.values())}
        assert nonzero == {k: v for k, v in before[table].items() if any(v.values())}
    for period in periods:
        assert_same(
            reports._ledger_figures([w.pk for w in wards], period),
            live_figures(wards, period),
            period,
        )
        for ward in wards:
            assert_same(reports._field_figures(ward, period), by_field(ward, period), period, ward)


PERIODS = [
    month_period(2026, 2),
    month_period(2026, 3),
    month_period(2026, 4),
    month_period(2026, 3, cutoff=True),
    range_period(dt.date(2026, 2, 10), dt.date(2026, 3, 20)),
    range_period(dt.date(2026, 3, 5), dt.date(2026, 3, 5)),
    year_period(2026),
]


def test_the_march_scenario(world):
    build_march(world)
    assert DailyFigures.objects.filter(ward=world.ward).exists()
    assert DailyProcedureFigures.objects.filter(ward=world.ward).exists()
    assert_table_agrees([world.ward, world.other_ward], PERIODS)
    row = next(
        r
        for r in reports.ward_report(user=world.chief, period=month_period(2026, 3)).rows
        if r.ward == world.ward
    )
    assert (row.values["carried_over"], row.values["pending_overdue"]) == (4, 2)


def _tried(s: Scenario, name: str, when, action, **details) -> bool:
    """Take a step the deadlines may refuse; True when it was taken."""
    before = Dossier.objects.get(pk=s.dossiers[name].pk)
    try:
        s.step(name, when, action, **details)
    except Conflict:
        after = Dossier.objects.get(pk=before.pk)
        assert (after.status, after.updated_at) == (before.status, before.updated_at)
        return False
    return True


def _walk(s: Scenario, world, rng: random.Random, count: int) -> None:
    """`count` dossiers through every kind of step, at random times in February–April 2026."""
    moment = at(2, 2)
    for n in range(count):
        moment += dt.timedelta(hours=rng.randint(1, 20))
        name = f"d{n}"
        user = rng.choice([world.officer, world.postal_worker, world.other_officer])
        s.receive(name, moment, channel=rng.choice([1, 2, 3]), user=user)
        decider = world.other_officer if user == world.other_officer else world.officer
        later = moment + dt.timedelta(hours=rng.randint(1, 40))
        fate = rng.random()
        if fate < 0.1:
            s.step(name, later, Action.REFUSE, user=decider)
            continue
        if fate < 0.15:
            s.step(name, later, Action.WITHDRAW, user=decider)
            continue
        s.step(name, later, Action.TRANSFER, user=decider)
        if rng.random() < 0.3:
            later += dt.timedelta(hours=rng.randint(1, 30))
            # Late requests (after three working days) are refused and change nothing: the
            # walk goes on with the dossier as it was.
            if _tried(s, name, later, Action.REQUEST_SUPPLEMENT, user=decider):
                if rng.random() < 0.2:
                    continue  # still waiting for the citizen
                if rng.random() < 0.15:
                    # The stop-processing notice (received in 2026: the 2025 edition).
                    s.step(name, later + dt.timedelta(hours=2), Action.STOP, user=decider)
                    continue
                later += dt.timedelta(hours=rng.randint(1, 60))
                s.step(name, later, Action.SUPPLEMENT, user=decider)
        if rng.random() < 0.2:
            later += dt.timedelta(hours=rng.randint(1, 10))
            promised = s.dossiers[name].due_at + dt.timedelta(days=rng.randint(1, 9))
            _tried(s, name, later, Action.APOLOGISE, user=decider, new_appointment_at=promised)
        if rng.random() < 0.1:
            s.step(name, later + dt.timedelta(minutes=5), Action.REFUSE, user=decider)
            continue
        if n % 10 == 4:
            s.step(name, later + dt.timedelta(minutes=5), Action.STOP, user=decider)
            continue
        if rng.random() < 0.15:
            continue  # still being processed
        later += dt.timedelta(hours=rng.randint(1, 120))
        s.step(name, later, Action.RESOLVE, user=decider)
        later += dt.timedelta(hours=rng.randint(1, 100))
        if rng.random() < 0.2:
            with clock.frozen_at(later):
                dossier_step(
                    user=decider, code=s.dossiers[name].code, action=Action.SEND_BY_POST,
                    from_delivery=True,
                )  # fmt: skip
                dossier_step(
                    user=decider, code=s.dossiers[name].code, action=Action.DELIVERED,
                    from_delivery=True,
                    details=StepInput(satisfaction=rng.choice([None, 2, 4, 5])),
                )  # fmt: skip
        elif rng.random() < 0.8:
            s.step(
                name, later, Action.RETURN, user=decider,
                collector_id_number=APPLICANT_ID, satisfaction=rng.choice([None, 1, 3, 4, 5]),
            )  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_kind_of_step_keeps_the_table_right(world, settings, seed):
    settings.INTAKE_RULES = []
    s = Scenario(world)
    s.procedure = ProcedureFactory(processing_days=2)
    _walk(s, world, random.Random(seed), 50)
    assert DossierEvent.objects.filter(action=Action.STOP).exists()
    assert_table_agrees([world.ward, world.other_ward], PERIODS)


def test_scans_count_once_per_dossier_until_the_last_is_superseded(world):
    dossier = DossierFactory(ward=world.ward, received_at=at(5, 3))
    march = month_period(2026, 3)

    def digitised():
        return reports._ledger_figures([world.ward.pk], march)[world.ward.pk].counts["digitised"]

    first = dossier_file_upload(
        user=world.officer, code=dossier.code, upload=upload("a.pdf", pdf_bytes("a"))
    )
    second = dossier_file_upload(
        user=world.officer, code=dossier.code, upload=upload("b.pdf", pdf_bytes("b"))
    )
    assert digitised() == 1
    dossier_file_supersede(user=world.officer, code=dossier.code, file_id=first.pk, reason="mờ")
    assert digitised() == 1
    dossier_file_supersede(user=world.officer, code=dossier.code, file_id=second.pk, reason="mờ")
    assert digitised() == 0
    assert_table_agrees([world.ward], [march])


def test_a_calendar_edit_recounts_the_working_days_of_results(world, settings):
    settings.INTAKE_RULES = []
    s = Scenario(world)
    s.procedure = ProcedureFactory(processing_days=3)
    s.receive("A", at(2, 3))  # Monday
    s.resolve("A", at(6, 3, 10))  # Friday: four working days later
    march = month_period(2026, 3)

    def mean_days():
        report = reports.ward_report(user=world.city_admin, period=march)
        return next(r for r in report.rows if r.ward == world.ward).values["mean_processing_days"]

    assert mean_days() == 4.0
    exception = calendar_admin.calendar_exception_add(
        user=world.city_admin, date=dt.date(2026, 3, 4), kind="day_off"
    )
    assert mean_days() == 3.0
    assert_table_agrees([world.ward], [march])
    calendar_admin.calendar_exception_revoke(
        user=world.city_admin, exception_id=exception.pk, note="nhầm ngày"
    )
    assert mean_days() == 4.0
    assert_table_agrees([world.ward], [march])


def test_the_check_command_finds_a_wrong_cell_and_rebuild_puts_it_right(world, capsys):
    build_march(world)
    call_command("check_report_figures")
    assert "khớp" in capsys.readouterr().out
    rows = DailyFigures.objects.count()
    cell = DailyFigures.objects.filter(ward=world.ward, received_direct__gt=0).first()
    DailyFigures.objects.filter(pk=cell.pk).update(received_direct=cell.received_direct + 7)
    with pytest.raises(CommandError, match="1 ô"):
        call_command("check_report_figures")
    assert "received_direct" in capsys.readouterr().err
    call_command("check_report_figures", "--rebuild")
    call_command("check_report_figures")
    assert DailyFigures.objects.count() == rows  # rewritten in place, nothing deleted


def test_a_database_with_dossiers_and_no_figures_gets_them_after_migrating(world):
    procedure = ProcedureFactory()
    dossiers = [
        DossierFactory.build(
            ward=world.ward,
            procedure=procedure,
            received_by=world.officer,
            received_at=at(day, 3),
            number=day,
            **state,
        )
        for day, state in [(2, {}), (3, {"returned": True}), (4, {"late": True})]
    ]
    # Written as a database from before the table would hold them: no figures recorded.
    Dossier.objects.bulk_create(dossiers)
    assert not DailyFigures.objects.exists()
    fill_report_figures(sender=None, using=connection.alias)
    assert DailyFigures.objects.filter(ward=world.ward).exists()
    assert figures.differences() == []
    fill_report_figures(sender=None, using=connection.alias)  # once only: now it has figures
    assert figures.differences() == []


def test_the_report_reads_the_table_not_the_dossiers(world, django_assert_num_queries):
    build_march(world)
    with django_assert_num_queries(2):  # the period's rows, and the stocks before it
        totals = figures.totals([world.ward.pk], dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert totals[world.ward.pk]["carried_over"] == 4


def test_generated_history_comes_with_its_report_figures(world):
    from demo.generate.dossiers import DossierGenerator

    for code in ["2.000815", "1.001193", "1.004873"]:
        ProcedureFactory(code=code, processing_days=0 if code != "1.004873" else 3)
    now = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    DossierGenerator(count=400, years=0.5, seed=5, now=now).run()
    assert DailyFigures.objects.filter(ward=world.ward).exists()
    wards = [world.ward, world.other_ward, world.far_ward]
    assert_table_agrees(wards, [month_period(2026, m) for m in range(5, 12)])


def test_a_procedure_moved_to_another_field_counts_there(world, settings):
    settings.INTAKE_RULES = []
    s = Scenario(world)
    s.procedure = ProcedureFactory(processing_days=3, field="Chứng thực")
    s.receive("A", at(2, 3))
    s.resolve("A", at(4, 3))
    march = month_period(2026, 3)
    assert set(reports._field_figures(world.ward, march)) == {"Chứng thực"}
    Procedure.objects.filter(pk=s.procedure.pk).update(field="Hộ tịch")
    rows = reports.field_report(user=world.chief, period=march, ward_slug=world.ward.slug)
    assert [(r.label, r.values["resolved"]) for r in rows] == [("Hộ tịch", 1), ("Tổng cộng", 1)]


def test_a_restart_and_a_voided_apology_move_the_figures_with_the_date(world, settings):
    settings.INTAKE_RULES = []
    s = Scenario(world)
    s.procedure = ProcedureFactory(processing_days=3)
    # Due Thursday 5/3; the apology promises Friday 6/3; completed Wednesday 4/3 10:00 the
    # term restarts to Monday 9/3 10:00, later than the apology's date, which lapses.
    s.receive("A", at(2, 3))
    s.step("A", at(2, 3, 9, 30), Action.TRANSFER)
    s.step("A", at(2, 3, 10), Action.APOLOGISE, new_appointment_at=at(6, 3, 9))
    s.step("A", at(2, 3, 11), Action.REQUEST_SUPPLEMENT)
    s.step("A", at(4, 3, 10), Action.SUPPLEMENT)
    # Completed Tuesday 3/3 in the same way, a later apology date (20/3) still holds.
    s.receive("B", at(2, 3))
    s.step("B", at(2, 3, 9, 30), Action.TRANSFER)
    s.step("B", at(2, 3, 10), Action.APOLOGISE, new_appointment_at=at(20, 3, 9))
    s.step("B", at(2, 3, 11), Action.REQUEST_SUPPLEMENT)
    s.step("B", at(3, 3, 10), Action.SUPPLEMENT)
    s.refresh()
    assert (s.dossiers["A"].due_at, s.dossiers["A"].apology_appointment_at) == (at(9, 3, 10), None)
    assert s.dossiers["B"].due_at == at(20, 3, 9)
    # Neither resolved: on 14/3, A is overdue (9/3), B is not (its apology holds to 20/3).
    first_half = range_period(dt.date(2026, 3, 1), dt.date(2026, 3, 14))
    row = next(
        r
        for r in reports.ward_report(user=world.chief, period=first_half).rows
        if r.ward == world.ward
    )
    assert (row.values["pending_overdue"], row.values["pending_within"]) == (1, 1)
    assert_table_agrees([world.ward], [first_half, month_period(2026, 3)])
