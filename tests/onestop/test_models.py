"""The User's role and place are held together by the database, not by forms."""

import pytest
from django.db import IntegrityError, transaction

from onestop.models import Role, User
from tests.onestop.factories import UserFactory
from tests.wards.factories import CityFactory, WardFactory

pytestmark = pytest.mark.django_db

WARD_ROLES = [Role.POSTAL_WORKER, Role.OFFICER, Role.CHIEF]


@pytest.mark.parametrize("role", WARD_ROLES)
def test_ward_staff_with_a_ward_and_no_city_is_stored(role):
    user = User.objects.create(username="nguoi.thu", role=role, ward=WardFactory())
    assert user.pk is not None


@pytest.mark.parametrize("role", WARD_ROLES)
def test_ward_staff_without_a_ward_is_refused(role):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nguoi.thu", role=role)


@pytest.mark.parametrize("role", WARD_ROLES)
def test_ward_staff_with_a_city_as_well_is_refused(role):
    ward = WardFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nguoi.thu", role=role, ward=ward, city=ward.city)


@pytest.mark.parametrize("role", WARD_ROLES)
def test_ward_staff_with_only_a_city_is_refused(role):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nguoi.thu", role=role, city=CityFactory())


def test_city_admin_with_a_city_and_no_ward_is_stored():
    user = User.objects.create(username="nguoi.thu", role=Role.CITY_ADMIN, city=CityFactory())
    assert user.pk is not None


def test_city_admin_without_a_city_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nguoi.thu", role=Role.CITY_ADMIN)


def test_city_admin_with_a_ward_as_well_is_refused():
    ward = WardFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nguoi.thu", role=Role.CITY_ADMIN, city=ward.city, ward=ward)


def test_city_admin_with_only_a_ward_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nguoi.thu", role=Role.CITY_ADMIN, ward=WardFactory())


def test_role_less_superuser_is_stored():
    user = User.objects.create(username="nguoi.thu", role="", is_superuser=True)
    assert user.pk is not None


def test_role_less_account_that_is_not_a_superuser_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nguoi.thu", role="", is_staff=True)


def test_role_less_superuser_with_a_ward_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nguoi.thu", role="", is_superuser=True, ward=WardFactory())


def test_role_less_superuser_with_a_city_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nguoi.thu", role="", is_superuser=True, city=CityFactory())


def test_unknown_role_is_refused_even_with_a_ward():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nguoi.thu", role="mayor", ward=WardFactory())


def test_an_update_that_breaks_the_rule_is_refused():
    user = UserFactory(postal_worker=True)
    user.role = Role.CITY_ADMIN
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()


def test_factory_traits_satisfy_the_rule():
    for trait in ("postal_worker", "officer", "chief", "city_admin", "superuser"):
        assert UserFactory(**{trait: True}).pk is not None


def test_full_name_puts_the_family_name_first():
    user = UserFactory.build(last_name="Nguyễn Thị", first_name="Hoa")
    assert user.get_full_name() == "Nguyễn Thị Hoa"
    assert str(user) == "Nguyễn Thị Hoa"


def test_full_name_with_only_a_given_name_has_no_stray_space():
    assert UserFactory.build(last_name="", first_name="Hoa").get_full_name() == "Hoa"
