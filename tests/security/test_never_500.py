"""Every route, as every kind of caller, with what a typed, cut or hostile link carries: a NUL
byte, a page number past any integer, a negative or huge id, odd characters, in each path
segment and in the query string. Nothing answers 500 — only 2xx, a redirect, 400, 403, 404, 405
or the like — and a page's refusal is the Vietnamese page, the API's is JSON.

Run on PostgreSQL as well: a NUL byte reaching psycopg, or an offset past a bigint, is where a
500 used to come from.
"""

from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.security.walk import all_rules, build_matrix_world, client_as

RULES = all_rules()

# Query values: NUL, a number past any integer, a negative one, an invalid UTF-8 sequence with
# markup, and a number longer than Python will turn into an int.
QUERY_VALUES = [
    "%00",
    "99999999999999999999999",
    "-1",
    "%ff%fe" + quote("ăâ<script>'\"\\"),
    "9" * 5000,
]
# Parameters the project's pages and API read, besides each rule's own.
QUERY_NAMES = [
    "page",
    "page_size",
    "q",
    "search",
    "period",
    "year",
    "month",
    "quarter",
    "from",
    "to",
    "day",
    "ward",
    "status",
    "procedure",
    "ho_so",
    "next",
]
# Path segments: NUL, huge and negative numbers, odd characters, a very long code, dots.
PATH_VALUES = [
    "%00",
    "abc%00def",
    "99999999999999999999999",
    "-1",
    quote("ăâ ☎") + "%ff",
    "a" * 400,
]
# Anonymous and each role at home (a caller from elsewhere is refused by the scope, before any
# value is read: the access matrix walks those).
ACTORS = ("anonymous", "postal_worker", "officer", "chief", "city_admin")


@pytest.fixture
def fuzz_world(world):
    return build_matrix_world(world)


def _urls(name, rule, world):
    """(url, method) pairs for `name`: odd query strings, then odd path segments."""
    kwargs = rule.kwargs(world)
    base = reverse(name, kwargs=kwargs)
    own = [part.split("=", 1)[0] for part in rule.query.lstrip("?").split("&") if part]
    joiner = "&" if rule.query else "?"
    for value in QUERY_VALUES:
        yield base + rule.query + f"{joiner}page={value}"
        names = dict.fromkeys([*own, *QUERY_NAMES])
        yield base + "?" + "&".join(f"{n}={value}" for n in names)
    for value_of_kwarg in kwargs.values():
        real = str(value_of_kwarg)
        if base.count(f"/{real}/") != 1:
            continue
        for value in PATH_VALUES:
            yield base.replace(f"/{real}/", f"/{value}/") + rule.query


@pytest.mark.parametrize("name", sorted(RULES))
def test_no_route_answers_500_to_odd_values(name, fuzz_world):
    rule = RULES[name]
    world = fuzz_world
    users = world.actors()
    urls = list(_urls(name, rule, world))
    failures = []
    for actor in ACTORS:
        client = client_as(users[actor])
        data = rule.data(world) if rule.data else {}
        for url in urls:
            for method in dict.fromkeys(("get", rule.method)):
                response = getattr(client, method)(url, data if method != "get" else None)
                status = response.status_code
                if status >= 500:
                    failures.append(f"{method.upper()} {url[:120]} as {actor}: {status}")
                elif status in (400, 404) and not _usual_error(url, response):
                    failures.append(f"{method.upper()} {url[:120]} as {actor}: bare {status}")
            if users[actor] is not None and "_auth_user_id" not in client.session:
                client.force_login(users[actor])  # the logout page signed the actor out
    assert not failures, "\n".join(failures[:40])


def _usual_error(url: str, response) -> bool:
    """The API answers its JSON; a page answers the Vietnamese error page (or a form)."""
    content_type = response.get("Content-Type", "")
    if url.startswith("/api/"):
        return content_type.startswith("application/json")
    return content_type.startswith("text/html")
