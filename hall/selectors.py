"""Reads of the counter hall. Staff reads take the user (scope: the user's ward; another ward's
ticket is absent, 404); the kiosk's and display's reads take the ward their device key names."""

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from hall import figures
from hall.models import (
    FULL_SCORE,
    INDICATOR_NAMES,
    DailyHallFigures,
    Device,
    Evaluation,
    HallLog,
    ServiceGroup,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from intake.models import ReceiverKind
from onestop import clock
from onestop.models import Role, User
from wards.models import Counter, Ward
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
    active_groups = ServiceGroup.objects.filter(ward_id=ward_id, active=True)
    if counter is None:
        return Desk(None, None, 0, [], counters, list(active_groups))
    # The ward's groups, each marked whether this counter serves it: one query for both lists.
    serves = ServiceGroup.counters.through.objects.filter(
        servicegroup_id=OuterRef("pk"), counter_id=counter.pk
    )
    annotated = list(active_groups.annotate(served_here=Exists(serves)))
    groups: list[ServiceGroup] = [group for group in annotated if group.served_here]
    all_groups: list[ServiceGroup] = list(annotated)
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


# -- figures: the chief's board and the ticket list behind the reports' figures --

READER_ROLES = (Role.CHIEF, Role.CITY_ADMIN)


def may_read_figures(user: User) -> bool:
    """Chiefs (their ward), city admins (their city) and technical administrators, as reports."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.role in READER_ROLES or (user.is_superuser and not user.role))
    )


def figure_wards(*, user: User) -> QuerySet[Ward]:
    """The wards whose tickets and figures `user` may read; none for counter staff."""
    if not may_read_figures(user):
        return Ward.objects.none()
    return visible_wards(user)


def ticket_list_for_user(*, user: User, filters: dict) -> QuerySet[Ticket]:
    """The tickets of the wards `user` reads, filtered as the ticket list's form cleaned them.

    Raises Ward.DoesNotExist (404) when `filters` name a ward outside the scope.
    """
    wards = figure_wards(user=user)
    if filters.get("ward"):
        tickets = Ticket.objects.filter(ward=wards.get(slug=filters["ward"]))
    else:
        tickets = Ticket.objects.filter(ward__in=wards)
    if filters.get("pilot_phase") is not None:
        tickets = tickets.filter(ward__pilot_phase=filters["pilot_phase"])
    if filters.get("day_from"):
        tickets = tickets.filter(day__gte=filters["day_from"])
    if filters.get("day_to"):
        tickets = tickets.filter(day__lte=filters["day_to"])
    if filters.get("group"):
        tickets = tickets.filter(group_id=filters["group"])
    if filters.get("counter"):
        tickets = tickets.filter(counter_id=filters["counter"])
    if filters.get("status"):
        tickets = tickets.filter(status=filters["status"])
    kind = filters.get("receiver_kind")
    if kind == ReceiverKind.POSTAL_WORKER:
        tickets = tickets.filter(called_by__role=Role.POSTAL_WORKER)
    elif kind == ReceiverKind.OFFICER:
        tickets = tickets.filter(called_by__isnull=False).exclude(
            called_by__role=Role.POSTAL_WORKER
        )
    # Newest first, the order of the index on (ward, day, issued_at, id) read backwards. Three
    # joins only: planning more costs PostgreSQL more than the page's rows (tickets_page).
    return tickets.select_related("group", "counter", "called_by").order_by(
        "-day", "-issued_at", "-id"
    )


def tickets_page(tickets: QuerySet[Ticket], *, start: int, size: int) -> list[Ticket]:
    """`size` + 1 tickets from `start` (the extra one says there is a next page), with their
    ward and the group each was issued in (two small queries, whatever the page)."""
    rows = list(tickets[start : start + size + 1])
    wards = Ward.objects.in_bulk({t.ward_id for t in rows})
    issued = ServiceGroup.objects.in_bulk({t.issued_group_id for t in rows})
    for ticket in rows:
        ticket.ward = wards[ticket.ward_id]
        ticket.issued_group = issued[ticket.issued_group_id]
    return rows


@dataclass
class FigureLine:
    """One line of today's waits on the board: a group or a receiver kind."""

    label: str
    summary: figures.Summary
    url: str


@dataclass
class Board:
    """The hall on the chief's dashboard: the live queue and today's waits."""

    day: dt.date
    groups: list[ServiceGroup]  # each with `waiting`
    counters: list[CounterCall]
    by_group: list[FigureLine]
    by_kind: list[FigureLine]
    total: figures.Summary


def ticket_list_url(**params) -> str:
    """The ticket list's address with `params` (dates as dd/mm/yyyy)."""
    query = {
        name: f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else value
        for name, value in params.items()
        if value not in (None, "")
    }
    return f"{reverse('hall:ticket-list')}?{urlencode(query)}"


def hall_board(*, user: User) -> Board | None:
    """The chief's view of the ward's hall today (5 queries); None for anyone else."""
    ward_id = working_ward_id(user)
    if user.role != Role.CHIEF or ward_id is None:
        return None
    today = _today()
    state = hall_state_queue(ward_id=ward_id, today=today)
    rows = DailyHallFigures.objects.filter(ward_id=ward_id, day=today)
    by = figures.summaries(rows, "group_id", "receiver_kind")
    names = {group.pk: group.name for group in state.groups}
    per_group: dict[int, figures.Summary] = {}
    per_kind: dict[str, figures.Summary] = {}
    total = figures.Summary()
    for (group_id, kind), summary in by.items():
        per_group[group_id] = per_group.get(group_id, figures.Summary()) + summary
        per_kind[kind] = per_kind.get(kind, figures.Summary()) + summary
        total = total + summary
    done = {"day_from": today, "day_to": today, "status": TicketStatus.DONE}
    by_group = [
        FigureLine(names.get(pk, str(pk)), s, ticket_list_url(group=pk, **done))
        for pk, s in sorted(per_group.items(), key=lambda item: names.get(item[0], ""))
    ]
    by_kind = [
        FigureLine(str(label), per_kind[kind], ticket_list_url(receiver_kind=kind, **done))
        for kind, label in ReceiverKind.choices
        if kind in per_kind
    ]
    return Board(today, state.groups, state.counters, by_group, by_kind, total)


@dataclass
class Queue:
    groups: list[ServiceGroup]
    counters: list[CounterCall]


def hall_state_queue(*, ward_id: int, today: dt.date) -> Queue:
    """Waiting per active group and the ticket at each active counter (3 queries)."""
    counters = list(Counter.objects.filter(ward_id=ward_id, active=True).order_by("number"))
    serving = {
        ticket.counter_id: ticket
        for ticket in Ticket.objects.filter(
            ward_id=ward_id, day=today, status=TicketStatus.CALLED
        ).select_related("issued_group", "called_by")
    }
    groups = list(ServiceGroup.objects.filter(ward_id=ward_id, active=True))
    waiting = waiting_by_group(ward_id)
    for group in groups:
        group.waiting = waiting.get(group.pk, 0)
    return Queue(groups, [CounterCall(counter=c, ticket=serving.get(c.pk)) for c in counters])
