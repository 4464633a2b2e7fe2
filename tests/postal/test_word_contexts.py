""" "Chiều" is both the afternoon shift and a delivery's direction (inbound or outbound).

Each use is its own message, with the context "shift" or "direction", so the catalog translates
them apart: one English word for both had the deliveries list read "Afternoon" over the
direction column and the roster cell read "direction" for the afternoon shift.
"""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.postal.test_views import HTMX, slot_url

pytestmark = pytest.mark.django_db


def as_user(client, user, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


def slot_title(html: str) -> str:
    return re.search(r'<p class="slot-title">(.*?)</p>', html, re.S).group(1)


def test_the_deliveries_list_does_not_call_the_direction_afternoon(world, client):
    html = as_user(client, world.postal_worker, "en").get(reverse("deliveries:list"))
    html = html.content.decode()
    assert '<html lang="en"' in html
    assert "Afternoon" not in html


def test_the_afternoon_cell_does_not_say_direction(world, client, friday):
    response = as_user(client, world.chief, "en").get(slot_url(world, shift="afternoon"), **HTMX)
    assert response.status_code == 200
    assert "direction" not in slot_title(response.content.decode()).lower()


def test_vietnamese_keeps_the_word_in_both_places(world, client, friday):
    as_user(client, world.chief, "vi")
    assert "chiều" in slot_title(
        client.get(slot_url(world, shift="afternoon"), **HTMX).content.decode()
    )
    html = client.get(reverse("deliveries:list")).content.decode()
    assert '<th scope="col">Chiều</th>' in html
    assert re.search(r'<label for="id_direction">Chiều</label>', html)
