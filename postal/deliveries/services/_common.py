"""What every delivery service checks first (who acts, in which ward, on which dossier) and the
inputs they share: the recipient's address, a one-line note, the waybill code."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from intake.models import Dossier
from intake.validators import normalize_phone
from onestop.errors import InvalidInput, NotAllowed
from onestop.models import WARD_ROLES, User
from onestop.text import checked
from postal.deliveries.models import Delivery, validate_s10
from wards.scope import working_ward_id


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
            # The name is a name (invisible characters refused); the address parts free text.
            exact = field == "recipient_name"
            value = " ".join(checked(getattr(self, field) or "", field=field, exact=exact).split())
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
