"""The tariff of the public postal service and the price of one delivery: the city's tariff in
force on a day (the pilot's reference figures when the city keeps none), a new version of it, the
zone of an address seen from the ward's city, and the quote shown before a result is sent."""

import csv
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.models import Dossier
from onestop import clock
from onestop.errors import InvalidInput, NotAllowed
from onestop.models import User
from onestop.text import fold
from postal.deliveries.models import PostalTariff, Zone, place_key
from wards.models import City, Ward
from wards.scope import may_manage_city

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
    values: dict[str, int | Decimal] = {
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


def split_address(text: str, *, city: City, ward: Ward | None = None) -> dict:
    """A one-line address split for the delivery form: "12 Yersin, phường Phú Cường, TP Thủ
    Dầu Một" → street, ward, city, province; missing parts default to the ward's city, and the
    ward (the dossier's, when given) to `ward` while the address is in its city. The ward's
    name written bare ("12 Yersin, Phú Hòa") is taken as the ward, not left in the street."""
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
        elif (
            ward is not None and not found["ward_name"] and place_key(part) == place_key(ward.name)
        ):
            found["ward_name"] = str(ward)
        elif _place(part) == _place(city.name):
            found["city_name"] = part
        else:
            streets.append(part)
    found["street"] = ", ".join(streets)
    in_city = not found["city_name"] or _place(found["city_name"]) == _place(city.name)
    if ward is not None and not found["ward_name"] and in_city:
        found["ward_name"] = str(ward)
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
