"""The API foundation: token login, who am I, scoped wards, the searchable catalogue, docs."""

import re

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse
from rest_framework.test import APIClient

from tests.intake.factories import ProcedureFactory
from tests.onestop.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def token_for(api, username: str, password: str = PASSWORD):
    return api.post(reverse("api-token"), {"username": username, "password": password})


# Token


def test_good_credentials_give_a_token(world, api):
    response = token_for(api, "postal.phuhoa")
    assert response.status_code == 200
    assert set(response.json()) == {"token"}
    assert len(response.json()["token"]) == 40


def test_the_token_authenticates_me(world, api):
    token = token_for(api, "postal.phuhoa").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get(reverse("api-me"))
    assert response.status_code == 200
    assert response.json()["username"] == "postal.phuhoa"


def test_asking_twice_gives_the_same_token(world, api):
    assert token_for(api, "chief.phuhoa").json() == token_for(api, "chief.phuhoa").json()


def test_an_unknown_token_is_refused(world, api):
    api.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert api.get(reverse("api-me")).status_code in (401, 403)


def test_bad_credentials_answer_400_with_non_field_errors(world, api):
    response = token_for(api, "postal.phuhoa", "sai-mat-khau")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Tên đăng nhập hoặc mật khẩu không đúng."]}


def test_inactive_account_gets_no_token(world, api):
    world.postal_worker.is_active = False
    world.postal_worker.save()
    assert token_for(api, "postal.phuhoa").status_code == 400


def test_missing_fields_answer_400_with_field_errors(api):
    response = api.post(reverse("api-token"), {})
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}
    assert all(isinstance(messages, list) and messages for messages in response.json().values())


def test_missing_password_names_only_that_field(api):
    response = api.post(reverse("api-token"), {"username": "postal.phuhoa"})
    assert response.status_code == 400
    assert set(response.json()) == {"password"}


def test_token_endpoint_locks_out_like_the_login_page(world, api):
    for _ in range(5):
        token_for(api, "postal.phuhoa", "sai")
    response = token_for(api, "postal.phuhoa")
    assert response.status_code == 429
    assert "quá nhiều lần" in response.json()["detail"]


def test_token_lockout_does_not_reach_another_address(world, api):
    for _ in range(5):
        token_for(api, "postal.phuhoa", "sai")
    response = api.post(
        reverse("api-token"),
        {"username": "postal.phuhoa", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 200


# Me


def test_me_for_a_ward_user(world, api):
    api.force_authenticate(world.officer)
    assert api.get(reverse("api-me")).json() == {
        "username": "officer.phuhoa",
        "full_name": world.officer.get_full_name(),
        "role": "officer",
        "ward": {"id": world.ward.pk, "name": "Phú Hòa", "slug": "phuhoa"},
        "city": {"id": world.city.pk, "name": "Thủ Dầu Một", "code": "718"},
    }


def test_me_for_a_city_admin(world, api):
    api.force_authenticate(world.city_admin)
    assert api.get(reverse("api-me")).json() == {
        "username": "admin.thudaumot",
        "full_name": world.city_admin.get_full_name(),
        "role": "city_admin",
        "ward": None,
        "city": {"id": world.city.pk, "name": "Thủ Dầu Một", "code": "718"},
    }


def test_me_full_name_is_family_name_first(world, api):
    world.chief.last_name, world.chief.first_name = "Lê Thị", "Mai"
    world.chief.save()
    api.force_authenticate(world.chief)
    assert api.get(reverse("api-me")).json()["full_name"] == "Lê Thị Mai"


def test_me_without_credentials_is_refused(api):
    assert api.get(reverse("api-me")).status_code in (401, 403)


# Wards


def ward_slugs(response) -> list[str]:
    return [ward["slug"] for ward in response.json()["results"]]


@pytest.mark.parametrize("role", ["postal_worker", "officer", "chief"])
def test_ward_staff_list_only_their_ward(world, api, role):
    api.force_authenticate(getattr(world, role))
    response = api.get(reverse("ward-list"))
    assert response.status_code == 200
    assert ward_slugs(response) == ["phuhoa"]


def test_city_admin_lists_their_citys_wards_only(world, api):
    api.force_authenticate(world.city_admin)
    assert sorted(ward_slugs(api.get(reverse("ward-list")))) == ["phuhoa", "phuloi"]


def test_ward_detail_in_scope(world, api):
    api.force_authenticate(world.postal_worker)
    response = api.get(reverse("ward-detail", kwargs={"slug": "phuhoa"}))
    assert response.status_code == 200
    assert response.json()["city"] == "Thủ Dầu Một"
    assert response.json()["unit_identifier"] == world.ward.unit_identifier


def test_another_wards_detail_is_404_for_ward_staff(world, api):
    api.force_authenticate(world.postal_worker)
    assert api.get(reverse("ward-detail", kwargs={"slug": "phuloi"})).status_code == 404


def test_another_citys_ward_is_404_for_a_city_admin(world, api):
    api.force_authenticate(world.city_admin)
    assert api.get(reverse("ward-detail", kwargs={"slug": "dian-ward"})).status_code == 404


# Procedures


@pytest.fixture
def catalogue(db):
    return [
        ProcedureFactory(code="1.001193", name="Đăng ký khai sinh"),
        ProcedureFactory(code="1.000656", name="Đăng ký khai tử"),
        ProcedureFactory(code="1.000894", name="Đăng ký kết hôn"),
        ProcedureFactory(
            code="2.000815", name="Chứng thực bản sao từ bản chính", field="Chứng thực"
        ),
    ]


def procedure_names(response) -> list[str]:
    return [procedure["name"] for procedure in response.json()["results"]]


def test_search_without_diacritics_finds_the_procedure(world, api, catalogue):
    api.force_authenticate(world.postal_worker)
    response = api.get(reverse("procedure-list"), {"search": "dang ky khai sinh"})
    assert response.status_code == 200
    assert procedure_names(response) == ["Đăng ký khai sinh"]


def test_search_with_diacritics_and_capitals_finds_the_same(world, api, catalogue):
    api.force_authenticate(world.postal_worker)
    response = api.get(reverse("procedure-list"), {"search": "  ĐĂNG KÝ   khai sinh"})
    assert procedure_names(response) == ["Đăng ký khai sinh"]


def test_search_by_code(world, api, catalogue):
    api.force_authenticate(world.postal_worker)
    assert procedure_names(api.get(reverse("procedure-list"), {"search": "1.000656"})) == [
        "Đăng ký khai tử"
    ]


def test_search_needs_every_word(world, api, catalogue):
    api.force_authenticate(world.postal_worker)
    names = procedure_names(api.get(reverse("procedure-list"), {"search": "dang ky"}))
    assert set(names) == {"Đăng ký kết hôn", "Đăng ký khai sinh", "Đăng ký khai tử"}


def test_procedure_list_is_paginated_with_next_and_previous(world, api, catalogue):
    api.force_authenticate(world.postal_worker)
    first = api.get(reverse("procedure-list"), {"page_size": 3}).json()
    assert set(first) == {"next", "previous", "results"}
    assert len(first["results"]) == 3
    assert first["previous"] is None
    assert "page=2" in first["next"]
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert second["previous"] is not None
    seen = {p["code"] for p in first["results"] + second["results"]}
    assert seen == {p.code for p in catalogue}


@pytest.mark.parametrize("page", ["abc", "0", "-1"])
def test_a_page_that_is_not_a_positive_number_is_a_field_error(world, api, catalogue, page):
    api.force_authenticate(world.postal_worker)
    response = api.get(reverse("procedure-list"), {"page": page})
    assert response.status_code == 400
    assert list(response.json()) == ["page"]


def test_a_page_past_the_end_is_empty_not_an_error(world, api, catalogue):
    api.force_authenticate(world.postal_worker)
    response = api.get(reverse("procedure-list"), {"page": 999})
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert response.json()["next"] is None


def test_procedure_detail_by_code(world, api, catalogue):
    api.force_authenticate(world.postal_worker)
    response = api.get(reverse("procedure-detail", kwargs={"code": "1.001193"}))
    assert response.status_code == 200
    assert response.json()["name"] == "Đăng ký khai sinh"
    assert response.json()["components"] == [{"name": "Tờ khai", "originals": 1, "copies": 0}]


def test_withdrawn_procedure_is_hidden_from_ward_staff(world, api):
    ProcedureFactory(code="1.999999", name="Thủ tục đã bãi bỏ", active=False)
    api.force_authenticate(world.postal_worker)
    assert procedure_names(api.get(reverse("procedure-list"))) == []
    assert api.get(reverse("procedure-detail", kwargs={"code": "1.999999"})).status_code == 404


# Schema and docs


def test_schema_is_an_openapi_document(client, world):
    client.force_login(world.postal_worker)
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "onestop API"
    for path in ("/api/v1/auth/token/", "/api/v1/me/", "/api/v1/wards/", "/api/v1/procedures/"):
        assert path in schema["paths"]


def test_docs_use_only_local_assets(client, world):
    client.force_login(world.postal_worker)
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", html)
    assets += re.findall(r"<link[^>]*\shref=\"([^\"]+)\"", html)
    assert assets, "the docs page references no script or stylesheet"
    for url in assets:
        assert not re.match(r"(https?:)?//", url), f"{url} is not served by onestop"
    assert "cdn" not in html.lower()


def test_docs_assets_are_served(client, world):
    client.force_login(world.postal_worker)
    html = client.get(reverse("api-docs")).content.decode()
    # Closing a file response sends request_finished, which would close the test's database
    # connection that the signed-in client needs for its next request (Django's test client
    # holds the same receiver off during its own requests).
    request_finished.disconnect(close_old_connections)
    try:
        for url in re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", html):
            response = client.get(url)
            assert response.status_code == 200, url
            getattr(response, "close", lambda: None)()
    finally:
        request_finished.connect(close_old_connections)
