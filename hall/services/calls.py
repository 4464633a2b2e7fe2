"""Calling tickets at a counter: next, recall, absent, transfer, done, and the link to what was
done for the citizen.

Each follows the dossier steps' recipe: one transaction, the ticket row locked, an early return
when the change is already made (a double press), one event row with the change.
"""

import datetime as dt

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hall import figures
from hall.models import ServiceGroup, Ticket, TicketEvent, TicketStatus
from hall.services._common import local_day, record
from onestop import clock
from onestop.errors import Conflict, InvalidInput, NotAllowed
from onestop.models import User
from postal.models import Assignment, GuidanceSession, shift_of
from wards.models import Counter
from wards.scope import working_ward_id

Action = TicketEvent.Action


def _ward_of(user: User) -> int:
    ward_id = working_ward_id(user)
    if ward_id is None:
        raise NotAllowed(_("Chỉ cán bộ, nhân viên của phường mới được gọi số."))
    return ward_id


def counter_of(*, user: User, counter: Counter | None = None) -> Counter:
    """The counter `user` calls from: the one named, else the roster's for the current shift."""
    ward_id = _ward_of(user)
    if counter is not None:
        if counter.ward_id != ward_id or not counter.active:
            raise InvalidInput(_("Quầy không thuộc phường của bạn."), field="counter")
        return counter
    moment = timezone.localtime(clock.now())
    assignment = (
        Assignment.objects.active()
        .filter(
            worker=user,
            ward_id=ward_id,
            date=moment.date(),
            shift=shift_of(moment),
            counter__isnull=False,
            counter__active=True,
        )
        .select_related("counter")
        .first()
    )
    if assignment is None:
        raise InvalidInput(
            _("Bạn chưa được phân công quầy trong ca này; hãy chọn quầy đang ngồi."),
            field="counter",
        )
    return assignment.counter


def _locked(queryset):
    # skip_locked: two counters pressing together each take a different ticket instead of
    # queueing on the same row (PostgreSQL); SQLite's single write lock serialises them anyway.
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, of=("self",))
    return queryset.select_for_update()


def _lock(user: User, ticket_id: int) -> Ticket:
    """The ticket of the user's ward, locked; DoesNotExist (404) for another ward's."""
    ward_id = _ward_of(user)
    return Ticket.objects.select_for_update().get(pk=ticket_id, ward_id=ward_id)


def _finish(ticket: Ticket, user: User, now: dt.datetime) -> None:
    ticket.status = TicketStatus.DONE
    ticket.done_at = now
    ticket.served_at = ticket.served_at or ticket.last_called_at
    ticket.save(update_fields=["status", "done_at", "served_at"])
    record(ticket, Action.DONE, at=now, actor=user, from_status=TicketStatus.CALLED)
    figures.ticket_finished(ticket, role=_caller_role(ticket, user))


def _caller_role(ticket: Ticket, user: User) -> str | None:
    # The figures' receiver kind is the role of whoever called the ticket, not of who closed it.
    if ticket.called_by_id == user.pk:
        return user.role
    return ticket.called_by.role if ticket.called_by_id else None


def ticket_call_next(*, user: User, counter: Counter | None = None) -> Ticket | None:
    """Finish the ticket the counter is serving and call the oldest one waiting among the groups
    the counter serves (or transferred to it); None when nobody waits.

    A ticket is called once, whichever counters press together.
    """
    counter = counter_of(user=user, counter=counter)
    now = clock.now()
    groups = ServiceGroup.objects.filter(
        ward_id=counter.ward_id, active=True, counters=counter
    ).values("pk")
    with transaction.atomic():
        for current in Ticket.objects.select_for_update().filter(
            counter=counter, status=TicketStatus.CALLED
        ):
            _finish(current, user, now)
        waiting = (
            Ticket.objects.filter(
                ward_id=counter.ward_id,
                day=local_day(now),
                status=TicketStatus.WAITING,
                eligible_at__lte=now,
            )
            .filter(Q(for_counter=counter) | Q(for_counter__isnull=True, group__in=groups))
            .order_by("issued_at", "id")
        )
        ticket = _locked(waiting).first()
        if ticket is None:
            return None
        ticket.status = TicketStatus.CALLED
        ticket.counter = counter
        ticket.called_by = user
        ticket.called_at = ticket.called_at or now
        ticket.last_called_at = now
        ticket.for_counter = None
        ticket.save(
            update_fields=[
                "status",
                "counter",
                "called_by",
                "called_at",
                "last_called_at",
                "for_counter",
            ]
        )
        record(ticket, Action.CALLED, at=now, actor=user, counter=counter, from_status="waiting")
    return ticket


def _require_called(ticket: Ticket) -> None:
    if ticket.status != TicketStatus.CALLED:
        raise Conflict(
            _("Số %(number)s không còn đang được gọi (%(status)s).")
            % {"number": ticket.number, "status": ticket.get_status_display()}
        )


def ticket_recall(*, user: User, ticket_id: int) -> Ticket:
    """Call the same number again (the citizen did not come yet)."""
    now = clock.now()
    with transaction.atomic():
        ticket = _lock(user, ticket_id)
        _require_called(ticket)
        ticket.last_called_at = now
        ticket.save(update_fields=["last_called_at"])
        record(
            ticket,
            Action.RECALLED,
            at=now,
            actor=user,
            counter=ticket.counter,
            from_status=ticket.status,
        )
    return ticket


def ticket_skip(*, user: User, ticket_id: int) -> Ticket:
    """The citizen did not come: called again after HALL_ABSENT_MINUTES, then dropped."""
    now = clock.now()
    with transaction.atomic():
        ticket = _lock(user, ticket_id)
        _require_called(ticket)
        if ticket.skips < settings.HALL_ABSENT_RECALLS:
            ticket.status = TicketStatus.WAITING
            ticket.skips += 1
            ticket.eligible_at = now + dt.timedelta(minutes=settings.HALL_ABSENT_MINUTES)
            action = Action.SKIPPED
        else:
            ticket.status = TicketStatus.DROPPED
            action = Action.DROPPED
        ticket.save(update_fields=["status", "skips", "eligible_at"])
        record(ticket, action, at=now, actor=user, counter=ticket.counter, from_status="called")
        if ticket.status == TicketStatus.DROPPED:
            figures.ticket_finished(ticket, role=_caller_role(ticket, user))
    return ticket


def ticket_transfer(
    *,
    user: User,
    ticket_id: int,
    group: ServiceGroup | None = None,
    counter: Counter | None = None,
) -> Ticket:
    """Send the ticket to another group or to one counter; it keeps its number and place."""
    if group is None and counter is None:
        raise InvalidInput(_("Chọn nhóm dịch vụ hoặc quầy để chuyển đến."), field="group")
    now = clock.now()
    with transaction.atomic():
        ticket = _lock(user, ticket_id)
        if group is not None and (group.ward_id != ticket.ward_id or not group.active):
            raise InvalidInput(_("Nhóm dịch vụ không thuộc phường của bạn."), field="group")
        if counter is not None and (counter.ward_id != ticket.ward_id or not counter.active):
            raise InvalidInput(_("Quầy không thuộc phường của bạn."), field="counter")
        if ticket.status not in (TicketStatus.WAITING, TicketStatus.CALLED):
            raise Conflict(
                _("Số %(number)s đã kết thúc (%(status)s), không chuyển được.")
                % {"number": ticket.number, "status": ticket.get_status_display()}
            )
        from_status = ticket.status
        ticket.status = TicketStatus.WAITING
        if group is not None:
            ticket.group = group
        ticket.for_counter = counter
        ticket.eligible_at = now
        ticket.save(update_fields=["status", "group", "for_counter", "eligible_at"])
        record(
            ticket,
            Action.TRANSFERRED,
            at=now,
            actor=user,
            counter=ticket.counter,
            from_status=from_status,
            to_group=group,
            to_counter=counter,
        )
    return ticket


def ticket_done(*, user: User, ticket_id: int) -> Ticket:
    """The citizen was served; a second press changes nothing."""
    now = clock.now()
    with transaction.atomic():
        ticket = _lock(user, ticket_id)
        if ticket.status == TicketStatus.DONE:
            return ticket
        _require_called(ticket)
        _finish(ticket, user, now)
    return ticket


def ticket_link(
    *,
    user: User,
    what: str,
    dossier=None,
    guidance: GuidanceSession | None = None,
) -> Ticket | None:
    """Link what `user` just did (a dossier received or returned, a guidance logged) to the
    ticket they are serving today, in the caller's transaction; None when they serve none."""
    ward_id = working_ward_id(user)
    if ward_id is None:
        return None
    now = clock.now()
    ticket = (
        Ticket.objects.select_for_update()
        .filter(ward_id=ward_id, called_by=user, status=TicketStatus.CALLED, day=local_day(now))
        .order_by("-last_called_at", "-id")
        .first()
    )
    if ticket is None:
        return None
    if ticket.served_at is None:
        ticket.served_at = ticket.last_called_at
        ticket.save(update_fields=["served_at"])
    record(
        ticket,
        Action.LINKED,
        at=now,
        actor=user,
        counter=ticket.counter,
        from_status=ticket.status,
        dossier=dossier,
        guidance=guidance,
        what=what,
    )
    return ticket
