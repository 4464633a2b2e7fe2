"""Calling at the counter: next (oldest first, the counter's groups), recall, absent, transfer,
done, and the link from the ticket to what was done for the citizen."""

import datetime as dt

import pytest

from hall.models import Ticket, TicketEvent, TicketStatus
from hall.services import (
    ticket_call_next,
    ticket_done,
    ticket_issue,
    ticket_recall,
    ticket_skip,
    ticket_transfer,
)
from intake.services import StepInput, dossier_receive, dossier_step
from onestop import clock
from onestop.errors import Conflict, InvalidInput
from postal.services import guidance_log
from tests.hall.conftest import MORNING
from tests.intake.factories import DossierFactory, ProcedureFactory
from tests.postal.factories import AssignmentFactory


def issue(group, kiosk, *, minutes: int):
    with clock.frozen_at(MORNING + dt.timedelta(minutes=minutes)):
        return ticket_issue(group=group, device=kiosk)


def call(user, counter, *, minutes: int):
    with clock.frozen_at(MORNING + dt.timedelta(minutes=minutes)):
        return ticket_call_next(user=user, counter=counter)


def actions(ticket) -> list[str]:
    return list(TicketEvent.objects.filter(ticket=ticket).values_list("action", flat=True))


def test_calls_the_oldest_ticket_of_the_groups_the_counter_serves(hall):
    first = issue(hall.intake, hall.kiosk, minutes=0)
    issue(hall.returns, hall.kiosk, minutes=1)
    second = issue(hall.intake, hall.kiosk, minutes=2)
    called = call(hall.postal_worker, hall.postal_counter, minutes=5)
    assert called == first
    assert (called.status, called.counter, called.called_by) == (
        "called",
        hall.postal_counter,
        hall.postal_worker,
    )
    assert called.called_at == MORNING + dt.timedelta(minutes=5)
    # The next press finishes the first and calls the next of intake, not the return ticket.
    assert call(hall.postal_worker, hall.postal_counter, minutes=9) == second
    first.refresh_from_db()
    assert (first.status, first.done_at) == ("done", MORNING + dt.timedelta(minutes=9))
    assert first.served_at == first.called_at
    assert actions(first) == ["issued", "called", "done"]


def test_each_ticket_is_called_once(hall):
    issue(hall.intake, hall.kiosk, minutes=0)
    assert call(hall.postal_worker, hall.postal_counter, minutes=1) is not None
    # A second counter serving intake finds nobody left.
    hall.intake.counters.add(hall.officer_counter)
    assert call(hall.officer, hall.officer_counter, minutes=1) is None
    assert TicketEvent.objects.filter(action="called").count() == 1


def test_nobody_waiting_answers_none(hall, morning):
    assert ticket_call_next(user=hall.postal_worker, counter=hall.postal_counter) is None


def test_the_roster_names_the_counter(hall):
    issue(hall.intake, hall.kiosk, minutes=0)
    AssignmentFactory(
        ward=hall.ward,
        worker=hall.postal_worker,
        date=MORNING.date(),
        shift="morning",
        counter=hall.postal_counter,
    )
    assert call(hall.postal_worker, None, minutes=1).counter == hall.postal_counter


def test_without_roster_or_choice_the_counter_is_asked_for(hall, morning):
    with pytest.raises(InvalidInput, match="chưa được phân công quầy"):
        ticket_call_next(user=hall.postal_worker)


def test_another_wards_counter_is_refused(hall, morning):
    with pytest.raises(InvalidInput):
        ticket_call_next(user=hall.postal_worker, counter=hall.other_counter)


def test_recall_calls_the_same_number_again(hall):
    ticket = issue(hall.intake, hall.kiosk, minutes=0)
    call(hall.postal_worker, hall.postal_counter, minutes=1)
    with clock.frozen_at(MORNING + dt.timedelta(minutes=2)):
        ticket = ticket_recall(user=hall.postal_worker, ticket_id=ticket.pk)
    assert ticket.last_called_at == MORNING + dt.timedelta(minutes=2)
    assert ticket.called_at == MORNING + dt.timedelta(minutes=1)
    assert actions(ticket) == ["issued", "called", "recalled"]


def test_absent_is_called_again_after_n_minutes_then_dropped(hall, settings):
    settings.HALL_ABSENT_MINUTES = 5
    settings.HALL_ABSENT_RECALLS = 1
    absent = issue(hall.intake, hall.kiosk, minutes=0)
    later = issue(hall.intake, hall.kiosk, minutes=1)
    call(hall.postal_worker, hall.postal_counter, minutes=2)
    with clock.frozen_at(MORNING + dt.timedelta(minutes=3)):
        skipped = ticket_skip(user=hall.postal_worker, ticket_id=absent.pk)
    assert (skipped.status, skipped.skips) == ("waiting", 1)
    # Within the N minutes the next citizen is called; after them, the absent one again.
    assert call(hall.postal_worker, hall.postal_counter, minutes=4) == later
    assert call(hall.postal_worker, hall.postal_counter, minutes=7) is None
    assert call(hall.postal_worker, hall.postal_counter, minutes=8) == absent
    with clock.frozen_at(MORNING + dt.timedelta(minutes=9)):
        dropped = ticket_skip(user=hall.postal_worker, ticket_id=absent.pk)
    assert dropped.status == TicketStatus.DROPPED
    assert call(hall.postal_worker, hall.postal_counter, minutes=30) is None
    assert actions(absent) == ["issued", "called", "skipped", "called", "dropped"]


def test_transfer_to_another_group_keeps_number_and_place(hall):
    ticket = issue(hall.intake, hall.kiosk, minutes=0)
    issue(hall.returns, hall.kiosk, minutes=1)
    call(hall.postal_worker, hall.postal_counter, minutes=2)
    with clock.frozen_at(MORNING + dt.timedelta(minutes=3)):
        moved = ticket_transfer(user=hall.postal_worker, ticket_id=ticket.pk, group=hall.returns)
    assert (moved.status, moved.group, moved.number) == ("waiting", hall.returns, 1001)
    # Older than the return ticket pressed after it: called first at the return counter.
    assert call(hall.officer, hall.officer_counter, minutes=4) == ticket
    event = TicketEvent.objects.get(ticket=ticket, action="transferred")
    assert (event.to_group, event.from_status) == (hall.returns, "called")


def test_transfer_to_one_counter_is_called_only_there(hall):
    ticket = issue(hall.intake, hall.kiosk, minutes=0)
    with clock.frozen_at(MORNING + dt.timedelta(minutes=1)):
        ticket_transfer(user=hall.chief, ticket_id=ticket.pk, counter=hall.officer_counter)
    assert call(hall.postal_worker, hall.postal_counter, minutes=2) is None
    assert call(hall.officer, hall.officer_counter, minutes=2) == ticket


def test_transfer_needs_a_target_and_an_open_ticket(hall):
    ticket = issue(hall.intake, hall.kiosk, minutes=0)
    with pytest.raises(InvalidInput):
        ticket_transfer(user=hall.postal_worker, ticket_id=ticket.pk)
    with pytest.raises(InvalidInput):
        ticket_transfer(user=hall.postal_worker, ticket_id=ticket.pk, group=hall.other_group)
    call(hall.postal_worker, hall.postal_counter, minutes=1)
    ticket_done(user=hall.postal_worker, ticket_id=ticket.pk)
    with pytest.raises(Conflict):
        ticket_transfer(user=hall.postal_worker, ticket_id=ticket.pk, group=hall.returns)


def test_done_twice_changes_nothing(hall):
    ticket = issue(hall.intake, hall.kiosk, minutes=0)
    call(hall.postal_worker, hall.postal_counter, minutes=1)
    ticket_done(user=hall.postal_worker, ticket_id=ticket.pk)
    ticket_done(user=hall.postal_worker, ticket_id=ticket.pk)
    assert actions(ticket) == ["issued", "called", "done"]


def test_recall_of_a_waiting_ticket_is_a_conflict(hall):
    ticket = issue(hall.intake, hall.kiosk, minutes=0)
    with pytest.raises(Conflict):
        ticket_recall(user=hall.postal_worker, ticket_id=ticket.pk)


def test_another_wards_ticket_is_absent(hall):
    ticket = issue(hall.intake, hall.kiosk, minutes=0)
    for act in (ticket_recall, ticket_skip, ticket_done):
        with pytest.raises(Ticket.DoesNotExist):
            act(user=hall.other_postal_worker, ticket_id=ticket.pk)


def test_the_dossier_received_is_linked_to_the_ticket_served(hall):
    ticket = issue(hall.intake, hall.kiosk, minutes=0)
    call(hall.postal_worker, hall.postal_counter, minutes=1)
    with clock.frozen_at(MORNING + dt.timedelta(minutes=3)):
        receipt = dossier_receive(
            user=hall.postal_worker,
            procedure=ProcedureFactory(),
            channel=1,
            applicant_name="Nguyễn Thị Mai",
            applicant_id_number="074190001234",
            applicant_address="12 Yersin, Phú Hòa",
        )
    link = TicketEvent.objects.get(ticket=ticket, action="linked")
    assert (link.dossier, link.what, link.actor) == (
        receipt.dossier,
        "received",
        hall.postal_worker,
    )
    ticket.refresh_from_db()
    assert ticket.served_at == MORNING + dt.timedelta(minutes=1)


def test_the_result_returned_is_linked(hall):
    with clock.frozen_at(MORNING):
        dossier = DossierFactory(ward=hall.ward, result_ready=True, age=dt.timedelta(days=20))
    ticket = issue(hall.returns, hall.kiosk, minutes=0)
    call(hall.officer, hall.officer_counter, minutes=1)
    with clock.frozen_at(MORNING + dt.timedelta(minutes=2)):
        dossier_step(
            user=hall.officer,
            code=dossier.code,
            action="return",
            details=StepInput(collector_id_number=dossier.applicant_id_number),
        )
    link = TicketEvent.objects.get(ticket=ticket, action="linked")
    assert (link.dossier_id, link.what) == (dossier.pk, "returned")


def test_guidance_is_linked_and_nothing_links_without_a_ticket(hall):
    with clock.frozen_at(MORNING):
        guidance_log(user=hall.postal_worker, topic="Khai sinh", outcome="guided")
    assert not TicketEvent.objects.filter(action="linked").exists()
    ticket = issue(hall.intake, hall.kiosk, minutes=1)
    call(hall.postal_worker, hall.postal_counter, minutes=2)
    with clock.frozen_at(MORNING + dt.timedelta(minutes=3)):
        session = guidance_log(user=hall.postal_worker, topic="Khai tử", outcome="guided")
    link = TicketEvent.objects.get(action="linked")
    assert (link.ticket, link.guidance, link.what) == (ticket, session, "guided")
