"""API tokens and the one-time password: the first change is required on the API too; tokens end
with a password change or reset and a locked account, expire when idle or old, and the chief sees
and revokes a worker's tokens."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from onestop import clock
from onestop.models import ApiToken
from onestop.tokens import api_token_issue
from postal.models import AccountEvent
from postal.services import (
    postal_account_deactivate,
    postal_account_reactivate,
    postal_account_reset_password,
)
from tests.onestop.factories import PASSWORD
from wards.calendar import VIETNAM_TZ

pytestmark = pytest.mark.django_db

ME = reverse("api-me")
NINE = dt.datetime(2026, 3, 16, 9, 0, tzinfo=VIETNAM_TZ)
MUST_CHANGE = "Tài khoản đang dùng mật khẩu tạm thời"
STRONG = "Bưu-điện-Phú-Hòa-2026"


def with_token(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def ask_token(username: str, password: str = PASSWORD) -> str:
    response = APIClient().post(reverse("api-token"), {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


@pytest.fixture
def newcomer(world):
    """A postal worker on the one-time password the chief handed over."""
    worker = world.postal_worker
    worker.must_change_password = True
    worker.save(update_fields=["must_change_password"])
    return worker


# --- the one-time password on the API ---------------------------------------------------------


def test_a_session_on_the_one_time_password_gets_403_with_the_reason(newcomer):
    api = APIClient()
    api.force_login(newcomer)
    for url in (ME, reverse("dossier-list"), reverse("assignment-list")):
        response = api.get(url)
        assert response.status_code == 403, url
        assert MUST_CHANGE in response.json()["detail"]


def test_a_token_is_issued_but_answers_403_until_the_password_is_changed(newcomer, client):
    key = ask_token(newcomer.username)
    response = with_token(key).get(ME)
    assert response.status_code == 403
    assert MUST_CHANGE in response.json()["detail"]

    client.force_login(newcomer)
    changed = client.post(
        reverse("postal:password-change"),
        {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG},
    )
    assert changed.status_code == 302
    assert with_token(key).get(ME).status_code == 403  # the change ended the old token
    assert with_token(ask_token(newcomer.username, STRONG)).get(ME).status_code == 200
    ended = ApiToken.objects.get(revoked_at__isnull=False)
    assert ended.revoked_reason == ApiToken.Ended.PASSWORD_CHANGED


# --- tokens end ---------------------------------------------------------------------------------


def test_asking_twice_answers_the_same_token_and_the_key_is_not_stored(world):
    key = ask_token("chief.phuhoa")
    assert ask_token("chief.phuhoa") == key
    token = ApiToken.objects.get()
    assert key not in {token.digest, token.nonce, token.password_stamp}
    assert with_token(key).get(ME).json()["username"] == "chief.phuhoa"


def test_a_reset_by_the_chief_ends_the_workers_tokens(world):
    key = ask_token(world.postal_worker.username)
    postal_account_reset_password(user=world.chief, account_id=world.postal_worker.pk)
    response = with_token(key).get(ME)
    assert response.status_code == 403
    assert "thu hồi" in response.json()["detail"]
    assert ApiToken.objects.get().revoked_reason == ApiToken.Ended.PASSWORD_RESET


def test_a_lock_ends_the_tokens_and_unlocking_does_not_bring_them_back(world):
    key = ask_token(world.postal_worker.username)
    postal_account_deactivate(user=world.chief, account_id=world.postal_worker.pk, note="Nghỉ")
    assert with_token(key).get(ME).status_code == 403
    postal_account_reactivate(user=world.chief, account_id=world.postal_worker.pk)
    assert with_token(key).get(ME).status_code == 403
    assert ApiToken.objects.get().revoked_reason == ApiToken.Ended.ACCOUNT_LOCKED


def test_a_password_changed_on_any_path_ends_the_tokens(world):
    key = ask_token(world.officer.username)
    world.officer.set_password(STRONG)  # as the admin or `manage.py changepassword` do
    world.officer.save()
    assert with_token(key).get(ME).status_code == 403
    assert ApiToken.objects.get().revoked_reason == ApiToken.Ended.PASSWORD_CHANGED


def test_a_token_expires_when_idle_and_when_old(world, settings):
    settings.API_TOKEN_IDLE_MINUTES = 60
    settings.API_TOKEN_MAX_AGE_HOURS = 3
    with clock.frozen_at(NINE):
        key = api_token_issue(user=world.officer)
    for minutes in (50, 100, 150):  # each use within the hour keeps it alive
        with clock.frozen_at(NINE + dt.timedelta(minutes=minutes)):
            assert with_token(key).get(ME).status_code == 200, minutes
    with clock.frozen_at(NINE + dt.timedelta(minutes=181)):  # used 31 minutes ago, but 3 h old
        response = with_token(key).get(ME)
    assert response.status_code == 403
    assert "hết hạn" in response.json()["detail"]

    with clock.frozen_at(NINE + dt.timedelta(hours=4)):
        idle = api_token_issue(user=world.officer)
        assert idle != key  # an ended token is not given again
    with clock.frozen_at(NINE + dt.timedelta(hours=5, minutes=1)):
        assert with_token(idle).get(ME).status_code == 403


def test_tokens_of_the_former_table_keep_working(world):
    drf = Token.objects.create(user=world.city_admin)
    migration = importlib.import_module("onestop.migrations.0003_api_tokens")
    migration.carry_over_drf_tokens(apps, None)
    assert not Token.objects.exists()  # the plain key left the database
    assert with_token(drf.key).get(ME).json()["username"] == world.city_admin.username
    assert ask_token(world.city_admin.username) != drf.key  # a new one; the old one still works


# --- the chief's view -------------------------------------------------------------------------


def test_the_chief_sees_a_workers_tokens_and_revokes_one_with_an_event(world, client):
    with clock.frozen_at(NINE):
        key = api_token_issue(user=world.postal_worker, address="10.0.0.7")
    token = ApiToken.objects.get()
    account = reverse("postal:account", args=[world.postal_worker.pk])
    revoke = reverse("postal:account-token-revoke", args=[world.postal_worker.pk, token.pk])
    with clock.frozen_at(NINE + dt.timedelta(minutes=5)):
        client.force_login(world.chief)
        page = client.get(account).content.decode()
        assert "Mã truy cập API" in page
        assert "09:00 16/03/2026" in page  # made and last used
        assert "10.0.0.7" in page
        assert "Đang dùng" in page
        assert revoke in page

        client.force_login(world.other_chief)
        assert client.post(revoke).status_code == 404
        client.force_login(world.chief)
        assert client.post(revoke).status_code == 302
        assert with_token(key).get(ME).status_code == 403
        assert client.post(revoke).status_code == 302  # twice: nothing more happens
        page = client.get(account).content.decode()
    event = AccountEvent.objects.get(action=AccountEvent.Action.TOKEN_REVOKED)
    assert (event.account, event.actor) == (world.postal_worker, world.chief)
    assert "Đã kết thúc (Thu hồi, 09:05 16/03/2026)" in page
    assert revoke not in page
