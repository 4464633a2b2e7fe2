"""postal's share of a generated history: deliveries that agree with the dossiers' events and
states, and the pilot wards' roster over the generated years."""

import datetime as dt
from collections import Counter as Tally
from collections import defaultdict

import pytest
from django.db.models import F
from django.utils import timezone

from demo.generate.dossiers import DossierGenerator
from intake.models import Dossier, DossierEvent
from postal.deliveries.models import Delivery, validate_s10
from postal.deliveries.services import tariff_set
from postal.models import Assignment, AssignmentChange, TaskType
from tests.intake.factories import ProcedureFactory
from tests.onestop.factories import UserFactory
from tests.postal.factories import AssignmentFactory, PostalWorkerProfileFactory

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
ACTIVE = {"created", "handed_to_post", "in_transit"}


@pytest.fixture
def generated(world):
    ProcedureFactory(code="2.000815", processing_days=0, fee=10_000)
    ProcedureFactory(code="1.001193", processing_days=0, fee=None)
    ProcedureFactory(code="1.004873", processing_days=3, fee=20_000)
    second = UserFactory(postal_worker=True, ward=world.ward, username="postal2.phuhoa")
    # The second worker joined in the middle of the generated months.
    PostalWorkerProfileFactory(user=second, in_ward_since=dt.date(2026, 9, 1))
    UserFactory(officer=True, ward=world.far_ward)
    # A shift the chief had already planned stays as it was.
    AssignmentFactory(
        ward=world.ward,
        worker=world.postal_worker,
        date=dt.date(2026, 10, 6),
        shift="morning",
        task_type=TaskType.GUIDANCE,
        counter=None,
        assigned_by=world.chief,
    )
    tariff_set(
        user=None,
        city=world.city,
        valid_from=dt.date(2026, 9, 1),
        within_city=27_000,
        within_province=32_000,
        other_province=33_000,
        collection_low=12_000,
        collection_low_below=500_000,
        collection_mid=15_000,
        collection_mid_below=2_000_000,
        collection_percent=1,
    )
    stats = DossierGenerator(count=2500, years=0.6, seed=5, now=NOW, chunk=1000).run()
    return world, stats


def _events(action):
    found = defaultdict(list)
    for event in DossierEvent.objects.filter(action=action).order_by("at", "id"):
        found[event.dossier_id].append(event)
    return found


def test_every_result_sent_by_post_has_its_delivery(generated):
    _, stats = generated
    outbound = Delivery.objects.filter(direction="outbound")
    sent = _events("send_by_post")
    assert outbound.count() == sum(len(events) for events in sent.values()) > 300
    assert stats.deliveries == Delivery.objects.count()
    by_dossier = defaultdict(list)
    for delivery in outbound.order_by("created_at", "id"):
        by_dossier[delivery.dossier_id].append(delivery)
    for dossier_id, events in sent.items():
        deliveries = by_dossier[dossier_id]
        assert [(e.at, e.actor_id) for e in events] == [
            (d.created_at, d.created_by_id) for d in deliveries
        ]
        for event, delivery in zip(events, deliveries, strict=True):
            assert event.note.startswith(f"Mã bưu gửi {delivery.waybill_code}, ")
            assert delivery.ward_id == delivery.dossier.ward_id


def test_deliveries_agree_with_the_dossiers_state(generated):
    failed = _events("delivery_failed")
    delivered = _events("delivered")
    statuses = Tally()
    for delivery in Delivery.objects.filter(direction="outbound").select_related("dossier"):
        dossier = delivery.dossier
        statuses[delivery.status] += 1
        if delivery.status == "delivered":
            assert dossier.status == "returned" and dossier.return_method == "post"
            assert dossier.returned_at == delivery.delivered_at
            assert dossier.returned_by_id == delivery.delivered_by_id
            assert [e.at for e in delivered[dossier.pk]] == [delivery.delivered_at]
        elif delivery.status in ACTIVE:
            assert dossier.status == "in_delivery"
        else:
            assert delivery.failure_reason and delivery.failed_at
            assert delivery.failed_at in [e.at for e in failed[dossier.pk]]
            assert delivery.failure_reason in [e.note for e in failed[dossier.pk]]
        # Steps follow one another in time, each recorded when it happened.
        times = [
            delivery.created_at,
            delivery.handed_at,
            delivery.in_transit_at,
            delivery.delivered_at or delivery.failed_at,
            delivery.returned_at,
        ]
        present = [t for t in times if t is not None]
        assert present == sorted(present) and present[-1] < NOW
        if delivery.handed_at:  # the courier collects the day's results at 16:30
            assert timezone.localtime(delivery.handed_at).time() == dt.time(16, 30)
    assert statuses["delivered"] > 0.8 * sum(statuses.values())
    assert statuses["returned_to_counter"] + statuses["failed"] > 0
    for dossier in Dossier.objects.filter(status="in_delivery"):
        assert dossier.deliveries.filter(direction="outbound", status__in=ACTIVE).count() == 1
    for dossier in Dossier.objects.filter(return_method="post"):
        assert dossier.deliveries.filter(status="delivered", direction="outbound").exists()


def test_dossiers_sent_in_by_post_have_their_item(generated):
    postal = Dossier.objects.filter(channel=3)
    inbound = Delivery.objects.filter(direction="inbound")
    assert postal.count() == inbound.count() > 100
    assert not inbound.exclude(dossier__channel=3).exists()
    for delivery in inbound.select_related("dossier"):
        assert delivery.status == "delivered"
        assert delivery.delivered_at == delivery.dossier.received_at < delivery.created_at
        assert delivery.created_by_id == delivery.dossier.received_by_id
        assert delivery.collected_amount == delivery.collection_charge == 0


def test_waybills_fees_and_addresses(generated):
    world, _ = generated
    codes = list(Delivery.objects.values_list("waybill_code", flat=True))
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert validate_s10(code) == code
    zones = Tally(Delivery.objects.values_list("zone", flat=True))
    assert zones["city"] > zones["province"] > zones["other"] > 0
    # The pilot's reference tariff before the city's own, from 01/09/2026 on.
    for delivery in Delivery.objects.filter(dossier__ward__city=world.city):
        day = timezone.localtime(delivery.created_at).date()
        if delivery.direction == "inbound":
            day = timezone.localtime(delivery.dossier.received_at).date()
        expected = {"city": 26_000, "province": 31_000, "other": 32_000}[delivery.zone]
        if day >= dt.date(2026, 9, 1):
            expected += 1_000
            assert delivery.tariff_id is not None
        else:
            assert delivery.tariff_id is None
        assert delivery.fee == expected
    collected = Delivery.objects.filter(collected_amount__gt=0)
    assert collected.exists()
    assert not collected.exclude(collected_amount=F("dossier__fee")).exists()


def test_the_pilot_wards_roster_covers_the_generated_months(generated):
    world, stats = generated
    assignments = Assignment.objects.all()
    assert stats.assignments == assignments.count() - 1  # the chief's own shift was kept
    assert not assignments.filter(ward=world.far_ward).exists()
    ours = assignments.filter(ward=world.ward, worker=world.postal_worker)
    first, last = min(ours.values_list("date", flat=True)), max(ours.values_list("date", flat=True))
    assert first <= dt.date(2026, 4, 15) and last == dt.date(2026, 11, 19)
    # The kept shift, and two tasks a day for each worker otherwise.
    assert ours.get(date=dt.date(2026, 10, 6), shift="morning").task_type == TaskType.GUIDANCE
    per_day = Tally(ours.values_list("date", flat=True))
    assert set(per_day.values()) == {2}
    second = assignments.filter(worker__username="postal2.phuhoa")
    assert second.exists()
    assert min(second.values_list("date", flat=True)) >= dt.date(2026, 9, 1)
    assert not assignments.filter(date__gte=dt.date(2026, 11, 20)).exists()
    assert assignments.filter(task_type=TaskType.OUT_OF_LIST_INTAKE).exists()
    assert not assignments.filter(
        task_type__in=[TaskType.INTAKE, TaskType.RESULT_RETURN], counter__isnull=True
    ).exists()
    # Each generated shift has its history line.
    created = AssignmentChange.objects.filter(action="created")
    assert created.count() == stats.assignments
    cancelled = assignments.filter(cancelled_at__isnull=False)
    assert AssignmentChange.objects.filter(action="cancelled").count() == cancelled.count()


def test_postal_intakes_follow_the_roster(generated):
    world, _ = generated
    on_intake = {
        (a.worker_id, a.date, a.shift)
        for a in Assignment.objects.active().filter(
            task_type__in=[TaskType.INTAKE, TaskType.OUT_OF_LIST_INTAKE]
        )
    }
    postal = Dossier.objects.filter(ward=world.ward, receiver_kind="postal_worker")
    assert postal.count() > 200
    for dossier in postal:
        local = timezone.localtime(dossier.received_at)
        shift = "morning" if local.hour < 12 else "afternoon"
        assert (dossier.received_by_id, local.date(), shift) in on_intake


def test_generating_again_adds_no_shift_and_keeps_waybills_unique(generated):
    _, first = generated
    before = Assignment.objects.count()
    again = DossierGenerator(count=500, years=0.6, seed=6, now=NOW).run()
    assert again.assignments == 0 and Assignment.objects.count() == before
    codes = list(Delivery.objects.values_list("waybill_code", flat=True))
    assert len(set(codes)) == len(codes) == first.deliveries + again.deliveries
