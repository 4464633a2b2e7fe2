"""Reads of the counter hall. Staff reads take the user (scope: the user's ward; another ward's
ticket is absent, 404); the kiosk's and display's reads take the ward their device key names."""

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from hall.models import (
    FULL_SCORE,
    INDICATOR_NAMES,
    Device,
    Evaluation,
    HallLog,
    ServiceGroup,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from onestop import clock
from onestop.models import Role, User
from wards.models import Counter
from wards.scope import visible_wards, working_ward_id

LAST_CALLS = 8


def _today() -> dt.date:
    return timezone.localtime(clock.now()).date()


def groups_for_user(*, user: User) -> QuerySet[ServiceGroup]:
    ward_id = working_ward_id(user)
    if ward_id is None:
        return ServiceGroup.objects.none()
    return ServiceGroup.objects.filter(ward_id=ward_id)


def tickets_for_user(*, user: User) -> QuerySet[Ticket]:
    ward_id = working_ward_id(user)
    if ward_id is None:
        return Ticket.objects.none()
    return Ticket.objects.filter(ward_id=ward_id)


def ticket_for_user(*, user: User, pk: int) -> Ticket:
    """The ticket of the user's ward; DoesNotExist for another ward's."""
    return tickets_for_user(user=user).select_related("group", "issued_group", "counter").get(pk=pk)


def devices_for_user(*, user: User) -> QuerySet[Device]:
    ward_id = working_ward_id(user)
    if user.role != Role.CHIEF or ward_id is None:
        return Device.objects.none()
    return Device.objects.filter(ward_id=ward_id)


def hall_log_for_user(*, user: User) -> QuerySet[HallLog]:
    """The history of the hall's settings and invitations, newest first: the chief's ward."""
    ward_id = working_ward_id(user)
    if user.role != Role.CHIEF or ward_id is None:
        return HallLog.objects.none()
    return HallLog.objects.filter(ward_id=ward_id).select_related("actor")


def waiting_by_group(ward_id: int) -> dict[int, int]:
    """Tickets waiting today per group id (one grouped query)."""
    rows = (
        Ticket.objects.filter(ward_id=ward_id, day=_today(), status=TicketStatus.WAITING)
        .values("group_id")
        .annotate(n=Count("id"))
    )
    return {row["group_id"]: row["n"] for row in rows}


def kiosk_groups(*, ward_id: int) -> list[ServiceGroup]:
    """The groups the kiosk offers, each with `waiting` and `open` (a counter serves it)."""
    groups = cast(
        list[ServiceGroup],
        list(
            ServiceGroup.objects.filter(ward_id=ward_id, active=True).annotate(
                open_counters=Count("counters", filter=Q(counters__active=True))
            )
        ),
    )
    waiting = waiting_by_group(ward_id)
    for group in groups:
        group.waiting = waiting.get(group.pk, 0)
        group.open = group.open_counters > 0  # type: ignore[attr-defined]
    return groups


def tickets_ahead(ticket: Ticket) -> int:
    """How many tickets of the same group wait before this one (0 once it is called)."""
    if ticket.status != TicketStatus.WAITING:
        return 0
    return (
        Ticket.objects.filter(
            group_id=ticket.group_id,
            day=ticket.day,
            status=TicketStatus.WAITING,
        )
        .filter(Q(issued_at__lt=ticket.issued_at) | Q(issued_at=ticket.issued_at, id__lt=ticket.pk))
        .count()
    )


@dataclass
class CounterCall:
    counter: Counter
    ticket: Ticket | None


@dataclass
class HallState:
    """What the hall display shows: the number at each counter, the last calls, the queues."""

    counters: list[CounterCall]
    last_calls: list[TicketEvent]
    groups: list[ServiceGroup]
    # The newest call's event id: the display chimes and speaks when it grows.
    latest: int = 0
    # The newest event of any kind: the display asks for changes after it.
    version: int = 0


def hall_state(*, ward_id: int) -> HallState:
    """The display's state in a constant number of queries, whatever the day's volume."""
    today = _today()
    counters = list(Counter.objects.filter(ward_id=ward_id, active=True).order_by("number"))
    serving = {
        ticket.counter_id: ticket
        for ticket in Ticket.objects.filter(
            ward_id=ward_id, day=today, status=TicketStatus.CALLED
        ).select_related("issued_group")
    }
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    calls = list(
        TicketEvent.objects.filter(
            ward_id=ward_id,
            action__in=[TicketEvent.Action.CALLED, TicketEvent.Action.RECALLED],
            at__gte=start,
        )
        .select_related("ticket", "counter")
        .order_by("-at", "-id")[:LAST_CALLS]
    )
    waiting = waiting_by_group(ward_id)
    groups = list(ServiceGroup.objects.filter(ward_id=ward_id, active=True))
    for group in groups:
        group.waiting = waiting.get(group.pk, 0)
    newest = TicketEvent.objects.filter(ward_id=ward_id).order_by("-pk").values("pk").first()
    return HallState(
        counters=[CounterCall(counter=c, ticket=serving.get(c.pk)) for c in counters],
        last_calls=calls,
        groups=groups,
        latest=calls[0].pk if calls else 0,
        version=newest["pk"] if newest else 0,
    )


@dataclass
class Desk:
    """A counter's calling panel: the ticket it serves and the queue it calls from."""

    counter: Counter | None
    ticket: Ticket | None
    waiting: int
    groups: list[ServiceGroup]
    counters: list[Counter]
    transfer_groups: list[ServiceGroup]


def desk_for_user(*, user: User, counter: Counter | None) -> Desk:
    ward_id = working_ward_id(user)
    if ward_id is None:
        return Desk(None, None, 0, [], [], [])
    counters = list(Counter.objects.filter(ward_id=ward_id, active=True).order_by("number"))
    all_groups = list(ServiceGroup.objects.filter(ward_id=ward_id, active=True))
    if counter is None:
        return Desk(None, None, 0, [], counters, all_groups)
    groups = list(ServiceGroup.objects.filter(ward_id=ward_id, active=True, counters=counter))
    ticket = (
        Ticket.objects.filter(counter=counter, status=TicketStatus.CALLED)
        .select_related("issued_group", "group")
        .first()
    )
    waiting = (
        Ticket.objects.filter(ward_id=ward_id, day=_today(), status=TicketStatus.WAITING)
        .filter(Q(for_counter=counter) | Q(for_counter__isnull=True, group__in=groups))
        .count()
    )
    return Desk(counter, ticket, waiting, groups, counters, all_groups)


EVALUATION_READERS = (Role.CHIEF, Role.CITY_ADMIN)


def evaluations_for_user(*, user: User) -> QuerySet[Evaluation]:
    """The evaluations `user` may read: a chief their ward's, a city admin their city's."""
    if not user.is_authenticated or not (
        user.role in EVALUATION_READERS or (user.is_superuser and not user.role)
    ):
        return Evaluation.objects.none()
    return Evaluation.objects.filter(ward__in=visible_wards(user))


def evaluation_counts(
    ward_ids: list[int], start: dt.datetime, end: dt.datetime
) -> dict[int, dict[str, int]]:
    """Per ward, the evaluations made in [start, end): their number, and per indicator how many
    answered it and how many gave it the full score (one grouped query)."""
    aggregates: dict = {"evaluations": Count("pk")}
    for name in INDICATOR_NAMES:
        aggregates[f"{name}_answered"] = Count("pk", filter=Q(**{f"{name}__isnull": False}))
        aggregates[f"{name}_met"] = Count("pk", filter=Q(**{name: FULL_SCORE}))
    rows = (
        Evaluation.objects.filter(ward_id__in=ward_ids, at__gte=start, at__lt=end)
        .values("ward_id")
        .order_by()
        .annotate(**aggregates)
    )
    empty = dict.fromkeys(aggregates, 0)
    out = {pk: dict(empty) for pk in ward_ids}
    for row in rows:
        values: dict = dict(row)
        out[int(values.pop("ward_id"))] = values
    return out
