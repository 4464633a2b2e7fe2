"""The main navigation: each role sees the entries it may use."""

import pytest
from django.urls import reverse

from onestop.navigation import entries_for

API_DOCS = reverse("api-docs")


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("postal_worker", False),
        ("officer", False),
        ("chief", True),
        ("city_admin", True),
    ],
)
def test_the_api_docs_link_is_not_in_counter_staff_menus(world, client, role, shown):
    user = getattr(world, role)
    assert any(item["url"] == API_DOCS for item in entries_for(user, "/")) is shown
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    nav = html[html.index('class="site-nav"') :]
    nav = nav[: nav.index("</nav>")]
    assert (f'href="{API_DOCS}"' in nav) is shown
    # The page itself is still open to them.
    assert client.get(API_DOCS).status_code == 200
