"""The main navigation: each entry names the roles that may use it, so no one sees a dead end,
and the roles for which it is a primary item: those stay in the header's row, the rest sit in
its "Thêm" group, so the header keeps one row on a counter's 1366 px screen."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from onestop.models import Role


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: frozenset[str]
    primary: frozenset[str] = frozenset()


ALL_ROLES = frozenset(Role.values)
COUNTER = frozenset({Role.POSTAL_WORKER, Role.OFFICER, Role.CHIEF})

ENTRIES: list[NavEntry] = [
    NavEntry(_("Trang chủ"), "home", ALL_ROLES, ALL_ROLES),
    NavEntry(_("Tiếp nhận hồ sơ"), "intake:receive", COUNTER, COUNTER),
    NavEntry(_("Hồ sơ"), "intake:dossier-list", ALL_ROLES, ALL_ROLES),
    NavEntry(_("Trả kết quả"), "intake:return", COUNTER, COUNTER),
    NavEntry(
        _("Báo cáo"),
        "reports:reports",
        frozenset({Role.CHIEF, Role.CITY_ADMIN}),
        frozenset({Role.CHIEF, Role.CITY_ADMIN}),
    ),
    NavEntry(
        _("Phân công"),
        "postal:roster",
        frozenset({Role.POSTAL_WORKER, Role.CHIEF}),
        frozenset({Role.POSTAL_WORKER, Role.CHIEF}),
    ),
    NavEntry(_("Giao thủ tục"), "postal:authorisations", frozenset({Role.CHIEF})),
    NavEntry(_("Nhập liệu"), "postal:batches", frozenset({Role.POSTAL_WORKER, Role.CHIEF})),
    NavEntry(_("Hướng dẫn"), "postal:guidance", frozenset({Role.POSTAL_WORKER})),
    NavEntry(_("Nhân viên"), "postal:accounts", frozenset({Role.CHIEF})),
    NavEntry(_("Xếp hàng"), "hall:settings", frozenset({Role.CHIEF})),
    NavEntry(
        _("Danh mục TTHC"),
        "catalogue:list",
        frozenset({Role.CITY_ADMIN}),
        frozenset({Role.CITY_ADMIN}),
    ),
    NavEntry(
        _("Lịch làm việc"),
        "wards:calendar",
        frozenset({Role.CITY_ADMIN}),
        frozenset({Role.CITY_ADMIN}),
    ),
    NavEntry(_("Phường"), "wards:ward-admin-list", frozenset({Role.CITY_ADMIN})),
    NavEntry(_("Tác vụ nền"), "tasks", frozenset({Role.CITY_ADMIN})),
    NavEntry(
        _("Chuyển phát"),
        "deliveries:list",
        frozenset({Role.POSTAL_WORKER, Role.OFFICER, Role.CHIEF, Role.CITY_ADMIN}),
        frozenset({Role.OFFICER}),
    ),
    NavEntry(_("Bảng cước bưu chính"), "deliveries:tariff", frozenset({Role.CITY_ADMIN})),
    NavEntry(_("Nhật ký truy cập"), "intake:access-log", frozenset({Role.CHIEF, Role.CITY_ADMIN})),
    # For those who connect other systems; the counter's own menus stay on the counter's work
    # (the page itself stays open to every signed-in user).
    NavEntry(_("Tài liệu API"), "api-docs", frozenset({Role.CHIEF, Role.CITY_ADMIN})),
]


def entries_for(user, current_path: str) -> list[dict]:
    """The entries `user` may follow, with the one matching `current_path` marked current and
    the user's primary ones marked primary (a superuser without a role: those of every role)."""
    items = []
    for entry in ENTRIES:
        roleless_superuser = user.is_superuser and not user.role
        if user.role not in entry.roles and not roleless_superuser:
            continue
        primary = entry.primary == ALL_ROLES if roleless_superuser else user.role in entry.primary
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        current = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": entry.label, "url": url, "current": current, "primary": primary})
    if user.is_superuser:
        items.append(
            {
                "label": _("Quản trị hệ thống"),
                "url": reverse("admin:index"),
                "current": False,
                "primary": False,
            }
        )
    return items
