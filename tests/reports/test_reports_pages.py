"""The report pages: what the city admin and the chief see, links, charts, query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.intake.factories import DossierFactory
from tests.onestop.factories import UserFactory
from tests.reports.scenario import EXPECTED_MARCH_ROW, at, build_march
from tests.wards.factories import WardFactory

pytestmark = pytest.mark.django_db

MARCH = "?period=month&year=2026&month=3"


@pytest.fixture
def march(world, settings):
    settings.INTAKE_RULES = []
    return build_march(world)


def _figure(html: str, ward: str, name: str) -> tuple[str, str]:
    """The link and the number shown for figure `name` of `ward`, in whichever table has it."""
    rows = re.findall(rf'<tr class="kind-ward" data-ward="{ward}">(.*?)</tr>', html, re.S)
    assert rows, f"no row for {ward}"
    for row in rows:
        cell = re.search(rf'<a href="([^"]+)" data-figure="{name}">([^<]+)</a>', row)
        if cell:
            return cell.group(1).replace("&amp;", "&"), cell.group(2)
    raise AssertionError(f"no link for {name}")


def test_city_page_shows_biey06_with_links(client, world, march):
    client.force_login(world.city_admin)
    response = client.get(reverse("reports:reports") + MARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tháng 3/2026" in html
    for name, expected in EXPECTED_MARCH_ROW.items():
        if name == "received":
            continue
        _url, shown = _figure(html, "phuhoa", name)
        assert shown == str(expected), name
    assert "Thí điểm giai đoạn 1" in html
    assert "Tổng cộng" in html
    assert html.count("<svg") == 3
    assert 'role="img"' in html


def test_a_figure_opens_exactly_its_dossiers_in_the_list(client, world, march):
    client.force_login(world.city_admin)
    html = client.get(reverse("reports:reports") + MARCH).content.decode()
    for name in ("carried_over", "pending_overdue", "refused", "resolved_late", "withdrawn"):
        url, shown = _figure(html, "phuhoa", name)
        listing = client.get(url).content.decode()
        body = listing.split('data-testid="dossier-table"', 1)[1].split("</table>", 1)[0]
        codes = set(re.findall(r"[\d.]+\.H13-\d{6}-\d{4}", body))
        assert len(codes) == int(shown), (name, url)
        assert 'data-testid="report-filters"' in listing


def test_chief_is_sent_to_their_ward_and_sees_only_it(client, world, march):
    client.force_login(world.chief)
    response = client.get(reverse("reports:reports") + MARCH)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reports:ward-report", args=["phuhoa"]))
    html = client.get(response["Location"]).content.decode()
    assert "Phú Hòa" in html
    assert "Phú Lợi" not in html
    assert html.count("<svg") == 2
    other = reverse("reports:ward-report", args=[world.other_ward.slug])
    assert client.get(other).status_code == 404


def test_bad_period_falls_back_with_a_message(client, world):
    client.force_login(world.city_admin)
    html = client.get(reverse("reports:reports") + "?period=month&month=13").content.decode()
    assert "Tháng phải từ 1 đến 12." in html


def test_city_page_query_count_is_constant(client, world, django_assert_max_num_queries):
    client.force_login(world.city_admin)
    url = reverse("reports:reports") + MARCH
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(8):
        ward = WardFactory(city=world.city)
        officer = UserFactory(officer=True, ward=ward)
        for i in range(20):
            DossierFactory(ward=ward, received_by=officer, received_at=at(2 + i % 20, 3))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert len(small.captured_queries) <= 20


def test_logbook_page_and_query_count(client, world, march, django_assert_max_num_queries):
    client.force_login(world.chief)
    url = reverse("reports:logbook", args=["phuhoa"]) + MARCH
    with django_assert_max_num_queries(12):
        html = client.get(url).content.decode()
    assert "SỔ THEO DÕI HỒ SƠ" in html
    assert 'data-testid="logbook-form">Mẫu số 07 – Thông tư 03/2025/TT-VPCP<' in html
    assert "Trung tâm phục vụ hành chính công" in html
    assert march.dossiers["G"].code in html
    assert march.dossiers["T"].code not in html
    assert "0912345678" not in html  # the phone is masked
    assert "•••••••678" in html
