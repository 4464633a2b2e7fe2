"""Input at the edges answers a clear 400 or a normal page, never a 500."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient


@pytest.mark.parametrize("name", ["api-token", "assignment-list", "dossier-list"])
def test_deeply_nested_json_is_a_400_everywhere(world, name):
    client = APIClient()
    client.force_authenticate(world.chief)
    body = "[" * 100_000 + "]" * 100_000
    response = client.post(reverse(name), body, content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in str(response.json())


@pytest.mark.parametrize(
    "query",
    [
        "received_to=31/12/9999",
        "received_from=01/01/0001",
        "received_from=01/01/0001&received_to=31/12/9999",
    ],
)
def test_dates_at_the_calendars_ends_do_not_break_the_list(world, client, query):
    client.force_login(world.officer)
    response = client.get(reverse("intake:dossier-list") + "?" + query)
    assert response.status_code == 200
