"""Less on show: the API's map only for signed-in staff, JSON only from the API in production,
no server banner, and Vietnamese error pages (JSON under /api/)."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from onestop.api import exceptions
from onestop.tokens import api_token_issue

pytestmark = pytest.mark.django_db

BASE = Path(settings.BASE_DIR)


# --- the schema and its docs ------------------------------------------------------------------


def test_the_schema_is_404_to_anyone_not_signed_in(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}
    assert "openapi" not in response.content.decode()


def test_the_schema_answers_a_session_or_a_token(client, world):
    key = api_token_issue(user=world.postal_worker)
    with_token = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert with_token.get(reverse("api-schema"), {"format": "json"}).json()["openapi"]
    client.force_login(world.city_admin)
    assert client.get(reverse("api-schema"), {"format": "json"}).status_code == 200


def test_the_docs_send_a_stranger_to_the_login_page(client, world):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(world.officer)
    assert client.get(reverse("api-docs")).status_code == 200


# --- JSON only --------------------------------------------------------------------------------


def test_the_api_speaks_json_only_when_not_debugging(client, world):
    client.force_login(world.officer)
    response = client.get("/api/v1/me/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406  # no HTML renderer to offer
    assert response["Content-Type"].startswith("application/json")
    response = client.get("/api/v1/me/", {"format": "api"})
    assert response.status_code == 404
    assert client.get("/api/v1/me/").json()["username"] == world.officer.username
    assert settings.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] == [
        "rest_framework.renderers.JSONRenderer"
    ]


def test_the_browsable_api_is_there_while_developing():
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "onestop.settings"}
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES'])"
    )
    out = subprocess.run(  # noqa: S603 (fixed arguments, our own interpreter)
        [sys.executable, "-c", code], env=env, cwd=BASE, capture_output=True, text=True, check=True
    ).stdout
    assert "BrowsableAPIRenderer" in out


# --- error pages ------------------------------------------------------------------------------


def test_a_missing_page_is_the_vietnamese_404(client, world):
    client.force_login(world.chief)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert '<header class="site-header">' in html  # the base layout, with its header
    assert client.get("/api/v1/khong-co/").json() == {"detail": "Không tìm thấy."}


def test_a_nul_in_the_query_is_the_vietnamese_400(client, world):
    client.force_login(world.chief)
    response = client.get("/ho-so/?q=a%00b")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
    response = client.get("/api/v1/dossiers/?q=a%00b")
    assert response.status_code == 400
    assert list(response.json()) == ["q"]


def test_a_refusal_is_the_vietnamese_403(client, world):
    client.force_login(world.postal_worker)
    response = client.get(reverse("intake:access-log"))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


@pytest.mark.parametrize(
    ("handler", "status", "words"),
    [
        (exceptions.bad_request, 400, "Yêu cầu không hợp lệ"),
        (exceptions.permission_denied, 403, "Không có quyền truy cập"),
        (exceptions.not_found, 404, "Không tìm thấy trang"),
        (exceptions.server_error, 500, "Lỗi hệ thống"),
    ],
)
def test_each_error_page_is_vietnamese_and_json_under_the_api(rf, handler, status, words):
    args = () if status == 500 else (Exception("x"),)
    page = handler(rf.get("/ho-so/"), *args)
    assert page.status_code == status
    assert words in page.content.decode()
    api = handler(rf.get("/api/v1/dossiers/"), *args)
    assert api.status_code == status
    assert set(json.loads(api.content)) == {"detail"}


def test_the_error_handlers_are_the_projects():
    from onestop import urls

    assert urls.handler400 == "onestop.api.exceptions.bad_request"
    assert urls.handler403 == "onestop.api.exceptions.permission_denied"
    assert urls.handler404 == "onestop.api.exceptions.not_found"
    assert urls.handler500 == "onestop.api.exceptions.server_error"


# --- no server banner ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_sends_no_server_banner(tmp_path):
    """gunicorn started as production starts it (from the project's folder, which holds
    gunicorn.conf.py), on the loopback address, for one request."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn, on loopback)
        [str(gunicorn), "onestop.wsgi:application", "--bind", f"127.0.0.1:{port}", "-w", "1"],
        cwd=BASE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "gunicorn.log").open("w"),
    )
    try:
        headers = None
        deadline = time.monotonic() + 30
        while headers is None and time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/khong-co-trang-nay/")
                response = connection.getresponse()
                headers = {name.lower() for name, _value in response.getheaders()}
                connection.close()
            except OSError:
                time.sleep(0.3)
        assert headers is not None, (tmp_path / "gunicorn.log").read_text()
        assert "server" not in headers
        assert "date" in headers
    finally:
        server.terminate()
        server.wait(timeout=20)
