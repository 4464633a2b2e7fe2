"""The hall's figures on pages: the chief's dashboard panel (live queue, today's waits) and the
ticket list behind the figures (scope, filters, constant queries)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from hall.services import ticket_call_next, ticket_done, ticket_issue
from onestop import clock
from tests.hall.conftest import MORNING


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def serve(hall, *, count: int, start: int = 0):
    """`count` intake tickets issued a minute apart, each called 5 minutes after its issue and
    done 3 minutes later at the postal counter."""
    tickets = []
    for i in range(count):
        with clock.frozen_at(MORNING + dt.timedelta(minutes=start + 10 * i)):
            tickets.append(ticket_issue(group=hall.intake, user=hall.postal_worker))
        with clock.frozen_at(MORNING + dt.timedelta(minutes=start + 10 * i + 5)):
            ticket_call_next(user=hall.postal_worker, counter=hall.postal_counter)
        with clock.frozen_at(MORNING + dt.timedelta(minutes=start + 10 * i + 8)):
            ticket_done(user=hall.postal_worker, ticket_id=tickets[-1].pk)
    return tickets


def test_the_dashboard_loads_the_hall_panel(hall):
    with clock.frozen_at(MORNING + dt.timedelta(hours=1)):
        page = logged_in(hall.chief).get(reverse("home")).content.decode()
    assert reverse("hall:board") in page


def test_the_panel_shows_the_queue_and_todays_waits(hall):
    serve(hall, count=2)
    with clock.frozen_at(MORNING + dt.timedelta(minutes=30)):
        ticket_issue(group=hall.intake, user=hall.postal_worker)
        ticket_issue(group=hall.returns, user=hall.postal_worker)
        ticket_call_next(user=hall.officer, counter=hall.officer_counter)
    with clock.frozen_at(MORNING + dt.timedelta(minutes=31)):
        response = logged_in(hall.chief).get(reverse("hall:board"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('data-testid="board-waiting">1<') == 1  # one intake waits; return called
    assert "2001" in body  # the return ticket at the officer's counter
    assert 'data-testid="board-wait-mean">5,0<' in body  # both waited five minutes
    assert "5–6" in body and "3–4" in body  # p90 bands of wait and service
    assert "Nhân viên bưu điện" in body


def test_the_panel_is_the_chiefs(hall):
    assert logged_in(hall.postal_worker).get(reverse("hall:board")).status_code == 403
    assert logged_in(hall.city_admin).get(reverse("hall:board")).status_code == 403


def test_the_panel_costs_the_same_queries_whatever_the_day(hall, django_assert_max_num_queries):
    serve(hall, count=1)
    client = logged_in(hall.chief)
    later = MORNING + dt.timedelta(hours=2)
    with clock.frozen_at(later), django_assert_max_num_queries(20) as few:
        client.get(reverse("hall:board"))
    serve(hall, count=6, start=20)
    ticket_issue(group=hall.returns, user=hall.officer)
    with clock.frozen_at(later), django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("hall:board"))


def test_the_ticket_list_filters_and_keeps_constant_queries(hall, django_assert_max_num_queries):
    serve(hall, count=2)
    client = logged_in(hall.chief)
    url = reverse("hall:ticket-list")
    query = {
        "ward": hall.ward.slug,
        "day_from": "10/03/2026",
        "day_to": "10/03/2026",
        "receiver_kind": "postal_worker",
        "status": "done",
    }
    with django_assert_max_num_queries(20) as few:
        body = client.get(url, query).content.decode()
    assert body.count("<tr><td>10/03/2026") == 2
    serve(hall, count=8, start=30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(url, query).content.decode()
    assert body.count("<tr><td>10/03/2026") == 10
    officer = client.get(url, {**query, "receiver_kind": "officer"}).content.decode()
    assert "<tr><td>10/03/2026" not in officer
    other_day = client.get(url, {**query, "day_from": "11/03/2026", "day_to": ""})
    assert "<tr><td>" not in other_day.content.decode()


@pytest.mark.parametrize("who", ["other_chief", "chief"])
def test_a_foreign_ward_in_the_ticket_list_is_absent(hall, who):
    serve(hall, count=1)
    user = getattr(hall, who)
    foreign = hall.ward if who == "other_chief" else hall.other_ward
    response = logged_in(user).get(reverse("hall:ticket-list"), {"ward": foreign.slug})
    assert response.status_code == 404


def test_the_city_admin_reads_the_city_and_counter_staff_nothing(hall):
    serve(hall, count=1)
    url = reverse("hall:ticket-list")
    admin = logged_in(hall.city_admin).get(url, {"ward": hall.ward.slug})
    assert admin.status_code == 200 and "<tr><td>10/03/2026" in admin.content.decode()
    assert logged_in(hall.other_city_admin).get(url, {"ward": hall.ward.slug}).status_code == 404
    assert logged_in(hall.postal_worker).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_bad_filters_say_so_and_keep_what_was_typed(hall):
    response = logged_in(hall.chief).get(
        reverse("hall:ticket-list"), {"day_from": "31/02/2026", "group": "abc"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "31/02/2026" in body and 'value="abc"' in body
    assert 'role="alert"' in body


def test_an_empty_ticket_list_says_so(hall):
    body = logged_in(hall.chief).get(reverse("hall:ticket-list")).content.decode()
    assert 'data-testid="ticket-list"' in body and "Không có số nào khớp bộ lọc." in body
