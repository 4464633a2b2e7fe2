"""What a postal worker may receive: the intake rule registered in settings.INTAKE_RULES.

The intake service asks every registered rule before it writes a dossier, so the counter form,
the API and any future path obey the same answer:

* officers and chiefs: no postal restriction (False);
* a postal worker receives a procedure on their own when it is postal-eligible and the chief
  has authorised them for it at the moment of receipt (False: a normal dossier);
* otherwise only while holding an `out_of_list_intake` assignment for the shift of the receipt
  (morning before 12:00 local time, afternoon after), and the dossier is then flagged
  out-of-list for the chief's review (True);
* anything else is refused with the reason (NotAllowed).

Data entry of paper dossiers is the one relaxation. Under a data-entry batch the worker
transcribes a dossier the section accepted on paper earlier, often received by an officer, or
before any authorisation existed; whether *this* worker could have received it *then* is not
the question, and flagging it out-of-list would flood the chief's review queue with dossiers
that were never received outside anyone's list. So while `data_entry_mode(batch)` is active for
the batch's own worker the rule lets every procedure through unflagged. The data-entry service
keeps that door narrow: only the worker the chief assigned the batch to, only an open batch
still short of its paper count, only a receipt time before the batch was opened (a dossier
received today cannot be slipped in as "old paper"), and never the same paper receipt twice.
"""

import contextlib
import contextvars

from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.errors import NotAllowed
from onestop.models import Role
from postal.models import Assignment, ProcedureAuthorization, Shift, TaskType, shift_of

_data_entry_batch = contextvars.ContextVar("postal_data_entry_batch", default=None)


@contextlib.contextmanager
def data_entry_mode(batch):
    """Within the block, intake by the batch's worker is the entry of an old paper dossier."""
    token = _data_entry_batch.set(batch)
    try:
        yield
    finally:
        _data_entry_batch.reset(token)


def is_authorised(worker, procedure, at) -> bool:
    """True when `worker` held a grant for `procedure` at the moment `at`."""
    return (
        ProcedureAuthorization.objects.filter(
            worker=worker, procedure=procedure, ward_id=worker.ward_id, granted_at__lte=at
        )
        .exclude(revoked_at__lte=at)
        .exists()
    )


def holds_out_of_list_shift(worker, at) -> bool:
    """True when `worker` is assigned out-of-list intake for the shift containing `at`."""
    local = timezone.localtime(at)
    return (
        Assignment.objects.active()
        .filter(
            worker=worker,
            ward_id=worker.ward_id,
            date=local.date(),
            shift=shift_of(local),
            task_type=TaskType.OUT_OF_LIST_INTAKE,
        )
        .exists()
    )


def postal_intake_rule(request) -> bool:
    """True: receive and flag out-of-list; False: receive normally; NotAllowed: refuse."""
    user, procedure, at = request.user, request.procedure, request.received_at
    if user.role != Role.POSTAL_WORKER:
        return False
    batch = _data_entry_batch.get()
    if batch is not None and batch.assigned_to_id == user.pk and batch.ward_id == user.ward_id:
        return False
    if procedure.postal_eligible and is_authorised(user, procedure, at):
        return False
    if holds_out_of_list_shift(user, at):
        return True
    local = timezone.localtime(at)
    shift = _("ca sáng") if shift_of(local) == Shift.MORNING else _("ca chiều")
    when = f"{shift} {local:%d/%m/%Y}"
    if not procedure.postal_eligible:
        reason = _(
            "Thủ tục “%(name)s” không thuộc danh mục tiếp nhận qua bưu điện. Nhân viên bưu điện "
            "chỉ tiếp nhận thủ tục này khi được phân công “Tiếp nhận ngoài danh mục” trong "
            "%(when)s; hãy mời công chức một cửa tiếp nhận hoặc liên hệ trưởng bộ phận."
        )
    else:
        reason = _(
            "Bạn chưa được trưởng bộ phận giao tiếp nhận thủ tục “%(name)s”, và không được phân "
            "công “Tiếp nhận ngoài danh mục” trong %(when)s; hãy mời công chức một cửa tiếp "
            "nhận hoặc liên hệ trưởng bộ phận."
        )
    raise NotAllowed(reason % {"name": procedure.name, "when": when}, field="procedure")
