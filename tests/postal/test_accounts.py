"""The chief manages the ward's postal accounts and counters; the guidance log."""

import datetime as dt

import pytest
from django.contrib.auth.backends import ModelBackend
from django.db import IntegrityError, transaction

from onestop.errors import Conflict, InvalidInput, NotAllowed
from onestop.models import User
from postal.models import AccountEvent, Assignment, CounterChange, GuidanceSession
from postal.services import (
    account_password_changed,
    counter_create,
    counter_update,
    guidance_log,
    postal_account_create,
    postal_account_deactivate,
    postal_account_reactivate,
    postal_account_reset_password,
    postal_profile_update,
)
from postal.services.accounts import generate_password
from tests.intake.factories import ProcedureFactory
from tests.onestop.factories import PASSWORD
from tests.postal.conftest import FRIDAY, MONDAY
from tests.postal.factories import AssignmentFactory

pytestmark = pytest.mark.usefixtures("friday")


def create(world, **kwargs):
    values = {
        "user": world.chief,
        "username": "Postal3.PhuHoa",
        "last_name": "Đỗ Thị",
        "first_name": "Thu",
        "post_office_code": "BD-0457",
        "post_office_unit": "Bưu điện Thủ Dầu Một",
        "phone": "0912 345 678",
        "in_ward_since": dt.date(2026, 3, 2),
        **kwargs,
    }
    return postal_account_create(**values)


def test_the_chief_creates_a_postal_account_with_a_one_time_password(world):
    created = create(world)
    account = created.user
    assert account.username == "postal3.phuhoa"
    assert (account.role, account.ward) == ("postal_worker", world.ward)
    assert account.must_change_password
    assert account.check_password(created.password)
    profile = account.postal_profile
    assert (profile.post_office_code, profile.phone) == ("BD-0457", "0912345678")
    assert profile.in_ward_since == dt.date(2026, 3, 2)
    event = account.account_events.get()
    assert (event.action, event.actor, event.at) == ("created", world.chief, FRIDAY)


def test_passwords_are_readable_and_random():
    passwords = {generate_password() for _ in range(50)}
    assert len(passwords) == 50
    for password in passwords:
        assert len(password) == 14
        assert not set(password) & set("01lIoO")


def test_a_username_is_taken_once(world):
    create(world)
    with pytest.raises(Conflict) as refusal:
        create(world, username="POSTAL3.phuhoa")
    assert refusal.value.field == "username"


@pytest.mark.parametrize("username", ["ab", "có dấu", "a b", "-x-"])
def test_a_username_is_plain_ascii(world, username):
    with pytest.raises(InvalidInput) as refusal:
        create(world, username=username)
    assert refusal.value.field == "username"


def test_a_phone_number_is_checked(world):
    with pytest.raises(InvalidInput) as refusal:
        create(world, phone="12345")
    assert refusal.value.field == "phone"


@pytest.mark.parametrize("actor", ["postal_worker", "officer", "city_admin"])
def test_only_a_chief_manages_accounts(world, actor):
    with pytest.raises(NotAllowed):
        create(world, user=getattr(world, actor))
    with pytest.raises(NotAllowed):
        postal_account_reset_password(user=getattr(world, actor), account_id=world.postal_worker.pk)


def test_a_chief_manages_only_their_wards_postal_accounts(world):
    for account in (world.other_postal_worker, world.officer, world.chief):
        with pytest.raises(User.DoesNotExist):
            postal_account_deactivate(user=world.chief, account_id=account.pk, note="x")


def test_deactivation_keeps_the_account_and_cancels_its_coming_shifts(world):
    past = AssignmentFactory(ward=world.ward, worker=world.postal_worker, date=dt.date(2026, 3, 2))
    coming = AssignmentFactory(ward=world.ward, worker=world.postal_worker, date=MONDAY)
    account, cancelled = postal_account_deactivate(
        user=world.chief, account_id=world.postal_worker.pk, note="Chuyển công tác"
    )
    assert cancelled == 1
    assert not account.is_active
    assert User.objects.filter(pk=account.pk).exists()
    coming.refresh_from_db()
    past.refresh_from_db()
    assert coming.is_cancelled and "Chuyển công tác" in coming.cancel_note
    assert not past.is_cancelled
    assert coming.changes.filter(action="cancelled").count() == 1
    # Locked out of the application.
    assert ModelBackend().authenticate(None, account.username, PASSWORD) is None
    again, _ = postal_account_deactivate(user=world.chief, account_id=account.pk, note="lại")
    assert account.account_events.filter(action="deactivated").count() == 1
    reactivated = postal_account_reactivate(user=world.chief, account_id=again.pk)
    assert reactivated.is_active
    assert Assignment.objects.get(pk=coming.pk).is_cancelled  # stays cancelled
    assert [e.action for e in account.account_events.order_by("id")] == [
        "deactivated",
        "reactivated",
    ]


def test_deactivation_needs_a_reason(world):
    with pytest.raises(InvalidInput):
        postal_account_deactivate(user=world.chief, account_id=world.postal_worker.pk, note="")


def test_a_reset_password_is_new_and_must_be_changed(world):
    reset = postal_account_reset_password(user=world.chief, account_id=world.postal_worker.pk)
    assert reset.user.must_change_password
    assert reset.user.check_password(reset.password)
    account_password_changed(user=reset.user)
    reset.user.refresh_from_db()
    assert not reset.user.must_change_password
    actions = set(reset.user.account_events.values_list("action", flat=True))
    assert actions == {"password_reset", "password_changed"}


def test_the_profile_update_logs_what_changed(world):
    postal_profile_update(
        user=world.chief,
        account_id=world.postal_worker.pk,
        post_office_unit="Bưu cục Phú Hòa",
        phone="0987654321",
    )
    event = AccountEvent.objects.get(account=world.postal_worker)
    assert event.action == "profile_updated"
    assert "số điện thoại" in event.note and "đơn vị bưu điện" in event.note
    world.postal_worker.refresh_from_db()
    assert world.postal_worker.postal_profile.post_office_unit == "Bưu cục Phú Hòa"
    # The same values again: nothing to log.
    postal_profile_update(user=world.chief, account_id=world.postal_worker.pk, phone="0987 654 321")
    assert AccountEvent.objects.count() == 1


def test_account_history_is_append_only(world):
    created = create(world)
    event = created.user.account_events.get()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()


# --- counters --------------------------------------------------------------------------------


def test_the_chief_opens_and_changes_counters_with_history(world):
    counter = counter_create(user=world.chief, number=7, name="Quầy Bưu điện 2", kind="postal")
    assert (counter.ward, counter.active) == (world.ward, True)
    changed = counter_update(
        user=world.chief,
        counter_id=counter.pk,
        number=7,
        name="Quầy Bưu điện 2",
        kind="postal",
        has_computer=False,
        has_signage=True,
        active=True,
    )
    assert not changed.has_computer
    changes = CounterChange.objects.filter(counter=counter).order_by("id")
    assert [c.before.get("has_computer") for c in changes] == [None, True]
    assert changes.last().after["has_computer"] is False


def test_counter_numbers_are_unique_in_the_ward(world):
    with pytest.raises(Conflict) as refusal:
        counter_create(
            user=world.chief, number=world.postal_counter.number, name="X", kind="postal"
        )
    assert refusal.value.field == "number"
    # The other ward's number 1 does not matter.
    counter_create(user=world.other_chief, number=5, name="X", kind="officer")


def test_a_counter_with_coming_shifts_does_not_close(world):
    AssignmentFactory(ward=world.ward, worker=world.postal_worker, counter=world.postal_counter)
    c = world.postal_counter
    with pytest.raises(Conflict, match="1 phân công"):
        counter_update(
            user=world.chief,
            counter_id=c.pk,
            number=c.number,
            name=c.name,
            kind=c.kind,
            has_computer=c.has_computer,
            has_signage=c.has_signage,
            active=False,
        )


def test_the_chief_changes_only_their_wards_counters(world):
    from wards.models import Counter

    with pytest.raises(Counter.DoesNotExist):
        counter_update(
            user=world.chief,
            counter_id=world.other_counter.pk,
            number=3,
            name="x",
            kind="postal",
            has_computer=True,
            has_signage=True,
            active=True,
        )
    with pytest.raises(NotAllowed):
        counter_create(user=world.officer, number=8, name="x", kind="postal")


# --- guidance --------------------------------------------------------------------------------


def test_guidance_is_logged_in_a_few_keystrokes(world):
    procedure = ProcedureFactory(name="Đăng ký khai sinh")
    session = guidance_log(
        user=world.postal_worker, topic="", outcome="guided", procedure=procedure
    )
    assert (session.ward, session.worker, session.at) == (world.ward, world.postal_worker, FRIDAY)
    assert session.topic == "Đăng ký khai sinh"


def test_guidance_needs_a_topic_and_an_outcome(world):
    with pytest.raises(InvalidInput) as refusal:
        guidance_log(user=world.postal_worker, topic=" ", outcome="guided")
    assert refusal.value.field == "topic"
    with pytest.raises(InvalidInput) as refusal:
        guidance_log(user=world.postal_worker, topic="Hỏi lệ phí", outcome="chatted")
    assert refusal.value.field == "outcome"
    with pytest.raises(InvalidInput):
        guidance_log(
            user=world.postal_worker,
            topic="Hỏi lệ phí",
            outcome="guided",
            counter=world.other_counter,
        )
    with pytest.raises(NotAllowed):
        guidance_log(user=world.city_admin, topic="Hỏi lệ phí", outcome="guided")


def test_the_database_checks_guidance(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        GuidanceSession.objects.create(
            ward=world.ward, worker=world.postal_worker, at=FRIDAY, topic="", outcome="guided"
        )
