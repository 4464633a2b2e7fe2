"""Concurrent edits on PostgreSQL never double-book a worker or enter a paper receipt twice.

Real threads, each with its own connection, released together by a barrier.
"""

import threading
from collections import Counter

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from onestop import clock
from onestop.errors import Conflict
from postal.models import Assignment, DataEntryRecord, ProcedureAuthorization
from postal.services import roster
from postal.services.data_entry import data_entry_record
from postal.services.roster import assignment_create, assignment_update
from tests.concurrency import POSTGRES_ONLY, run_together
from tests.intake.factories import ProcedureFactory
from tests.onestop.factories import UserFactory
from tests.postal.conftest import FRIDAY, MONDAY, at
from tests.postal.factories import DataEntryBatchFactory
from tests.wards.factories import CounterFactory

pytestmark = POSTGRES_ONLY


def together(count: int, work) -> list:
    return run_together(count, work, at=FRIDAY)


WRITERS = 12


@pytest.fixture
def desks(world):
    return [CounterFactory(ward=world.ward, number=10 + i) for i in range(WRITERS)]


def test_concurrent_bookings_of_one_shift_leave_exactly_one(world, desks):
    results = together(
        WRITERS,
        lambda i: assignment_create(
            user=world.chief,
            worker=world.postal_worker,
            date=MONDAY,
            shift="morning",
            task_type="intake",
            counter=desks[i],
        ),
    )
    booked = [r for r in results if isinstance(r, Assignment)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(booked) == 1, results
    assert len(refused) == WRITERS - 1, results
    winner = booked[0]
    # Every refusal names the booking that won.
    assert all(winner.describe() in r.message for r in refused)
    assert Assignment.objects.active().filter(worker=world.postal_worker).count() == 1


def test_the_constraint_alone_stops_a_race_the_lock_does_not_see(world, desks, monkeypatch):
    """Without the worker lock and the pre-check, the unique constraint still decides."""
    real = roster._clash
    monkeypatch.setattr(roster, "_lock_worker", lambda worker: None)
    seen = threading.local()

    def blind_first_look(*args, **kwargs):
        if not getattr(seen, "looked", False):
            seen.looked = True
            return None
        return real(*args, **kwargs)

    monkeypatch.setattr(roster, "_clash", blind_first_look)
    results = together(
        WRITERS,
        lambda i: assignment_create(
            user=world.chief,
            worker=world.postal_worker,
            date=MONDAY,
            shift="afternoon",
            task_type="result_return",
            counter=desks[i],
        ),
    )
    assert sum(isinstance(r, Assignment) for r in results) == 1, results
    assert sum(isinstance(r, Conflict) for r in results) == WRITERS - 1, results
    assert Assignment.objects.active().filter(worker=world.postal_worker).count() == 1


def test_moving_two_assignments_into_one_free_shift_keeps_one(world, desks):
    colleague = UserFactory(postal_worker=True, ward=world.ward)
    with clock.frozen_at(FRIDAY):
        first = assignment_create(
            user=world.chief,
            worker=world.postal_worker,
            date=MONDAY,
            shift="morning",
            task_type="intake",
            counter=desks[0],
        )
        second = assignment_create(
            user=world.chief,
            worker=colleague,
            date=MONDAY,
            shift="morning",
            task_type="intake",
            counter=desks[1],
        )
    ids = [first.pk, second.pk]
    results = together(
        2,
        lambda i: assignment_update(
            user=world.chief, assignment_id=ids[i], worker=world.postal_worker, shift="afternoon"
        ),
    )
    assert sum(isinstance(r, Assignment) for r in results) == 1, results
    assert sum(isinstance(r, Conflict) for r in results) == 1, results


def test_one_paper_receipt_entered_in_two_batches_at_once_is_kept_once(world, settings):
    settings.INTAKE_RULES = ["postal.rules.postal_intake_rule"]
    colleague = UserFactory(postal_worker=True, ward=world.ward)
    batches = [
        DataEntryBatchFactory(ward=world.ward, assigned_to=worker, created_at=at(2026, 3, 2, 8, 0))
        for worker in (world.postal_worker, colleague)
    ]
    procedure = ProcedureFactory()
    results = together(
        2,
        lambda i: data_entry_record(
            user=batches[i].assigned_to,
            batch_id=batches[i].pk,
            original_receipt_number="77/HT",
            original_received_at=at(2026, 2, 3, 9, 0),
            procedure=procedure,
            channel=1,
            applicant_name="Ngô Văn Hải",
            applicant_id_number="074085001111",
            applicant_address="2 Bạch Đằng",
        ),
    )
    assert sum(isinstance(r, DataEntryRecord) for r in results) == 1, results
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    assert DataEntryRecord.objects.count() == 1


def test_the_same_grant_posted_at_once_is_created_once_then_standing(world):
    procedure = ProcedureFactory()
    payload = {"worker": world.postal_worker.username, "procedure": procedure.code}

    def post(_i):
        client = APIClient(raise_request_exception=False)
        client.force_authenticate(world.chief)
        response = client.post(reverse("authorisation-list"), payload, format="json")
        return response.status_code, response.json().get("id")

    results = together(WRITERS, post)

    assert Counter(code for code, _ in results) == {201: 1, 200: WRITERS - 1}, results
    assert len({grant_id for _, grant_id in results}) == 1
    assert ProcedureAuthorization.objects.filter(procedure=procedure).count() == 1
