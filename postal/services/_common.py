"""What every postal service checks first: who acts, and in which ward."""

from django.utils.translation import gettext as _

from onestop.errors import InvalidInput, NotAllowed
from onestop.models import Role, User
from onestop.text import checked
from wards.scope import working_ward_id


def require_chief(user: User) -> int:
    """The ward `user` runs as its chief; NotAllowed for anyone else."""
    ward_id = working_ward_id(user)
    if ward_id is None or user.role != Role.CHIEF:
        raise NotAllowed(_("Chỉ trưởng bộ phận một cửa của phường mới được làm việc này."))
    return ward_id


def require_ward_staff(user: User) -> int:
    """The ward `user` works in; NotAllowed for city admins and technical accounts."""
    ward_id = working_ward_id(user)
    if ward_id is None:
        raise NotAllowed(_("Chỉ cán bộ, nhân viên của phường mới được làm việc này."))
    return ward_id


def require_worker_of(ward_id: int, worker: User, *, field: str = "worker") -> User:
    """`worker` must be an active postal worker of the ward."""
    if worker.role != Role.POSTAL_WORKER or worker.ward_id != ward_id:
        raise InvalidInput(_("Người này không phải nhân viên bưu điện của phường."), field=field)
    if not worker.is_active:
        raise InvalidInput(
            _("Tài khoản của %(name)s đang bị khoá.") % {"name": worker.get_full_name()},
            field=field,
        )
    return worker


def clean_text(value: str | None, *, limit: int, field: str | None = None) -> str:
    """`value` on one line (white space collapsed, NFC); InvalidInput on `field` when it holds a
    control character (onestop.text) or is longer than `limit` — never cut short silently."""
    text = " ".join(checked(value or "", field=field).split())
    if len(text) > limit:
        raise InvalidInput(_("Tối đa %(limit)s ký tự.") % {"limit": limit}, field=field)
    return text
