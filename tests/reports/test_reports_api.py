"""GET /api/v1/reports/bieu06/ and /pilot/: rows per ward, totals, scope, 400 on bad input."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.reports.scenario import EXPECTED_MARCH_ROW, build_march

pytestmark = pytest.mark.django_db

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture
def march(world, settings):
    settings.INTAKE_RULES = []
    return build_march(world)


@pytest.fixture
def api():
    return APIClient()


def test_bieu06_rows_and_totals(api, world, march):
    api.force_authenticate(world.city_admin)
    response = api.get(reverse("api-report-bieu06"), MARCH)
    assert response.status_code == 200
    body = response.json()
    assert (body["from"], body["to"]) == ("2026-03-01", "2026-03-31")
    wards = {row["ward"]["slug"]: row for row in body["rows"]}
    assert set(wards) == {"phuhoa", "phuloi"}
    phuhoa = wards["phuhoa"]
    assert phuhoa["ward"] == {"id": world.ward.pk, "slug": "phuhoa", "name": "Phú Hòa"}
    assert {k: phuhoa[k] for k in EXPECTED_MARCH_ROW} == EXPECTED_MARCH_ROW
    assert body["totals"]["received"] == EXPECTED_MARCH_ROW["received"] + 1
    assert body["totals"]["total"] == sum(row["total"] for row in body["rows"])


def test_pilot_figures(api, world, march):
    api.force_authenticate(world.chief)
    body = api.get(reverse("api-report-pilot"), MARCH).json()
    assert [row["ward"]["slug"] for row in body["rows"]] == ["phuhoa"]
    row = body["rows"][0]
    assert row["on_time_share_postal_worker"] == 50.0
    assert row["received_postal_worker"] == 2
    assert row["on_time_share"] == 75.0
    assert row["pilot_phase"] == 1
    assert body["totals"]["received"] == 12


def test_one_ward_and_scope(api, world, march):
    api.force_authenticate(world.city_admin)
    body = api.get(reverse("api-report-bieu06"), {**MARCH, "ward": "phuloi"}).json()
    assert [row["ward"]["slug"] for row in body["rows"]] == ["phuloi"]
    api.force_authenticate(world.chief)
    response = api.get(reverse("api-report-bieu06"), {**MARCH, "ward": "phuloi"})
    assert response.status_code == 404
    api.force_authenticate(world.other_city_admin)
    body = api.get(reverse("api-report-bieu06"), MARCH).json()
    assert "phuhoa" not in [row["ward"]["slug"] for row in body["rows"]]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "from"),
        ({"from": "2026-03-01"}, "to"),
        ({"from": "01/03/2026", "to": "2026-03-31"}, "from"),
        ({"from": "2026-02-30", "to": "2026-03-31"}, "from"),
        ({"from": "2026-04-01", "to": "2026-03-31"}, "to"),
        ({"from": "1900-01-01", "to": "2026-03-31"}, "from"),
        ({"from": "2000-01-01", "to": "2026-03-31"}, "to"),
        ({"from": "2026-03-01\x00", "to": "2026-03-31"}, "from"),
        ({"from": "x" * 5000, "to": "2026-03-31"}, "from"),
    ],
)
def test_bad_dates_are_400_naming_the_field(api, world, query, field):
    api.force_authenticate(world.city_admin)
    for name in ("api-report-bieu06", "api-report-pilot"):
        response = api.get(reverse(name), query)
        assert response.status_code == 400, response.content
        assert field in response.json()


def test_counter_staff_are_refused(api, world):
    api.force_authenticate(world.postal_worker)
    assert api.get(reverse("api-report-bieu06"), MARCH).status_code == 403


def test_schema_documents_the_columns(api, world):
    api.force_authenticate(world.city_admin)
    schema = api.get(reverse("api-schema"), {"format": "json"}).json()
    row = schema["components"]["schemas"]["Bieu06ReportRow"]["properties"]
    assert {"ward", "carried_over", "pending_overdue", "received_direct_postal"} <= set(row)
    assert "channels 1 (direct) and 3" in row["received_direct_postal"]["description"]
    assert "/api/v1/reports/pilot/" in schema["paths"]
