"""Personal data is never kept by a browser or a proxy: every answer to a signed-in user (pages,
slips, receipts, PDFs, exports, the logbook, the account pages), every API answer (session or
token) and the citizens' status page say `Cache-Control: no-store`; static files stay cacheable.
"""

import pytest
from django.test import Client

from onestop.tokens import api_token_issue
from tests.security.matrix import refuses
from tests.security.walk import all_rules, build_matrix_world, client_as, url_of

RULES = all_rules()


@pytest.fixture
def store_world(world):
    return build_matrix_world(world)


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize("name", sorted(RULES))
def test_every_route_says_no_store_to_signed_in_users(name, store_world):
    rule = RULES[name]
    world = store_world
    url = url_of(name, rule, world)
    data = rule.data(world) if rule.data else {}
    failures = []
    for actor, user in world.actors().items():
        if user is None:
            continue
        # Allowed or refused: a refusal may still name the ward or the dossier.
        response = getattr(client_as(user), rule.method)(url, data)
        if not _no_store(response):
            allowed = "allowed" if not refuses(rule.expected(actor)) else "refused"
            failures.append(
                f"{rule.method.upper()} {url} as {actor} ({allowed}, {response.status_code}): "
                f"Cache-Control {response.get('Cache-Control')!r}"
            )
    assert not failures, "\n".join(failures)


def test_the_api_with_a_token_says_no_store(store_world):
    key = api_token_issue(user=store_world.postal_worker)
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get(f"/api/v1/dossiers/{store_world.dossier.code}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


def test_the_citizens_status_page_says_no_store(store_world):
    rule = RULES["intake:public-status"]
    response = Client().get(url_of("intake:public-status", rule, store_world))
    assert response.status_code == 200
    assert _no_store(response)
    assert _no_store(Client().get("/tra-cuu/"))


def test_a_view_keeps_its_own_policy(client, world):
    client.force_login(world.chief)
    # The login page's own header (never_cache) is kept as it is.
    response = client.get("/dang-nhap/")
    assert "must-revalidate" in response["Cache-Control"]


def test_static_files_stay_cacheable(settings, world):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()
    client.force_login(world.chief)
    response = client.get("/static/css/onestop.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    getattr(response, "close", lambda: None)()
