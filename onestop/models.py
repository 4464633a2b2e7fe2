"""The people who work in onestop: one custom user with a role and a place (ward or city)."""

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from wards.models import City, Ward


class Role(models.TextChoices):
    POSTAL_WORKER = "postal_worker", _("Nhân viên bưu điện")
    OFFICER = "officer", _("Công chức một cửa")
    CHIEF = "chief", _("Trưởng bộ phận một cửa")
    CITY_ADMIN = "city_admin", _("Quản trị thành phố")


WARD_ROLES = (Role.POSTAL_WORKER, Role.OFFICER, Role.CHIEF)


class User(AbstractUser):
    """A person with a login; `role` and `ward`/`city` decide what they may see and do."""

    role = models.CharField(_("vai trò"), max_length=20, choices=Role, blank=True)
    # By name: a user belongs to a place, and the places (wards) build on the people (onestop).
    ward = models.ForeignKey(
        "wards.Ward",
        verbose_name=_("phường"),
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
    )
    city = models.ForeignKey(
        "wards.City",
        verbose_name=_("thành phố"),
        on_delete=models.PROTECT,
        related_name="admins",
        null=True,
        blank=True,
    )
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    employee_code = models.CharField(_("mã nhân viên"), max_length=30, blank=True)
    must_change_password = models.BooleanField(_("phải đổi mật khẩu"), default=False)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["username"]
        constraints = [
            # Ward staff belong to exactly one ward; city admins to exactly one city; only a
            # superuser (technical administrator) may hold no role at all.
            models.CheckConstraint(
                condition=(
                    Q(role__in=[r.value for r in WARD_ROLES], ward__isnull=False, city__isnull=True)
                    | Q(role=Role.CITY_ADMIN, city__isnull=False, ward__isnull=True)
                    | Q(role="", is_superuser=True, ward__isnull=True, city__isnull=True)
                ),
                name="user_role_matches_place",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        # A Vietnamese name is written family name first: "Nguyễn Thị Hoa", never "Hoa Nguyễn Thị".
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def is_postal_worker(self) -> bool:
        return self.role == Role.POSTAL_WORKER

    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER

    @property
    def is_chief(self) -> bool:
        return self.role == Role.CHIEF

    @property
    def is_city_admin(self) -> bool:
        return self.role == Role.CITY_ADMIN

    @property
    def place(self) -> "Ward | City | None":
        return self.ward or self.city
