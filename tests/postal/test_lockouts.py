"""Sign-in lockouts: a username is locked from one address only, and the chief sees who is locked,
from where and until when, and lifts a lockout with an account event."""

import pytest
from django.conf import settings
from django.urls import reverse

from postal.models import AccountEvent
from postal.selectors import login_lockouts_for_chief
from tests.onestop.factories import PASSWORD

pytestmark = pytest.mark.django_db

DESK = "10.0.0.1"
OTHER_DESK = "10.0.0.2"
ACCOUNTS = reverse("postal:accounts")


def login(client, username, password, address=DESK):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def lock_out(client, username, address=DESK):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, username, "sai-mat-khau", address)
    assert login(client, username, PASSWORD, address).status_code == 429


def test_the_lock_is_the_pair_of_username_and_address():
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_a_colleague_at_one_desk_locks_the_account_out_of_that_desk_only(world, client):
    lock_out(client, "postal.phuhoa")
    assert login(client, "postal.phuhoa", PASSWORD, OTHER_DESK).status_code == 302
    client.logout()
    assert login(client, "officer.phuhoa", PASSWORD, DESK).status_code == 302


def test_the_chief_sees_who_is_locked_and_unlocks_with_an_event(world, client):
    lock_out(client, "postal.phuhoa")
    client.force_login(world.other_chief)
    assert "postal.phuhoa" not in client.get(ACCOUNTS).content.decode()
    unlock = reverse("postal:account-login-unlock", args=[world.postal_worker.pk])
    assert client.post(unlock, {"address": DESK}).status_code == 404

    client.force_login(world.chief)
    page = client.get(ACCOUNTS).content.decode()
    listed = page[page.index('id="login-lockouts"') :]
    assert "postal.phuhoa" in listed and DESK in listed
    (lockout,) = login_lockouts_for_chief(user=world.chief)
    assert (lockout.account, lockout.address) == (world.postal_worker, DESK)
    assert lockout.failures >= settings.AXES_FAILURE_LIMIT
    assert client.post(unlock, {"address": "khong-phai-dia-chi"}).status_code == 302
    assert client.post(unlock, {"address": DESK}).status_code == 302
    page = client.get(ACCOUNTS).content.decode()
    assert "Không có tài khoản nào đang bị khoá đăng nhập." in page
    event = AccountEvent.objects.get(action=AccountEvent.Action.LOGIN_UNLOCKED)
    assert (event.account, event.actor) == (world.postal_worker, world.chief)
    assert DESK in event.note

    client.logout()
    assert login(client, "postal.phuhoa", PASSWORD, DESK).status_code == 302
