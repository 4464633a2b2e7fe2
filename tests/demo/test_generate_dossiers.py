"""The data generator: right size, realistic mix, and rows the services would have written."""

import datetime as dt
from collections import Counter as Tally
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.generate.dossiers import DossierGenerator
from demo.generate.pins import generated_pin
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


# --- the generator's arithmetic, against the project's own -------------------------------------


def _instants(rng, first: dt.date, days: int):
    """Local moments at every boundary of the working day and at random times."""
    edges = [0, 6 * 3600, 7 * 3600, 9 * 3600 + 17, 11 * 3600 + 1800, 12 * 3600, 13 * 3600 + 1800,
             15 * 3600, 15 * 3600 + 1, 17 * 3600, 17 * 3600 + 1, 23 * 3600 + 59 * 60]  # fmt: skip
    for _ in range(1500):
        day = first + dt.timedelta(days=rng.randrange(days))
        second = rng.choice(edges) if rng.random() < 0.5 else rng.randrange(86_400)
        yield day.toordinal() * 86_400 + second


def test_working_clock_agrees_with_wards_calendar():
    import random

    from demo.generate.clock import WorkingClock, aware, local_seconds
    from wards import calendar

    # A city that swapped a day: Tết 2025, a day off added, a Saturday worked.
    cal = calendar.WorkingCalendar(
        extra_days_off=frozenset({dt.date(2025, 1, 24)}),
        extra_working_days=frozenset({dt.date(2025, 2, 8)}),
    )
    first = dt.date(2024, 12, 1)
    clock = WorkingClock(cal, first, dt.date(2026, 12, 31))
    rng = random.Random(3)
    for start in _instants(rng, first, 120):
        moment = aware(start)
        assert local_seconds(moment) == start
        days = rng.choice([0, 0, 1, 3, 15])
        assert aware(clock.appointment(start, days)) == calendar.appointment_at(moment, days, cal)
        for unit in (calendar.WORKING_DAYS, calendar.CALENDAR_DAYS):
            expected = calendar.term_appointment_at(moment, days, unit, cal)
            assert aware(clock.term(start, days, unit)) == expected
        assert clock.days[clock.working_day_index(start)] == (
            calendar.effective_day(moment, cal).toordinal()
        )
        seconds = rng.choice([0, 1800, 4 * 3600 + 1800, 8 * 3600, rng.randrange(40 * 3600)])
        expected = calendar.add_working_time(moment, dt.timedelta(seconds=seconds), cal)
        assert aware(clock.add(start, seconds)) == expected
        end = start + rng.randrange(20 * 86_400)
        between = calendar.working_time_between(moment, aware(end), cal)
        assert clock.between(start, end) == between.total_seconds()
        assert clock.timeliness(start, end) == calendar.timeliness(moment, aware(end))


def test_appointments_and_names_are_the_services_own(generated):
    from onestop.text import fold
    from wards import calendar
    from wards.selectors import working_calendar

    world, _ = generated
    cal = working_calendar(city_id=world.city.pk)
    unpaused = Dossier.objects.filter(ward__city=world.city, paused_seconds=0, supplement_count=0)
    assert unpaused.count() > 500
    for dossier in unpaused:
        promised = calendar.term_appointment_at(
            dossier.received_at, dossier.processing_days, dossier.term_unit, cal
        )
        assert dossier.appointment_at == promised
        assert dossier.applicant_name_search == fold(dossier.applicant_name)
    supplemented = Dossier.objects.filter(ward__city=world.city, supplement_count__gt=0)
    assert supplemented.exists()
    for dossier in supplemented:
        completions = list(dossier.events.filter(action="supplement").order_by("at"))
        if completions:
            # The term restarted in full from the last completion (the services' rule).
            promised = calendar.term_appointment_at(
                completions[-1].at, dossier.processing_days, dossier.term_unit, cal
            )
            assert dossier.appointment_at == promised == completions[-1].appointment_at


def test_final_fields_agree_with_the_status(generated):
    _, stats = generated
    dossiers = Dossier.objects.all()
    resolved = dossiers.filter(status__in=["result_ready", "in_delivery", "returned"])
    assert not resolved.filter(resolved_at__isnull=True).exists()
    assert not resolved.filter(timeliness="").exists()
    assert (
        not dossiers.exclude(status__in=["result_ready", "in_delivery", "returned"])
        .exclude(timeliness="")
        .exists()
    )
    returned = dossiers.filter(status="returned")
    assert not returned.filter(returned_at__isnull=True).exists()
    assert set(returned.values_list("return_method", flat=True)) == {"counter", "post"}
    assert not dossiers.exclude(status="returned").exclude(return_method="").exists()
    assert (
        not dossiers.exclude(status="needs_supplement").filter(paused_since__isnull=False).exists()
    )
    # The satisfaction of about four returns in five, mostly satisfied.
    rated = returned.filter(satisfaction__isnull=False).count() / returned.count()
    assert 0.7 < rated < 0.9
    assert (
        returned.filter(satisfaction__gte=4).count()
        > 0.7 * returned.filter(satisfaction__isnull=False).count()
    )
    assert dict(stats.by_status) == dict(Tally(dossiers.values_list("status", flat=True)))


# --- the same seed, the same history --------------------------------------------------------------


class _Undo(Exception):
    pass


def _snapshot():
    """Every generated row by its natural key, without surrogate ids."""
    from postal.deliveries.models import Delivery
    from postal.models import Assignment

    return {
        "dossiers": sorted(
            Dossier.objects.values_list(
                "code",
                "status",
                "received_at",
                "appointment_at",
                "resolved_at",
                "returned_at",
                "applicant_name",
                "applicant_id_number",
                "received_by_id",
                "lookup_pin_hash",
                "channel",
                "procedure_id",
                "satisfaction",
            )
        ),
        "events": sorted(
            DossierEvent.objects.values_list(
                "dossier__code", "at", "action", "actor_id", "note", "from_unit", "to_unit"
            )
        ),
        "deliveries": sorted(
            Delivery.objects.values_list(
                "waybill_code",
                "dossier__code",
                "status",
                "created_at",
                "delivered_at",
                "fee",
                "street",
            )
        ),
        "assignments": sorted(
            Assignment.objects.values_list(
                "worker_id", "date", "shift", "task_type", "cancelled_at"
            )
        ),
    }


def _generate_and_undo(**kwargs):
    from django.db import transaction

    try:
        with transaction.atomic():
            DossierGenerator(now=NOW, years=0.4, count=600, chunk=150, **kwargs).run()
            snapshot = _snapshot()
            raise _Undo
    except _Undo:
        return snapshot


def test_the_same_seed_gives_the_same_rows_whatever_the_processes(world):
    ProcedureFactory(code="2.000815", processing_days=0, fee=10_000)
    ProcedureFactory(code="1.004873", processing_days=3)
    UserFactory(officer=True, ward=world.far_ward)
    first = _generate_and_undo(seed=11, processes=1)
    assert len(first["dossiers"]) == 600 and first["deliveries"] and first["assignments"]
    assert Dossier.objects.count() == 0
    assert _generate_and_undo(seed=11, processes=1) == first
    assert _generate_and_undo(seed=11, processes=2) == first
    other = _generate_and_undo(seed=12, processes=1)
    assert other["dossiers"] != first["dossiers"]
