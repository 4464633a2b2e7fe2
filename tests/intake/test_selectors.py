"""Scoped reads of dossiers: who sees what, the list's filters and its search."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from intake.models import Dossier
from intake.selectors import (
    DossierFilters,
    dossier_events,
    dossier_for_user,
    dossier_list,
    dossiers_for_user,
    dossiers_in_working_ward,
)
from onestop import clock
from tests.intake.factories import DossierEventFactory, DossierFactory, ProcedureFactory
from tests.onestop.factories import UserFactory
from tests.wards.factories import CalendarExceptionFactory
from wards.calendar import VIETNAM_TZ


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def listed(user, **filters) -> set[str]:
    return codes(dossier_list(user=user, filters=DossierFilters(**filters)))


@pytest.fixture
def dossiers(world):
    """One dossier in each ward of the world: home, other ward of the city, other city."""
    return {
        "home": DossierFactory(ward=world.ward, applicant_name="Nguyễn Thị Mai"),
        "other": DossierFactory(ward=world.other_ward, applicant_name="Nguyễn Thị Mai"),
        "far": DossierFactory(ward=world.far_ward, applicant_name="Nguyễn Thị Mai"),
    }


# --- scope -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "visible"),
    [
        ("postal_worker", {"home"}),
        ("officer", {"home"}),
        ("chief", {"home"}),
        ("city_admin", {"home", "other"}),
        ("other_postal_worker", {"other"}),
        ("other_chief", {"other"}),
        ("other_city_admin", {"far"}),
    ],
)
def test_each_role_reads_its_ward_or_its_city(world, dossiers, actor, visible):
    user = getattr(world, actor)
    expected = {dossiers[name].code for name in visible}
    assert codes(dossiers_for_user(user=user)) == expected
    assert listed(user) == expected
    # The same name everywhere: search never crosses the scope either.
    assert listed(user, q="nguyen thi mai") == expected
    for name, dossier in dossiers.items():
        if name in visible:
            assert dossier_for_user(user=user, code=dossier.code) == dossier
        else:
            with pytest.raises(Dossier.DoesNotExist):
                dossier_for_user(user=user, code=dossier.code)


def test_only_ward_staff_act_and_only_in_their_ward(world, dossiers):
    assert codes(dossiers_in_working_ward(user=world.officer)) == {dossiers["home"].code}
    assert codes(dossiers_in_working_ward(user=world.other_postal_worker)) == {
        dossiers["other"].code
    }
    assert not dossiers_in_working_ward(user=world.city_admin).exists()


def test_anonymous_inactive_and_roleless_users_read_nothing(world, dossiers):
    world.officer.is_active = False
    world.officer.save()
    assert not dossiers_for_user(user=AnonymousUser()).exists()
    assert not dossiers_for_user(user=world.officer).exists()
    assert not dossiers_in_working_ward(user=world.officer).exists()
    superuser = UserFactory(superuser=True)
    assert codes(dossiers_for_user(user=superuser)) == {d.code for d in dossiers.values()}
    assert not dossiers_in_working_ward(user=superuser).exists()


def test_a_city_admin_narrows_to_one_ward(world, dossiers):
    assert listed(world.city_admin, ward=world.other_ward.slug) == {dossiers["other"].code}
    # A ward of another city is simply empty, never a way out of scope.
    assert listed(world.city_admin, ward=world.far_ward.slug) == set()
    assert listed(world.officer, ward=world.other_ward.slug) == set()


# --- filters -----------------------------------------------------------------------------------


def test_filters(world):
    ward = world.ward
    procedure = ProcedureFactory(code="1.001193")
    received = DossierFactory(ward=ward, procedure=procedure)
    processing = DossierFactory(ward=ward, processing=True)
    online = DossierFactory(ward=ward, online=True, returned=True)
    by_post = DossierFactory(ward=ward, by_post=True, refused=True)
    postal = DossierFactory(ward=ward, by_postal_worker=True, withdrawn=True)
    late = DossierFactory(ward=ward, late=True)
    early = DossierFactory(ward=ward, early=True)
    out_of_list = DossierFactory(ward=ward, by_postal_worker=True, out_of_list=True)
    user = world.officer

    assert listed(user, status="processing") == {processing.code}
    assert listed(user, status="returned") == {online.code}
    assert listed(user, procedure="1.001193") == {received.code}
    assert listed(user, channel=2) == {online.code}
    assert listed(user, channel=3) == {by_post.code}
    assert listed(user, receiver_kind="postal_worker") == {postal.code, out_of_list.code}
    assert listed(user, out_of_list=True) == {out_of_list.code}
    assert out_of_list.code not in listed(user, out_of_list=False)
    assert listed(user, timeliness="late") == {late.code}
    assert listed(user, timeliness="early") >= {early.code}
    assert late.code not in listed(user, timeliness="early")


def test_overdue_and_due_soon(world):
    ward = world.ward
    overdue = DossierFactory(ward=ward, overdue=True)
    overdue_but_finished = DossierFactory(ward=ward, late=True)
    due_soon = DossierFactory(ward=ward, procedure=ProcedureFactory(processing_days=1))
    far_off = DossierFactory(ward=ward, procedure=ProcedureFactory(processing_days=15))
    assert listed(world.officer, overdue=True) == {overdue.code}
    assert overdue_but_finished.code not in listed(world.officer, overdue=True)
    assert listed(world.officer, due_soon=True) == {due_soon.code}
    assert far_off.code not in listed(world.officer, due_soon=True)


def test_received_range_counts_local_days(world):
    def on(*args):
        return DossierFactory(ward=world.ward, received_at=dt.datetime(*args, tzinfo=VIETNAM_TZ))

    before = on(2026, 3, 9, 23, 59)
    first = on(2026, 3, 10, 0, 30)  # 9 March in UTC
    last = on(2026, 3, 11, 23, 30)  # 11 March in UTC too, but late in the local day
    after = on(2026, 3, 12, 0, 10)
    user = world.officer
    got = listed(user, received_from=dt.date(2026, 3, 10), received_to=dt.date(2026, 3, 11))
    assert got == {first.code, last.code}
    assert listed(user, received_from=dt.date(2026, 3, 12)) >= {after.code}
    assert before.code not in listed(user, received_from=dt.date(2026, 3, 10))
    assert listed(user, received_to=dt.date(2026, 3, 9)) == {before.code}


# --- search ------------------------------------------------------------------------------------


@pytest.fixture
def people(world):
    return {
        "mai": DossierFactory(
            ward=world.ward, applicant_name="Nguyễn Thị Mai", applicant_id_number="074190001234"
        ),
        "duc": DossierFactory(
            ward=world.ward, applicant_name="Trần Đức Anh", applicant_id_number="074085005678"
        ),
        "hoa": DossierFactory(
            ward=world.ward, applicant_name="Lê Thị Hòa", applicant_id_number="079301009999"
        ),
    }


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("nguyen thi mai", {"mai"}),
        ("Nguyễn Thị Mai", {"mai"}),
        ("NGUYEN", {"mai"}),
        ("mai nguyen", {"mai"}),  # words in any order
        ("  thi   ", {"mai", "hoa"}),
        ("thi hoa", {"hoa"}),
        ("duc", {"duc"}),  # đ is searched as d
        ("Đức", {"duc"}),
        ("hoa mai", set()),  # every word must match
        ("074190001234", {"mai"}),  # citizen ID, exact
        ("07419000", set()),  # a part of an ID finds nothing
        ("079301009999", {"hoa"}),
        ("zzz", set()),
    ],
)
def test_search(world, people, q, expected):
    assert listed(world.officer, q=q) == {people[name].code for name in expected}


def test_search_by_code(world, people):
    code = people["duc"].code
    assert listed(world.officer, q=code) == {code}
    assert listed(world.officer, q=f"  {code} ") == {code}
    # A code of another ward, even a real one, is not in scope.
    elsewhere = DossierFactory(ward=world.other_ward)
    assert listed(world.officer, q=elsewhere.code) == set()


def test_search_by_the_code_without_the_unit_identifier(world):
    moment = dt.datetime(2026, 12, 8, 23, 30, tzinfo=VIETNAM_TZ)  # late: 16:30 UTC, same day
    dossier = DossierFactory(ward=world.ward, received_at=moment, code="000.00.12.H13-261208-0001")
    DossierFactory(ward=world.ward, received_at=moment, code="000.00.12.H13-261208-0011")
    elsewhere = DossierFactory(
        ward=world.far_ward, received_at=moment, code="000.00.31.H13-261208-0001"
    )
    assert listed(world.officer, q="261208-0001") == {dossier.code}
    assert listed(world.officer, q="261208-1") == {dossier.code}
    assert listed(world.officer, q="261207-0001") == set()
    assert elsewhere.code not in listed(world.officer, q="261208-0001")


def test_the_list_is_newest_first_in_one_query(world, django_assert_num_queries):
    for hours in (5, 1, 3):
        DossierFactory(ward=world.ward, age=dt.timedelta(hours=hours))
    with django_assert_num_queries(1):
        rows = list(dossier_list(user=world.officer, filters=DossierFilters()))
        assert [r.ward.name for r in rows] and [r.procedure.code for r in rows]
    times = [r.received_at for r in rows]
    assert times == sorted(times, reverse=True)


def test_events_in_order(world):
    dossier = DossierFactory(ward=world.ward, processing=True)
    receipt = DossierEventFactory(dossier=dossier)
    transfer = DossierEventFactory(
        dossier=dossier,
        at=dossier.received_at + dt.timedelta(minutes=5),
        action="transfer",
        from_status="received",
        to_status="processing",
    )
    assert list(dossier_events(dossier=dossier)) == [receipt, transfer]


def test_due_soon_counts_working_days_of_the_users_city(world):
    now = dt.datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM_TZ)  # Tuesday
    with clock.frozen_at(now):
        # Received Monday 10:00 with three days → due Thursday 10:00.
        dossier = DossierFactory(ward=world.ward, age=dt.timedelta(hours=23))
    assert dossier.appointment_at == dt.datetime(2026, 3, 12, 10, 0, tzinfo=VIETNAM_TZ)
    with clock.frozen_at(now):
        # Two working days from Tuesday 09:00 end on Thursday 09:00: not yet.
        assert listed(world.officer, due_soon=True) == set()
        # The city gives Wednesday off: two working days now reach Friday 09:00.
        CalendarExceptionFactory(city=world.city, date=dt.date(2026, 3, 11))
        assert listed(world.officer, due_soon=True) == {dossier.code}
        assert listed(world.city_admin, due_soon=True) == {dossier.code}
    with clock.frozen_at(dt.datetime(2026, 3, 12, 10, 1, tzinfo=VIETNAM_TZ)):
        assert listed(world.officer, overdue=True) == {dossier.code}
        assert listed(world.officer, due_soon=True) == set()
