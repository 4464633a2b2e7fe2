"""The scanned components of a dossier (số hóa)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from intake.models.dossiers import Dossier
from intake.models.events import DossierEvent


class DossierFile(models.Model):
    """A scanned component of a dossier (số hóa, Decision 468/QĐ-TTg).

    The bytes live in Django's default storage under a random name and are read only through a
    view that checks the reader's scope, never through a public media URL. Nothing is deleted:
    a wrong scan is marked superseded, with an event, and stays in the history.
    """

    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="files"
    )
    component = models.CharField(
        _("thành phần hồ sơ"),
        max_length=300,
        blank=True,
        help_text=_("Tên thành phần trong danh sách của hồ sơ; để trống là giấy tờ khác."),
    )
    original_name = models.CharField(_("tên tệp khi tải lên"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=30, choices=Kind)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    storage_name = models.CharField(max_length=255, unique=True, editable=False)
    uploaded_at = models.DateTimeField(_("tải lên lúc"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    upload_event = models.OneToOneField(
        DossierEvent, on_delete=models.PROTECT, related_name="uploaded_file", editable=False
    )
    superseded_at = models.DateTimeField(_("thay thế lúc"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đánh dấu thay thế"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    superseded_reason = models.CharField(_("lý do thay thế"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tệp số hóa")
        verbose_name_plural = _("tệp số hóa")
        ordering = ["uploaded_at", "id"]
        indexes = [
            models.Index(fields=["dossier", "uploaded_at"], name="dossierfile_dossier_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="dossierfile_not_empty"),
            models.CheckConstraint(
                condition=Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="dossierfile_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(superseded_at__isnull=True, superseded_by__isnull=True)
                | Q(superseded_at__isnull=False, superseded_by__isnull=False),
                name="dossierfile_superseded_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.original_name}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[
            self.content_type
        ]
