"""What the hall's services share: the event row, the ward's local day."""

import datetime as dt

from django.utils import timezone

from hall.models import Ticket, TicketEvent
from onestop.models import User


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def record(
    ticket: Ticket,
    action: str,
    *,
    at: dt.datetime,
    actor: User | None = None,
    from_status: str = "",
    **fields,
) -> TicketEvent:
    """The ticket's event, in the caller's transaction (the change and its row commit together)."""
    return TicketEvent.objects.create(
        ticket=ticket,
        ward_id=ticket.ward_id,
        at=at,
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=ticket.status,
        **fields,
    )
