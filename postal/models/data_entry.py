"""Data entry: batches of paper dossiers received before, and the records entered from them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onestop.fields import actor_field


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
