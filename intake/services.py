"""Write operations on dossiers: intake and every lifecycle step.

Each step follows one recipe: one transaction; the dossier row locked; an early return when the
same request was already applied (a double click); the change; exactly one event in the same
transaction. Refusals raise onestop.errors (NotAllowed → 403, Conflict → 409, InvalidInput → 400)
and change nothing.
"""

import contextlib
import contextvars
import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from intake import figures
from intake.lifecycle import POSTAL_ACTIONS, Action, edge, may_ever
from intake.models import (
    Channel,
    Dossier,
    DossierEvent,
    DossierSequence,
    NationalStatus,
    Procedure,
    ReceiverKind,
    ReturnMethod,
    Satisfaction,
    Status,
)
from onestop import clock
from onestop.errors import Conflict, InvalidInput, NotAllowed
from onestop.models import WARD_ROLES, Role, User
from onestop.text import checked, fold
from wards import calendar
from wards.models import Counter, Ward
from wards.selectors import working_calendar

LOOKUP_PIN_DIGITS = 6
# Dossier codes name the day as yyMMdd, unique within one century.
EARLIEST_RECEIPT = dt.datetime(2000, 1, 1, tzinfo=calendar.VIETNAM_TZ)


# --- lookup PIN -----------------------------------------------------------------------------


def lookup_pin_digest(code: str, pin: str) -> str:
    """A keyed digest of the PIN: the database never holds the PIN itself."""
    return salted_hmac("onestop.intake.lookup-pin", f"{code}:{pin}", algorithm="sha256").hexdigest()


def lookup_pin_matches(dossier: Dossier, pin: str) -> bool:
    return constant_time_compare(dossier.lookup_pin_hash, lookup_pin_digest(dossier.code, pin))


# --- intake --------------------------------------------------------------------------------


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


def _earlier_receipt(user: User, request_id: str) -> Receipt | None:
    """The receipt of an intake this ward already made for `request_id` (a double submit)."""
    earlier = (
        DossierEvent.objects.filter(
            request_id=request_id, action=Action.RECEIVE, dossier__ward_id=user.ward_id
        )
        .select_related("dossier")
        .first()
    )
    if earlier is None:
        return None
    # The dossier exists; its PIN cannot be shown a second time.
    return Receipt(dossier=earlier.dossier, lookup_pin="")


def _check_applicant(name: str, id_number: str, address: str, phone: str) -> None:
    """The checks the database would otherwise answer with an error page."""
    if not name:
        raise InvalidInput(_("Nhập họ tên người nộp hồ sơ."), field="applicant_name")
    if len(name) > Dossier._meta.get_field("applicant_name").max_length:
        raise InvalidInput(_("Họ tên quá dài."), field="applicant_name")
    # 12 digits (CCCD), or 9 for the old identity cards still seen in paper dossiers.
    if not id_number.isascii() or not id_number.isdigit() or len(id_number) not in (9, 12):
        raise InvalidInput(
            _("Số CCCD gồm 12 chữ số (CMND cũ: 9 chữ số)."), field="applicant_id_number"
        )
    if not address:
        raise InvalidInput(_("Nhập địa chỉ người nộp hồ sơ."), field="applicant_address")
    if len(address) > Dossier._meta.get_field("applicant_address").max_length:
        raise InvalidInput(_("Địa chỉ quá dài."), field="applicant_address")
    if len(phone) > Dossier._meta.get_field("applicant_phone").max_length:
        raise InvalidInput(_("Số điện thoại quá dài."), field="applicant_phone")


def _desk(ward: Ward) -> str:
    return _("Bộ phận một cửa %(ward)s") % {"ward": ward}


def _calendar_for(city_id: int) -> calendar.WorkingCalendar:
    cached = _calendar_cache.get()
    if cached is not None:
        if city_id not in cached:
            cached[city_id] = working_calendar(city_id=city_id)
        return cached[city_id]
    return working_calendar(city_id=city_id)


_calendar_cache: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "onestop_calendar_cache", default=None
)


@contextlib.contextmanager
def calendars_cached():
    """Within the block, each city's working calendar is read from the database once.

    For replays of many intakes (demo data, data entry batches) during which nobody edits the
    calendar; interactive requests always read the current calendar.
    """
    token = _calendar_cache.set({})
    try:
        yield
    finally:
        _calendar_cache.reset(token)


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
    components: list[dict] | None = None,
    sets: int = 1,
    counter: Counter | None = None,
    received_at: dt.datetime | None = None,
    notes: str = "",
    request_id: str = "",
) -> Receipt:
    """Receive a dossier at the user's ward: code, appointment, PIN, and the first event.

    `received_at` is now, except in data entry of paper dossiers received earlier.
    """
    if user.role not in WARD_ROLES or not user.is_active or user.ward_id is None:
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
    if counter is not None and (counter.ward_id != user.ward_id or not counter.active):
        raise InvalidInput(_("Quầy không thuộc phường của bạn."), field="counter")
    if sets < 1:
        raise InvalidInput(_("Số bộ hồ sơ phải từ 1 trở lên."), field="sets")
    # Text is stored as typed, in NFC and without surrounding white space (a name's inner white
    # space collapsed); a control character is refused (onestop.text).
    applicant_name = " ".join(checked(applicant_name, field="applicant_name").split())
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

    request = IntakeRequest(user=user, procedure=procedure, received_at=received_at)
    out_of_list = any([rule(request) for rule in intake_rules()])

    ward = user.ward
    appointment = calendar.appointment_at(
        received_at, procedure.processing_days, _calendar_for(ward.city_id)
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
            earlier = _earlier_receipt(user, request_id)
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
            at=now,
            actor=user,
            actor_role=user.role,
            action=Action.RECEIVE,
            to_status=Status.RECEIVED,
            counter=counter,
            from_unit=dossier.applicant_name,
            to_unit=_desk(ward),
            appointment_at=appointment,
            note=notes,
            request_id=request_id,
        )
        figures.record_change(None, figures.Facts.of(dossier))
    return Receipt(dossier=dossier, lookup_pin=pin)


# --- lifecycle steps -----------------------------------------------------------------------


@dataclass
class StepInput:
    """The details a step may need besides the note."""

    new_appointment_at: dt.datetime | None = None
    collector_id_number: str = ""
    satisfaction: int | None = None
    counter: Counter | None = None


def _lock_for(user: User, code: str) -> Dossier:
    """The dossier, locked, if `user` may act in its ward; otherwise Dossier.DoesNotExist."""
    from intake.selectors import dossiers_in_working_ward

    dossier = dossiers_in_working_ward(user=user).select_for_update().get(code=code)
    # The dossier is in the user's own ward (the queryset says so): reuse that ward rather than
    # joining it, which would also lock the ward row and queue every step in the ward.
    dossier.ward = user.ward
    return dossier


def _check_step(user: User, dossier: Dossier, action: Action):
    step = edge(dossier.status, action)
    if step is None:
        if not may_ever(user.role, action):
            raise NotAllowed(
                _("Vai trò %(role)s không được thực hiện thao tác “%(action)s”.")
                % {"role": user.get_role_display(), "action": action.label}
            )
        raise Conflict(
            _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”, không thể “%(action)s”.")
            % {"code": dossier.code, "status": dossier.get_status_display(), "action": action.label}
        )
    if user.role not in step.roles:
        raise NotAllowed(
            _("Vai trò %(role)s không được “%(action)s” khi hồ sơ “%(status)s”.")
            % {
                "role": user.get_role_display(),
                "action": action.label,
                "status": dossier.get_status_display(),
            }
        )
    return step


def _parse_action(action: str) -> Action:
    try:
        return Action(action)
    except ValueError:
        raise InvalidInput(
            _("Thao tác “%(action)s” không tồn tại.") % {"action": action}, field="action"
        ) from None


def dossier_step(
    *,
    user: User,
    code: str,
    action: str,
    note: str = "",
    details: StepInput | None = None,
    request_id: str = "",
    from_delivery: bool = False,
) -> Dossier:
    """Take one lifecycle step on the dossier `code` in the user's ward.

    Raises Dossier.DoesNotExist when the dossier is outside the user's ward (a 404), NotAllowed
    when the user's role may not take the step, Conflict when the dossier's state does not allow
    it, InvalidInput when a detail the step needs is missing or wrong. A `request_id` already
    recorded on the dossier returns it unchanged (the same form submitted twice).
    """
    action = _parse_action(action)
    details = details or StepInput()
    if action == Action.RECEIVE:
        raise InvalidInput(_("Tiếp nhận là một thao tác riêng."), field="action")
    if action in POSTAL_ACTIONS and not from_delivery:
        raise InvalidInput(
            _("Gửi và phát kết quả qua bưu điện được ghi nhận qua phiếu chuyển phát."),
            field="action",
        )
    note = note.strip()
    now = clock.now()
    with transaction.atomic():
        dossier = _lock_for(user, code)
        if request_id and dossier.events.filter(request_id=request_id).exists():
            return dossier
        step = _check_step(user, dossier, action)
        if details.counter is not None and (
            details.counter.ward_id != dossier.ward_id or not details.counter.active
        ):
            raise InvalidInput(_("Quầy không thuộc phường của bạn."), field="counter")
        from_status = dossier.status
        before = figures.Facts.of(dossier)
        changed = _apply(user, dossier, action, note, details, now)
        if from_status == Status.NEEDS_SUPPLEMENT and step.target != Status.NEEDS_SUPPLEMENT:
            changed += _end_pause(dossier, now, move_appointment=action == Action.SUPPLEMENT)
        dossier.status = step.target
        dossier.national_status = step.national_status
        dossier.save(
            update_fields=[*dict.fromkeys(changed), "status", "national_status", "updated_at"]
        )
        from_unit, to_unit = _handoff(dossier, action, from_status)
        DossierEvent.objects.create(
            dossier=dossier,
            at=now,
            actor=user,
            actor_role=user.role,
            action=action,
            from_status=from_status,
            to_status=step.target,
            note=note,
            counter=details.counter,
            from_unit=from_unit,
            to_unit=to_unit,
            appointment_at=(
                dossier.due_at if action in (Action.APOLOGISE, Action.SUPPLEMENT) else None
            ),
            request_id=request_id,
        )
        figures.record_change(before, _facts_after(dossier, before, now))
    return dossier


def _facts_after(dossier: Dossier, before: figures.Facts, now: dt.datetime) -> figures.Facts:
    """The dossier's report facts after a step; `before`'s working days were not counted."""
    working_days = 0
    if dossier.resolved_at is not None and before.resolved_at is None:
        working_days = _calendar_for(dossier.ward.city_id).working_days_between(
            figures.local_day(dossier.received_at), figures.local_day(dossier.resolved_at)
        )
    closed_at = now if dossier.status in figures.CLOSING else None
    return figures.Facts.of(dossier, working_days=working_days, closed_at=closed_at)


APPLICANT = _lazy("Người nộp hồ sơ")
POST_OFFICE = _lazy("Bưu điện")


def _handoff(dossier: Dossier, action: Action, from_status: str) -> tuple[str, str]:
    """Who hands the dossier (or its result) to whom in this step: Mẫu 05's two columns.

    A step that moves no papers (an apology) has no hand-off.
    """
    desk = _desk(dossier.ward)
    agency = dossier.resolving_agency
    # Papers come back to the citizen from wherever they are: the desk before transfer, the
    # resolving agency once they were handed over.
    holder = desk if from_status == Status.RECEIVED else agency
    return {
        Action.TRANSFER: (desk, agency),
        Action.REQUEST_SUPPLEMENT: (agency, str(APPLICANT)),
        # The citizen brings the missing papers to the counter, which passes them on.
        Action.SUPPLEMENT: (str(APPLICANT), agency),
        Action.RESOLVE: (agency, desk),
        Action.REFUSE: (holder, str(APPLICANT)),
        Action.WITHDRAW: (holder, str(APPLICANT)),
        Action.RETURN: (desk, str(APPLICANT)),
        Action.SEND_BY_POST: (desk, str(POST_OFFICE)),
        Action.DELIVERED: (str(POST_OFFICE), str(APPLICANT)),
        Action.DELIVERY_FAILED: (str(POST_OFFICE), desk),
    }.get(action, ("", ""))


def _require_note(note: str, message: str) -> None:
    if not note:
        raise InvalidInput(message, field="note")


def _end_pause(dossier: Dossier, now: dt.datetime, *, move_appointment: bool) -> list[str]:
    """Close the supplement pause; on `supplemented` the promise moves by the time paused.

    The paused time is working time (a weekend in the middle does not count) and is kept on
    the dossier for reports whichever way the pause ends (supplemented or withdrawn).
    """
    cal = _calendar_for(dossier.ward.city_id)
    # max(): a replay of older events must never make the pause negative.
    paused = calendar.working_time_between(
        dossier.paused_since, max(now, dossier.paused_since), cal
    )
    changed = ["paused_seconds", "paused_since"]
    if move_appointment and paused:
        dossier.appointment_at = calendar.add_working_time(dossier.appointment_at, paused, cal)
        changed.append("appointment_at")
        if dossier.apology_appointment_at:
            dossier.apology_appointment_at = calendar.add_working_time(
                dossier.apology_appointment_at, paused, cal
            )
            changed.append("apology_appointment_at")
    dossier.paused_seconds += int(paused.total_seconds())
    dossier.paused_since = None
    return changed


def _apply(user, dossier, action, note, details, now) -> list[str]:
    """Change the dossier's own fields for `action`; return the names of the fields changed."""
    if action == Action.REQUEST_SUPPLEMENT:
        _require_note(note, _("Ghi rõ giấy tờ cần bổ sung (nội dung Phiếu yêu cầu bổ sung)."))
        dossier.supplement_count += 1
        dossier.paused_since = now
        return ["supplement_count", "paused_since"]
    if action == Action.RESOLVE:
        dossier.resolved_at = now
        # Timeliness counts against the appointment on the receipt, moved only by supplement
        # pauses: an apology's new date does not make a late result timely. More than one
        # supplement request counts as late, as the national index does.
        dossier.timeliness = (
            "late"
            if dossier.supplement_count > 1
            else calendar.timeliness(now, dossier.appointment_at)
        )
        return ["resolved_at", "timeliness"]
    if action == Action.REFUSE:
        _require_note(note, _("Ghi rõ lý do từ chối (nội dung Phiếu từ chối)."))
        return []
    if action == Action.APOLOGISE:
        return _apologise(dossier, note, details)
    if action == Action.RETURN:
        collector = details.collector_id_number.strip()
        if not collector:
            raise InvalidInput(
                _("Nhập số CCCD của người nhận kết quả."), field="collector_id_number"
            )
        if collector != dossier.applicant_id_number:
            # Someone else collecting must carry the applicant's written authorisation.
            _require_note(
                note,
                _(
                    "Số CCCD không khớp người nộp hồ sơ. Nếu nhận thay, ghi họ tên người nhận "
                    "và giấy ủy quyền vào ghi chú."
                ),
            )
        return _returned(user, dossier, details, ReturnMethod.COUNTER, now)
    if action == Action.DELIVERED:
        return _returned(user, dossier, details, ReturnMethod.POST, now)
    return []


def _apologise(dossier, note, details) -> list[str]:
    _require_note(note, _("Ghi rõ lý do chậm trễ (nội dung Phiếu xin lỗi và hẹn lại)."))
    if dossier.apology_appointment_at is not None:
        raise Conflict(_("Hồ sơ đã có Phiếu xin lỗi và hẹn lại; chỉ được hẹn lại một lần."))
    new_date = details.new_appointment_at
    if new_date is None:
        raise InvalidInput(_("Nhập ngày hẹn trả mới."), field="new_appointment_at")
    if timezone.is_naive(new_date):
        new_date = timezone.make_aware(new_date)
    cal = _calendar_for(dossier.ward.city_id)
    # The citizen is told a time the section is open; a date typed at midnight or on a day off
    # means the start of the next working period.
    new_date = calendar.add_working_time(new_date, dt.timedelta(0), cal)
    # Later in *working* time, not merely on the clock: 13:30 is no later than 11:30 the same
    # day, and a later supplement pause must move both dates without making them meet.
    if new_date <= dossier.appointment_at or not calendar.working_time_between(
        dossier.appointment_at, new_date, cal
    ):
        raise InvalidInput(
            _("Ngày hẹn mới phải sau ngày hẹn cũ (%(old)s).")
            % {"old": timezone.localtime(dossier.appointment_at).strftime("%H:%M %d/%m/%Y")},
            field="new_appointment_at",
        )
    dossier.apology_appointment_at = new_date
    return ["apology_appointment_at"]


def _returned(user, dossier, details, method, now) -> list[str]:
    if details.satisfaction is not None and details.satisfaction not in Satisfaction.values:
        raise InvalidInput(_("Mức độ hài lòng phải từ 1 đến 5."), field="satisfaction")
    dossier.returned_at = now
    dossier.returned_by = user
    dossier.return_method = method
    dossier.satisfaction = details.satisfaction
    return ["returned_at", "returned_by", "return_method", "satisfaction"]
