"""The ticket history of the generator and of the demo: working days only, numbers in order per
group and day, events coherent with each ticket, the hall's figures rebuilt and right."""

import datetime as dt
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from demo.generate.tickets import TicketHistory
from hall import figures
from hall.models import DailyHallFigures, Ticket, TicketEvent, TicketSequence
from hall.services import groups_seed
from tests.intake.factories import ProcedureFactory
from wards.calendar import VIETNAM_TZ
from wards.selectors import working_calendar

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def grouped(world):
    for ward in (world.ward, world.other_ward):
        groups_seed(ward=ward)
    return world


def test_a_month_of_tickets_as_the_counters_would_have_served_them(grouped):
    stats = TicketHistory(days=30, per_day=40, seed=3, now=NOW, wards=[grouped.ward]).run()
    tickets = Ticket.objects.all()
    assert stats.tickets == tickets.count() > 400
    assert stats.events == TicketEvent.objects.count()
    calendar = working_calendar(city_id=grouped.city.pk)
    today = NOW.astimezone(VIETNAM_TZ).date()
    days = set(tickets.values_list("day", flat=True))
    assert all(
        calendar.is_working_day(day) and today - dt.timedelta(days=30) <= day < today
        for day in days
    )
    numbers = defaultdict(list)
    for group_id, first, day, number in tickets.order_by("issued_at", "id").values_list(
        "issued_group_id", "issued_group__first_number", "day", "number"
    ):
        numbers[(group_id, first, day)].append(number)
    for (group_id, first, day), seen in numbers.items():
        assert seen == list(range(first, first + len(seen)))
        assert TicketSequence.objects.get(group_id=group_id, day=day).last_number == seen[-1]
    for ticket in tickets.filter(status="done")[:50]:
        assert ticket.issued_at <= ticket.called_at <= ticket.done_at
        assert ticket.issued_at.astimezone(VIETNAM_TZ).date() == ticket.day
        actions = list(TicketEvent.objects.filter(ticket=ticket).values_list("action", flat=True))
        assert actions == ["issued", "called", "done"]
    assert tickets.filter(status="dropped").exists()
    assert DailyHallFigures.objects.filter(served__gt=0).exists()
    assert figures.differences() == []
    # A second run finds the days done and adds nothing.
    again = TicketHistory(days=30, per_day=40, seed=4, now=NOW, wards=[grouped.ward]).run()
    assert again.tickets == 0


def test_generate_dossiers_adds_a_year_of_tickets_when_asked(grouped, capsys):
    for code in ["2.000815", "1.001193"]:
        ProcedureFactory(code=code, processing_days=0)
    call_command(
        "generate_dossiers", "--count", "50", "--years", "0.2", "--no-progress",
        "--ticket-days", "365", "--tickets-per-day", "5", "--ticket-ward", grouped.ward.slug,
    )  # fmt: skip
    out = capsys.readouterr().out
    assert "số thứ tự" in out
    wards = set(Ticket.objects.values_list("ward_id", flat=True))
    assert wards == {grouped.ward.pk}
    first, last = (
        min(Ticket.objects.values_list("day", flat=True)),
        max(Ticket.objects.values_list("day", flat=True)),
    )
    assert (last - first).days > 330
    assert figures.differences() == []


def test_generate_dossiers_refuses_an_unknown_ticket_ward(grouped):
    with pytest.raises(CommandError, match="Không có phường"):
        call_command("generate_dossiers", "--count", "5", "--ticket-ward", "khong-co")
