import factory

from onestop.models import Role, User
from tests.wards.factories import CityFactory, WardFactory

PASSWORD = "mat-khau-thu-nghiem"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    # Faker's vi_VN `first_name` falls back to "John"/"Jane"; its unisex list is Vietnamese.
    first_name = factory.Faker("first_name_unisex", locale="vi_VN")
    last_name = factory.Faker("last_name", locale="vi_VN")
    role = Role.POSTAL_WORKER
    ward = factory.SubFactory(WardFactory)
    city = None
    phone = factory.Sequence(lambda n: f"09{n:08d}")
    password = factory.django.Password(PASSWORD)

    class Params:
        postal_worker = factory.Trait(role=Role.POSTAL_WORKER)
        officer = factory.Trait(role=Role.OFFICER)
        chief = factory.Trait(role=Role.CHIEF)
        city_admin = factory.Trait(
            role=Role.CITY_ADMIN, ward=None, city=factory.SubFactory(CityFactory)
        )
        superuser = factory.Trait(role="", ward=None, city=None, is_superuser=True, is_staff=True)
