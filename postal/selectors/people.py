"""The ward's people and counters as the chief and the forms see them: postal workers, their
accounts and account events, the counters."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from onestop.models import Role, User
from postal.models import AccountEvent
from wards.models import Counter
from wards.scope import visible_wards, working_ward_id


def postal_workers_for_user(*, user: User, include_inactive: bool = False) -> QuerySet[User]:
    """Postal workers of the wards `user` may see, with their profiles."""
    workers = User.objects.filter(
        role=Role.POSTAL_WORKER, ward__in=visible_wards(user).values("pk")
    ).select_related("postal_profile", "ward")
    if not include_inactive:
        workers = workers.filter(is_active=True)
    return workers.order_by("last_name", "first_name", "username")


def managed_ward_id(user: User) -> int | None:
    """The ward `user` runs as chief, or None."""
    ward_id = working_ward_id(user)
    return ward_id if user.role == Role.CHIEF else None


def postal_accounts_for_chief(*, user: User) -> QuerySet[User]:
    """The postal accounts a chief manages: their ward's, locked ones included."""
    ward_id = managed_ward_id(user)
    if ward_id is None:
        return User.objects.none()
    return (
        User.objects.filter(role=Role.POSTAL_WORKER, ward_id=ward_id)
        .select_related("postal_profile", "ward")
        .order_by("-is_active", "last_name", "first_name", "username")
    )


@dataclass(frozen=True)
class LoginLockout:
    """One account locked from one address after too many wrong passwords (django-axes)."""

    account: User
    address: str | None
    failures: int
    last_attempt: dt.datetime
    until: dt.datetime


def login_lockouts_for_chief(*, user: User) -> list[LoginLockout]:
    """Current sign-in lockouts of the chief's ward staff, latest first.

    Axes locks a (username, address) pair (settings.AXES_LOCKOUT_PARAMETERS): the same account
    still signs in from any other address, so a colleague at one desk locks no one out of the
    others.
    """
    from axes.models import AccessAttempt

    ward_id = managed_ward_id(user)
    if ward_id is None:
        return []
    staff = {u.username: u for u in User.objects.filter(ward_id=ward_id).exclude(pk=user.pk)}
    cooloff = dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    attempts = AccessAttempt.objects.filter(
        username__in=staff,
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gt=timezone.now() - cooloff,
    ).order_by("-attempt_time")
    return [
        LoginLockout(
            account=staff[a.username],
            address=a.ip_address,
            failures=a.failures_since_start,
            last_attempt=a.attempt_time,
            until=a.attempt_time + cooloff,
        )
        for a in attempts
    ]


def account_events(*, account: User) -> QuerySet[AccountEvent]:
    return account.account_events.select_related("actor").order_by("-at", "-id")


def counters_for_chief(*, user: User) -> QuerySet[Counter]:
    """The counters a chief manages, closed ones included."""
    ward_id = managed_ward_id(user)
    if ward_id is None:
        return Counter.objects.none()
    return Counter.objects.filter(ward_id=ward_id).order_by("-active", "number")


def ward_counters(*, user: User) -> QuerySet[Counter]:
    """The open counters of the ward `user` works in (choices for the roster and forms)."""
    ward_id = working_ward_id(user)
    if ward_id is None:
        return Counter.objects.none()
    return Counter.objects.filter(ward_id=ward_id, active=True).order_by("number")
