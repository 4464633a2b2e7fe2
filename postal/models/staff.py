"""The post's people at the ward: a postal worker's profile, the events of their account, and the
changes to the ward's counters."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from postal.models._base import HistoryEntry


class PostalWorkerProfile(models.Model):
    """What the provincial post office knows about a worker it sends to a ward counter."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.PROTECT,
        related_name="postal_profile",
    )
    post_office_code = models.CharField(_("mã nhân viên bưu điện"), max_length=30, blank=True)
    post_office_unit = models.CharField(_("đơn vị bưu điện"), max_length=200, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    in_ward_since = models.DateField(_("làm việc tại phường từ"), null=True, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ nhân viên bưu điện")
        verbose_name_plural = _("hồ sơ nhân viên bưu điện")

    def __str__(self) -> str:
        return f"{self.user} ({self.post_office_code or '—'})"


class AccountEvent(HistoryEntry):
    """One change to a ward staff account made by the chief (or by its owner)."""

    class Action(models.TextChoices):
        CREATED = "created", _("Tạo tài khoản")
        PROFILE_UPDATED = "profile_updated", _("Cập nhật hồ sơ")
        DEACTIVATED = "deactivated", _("Khoá tài khoản")
        REACTIVATED = "reactivated", _("Mở khoá tài khoản")
        PASSWORD_RESET = "password_reset", _("Đặt lại mật khẩu")
        PASSWORD_CHANGED = "password_changed", _("Đổi mật khẩu")
        TOKEN_REVOKED = "token_revoked", _("Thu hồi mã truy cập API")
        LOGIN_UNLOCKED = "login_unlocked", _("Gỡ khoá đăng nhập sai nhiều lần")

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.PROTECT,
        related_name="account_events",
    )
    action = models.CharField(_("thao tác"), max_length=20, choices=Action)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("thay đổi tài khoản")
        verbose_name_plural = _("lịch sử tài khoản")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.account_id} {self.action} {self.at:%d/%m/%Y %H:%M}"


class CounterChange(HistoryEntry):
    """One change the chief made to a counter: its old and new values."""

    counter = models.ForeignKey(
        "wards.Counter", verbose_name=_("quầy"), on_delete=models.PROTECT, related_name="changes"
    )
    before = models.JSONField(_("trước"), default=dict, blank=True)
    after = models.JSONField(_("sau"), default=dict)

    class Meta:
        verbose_name = _("thay đổi quầy")
        verbose_name_plural = _("lịch sử quầy")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.counter_id} {self.at:%d/%m/%Y %H:%M}"
