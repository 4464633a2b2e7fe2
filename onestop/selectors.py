"""Scoped reads about people."""

from django.db.models import QuerySet

from onestop.models import User
from onestop.scope import visible_wards


def staff_for_user(*, user: User) -> QuerySet[User]:
    """Ward staff whose accounts `user` may see: those of the wards in their scope."""
    return (
        User.objects.filter(ward__in=visible_wards(user))
        .select_related("ward")
        .order_by("ward__name", "role", "username")
    )
