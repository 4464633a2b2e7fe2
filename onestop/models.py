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


class ApiToken(models.Model):
    """A key another system (or a script) signs in to the API with.

    The key itself is not stored: only its SHA-256 digest, so a copy of the database signs no one
    in; `nonce` derives the same key again (with SECRET_KEY) when its owner asks for a token
    twice. A token ends when revoked (password changed or reset, account locked, the chief's
    decision), after API_TOKEN_IDLE_MINUTES unused, or API_TOKEN_MAX_AGE_HOURS after it was made;
    the row stays, so the chief sees the account's tokens and how each one ended.
    """

    class Ended(models.TextChoices):
        PASSWORD_CHANGED = "password_changed", _("Đổi mật khẩu")
        PASSWORD_RESET = "password_reset", _("Đặt lại mật khẩu")
        ACCOUNT_LOCKED = "account_locked", _("Khoá tài khoản")
        REVOKED = "revoked", _("Thu hồi")

    user = models.ForeignKey(
        User, verbose_name=_("tài khoản"), on_delete=models.PROTECT, related_name="api_tokens"
    )
    digest = models.CharField(_("mã băm của khóa"), max_length=64, unique=True)
    # Empty for keys carried over from the earlier token table: those cannot be derived again.
    nonce = models.CharField(max_length=32, blank=True)
    # A digest of the password hash at issue: a password changed by any path ends the token.
    password_stamp = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("tạo lúc"))
    last_used_at = models.DateTimeField(_("dùng gần nhất"))
    last_used_from = models.GenericIPAddressField(_("từ địa chỉ"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    revoked_reason = models.CharField(_("lý do kết thúc"), max_length=20, choices=Ended, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user_live")]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_reason="")
                | Q(revoked_at__isnull=False) & ~Q(revoked_reason=""),
                name="api_token_revoked_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%d/%m/%Y %H:%M}"
