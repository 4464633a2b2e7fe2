"""The officer's home: a work list of the ward's dossiers in processing, due soon and awaiting
a supplement, each a count and a short list that link to the same dossiers in the list."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from onestop import clock
from tests.intake.factories import DossierFactory
from wards.calendar import VIETNAM_TZ

# Wednesday 11/03/2026 at 10:00: "due soon" runs to Friday 10:00.
NOW = dt.datetime(2026, 3, 11, 10, 0, tzinfo=VIETNAM_TZ)


@pytest.fixture(autouse=True)
def wednesday():
    with clock.frozen_at(NOW):
        yield NOW


def _ward_dossiers(world, n=1):
    made = {"processing": [], "due_soon": [], "awaiting": [], "other": []}
    for _ in range(n):
        made["processing"].append(
            DossierFactory(
                ward=world.ward, processing=True, appointment_at=NOW + dt.timedelta(days=9)
            )
        )
        made["due_soon"].append(
            DossierFactory(ward=world.ward, appointment_at=NOW + dt.timedelta(days=1))
        )
        made["awaiting"].append(
            DossierFactory(
                ward=world.ward, needs_supplement=True, appointment_at=NOW + dt.timedelta(days=20)
            )
        )
        made["other"].append(DossierFactory(ward=world.ward, returned=True))
        DossierFactory(ward=world.other_ward, processing=True)  # another ward's: not ours
    return made


def _count(html, testid):
    return int(re.search(rf'data-testid="{testid}"><span class="value">(\d+)<', html).group(1))


def test_the_officer_sees_each_list_and_its_link_opens_the_same_dossiers(client, world):
    made = _ward_dossiers(world)
    client.force_login(world.officer)
    html = client.get(reverse("home")).content.decode()
    assert (_count(html, "to-process"), _count(html, "due-soon")) == (1, 1)
    assert _count(html, "awaiting-supplement") == 1
    for dossiers in (made["processing"], made["due_soon"], made["awaiting"]):
        assert dossiers[0].code in html
    assert made["other"][0].code not in html
    listing = reverse("intake:dossier-list")
    for query, dossier in (
        ("status=processing", made["processing"][0]),
        ("due_soon=1", made["due_soon"][0]),
        ("status=needs_supplement", made["awaiting"][0]),
    ):
        assert f'href="{listing}?{query}"' in html
        page = client.get(f"{listing}?{query}").content.decode()
        assert dossier.code in page
        assert made["other"][0].code not in page


def test_the_work_list_costs_the_same_whatever_the_ward_holds(
    client, world, django_assert_max_num_queries
):
    _ward_dossiers(world)
    client.force_login(world.officer)
    client.get(reverse("home"))
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("home"))
    _ward_dossiers(world, n=12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("home")).content.decode()
    assert _count(html, "to-process") == 13
    assert "Xem cả 13 hồ sơ" in html  # eight shown, the rest behind the link


def test_other_roles_keep_their_own_homes(client, world):
    client.force_login(world.city_admin)
    assert 'data-testid="worklist"' not in client.get(reverse("home")).content.decode()
