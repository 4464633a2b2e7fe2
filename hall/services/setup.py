"""The chief's settings of the hall: service groups and their counters, kiosk and display keys."""

import secrets

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hall.devices import device_key, key_digest
from hall.models import Device, GroupKind, HallLog, ServiceGroup
from onestop import clock
from onestop.errors import Conflict, InvalidInput
from onestop.models import User
from postal.services._common import clean_text, require_chief
from wards.models import Counter, Ward

# The groups every ward starts with (the chief renames, splits intake by field, adds others).
DEFAULT_GROUPS = (
    (GroupKind.INTAKE, "Tiếp nhận hồ sơ", 1001),
    (GroupKind.RESULT_RETURN, "Trả kết quả", 2001),
    (GroupKind.GUIDANCE, "Hướng dẫn thủ tục", 3001),
    (GroupKind.POST, "Dịch vụ bưu chính", 4001),
)


def _log(user: User, ward_id: int, action: str, detail: str, **subject) -> None:
    HallLog.objects.create(
        ward_id=ward_id, at=clock.now(), actor=user, action=action, detail=detail[:300], **subject
    )


def _numbers(counters) -> str:
    return ", ".join(str(c.number) for c in sorted(counters, key=lambda c: c.number)) or "—"


def _check_counters(ward_id: int, counters: list[Counter]) -> None:
    if any(counter.ward_id != ward_id for counter in counters):
        raise InvalidInput(_("Quầy không thuộc phường của bạn."), field="counters")


def group_create(
    *,
    user: User,
    kind: str,
    name: str,
    field: str = "",
    first_number: int = 1,
    counters: list[Counter] | None = None,
) -> ServiceGroup:
    ward_id = require_chief(user)
    name = clean_text(name, limit=80, field="name")
    if not name:
        raise InvalidInput(_("Nhập tên nhóm dịch vụ."), field="name")
    if kind not in GroupKind.values:
        raise InvalidInput(_("Chọn loại nhóm dịch vụ."), field="kind")
    if first_number < 1:
        raise InvalidInput(_("Số đầu tiên phải từ 1 trở lên."), field="first_number")
    counters = counters or []
    _check_counters(ward_id, counters)
    try:
        with transaction.atomic():
            group = ServiceGroup.objects.create(
                ward_id=ward_id,
                kind=kind,
                name=name,
                field=clean_text(field, limit=120, field="field"),
                first_number=first_number,
                position=ServiceGroup.objects.filter(ward_id=ward_id).count(),
            )
            group.counters.set(counters)
            _log(
                user,
                ward_id,
                HallLog.Action.GROUP_CREATED,
                _("“%(name)s”, quầy phục vụ: %(counters)s")
                % {"name": name, "counters": _numbers(counters)},
                group=group,
            )
    except IntegrityError:
        raise Conflict(_("Phường đã có nhóm dịch vụ tên “%(name)s”.") % {"name": name}) from None
    return group


def group_update(
    *, user: User, group: ServiceGroup, counters: list[Counter], active: bool
) -> ServiceGroup:
    """Which counters serve the group, and whether the kiosk offers it."""
    ward_id = require_chief(user)
    if group.ward_id != ward_id:
        raise ServiceGroup.DoesNotExist
    _check_counters(ward_id, counters)
    with transaction.atomic():
        before = (group.active, {c.pk for c in group.counters.all()})
        group.active = active
        group.save(update_fields=["active"])
        group.counters.set(counters)
        if before != (active, {c.pk for c in counters}):
            _log(
                user,
                ward_id,
                HallLog.Action.GROUP_UPDATED,
                _("“%(name)s”: %(state)s, quầy phục vụ: %(counters)s")
                % {
                    "name": group.name,
                    "state": _("đang dùng") if active else _("ngừng dùng"),
                    "counters": _numbers(counters),
                },
                group=group,
            )
    return group


def groups_seed(*, ward: Ward) -> int:
    """The default groups of `ward` that it lacks, each served by every active counter of the
    matching kind (intake and return: all; post: postal counters); how many were added."""
    added = 0
    counters = list(Counter.objects.filter(ward=ward, active=True))
    for position, (kind, name, first) in enumerate(DEFAULT_GROUPS):
        group, created = ServiceGroup.objects.get_or_create(
            ward=ward,
            name=name,
            defaults={"kind": kind, "first_number": first, "position": position},
        )
        if created:
            serving = [
                c for c in counters if kind != GroupKind.POST or c.kind == Counter.Kind.POSTAL
            ]
            group.counters.set(serving)
            added += 1
    return added


def device_create(*, user: User, kind: str, name: str, counter: Counter | None = None) -> Device:
    """A new kiosk, display or evaluation-tablet key of the chief's ward (its link from
    hall.devices); a tablet is bound to a counter of the ward."""
    ward_id = require_chief(user)
    name = clean_text(name, limit=80, field="name")
    if not name:
        raise InvalidInput(_("Đặt tên thiết bị, ví dụ “Máy lấy số cửa chính”."), field="name")
    if kind not in Device.Kind.values:
        raise InvalidInput(_("Chọn loại thiết bị."), field="kind")
    if kind != Device.Kind.EVALUATION:
        counter = None
    elif counter is None:
        raise InvalidInput(_("Chọn quầy đặt máy tính bảng đánh giá."), field="counter")
    else:
        _check_counters(ward_id, [counter])
    with transaction.atomic():
        device = Device.objects.create(
            ward_id=ward_id,
            kind=kind,
            name=name,
            digest=secrets.token_hex(32),  # replaced below, once the row has its id
            nonce=secrets.token_hex(16),
            created_at=clock.now(),
            created_by=user,
            counter=counter,
        )
        device.digest = key_digest(device_key(device))
        device.save(update_fields=["digest"])
        _log(user, ward_id, HallLog.Action.DEVICE_CREATED, str(device), device=device)
    return device


def device_revoke(*, user: User, device_id: int) -> Device:
    """End the device's key at once; its kiosk or display shows the refusal on its next request."""
    ward_id = require_chief(user)
    with transaction.atomic():
        device = Device.objects.select_for_update().get(pk=device_id, ward_id=ward_id)
        if device.revoked_at is None:
            device.revoked_at = clock.now()
            device.revoked_by = user
            device.save(update_fields=["revoked_at", "revoked_by"])
            _log(user, ward_id, HallLog.Action.DEVICE_REVOKED, str(device), device=device)
    return device
