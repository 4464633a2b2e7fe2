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

from intake.selectors import IntakeOffer
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


def _grants_at(worker, at):
    return ProcedureAuthorization.objects.filter(
        worker=worker, ward_id=worker.ward_id, granted_at__lte=at
    ).exclude(revoked_at__lte=at)


def is_authorised(worker, procedure, at) -> bool:
    """True when `worker` held a grant for `procedure` at the moment `at`."""
    return _grants_at(worker, at).filter(procedure=procedure).exists()


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


def postal_intake_offer(*, user, procedures, at) -> IntakeOffer | None:
    """What `postal_intake_rule` would answer `user` now for each of `procedures` (two queries).

    Shown at intake before anything is typed: granted procedures, the out-of-list shift, and
    what the worker must leave to an officer.
    """
    if user.role != Role.POSTAL_WORKER:
        return None
    granted = set(
        _grants_at(user, at)
        .filter(procedure__postal_eligible=True, procedure__active=True)
        .values_list("procedure_id", flat=True)
    )
    out_of_list = holds_out_of_list_shift(user, at)
    marks, refused = {}, set()
    for procedure in procedures:
        if procedure.postal_eligible and procedure.pk in granted:
            marks[procedure.pk] = _("được giao")
        elif out_of_list:
            marks[procedure.pk] = _("ngoài danh mục, trưởng bộ phận xem xét")
        else:
            marks[procedure.pk] = _("chưa được giao, mời công chức tiếp nhận")
            refused.add(procedure.pk)
    if out_of_list:
        summary = _(
            "Ca này bạn được phân công “Tiếp nhận ngoài danh mục”: bạn tiếp nhận được mọi thủ "
            "tục; thủ tục ngoài %(count)d thủ tục được giao sẽ chuyển trưởng bộ phận xem xét."
        )
    else:
        summary = _(
            "Bạn tự tiếp nhận được %(count)d thủ tục trưởng bộ phận đã giao (đánh dấu “được "
            "giao”); thủ tục khác hãy mời công chức một cửa tiếp nhận."
        )
    return IntakeOffer(
        summary=summary % {"count": len(granted)}, marks=marks, refused=frozenset(refused)
    )
