"""The demo's year of dossiers: replayed through the services, coherent, deterministic."""

import datetime as dt
import itertools
from collections import Counter

import pytest
from django.db.models import Count

from demo.seed import catalogue
from demo.seed import dossiers as demo
from demo.seed.applicants import Applicant
from intake.models import Dossier, DossierEvent, DossierSequence, Status
from intake.services import calendars_cached
from intake.validators import normalize_phone, validate_citizen_id
from onestop import clock
from onestop.errors import NotAllowed
from onestop.models import Role
from tests.onestop.factories import UserFactory
from wards.calendar import VIETNAM_TZ
from wards.selectors import national_calendar

# Friday 13 March 2026, 16:00: the demo year runs from March 2025 to this moment.
END = dt.datetime(2026, 3, 13, 16, 0, tzinfo=VIETNAM_TZ)


@pytest.fixture
def city(world, settings):
    # Postal workers receive on their own here; postal's rule is tested with postal.
    settings.INTAKE_RULES = []
    settings.DEMO_DOSSIERS_PER_WARD = "150-300"
    catalogue.seed_catalogue()
    for ward in (world.ward, world.other_ward):
        UserFactory(postal_worker=True, ward=ward)  # a second postal worker, as in pilots
    return world


def test_a_year_of_dossiers_through_the_services(city):
    with clock.frozen_at(END):
        demo.seed_dossiers()

    wards = dict(Dossier.objects.values_list("ward_id").annotate(n=Count("id")).order_by())
    # The far ward has no staff to receive anything, so it is left alone.
    assert set(wards) == {city.ward.pk, city.other_ward.pk}
    assert all(150 <= n <= 300 for n in wards.values()), wards
    dossiers = list(Dossier.objects.prefetch_related("events"))
    year_ago = END - dt.timedelta(days=365)
    assert all(year_ago <= d.received_at <= END for d in dossiers)

    # Codes: each ward's day numbered 1..N in the order of receipt, as the sequence says.
    by_day = {}
    for d in sorted(dossiers, key=lambda d: (d.received_at, d.pk)):
        prefix, number = d.code.rsplit("-", 1)
        by_day.setdefault(prefix, []).append(int(number))
        assert prefix.startswith(d.ward.unit_identifier)
    for prefix, numbers in by_day.items():
        assert numbers == list(range(1, len(numbers) + 1)), prefix
    assert sum(s.last_number for s in DossierSequence.objects.all()) == len(dossiers)

    # Events: a receipt first, then a chain of steps ending in the dossier's status, each
    # inside working hours and never after the demo's "now".
    national = national_calendar()
    for d in dossiers:
        events = sorted(d.events.all(), key=lambda e: (e.at, e.pk))
        assert events[0].action == "receive" and events[0].at == d.received_at
        assert events[-1].to_status == d.status
        for before, after in itertools.pairwise(events):
            assert after.from_status == before.to_status
            assert before.at <= after.at <= END
        for event in events:
            local = event.at.astimezone(VIETNAM_TZ)
            # Working days include make-up Saturdays (26/4/2025 for Friday 2/5, and 10/1/2026
            # for Friday 2/1 by the official swaps).
            assert national.is_working_day(local.date()), event
            assert dt.time(7) <= local.time() <= dt.time(17), event
            assert not dt.time(11, 30) < local.time() < dt.time(13, 30), event

    statuses = Counter(d.status for d in dossiers)
    for status in (Status.RETURNED, Status.REFUSED, Status.WITHDRAWN, Status.PROCESSING):
        assert statuses[status], statuses
    assert statuses[Status.RETURNED] > 0.75 * len(dossiers)

    resolved = [d for d in dossiers if d.timeliness]
    late = sum(d.timeliness == "late" for d in resolved) / len(resolved)
    assert 0.05 <= late <= 0.2, late
    assert any(d.apology_appointment_at for d in dossiers)
    assert any(d.supplement_count for d in dossiers)
    returned = [d for d in dossiers if d.status == Status.RETURNED]
    rated = sum(d.satisfaction is not None for d in returned) / len(returned)
    assert 0.75 <= rated <= 0.95

    channels = Counter(d.channel for d in dossiers)
    assert 0.7 <= channels[1] / len(dossiers) <= 0.9, channels
    assert channels[2] and channels[3]
    postal = sum(d.receiver_kind == "postal_worker" for d in dossiers) / len(dossiers)
    # With no rule holding them back, postal workers take most walk-in intake of the eligible
    # procedures; in the demo, the chief's widening grants bring that down to about half.
    assert 0.5 <= postal <= 0.8, postal

    # The common procedures dominate; nothing without a verified processing time.
    top = Counter(d.procedure.code for d in dossiers).most_common(3)
    assert {code for code, _ in top} <= {"2.000815", "1.001193", "1.004873", "2.000884"}
    assert all(d.procedure.processing_days is not None for d in dossiers)

    # Applicants as a Thủ Dầu Một counter sees them.
    for d in dossiers:
        validate_citizen_id(d.applicant_id_number)
        normalize_phone(d.applicant_phone)
        assert str(d.ward) in d.applicant_address and "Thủ Dầu Một" in d.applicant_address
    provinces = Counter(d.applicant_id_number[:3] for d in dossiers)
    assert provinces.most_common(1)[0][0] == "074"

    # Idempotent: a second run adds nothing.
    count, events = Dossier.objects.count(), DossierEvent.objects.count()
    with clock.frozen_at(END + dt.timedelta(days=1)):
        demo.seed_dossiers()
    assert (Dossier.objects.count(), DossierEvent.objects.count()) == (count, events)


def replay(world, ward):
    staff = {}
    for user in ward.staff.all():
        staff.setdefault(user.role, []).append(user)
    return demo._WardReplay(
        ward,
        staff,
        list(ward.counters.all()),
        list(demo.Procedure.objects.filter(processing_days__isnull=False).order_by("code")),
        END - dt.timedelta(days=365),
        END,
    )


def test_the_replay_is_deterministic(city):
    with calendars_cached():
        first, second = replay(city, city.ward), replay(city, city.ward)
        other = replay(city, city.other_ward)
    assert first.moments == second.moments
    assert first.moments != other.moments
    names = [Applicant(first.rng, city.ward).name for _ in range(5)]
    assert names == [Applicant(second.rng, city.ward).name for _ in range(5)]


def refuse_postal_workers(request) -> bool:
    if request.user.role == Role.POSTAL_WORKER:
        raise NotAllowed("Chưa được giao thủ tục.")
    return False


def test_an_intake_rule_that_refuses_postal_workers_leaves_intake_to_officers(city, settings):
    settings.INTAKE_RULES = ["tests.demo.test_seed_dossiers.refuse_postal_workers"]
    with calendars_cached():
        ward_replay = replay(city, city.ward)
        ward_replay.moments = ward_replay.moments[:40]
        with clock.frozen_at(END):
            ward_replay.run()
    kinds = set(Dossier.objects.values_list("receiver_kind", flat=True))
    assert Dossier.objects.count() == 40
    assert kinds == {"officer"}
