"""Intake: a dossier received at the ward, numbered, given its appointment and its PIN."""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from intake import figures
from intake.lifecycle import Action
from intake.models import (
    Channel,
    Dossier,
    DossierEvent,
    DossierSequence,
    NationalStatus,
    NotifyConsent,
    Procedure,
    ReceiverKind,
    Status,
)
from intake.services._common import calendar_for, desk_name
from intake.services.pins import LOOKUP_PIN_DIGITS, lookup_pin_digest
from intake.signals import dossier_received
from onestop import clock
from onestop.errors import InvalidInput, NotAllowed
from onestop.models import WARD_ROLES, Role, User
from onestop.text import checked, fold
from wards import calendar
from wards.models import Counter, Ward

# Dossier codes name the day as yyMMdd, unique within one century.
EARLIEST_RECEIPT = dt.datetime(2000, 1, 1, tzinfo=calendar.VIETNAM_TZ)


@dataclass(frozen=True)
class Receipt:
    """What intake hands back: the dossier and the PIN, shown once on the receipt."""

    dossier: Dossier
    lookup_pin: str


@dataclass(frozen=True)
class IntakeRequest:
    """What the intake rules look at; apps add rules through settings.INTAKE_RULES."""

    user: User
    procedure: Procedure
    received_at: dt.datetime


def intake_rules():
    return [import_string(path) for path in settings.INTAKE_RULES]


def _next_number(ward: Ward, day: dt.date) -> int:
    """The ward's next dossier number on `day`, its row created on the day's first intake.

    One statement that also locks the day's row until the transaction ends: concurrent intakes
    in one ward queue here, so numbers are consecutive and never repeat (the unique code is the
    last guard). The number is taken in the same transaction as the dossier, so a failed intake
    rolls it back and leaves no gap.
    """
    table = connection.ops.quote_name(DossierSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (ward_id, day, last_number) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (ward_id, day) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [ward.pk, day],
        )
        return cursor.fetchone()[0]


def _earlier_receipt(ward: Ward, request_id: str) -> Receipt | None:
    """The receipt of an intake `ward` already made for `request_id` (a double submit)."""
    earlier = (
        DossierEvent.objects.filter(
            request_id=request_id, action=Action.RECEIVE, dossier__ward_id=ward.pk
        )
        .select_related("dossier")
        .first()
    )
    if earlier is None:
        return None
    # The dossier exists; its PIN cannot be shown a second time.
    return Receipt(dossier=earlier.dossier, lookup_pin="")


def _too_long(value: str, field: str) -> bool:
    limit = getattr(Dossier._meta.get_field(field), "max_length", None)
    return limit is not None and len(value) > limit


def _check_applicant(name: str, id_number: str, address: str, phone: str) -> None:
    """The checks the database would otherwise answer with an error page."""
    if not name:
        raise InvalidInput(_("Nhập họ tên người nộp hồ sơ."), field="applicant_name")
    if _too_long(name, "applicant_name"):
        raise InvalidInput(_("Họ tên quá dài."), field="applicant_name")
    # 12 digits (CCCD), or 9 for the old identity cards still seen in paper dossiers.
    if not id_number.isascii() or not id_number.isdigit() or len(id_number) not in (9, 12):
        raise InvalidInput(
            _("Số CCCD gồm 12 chữ số (CMND cũ: 9 chữ số)."), field="applicant_id_number"
        )
    if not address:
        raise InvalidInput(_("Nhập địa chỉ người nộp hồ sơ."), field="applicant_address")
    if _too_long(address, "applicant_address"):
        raise InvalidInput(_("Địa chỉ quá dài."), field="applicant_address")
    if _too_long(phone, "applicant_phone"):
        raise InvalidInput(_("Số điện thoại quá dài."), field="applicant_phone")


def _check_consent(consent: str, phone: str, email: str) -> None:
    """The citizen may be told only on a channel they chose and gave the address of."""
    if consent not in NotifyConsent.values:
        raise InvalidInput(_("Cách nhận thông báo không hợp lệ."), field="notify_consent")
    if consent == NotifyConsent.SMS and not phone.strip():
        raise InvalidInput(
            _("Muốn nhận thông báo qua SMS, hãy ghi số điện thoại."), field="applicant_phone"
        )
    if consent == NotifyConsent.EMAIL and not email.strip():
        raise InvalidInput(
            _("Muốn nhận thông báo qua thư điện tử, hãy ghi địa chỉ thư."), field="applicant_email"
        )


def dossier_receive(
    *,
    user: User,
    procedure: Procedure,
    channel: int,
    applicant_name: str,
    applicant_id_number: str,
    applicant_address: str,
    applicant_phone: str = "",
    applicant_email: str = "",
    notify_consent: str = NotifyConsent.NONE,
    components: list[dict] | None = None,
    sets: int = 1,
    counter: Counter | None = None,
    received_at: dt.datetime | None = None,
    notes: str = "",
    request_id: str = "",
    from_paper: bool = False,
) -> Receipt:
    """Receive a dossier at the user's ward: code, appointment, PIN, and the first event.

    `received_at` is now, except in data entry of paper dossiers received earlier; those come
    `from_paper`, and their first event is dated at the paper's receipt and marked so.
    """
    ward = user.ward
    if user.role not in WARD_ROLES or not user.is_active or ward is None:
        raise NotAllowed(_("Chỉ nhân viên và công chức của phường mới tiếp nhận hồ sơ."))
    if not procedure.active:
        raise InvalidInput(_("Thủ tục này đã ngừng áp dụng."), field="procedure")
    if procedure.processing_days is None:
        raise InvalidInput(
            _(
                "Thủ tục chưa có thời hạn giải quyết đã xác minh nên chưa thể hẹn ngày trả; "
                "đề nghị quản trị thành phố cập nhật danh mục."
            ),
            field="procedure",
        )
    if channel not in Channel.values:
        raise InvalidInput(_("Kênh nộp hồ sơ không hợp lệ."), field="channel")
    if counter is not None and (counter.ward_id != ward.pk or not counter.active):
        raise InvalidInput(_("Quầy không thuộc phường của bạn."), field="counter")
    if sets < 1:
        raise InvalidInput(_("Số bộ hồ sơ phải từ 1 trở lên."), field="sets")
    # Text is stored as typed, in NFC and without surrounding white space (a name's inner white
    # space collapsed); a control character is refused (onestop.text).
    applicant_name = " ".join(checked(applicant_name, field="applicant_name", exact=True).split())
    applicant_id_number = applicant_id_number.strip()
    applicant_address = checked(applicant_address, field="applicant_address").strip()
    applicant_phone = checked(applicant_phone, field="applicant_phone")
    applicant_email = checked(applicant_email, field="applicant_email")
    notes = checked(notes, field="notes")
    if components is not None:
        components = [
            {**item, "name": checked(str(item["name"]), field="components")}
            if "name" in item
            else item
            for item in components
        ]
    _check_applicant(applicant_name, applicant_id_number, applicant_address, applicant_phone)
    now = clock.now()
    received_at = received_at or now
    if received_at > now:
        raise InvalidInput(_("Thời điểm tiếp nhận không thể ở tương lai."), field="received_at")
    if received_at < EARLIEST_RECEIPT:
        # The code carries a two-digit year: 02/01/1926 and 02/01/2026 would share one.
        raise InvalidInput(
            _("Thời điểm tiếp nhận phải từ ngày 01/01/2000 trở đi."), field="received_at"
        )

    _check_consent(notify_consent, applicant_phone, applicant_email)
    request = IntakeRequest(user=user, procedure=procedure, received_at=received_at)
    out_of_list = any([rule(request) for rule in intake_rules()])

    appointment = calendar.term_appointment_at(
        received_at, procedure.processing_days, procedure.term_unit, calendar_for(ward.city_id)
    )
    local_day = timezone.localtime(received_at).date()
    pin = "".join(secrets.choice("0123456789") for _ in range(LOOKUP_PIN_DIGITS))
    receiver_kind = (
        ReceiverKind.POSTAL_WORKER if user.role == Role.POSTAL_WORKER else ReceiverKind.OFFICER
    )
    with transaction.atomic():
        number = _next_number(ward, local_day)
        if request_id:
            # Checked under the day's lock: two submits of one form racing each other queue on
            # the same row, and the second finds the first's dossier (and gives its number back).
            earlier = _earlier_receipt(ward, request_id)
            if earlier is not None:
                transaction.set_rollback(True)
                return earlier
        code = f"{ward.unit_identifier}-{local_day:%y%m%d}-{number:04d}"
        dossier = Dossier.objects.create(
            code=code,
            ward=ward,
            counter=counter,
            procedure=procedure,
            procedure_code=procedure.code,
            procedure_name=procedure.name,
            processing_days=procedure.processing_days,
            term_unit=procedure.term_unit,
            supplement_window_days=procedure.supplement_window_days,
            fee=procedure.fee,
            level=procedure.level,
            resolving_agency=procedure.resolving_agency or f"UBND {ward}",
            channel=channel,
            applicant_name=applicant_name,
            applicant_name_search=fold(applicant_name),
            applicant_id_number=applicant_id_number,
            applicant_phone=applicant_phone,
            applicant_address=applicant_address,
            applicant_email=applicant_email,
            notify_consent=notify_consent,
            components=components if components is not None else procedure.components,
            sets=sets,
            received_at=received_at,
            received_by=user,
            receiver_kind=receiver_kind,
            appointment_at=appointment,
            status=Status.RECEIVED,
            national_status=NationalStatus.ACCEPTED,
            out_of_list=out_of_list,
            notes=notes,
            lookup_pin_hash=lookup_pin_digest(code, pin),
        )
        DossierEvent.objects.create(
            dossier=dossier,
            at=received_at if from_paper else now,
            actor=user,
            actor_role=user.role,
            action=Action.RECEIVE,
            to_status=Status.RECEIVED,
            counter=counter,
            from_unit=dossier.applicant_name,
            to_unit=desk_name(ward, received_at),
            appointment_at=appointment,
            note=notes,
            request_id=request_id,
            from_paper=from_paper,
        )
        figures.record_change(None, figures.Facts.of(dossier))
        dossier_received.send(sender=Dossier, dossier=dossier, user=user)
    return Receipt(dossier=dossier, lookup_pin=pin)
