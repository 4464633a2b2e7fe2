"""Data-entry batches: paper dossiers received earlier, entered one by one by the assigned worker.

Each paper dossier goes through the real intake service with its original receipt time, so its
code, appointment date and control sheet are those of any other dossier; the entry record links
it to the batch and keeps the paper receipt's number, which the database refuses twice in a ward.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.models import Procedure
from intake.services import (
    PaperState,
    dossier_paper_history,
    dossier_receive,
    paper_dates_check,
)
from onestop import clock
from onestop.errors import Conflict, InvalidInput, NotAllowed
from onestop.models import User
from postal.models import DataEntryBatch, DataEntryRecord
from postal.rules import data_entry_mode
from postal.services._common import (
    clean_text,
    require_chief,
    require_ward_staff,
    require_worker_of,
)
from wards.models import Counter

KEEP: Any = object()
TITLE_LIMIT = 200
NOTE_LIMIT = 300


def _check_batch_fields(*, title: str, paper_count: int) -> None:
    if not title:
        raise InvalidInput(_("Đặt tên cho lô nhập liệu."), field="title")
    if paper_count is None or paper_count < 1:
        raise InvalidInput(_("Số hồ sơ giấy phải từ 1 trở lên."), field="paper_count")
    if paper_count > 10_000:
        raise InvalidInput(
            _("Một lô tối đa 10.000 hồ sơ; hãy chia thành nhiều lô."), field="paper_count"
        )


def batch_create(
    *,
    user: User,
    title: str,
    paper_count: int,
    assigned_to: User,
    due_date: dt.date | None = None,
    note: str = "",
) -> DataEntryBatch:
    """Open a batch of `paper_count` paper dossiers for `assigned_to` to enter."""
    ward_id = require_chief(user)
    title = clean_text(title, limit=TITLE_LIMIT)
    _check_batch_fields(title=title, paper_count=paper_count)
    require_worker_of(ward_id, assigned_to, field="assigned_to")
    now = clock.now()
    if due_date is not None and due_date < timezone.localdate(now):
        raise InvalidInput(_("Hạn hoàn thành không thể ở quá khứ."), field="due_date")
    return DataEntryBatch.objects.create(
        ward_id=ward_id,
        title=title,
        paper_count=paper_count,
        assigned_to=assigned_to,
        due_date=due_date,
        note=clean_text(note, limit=NOTE_LIMIT),
        created_at=now,
        created_by=user,
    )


def _locked_batch(ward_id: int, batch_id: int) -> DataEntryBatch:
    return DataEntryBatch.objects.select_for_update().get(pk=batch_id, ward_id=ward_id)


def batch_update(
    *,
    user: User,
    batch_id: int,
    title: str = KEEP,
    paper_count: int = KEEP,
    assigned_to: User = KEEP,
    due_date: dt.date | None = KEEP,
    note: str = KEEP,
) -> DataEntryBatch:
    """Change an open batch; arguments not given keep their value. A batch never shrinks below
    the dossiers already entered."""
    ward_id = require_chief(user)
    with transaction.atomic():
        batch = _locked_batch(ward_id, batch_id)
        if batch.status != DataEntryBatch.Status.OPEN:
            raise Conflict(_("Lô đã đóng, không sửa được nữa."))
        if title is not KEEP:
            batch.title = clean_text(title, limit=TITLE_LIMIT)
        if paper_count is not KEEP:
            batch.paper_count = paper_count
        if due_date is not KEEP:
            batch.due_date = due_date
        if note is not KEEP:
            batch.note = clean_text(note, limit=NOTE_LIMIT)
        if assigned_to is not KEEP and assigned_to.pk != batch.assigned_to_id:
            require_worker_of(ward_id, assigned_to, field="assigned_to")
            batch.assigned_to = assigned_to
        _check_batch_fields(title=batch.title, paper_count=batch.paper_count)
        entered = batch.records.count()
        if batch.paper_count < entered:
            raise InvalidInput(
                _("Lô đã nhập %(entered)s hồ sơ; số hồ sơ giấy không thể ít hơn.")
                % {"entered": entered},
                field="paper_count",
            )
        batch.save()
    return batch


def batch_close(*, user: User, batch_id: int, cancel: bool = False) -> DataEntryBatch:
    """Close a batch as done (or as cancelled, when it was opened by mistake)."""
    ward_id = require_chief(user)
    with transaction.atomic():
        batch = _locked_batch(ward_id, batch_id)
        target = DataEntryBatch.Status.CANCELLED if cancel else DataEntryBatch.Status.DONE
        if batch.status == target:
            return batch
        if batch.status != DataEntryBatch.Status.OPEN:
            raise Conflict(_("Lô đã đóng trước đó."))
        if cancel and batch.records.exists():
            raise Conflict(_("Lô đã có hồ sơ được nhập nên không huỷ được; hãy đóng lô (đã xong)."))
        batch.status = target
        batch.closed_at = clock.now()
        batch.closed_by = user
        batch.save(update_fields=["status", "closed_at", "closed_by"])
    return batch


def normalise_receipt_number(value: str) -> str:
    """Receipt numbers compare without case or stray spaces: " 125/tn " is "125/TN"."""
    return " ".join((value or "").split()).upper()


def data_entry_record(
    *,
    user: User,
    batch_id: int,
    original_receipt_number: str,
    original_received_at: dt.datetime,
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
    notes: str = "",
    request_id: str = "",
    paper_state: str = PaperState.RECEIVED,
    paper_resolved_at: dt.datetime | None = None,
    paper_returned_at: dt.datetime | None = None,
) -> DataEntryRecord:
    """Enter one paper dossier of a batch, received at `original_received_at`, in the state its
    paper shows (`paper_state`: received, processing, result ready or returned, with the result
    and return dates written on the paper; intake.services.paper).

    The paper's dates come before the batch was opened for its receipt, and for the others not
    in the future and not after the batch's due date when it has one.

    Raises DataEntryBatch.DoesNotExist (a 404) outside the user's ward; NotAllowed for anyone
    but the batch's worker; Conflict when the batch is closed or full, or the paper receipt was
    already entered in the ward.
    """
    ward_id = require_ward_staff(user)
    number = normalise_receipt_number(original_receipt_number)
    with transaction.atomic():
        batch = _locked_batch(ward_id, batch_id)
        if batch.assigned_to_id != user.pk:
            raise NotAllowed(
                _("Lô này được giao cho %(name)s; chỉ người được giao mới nhập hồ sơ.")
                % {"name": batch.assigned_to.get_full_name()}
            )
        if not number:
            raise InvalidInput(_("Nhập số giấy tiếp nhận gốc."), field="original_receipt_number")
        if len(number) > 40:
            raise InvalidInput(
                _("Số giấy tiếp nhận gốc tối đa 40 ký tự."), field="original_receipt_number"
            )
        if original_received_at is None:
            raise InvalidInput(_("Nhập thời điểm tiếp nhận gốc."), field="original_received_at")
        if batch.status != DataEntryBatch.Status.OPEN:
            raise Conflict(_("Lô “%(title)s” đã đóng.") % {"title": batch.title})
        if request_id:
            earlier = DataEntryRecord.objects.filter(
                batch=batch, dossier__events__request_id=request_id
            ).first()
            if earlier is not None:
                return earlier  # the same paper submitted twice
        entered = batch.records.count()
        if entered >= batch.paper_count:
            raise Conflict(
                _("Lô đã nhập đủ %(count)s/%(count)s hồ sơ.") % {"count": batch.paper_count}
            )
        if original_received_at >= batch.created_at:
            raise InvalidInput(
                _(
                    "Hồ sơ giấy của lô phải được tiếp nhận trước khi lập lô (%(at)s); hồ sơ "
                    "mới tiếp nhận thì nhập qua màn hình tiếp nhận."
                )
                % {"at": f"{timezone.localtime(batch.created_at):%H:%M %d/%m/%Y}"},
                field="original_received_at",
            )
        paper_dates_check(
            state=paper_state,
            received_at=original_received_at,
            resolved_at=paper_resolved_at,
            returned_at=paper_returned_at,
            latest=batch_latest(batch),
        )
        if duplicate := _duplicate(ward_id, number):
            raise _duplicate_error(number, duplicate)
        with data_entry_mode(batch):
            receipt = dossier_receive(
                user=user,
                procedure=procedure,
                channel=channel,
                applicant_name=applicant_name,
                applicant_id_number=applicant_id_number,
                applicant_address=applicant_address,
                applicant_phone=applicant_phone,
                applicant_email=applicant_email,
                components=components,
                sets=sets,
                counter=counter,
                received_at=original_received_at,
                notes=notes,
                request_id=request_id,
                from_paper=True,
            )
            dossier_paper_history(
                user=user,
                dossier=receipt.dossier,
                state=paper_state,
                resolved_at=paper_resolved_at,
                returned_at=paper_returned_at,
            )
        try:
            with transaction.atomic():
                record = DataEntryRecord.objects.create(
                    batch=batch,
                    dossier=receipt.dossier,
                    ward_id=ward_id,
                    original_receipt_number=number,
                    original_received_at=original_received_at,
                    entered_at=clock.now(),
                    entered_by=user,
                )
        except IntegrityError:
            # Entered at the same moment in another batch: this whole entry is undone.
            if duplicate := _duplicate(ward_id, number):
                raise _duplicate_error(number, duplicate) from None
            raise
    return record


def batch_latest(batch: DataEntryBatch) -> dt.datetime | None:
    """The last moment a paper date of `batch` may name: the end of its due date, if any."""
    if batch.due_date is None:
        return None
    next_day = dt.datetime.combine(batch.due_date + dt.timedelta(days=1), dt.time())
    return timezone.make_aware(next_day) - dt.timedelta(microseconds=1)


def _duplicate(ward_id: int, number: str) -> DataEntryRecord | None:
    return (
        DataEntryRecord.objects.filter(ward_id=ward_id, original_receipt_number=number)
        .select_related("dossier", "batch")
        .first()
    )


def _duplicate_error(number: str, record: DataEntryRecord) -> Conflict:
    return Conflict(
        _(
            "Giấy tiếp nhận số %(number)s đã được nhập: hồ sơ %(code)s, lô “%(batch)s”. "
            "Không nhập một hồ sơ giấy hai lần."
        )
        % {"number": number, "code": record.dossier.code, "batch": record.batch.title},
        field="original_receipt_number",
    )
