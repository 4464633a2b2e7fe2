"""Scoped reads of wards, their counters and staff, and the working calendar."""

import datetime as dt

from django.db.models import Count, Q, QuerySet

from onestop.models import Role, User
from wards.calendar import WorkingCalendar
from wards.models import CalendarException, Counter, Ward
from wards.scope import visible_wards


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


def staff_for_user(*, user: User) -> QuerySet[User]:
    """Ward staff whose accounts `user` may see: those of the wards in their scope."""
    return (
        User.objects.filter(ward__in=visible_wards(user))
        .select_related("ward")
        .order_by("ward__name", "role", "username")
    )


def working_calendar(*, city_id: int) -> WorkingCalendar:
    """The national calendar with `city_id`'s extra days off and make-up working days."""
    days_off: set[dt.date] = set()
    working_days: set[dt.date] = set()
    for day, kind in CalendarException.objects.filter(
        city_id=city_id, revoked_at__isnull=True
    ).values_list("date", "kind"):
        (days_off if kind == CalendarException.Kind.DAY_OFF else working_days).add(day)
    return WorkingCalendar(
        extra_days_off=frozenset(days_off), extra_working_days=frozenset(working_days)
    )
