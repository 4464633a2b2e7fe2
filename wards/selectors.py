"""Scoped reads of wards, counters and the working calendar."""

from django.db.models import Count, Q, QuerySet

from onestop.models import Role, User
from onestop.scope import visible_wards
from wards.models import Counter, Ward


def wards_for_user(*, user: User) -> QuerySet[Ward]:
    """The wards `user` may see, with their counter and staff counts."""
    return visible_wards(user).annotate(
        counter_count=Count("counters", filter=Q(counters__active=True), distinct=True),
        postal_worker_count=Count(
            "staff",
            filter=Q(staff__role=Role.POSTAL_WORKER, staff__is_active=True),
            distinct=True,
        ),
    )


def ward_for_user(*, user: User, slug: str) -> Ward:
    """One ward in scope, or Ward.DoesNotExist (a 404 for the caller)."""
    return visible_wards(user).get(slug=slug)


def counters_for_user(*, user: User) -> QuerySet[Counter]:
    """Counters of the wards `user` may see."""
    return Counter.objects.filter(ward__in=visible_wards(user)).select_related("ward")
