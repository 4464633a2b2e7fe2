"""The people who work in onestop: one custom user with a role and a place (ward or city)."""

import uuid
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


class BackgroundTask(models.Model):
    """One piece of work run off the request, known by its key.

    The queue itself belongs to the task backend (`settings.TASKS`); this row is the work's own
    account: what was asked, by whom, for which city, its attempts, its progress, its outcome.
    The key makes the work idempotent: enqueued twice, retried, or picked up again after a lost
    worker, it is done once (onestop/tasks.py).
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        RETRYING = "retrying", _("Chờ chạy lại")
        FAILED = "failed", _("Thất bại")
        DONE = "done", _("Hoàn thành")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.CharField(_("khóa"), max_length=200, unique=True)
    # The task's dotted path, as the backend knows it; `kind` names it for people.
    task_path = models.CharField(_("tác vụ"), max_length=200)
    subject = models.CharField(_("nội dung"), max_length=200, blank=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State, default=State.QUEUED)
    requested_by = models.ForeignKey(
        User,
        verbose_name=_("người yêu cầu"),
        on_delete=models.PROTECT,
        related_name="background_tasks",
        null=True,
        blank=True,
    )
    # By name, as the User's place: the wards build on the people, not the other way round.
    city = models.ForeignKey(
        "wards.City",
        verbose_name=_("thành phố"),
        on_delete=models.PROTECT,
        related_name="background_tasks",
        null=True,
        blank=True,
    )
    attempts = models.PositiveIntegerField(_("số lần chạy"), default=0)
    max_attempts = models.PositiveIntegerField(_("số lần chạy tối đa"))
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    error = models.TextField(_("lý do lỗi"), blank=True)
    result = models.JSONField(default=dict, blank=True)
    backend_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("yêu cầu lúc"))
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("chạy lại lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tác vụ nền")
        verbose_name_plural = _("tác vụ nền")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["city", "-created_at"], name="bgtask_city_recent"),
            models.Index(fields=["state", "-created_at"], name="bgtask_state_recent"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def progress_percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)


class TaskAttempt(models.Model):
    """One run of a background task: when, how it ended, and why it failed."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Đang chạy")
        DONE = "done", _("Hoàn thành")
        RETRY = "retry", _("Lỗi tạm thời, sẽ chạy lại")
        FAILED = "failed", _("Thất bại")

    task = models.ForeignKey(BackgroundTask, on_delete=models.PROTECT, related_name="runs")
    number = models.PositiveIntegerField(_("lần"))
    outcome = models.CharField(
        _("kết quả"), max_length=10, choices=Outcome, default=Outcome.RUNNING
    )
    error = models.TextField(_("lý do lỗi"), blank=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"))
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần chạy tác vụ")
        verbose_name_plural = _("lần chạy tác vụ")
        ordering = ["task", "number"]
        constraints = [
            models.UniqueConstraint(fields=["task", "number"], name="task_attempt_once"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} #{self.number}"


class ExportFile(models.Model):
    """A file a background task made for one person, kept for a limited time.

    Only its requester (and the city admin of its city) may fetch it; past `expires_at` it is
    gone: `manage.py prune_exports` removes the file and keeps the row, with `removed_at`.
    """

    task = models.OneToOneField(BackgroundTask, on_delete=models.PROTECT, related_name="file")
    name = models.CharField(_("tên tệp"), max_length=200)
    file = models.FileField(upload_to="exports/", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(_("lập lúc"))
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    removed_at = models.DateTimeField(_("xoá tệp lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tệp xuất")
        verbose_name_plural = _("tệp xuất")
        indexes = [models.Index(fields=["removed_at", "expires_at"], name="export_file_expiry")]

    def __str__(self) -> str:
        return self.name
