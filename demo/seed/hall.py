"""The demo hall: the default service groups in every active ward (each served by its counters),
in the first pilot ward a kiosk, a display and an evaluation tablet (at the postal counter)
whose links are printed, and in the pilot wards the tickets of the past weeks
(demo.generate.tickets), so the hall's figures on the dashboard and in the reports have
something to show. Groups, devices and days of tickets already there are kept, so seeding again
changes nothing."""

from django.urls import reverse

from demo.generate.tickets import TicketHistory
from demo.seed.common import chief_and_postal_workers, pilot_wards, postal_counter
from hall.devices import link_token
from hall.models import Device
from hall.services import device_create, groups_seed
from onestop import clock
from wards.models import Ward

# Past days of tickets in the pilot wards, and tickets a ward-day on average.
TICKET_DAYS = 28
TICKETS_PER_DAY = 60
DEVICES = (
    (Device.Kind.KIOSK, "Máy lấy số demo"),
    (Device.Kind.DISPLAY, "Màn hình gọi số demo"),
    (Device.Kind.EVALUATION, "Máy tính bảng đánh giá demo"),
)


def seed(stdout=None) -> None:
    added = sum(groups_seed(ward=ward) for ward in Ward.objects.filter(active=True))
    ward = pilot_wards().order_by("admin_code").first()
    if ward is None:
        return
    chief, _workers = chief_and_postal_workers(ward)
    if chief is None:
        return
    counter = postal_counter(ward)
    for kind, name in DEVICES:
        if kind == Device.Kind.EVALUATION and counter is None:
            continue
        device = Device.objects.filter(
            ward=ward, kind=kind, name=name, revoked_at__isnull=True
        ).first() or device_create(user=chief, kind=kind, name=name, counter=counter)
        if stdout is not None:
            path = reverse("hall:device-link", args=[link_token(device)])
            stdout.write(f"  {device.get_kind_display()} ({ward}): {path}")
    if stdout is not None and added:
        stdout.write(f"  {added} nhóm dịch vụ xếp hàng mới")
    history = TicketHistory(
        days=TICKET_DAYS, per_day=TICKETS_PER_DAY, now=clock.now(), wards=list(pilot_wards())
    )
    stats = history.run()
    if stdout is not None and stats.tickets:
        stdout.write(f"  {stats.tickets} số thứ tự của {TICKET_DAYS} ngày qua")
