"""Independent work, step by step: the chief's leave for a worker to receive a procedure on their
own, and the chief's review of an intake outside that list."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onestop.fields import actor_field


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
