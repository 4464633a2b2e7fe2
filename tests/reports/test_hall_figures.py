"""The hall's waits in the city and ward reports: per ward, pilot phase and receiver kind, from
the kept figures, each linked to the tickets behind it, and in the pilot's exports."""

import csv
import datetime as dt
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hall.services import ticket_call_next, ticket_done, ticket_issue
from onestop import clock
from reports.periods import month_period
from reports.selectors import ward_report
from tests.hall.factories import ServiceGroupFactory
from wards.calendar import VIETNAM_TZ

MARCH = "?period=month&year=2026&month=3"
MORNING = dt.datetime(2026, 3, 10, 8, 0, tzinfo=VIETNAM_TZ)


def serve(user, counter, group, *, waits, service=4, day=0):
    """One ticket per wait (minutes) issued at the hour, each served for `service` minutes."""
    start = MORNING + dt.timedelta(days=day)
    for i, wait in enumerate(waits):
        issued = start + dt.timedelta(hours=i)
        with clock.frozen_at(issued):
            ticket = ticket_issue(group=group, user=user)
        with clock.frozen_at(issued + dt.timedelta(minutes=wait)):
            ticket_call_next(user=user, counter=counter)
        with clock.frozen_at(issued + dt.timedelta(minutes=wait + service)):
            ticket_done(user=user, ticket_id=ticket.pk)


@pytest.fixture
def served(world):
    intake = ServiceGroupFactory(ward=world.ward, counters=[world.postal_counter])
    returns = ServiceGroupFactory(ward=world.ward, counters=[world.officer_counter])
    other = ServiceGroupFactory(ward=world.other_ward, counters=[world.other_counter])
    # Phú Hòa's postal counter: ten tickets, waits 1..10 minutes; its officers: two, 20 and 30.
    serve(world.postal_worker, world.postal_counter, intake, waits=range(1, 11))
    serve(world.officer, world.officer_counter, returns, waits=[20, 30], service=12, day=1)
    serve(world.other_postal_worker, world.other_counter, other, waits=[2, 2])
    return world


def test_the_report_reads_waits_per_ward_and_receiver_kind(served):
    report = ward_report(user=served.city_admin, period=month_period(2026, 3))
    rows = {row.label: row for row in report.rows if row.kind == "ward"}
    phu_hoa = rows[str(served.ward)].values
    assert phu_hoa["hall_served_postal_worker"] == 10
    assert phu_hoa["hall_wait_mean_postal_worker"] == pytest.approx(5.5)
    # Nearest rank: the 9th of ten waits is 9 minutes, in the band 9–10.
    assert phu_hoa["hall_wait_p90_postal_worker"] == 10
    assert phu_hoa["hall_service_mean_postal_worker"] == pytest.approx(4.0)
    assert phu_hoa["hall_service_p90_postal_worker"] == 5
    assert phu_hoa["hall_served_officer"] == 2
    assert phu_hoa["hall_wait_mean_officer"] == pytest.approx(25.0)
    assert phu_hoa["hall_wait_p90_officer"] == 40  # 30 minutes: the band 30–40
    assert phu_hoa["hall_service_p90_officer"] == 14
    assert rows[str(served.other_ward)].values["hall_served_officer"] == 0
    assert rows[str(served.other_ward)].values["hall_wait_mean_officer"] is None
    total = report.total.values
    assert total["hall_served_postal_worker"] == 12
    assert total["hall_wait_mean_postal_worker"] == pytest.approx((55 + 4) / 12)


def test_each_figure_links_to_its_tickets(served, client):
    report = ward_report(user=served.city_admin, period=month_period(2026, 3))
    row = next(r for r in report.rows if r.kind == "ward" and r.ward == served.ward)
    link = row.links["hall_wait_p90_officer"]
    query = parse_qs(urlsplit(link).query)
    assert urlsplit(link).path == reverse("hall:ticket-list")
    assert query == {
        "ward": [served.ward.slug],
        "day_from": ["01/03/2026"],
        "day_to": ["31/03/2026"],
        "status": ["done"],
        "receiver_kind": ["officer"],
    }
    client.force_login(served.city_admin)
    body = client.get(link).content.decode()
    assert body.count("<tr><td>11/03/2026") == 2  # the two tickets the officers served
    group = next(r for r in report.rows if r.kind == "group" and r.pilot_phase is not None)
    assert "pilot_phase=" in group.links["hall_served_postal_worker"]


def test_the_pages_and_exports_show_the_columns(served, client):
    client.force_login(served.city_admin)
    page = client.get(reverse("reports:reports") + MARCH).content.decode()
    assert 'data-testid="hall-table"' in page and "Chờ P90, phút (bưu điện)" in page
    assert "240 nghĩa là từ 240 phút trở lên" in page
    ward_page = client.get(
        reverse("reports:ward-report", args=[served.ward.slug]) + MARCH
    ).content.decode()
    assert 'data-figure="hall_wait_mean_postal_worker">5,5<' in ward_page
    content = client.get(reverse("reports:pilot-csv") + MARCH).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    ward = next(r for r in rows if r["ward_slug"] == served.ward.slug)
    assert (ward["hall_served_postal_worker"], ward["hall_wait_p90_postal_worker"]) == ("10", "10")
    workbook = load_workbook(io.BytesIO(client.get(reverse("reports:pilot-xlsx") + MARCH).content))
    sheet = workbook["Xep hang"]
    line = next(r for r in sheet.iter_rows() if r[1].value == str(served.ward))
    assert [c.value for c in line[2:4]] == [10, 5.5]
