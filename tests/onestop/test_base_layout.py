"""The base layout every page extends: what each page carries in its head."""

import re

from django.contrib.staticfiles import finders
from django.urls import reverse


def test_every_page_names_its_icon_and_the_icon_is_served(client, db):
    html = client.get(reverse("login")).content.decode()
    link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert link is not None
    name = link.group(1).removeprefix("/static/")
    found = finders.find(name)
    assert found is not None
    with open(found, encoding="utf-8") as icon:
        assert icon.read().startswith("<svg")
