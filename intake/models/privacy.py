"""The log of who read a dossier's personal data in full, or exported it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from intake.models.dossiers import Dossier


class PersonalDataAccess(models.Model):
    """One view of a dossier's full personal data, or one export, by one user (append-only).

    Written by `intake.privacy.personal_data_access_log` from the views that show a dossier in
    full (detail page and API, receipt, slips, the return page) and from every export (reports,
    the Mẫu 06 logbook, the postal hand-over list). The ward's chief reads their ward's lines,
    a city admin their city's; nobody changes or removes one.
    """

    at = models.DateTimeField(_("thời điểm"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("vai trò"), max_length=20, blank=True)
    # The ward whose data was read (the dossier's, or the ward an export covers); a city-wide
    # export has no ward but its city. A chief reads the lines of their ward, a city admin those
    # of their city's wards and the city's own.
    ward = models.ForeignKey(
        "wards.Ward",
        verbose_name=_("phường"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    city = models.ForeignKey(
        "wards.City",
        verbose_name=_("thành phố"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    export = models.CharField(_("tệp xuất"), max_length=60, blank=True)
    params = models.JSONField(_("tham số"), default=dict, blank=True)

    class Meta:
        verbose_name = _("lần truy cập dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký truy cập dữ liệu cá nhân")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["ward", "-at", "-id"], name="pda_ward_at"),
            models.Index(fields=["city", "-at", "-id"], name="pda_city_at"),
            models.Index(fields=["dossier", "-at"], name="pda_dossier_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(dossier__isnull=False) | ~Q(export=""),
                name="pda_names_dossier_or_export",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.user_id} {self.dossier_id or self.export}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Personal data accesses are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Personal data accesses are append-only.")
