"""Walk every URL of the project as every kind of caller, with every method, and check the answer.

A URL that no `rules_*.py` module classifies fails the suite, so a new page cannot slip past.
For each URL, the rule's own method must give each caller exactly the rule's answer; GET, POST,
PUT, PATCH and DELETE besides must give nothing (no 2xx, no redirect but to the login page) to a
caller the rule refuses, and change no row of the project's tables; a method a view does not
serve answers 405 (or 403/404), and nothing ever answers 500.
"""

import json
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.matrix import LOGIN, METHODS, api_methods, refuses
from tests.security.snapshot import changed_tables, database_snapshot
from tests.security.walk import all_rules, build_matrix_world, project_url_names

RULES = all_rules()


def test_every_url_is_classified():
    unclassified = project_url_names() - set(RULES)
    assert not unclassified, f"URLs missing from the access matrix: {sorted(unclassified)}"


def test_no_rule_for_a_url_that_does_not_exist():
    assert set(RULES) <= project_url_names()


@pytest.fixture
def matrix_world(world):
    return build_matrix_world(world)


@pytest.mark.parametrize("name", sorted(RULES))
def test_access(name, matrix_world):
    """The rule's own method answers each actor as the rule says; every other method leaks
    nothing to those the rule refuses, changes nothing for them, and never fails with a 500."""
    rule = RULES[name]
    world = matrix_world
    url = reverse(name, kwargs=rule.kwargs(world)) + rule.query
    data = rule.data(world) if rule.data else {}
    users = world.actors()
    clients = {actor: _signed_in(user) for actor, user in users.items()}
    ledger = Ledger()

    # 1. The rule's own method, in the rules' order of actors: exactly the expected answer.
    sample = None
    for actor, client in clients.items():
        expected = rule.expected(actor)
        response = ledger.send(
            actor,
            rule.method,
            refused=refuses(expected),
            call=lambda c=client: getattr(c, rule.method)(url, data),
        )
        if not _answers(response, expected):
            ledger.fail(f"{actor}: expected {expected}, got {response.status_code}")
        if sample is None and not refuses(expected):
            sample = _json_object(response)

    # 2. Every other method. The body is the rule's data, or for an API read what the first
    # allowed reader was given, sent back as if to overwrite it. Allowed actors go first, so
    # the refused ones meet whatever they may have changed.
    body = data or sample or {}
    api = url.startswith("/api/")
    served = api_methods(url) if api else {"get", "post"}
    for actor in sorted(clients, key=lambda a: refuses(rule.expected(a))):
        client = clients[actor]
        _keep_signed_in(client, users[actor])
        refused = refuses(rule.expected(actor))
        for method in METHODS:
            if method == rule.method:
                continue
            response = ledger.send(
                actor,
                method,
                refused=refused,
                call=lambda c=client, m=method: _send(c, m, url, body, api=api),
            )
            status = response.status_code
            if refused and not _refusal(response):
                where = f" → {response['Location']}" if 300 <= status < 400 else ""
                ledger.fail(f"{method.upper()} {actor}: refused, yet got {status}{where}")
            elif not refused and method not in served and status not in (403, 404, 405):
                ledger.fail(f"{method.upper()} {actor}: not served, expected 405, got {status}")
    assert not ledger.failures, f"{rule.method.upper()} {url}\n" + "\n".join(ledger.failures)


class Ledger:
    """Sends each request and checks that one the rule refuses left every table as it was.

    The tables are read before a refused request (unless nothing has run since the last
    reading) and after it; an allowed request may change them, so it only marks them unread.
    """

    def __init__(self):
        self.failures: list[str] = []
        self.state = None

    def fail(self, message: str) -> None:
        self.failures.append(message)

    def send(self, actor: str, method: str, *, refused: bool, call):
        if refused and self.state is None:
            self.state = database_snapshot()
        response = call()
        if response.status_code >= 500:
            self.fail(f"{method.upper()} {actor}: {response.status_code}")
        if not refused:
            self.state = None
            return response
        now = database_snapshot()
        if now != self.state:
            changed = ", ".join(changed_tables(self.state, now))
            self.fail(f"{method.upper()} {actor}: refused, yet the database changed: {changed}")
        self.state = now
        return response


def _signed_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _keep_signed_in(client: Client, user) -> None:
    # The rule's own request may have signed the actor out (the logout page).
    if user is not None and "_auth_user_id" not in client.session:
        client.force_login(user)


def _answers(response, expected) -> bool:
    if expected == LOGIN:
        return _to_login(response)
    return response.status_code == expected


def _to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _refusal(response) -> bool:
    """A 4xx, or for a page the way to the login page: never a 2xx or another redirect."""
    return 400 <= response.status_code < 500 or _to_login(response)


def _json_object(response) -> dict | None:
    if not response.get("Content-Type", "").startswith("application/json"):
        return None
    content = response.json()
    if isinstance(content, dict) and isinstance(content.get("results"), list):
        content = content["results"][0] if content["results"] else None
    return content if isinstance(content, dict) else None


def _send(client, method: str, url: str, body: dict, *, api: bool):
    if method == "get":
        return client.get(url)
    if api:
        return getattr(client, method)(url, json.dumps(body), content_type="application/json")
    if method == "post":
        return client.post(url, body)
    return getattr(client, method)(
        url, urlencode(body, doseq=True), content_type="application/x-www-form-urlencoded"
    )


def test_the_ledger_catches_a_refused_request_that_writes(world):
    """The matrix's own check can fail: a refusal that still wrote a row is reported."""
    from django.http import HttpResponse, HttpResponseRedirect

    from tests.intake.factories import ProcedureFactory

    def write_then_refuse():
        ProcedureFactory()
        return HttpResponse(status=404)

    ledger = Ledger()
    ledger.send("other_chief", "put", refused=True, call=lambda: HttpResponse(status=404))
    assert not ledger.failures
    ledger.send("other_chief", "post", refused=True, call=write_then_refuse)
    assert ledger.failures == [
        "POST other_chief: refused, yet the database changed: intake_procedure (0 → 1 rows)"
    ]
    ledger.send("chief", "get", refused=False, call=lambda: HttpResponse(status=500))
    assert ledger.failures[-1] == "GET chief: 500"
    assert not _refusal(HttpResponseRedirect("/ho-so/"))
    assert _refusal(HttpResponseRedirect(reverse("login") + "?next=/ho-so/"))
    assert _refusal(HttpResponse(status=405))


def test_admin_is_for_superusers_only(world, client):
    client.force_login(world.chief)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/quan-tri/login/" in response["Location"]
