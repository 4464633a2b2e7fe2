"""The dossier's control sheet (Phiếu kiểm soát, Mẫu 05): one append-only row per step."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from intake.models.dossiers import Dossier, Status


class DossierEvent(models.Model):
    """One line of the dossier's control sheet (Mẫu 05). Written once, never changed."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    actor_role = models.CharField(_("vai trò"), max_length=20, blank=True)
    action = models.CharField(_("thao tác"), max_length=30)
    from_status = models.CharField(_("từ trạng thái"), max_length=20, choices=Status, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=20, choices=Status)
    note = models.TextField(_("ghi chú"), blank=True)
    counter = models.ForeignKey(
        "wards.Counter", verbose_name=_("quầy"), on_delete=models.PROTECT, null=True, blank=True
    )
    from_unit = models.CharField(_("bên giao"), max_length=200, blank=True)
    to_unit = models.CharField(_("bên nhận"), max_length=200, blank=True)
    appointment_at = models.DateTimeField(_("hẹn trả mới"), null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True, default="")
    # The step was taken on paper before the dossier was entered (a data-entry batch): `at` is
    # the date written on the paper, the actor is who transcribed it.
    from_paper = models.BooleanField(_("theo hồ sơ giấy"), default=False, db_default=False)

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("nhật ký hồ sơ")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["dossier", "at"], name="event_dossier_at")]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "request_id"],
                condition=~Q(request_id=""),
                name="event_request_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action} {self.at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Dossier events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Dossier events are append-only.")
