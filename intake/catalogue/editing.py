"""Editing the catalogue by hand: a procedure's entry changed, withdrawn or brought back."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from intake.models import Procedure
from onestop.errors import InvalidInput, NotAllowed
from onestop.models import User
from onestop.text import checked, fold

EDITABLE = (
    "name",
    "field",
    "level",
    "resolving_agency",
    "processing_days",
    "term_unit",
    "supplement_window_days",
    "fee",
    "postal_eligible",
    "notes",
    "source",
    "effective_from",
    "effective_to",
    "active",
)


def may_manage_catalogue(user: User) -> bool:
    """City admins keep the catalogue that every ward receives against."""
    return bool(user.is_authenticated and user.is_active and user.is_city_admin)


def require_manager(user: User) -> None:
    if not may_manage_catalogue(user):
        raise NotAllowed(_("Chỉ quản trị thành phố được sửa danh mục thủ tục."))


def catalogue_for_admin(*, user: User, search: str = "", state: str = "") -> QuerySet[Procedure]:
    """The whole catalogue for its keeper (withdrawn procedures too); none for anyone else."""
    if not may_manage_catalogue(user):
        return Procedure.objects.none()
    procedures = Procedure.objects.all()
    for word in fold(search).split()[:8]:
        procedures = procedures.filter(search_text__contains=word)
    if state == "active":
        procedures = procedures.filter(active=True)
    elif state == "inactive":
        procedures = procedures.filter(active=False)
    return procedures.order_by("field", "name", "code")


def procedure_for_admin(*, user: User, code: str) -> Procedure:
    """One procedure for its keeper, or Procedure.DoesNotExist (404)."""
    return catalogue_for_admin(user=user).get(code=code)


def _check(values: dict) -> None:
    name = (values.get("name") or "").strip()
    if "name" in values and not name:
        raise InvalidInput(_("Nhập tên thủ tục."), field="name")
    # A procedure's name and field are names: what no document carries and invisible
    # characters are refused (onestop.text).
    for key in ("name", "field"):
        if isinstance(values.get(key), str):
            values[key] = checked(values[key], field=key, exact=True)
    if "level" in values and values["level"] not in Procedure.Level.values:
        raise InvalidInput(_("Cấp thực hiện không hợp lệ."), field="level")
    days = values.get("processing_days")
    if days is not None and not 0 <= days <= 365:
        raise InvalidInput(_("Thời hạn giải quyết từ 0 đến 365 ngày."), field="processing_days")
    if "term_unit" in values and values["term_unit"] not in Procedure.TermUnit.values:
        raise InvalidInput(
            _("Đơn vị thời hạn chỉ nhận “ngày làm việc” hoặc “ngày”."), field="term_unit"
        )
    window = values.get("supplement_window_days")
    if window is not None and not 1 <= window <= 365:
        raise InvalidInput(
            _("Thời hạn yêu cầu bổ sung từ 1 đến 365 ngày làm việc, hoặc để trống."),
            field="supplement_window_days",
        )
    fee = values.get("fee")
    if fee is not None and not 0 <= fee <= 1_000_000_000:
        raise InvalidInput(_("Phí, lệ phí không hợp lệ."), field="fee")
    start, end = values.get("effective_from"), values.get("effective_to")
    if start and end and end < start:
        raise InvalidInput(_("Ngày hết hiệu lực phải sau ngày có hiệu lực."), field="effective_to")


def procedure_update(*, user: User, code: str, values: dict) -> Procedure:
    """Change a procedure's catalogue entry; dossiers already received keep their snapshot."""
    require_manager(user)
    unknown = set(values) - set(EDITABLE) - {"components"}
    if unknown:
        raise InvalidInput(_("Trường không sửa được: %(f)s") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().get(code=code)
        merged = {name: getattr(procedure, name) for name in EDITABLE}
        merged.update(values)
        _check(merged)
        changed = [name for name, value in values.items() if getattr(procedure, name) != value]
        for name in changed:
            setattr(procedure, name, values[name])
        if changed:
            procedure.save(update_fields=changed)
    return procedure


def procedure_set_active(*, user: User, code: str, active: bool) -> Procedure:
    """Withdraw a procedure from intake (or bring it back); it is never deleted."""
    return procedure_update(user=user, code=code, values={"active": active})
