import factory

from hall.models import Device, GroupKind, ServiceGroup
from hall.services import device_create
from tests.wards.factories import WardFactory


class ServiceGroupFactory(factory.django.DjangoModelFactory):
    """A group of the ward, served by the counters passed as `counters=[…]`."""

    class Meta:
        model = ServiceGroup
        skip_postgeneration_save = True

    ward = factory.SubFactory(WardFactory)
    kind = GroupKind.INTAKE
    name = factory.Sequence(lambda n: f"Tiếp nhận hồ sơ {n}")
    first_number = 1001

    class Params:
        result_return = factory.Trait(kind=GroupKind.RESULT_RETURN, first_number=2001)

    @factory.post_generation
    def counters(self, create, extracted, **kwargs):
        if create and extracted:
            self.counters.set(extracted)


def make_device(chief, kind: str = Device.Kind.KIOSK, name: str = "Máy lấy số cửa chính"):
    """A device made by the ward's chief through the service (so its key is derivable)."""
    return device_create(user=chief, kind=kind, name=name)
