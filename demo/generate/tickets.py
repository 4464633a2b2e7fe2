"""A history of queue tickets for the hall's figures: every working day of the last `days` days,
in the wards that have service groups, as the counters would have served them.

Each ward-day is a small simulation: citizens take tickets through the working hours (morning
07:30–11:15, afternoon 13:30–16:45, more in the morning), each group's tickets are called in
order of issue by the first of its counters to be free, served for a few minutes (longer at
intake than at return) and finished; about one in forty does not come and is dropped after a
second call. The tickets, their events (issued, called, skipped, dropped, done) and the day's
numbering go in by COPY on PostgreSQL, bulk inserts elsewhere, and the hall's daily figures are
then rebuilt from them (`hall.figures.rebuild`), so `check_report_figures` agrees.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import defaultdict
from dataclasses import dataclass
from random import Random

from django.db import connection, transaction

from demo.generate.writers import NULL
from hall import figures
from hall.models import GroupKind, ServiceGroup, Ticket, TicketEvent, TicketSequence
from onestop.models import Role, User
from wards.calendar import VIETNAM_TZ
from wards.models import Counter, Ward
from wards.selectors import working_calendar

# Mean service minutes per kind of group, and the share of a day's tickets each kind takes.
SERVICE_MINUTES = {
    GroupKind.INTAKE: 9.0,
    GroupKind.RESULT_RETURN: 4.0,
    GroupKind.GUIDANCE: 5.0,
    GroupKind.POST: 6.0,
}
DEMAND = {GroupKind.INTAKE: 5, GroupKind.RESULT_RETURN: 3, GroupKind.GUIDANCE: 2, GroupKind.POST: 1}
SESSIONS = ((7 * 60 + 30, 11 * 60 + 15, 0.6), (13 * 60 + 30, 16 * 60 + 45, 0.4))
ABSENT = 0.025
RECALL_MINUTES = 5

TICKET_COLUMNS = (
    "id", "ward_id", "group_id", "issued_group_id", "day", "number", "status", "device_id",
    "issued_at", "eligible_at", "for_counter_id", "counter_id", "called_by_id", "called_at",
    "last_called_at", "served_at", "done_at", "skips",
)  # fmt: skip
EVENT_COLUMNS = ("ticket_id", "ward_id", "at", "action", "actor_id", "counter_id",
                 "from_status", "to_status", "what")  # fmt: skip


@dataclass
class TicketStats:
    tickets: int = 0
    events: int = 0
    figure_rows: int = 0


@dataclass
class _Desk:
    counter_id: int
    users: list[int]


def _staff(ward_ids: list[int]) -> dict[int, dict[str, list[int]]]:
    staff: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    users = User.objects.filter(ward_id__in=ward_ids, is_active=True).order_by("pk")
    for pk, ward_id, role in users.values_list("pk", "ward_id", "role"):
        staff[ward_id][role].append(pk)
    return staff


class TicketHistory:
    """Tickets of the last `days` days (today excluded) in `wards` (default: every active ward
    with service groups), `per_day` tickets a ward-day on average."""

    def __init__(
        self,
        *,
        days: int,
        per_day: int = 120,
        seed: int = 1,
        now: dt.datetime,
        wards: list[Ward] | None = None,
    ):
        self.days = days
        self.per_day = per_day
        self.rng = Random(seed)
        self.now = now
        self.wards = wards
        self.stats = TicketStats()

    def _plan(self):
        wards = self.wards
        if wards is None:
            wards = list(Ward.objects.filter(active=True).order_by("pk"))
        ward_ids = [w.pk for w in wards]
        groups: dict[int, list[ServiceGroup]] = defaultdict(list)
        for group in (
            ServiceGroup.objects.filter(ward_id__in=ward_ids, active=True)
            .prefetch_related("counters")
            .order_by("pk")
        ):
            groups[group.ward_id].append(group)
        staff = _staff(ward_ids)
        desks: dict[int, _Desk] = {}
        for counter in Counter.objects.filter(ward_id__in=ward_ids, active=True):
            people = staff[counter.ward_id]
            if counter.kind == Counter.Kind.POSTAL and people[Role.POSTAL_WORKER]:
                users = people[Role.POSTAL_WORKER]
            else:
                users = people[Role.OFFICER] or people[Role.CHIEF]
            if users:
                desks[counter.pk] = _Desk(counter.pk, users)
        return [w for w in wards if groups[w.pk]], groups, desks

    def run(self) -> TicketStats:
        wards, groups, desks = self._plan()
        if not wards or self.days <= 0:
            return self.stats
        today = self.now.astimezone(VIETNAM_TZ).date()
        calendars = {w.city_id: working_calendar(city_id=w.city_id) for w in wards}
        text = connection.vendor == "postgresql"
        with transaction.atomic():
            next_id = (Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
            first_day = today - dt.timedelta(days=self.days)
            taken = set(
                TicketSequence.objects.filter(
                    group__ward__in=wards, day__gte=first_day, day__lt=today
                ).values_list("group__ward_id", "day")
            )
            tickets, events, sequences = [], [], []
            for ward in wards:
                calendar = calendars[ward.city_id]
                for offset in range(self.days, 0, -1):
                    day = today - dt.timedelta(days=offset)
                    if (ward.pk, day) in taken or not calendar.is_working_day(day):
                        continue
                    next_id = self._day(
                        ward, day, groups[ward.pk], desks, next_id, tickets, events, sequences
                    )
            self._write(tickets, events, sequences, text)
            self.stats.figure_rows = figures.rebuild([w.pk for w in wards])
        return self.stats

    # --- one ward-day ------------------------------------------------------------------------

    def _arrivals(self, day: dt.date, count: int) -> list[dt.datetime]:
        r = self.rng
        moments = []
        start = dt.datetime.combine(day, dt.time(), tzinfo=VIETNAM_TZ)
        for _ in range(count):
            first, last, _share = SESSIONS[0] if r.random() < SESSIONS[0][2] else SESSIONS[1]
            moments.append(start + dt.timedelta(seconds=int(r.uniform(first, last) * 60)))
        return sorted(moments)

    def _day(self, ward, day, ward_groups, desks, next_id, tickets, events, sequences) -> int:
        r = self.rng
        count = max(1, int(r.gauss(self.per_day, self.per_day / 5)))
        weights = [DEMAND.get(g.kind, 1) for g in ward_groups]
        numbers = {g.pk: g.first_number for g in ward_groups}
        serving = {
            g.pk: [desks[c.pk] for c in g.counters.all() if c.pk in desks] for g in ward_groups
        }
        free_at: dict[int, dt.datetime] = {}
        for issued in self._arrivals(day, count):
            group = r.choices(ward_groups, weights)[0]
            pool = serving[group.pk]
            if not pool:
                continue  # nobody serves it: the kiosk does not give the number
            desk = min(pool, key=lambda d: free_at.get(d.counter_id, issued))
            called = max(issued, free_at.get(desk.counter_id, issued))
            called += dt.timedelta(seconds=int(r.uniform(5, 40)))
            user = desk.users[int(r.random() * len(desk.users))]
            number = numbers[group.pk]
            numbers[group.pk] += 1
            pk = next_id
            next_id += 1
            row = {
                "id": pk, "ward_id": ward.pk, "group_id": group.pk, "issued_group_id": group.pk,
                "day": day, "number": number, "device_id": None, "issued_at": issued,
                "eligible_at": issued, "for_counter_id": None, "counter_id": desk.counter_id,
                "called_by_id": user, "called_at": called, "skips": 0,
            }  # fmt: skip
            ev = [(pk, ward.pk, issued, "issued", None, None, "", "waiting", "")]
            ev.append(
                (pk, ward.pk, called, "called", user, desk.counter_id, "waiting", "called", "")
            )
            if r.random() < ABSENT:
                again = called + dt.timedelta(minutes=RECALL_MINUTES, seconds=30)
                ev += [
                    (pk, ward.pk, called + dt.timedelta(seconds=60), "skipped", user,
                     desk.counter_id, "called", "waiting", ""),
                    (pk, ward.pk, again, "called", user, desk.counter_id, "waiting", "called", ""),
                    (pk, ward.pk, again + dt.timedelta(seconds=60), "dropped", user,
                     desk.counter_id, "called", "dropped", ""),
                ]  # fmt: skip
                row.update(
                    status="dropped", last_called_at=again, served_at=None, done_at=None,
                    skips=1, eligible_at=called + dt.timedelta(minutes=RECALL_MINUTES),
                )  # fmt: skip
                free_at[desk.counter_id] = called + dt.timedelta(seconds=60)
            else:
                mean = SERVICE_MINUTES.get(group.kind, 5.0)
                # Log-normal service times: most short, a few long (sigma 0.5).
                minutes = r.lognormvariate(math.log(mean) - 0.125, 0.5)
                done = called + dt.timedelta(seconds=max(30, int(minutes * 60)))
                ev.append((pk, ward.pk, done, "done", user, None, "called", "done", ""))
                row.update(status="done", last_called_at=called, served_at=called, done_at=done)
                free_at[desk.counter_id] = done
            tickets.append(row)
            events.extend(ev)
        for group in ward_groups:
            if numbers[group.pk] > group.first_number:
                sequences.append((group.pk, day, numbers[group.pk] - 1))
        return next_id

    # --- writing ----------------------------------------------------------------------------

    def _write(self, tickets, events, sequences, text: bool) -> None:
        self.stats.tickets += len(tickets)
        self.stats.events += len(events)
        if not tickets:
            return
        # Tickets first: the events point to them.
        if text:
            with connection.cursor() as cursor:
                _copy(cursor, "hall_ticket", TICKET_COLUMNS, (
                    [t[c] for c in TICKET_COLUMNS] for t in tickets
                ))  # fmt: skip
                _copy(cursor, "hall_ticketevent", EVENT_COLUMNS, events)
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('hall_ticket', 'id'), "
                    "(SELECT COALESCE(MAX(id), 1) FROM hall_ticket))"
                )
        else:
            Ticket.objects.bulk_create([Ticket(**t) for t in tickets], batch_size=2000)
            TicketEvent.objects.bulk_create(
                [TicketEvent(**dict(zip(EVENT_COLUMNS, e, strict=True))) for e in events],
                batch_size=2000,
            )
        TicketSequence.objects.bulk_create(
            [TicketSequence(group_id=g, day=d, last_number=n) for g, d, n in sequences],
            batch_size=5000,
        )


def _cell(value) -> str:
    if value is None:
        return NULL
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


def _copy(cursor, table: str, columns, rows, batch: int = 50_000) -> None:
    buffer = io.StringIO()
    written = 0

    def flush():
        buffer.seek(0)
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
        buffer.seek(0)
        buffer.truncate()

    for row in rows:
        buffer.write("\t".join(_cell(v) for v in row))
        buffer.write("\n")
        written += 1
        if written % batch == 0:
            flush()
    if written % batch:
        flush()
