"""Scope: which wards and cities each kind of user may read, and where they may act."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.onestop.factories import UserFactory
from wards.scope import may_manage_city, visible_cities, visible_wards, working_ward_id

pytestmark = pytest.mark.django_db

WARD_STAFF = ["postal_worker", "officer", "chief"]


def slugs(queryset) -> set[str]:
    return set(queryset.values_list("slug", flat=True))


# visible_wards


@pytest.mark.parametrize("role", WARD_STAFF)
def test_ward_staff_see_only_their_own_ward(world, role):
    assert slugs(visible_wards(getattr(world, role))) == {"phuhoa"}


@pytest.mark.parametrize("role", WARD_STAFF)
def test_ward_staff_of_another_ward_see_only_theirs(world, role):
    assert slugs(visible_wards(getattr(world, f"other_{role}"))) == {"phuloi"}


def test_city_admin_sees_every_ward_of_their_city_and_no_other(world):
    assert slugs(visible_wards(world.city_admin)) == {"phuhoa", "phuloi"}


def test_other_city_admin_sees_only_their_citys_ward(world):
    assert slugs(visible_wards(world.other_city_admin)) == {"dian-ward"}


def test_superuser_sees_every_ward(world):
    assert slugs(visible_wards(UserFactory(superuser=True))) == {"phuhoa", "phuloi", "dian-ward"}


@pytest.mark.parametrize("role", [*WARD_STAFF, "city_admin"])
def test_inactive_user_sees_no_ward(world, role):
    user = getattr(world, role)
    user.is_active = False
    assert not visible_wards(user).exists()


def test_inactive_superuser_sees_no_ward(world):
    assert not visible_wards(UserFactory(superuser=True, is_active=False)).exists()


def test_anonymous_sees_no_ward(world):
    assert not visible_wards(AnonymousUser()).exists()


# visible_cities


@pytest.mark.parametrize("role", WARD_STAFF)
def test_ward_staff_see_the_city_of_their_ward(world, role):
    assert slugs(visible_cities(getattr(world, role))) == {"thudaumot"}


def test_ward_staff_in_the_other_city_see_that_city(world):
    far_postal_worker = UserFactory(postal_worker=True, ward=world.far_ward)
    assert slugs(visible_cities(far_postal_worker)) == {"dian"}


def test_city_admin_sees_only_their_city(world):
    assert slugs(visible_cities(world.city_admin)) == {"thudaumot"}
    assert slugs(visible_cities(world.other_city_admin)) == {"dian"}


def test_superuser_sees_every_city(world):
    assert slugs(visible_cities(UserFactory(superuser=True))) == {"thudaumot", "dian"}


@pytest.mark.parametrize("role", [*WARD_STAFF, "city_admin"])
def test_inactive_user_sees_no_city(world, role):
    user = getattr(world, role)
    user.is_active = False
    assert not visible_cities(user).exists()


def test_anonymous_sees_no_city(world):
    assert not visible_cities(AnonymousUser()).exists()


# working_ward_id


@pytest.mark.parametrize("role", WARD_STAFF)
def test_ward_staff_work_in_their_ward(world, role):
    assert working_ward_id(getattr(world, role)) == world.ward.pk


def test_city_admin_works_in_no_ward(world):
    assert working_ward_id(world.city_admin) is None


def test_superuser_works_in_no_ward(world):
    assert working_ward_id(UserFactory(superuser=True)) is None


@pytest.mark.parametrize("role", WARD_STAFF)
def test_inactive_ward_staff_work_in_no_ward(world, role):
    user = getattr(world, role)
    user.is_active = False
    assert working_ward_id(user) is None


def test_anonymous_works_in_no_ward():
    assert working_ward_id(AnonymousUser()) is None


# may_manage_city


def test_city_admin_manages_their_city(world):
    assert may_manage_city(world.city_admin, world.city) is True


def test_city_admin_does_not_manage_another_city(world):
    assert may_manage_city(world.city_admin, world.other_city) is False


@pytest.mark.parametrize("role", WARD_STAFF)
def test_ward_staff_do_not_manage_their_city(world, role):
    assert may_manage_city(getattr(world, role), world.city) is False


def test_superuser_does_not_manage_a_city_through_this_rule(world):
    # Superusers configure through the admin site; the city pages are the city admin's.
    assert may_manage_city(UserFactory(superuser=True), world.city) is False


def test_inactive_city_admin_manages_nothing(world):
    world.city_admin.is_active = False
    assert may_manage_city(world.city_admin, world.city) is False


def test_anonymous_manages_nothing(world):
    assert may_manage_city(AnonymousUser(), world.city) is False
