"""The demo hall: groups everywhere, and a kiosk, a display and an evaluation tablet at the postal
counter of the first pilot ward; seeding again adds nothing."""

from demo.seed import hall as seed_hall
from hall.models import Device


def test_the_demo_hall_has_a_tablet_at_the_postal_counter(world):
    seed_hall.seed()
    seed_hall.seed()
    devices = Device.objects.filter(revoked_at__isnull=True)
    ward = devices.first().ward
    assert sorted(devices.values_list("kind", flat=True)) == ["display", "evaluation", "kiosk"]
    tablet = devices.get(kind=Device.Kind.EVALUATION)
    assert tablet.counter.kind == "postal" and tablet.counter.ward == ward
