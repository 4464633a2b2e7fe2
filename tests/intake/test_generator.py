"""The data generator: right size, realistic mix, and rows the services would have written."""

import datetime as dt
from collections import Counter as Tally
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.utils import timezone

from intake.generator import DossierGenerator, generated_pin
from intake.lifecycle import TRANSITIONS, Action
from intake.models import Dossier, DossierEvent, Status
from intake.services import dossier_receive, lookup_pin_matches
from tests.intake.factories import ProcedureFactory
from tests.onestop.factories import UserFactory

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def generated(world):
    for code in ["2.000815", "1.001193", "1.004873", "1.000656"]:
        ProcedureFactory(code=code, processing_days=0 if code != "1.004873" else 3)
    ProcedureFactory(code="9.000001", processing_days=None)  # unverified: never generated
    UserFactory(postal_worker=True, ward=world.ward)
    for ward in (world.other_ward, world.far_ward):
        UserFactory(officer=True, ward=ward)
    stats = DossierGenerator(count=1200, years=0.5, seed=7, now=NOW, chunk=700).run()
    return world, stats


def test_generates_exactly_the_count_with_unique_codes(generated):
    _, stats = generated
    assert stats.dossiers == Dossier.objects.count() == 1200
    assert Dossier.objects.values("code").distinct().count() == 1200
    assert DossierEvent.objects.count() == stats.events
    assert not Dossier.objects.filter(procedure__processing_days__isnull=True).exists()
    assert not Dossier.objects.filter(received_at__gte=NOW).exists()


def test_codes_are_consecutive_per_ward_and_day(generated):
    numbers = defaultdict(list)
    for code, received_at in Dossier.objects.order_by("received_at").values_list(
        "code", "received_at"
    ):
        prefix, day, number = code.rsplit("-", 2)
        assert day == timezone.localtime(received_at).strftime("%y%m%d")
        numbers[(prefix, day)].append(int(number))
    for sequence in numbers.values():
        assert sequence == list(range(1, len(sequence) + 1))


def test_mix_is_realistic(generated):
    world, stats = generated
    channels = Tally(Dossier.objects.values_list("channel", flat=True))
    assert 0.75 < channels[1] / 1200 < 0.85
    assert 0.06 < channels[2] / 1200 < 0.14
    assert 0.06 < channels[3] / 1200 < 0.14
    assert 0.06 < stats.late / stats.resolved < 0.18
    pilot = Dossier.objects.filter(ward__pilot_phase__gt=0)
    postal_share = pilot.filter(receiver_kind="postal_worker").count() / pilot.count()
    assert 0.4 < postal_share < 0.6
    assert not Dossier.objects.filter(ward=world.far_ward, receiver_kind="postal_worker").exists()
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {Status.RETURNED, Status.REFUSED, Status.WITHDRAWN, Status.RESULT_READY} <= statuses


def test_events_replay_the_lifecycle_to_the_final_status(generated):
    events = defaultdict(list)
    for event in DossierEvent.objects.order_by("at", "id"):
        events[event.dossier_id].append(event)
    for dossier in Dossier.objects.all():
        history = events[dossier.pk]
        assert history[0].action == Action.RECEIVE
        status = Status.RECEIVED
        for event in history[1:]:
            assert event.from_status == status
            assert TRANSITIONS[status][Action(event.action)].target == event.to_status
            status = Status(event.to_status)
            assert dossier.received_at <= event.at < NOW
        assert status == dossier.status


def test_intake_after_generation_continues_the_day_sequence(generated):
    world, _ = generated
    last = Dossier.objects.filter(ward=world.ward).order_by("-received_at").first()
    day = timezone.localtime(last.received_at)
    receipt = dossier_receive(
        user=world.officer,
        procedure=last.procedure,
        channel=1,
        applicant_name="Trần Văn Bình",
        applicant_id_number="074090001234",
        applicant_address="1 Yersin",
        received_at=day + dt.timedelta(minutes=1),
    )
    same_day = Dossier.objects.filter(ward=world.ward, code__contains=f"-{day:%y%m%d}-")
    assert int(receipt.dossier.code.rsplit("-", 1)[1]) == same_day.count()


def test_generated_pins_open_the_status_page(generated):
    dossier = Dossier.objects.order_by("?").first()
    assert lookup_pin_matches(dossier, generated_pin(7, dossier.code))
    assert not lookup_pin_matches(dossier, "000000x")


def test_command_reports_and_refuses_bad_arguments(world, capsys):
    ProcedureFactory(code="2.000815", processing_days=0)
    call_command("generate_dossiers", count=50, years=1, seed=2, no_progress=True)
    assert Dossier.objects.count() == 50
    with pytest.raises(Exception, match="--count"):
        call_command("generate_dossiers", count=0, no_progress=True)
