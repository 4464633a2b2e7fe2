"""The guidance log: a citizen guided, referred or received at the counter."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
