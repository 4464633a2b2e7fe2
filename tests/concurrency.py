"""Real concurrency for the race tests: threads with their own database connections, released
together by a barrier, each at a frozen moment of the clock."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from onestop import clock

# SQLite serialises every writer on one file lock and has no row locks, so a race cannot happen
# there: the race tests run on PostgreSQL only.
POSTGRES_ONLY = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every writer on one file lock and has no row locks, so a race "
        "cannot happen there; run with TEST_DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]


def run_together(
    count: int,
    work: Callable[[int], Any],
    at: dt.datetime | Callable[[int], dt.datetime],
) -> list:
    """Run `work(i)` in `count` threads released at once, thread i with the clock frozen at `at`
    (or `at(i)`); return each result or the exception it raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(i: int) -> None:
        try:
            # Connect before the barrier, so connecting does not stagger the start.
            connection.ensure_connection()
            barrier.wait(timeout=30)
            with clock.frozen_at(at(i) if callable(at) else at):
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
