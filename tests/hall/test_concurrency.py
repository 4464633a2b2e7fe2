"""Concurrent kiosks and counters on PostgreSQL: 50 presses at once give 50 consecutive numbers;
two counters calling at once never call one ticket twice."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from hall.models import Ticket, TicketEvent, TicketSequence
from hall.services import ticket_call_next, ticket_issue
from onestop import clock
from tests.hall.conftest import MORNING

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every writer on one file lock and has no row locks; run "
        "with TEST_DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]


def run_together(count: int, work) -> list:
    """Run `work(i)` in `count` threads released at once; return each result or exception."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(i: int) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            with clock.frozen_at(MORNING + dt.timedelta(minutes=30)):
                results[i] = work(i)
        except Exception as error:
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_fifty_presses_at_once_get_fifty_consecutive_numbers(hall):
    results = run_together(50, lambda i: ticket_issue(group=hall.intake, device=hall.kiosk).number)
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
        results = run_together(
            2, lambda i: ticket_call_next(user=callers[i][0], counter=callers[i][1]).number
        )
        assert not [r for r in results if isinstance(r, Exception)], results
        assert len(set(results)) == 2
    calls = TicketEvent.objects.filter(action="called")
    assert calls.count() == 6
    assert calls.values("ticket").distinct().count() == 6
