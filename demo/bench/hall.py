"""What the bench needs of the hall: a counter that calls, tickets waiting for it, a display
key. Made before any page is measured, in the ward the bench measures, as the counter and the
chief would have made them (the services): the bench's call-next requests each call one of
these tickets, and the display's state shows them."""

from dataclasses import dataclass

from django.db import transaction

from hall.devices import device_key, key_digest, link_token
from hall.models import Device, ServiceGroup, Ticket, TicketStatus
from hall.services import device_create, groups_seed, ticket_issue
from onestop.models import User
from wards.models import Counter, Ward

DISPLAY_NAME = "Màn hình đo hiệu năng"


@dataclass(frozen=True)
class HallBench:
    counter: Counter  # the postal worker's counter, serving `group`
    group: ServiceGroup
    display_link: str  # the signed part of the display's link
    display_key: str


def hall_bench_prepare(*, ward: Ward, chief: User, calls: int) -> HallBench:
    """The ward's groups (the defaults, if it has none), a live display, and `calls` tickets
    more than wait today in a group the postal counter serves."""
    with transaction.atomic():
        if not ServiceGroup.objects.filter(ward=ward, active=True).exists():
            groups_seed(ward=ward)
        counters = Counter.objects.filter(ward=ward, active=True).order_by("kind", "number")
        counter = counters.filter(kind=Counter.Kind.POSTAL).first() or counters.first()
        if counter is None:
            raise ValueError(f"{ward} chưa có quầy: chạy seed_demo trước.")
        group = ServiceGroup.objects.filter(ward=ward, active=True, counters=counter).first()
        if group is None:
            raise ValueError(f"Quầy {counter} không phục vụ nhóm dịch vụ nào.")
        # A key is derived with SECRET_KEY: a display made under another key (the demo's, before
        # a production-like run) has a link that no longer opens it.
        displays = Device.objects.filter(
            ward=ward, kind=Device.Kind.DISPLAY, revoked_at__isnull=True
        ).order_by("pk")
        display = next(
            (d for d in displays if d.digest == key_digest(device_key(d))), None
        ) or device_create(user=chief, kind=Device.Kind.DISPLAY, name=DISPLAY_NAME)
    waiting = Ticket.objects.filter(
        ward=ward, group=group, status=TicketStatus.WAITING, for_counter__isnull=True
    ).count()
    for _ in range(max(0, calls - waiting)):
        ticket_issue(group=group, user=chief)
    return HallBench(counter, group, link_token(display), device_key(display))
