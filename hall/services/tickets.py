"""Issuing a queue ticket: the group's next number of the local day, and its first event."""

from django.db import connection, transaction
from django.utils.translation import gettext as _

from hall.models import Device, ServiceGroup, Ticket, TicketEvent, TicketSequence, TicketStatus
from hall.services._common import local_day, record
from onestop import clock
from onestop.errors import Conflict, InvalidInput, NotAllowed
from onestop.models import User
from wards.scope import working_ward_id


def _next_number(group: ServiceGroup, day) -> int:
    """The group's next number on `day`, its row created with the day's first ticket.

    One statement that also locks the day's row until the transaction ends (as dossier codes
    are taken in intake): concurrent presses on the kiosks queue here, so numbers are
    consecutive and never repeat; the unique constraint on the ticket is the last guard.
    """
    table = connection.ops.quote_name(TicketSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (group_id, day, last_number) VALUES (%s, %s, %s) "  # noqa: S608
            f"ON CONFLICT (group_id, day) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [group.pk, day, group.first_number],
        )
        return cursor.fetchone()[0]


def ticket_issue(
    *, group: ServiceGroup, device: Device | None = None, user: User | None = None
) -> Ticket:
    """A new ticket in `group`, pressed on the kiosk `device` or issued by the ward's `user`."""
    if device is not None:
        if device.revoked_at is not None or device.kind != Device.Kind.KIOSK:
            raise NotAllowed(_("Máy lấy số này đã bị thu hồi; đề nghị liên hệ bộ phận một cửa."))
        ward_id = device.ward_id
    elif user is not None:
        staff_ward = working_ward_id(user)
        if staff_ward is None:
            raise NotAllowed(_("Chỉ cán bộ, nhân viên của phường mới được cấp số."))
        ward_id = staff_ward
    else:
        raise NotAllowed(_("Chỉ máy lấy số của phường mới được cấp số."))
    if group.ward_id != ward_id:
        raise InvalidInput(_("Nhóm dịch vụ không thuộc phường này."), field="group")
    if not group.active:
        raise InvalidInput(_("Nhóm dịch vụ này đã ngừng nhận số."), field="group")
    if not group.counters.filter(active=True).exists():
        raise Conflict(
            _("Hiện chưa có quầy nào phục vụ nhóm “%(group)s”; đề nghị hỏi cán bộ hướng dẫn.")
            % {"group": group.name}
        )
    now = clock.now()
    with transaction.atomic():
        number = _next_number(group, local_day(now))
        ticket = Ticket.objects.create(
            ward_id=ward_id,
            group=group,
            issued_group=group,
            day=local_day(now),
            number=number,
            status=TicketStatus.WAITING,
            device=device,
            issued_at=now,
            eligible_at=now,
        )
        record(ticket, TicketEvent.Action.ISSUED, at=now, actor=user)
    return ticket
