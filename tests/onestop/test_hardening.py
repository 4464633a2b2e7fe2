"""Hardening: security headers and the Content Security Policy on every page, the idle
timeout at shared counters, the password policy, CSRF on every form and every
session-authenticated API write, and the public status page's equal answers.

`manage.py check --deploy` is tested in tests/onestop/test_settings.py and the django-axes
lockout in tests/onestop/test_auth.py and tests/onestop/test_api.py.
"""

import datetime as dt
import re
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from intake import receipts
from onestop.models import User
from tests.intake.factories import DossierFactory
from tests.onestop.test_settings import manage, production_env
from tests.security.matrix import api_methods, refuses
from tests.security.snapshot import changed_tables, database_snapshot
from tests.security.walk import all_rules, allowed_actor, build_matrix_world, client_as, url_of

RULES = all_rules()


@pytest.fixture
def matrix(world):
    return build_matrix_world(world)


# --- headers -------------------------------------------------------------------------------------


def test_every_response_carries_the_security_headers(world, client):
    client.force_login(world.officer)
    response = client.get(reverse("intake:dossier-list"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy, directive
    assert re.search(r"script-src 'self'( 'nonce-[^']+')?;", policy)
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "sessionid" in response.cookies or "sessionid" in client.cookies
    assert client.cookies["sessionid"]["httponly"]


def test_https_is_enforced_for_a_year_when_configured(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]


def test_production_defaults_harden_cookies_and_transport():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SESSION_COOKIE_AGE, s.SESSION_SAVE_EVERY_REQUEST)",
        env=production_env(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "31536000", "1800", "True"]


# --- no inline script or style without the nonce ----------------------------------------------


class InlineCode(HTMLParser):
    """Collects what the policy would block: inline scripts and styles without the nonce,
    style and on… attributes, javascript: URLs, scripts and styles from elsewhere."""

    def __init__(self, nonce: str | None):
        super().__init__()
        self.nonce = nonce
        self.found: list[str] = []

    def _nonced(self, attrs: dict) -> bool:
        return self.nonce is not None and attrs.get("nonce") == self.nonce

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        for name, value in attrs:
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            if name.startswith("on") or name.startswith(("hx-on", "data-hx-on")):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "script":
            src = named.get("src")
            data_block = named.get("type") in ("application/json", "application/ld+json")
            if src is None and not self._nonced(named) and not data_block:
                self.found.append("<script> inline without the nonce")
            if src and re.match(r"^(https?:)?//", src):
                self.found.append(f"<script src={src}> from elsewhere")
        if tag == "style" and not self._nonced(named):
            self.found.append("<style> without the nonce")
        if (
            tag == "link"
            and "stylesheet" in (named.get("rel") or "")
            and re.match(r"^(https?:)?//", named.get("href") or "")
        ):
            self.found.append(f"<link href={named['href']}> from elsewhere")


def inline_code(response) -> list[str]:
    policy = response.get("Content-Security-Policy", "")
    match = re.search(r"'nonce-([^']+)'", policy)
    parser = InlineCode(match.group(1) if match else None)
    parser.feed(response.content.decode())
    return parser.found


def _html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def test_the_scanner_finds_what_the_policy_blocks():
    page = mock.Mock()
    page.get = {"Content-Security-Policy": "script-src 'self' 'nonce-abc'"}.get
    page.content = (
        b'<p style="color:red" onclick="x()"><script>alert(1)</script>'
        b'<script nonce="abc">ok()</script><script src="/static/a.js"></script>'
        b'<a href="javascript:x()">x</a><style>p{}</style><div hx-on:click="x">'
        b'<script src="https://cdn.example.com/x.js"></script>'
    )
    assert len(inline_code(page)) == 7


def test_no_page_has_inline_script_or_style_without_the_nonce(matrix):
    """Every GET page of the matrix, as a caller it lets through, plus the error pages."""
    pages = []
    for name, rule in sorted(RULES.items()):
        if rule.method != "get":
            continue
        actor = allowed_actor(rule, matrix, status=200)
        if actor is None:
            continue
        client = client_as(matrix.actors()[actor])
        data = rule.data(matrix) if rule.data else None
        response = client.get(url_of(name, rule, matrix), data)
        if _html(response):
            pages.append((name, response))
    officer = client_as(matrix.officer)
    pages += [
        ("404", client_as(matrix.other_officer).get(f"/ho-so/{matrix.dossier.code}/")),
        ("403", client_as(matrix.city_admin).get(reverse("intake:receive"))),
        ("400", officer.get(reverse("intake:return"), {"code": "x" * 200})),
        ("login", client_as(None).get(reverse("login"))),
    ]
    assert len(pages) > 50
    failures = []
    for name, response in pages:
        assert "Content-Security-Policy" in response, name
        failures += [f"{name}: {found}" for found in inline_code(response)]
    assert not failures, "\n".join(failures)


# --- the idle timeout at shared counters --------------------------------------------------------


def test_the_idle_timeout_is_thirty_minutes_and_renewed_by_every_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_the_idle_timeout_follows_the_environment():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)",
        env=production_env(SESSION_IDLE_MINUTES="5"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "300"


def _session(client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def test_a_session_idle_past_the_limit_is_signed_out(world, client):
    client.force_login(world.officer)
    assert client.get(reverse("intake:dossier-list")).status_code == 200
    Session.objects.filter(pk=_session(client).pk).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(reverse("intake:dossier-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_each_request_pushes_the_limit_forward(world, client):
    client.force_login(world.officer)
    session = _session(client)
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() + dt.timedelta(minutes=1)
    )
    response = client.get(reverse("intake:dossier-list"))
    assert response.status_code == 200
    left = _session(client).expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < left <= dt.timedelta(minutes=30)
    assert int(response.cookies["sessionid"]["max-age"]) == 30 * 60


def test_a_shorter_limit_applies_at_once(world, client, settings):
    settings.SESSION_COOKIE_AGE = 60
    client.force_login(world.officer)
    client.get(reverse("intake:dossier-list"))
    assert _session(client).expire_date - timezone.now() <= dt.timedelta(seconds=60)


# --- passwords ---------------------------------------------------------------------------------


def test_the_password_validators_are_configured():
    names = {v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert names == {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    }


def _one_time_password(client, account) -> str:
    html = client.get(reverse("postal:account", args=[account.pk])).content.decode()
    match = re.search(r"\b([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})\b", html)
    assert match, "the one-time password is shown once"
    return match.group(1)


def test_the_chiefs_new_and_reset_passwords_pass_the_policy(world, client):
    client.force_login(world.chief)
    created = client.post(
        reverse("postal:account-create"),
        {"username": "postal3.phuhoa", "last_name": "Trần Thị", "first_name": "Hoa"},
    )
    assert created.status_code == 302
    account = User.objects.get(username="postal3.phuhoa")
    first = _one_time_password(client, account)
    validate_password(first, account)
    assert account.check_password(first)
    assert client.post(reverse("postal:account-reset-password", args=[account.pk])).status_code
    second = _one_time_password(client, account)
    validate_password(second, account)
    account.refresh_from_db()
    assert second != first
    assert account.check_password(second)
    assert account.must_change_password


@pytest.mark.parametrize(
    ("weak", "why"),
    [
        ("12345678", "numeric"),
        ("matkhau", "short"),
        ("password123", "common"),
        ("postal.phuhoa", "like the username"),
    ],
)
def test_the_first_sign_in_refuses_a_weak_password(world, client, weak, why):
    worker = world.postal_worker
    worker.set_password("old-Passw0rd-xyz")
    worker.must_change_password = True
    worker.save()
    client.force_login(worker)
    response = client.post(
        reverse("postal:password-change"),
        {"old_password": "old-Passw0rd-xyz", "new_password1": weak, "new_password2": weak},
    )
    assert response.status_code == 200, why
    assert response.context["form"].errors["new_password2"], why
    worker.refresh_from_db()
    assert worker.check_password("old-Passw0rd-xyz")
    assert worker.must_change_password
    # Until the password is changed, no other page opens.
    assert client.get(reverse("home"))["Location"] == reverse("postal:password-change")


def test_the_first_sign_in_accepts_a_strong_password(world, client):
    worker = world.postal_worker
    worker.set_password("old-Passw0rd-xyz")
    worker.must_change_password = True
    worker.save()
    client.force_login(worker)
    strong = "Bưu-điện-Phú-Hòa-2026"
    response = client.post(
        reverse("postal:password-change"),
        {"old_password": "old-Passw0rd-xyz", "new_password1": strong, "new_password2": strong},
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.check_password(strong)
    assert not worker.must_change_password


# --- CSRF --------------------------------------------------------------------------------------


def test_every_page_refuses_a_post_without_the_csrf_token(matrix):
    """Every page URL of the matrix, posted to as a caller it lets through, without the token:
    403 before any view runs, and nothing written."""
    before = database_snapshot()
    failures, posted = [], 0
    for name, rule in sorted(RULES.items()):
        url = url_of(name, rule, matrix)
        if url.startswith("/api/"):
            continue
        actor = allowed_actor(rule, matrix)
        if actor is None:
            continue
        client = client_as(matrix.actors()[actor], enforce_csrf_checks=True)
        response = client.post(url, rule.data(matrix) if rule.data else {})
        posted += 1
        if response.status_code != 403:
            failures.append(f"POST {url} as {actor}: {response.status_code}")
    assert posted > 60
    assert not failures, "\n".join(failures)
    assert database_snapshot() == before, changed_tables(before, database_snapshot())


def test_every_session_api_write_needs_the_csrf_token(matrix):
    """Every API route and every write method it serves, signed in through the session as a
    caller the route lets through, without the token: 403, nothing written."""
    before = database_snapshot()
    failures, tried = [], 0
    for name, rule in sorted(RULES.items()):
        url = url_of(name, rule, matrix)
        if not url.startswith("/api/") or name in ("api-token", "api-schema", "api-docs"):
            continue
        actor = next(
            (a for a in matrix.actors() if a != "anonymous" and not refuses(rule.expected(a))),
            None,
        )
        if actor is None:
            continue
        client = client_as(matrix.actors()[actor], enforce_csrf_checks=True)
        for method in sorted(api_methods(url) - {"get"}):
            tried += 1
            response = getattr(client, method)(url, {}, content_type="application/json")
            if response.status_code != 403 or "CSRF" not in response.content.decode():
                failures.append(f"{method.upper()} {url} as {actor}: {response.status_code}")
    assert tried >= 10
    assert not failures, "\n".join(failures)
    assert database_snapshot() == before, changed_tables(before, database_snapshot())


def test_the_token_exchange_needs_no_csrf_token_and_keeps_no_session(world, client):
    world.officer.set_password("Quầy-một-cửa-2026")
    world.officer.save()
    api = client_as(None, enforce_csrf_checks=True)
    response = api.post(
        reverse("api-token"),
        {"username": world.officer.username, "password": "Quầy-một-cửa-2026"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


# --- the public status page ---------------------------------------------------------------------


def test_a_wrong_pin_and_an_unknown_code_each_compute_the_digest_once(world, db):
    dossier = DossierFactory(ward=world.ward)
    unknown = dossier.code[:-4] + "9999"
    for code in (dossier.code, unknown):
        with (
            mock.patch.object(
                receipts, "lookup_pin_digest", wraps=receipts.lookup_pin_digest
            ) as digest,
            mock.patch.object(
                receipts, "constant_time_compare", wraps=receipts.constant_time_compare
            ) as compare,
        ):
            assert receipts.dossier_for_lookup(code=code, pin="000000") is None
        assert digest.call_count == 1, code
        assert compare.call_count == 1, code
        assert digest.call_args.args == (code, "000000")


def test_a_wrong_pin_and_an_unknown_code_run_the_same_queries(world, client, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dossier = DossierFactory(ward=world.ward)
    shapes = []
    for code in (dossier.code, dossier.code[:-4] + "9999"):
        with CaptureQueriesContext(connection) as queries:
            receipts.dossier_for_lookup(code=code, pin="000000")
        shapes.append([q["sql"].replace(code, "?") for q in queries.captured_queries])
    assert shapes[0] == shapes[1]
    assert len(shapes[0]) == 1
