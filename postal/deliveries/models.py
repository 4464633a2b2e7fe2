"""The public postal service (Decision 45/2016/QĐ-TTg): dossiers that arrive by post, results
delivered by post, the citizen's request for delivery, and the tariff a city admin keeps.

A delivery copies its fee and collection charge when it is created, so editing the tariff never
rewrites what a citizen was charged. Nothing is deleted: a failed delivery stays beside the one
that re-delivers the result.
"""

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from onestop.fields import actor_field
from onestop.text import fold

__all__ = [
    "Delivery",
    "DeliveryDirection",
    "DeliveryRequest",
    "DeliveryStatus",
    "PostalTariff",
    "Zone",
    "s10_check_digit",
    "validate_s10",
]

# --- UPU S10 waybill codes ---------------------------------------------------------------------

S10 = re.compile(r"^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$")
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10_check_digit(serial: str) -> int:
    """The UPU S10 check digit of an eight-digit serial number.

    Weighted sum with 8, 6, 4, 2, 3, 5, 9, 7; check = 11 − (sum mod 11), where 10 gives 0 and
    11 gives 5. "12345678" → 5, so EL123456785VN is a valid code.
    """
    if not re.fullmatch(r"\d{8}", serial):
        raise ValueError("an S10 serial number has eight digits")
    check = 11 - sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(check, check)


def validate_s10(value: str) -> str:
    """The waybill code in upper case without spaces, or ValidationError saying what is wrong."""
    code = re.sub(r"[\s\-]", "", value or "").upper()
    match = S10.match(code)
    if not match:
        raise ValidationError(
            _(
                "Mã bưu gửi gồm 2 chữ cái, 8 chữ số, 1 số kiểm tra và 2 chữ cái mã nước, "
                "ví dụ EL123456785VN."
            ),
            code="s10_format",
        )
    if s10_check_digit(match[2]) != int(match[3]):
        raise ValidationError(
            _("Mã bưu gửi %(code)s sai số kiểm tra: hãy đọc lại mã trên nhãn.") % {"code": code},
            code="s10_check_digit",
        )
    return code


# --- tariff -----------------------------------------------------------------------------------


class Zone(models.TextChoices):
    CITY = "city", gettext_lazy("Nội thành phố")
    PROVINCE = "province", gettext_lazy("Nội tỉnh")
    OTHER = "other", gettext_lazy("Liên tỉnh")


class PostalTariff(models.Model):
    """The post's prices for one city from a date on: one-way fee by zone, and the charge for
    collecting the procedure fee on the citizen's behalf, by amount."""

    city = models.ForeignKey(
        "wards.City",
        verbose_name=gettext_lazy("thành phố"),
        on_delete=models.PROTECT,
        related_name="postal_tariffs",
    )
    valid_from = models.DateField(gettext_lazy("áp dụng từ ngày"))
    within_city = models.PositiveIntegerField(gettext_lazy("cước 1 chiều nội thành phố (đồng)"))
    within_province = models.PositiveIntegerField(gettext_lazy("cước 1 chiều nội tỉnh (đồng)"))
    other_province = models.PositiveIntegerField(gettext_lazy("cước 1 chiều liên tỉnh (đồng)"))
    collection_low = models.PositiveIntegerField(
        gettext_lazy("cước thu hộ mức thấp (đồng)"),
        help_text=gettext_lazy("Khi số tiền thu hộ dưới ngưỡng thứ nhất."),
    )
    collection_low_below = models.PositiveIntegerField(gettext_lazy("ngưỡng thứ nhất (đồng)"))
    collection_mid = models.PositiveIntegerField(
        gettext_lazy("cước thu hộ mức giữa (đồng)"),
        help_text=gettext_lazy("Từ ngưỡng thứ nhất đến dưới ngưỡng thứ hai."),
    )
    collection_mid_below = models.PositiveIntegerField(gettext_lazy("ngưỡng thứ hai (đồng)"))
    collection_percent = models.DecimalField(
        gettext_lazy("cước thu hộ từ ngưỡng thứ hai (%)"), max_digits=5, decimal_places=2
    )
    source = models.CharField(gettext_lazy("căn cứ"), max_length=300, blank=True)
    updated_at = models.DateTimeField(gettext_lazy("cập nhật lúc"))
    updated_by = actor_field(gettext_lazy("người cập nhật"), optional=True)

    class Meta:
        verbose_name = gettext_lazy("bảng cước bưu chính")
        verbose_name_plural = gettext_lazy("bảng cước bưu chính")
        ordering = ["city", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["city", "valid_from"], name="tariff_one_per_day"),
            models.CheckConstraint(
                condition=Q(collection_mid_below__gt=models.F("collection_low_below")),
                name="tariff_thresholds_ordered",
            ),
            models.CheckConstraint(
                condition=Q(collection_percent__gte=0, collection_percent__lte=100),
                name="tariff_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} {self.valid_from:%d/%m/%Y}"

    def fee_for(self, zone: str) -> int:
        return {
            Zone.CITY: self.within_city,
            Zone.PROVINCE: self.within_province,
            Zone.OTHER: self.other_province,
        }[Zone(zone)]

    def collection_charge(self, amount: int | None) -> int:
        """What the post charges to collect `amount` đồng of procedure fees (0: nothing)."""
        if not amount or amount <= 0:
            return 0
        if amount < self.collection_low_below:
            return self.collection_low
        if amount < self.collection_mid_below:
            return self.collection_mid
        # Whole đồng, half rounded up: 1 % of 2,345,678 is 23,457.
        exact = Decimal(amount) * Decimal(self.collection_percent) / 100
        return int(exact.quantize(Decimal(1), rounding="ROUND_HALF_UP"))


# --- deliveries -------------------------------------------------------------------------------


class DeliveryDirection(models.TextChoices):
    INBOUND = "inbound", gettext_lazy("Hồ sơ gửi đến qua bưu điện")
    OUTBOUND = "outbound", gettext_lazy("Kết quả gửi trả qua bưu điện")


class DeliveryStatus(models.TextChoices):
    CREATED = "created", gettext_lazy("Đã lập phiếu gửi")
    HANDED_TO_POST = "handed_to_post", gettext_lazy("Đã bàn giao bưu tá")
    IN_TRANSIT = "in_transit", gettext_lazy("Đang phát")
    DELIVERED = "delivered", gettext_lazy("Đã phát thành công")
    FAILED = "failed", gettext_lazy("Phát không thành công")
    RETURNED_TO_COUNTER = "returned_to_counter", gettext_lazy("Đã hoàn về quầy")


ACTIVE = (DeliveryStatus.CREATED, DeliveryStatus.HANDED_TO_POST, DeliveryStatus.IN_TRANSIT)


class Address(models.Model):
    """Who the post deals with and where: the recipient of a result, or the sender of a
    dossier that came in by post."""

    recipient_name = models.CharField(gettext_lazy("họ tên"), max_length=200)
    recipient_phone = models.CharField(gettext_lazy("số điện thoại"), max_length=15)
    street = models.CharField(gettext_lazy("số nhà, đường, khu phố"), max_length=200)
    ward_name = models.CharField(gettext_lazy("phường, xã"), max_length=100)
    city_name = models.CharField(gettext_lazy("thành phố, huyện"), max_length=100)
    province_name = models.CharField(gettext_lazy("tỉnh, thành phố trực thuộc TW"), max_length=100)

    class Meta:
        abstract = True

    @property
    def full_address(self) -> str:
        return address_line(self.street, self.ward_name, self.city_name, self.province_name)


_PLACE_KIND = re.compile(
    r"^(phuong|xa|thi tran|p\.|tinh|thanh pho|tp\.?|thi xa|tx\.?|huyen|quan)\s*"
)


def place_key(name: str) -> str:
    """A place name folded and without its kind, to compare: "Phường Phú Hòa" → "phu hoa"."""
    return _PLACE_KIND.sub("", fold(name)).strip(" .")


def address_line(street: str, ward_name: str, city_name: str, province_name: str) -> str:
    """The address on one line, each place once: a street typed as "12 Yersin, Phú Hòa" with
    the ward "Phường Phú Hòa" prints the ward once, as the ward."""
    places = [part for part in (ward_name, city_name, province_name) if part.strip()]
    named = {place_key(part) for part in places}
    streets = [
        part.strip() for part in street.split(",") if part.strip() and place_key(part) not in named
    ]
    return ", ".join([*streets, *places])


class Delivery(Address):
    """One item the post carries for a dossier: the dossier coming in, or its result going out.

    Outbound: created → handed_to_post → in_transit → delivered, or → failed → returned_to_counter
    (postal.deliveries.services holds the table). Inbound: recorded at intake, already delivered.
    """

    dossier = models.ForeignKey(
        "intake.Dossier",
        verbose_name=gettext_lazy("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    # The dossier's ward, kept here so a ward's deliveries are one indexed range.
    ward = models.ForeignKey(
        "wards.Ward", verbose_name=gettext_lazy("phường"), on_delete=models.PROTECT
    )
    direction = models.CharField(
        pgettext_lazy("direction", "chiều"), max_length=10, choices=DeliveryDirection
    )
    status = models.CharField(
        gettext_lazy("trạng thái"),
        max_length=20,
        choices=DeliveryStatus,
        default=DeliveryStatus.CREATED,
    )
    waybill_code = models.CharField(gettext_lazy("mã bưu gửi"), max_length=13)
    zone = models.CharField(gettext_lazy("vùng tính cước"), max_length=10, choices=Zone)
    fee = models.PositiveIntegerField(gettext_lazy("cước chuyển phát (đồng)"))
    collected_amount = models.PositiveIntegerField(
        gettext_lazy("số tiền thu hộ (đồng)"),
        default=0,
        help_text=gettext_lazy("Phí, lệ phí bưu điện thu hộ người dân; 0 là không thu hộ."),
    )
    collection_charge = models.PositiveIntegerField(gettext_lazy("cước thu hộ (đồng)"), default=0)
    tariff = models.ForeignKey(
        PostalTariff,
        verbose_name=gettext_lazy("bảng cước"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(gettext_lazy("ghi chú"), max_length=300, blank=True)

    created_at = models.DateTimeField(gettext_lazy("lập lúc"))
    created_by = actor_field(gettext_lazy("người lập"))
    handed_at = models.DateTimeField(gettext_lazy("bàn giao bưu tá lúc"), null=True, blank=True)
    handed_by = actor_field(gettext_lazy("người bàn giao"), optional=True)
    in_transit_at = models.DateTimeField(gettext_lazy("đi phát lúc"), null=True, blank=True)
    in_transit_by = actor_field(gettext_lazy("người ghi nhận đi phát"), optional=True)
    delivered_at = models.DateTimeField(gettext_lazy("phát thành công lúc"), null=True, blank=True)
    delivered_by = actor_field(gettext_lazy("người ghi nhận đã phát"), optional=True)
    failed_at = models.DateTimeField(
        gettext_lazy("phát không thành công lúc"), null=True, blank=True
    )
    failed_by = actor_field(gettext_lazy("người ghi nhận phát không thành công"), optional=True)
    failure_reason = models.CharField(
        gettext_lazy("lý do không phát được"), max_length=300, blank=True
    )
    returned_at = models.DateTimeField(gettext_lazy("hoàn về quầy lúc"), null=True, blank=True)
    returned_by = actor_field(gettext_lazy("người nhận lại tại quầy"), optional=True)
    request_id = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        verbose_name = gettext_lazy("bưu gửi")
        verbose_name_plural = gettext_lazy("bưu gửi")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["ward", "-created_at", "-id"], name="delivery_ward_created"),
            models.Index(fields=["ward", "status", "-created_at"], name="delivery_ward_status"),
            models.Index(fields=["dossier", "-created_at"], name="delivery_dossier"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=["inbound", "outbound"]), name="delivery_direction_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_known"
            ),
            models.CheckConstraint(condition=Q(zone__in=Zone.values), name="delivery_zone_known"),
            models.CheckConstraint(condition=~Q(waybill_code=""), name="delivery_has_waybill"),
            models.UniqueConstraint(fields=["waybill_code"], name="delivery_waybill_once"),
            # A result is out with the post at most once at a time; a failed delivery may be
            # followed by another, and a dossier arrives by post once.
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(direction="outbound", status__in=[s.value for s in ACTIVE]),
                name="delivery_one_active_outbound",
            ),
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(direction="inbound"), name="delivery_one_inbound"
            ),
            models.CheckConstraint(
                condition=Q(direction="outbound") | Q(status="delivered"),
                name="delivery_inbound_arrived",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["created"])
                | Q(direction="inbound")
                | Q(handed_at__isnull=False),
                name="delivery_handed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_at__isnull=False),
                name="delivery_delivered_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["failed", "returned_to_counter"])
                | (Q(failed_at__isnull=False) & ~Q(failure_reason="")),
                name="delivery_failed_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned_to_counter") | Q(returned_at__isnull=False),
                name="delivery_returned_has_time",
            ),
            models.UniqueConstraint(
                fields=["dossier", "request_id"],
                condition=~Q(request_id=""),
                name="delivery_request_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.waybill_code} ({self.get_status_display()})"

    @property
    def total(self) -> int:
        """What the citizen pays the post: the fee, plus the collection charge."""
        return self.fee + self.collection_charge

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def local_day(self) -> dt.date:
        return timezone.localtime(self.created_at).date()


class DeliveryRequest(Address):
    """The citizen's wish, recorded at intake, to receive the result by post at this address.

    Withdrawn (never deleted) when the citizen changes their mind; "send by post" starts from it.
    """

    dossier = models.OneToOneField(
        "intake.Dossier",
        verbose_name=gettext_lazy("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="delivery_request",
    )
    collects_fee = models.BooleanField(
        gettext_lazy("bưu điện thu hộ phí, lệ phí"),
        default=False,
        help_text=gettext_lazy("Người dân trả phí, lệ phí cho bưu tá khi nhận kết quả."),
    )
    requested_at = models.DateTimeField(gettext_lazy("đăng ký lúc"))
    requested_by = actor_field(gettext_lazy("người ghi nhận"))
    withdrawn_at = models.DateTimeField(gettext_lazy("hủy lúc"), null=True, blank=True)
    withdrawn_by = actor_field(gettext_lazy("người hủy"), optional=True)

    class Meta:
        verbose_name = gettext_lazy("đăng ký nhận kết quả qua bưu điện")
        verbose_name_plural = gettext_lazy("đăng ký nhận kết quả qua bưu điện")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.full_address}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
