"""Concurrent kiosks and counters on PostgreSQL: 50 presses at once give 50 consecutive numbers;
two counters calling at once never call one ticket twice; two evaluations of one dossier at once
leave one."""

import datetime as dt

from hall.models import Evaluation, Ticket, TicketEvent, TicketSequence
from hall.services import evaluation_submit, ticket_call_next, ticket_issue
from intake.models import DossierEvent
from onestop import clock
from onestop.errors import Conflict
from tests.concurrency import POSTGRES_ONLY, run_together
from tests.hall.conftest import MORNING
from tests.intake.factories import DossierFactory

pytestmark = POSTGRES_ONLY


def together(count: int, work) -> list:
    return run_together(count, work, at=MORNING + dt.timedelta(minutes=30))


def test_fifty_presses_at_once_get_fifty_consecutive_numbers(hall):
    results = together(50, lambda i: ticket_issue(group=hall.intake, device=hall.kiosk).number)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(results) == list(range(1001, 1051))
    assert Ticket.objects.count() == 50
    assert TicketEvent.objects.filter(action="issued").count() == 50
    assert TicketSequence.objects.get(group=hall.intake).last_number == 1050


def test_two_counters_calling_together_call_different_tickets(hall):
    hall.intake.counters.add(hall.officer_counter)
    for minute in range(6):
        with clock.frozen_at(MORNING + dt.timedelta(minutes=minute)):
            ticket_issue(group=hall.intake, device=hall.kiosk)
    callers = [(hall.postal_worker, hall.postal_counter), (hall.officer, hall.officer_counter)]
    for _round in range(3):
        results = together(
            2, lambda i: ticket_call_next(user=callers[i][0], counter=callers[i][1]).number
        )
        assert not [r for r in results if isinstance(r, Exception)], results
        assert len(set(results)) == 2
    calls = TicketEvent.objects.filter(action="called")
    assert calls.count() == 6
    assert calls.values("ticket").distinct().count() == 6


def test_two_evaluations_of_one_dossier_at_once_leave_one(hall):
    with clock.frozen_at(MORNING):
        dossier = DossierFactory(ward=hall.ward, returned=True, satisfaction=None)

    def work(i: int):
        return evaluation_submit(dossier=dossier, channel="phone", satisfaction=1 + i % 5)

    results = together(8, work)
    saved = [r for r in results if isinstance(r, Evaluation)]
    assert len(saved) == 1, results
    assert all(isinstance(r, Conflict) for r in results if r is not saved[0]), results
    assert Evaluation.objects.filter(dossier=dossier).count() == 1
    assert DossierEvent.objects.filter(dossier=dossier, action="citizen_rating").count() == 1
    dossier.refresh_from_db()
    assert dossier.satisfaction == saved[0].satisfaction
