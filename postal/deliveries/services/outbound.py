"""Write operations of the public postal service: the tariff, the citizen's request for delivery,
dossiers that arrive by post, and results delivered by post.

A delivery step that moves the dossier (sending, delivered, failed) takes the dossier's own
lifecycle step through `intake.services.dossier_step(..., from_delivery=True)` inside the same
transaction, so the delivery and the dossier can never disagree. Lock order is always the
dossier row first, then the delivery row.
"""

import csv
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.lifecycle import Action
from intake.models import FINISHED, Channel, Dossier
from intake.services import StepInput, dossier_step
from intake.validators import normalize_phone
from onestop import clock
from onestop.errors import Conflict, InvalidInput, NotAllowed
from onestop.models import WARD_ROLES, Role, User
from onestop.text import checked, fold
from postal.deliveries.models import (
    ACTIVE,
    Delivery,
    DeliveryDirection,
    DeliveryRequest,
    DeliveryStatus,
    PostalTariff,
    Zone,
    validate_s10,
)
from wards.models import City
from wards.scope import may_manage_city, working_ward_id

DATA = Path(__file__).resolve().parents[2] / "data"
# The pilot's tariff took effect with the pilot (Bưu điện Bình Dương, 12/2018).
PILOT_TARIFF_FROM = dt.date(2018, 12, 1)

# --- the tariff -------------------------------------------------------------------------------


def tariff_reference() -> dict:
    """The pilot's tariff as postal/data/postal_fees.csv states it (field → value)."""
    with (DATA / "postal_fees.csv").open(encoding="utf-8", newline="") as f:
        rows = {row["item"]: row for row in csv.DictReader(f)}

    def amount(item: str) -> int:
        return int(rows[item]["amount_vnd"])

    return {
        "within_city": amount("cuoc_mot_chieu_noi_thanh_pho"),
        "within_province": amount("cuoc_mot_chieu_noi_tinh"),
        "other_province": amount("cuoc_mot_chieu_lien_tinh"),
        "collection_low": amount("cuoc_thu_ho_le_phi_duoi_500k"),
        "collection_low_below": 500_000,
        "collection_mid": amount("cuoc_thu_ho_le_phi_500k_2tr"),
        "collection_mid_below": 2_000_000,
        "collection_percent": Decimal(rows["cuoc_thu_ho_le_phi_tu_2tr"]["percent"]),
        "source": _(
            "Cước dịch vụ tiếp nhận và trả kết quả TTHC qua bưu điện, Bưu điện tỉnh Bình Dương "
            "(ictnews.vietnamnet.vn, 12/2018)"
        ),
    }


def tariff_for(*, city: City, on: dt.date) -> PostalTariff:
    """The city's tariff in force on `on`; the pilot's reference figures when it has none."""
    tariff = (
        PostalTariff.objects.filter(city=city, valid_from__lte=on).order_by("-valid_from").first()
    )
    if tariff is None:
        tariff = PostalTariff(city=city, valid_from=PILOT_TARIFF_FROM, **tariff_reference())
    return tariff


TARIFF_FIELDS = (
    "within_city",
    "within_province",
    "other_province",
    "collection_low",
    "collection_low_below",
    "collection_mid",
    "collection_mid_below",
    "collection_percent",
)


def tariff_set(
    *,
    user: User | None,
    city: City,
    valid_from: dt.date,
    within_city: int,
    within_province: int,
    other_province: int,
    collection_low: int,
    collection_low_below: int,
    collection_mid: int,
    collection_mid_below: int,
    collection_percent: Decimal,
    source: str = "",
) -> PostalTariff:
    """Set the city's tariff from `valid_from` on (a new version; the same day's is corrected).

    Earlier versions stay: deliveries keep the prices they were charged. Only the city's admin
    may do it (`user` None: the demo seed).
    """
    if user is not None and not may_manage_city(user, city):
        raise NotAllowed(_("Chỉ quản trị thành phố mới sửa bảng cước bưu chính."))
    values = {
        "within_city": within_city,
        "within_province": within_province,
        "other_province": other_province,
        "collection_low": collection_low,
        "collection_low_below": collection_low_below,
        "collection_mid": collection_mid,
        "collection_mid_below": collection_mid_below,
        "collection_percent": Decimal(collection_percent),
    }
    for field, value in values.items():
        if value is None or value < 0:
            raise InvalidInput(_("Giá trị không được âm."), field=field)
    if collection_mid_below <= collection_low_below:
        raise InvalidInput(
            _("Ngưỡng thứ hai phải lớn hơn ngưỡng thứ nhất."), field="collection_mid_below"
        )
    if values["collection_percent"] > 100:
        raise InvalidInput(_("Tỷ lệ thu hộ tối đa 100 %."), field="collection_percent")
    if not within_city <= within_province <= other_province:
        raise InvalidInput(
            _("Cước nội thành phố ≤ cước nội tỉnh ≤ cước liên tỉnh."), field="within_province"
        )
    with transaction.atomic():
        tariff, _created = PostalTariff.objects.select_for_update().update_or_create(
            city=city,
            valid_from=valid_from,
            defaults={
                **values,
                "source": source.strip()[:300],
                "updated_at": clock.now(),
                "updated_by": user,
            },
        )
    return tariff


# --- addresses and prices ---------------------------------------------------------------------

_PLACE_PREFIX = re.compile(r"^(tinh|thanh pho|tp\.?|thi xa|tx\.?|huyen|quan|q\.)\s*")
_WARD_WORD = re.compile(r"^((phuong|xa|thi tran)\b|p\.)")
_CITY_WORD = re.compile(r"^(thanh pho|tp\.?|thi xa|tx\.?|huyen|quan)\b")


def _place(name: str) -> str:
    """A place name folded, without its kind: "TP. Thủ Dầu Một" → "thu dau mot"."""
    return _PLACE_PREFIX.sub("", fold(name)).strip(" .")


def zone_of(*, city: City, city_name: str, province_name: str) -> Zone:
    """Where an address lies seen from the ward's city: same city, same province, elsewhere.

    An address without a province is taken to be in the city's province.
    """
    province = _place(province_name) or _place(city.province_name)
    if province != _place(city.province_name):
        return Zone.OTHER
    if _place(city_name) == _place(city.name):
        return Zone.CITY
    return Zone.PROVINCE


def split_address(text: str, *, city: City) -> dict:
    """A one-line address split for the delivery form: "12 Yersin, phường Phú Cường, TP Thủ
    Dầu Một" → street, ward, city, province; missing parts default to the ward's city."""
    parts = [part.strip() for part in (text or "").split(",") if part.strip()]
    found = {"street": "", "ward_name": "", "city_name": "", "province_name": ""}
    streets = []
    for part in parts:
        folded = fold(part)
        if folded.startswith("tinh ") or _place(part) == _place(city.province_name):
            found["province_name"] = part
        elif _CITY_WORD.match(folded) and not found["city_name"]:
            found["city_name"] = part
        elif _WARD_WORD.match(folded) and not found["ward_name"]:
            found["ward_name"] = part
        elif _place(part) == _place(city.name):
            found["city_name"] = part
        else:
            streets.append(part)
    found["street"] = ", ".join(streets)
    found["city_name"] = found["city_name"] or f"{city.kind} {city.name}"
    found["province_name"] = found["province_name"] or city.province_name
    return found


@dataclass(frozen=True)
class Quote:
    """The price of one delivery, shown before the worker confirms and printed on the slip."""

    zone: Zone
    fee: int
    collected_amount: int
    collection_charge: int
    tariff: PostalTariff

    @property
    def total(self) -> int:
        return self.fee + self.collection_charge

    def charges(self) -> dict:
        """The delivery's price fields, copied onto it so a later tariff never rewrites them.

        The pilot's reference tariff (a city that keeps none) is not a row, so not referenced.
        """
        return {
            "zone": self.zone,
            "fee": self.fee,
            "collected_amount": self.collected_amount,
            "collection_charge": self.collection_charge,
            "tariff": self.tariff if self.tariff.pk else None,
        }


def delivery_quote(
    *,
    dossier: Dossier,
    city_name: str,
    province_name: str,
    collects_fee: bool = False,
    on: dt.date | None = None,
) -> Quote:
    """What the post charges to carry the dossier's result to this address (and to collect
    the procedure fee when asked)."""
    city = dossier.ward.city
    on = on or timezone.localdate(clock.now())
    tariff = tariff_for(city=city, on=on)
    zone = zone_of(city=city, city_name=city_name, province_name=province_name)
    collected = (dossier.fee or 0) if collects_fee else 0
    return Quote(
        zone=zone,
        fee=tariff.fee_for(zone),
        collected_amount=collected,
        collection_charge=tariff.collection_charge(collected),
        tariff=tariff,
    )


# --- shared checks ----------------------------------------------------------------------------


def _ward_staff(user: User) -> int:
    ward_id = working_ward_id(user)
    if ward_id is None or user.role not in WARD_ROLES:
        raise NotAllowed(_("Chỉ cán bộ, nhân viên của phường mới làm việc với bưu gửi."))
    return ward_id


def _readable_dossier(user: User, code: str) -> Dossier:
    from intake.selectors import dossier_for_user

    return dossier_for_user(user=user, code=code)


def _locked_dossier(user: User, code: str) -> Dossier:
    from intake.selectors import dossiers_in_working_ward

    return (
        dossiers_in_working_ward(user=user)
        # Only the dossier row: joining its ward and city must not lock them for everyone.
        .select_for_update(of=("self",))
        .select_related("ward__city")
        .get(code=code)
    )


@dataclass
class AddressInput:
    recipient_name: str
    recipient_phone: str
    street: str
    ward_name: str
    city_name: str
    province_name: str

    def cleaned(self) -> dict:
        values = {}
        labels = {
            "recipient_name": _("Nhập họ tên."),
            "street": _("Nhập số nhà, đường, khu phố."),
            "ward_name": _("Nhập phường, xã."),
            "city_name": _("Nhập thành phố, huyện."),
            "province_name": _("Nhập tỉnh, thành phố."),
        }
        limits = {
            "recipient_name": 200,
            "street": 200,
            "ward_name": 100,
            "city_name": 100,
            "province_name": 100,
        }
        for field, message in labels.items():
            value = " ".join(checked(getattr(self, field) or "", field=field).split())
            if not value:
                raise InvalidInput(message, field=field)
            if len(value) > limits[field]:
                raise InvalidInput(
                    _("Tối đa %(n)s ký tự.") % {"n": limits[field]},
                    field=field,
                )
            values[field] = value
        try:
            values["recipient_phone"] = normalize_phone(self.recipient_phone or "")
        except ValidationError as error:
            raise InvalidInput(error.messages[0], field="recipient_phone") from error
        return values


def _one_line(text: str, *, field: str, limit: int = 300) -> str:
    """A note or reason on one line; refused (never cut short) when it is too long."""
    text = " ".join(checked(text or "", field=field).split())
    if len(text) > limit:
        raise InvalidInput(_("Tối đa %(n)s ký tự.") % {"n": limit}, field=field)
    return text


def _waybill(code: str) -> str:
    try:
        waybill = validate_s10(code)
    except ValidationError as error:
        raise InvalidInput(error.messages[0], field="waybill_code") from error
    if Delivery.objects.filter(waybill_code=waybill).exists():
        raise InvalidInput(
            _("Mã bưu gửi %(code)s đã được dùng cho một bưu gửi khác.") % {"code": waybill},
            field="waybill_code",
        )
    return waybill


def _create(**values) -> Delivery:
    try:
        with transaction.atomic():
            return Delivery.objects.create(**values)
    except IntegrityError as error:
        # Two counters typing the same label at the same moment: the unique index decides.
        raise InvalidInput(
            _("Mã bưu gửi %(code)s đã được dùng cho một bưu gửi khác.")
            % {"code": values["waybill_code"]},
            field="waybill_code",
        ) from error


# --- outbound: results by post ----------------------------------------------------------------


def delivery_send(
    *,
    user: User,
    code: str,
    address: AddressInput,
    waybill_code: str,
    collects_fee: bool = False,
    note: str = "",
    request_id: str = "",
) -> Delivery:
    """Send the dossier's result by post: the delivery is created, the dossier moves from
    result_ready to in_delivery (send_by_post), both in one transaction.

    Raises Dossier.DoesNotExist outside the user's scope, NotAllowed for a city admin,
    InvalidInput for a bad address or waybill, Conflict when the result is not ready.
    """
    dossier = _readable_dossier(user, code)
    ward_id = _ward_staff(user)
    if dossier.ward_id != ward_id:
        raise NotAllowed(_("Chỉ phường tiếp nhận hồ sơ mới gửi kết quả."))
    if request_id:
        earlier = Delivery.objects.filter(dossier=dossier, request_id=request_id).first()
        if earlier is not None:
            return earlier  # the same confirmation submitted twice
    values = address.cleaned()
    waybill = _waybill(waybill_code)
    note = _one_line(note, field="note")
    now = clock.now()
    with transaction.atomic():
        dossier = _locked_dossier(user, code)
        if dossier.fee in (None, 0) and collects_fee:
            raise InvalidInput(
                _("Thủ tục không có phí, lệ phí để bưu điện thu hộ."), field="collects_fee"
            )
        quote = delivery_quote(
            dossier=dossier,
            city_name=values["city_name"],
            province_name=values["province_name"],
            collects_fee=collects_fee,
            on=timezone.localdate(now),
        )
        dossier_step(
            user=user,
            code=code,
            action=Action.SEND_BY_POST,
            note=_("Mã bưu gửi %(code)s, %(address)s")
            % {
                "code": waybill,
                "address": ", ".join(
                    values[f] for f in ("ward_name", "city_name", "province_name")
                ),
            },
            request_id=request_id,
            from_delivery=True,
        )
        return _create(
            dossier=dossier,
            ward_id=dossier.ward_id,
            direction=DeliveryDirection.OUTBOUND,
            status=DeliveryStatus.CREATED,
            waybill_code=waybill,
            **quote.charges(),
            note=note,
            created_at=now,
            created_by=user,
            request_id=request_id,
            **values,
        )


# Each step of an outbound delivery: where it may come from, and the dossier step it takes.
# Delivered and failed may follow the hand-over directly: the courier's report often arrives
# without an "out for delivery" scan, and the counter records what happened.
STEPS: dict[DeliveryStatus, tuple[frozenset[DeliveryStatus], Action | None]] = {
    DeliveryStatus.HANDED_TO_POST: (frozenset({DeliveryStatus.CREATED}), None),
    DeliveryStatus.IN_TRANSIT: (frozenset({DeliveryStatus.HANDED_TO_POST}), None),
    DeliveryStatus.DELIVERED: (
        frozenset({DeliveryStatus.HANDED_TO_POST, DeliveryStatus.IN_TRANSIT}),
        Action.DELIVERED,
    ),
    DeliveryStatus.FAILED: (
        frozenset({DeliveryStatus.HANDED_TO_POST, DeliveryStatus.IN_TRANSIT}),
        Action.DELIVERY_FAILED,
    ),
    DeliveryStatus.RETURNED_TO_COUNTER: (frozenset({DeliveryStatus.FAILED}), None),
}
# Who may record each step: the ward's counter staff, as for the dossier's postal steps.
STEP_ROLES = frozenset({Role.POSTAL_WORKER, Role.OFFICER, Role.CHIEF})


def next_steps(delivery: Delivery, role: str) -> list[DeliveryStatus]:
    """The steps `role` may record now, in the table's order (the buttons a page shows)."""
    if delivery.direction != DeliveryDirection.OUTBOUND or role not in STEP_ROLES:
        return []
    return [to for to, (sources, _action) in STEPS.items() if delivery.status in sources]


def _stamp(delivery: Delivery, to: DeliveryStatus, user: User, now, reason: str) -> list[str]:
    prefix = {
        DeliveryStatus.HANDED_TO_POST: "handed",
        DeliveryStatus.IN_TRANSIT: "in_transit",
        DeliveryStatus.DELIVERED: "delivered",
        DeliveryStatus.FAILED: "failed",
        DeliveryStatus.RETURNED_TO_COUNTER: "returned",
    }[to]
    setattr(delivery, f"{prefix}_at", now)
    setattr(delivery, f"{prefix}_by", user)
    fields = [f"{prefix}_at", f"{prefix}_by"]
    if to == DeliveryStatus.FAILED:
        delivery.failure_reason = reason
        fields.append("failure_reason")
    return fields


def delivery_advance(
    *,
    user: User,
    delivery_id: int,
    to: str,
    reason: str = "",
    satisfaction: int | None = None,
) -> Delivery:
    """Record the next step of an outbound delivery (hand-over, in transit, delivered, failed,
    back at the counter). Recording the step it already has changes nothing (a double click).

    Delivered returns the dossier (return method: post); failed brings it back to result_ready
    with the reason, which the counter then sees among the failed deliveries.
    """
    from postal.deliveries.selectors import deliveries_for_user

    try:
        to = DeliveryStatus(to)
    except ValueError:
        raise InvalidInput(_("Bước chuyển phát không hợp lệ."), field="to") from None
    delivery = deliveries_for_user(user=user).select_related("dossier").get(pk=delivery_id)
    if _ward_staff(user) != delivery.ward_id or user.role not in STEP_ROLES:
        raise NotAllowed(_("Chỉ cán bộ, nhân viên của phường gửi mới ghi nhận bưu gửi."))
    if to not in STEPS:
        raise InvalidInput(_("Bước chuyển phát không hợp lệ."), field="to")
    reason = _one_line(reason, field="reason")
    now = clock.now()
    with transaction.atomic():
        _locked_dossier(user, delivery.dossier.code)
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("dossier")
            .get(pk=delivery.pk)
        )
        if delivery.status == to:
            return delivery
        sources, action = STEPS[to]
        if delivery.direction != DeliveryDirection.OUTBOUND or delivery.status not in sources:
            raise Conflict(
                _("Bưu gửi %(code)s đang “%(status)s”, không thể chuyển sang “%(to)s”.")
                % {
                    "code": delivery.waybill_code,
                    "status": delivery.get_status_display(),
                    "to": to.label,
                }
            )
        if to == DeliveryStatus.FAILED and not reason:
            raise InvalidInput(
                _("Ghi lý do không phát được (vắng nhà, sai địa chỉ, từ chối nhận…)."),
                field="reason",
            )
        if action is not None:
            dossier_step(
                user=user,
                code=delivery.dossier.code,
                action=action,
                note=(
                    reason
                    if to == DeliveryStatus.FAILED
                    else _("Mã bưu gửi %(code)s") % {"code": delivery.waybill_code}
                ),
                details=StepInput(satisfaction=satisfaction),
                from_delivery=True,
            )
        fields = _stamp(delivery, to, user, now, reason)
        delivery.status = to
        delivery.save(update_fields=[*fields, "status"])
    return delivery


@dataclass(frozen=True)
class HandOver:
    handed: list[Delivery]
    already: int


def deliveries_hand_over(*, user: User, day: dt.date) -> HandOver:
    """Hand the day's prepared results to the courier: every outbound delivery of the user's
    ward created on `day` and still at the counter becomes handed_to_post (the signed bảng kê)."""
    from postal.deliveries.selectors import handover_deliveries

    _ward_staff(user)
    listed = list(handover_deliveries(user=user, day=day))
    waiting = [d.pk for d in listed if d.status == DeliveryStatus.CREATED]
    handed = [
        delivery_advance(user=user, delivery_id=pk, to=DeliveryStatus.HANDED_TO_POST)
        for pk in waiting
    ]
    return HandOver(handed=handed, already=len(listed) - len(waiting))


# --- inbound: dossiers that arrive by post ------------------------------------------------------


def delivery_record_inbound(
    *,
    user: User,
    code: str,
    address: AddressInput,
    waybill_code: str,
    collects_fee: bool = False,
    note: str = "",
) -> Delivery:
    """Record the postal item that brought a dossier received through channel 3 (its sender,
    waybill code and what the citizen paid the post). One per dossier."""
    dossier = _readable_dossier(user, code)
    if _ward_staff(user) != dossier.ward_id:
        raise NotAllowed(_("Chỉ phường tiếp nhận hồ sơ mới ghi nhận bưu gửi đến."))
    if dossier.channel != Channel.POSTAL:
        raise Conflict(
            _("Hồ sơ %(code)s không nộp qua dịch vụ bưu chính công ích.") % {"code": code}
        )
    values = address.cleaned()
    waybill = _waybill(waybill_code)
    note = _one_line(note, field="note")
    now = clock.now()
    with transaction.atomic():
        dossier = _locked_dossier(user, code)
        if dossier.deliveries.filter(direction=DeliveryDirection.INBOUND).exists():
            raise Conflict(_("Bưu gửi mang hồ sơ này đến đã được ghi nhận."))
        quote = delivery_quote(
            dossier=dossier,
            city_name=values["city_name"],
            province_name=values["province_name"],
            collects_fee=collects_fee,
            on=timezone.localdate(dossier.received_at),
        )
        return _create(
            dossier=dossier,
            ward_id=dossier.ward_id,
            direction=DeliveryDirection.INBOUND,
            status=DeliveryStatus.DELIVERED,
            waybill_code=waybill,
            **quote.charges(),
            note=note,
            created_at=now,
            created_by=user,
            delivered_at=dossier.received_at,
            delivered_by=dossier.received_by,
            **values,
        )


# --- the citizen's request: result by post --------------------------------------------------------


def delivery_request_record(
    *, user: User, code: str, address: AddressInput, collects_fee: bool = False
) -> DeliveryRequest:
    """Record (or correct) that the citizen wants the result delivered by post, and where."""
    dossier = _readable_dossier(user, code)
    if _ward_staff(user) != dossier.ward_id:
        raise NotAllowed(_("Chỉ phường tiếp nhận hồ sơ mới ghi nhận nơi nhận kết quả."))
    values = address.cleaned()
    with transaction.atomic():
        dossier = _locked_dossier(user, code)
        if dossier.status in FINISHED:
            raise Conflict(_("Hồ sơ đã kết thúc, không đăng ký nhận kết quả được nữa."))
        if collects_fee and not dossier.fee:
            raise InvalidInput(
                _("Thủ tục không có phí, lệ phí để bưu điện thu hộ."), field="collects_fee"
            )
        request, _created = DeliveryRequest.objects.update_or_create(
            dossier=dossier,
            defaults={
                **values,
                "collects_fee": collects_fee,
                "requested_at": clock.now(),
                "requested_by": user,
                "withdrawn_at": None,
                "withdrawn_by": None,
            },
        )
    return request


def delivery_request_withdraw(*, user: User, code: str) -> DeliveryRequest:
    """The citizen will collect the result at the counter after all."""
    dossier = _readable_dossier(user, code)
    if _ward_staff(user) != dossier.ward_id:
        raise NotAllowed(_("Chỉ phường tiếp nhận hồ sơ mới sửa nơi nhận kết quả."))
    with transaction.atomic():
        _locked_dossier(user, code)
        request = DeliveryRequest.objects.select_for_update().get(dossier=dossier)
        if request.withdrawn_at is None:
            request.withdrawn_at = clock.now()
            request.withdrawn_by = user
            request.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return request


def active_outbound(dossier: Dossier) -> Delivery | None:
    return dossier.deliveries.filter(
        direction=DeliveryDirection.OUTBOUND, status__in=ACTIVE
    ).first()
