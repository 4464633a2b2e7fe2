"""Issuing tickets: numbers per ward, group and local day; refusals; the event row."""

import datetime as dt

import pytest

from hall.models import Ticket, TicketEvent, TicketStatus
from hall.services import device_revoke, ticket_issue
from onestop import clock
from onestop.errors import Conflict, InvalidInput, NotAllowed
from tests.hall.conftest import MORNING
from tests.hall.factories import ServiceGroupFactory


def test_numbers_are_consecutive_per_group_from_its_first_number(hall, morning):
    numbers = [ticket_issue(group=hall.intake, device=hall.kiosk).number for _ in range(3)]
    returns = [ticket_issue(group=hall.returns, device=hall.kiosk).number for _ in range(2)]
    assert numbers == [1001, 1002, 1003]
    assert returns == [2001, 2002]


def test_another_ward_numbers_its_own_groups(hall, morning):
    ticket_issue(group=hall.intake, device=hall.kiosk)
    other = ticket_issue(group=hall.other_group, user=hall.other_postal_worker)
    assert other.number == 1001
    assert other.ward == hall.other_ward


def test_a_new_local_day_starts_again(hall):
    with clock.frozen_at(MORNING):
        ticket_issue(group=hall.intake, device=hall.kiosk)
    # 00:30 the next day in Vietnam is still the previous day in UTC.
    with clock.frozen_at(MORNING.replace(hour=0, minute=30) + dt.timedelta(days=1)):
        ticket = ticket_issue(group=hall.intake, device=hall.kiosk)
    assert (ticket.number, ticket.day) == (1001, dt.date(2026, 3, 11))


def test_issuing_writes_its_event(hall, morning):
    ticket = ticket_issue(group=hall.intake, device=hall.kiosk)
    event = TicketEvent.objects.get(ticket=ticket)
    assert (event.action, event.to_status, event.at) == ("issued", "waiting", MORNING)
    assert ticket.status == TicketStatus.WAITING and ticket.device == hall.kiosk


def test_a_revoked_kiosk_gets_no_ticket(hall, morning):
    device_revoke(user=hall.chief, device_id=hall.kiosk.pk)
    hall.kiosk.refresh_from_db()
    with pytest.raises(NotAllowed, match="thu hồi"):
        ticket_issue(group=hall.intake, device=hall.kiosk)
    assert not Ticket.objects.exists()


def test_a_display_key_gets_no_ticket(hall, morning):
    with pytest.raises(NotAllowed):
        ticket_issue(group=hall.intake, device=hall.display)


def test_a_group_no_counter_serves_is_refused_clearly(hall, morning):
    closed = ServiceGroupFactory(ward=hall.ward, name="Chứng thực")
    with pytest.raises(Conflict, match="chưa có quầy nào phục vụ"):
        ticket_issue(group=closed, device=hall.kiosk)
    assert not Ticket.objects.exists()


def test_another_wards_group_is_refused(hall, morning):
    with pytest.raises(InvalidInput):
        ticket_issue(group=hall.other_group, device=hall.kiosk)


def test_a_city_admin_issues_nothing(hall, morning):
    with pytest.raises(NotAllowed):
        ticket_issue(group=hall.intake, user=hall.city_admin)


def test_ticket_events_are_never_changed_or_removed():
    with pytest.raises(TypeError):
        TicketEvent(pk=1).save()
    with pytest.raises(TypeError):
        TicketEvent(pk=1).delete()
