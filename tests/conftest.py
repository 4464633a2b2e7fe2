"""Shared fixtures: a small world of two cities, three wards and a user of every role."""

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from onestop.models import User
from tests.onestop.factories import UserFactory
from tests.wards.factories import CityFactory, CounterFactory, WardFactory
from wards.models import City, Counter, Ward

# Property-based tests run bounded and repeatable ("ci"): the suite's time and verdict do not
# vary between runs. Each test sets its own max_examples.
hypothesis_settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.load_profile("ci")


@dataclass
class World:
    city: City
    other_city: City
    ward: Ward
    other_ward: Ward
    far_ward: Ward
    postal_counter: Counter
    officer_counter: Counter
    other_counter: Counter
    postal_worker: User
    officer: User
    chief: User
    city_admin: User
    other_postal_worker: User
    other_officer: User
    other_chief: User
    other_city_admin: User

    def actors(self) -> dict[str, User | None]:
        """Every kind of caller: anonymous, each role at home, and each role elsewhere."""
        return {
            "anonymous": None,
            "postal_worker": self.postal_worker,
            "officer": self.officer,
            "chief": self.chief,
            "city_admin": self.city_admin,
            "other_postal_worker": self.other_postal_worker,
            "other_officer": self.other_officer,
            "other_chief": self.other_chief,
            "other_city_admin": self.other_city_admin,
        }


@pytest.fixture(autouse=True)
def intake_rules(request, settings):
    """Tests receive dossiers freely unless they ask for the apps' intake rules.

    Who may receive which procedure at a postal counter is postal's rule (authorisations,
    out-of-list assignments); tests of that rule, and journeys that go through it, are marked
    `@pytest.mark.intake_rules` and run with the rules as configured. What the rules would
    answer, shown at intake (INTAKE_OFFERS), goes with them.
    """
    if request.node.get_closest_marker("intake_rules") is None:
        settings.INTAKE_RULES = []
        settings.INTAKE_OFFERS = []


@pytest.fixture
def world(db) -> World:
    city = CityFactory(name="Thủ Dầu Một", slug="thudaumot", code="718")
    other_city = CityFactory(name="Dĩ An", slug="dian", code="724")
    ward = WardFactory(city=city, name="Phú Hòa", slug="phuhoa")
    other_ward = WardFactory(city=city, name="Phú Lợi", slug="phuloi")
    far_ward = WardFactory(city=other_city, name="Dĩ An", slug="dian-ward", not_pilot=True)
    return World(
        city=city,
        other_city=other_city,
        ward=ward,
        other_ward=other_ward,
        far_ward=far_ward,
        postal_counter=CounterFactory(ward=ward, number=1),
        officer_counter=CounterFactory(ward=ward, number=2, officer=True),
        other_counter=CounterFactory(ward=other_ward, number=1),
        postal_worker=UserFactory(postal_worker=True, ward=ward, username="postal.phuhoa"),
        officer=UserFactory(officer=True, ward=ward, username="officer.phuhoa"),
        chief=UserFactory(chief=True, ward=ward, username="chief.phuhoa"),
        city_admin=UserFactory(city_admin=True, city=city, username="admin.thudaumot"),
        other_postal_worker=UserFactory(postal_worker=True, ward=other_ward),
        other_officer=UserFactory(officer=True, ward=other_ward),
        other_chief=UserFactory(chief=True, ward=other_ward),
        other_city_admin=UserFactory(city_admin=True, city=other_city),
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty default cache: rate limits and counters one test spends
    (the status page's, the evaluation page's) never leak into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
