"""seed_demo's hall step: groups in every ward, a kiosk, a display and an evaluation tablet (at
the postal counter) in a pilot ward, links printed; a second run changes nothing."""

import re
from io import StringIO

from demo.seed import STEPS
from demo.seed.hall import seed
from hall.models import Device, ServiceGroup


def links(text: str) -> list[str]:
    return re.findall(r"/xep-hang/thiet-bi/[^/]+/", text)


def test_the_hall_step_seeds_groups_and_devices_once(world):
    out = StringIO()
    seed(stdout=out)
    assert "demo.seed.hall.seed" in STEPS
    for ward in (world.ward, world.other_ward, world.far_ward):
        names = set(ServiceGroup.objects.filter(ward=ward).values_list("name", flat=True))
        assert names == {"Tiếp nhận hồ sơ", "Trả kết quả", "Hướng dẫn thủ tục", "Dịch vụ bưu chính"}
    intake = ServiceGroup.objects.get(ward=world.ward, name="Tiếp nhận hồ sơ")
    assert set(intake.counters.all()) == {world.postal_counter, world.officer_counter}
    post = ServiceGroup.objects.get(ward=world.ward, name="Dịch vụ bưu chính")
    assert list(post.counters.all()) == [world.postal_counter]
    devices = Device.objects.filter(revoked_at__isnull=True)
    assert sorted(devices.values_list("kind", flat=True)) == ["display", "evaluation", "kiosk"]
    assert devices.get(kind="evaluation").counter == world.postal_counter
    printed = out.getvalue()
    assert printed.count("/xep-hang/thiet-bi/") == 3
    again = StringIO()
    seed(stdout=again)
    assert ServiceGroup.objects.count() == 12 and Device.objects.count() == 3
    assert again.getvalue().count("/xep-hang/thiet-bi/") == 3
    assert links(printed) == links(again.getvalue())  # the same devices, the same links


def test_the_hall_step_seeds_past_tickets_with_their_figures_once(world):
    from hall import figures
    from hall.models import DailyHallFigures, Ticket

    seed()
    tickets = Ticket.objects.filter(ward=world.ward)
    assert tickets.exists()
    assert not Ticket.objects.filter(ward=world.far_ward).exists()  # not a pilot ward
    assert DailyHallFigures.objects.filter(ward=world.ward, served__gt=0).exists()
    assert figures.differences() == []
    count = Ticket.objects.count()
    seed()
    assert Ticket.objects.count() == count
