"""Scoped reads of wards, their counters and staff, and the working calendar."""

import datetime as dt

from django.db.models import BooleanField, Count, Q, QuerySet, Value

from onestop.models import Role, User
from wards.calendar import WorkingCalendar
from wards.models import CalendarException, Counter, OfficialSwap, Ward
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


def current_official_swaps() -> QuerySet[OfficialSwap]:
    """The Government's swaps in force (not replaced by a newer document), for every city."""
    return OfficialSwap.objects.filter(superseded_at__isnull=True)


def official_swaps_of_year(*, year: int) -> QuerySet[OfficialSwap]:
    """The swaps in force dated in `year`, by date, for the calendar page."""
    return current_official_swaps().filter(date__year=year).order_by("date")


def national_calendar() -> WorkingCalendar:
    """The calendar of every city before its own exceptions: the library and the swaps."""
    days_off: set[dt.date] = set()
    working_days: set[dt.date] = set()
    for day, kind in current_official_swaps().values_list("date", "kind"):
        (days_off if kind == OfficialSwap.Kind.DAY_OFF else working_days).add(day)
    return WorkingCalendar(
        official_days_off=frozenset(days_off), official_working_days=frozenset(working_days)
    )


def working_calendar(*, city_id: int) -> WorkingCalendar:
    """The national calendar (with the official swaps) and `city_id`'s extra days off and
    make-up working days, read in one query."""
    sets: dict[tuple[bool, str], set[dt.date]] = {
        (official, kind): set()
        for official in (False, True)
        for kind in (CalendarException.Kind.DAY_OFF, CalendarException.Kind.WORKING_DAY)
    }
    city_rows = (
        CalendarException.objects.filter(city_id=city_id, revoked_at__isnull=True)
        .annotate(official=Value(False, output_field=BooleanField()))
        .values_list("date", "kind", "official")
        .order_by()
    )
    official_rows = (
        current_official_swaps()
        .annotate(official=Value(True, output_field=BooleanField()))
        .values_list("date", "kind", "official")
        .order_by()
    )
    for day, kind, official in city_rows.union(official_rows, all=True):
        sets[(bool(official), kind)].add(day)
    return WorkingCalendar(
        extra_days_off=frozenset(sets[(False, CalendarException.Kind.DAY_OFF)]),
        extra_working_days=frozenset(sets[(False, CalendarException.Kind.WORKING_DAY)]),
        official_days_off=frozenset(sets[(True, OfficialSwap.Kind.DAY_OFF)]),
        official_working_days=frozenset(sets[(True, OfficialSwap.Kind.WORKING_DAY)]),
    )
