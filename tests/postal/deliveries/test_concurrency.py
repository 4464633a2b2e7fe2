"""Concurrent counters on PostgreSQL: a result is sent by post once, a delivery is recorded once,
and a waybill label is never given to two deliveries."""

from collections import Counter

import pytest
from django.db import connection

from intake.lifecycle import Action
from intake.models import Dossier, Status
from onestop.errors import Conflict, InvalidInput
from postal.deliveries.models import Delivery, DeliveryStatus
from postal.deliveries.services import delivery_advance
from tests.intake.factories import DossierFactory
from tests.intake.test_concurrency import together as run_together
from tests.postal.deliveries.test_services import address, send, waybill

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every writer on one file lock and has no row locks; "
        "run with TEST_DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]

WRITERS = 12


def test_a_result_is_sent_by_post_once(world):
    dossier = DossierFactory(ward=world.ward, result_ready=True)
    users = [world.postal_worker, world.officer, world.chief]
    results = run_together(WRITERS, lambda i: send(world, dossier, user=users[i % 3]))
    sent = [r for r in results if isinstance(r, Delivery)]
    assert len(sent) == 1
    assert all(isinstance(r, Conflict) for r in results if not isinstance(r, Delivery)), results
    assert Delivery.objects.filter(dossier=dossier).count() == 1
    assert Dossier.objects.get(pk=dossier.pk).events.filter(action=Action.SEND_BY_POST).count() == 1


def test_one_label_for_two_results_goes_to_one_of_them(world):
    code = waybill()
    dossiers = [DossierFactory(ward=world.ward, result_ready=True) for _ in range(WRITERS)]
    results = run_together(
        WRITERS, lambda i: send(world, dossiers[i], waybill_code=code, address=address())
    )
    kinds = Counter(type(r).__name__ for r in results)
    assert kinds == {"Delivery": 1, "InvalidInput": WRITERS - 1}, results
    assert all(r.field == "waybill_code" for r in results if isinstance(r, InvalidInput))
    statuses = Counter(
        Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).values_list("status", flat=True)
    )
    assert statuses == {Status.IN_DELIVERY: 1, Status.RESULT_READY: WRITERS - 1}


def test_a_delivery_is_recorded_delivered_once(world):
    delivery = send(world, DossierFactory(ward=world.ward, result_ready=True))
    delivery_advance(user=world.officer, delivery_id=delivery.pk, to=DeliveryStatus.HANDED_TO_POST)
    users = [world.postal_worker, world.officer, world.chief]
    results = run_together(
        WRITERS,
        lambda i: delivery_advance(
            user=users[i % 3], delivery_id=delivery.pk, to=DeliveryStatus.DELIVERED
        ),
    )
    assert all(isinstance(r, Delivery) for r in results), results
    dossier = Dossier.objects.get(pk=delivery.dossier_id)
    assert dossier.status == Status.RETURNED
    assert dossier.events.filter(action=Action.DELIVERED).count() == 1
