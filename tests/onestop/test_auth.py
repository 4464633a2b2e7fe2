"""Login, lockout, logout, each role's home page and the language switch."""

import datetime as dt
import re

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onestop.auth import SessionStore, UserBackend
from tests.onestop.factories import PASSWORD, UserFactory
from tests.wards.factories import CounterFactory, WardFactory

pytestmark = pytest.mark.django_db

WRONG_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng."
LOCKED_OUT = "Tài khoản này đã nhập sai mật khẩu quá nhiều lần từ máy này."
# The session (read and renewed in one statement), the user with their ward, the page's reads.
HOME_MAX_QUERIES = 8
# Homes an app provides instead (settings.HOME_VIEWS: the postal worker's day, the chief's
# dashboard, the officer's work list) also read the queues they show: like every back-office
# page, ten statements at most; tests/postal and tests/intake keep them constant as data grows.
HOME_MAX_QUERIES_BY_ROLE = {"postal_worker": 10, "chief": 10, "officer": 10}


def login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def header(response) -> str:
    """The site header's text, where the signed-in user's name, role and place appear."""
    html = response.content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


# Login page


def test_login_page_is_in_vietnamese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert html_lang(response) == "vi"
    for text in ("<h1>Đăng nhập</h1>", "Tên đăng nhập", "Mật khẩu", "Công dân tra cứu hồ sơ"):
        assert text in response.content.decode()


def test_home_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_correct_login_redirects_home(world, client):
    response = login(client, "postal.phuhoa", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == world.postal_worker


def test_login_honours_a_safe_next_url(world, client):
    response = client.post(
        reverse("login"),
        {"username": "postal.phuhoa", "password": PASSWORD, "next": "/api/docs/"},
    )
    assert response["Location"] == "/api/docs/"


def test_login_ignores_a_next_url_on_another_site(world, client):
    response = client.post(
        reverse("login"),
        {"username": "postal.phuhoa", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_wrong_password_shows_the_vietnamese_message_and_keeps_the_username(world, client):
    response = login(client, "postal.phuhoa", "sai-mat-khau")
    html = response.content.decode()
    assert response.status_code == 200
    assert WRONG_LOGIN in html
    assert "mật khẩu phân biệt chữ hoa, chữ thường" in html
    assert 'value="postal.phuhoa"' in html
    assert PASSWORD not in html and "sai-mat-khau" not in html
    assert "_auth_user_id" not in client.session


def test_unknown_username_gets_the_same_message_as_a_wrong_password(world, client):
    html = login(client, "khong.ton.tai", PASSWORD).content.decode()
    assert WRONG_LOGIN in html


def test_empty_form_asks_for_both_fields_in_vietnamese(client):
    html = login(client, "", "").content.decode()
    assert "Vui lòng nhập tên đăng nhập." in html
    assert "Vui lòng nhập mật khẩu." in html


def test_inactive_account_cannot_log_in(world, client):
    world.postal_worker.is_active = False
    world.postal_worker.save()
    response = login(client, "postal.phuhoa", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_signed_in_user_visiting_login_goes_home(world, client):
    client.force_login(world.officer)
    response = client.get(reverse("login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


# Lockout (django-axes). AccessAttempt rows live in the database, so each test's transaction
# rolls them back and no lockout leaks into the next test.


def test_four_failures_still_show_the_login_form(world, client):
    for _ in range(4):
        response = login(client, "postal.phuhoa", "sai")
        assert response.status_code == 200
        assert WRONG_LOGIN in response.content.decode()
    assert login(client, "postal.phuhoa", PASSWORD).status_code == 302


def test_fifth_failure_locks_username_and_address(world, client):
    for _ in range(4):
        login(client, "postal.phuhoa", "sai")
    response = login(client, "postal.phuhoa", "sai")
    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()


def test_locked_out_user_is_refused_even_with_the_right_password(world, client):
    for _ in range(5):
        login(client, "postal.phuhoa", "sai")
    response = login(client, "postal.phuhoa", PASSWORD)
    html = response.content.decode()
    assert response.status_code == 429
    assert "<h1>Tạm khoá đăng nhập</h1>" in html
    assert LOCKED_OUT in html
    assert "thử lại sau 15 phút" in html
    assert html_lang(response) == "vi"
    assert "_auth_user_id" not in client.session


def test_lockout_does_not_reach_another_address(world, client):
    for _ in range(5):
        login(client, "postal.phuhoa", "sai")
    response = login(client, "postal.phuhoa", PASSWORD, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_lockout_does_not_reach_another_username_on_the_same_address(world, client):
    for _ in range(5):
        login(client, "postal.phuhoa", "sai")
    assert login(client, "officer.phuhoa", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_failure_count(world, client):
    for _ in range(4):
        login(client, "postal.phuhoa", "sai")
    assert login(client, "postal.phuhoa", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert login(client, "postal.phuhoa", "sai").status_code == 200


# Logout


def test_logout_by_post_ends_the_session(world, client):
    client.force_login(world.postal_worker)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_logout_by_get_is_refused_and_keeps_the_session(world, client):
    client.force_login(world.postal_worker)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("home")).status_code == 200


def test_every_page_offers_a_logout_form_that_posts(world, client):
    client.force_login(world.postal_worker)
    html = client.get(reverse("home")).content.decode()
    assert f'<form method="post" action="{reverse("logout")}">' in html


# Home page of each role


@pytest.mark.parametrize(
    ("role", "label", "place"),
    [
        ("postal_worker", "Nhân viên bưu điện", "Phú Hòa"),
        ("officer", "Công chức một cửa", "Phú Hòa"),
        ("chief", "Trưởng bộ phận một cửa", "Phú Hòa"),
        ("city_admin", "Quản trị thành phố", "Thủ Dầu Một"),
    ],
)
def test_header_shows_role_label_name_and_place(world, client, role, label, place):
    user = getattr(world, role)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    text = header(response)
    assert f"{label} · {place}" in text
    assert f'<strong data-testid="who-name">{user.get_full_name()}</strong>' in text


def test_header_writes_the_family_name_first(world, client):
    world.officer.last_name, world.officer.first_name = "Trần Văn", "Bình"
    world.officer.save()
    client.force_login(world.officer)
    assert "Trần Văn Bình" in header(client.get(reverse("home")))


def test_postal_worker_home_shows_their_wards_counters(world, client):
    CounterFactory(ward=world.other_ward, number=7, name="Quầy phường bên cạnh")
    client.force_login(world.postal_worker)
    html = client.get(reverse("home")).content.decode()
    assert "Quầy của phường" in html
    assert f"Chào {world.postal_worker.get_full_name()}" in html
    assert "Quầy bưu điện" in html and "Quầy công chức" in html
    assert "Quầy phường bên cạnh" not in html


def test_officer_home_shows_their_wards_counters(world, client):
    client.force_login(world.officer)
    html = client.get(reverse("home")).content.decode()
    assert "Quầy của phường" in html
    assert "Công chức một cửa, Phường Phú Hòa." in html


def test_inactive_counter_is_not_listed(world, client):
    CounterFactory(ward=world.ward, number=9, name="Quầy đã đóng", active=False)
    client.force_login(world.postal_worker)
    assert "Quầy đã đóng" not in client.get(reverse("home")).content.decode()


def test_chief_home_lists_their_wards_staff_only(world, client):
    client.force_login(world.chief)
    html = client.get(reverse("home")).content.decode()
    assert "Cán bộ, nhân viên" in html
    for user in (world.postal_worker, world.officer, world.chief):
        assert f"<td>{user.username}</td>" in html
    for user in (world.other_postal_worker, world.other_officer, world.other_chief):
        assert f"<td>{user.username}</td>" not in html
    assert f"<td>{world.city_admin.username}</td>" not in html


def test_chief_home_marks_a_locked_account(world, client):
    world.officer.is_active = False
    world.officer.save()
    client.force_login(world.chief)
    html = client.get(reverse("home")).content.decode()
    assert html.count("Đã khoá") == 1
    assert html.count("Đang hoạt động") == 2


def test_city_admin_home_lists_every_ward_of_their_city_only(world, client):
    client.force_login(world.city_admin)
    html = client.get(reverse("home")).content.decode()
    assert "Các phường và giai đoạn thí điểm" in html
    assert "<td>Phường Phú Hòa</td>" in html
    assert "<td>Phường Phú Lợi</td>" in html
    assert world.far_ward.admin_code not in html
    assert "Dĩ An" not in html


def test_role_less_superuser_gets_the_administration_home(client):
    client.force_login(UserFactory(superuser=True))
    response = client.get(reverse("home"))
    assert "Quản trị hệ thống" in header(response)
    assert reverse("admin:index") in response.content.decode()


def _grow(world, count: int) -> None:
    """More wards in the city, more counters and staff in the home ward and elsewhere."""
    for index in range(count):
        ward = WardFactory(city=world.city)
        CounterFactory(ward=ward, number=1)
        CounterFactory(ward=world.ward, number=10 + index)
        UserFactory(postal_worker=True, ward=world.ward)
        UserFactory(officer=True, ward=ward)


@pytest.mark.parametrize("extra", [0, 10], ids=["world", "world+10"])
@pytest.mark.parametrize("role", ["postal_worker", "officer", "chief", "city_admin"])
def test_home_query_count_does_not_grow_with_wards_and_staff(
    world, client, django_assert_max_num_queries, role, extra
):
    _grow(world, extra)
    client.force_login(getattr(world, role))
    with django_assert_max_num_queries(HOME_MAX_QUERIES_BY_ROLE.get(role, HOME_MAX_QUERIES)):
        response = client.get(reverse("home"))
    assert response.status_code == 200


# The signed-in request: two statements before the page's own (onestop.auth)


def _statements(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_a_page_reads_and_renews_the_session_in_one_statement(world, client):
    client.force_login(world.officer)
    sql = _statements(client, reverse("home"))
    session = [s for s in sql if "django_session" in s]
    assert len(session) == 1
    assert session[0].startswith("UPDATE") and "RETURNING" in session[0]
    assert sql[0] == session[0]
    assert not [s for s in sql if "SAVEPOINT" in s]


def test_the_user_comes_with_the_ward_the_header_names(world, client):
    client.force_login(world.officer)
    sql = _statements(client, reverse("home"))
    user = [s for s in sql if 'FROM "onestop_user"' in s]
    assert len(user) == 1 and '"wards_ward"' in user[0]
    assert not [s for s in sql if s.startswith('SELECT "wards_ward"')]


@pytest.mark.parametrize("role", ["officer", "city_admin"])
def test_the_backend_reads_ward_and_city_with_the_user(world, role, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = UserBackend().get_user(getattr(world, role).pk)
        place = user.ward.name if user.ward_id else user.city.name
    assert place in (world.ward.name, world.city.name)


def test_the_backend_refuses_an_inactive_user(world):
    world.officer.is_active = False
    world.officer.save()
    assert UserBackend().get_user(world.officer.pk) is None
    assert UserBackend().get_user(0) is None


def test_a_changed_session_is_written_by_one_update(world, client, django_assert_num_queries):
    client.force_login(world.officer)
    key = client.cookies["sessionid"].value
    with django_assert_num_queries(2):  # read and renewed; written
        session = SessionStore(key)
        session["counter"] = 7
        session.save()
    assert SessionStore(key)["counter"] == 7


def test_an_unchanged_session_is_not_written_twice(world, client, django_assert_num_queries):
    client.force_login(world.officer)
    key = client.cookies["sessionid"].value
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    with django_assert_num_queries(1):
        session = SessionStore(key)
        assert session.get("_auth_user_id") == str(world.officer.pk)
        session.save()
    left = Session.objects.get(pk=key).expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < left <= dt.timedelta(minutes=30)


def test_an_expired_session_reads_as_none_and_stays_expired(world, client):
    client.force_login(world.officer)
    key = client.cookies["sessionid"].value
    gone = timezone.now() - dt.timedelta(seconds=1)
    Session.objects.filter(pk=key).update(expire_date=gone)
    session = SessionStore(key)
    assert session.load() == {}
    assert session.session_key is None
    assert Session.objects.get(pk=key).expire_date == gone


def test_a_session_signed_out_elsewhere_is_not_brought_back(world, client):
    client.force_login(world.officer)
    key = client.cookies["sessionid"].value
    session = SessionStore(key)
    session["counter"] = 7  # read while the row was there
    Session.objects.filter(pk=key).delete()
    with pytest.raises(UpdateError):
        session.save()
    assert not Session.objects.filter(pk=key).exists()


# Language


def test_switching_to_english_sets_the_page_language(world, client):
    client.force_login(world.postal_worker)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert html_lang(client.get(reverse("home"))) == "en"


def test_switching_back_to_vietnamese(world, client):
    client.force_login(world.postal_worker)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    client.post(reverse("set_language"), {"language": "vi", "next": reverse("home")})
    assert html_lang(client.get(reverse("home"))) == "vi"


def test_language_switch_is_offered_to_anonymous_visitors(client):
    html = client.get(reverse("login")).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert '<option value="en">' in html
