"""Nothing lost, nothing doubled, with real concurrent clients on PostgreSQL.

Each writer is a thread with its own database connection and its own API client, released
together from a barrier, going through the whole stack (token auth, serializer, service, row
locks, constraints):
- 50 intakes at once in one ward → 50 consecutive unique codes, 50 receive events;
- 20 "return" attempts at once on one dossier → one 200, nineteen 409 with a Vietnamese reason,
  one return event, the dossier returned once;
- 20 chiefs' edits of the same roster cell at once (new bookings, and moves of other
  assignments into it) → one live assignment in the cell, the others a 409 naming it.
"""

import datetime as dt
from collections import Counter

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from intake.models import Dossier, DossierEvent, Status
from onestop import clock
from onestop.tokens import api_token_issue
from postal.models import Assignment, Shift, TaskType
from tests.concurrency import POSTGRES_ONLY, run_together
from tests.intake.factories import DossierFactory, ProcedureFactory
from tests.postal.factories import AssignmentFactory
from tests.wards.factories import CounterFactory
from wards.calendar import VIETNAM_TZ

pytestmark = POSTGRES_ONLY

# Tuesday 10/03/2026, 09:00: a working morning; the roster is planned for the next Monday.
MOMENT = dt.datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM_TZ)
NEXT_MONDAY = dt.date(2026, 3, 16)
APPLICANT_ID = "074190001234"


@pytest.fixture(autouse=True)
def intake_rules_of_intake_only(settings):
    settings.INTAKE_RULES = []


def together(count: int, work) -> list:
    """Run `work(i, api)` in `count` threads released at once, each with its own connection and
    API client; return each result, none an exception."""
    clients = [APIClient() for _ in range(count)]
    results = run_together(count, lambda i: work(i, clients[i]), at=MOMENT)
    assert not [r for r in results if isinstance(r, Exception)], results
    return results


def token(user) -> str:
    return f"Token {api_token_issue(user=user)}"


def test_fifty_intakes_at_once_get_fifty_consecutive_codes(world):
    procedure = ProcedureFactory(code="1.001193", processing_days=3)
    staff = [world.postal_worker, world.officer, world.chief]
    tokens = [token(user) for user in staff]
    counters = {
        world.postal_worker.pk: world.postal_counter.number,
        world.officer.pk: world.officer_counter.number,
        world.chief.pk: world.officer_counter.number,
    }

    def receive(i: int, api: APIClient):
        user = staff[i % 3]
        response = api.post(
            reverse("dossier-list"),
            {
                "procedure": procedure.code,
                "channel": 1,
                "applicant_name": f"Nguyễn Thị Mai {i}",
                "applicant_id_number": APPLICANT_ID,
                "applicant_address": "12 Yersin, phường Phú Hòa",
                "counter": counters[user.pk],
            },
            format="json",
            HTTP_AUTHORIZATION=tokens[i % 3],
            HTTP_IDEMPOTENCY_KEY=f"intake-{i}",
        )
        return response.status_code, response.json().get("code")

    results = together(50, receive)

    assert Counter(status for status, _code in results) == {201: 50}
    prefix = f"{world.ward.unit_identifier}-260310-"
    assert sorted(code for _status, code in results) == [f"{prefix}{n:04d}" for n in range(1, 51)]
    assert Dossier.objects.filter(ward=world.ward).count() == 50
    assert DossierEvent.objects.filter(action="receive").count() == 50


def test_twenty_returns_at_once_return_once_and_answer_409_to_the_rest(world):
    with clock.frozen_at(MOMENT - dt.timedelta(days=2)):
        dossier = DossierFactory(
            ward=world.ward, applicant_id_number=APPLICANT_ID, result_ready=True
        )
    staff = [world.postal_worker, world.officer, world.chief]
    tokens = [token(user) for user in staff]
    url = reverse("dossier-transitions", kwargs={"code": dossier.code})

    def give_back(i: int, api: APIClient):
        response = api.post(
            url,
            {
                "action": "return",
                "collector_id_number": APPLICANT_ID,
                "satisfaction": 5,
                "counter": world.postal_counter.number,
            },
            format="json",
            HTTP_AUTHORIZATION=tokens[i % 3],
            # Twenty different requests, not one request sent twenty times.
            HTTP_IDEMPOTENCY_KEY=f"return-{i}",
        )
        return response.status_code, response.json()

    results = together(20, give_back)

    assert Counter(status for status, _body in results) == {200: 1, 409: 19}
    for status, body in results:
        if status == 409:
            assert "không thể" in body["detail"], body  # the state forbids it, in Vietnamese
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert DossierEvent.objects.filter(dossier=dossier, action="return").count() == 1


def test_twenty_edits_of_one_roster_cell_at_once_book_it_once(world):
    # Ten chiefs' sessions book the empty Monday-morning cell, ten move an assignment of
    # another day into it: one of the twenty wins.
    chief = token(world.chief)
    counters = [world.postal_counter, *(CounterFactory(ward=world.ward, number=n) for n in (5, 6))]
    others = [
        AssignmentFactory(
            ward=world.ward,
            worker=world.postal_worker,
            assigned_by=world.chief,
            counter=world.postal_counter,
            date=NEXT_MONDAY + dt.timedelta(days=1 + i // 2),
            shift=(Shift.MORNING, Shift.AFTERNOON)[i % 2],
        )
        for i in range(10)
    ]
    cell = {"date": NEXT_MONDAY.isoformat(), "shift": Shift.MORNING}

    def edit(i: int, api: APIClient):
        body = {
            "worker": world.postal_worker.username,
            **cell,
            "task_type": TaskType.INTAKE,
            "counter": counters[i % 3].number,
        }
        if i < 10:
            response = api.post(
                reverse("assignment-list"), body, format="json", HTTP_AUTHORIZATION=chief
            )
        else:
            response = api.patch(
                reverse("assignment-detail", kwargs={"pk": others[i - 10].pk}),
                cell,
                format="json",
                HTTP_AUTHORIZATION=chief,
            )
        return response.status_code, response.json()

    results = together(20, edit)

    statuses = Counter(status for status, _body in results)
    assert statuses[409] == 19 and statuses[200] + statuses[201] == 1, statuses
    for status, body in results:
        if status == 409:
            assert "đã được phân công" in body["detail"], body  # names the other assignment
    booked = Assignment.objects.active().filter(
        worker=world.postal_worker, date=NEXT_MONDAY, shift=Shift.MORNING
    )
    assert booked.count() == 1
