"""What the matrix and the other walks over every URL share: the rules of every `rules_*.py`
module, the project's URL names, and the world their URLs point into."""

import importlib
import pkgutil

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.security
from tests.security.matrix import Rule, refuses

# Third-party URL spaces we do not own; the admin checks is_staff itself (tested in the matrix).
SKIPPED_NAMESPACES = {"admin"}


def _rule_modules():
    for module in pkgutil.iter_modules(tests.security.__path__):
        if module.name.startswith("rules_"):
            yield importlib.import_module(f"tests.security.{module.name}")


def all_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for module in _rule_modules():
        for rule in module.RULES:
            assert rule.name not in rules, f"{rule.name} classified twice"
            rules[rule.name] = rule
    return rules


def extensions() -> list:
    """The functions later apps add to build the objects their rules point at."""
    return [extend for module in _rule_modules() for extend in getattr(module, "EXTENSIONS", [])]


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


def build_matrix_world(world):
    """The shared test world plus a received dossier (`world.dossier`, in `world.ward`) and
    every object the rules' extensions add."""
    from intake.services import dossier_receive
    from tests.intake.factories import ProcedureFactory

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
    for extend in extensions():
        extend(world)
    return world


def allowed_actor(rule: Rule, world, *, status: int | None = None) -> str | None:
    """The first actor the rule lets through (with exactly `status` when given)."""
    for actor in world.actors():
        expected = rule.expected(actor)
        if status is not None and expected != status:
            continue
        if not refuses(expected):
            return actor
    return None


def url_of(name: str, rule: Rule, world) -> str:
    return reverse(name, kwargs=rule.kwargs(world)) + rule.query


def client_as(user, **kwargs) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client
