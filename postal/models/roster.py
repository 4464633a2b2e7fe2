"""Postal workers' work at the counter: profiles, the roster, authorisations, out-of-list review,
data-entry batches and the guidance log.

Nothing here is ever deleted. An assignment is cancelled, an authorisation revoked, an account
deactivated, a batch closed; every change leaves a row behind.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from onestop.fields import actor_field

MORNING_ENDS = dt.time(12, 0)


class AppendOnly(models.Model):
    """A log row: written once, never changed or removed."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} rows are append-only.")


class HistoryEntry(AppendOnly):
    """One line of a history: when it happened and who did it."""

    at = models.DateTimeField(_("thời điểm"))
    actor = actor_field(_("người thực hiện"))

    class Meta:
        abstract = True


# --- people ----------------------------------------------------------------------------------


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


# --- the roster ------------------------------------------------------------------------------


class Shift(models.TextChoices):
    MORNING = "morning", _("Sáng")
    AFTERNOON = "afternoon", pgettext_lazy("shift", "Chiều")


def shift_of(local_moment: dt.datetime) -> "Shift":
    """The shift a local wall-clock moment falls in: morning before noon, afternoon after."""
    return Shift.MORNING if local_moment.time() < MORNING_ENDS else Shift.AFTERNOON


class TaskType(models.TextChoices):
    INTAKE = "intake", _("Tiếp nhận")
    RESULT_RETURN = "result_return", _("Trả kết quả")
    DATA_ENTRY = "data_entry", _("Nhập liệu")
    GUIDANCE = "guidance", _("Hướng dẫn")
    OUT_OF_LIST_INTAKE = "out_of_list_intake", _("Tiếp nhận ngoài danh mục")


# Tasks done facing citizens across a counter: the counter is part of the assignment.
COUNTER_TASKS = (TaskType.INTAKE, TaskType.RESULT_RETURN, TaskType.OUT_OF_LIST_INTAKE)


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(cancelled_at__isnull=True)


class Assignment(models.Model):
    """One worker's task in one shift of one day (a cell of the chief's week grid)."""

    ward = models.ForeignKey("wards.Ward", verbose_name=_("phường"), on_delete=models.PROTECT)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nhân viên"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    date = models.DateField(_("ngày"))
    shift = models.CharField(_("ca"), max_length=10, choices=Shift)
    task_type = models.CharField(_("nhiệm vụ"), max_length=20, choices=TaskType)
    counter = models.ForeignKey(
        "wards.Counter",
        verbose_name=_("quầy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    assigned_by = actor_field(_("người phân công"))
    created_at = models.DateTimeField(_("tạo lúc"))
    updated_at = models.DateTimeField(_("sửa lúc"))
    cancelled_at = models.DateTimeField(_("huỷ lúc"), null=True, blank=True)
    cancelled_by = actor_field(_("người huỷ"), optional=True)
    cancel_note = models.CharField(_("lý do huỷ"), max_length=300, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        ordering = ["date", "shift", "worker_id"]
        indexes = [
            models.Index(fields=["ward", "date"], name="assignment_ward_date"),
            models.Index(fields=["worker", "date"], name="assignment_worker_date"),
        ]
        constraints = [
            # The heart of the roster: one live task per worker and shift, so a worker is never
            # at two counters at once, whatever path (form, API, two chiefs at once) writes it.
            models.UniqueConstraint(
                fields=["worker", "date", "shift"],
                condition=Q(cancelled_at__isnull=True),
                name="assignment_one_per_worker_shift",
            ),
            models.CheckConstraint(
                condition=Q(shift__in=Shift.values), name="assignment_shift_known"
            ),
            models.CheckConstraint(
                condition=Q(task_type__in=TaskType.values), name="assignment_task_known"
            ),
            models.CheckConstraint(
                condition=~Q(task_type__in=COUNTER_TASKS) | Q(counter__isnull=False),
                name="assignment_counter_task_has_counter",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True, cancelled_by__isnull=True, cancel_note="")
                | (Q(cancelled_at__isnull=False, cancelled_by__isnull=False) & ~Q(cancel_note="")),
                name="assignment_cancel_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.date:%d/%m/%Y} {self.get_shift_display()}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def describe(self) -> str:
        """How a refusal or a history line names this assignment."""
        where = f", {self.counter}" if self.counter_id else ""
        return _("%(task)s, ca %(shift)s %(date)s%(where)s") % {
            "task": self.get_task_type_display(),
            "shift": self.get_shift_display().lower(),
            "date": f"{self.date:%d/%m/%Y}",
            "where": where,
        }

    def snapshot(self) -> dict:
        """The values a change log keeps."""
        return {
            "worker": self.worker_id,
            "date": self.date.isoformat(),
            "shift": self.shift,
            "task_type": self.task_type,
            "counter": self.counter_id,
            "note": self.note,
        }


class AssignmentChange(HistoryEntry):
    """One line of an assignment's history: created, changed, copied or cancelled."""

    class Action(models.TextChoices):
        CREATED = "created", _("Phân công")
        COPIED = "copied", _("Sao chép từ tuần trước")
        UPDATED = "updated", _("Sửa")
        CANCELLED = "cancelled", _("Huỷ")

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("phân công"), on_delete=models.PROTECT, related_name="changes"
    )
    action = models.CharField(_("thao tác"), max_length=10, choices=Action)
    before = models.JSONField(_("trước"), default=dict, blank=True)
    after = models.JSONField(_("sau"), default=dict, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lịch sử phân công")
        verbose_name_plural = _("lịch sử phân công")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.action} {self.at:%d/%m/%Y %H:%M}"


# --- independent work and out-of-list intake -------------------------------------------------


class ProcedureAuthorization(models.Model):
    """The chief's leave for one worker to receive one procedure on their own.

    Granting again after a revocation writes a new row, so the history of who could receive
    what, and when, stays readable.
    """

    ward = models.ForeignKey("wards.Ward", verbose_name=_("phường"), on_delete=models.PROTECT)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nhân viên"),
        on_delete=models.PROTECT,
        related_name="procedure_authorizations",
    )
    procedure = models.ForeignKey(
        "intake.Procedure",
        verbose_name=_("thủ tục"),
        on_delete=models.PROTECT,
        related_name="authorizations",
    )
    granted_at = models.DateTimeField(_("giao lúc"))
    granted_by = actor_field(_("người giao"))
    grant_note = models.CharField(_("ghi chú khi giao"), max_length=300, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = actor_field(_("người thu hồi"), optional=True)
    revoke_note = models.CharField(_("lý do thu hồi"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("giao thủ tục")
        verbose_name_plural = _("giao thủ tục")
        ordering = ["-granted_at", "-id"]
        indexes = [
            models.Index(fields=["worker", "procedure"], name="authorization_worker_proc"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "procedure"],
                condition=Q(revoked_at__isnull=True),
                name="authorization_one_active",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(
                    revoked_at__isnull=False,
                    revoked_by__isnull=False,
                    revoked_at__gte=models.F("granted_at"),
                ),
                name="authorization_revoke_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} – {self.procedure_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class OutOfListReview(models.Model):
    """The chief's review of a dossier a postal worker received outside their list."""

    dossier = models.OneToOneField(
        "intake.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="out_of_list_review",
    )
    reviewed_at = models.DateTimeField(_("xem xét lúc"))
    reviewed_by = actor_field(_("người xem xét"))
    comment = models.TextField(_("nhận xét"))

    class Meta:
        verbose_name = _("xem xét hồ sơ ngoài danh mục")
        verbose_name_plural = _("xem xét hồ sơ ngoài danh mục")
        ordering = ["-reviewed_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(comment=""), name="review_has_comment"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.reviewed_at:%d/%m/%Y}"


# --- data entry and guidance -----------------------------------------------------------------


class DataEntryBatch(models.Model):
    """A pile of paper dossiers, received before, that one worker enters into the system."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang nhập")
        DONE = "done", _("Đã xong")
        CANCELLED = "cancelled", _("Đã huỷ")

    ward = models.ForeignKey("wards.Ward", verbose_name=_("phường"), on_delete=models.PROTECT)
    title = models.CharField(_("tên lô"), max_length=200)
    paper_count = models.PositiveIntegerField(_("số hồ sơ giấy"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        on_delete=models.PROTECT,
        related_name="data_entry_batches",
    )
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(_("lập lúc"))
    created_by = actor_field(_("người lập"))
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    closed_by = actor_field(_("người đóng"), optional=True)

    class Meta:
        verbose_name = _("lô nhập liệu")
        verbose_name_plural = _("lô nhập liệu")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["ward", "status"], name="batch_ward_status")]
        constraints = [
            models.CheckConstraint(condition=Q(paper_count__gte=1), name="batch_count_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["open", "done", "cancelled"]), name="batch_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (~Q(status="open") & Q(closed_at__isnull=False, closed_by__isnull=False)),
                name="batch_closed_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DataEntryRecord(models.Model):
    """One paper dossier of a batch, entered: the dossier it became and its paper receipt."""

    batch = models.ForeignKey(
        DataEntryBatch, verbose_name=_("lô"), on_delete=models.PROTECT, related_name="records"
    )
    dossier = models.OneToOneField(
        "intake.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="data_entry",
    )
    # Copied from the batch so the database itself can refuse a receipt entered twice.
    ward = models.ForeignKey("wards.Ward", verbose_name=_("phường"), on_delete=models.PROTECT)
    original_receipt_number = models.CharField(_("số giấy tiếp nhận gốc"), max_length=40)
    original_received_at = models.DateTimeField(_("tiếp nhận gốc lúc"))
    entered_at = models.DateTimeField(_("nhập lúc"))
    entered_by = actor_field(_("người nhập"))

    class Meta:
        verbose_name = _("hồ sơ nhập liệu")
        verbose_name_plural = _("hồ sơ nhập liệu")
        ordering = ["-entered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "original_receipt_number"], name="data_entry_receipt_once"
            ),
            models.CheckConstraint(
                condition=~Q(original_receipt_number=""), name="data_entry_receipt_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_receipt_number} → {self.dossier_id}"


class GuidanceSession(models.Model):
    """A citizen guided at the counter: logged in a few keystrokes, counted in reports."""

    class Outcome(models.TextChoices):
        GUIDED = "guided", _("Đã hướng dẫn")
        REFERRED = "referred", _("Chuyển nơi khác")
        RECEIVED = "received", _("Đã tiếp nhận hồ sơ")

    ward = models.ForeignKey("wards.Ward", verbose_name=_("phường"), on_delete=models.PROTECT)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người hướng dẫn"),
        on_delete=models.PROTECT,
        related_name="guidance_sessions",
    )
    at = models.DateTimeField(_("thời điểm"))
    procedure = models.ForeignKey(
        "intake.Procedure",
        verbose_name=_("thủ tục"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    topic = models.CharField(_("nội dung"), max_length=200)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome)
    counter = models.ForeignKey(
        "wards.Counter", verbose_name=_("quầy"), on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        verbose_name = _("lượt hướng dẫn")
        verbose_name_plural = _("sổ hướng dẫn")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["ward", "-at"], name="guidance_ward_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["guided", "referred", "received"]),
                name="guidance_outcome_known",
            ),
            models.CheckConstraint(condition=~Q(topic=""), name="guidance_has_topic"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.at:%d/%m/%Y %H:%M}"


# The deliveries' models live in postal/deliveries/; importing them here registers them with the
# app when Django loads postal.models.
from postal.deliveries.models import (  # noqa: E402, F401
    Delivery,
    DeliveryDirection,
    DeliveryRequest,
    DeliveryStatus,
    PostalTariff,
    Zone,
    s10_check_digit,
    validate_s10,
)
