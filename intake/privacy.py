"""Personal data: who saw a dossier's full personal data, and who exported what.

Law 91/2025/QH15 on personal data protection asks the controller to be able to say who
processed whose data and when. Every view that shows a dossier in full (citizen ID, phone,
address) and every export calls `personal_data_access_log`; the ward's chief reads the log of
their ward (`/nhat-ky-truy-cap/`), a city admin that of their city. Lines are never changed or
deleted (model, admin, `PROTECTED_FROM_DELETE`, and a trigger on PostgreSQL).
"""

from django.db.models import Q, QuerySet

from intake.models import Dossier, PersonalDataAccess
from onestop import clock
from onestop.models import Role, User
from wards.models import Ward
from wards.scope import visible_wards

# A query string is the caller's to write: keep what the log needs, not what they sent.
MAX_PARAMS = 20
MAX_VALUE = 200


def _params(params: dict | None) -> dict:
    clean = {}
    for key, value in list((params or {}).items())[:MAX_PARAMS]:
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        clean[str(key)[:50]] = value if isinstance(value, int | bool) else str(value)[:MAX_VALUE]
    return clean


def personal_data_access_log(
    *,
    user: User,
    dossier: Dossier | None = None,
    export: str | None = None,
    params: dict | None = None,
    ward: Ward | None = None,
) -> PersonalDataAccess:
    """Record that `user` saw `dossier`'s full personal data, or exported `export` (with the
    `params` that chose its rows: period, ward, filters).

    The line belongs to the dossier's ward, or to `ward` (an export of one ward), or to the
    user's own ward; a city admin's city-wide export belongs to their city. One INSERT.
    """
    if dossier is None and not export:
        raise ValueError("A personal data access names a dossier or an export.")
    ward_id = dossier.ward_id if dossier is not None else (ward.pk if ward else user.ward_id)
    return PersonalDataAccess.objects.create(
        at=clock.now(),
        user=user,
        role=user.role,
        ward_id=ward_id,
        city_id=None if ward_id else user.city_id,
        dossier=dossier,
        export=(export or "")[:60],
        params=_params(params),
    )


def personal_data_accesses_for_user(*, user: User) -> QuerySet[PersonalDataAccess]:
    """The log lines `user` may read: a chief their ward's, a city admin their city's (its
    wards' and its own city-wide exports). Everyone else reads none. Newest first."""
    lines = PersonalDataAccess.objects.select_related("user", "ward", "dossier").order_by(
        "-at", "-id"
    )
    if user.role == Role.CHIEF:
        return lines.filter(ward__in=visible_wards(user))
    if user.role == Role.CITY_ADMIN:
        return lines.filter(Q(ward__in=visible_wards(user)) | Q(city_id=user.city_id))
    return lines.none()


def may_read_access_log(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role in (Role.CHIEF, Role.CITY_ADMIN)
