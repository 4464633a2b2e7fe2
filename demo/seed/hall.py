"""The demo hall: the default service groups in every active ward (each served by its counters),
and in the first pilot ward a kiosk, a display and an evaluation tablet (at the postal counter)
whose links are printed. Groups and devices already there are kept, so seeding again changes
nothing."""

from django.urls import reverse

from demo.seed.common import chief_and_postal_workers, pilot_wards, postal_counter
from hall.devices import link_token
from hall.models import Device
from hall.services import device_create, groups_seed
from wards.models import Ward

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
