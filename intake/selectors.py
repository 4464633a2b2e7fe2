"""Scoped reads of the catalogue (and, later, of dossiers)."""

from django.db.models import QuerySet

from intake.models import Procedure
from onestop.models import User
from onestop.text import fold


def procedures_for_user(
    *, user: User, search: str = "", include_inactive: bool = False
) -> QuerySet[Procedure]:
    """The catalogue as `user` may read it, optionally searched by code or name.

    The catalogue is shared by every ward, so any signed-in user reads it; only city admins
    see withdrawn procedures. Search ignores diacritics and case: "dang ky khai sinh" finds
    "Đăng ký khai sinh"; every word must match.
    """
    if not user.is_authenticated:
        return Procedure.objects.none()
    procedures = Procedure.objects.all()
    if not (include_inactive and (user.is_city_admin or user.is_superuser)):
        procedures = procedures.filter(active=True)
    for word in fold(search).split():
        procedures = procedures.filter(search_text__contains=word)
    return procedures.order_by("field", "name")


def procedure_for_user(*, user: User, code: str) -> Procedure:
    """One procedure by its code, or Procedure.DoesNotExist."""
    return procedures_for_user(user=user).get(code=code)
