"""The citizens' evaluations in the reports: per ward, group and total, the count and the share
giving each indicator its full score, each linked to exactly the evaluations behind it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hall.services import evaluation_submit
from onestop import clock
from tests.intake.factories import DossierFactory
from tests.reports.scenario import at

pytestmark = pytest.mark.django_db

MARCH = "?period=month&year=2026&month=3"


def _cell(html: str, ward: str, name: str) -> tuple[str | None, str]:
    table = html.split('data-testid="evaluation-table"', 1)[1].split("</table>", 1)[0]
    row = re.search(rf'<tr class="kind-ward" data-ward="{ward}">(.*?)</tr>', table, re.S)
    assert row, ward
    link = re.search(rf'<a href="([^"]+)" data-figure="{name}">([^<]+)</a>', row.group(1))
    if link:
        return link.group(1).replace("&amp;", "&"), link.group(2)
    return None, "—"


@pytest.fixture
def evaluated(world):
    """Phú Hòa: two evaluations in March (contacts 2 and 1), one in April; Phú Lợi: one."""
    made = []
    for ward, day, month, contacts in (
        (world.ward, 10, 3, 2),
        (world.ward, 11, 3, 1),
        (world.ward, 2, 4, 2),
        (world.other_ward, 12, 3, 2),
    ):
        with clock.frozen_at(at(day, month)):
            dossier = DossierFactory(ward=ward, returned=True, satisfaction=None)
            made.append(
                evaluation_submit(
                    dossier=dossier,
                    channel="phone",
                    satisfaction=5,
                    scores={"contacts": contacts},
                )
            )
    return made


def test_the_city_report_shows_the_evaluations_with_their_links(client, world, evaluated):
    client.force_login(world.city_admin)
    html = client.get(reverse("reports:reports") + MARCH).content.decode()
    assert 'data-testid="evaluation-indicators"' in html
    url, shown = _cell(html, "phuhoa", "evaluations")
    assert shown == "2"
    listing = client.get(url).content.decode()
    assert evaluated[0].dossier.code in listing and evaluated[1].dossier.code in listing
    assert evaluated[2].dossier.code not in listing  # April
    assert evaluated[3].dossier.code not in listing  # another ward
    url, shown = _cell(html, "phuhoa", "contacts_share")
    assert shown == "50,0"
    met = client.get(url).content.decode()
    assert evaluated[0].dossier.code in met and evaluated[1].dossier.code not in met
    # Nobody answered the attitude indicator: no share, no link.
    assert _cell(html, "phuhoa", "attitude_share") == (None, "—")
    total = html.split('data-testid="evaluation-table"', 1)[1].split("</table>", 1)[0]
    assert re.search(r'class="kind-total".*?data-figure="evaluations">3<', total, re.S)


def test_the_ward_report_and_the_list_keep_to_the_chiefs_ward(client, world, evaluated):
    client.force_login(world.chief)
    html = client.get(reverse("reports:ward-report", args=["phuhoa"]) + MARCH).content.decode()
    assert 'data-testid="evaluation-table"' in html
    everything = client.get(reverse("hall:evaluations")).content.decode()
    assert evaluated[3].dossier.code not in everything
    assert evaluated[0].dossier.code in everything
    other = client.get(reverse("hall:evaluations") + "?ward=phuloi").content.decode()
    assert evaluated[3].dossier.code not in other
    client.force_login(world.postal_worker)
    assert evaluated[0].dossier.code not in client.get(reverse("hall:evaluations")).content.decode()


def test_the_list_takes_bad_parameters_without_error(client, world, evaluated):
    client.force_login(world.city_admin)
    url = reverse("hall:evaluations")
    for query in (
        "?from=31/02/2026",
        "?to=x&page=-1",
        "?pilot_phase=x&indicator=nope",
        "?page=999999999999",
    ):
        assert client.get(url + query).status_code == 200, query


def test_the_list_costs_the_same_whatever_its_length(client, world, evaluated):
    client.force_login(world.city_admin)
    url = reverse("hall:evaluations") + "?from=2026-03-01&to=2026-04-30"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in range(1, 21):
        with clock.frozen_at(at(day, 4)):
            dossier = DossierFactory(ward=world.other_ward, returned=True, satisfaction=None)
            evaluation_submit(dossier=dossier, channel="tablet", satisfaction=3)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count("<tr><td>") == 24
    assert len(many.captured_queries) == len(few.captured_queries)
