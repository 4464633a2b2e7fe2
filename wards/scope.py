"""Who may see and act where: the one place that turns a user into a set of wards.

Every selector starts from these functions, so a view or API endpoint never decides scope on its
own. Objects outside the scope are simply absent from the querysets, which makes them 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from onestop.models import WARD_ROLES, Role, User
from wards.models import City, Ward


def visible_wards(user: User) -> QuerySet[Ward]:
    """The wards whose data `user` may read: their own ward, or every ward of their city."""
    wards = Ward.objects.select_related("city")
    if not user.is_authenticated or not user.is_active:
        return wards.none()
    if user.role in WARD_ROLES:
        return wards.filter(pk=user.ward_id)
    if user.role == Role.CITY_ADMIN:
        return wards.filter(city_id=user.city_id)
    if user.is_superuser:
        return wards.all()
    return wards.none()


def visible_cities(user: User) -> QuerySet[City]:
    """The cities `user` may read: their city, or the city of their ward."""
    cities = City.objects.all()
    if not user.is_authenticated or not user.is_active:
        return cities.none()
    if user.role in WARD_ROLES:
        return cities.filter(wards__pk=user.ward_id)
    if user.role == Role.CITY_ADMIN:
        return cities.filter(pk=user.city_id)
    if user.is_superuser:
        return cities
    return cities.none()


def working_ward_id(user: User) -> int | None:
    """The ward a user works in at the counter, or None for city admins and superusers.

    Writing to a ward's dossiers and roster is done only by that ward's own staff; city admins
    read across wards but never act inside one.
    """
    if user.is_authenticated and user.is_active and user.role in WARD_ROLES:
        return user.ward_id
    return None


def working_ward(user: User) -> Ward:
    """The ward `user` works in at the counter; PermissionDenied for anyone else.

    For reads that only ward staff reach (their views check the role first): the type says
    there is a ward, and a caller that slipped through gets a 403, never another ward's data.
    """
    if working_ward_id(user) is None or user.ward is None:
        raise PermissionDenied
    return user.ward


def may_manage_city(user: User, city: City) -> bool:
    """True when `user` administers `city` (catalogue, calendar, wards)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.CITY_ADMIN
        and user.city_id == city.pk
    )
