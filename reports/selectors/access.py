"""Who may read reports, and which wards: chiefs their ward, city admins their city."""

from __future__ import annotations

from django.db.models import QuerySet

from onestop.models import Role, User
from wards.models import Ward
from wards.scope import visible_wards

REPORT_ROLES = (Role.CHIEF, Role.CITY_ADMIN)


def may_read_reports(user: User) -> bool:
    """Chiefs (their ward), city admins (their city) and technical administrators."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.role in REPORT_ROLES or (user.is_superuser and not user.role))
    )


def report_wards(*, user: User) -> QuerySet[Ward]:
    """The wards whose reports `user` may read; none for counter staff."""
    if not may_read_reports(user):
        return Ward.objects.none()
    return visible_wards(user).filter(active=True).order_by("name")


def report_ward(*, user: User, slug: str) -> Ward:
    """One ward whose report `user` may read, or Ward.DoesNotExist (a 404)."""
    return report_wards(user=user).get(slug=slug)
