"""Administrative units (city, ward), the ward's counters and the city's working calendar."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class City(models.Model):
    """A city or district (thành phố / huyện) that groups wards, within its province."""

    name = models.CharField(_("tên"), max_length=100)
    slug = models.SlugField(_("tên viết không dấu"), max_length=50, unique=True)
    code = models.CharField(_("mã đơn vị hành chính"), max_length=10, unique=True)
    kind = models.CharField(_("loại"), max_length=30, default="Thành phố")
    province_name = models.CharField(_("tỉnh"), max_length=100)
    province_code = models.CharField(_("mã tỉnh"), max_length=10)

    class Meta:
        verbose_name = _("thành phố")
        verbose_name_plural = _("thành phố")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


class Ward(models.Model):
    """A ward (phường / xã) whose People's Committee runs a one-stop section."""

    class PilotPhase(models.IntegerChoices):
        NONE = 0, _("Chưa thí điểm")
        FIRST = 1, _("Giai đoạn 1")
        SECOND = 2, _("Giai đoạn 2")

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="wards")
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=20, default="Phường")
    slug = models.SlugField(_("tên viết không dấu"), max_length=50, unique=True)
    admin_code = models.CharField(_("mã đơn vị hành chính"), max_length=10, unique=True)
    unit_identifier = models.CharField(
        _("mã định danh điện tử"),
        max_length=30,
        unique=True,
        help_text=_("Dùng làm tiền tố của mã hồ sơ, ví dụ 000.00.12.H13."),
    )
    pilot_phase = models.PositiveSmallIntegerField(
        _("giai đoạn thí điểm"), choices=PilotPhase, default=PilotPhase.NONE
    )
    pilot_started_on = models.DateField(_("ngày bắt đầu thí điểm"), null=True, blank=True)
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("phường")
        verbose_name_plural = _("phường")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pilot_phase=0) | Q(pilot_started_on__isnull=False),
                name="ward_pilot_has_start_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"

    @property
    def is_pilot(self) -> bool:
        return self.pilot_phase != self.PilotPhase.NONE


class Counter(models.Model):
    """A desk of the ward's one-stop section, staffed by postal workers or officers."""

    class Kind(models.TextChoices):
        POSTAL = "postal", _("Quầy bưu điện")
        OFFICER = "officer", _("Quầy công chức")

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="counters")
    number = models.PositiveSmallIntegerField(_("số quầy"))
    name = models.CharField(_("tên quầy"), max_length=100)
    kind = models.CharField(_("loại quầy"), max_length=10, choices=Kind)
    has_computer = models.BooleanField(_("có máy tính"), default=True)
    has_signage = models.BooleanField(_("có biển hiệu"), default=True)
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("quầy")
        verbose_name_plural = _("quầy")
        ordering = ["ward", "number"]
        constraints = [
            models.UniqueConstraint(fields=["ward", "number"], name="counter_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="counter_number_positive"),
        ]

    def __str__(self) -> str:
        return f"Quầy {self.number} – {self.name}"


class CalendarException(models.Model):
    """A city's change to the national calendar: an extra day off or an extra working day."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Nghỉ thêm")
        WORKING_DAY = "working_day", _("Làm bù")

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="calendar_exceptions")
    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=12, choices=Kind)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thêm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A mistaken exception is revoked, never deleted: the calendar's history stays readable.
    revoked_at = models.DateTimeField(_("huỷ lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người huỷ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoke_note = models.CharField(_("lý do huỷ"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ngày ngoại lệ")
        verbose_name_plural = _("lịch làm việc")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "date"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_exception_unique_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"


class OfficialSwap(models.Model):
    """A day the Government swapped for civil servants by decision, for every city.

    Shipped as data (wards/data/official_swaps.csv) and loaded by `migrate` and `seed_demo`.
    Only a newer document changes a date: the row it replaces stays, marked superseded, so the
    national calendar's history stays readable. A city's own exceptions stay apart.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Nghỉ")
        WORKING_DAY = "working_day", _("Làm bù")

    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=12, choices=Kind)
    document = models.CharField(_("văn bản"), max_length=200)
    document_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("nạp lúc"), auto_now_add=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("thay bằng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    superseded_at = models.DateTimeField(_("bị thay lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("ngày hoán đổi theo văn bản")
        verbose_name_plural = _("ngày hoán đổi theo văn bản")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(superseded_at__isnull=True),
                name="official_swap_one_current_per_day",
            ),
            models.UniqueConstraint(
                fields=["date", "kind", "document"], name="official_swap_unique_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()} ({self.document})"
