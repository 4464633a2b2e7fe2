"""The procedure catalogue (thủ tục hành chính) a ward counter receives against."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from onestop.text import fold


def term_text(days: int | None, unit: str) -> str:
    """A term as the receipt and the catalogue print it: "trong ngày", "15 ngày",
    "3 ngày làm việc"; empty when the term is not verified."""
    if days is None:
        return ""
    if days == 0:
        return gettext("trong ngày")
    if unit == Procedure.TermUnit.CALENDAR_DAYS:
        return ngettext("%(days)s ngày", "%(days)s ngày", days) % {"days": days}
    return ngettext("%(days)s ngày làm việc", "%(days)s ngày làm việc", days) % {"days": days}


class Procedure(models.Model):
    """An administrative procedure a ward counter receives, as the catalogue states it."""

    class Level(models.TextChoices):
        WARD = "ward", _("Cấp phường")
        DISTRICT = "district", _("Cấp thành phố")
        PROVINCE = "province", _("Cấp tỉnh")

    class TermUnit(models.TextChoices):
        """How the procedure states its term (wards.calendar.term_appointment_at)."""

        WORKING_DAYS = "working_days", _("ngày làm việc")
        CALENDAR_DAYS = "calendar_days", _("ngày")

    code = models.CharField(
        _("mã thủ tục"),
        max_length=20,
        unique=True,
        help_text=_("Mã trên Cơ sở dữ liệu quốc gia về TTHC, hoặc mã nội bộ khi chưa xác minh."),
    )
    code_is_national = models.BooleanField(_("mã quốc gia đã xác minh"), default=True)
    name = models.CharField(_("tên thủ tục"), max_length=400)
    field = models.CharField(_("lĩnh vực"), max_length=100)
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=Level)
    resolving_agency = models.CharField(_("cơ quan giải quyết"), max_length=200, blank=True)
    processing_days = models.PositiveSmallIntegerField(
        _("thời hạn giải quyết"),
        null=True,
        blank=True,
        help_text=_("0 là trả trong ngày; để trống khi chưa xác minh."),
    )
    term_unit = models.CharField(
        _("đơn vị thời hạn"),
        max_length=15,
        choices=TermUnit,
        default=TermUnit.WORKING_DAYS,
        help_text=_("“ngày làm việc”, hoặc “ngày” khi văn bản quy định thời hạn theo ngày."),
    )
    supplement_window_days = models.PositiveSmallIntegerField(
        _("thời hạn yêu cầu bổ sung (ngày làm việc)"),
        null=True,
        blank=True,
        help_text=_(
            "Chỉ điền khi luật chuyên ngành quy định thời hạn khác; để trống là theo quy định "
            "chung (3 ngày làm việc kể từ ngày tiếp nhận)."
        ),
    )
    fee = models.PositiveIntegerField(
        _("phí, lệ phí (đồng)"), null=True, blank=True, help_text=_("Để trống khi chưa xác minh.")
    )
    postal_eligible = models.BooleanField(_("tiếp nhận qua bưu điện"), default=False)
    components = models.JSONField(
        _("thành phần hồ sơ"),
        default=list,
        blank=True,
        help_text=_('Danh sách {"name": …, "originals": số bản chính, "copies": số bản sao}.'),
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    source = models.CharField(_("nguồn"), max_length=300, blank=True)
    active = models.BooleanField(_("đang áp dụng"), default=True)
    effective_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    search_text = models.CharField(max_length=500, editable=False, db_index=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["field", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="procedure_effective_range",
            ),
            models.CheckConstraint(
                condition=Q(term_unit__in=["working_days", "calendar_days"]),
                name="procedure_term_unit_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs):
        # The folded copy is derived data, kept beside the name so search can use an index.
        self.search_text = fold(f"{self.code} {self.name}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def term_label(self) -> str:
        return term_text(self.processing_days, self.term_unit)

    @property
    def is_same_day(self) -> bool:
        return self.processing_days == 0
