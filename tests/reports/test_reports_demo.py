"""The reconciliation identity on the demo's year of dossiers, replayed through the services."""

import datetime as dt

import pytest

from demo.seed import catalogue
from demo.seed import dossiers as demo
from intake.models import Dossier
from onestop import clock
from reports import selectors as reports
from reports.periods import month_period, quarter_period, range_period, year_period
from tests.onestop.factories import UserFactory
from wards.calendar import VIETNAM_TZ

END = dt.datetime(2026, 3, 13, 16, 0, tzinfo=VIETNAM_TZ)


@pytest.fixture
def demo_year(world, settings):
    settings.INTAKE_RULES = []
    settings.DEMO_DOSSIERS_PER_WARD = "150-300"  # a full year, not the test settings' handful
    catalogue.seed_catalogue()
    for ward in (world.ward, world.other_ward):
        UserFactory(postal_worker=True, ward=ward)
    with clock.frozen_at(END):
        demo.seed_dossiers()
    return world


def _periods():
    for year, month in [(2025, m) for m in range(3, 13)] + [(2026, m) for m in (1, 2, 3)]:
        yield month_period(year, month)
        yield month_period(year, month, cutoff=True)
    yield quarter_period(2025, 4)
    yield year_period(2025)
    yield range_period(dt.date(2025, 3, 1), dt.date(2026, 3, 31))


def test_every_period_reconciles_on_the_demo_year(demo_year):
    assert Dossier.objects.count() > 200
    handled = 0
    for period in _periods():
        report = reports.ward_report(user=demo_year.city_admin, period=period)
        for row in report.rows:
            assert row.figures.reconciles(), (period.label(), row.label, row.values)
        v = report.total.values
        assert v["total"] == v["resolved"] + v["pending"] + v["refused"] + v["withdrawn"]
        handled += v["received"]
        fields = reports.field_report(
            user=demo_year.city_admin, period=period, ward_slug=demo_year.ward.slug
        )
        assert all(row.figures.reconciles() for row in fields)
    whole = reports.ward_report(
        user=demo_year.city_admin,
        period=range_period(dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
    )
    assert whole.total.values["received"] == Dossier.objects.count()
    assert whole.total.values["carried_over"] == 0
    assert handled > 0
