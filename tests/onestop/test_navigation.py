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


PRIMARY = {
    "postal_worker": ["Trang chủ", "Tiếp nhận hồ sơ", "Hồ sơ", "Trả kết quả", "Phân công"],
    "officer": ["Trang chủ", "Tiếp nhận hồ sơ", "Hồ sơ", "Trả kết quả", "Chuyển phát"],
    "chief": ["Trang chủ", "Tiếp nhận hồ sơ", "Hồ sơ", "Trả kết quả", "Báo cáo", "Phân công"],
    "city_admin": ["Trang chủ", "Hồ sơ", "Báo cáo", "Danh mục TTHC", "Lịch làm việc"],
}


@pytest.mark.parametrize("role", sorted(PRIMARY))
def test_each_role_keeps_a_few_primary_items_and_groups_the_rest(world, client, role):
    user = getattr(world, role)
    items = entries_for(user, "/")
    assert [str(item["label"]) for item in items if item["primary"]] == PRIMARY[role]
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    primary = html[html.index('class="nav-primary"') :]
    primary = primary[: primary.index("</ul>")]
    assert primary.count("<li>") == len(PRIMARY[role])
    more = [item for item in items if not item["primary"]]
    # The rest wait in the "Thêm" group (none for an officer, who has no more); the compact menu
    # below 1100 px holds every item.
    assert ('data-testid="nav-more"' in html) is bool(more)
    compact = html[html.index('data-testid="nav-compact"') :]
    compact = compact[: compact.index("</details>")]
    assert compact.count("<li>") == len(items)


def test_a_page_in_the_group_marks_the_group_current(world, client):
    client.force_login(world.chief)
    html = client.get(reverse("postal:accounts")).content.decode()
    more = html[html.index('data-testid="nav-more"') :]
    more = more[: more.index("</details>")]
    assert '<summary class="current">' in more
    assert f'<a href="{reverse("postal:accounts")}" aria-current="page">' in more
