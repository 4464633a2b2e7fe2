"""Walk every URL of the project as every kind of caller and check the answer.

A URL that no `rules_*.py` module classifies fails the suite, so a new page cannot slip past.
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.security
from intake.services import dossier_receive
from tests.intake.factories import ProcedureFactory
from tests.security.matrix import LOGIN, Rule

# Third-party URL spaces we do not own; the admin checks is_staff itself (tested below).
SKIPPED_NAMESPACES = {"admin"}


def all_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for module in pkgutil.iter_modules(tests.security.__path__):
        if module.name.startswith("rules_"):
            for rule in importlib.import_module(f"tests.security.{module.name}").RULES:
                assert rule.name not in rules, f"{rule.name} classified twice"
                rules[rule.name] = rule
    return rules


def project_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in SKIPPED_NAMESPACES:
                    continue
                ns = pattern.namespace or namespace
                walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    return names


RULES = all_rules()


def test_every_url_is_classified():
    unclassified = project_url_names() - set(RULES)
    assert not unclassified, f"URLs missing from the access matrix: {sorted(unclassified)}"


def test_no_rule_for_a_url_that_does_not_exist():
    assert set(RULES) <= project_url_names()


@pytest.fixture
def matrix_world(world):
    world.procedure = ProcedureFactory()
    receipt = dossier_receive(
        user=world.postal_worker,
        procedure=world.procedure,
        channel=1,
        applicant_name="Nguyễn Thị Mai",
        applicant_id_number="074190001234",
        applicant_address="12 Yersin, Phú Hòa",
    )
    world.dossier = receipt.dossier
    world.lookup_pin = receipt.lookup_pin
    for extend in EXTENSIONS:
        extend(world)
    return world


# Later apps add the objects their rules point at (a dossier, an assignment…) through here.
EXTENSIONS: list = []
for module in pkgutil.iter_modules(tests.security.__path__):
    if module.name.startswith("rules_"):
        EXTENSIONS += getattr(
            importlib.import_module(f"tests.security.{module.name}"), "EXTENSIONS", []
        )


@pytest.mark.parametrize("name", sorted(RULES))
def test_access(name, matrix_world, client):
    rule = RULES[name]
    world = matrix_world
    url = reverse(name, kwargs=rule.kwargs(world)) + rule.query
    failures = []
    for actor, user in world.actors().items():
        client.logout()
        if user is not None:
            client.force_login(user)
        data = rule.data(world) if rule.data else {}
        response = getattr(client, rule.method)(url, data)
        expected = rule.expected(actor)
        if expected == LOGIN:
            ok = response.status_code == 302 and response["Location"].startswith(reverse("login"))
        else:
            ok = response.status_code == expected
        if not ok:
            failures.append(f"{actor}: expected {expected}, got {response.status_code}")
    assert not failures, f"{rule.method.upper()} {url}\n" + "\n".join(failures)


def test_admin_is_for_superusers_only(world, client):
    client.force_login(world.chief)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/quan-tri/login/" in response["Location"]
