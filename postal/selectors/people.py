"""The ward's people and counters as the chief and the forms see them: postal workers, their
accounts and account events, the counters."""

from django.db.models import QuerySet

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
