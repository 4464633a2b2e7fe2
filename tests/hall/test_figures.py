"""The hall's daily figures: kept in the transaction that finishes a ticket, equal to an oracle
recomputed from the tickets (means and 90th percentiles included), rebuilt and checked."""

import datetime as dt
import math
import random
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hall import figures
from hall.models import BUCKET_BOUNDS, DailyHallFigures, Ticket, TicketStatus
from hall.services import (
    ticket_call_next,
    ticket_done,
    ticket_issue,
    ticket_skip,
    ticket_transfer,
)
from onestop import clock
from tests.hall.conftest import MORNING
from tests.hall.factories import ServiceGroupFactory


def exact_p90(values: list[int]) -> int:
    """The nearest-rank 90th percentile: the ceil(0.9 n)-th smallest value."""
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def oracle(tickets) -> dict[tuple, dict]:
    """Served count, mean and p90 of waits and service times (seconds) per (ward, group, kind),
    straight from the tickets."""
    waits, services = defaultdict(list), defaultdict(list)
    dropped: dict[tuple, int] = defaultdict(int)
    for t in tickets.filter(status__in=["done", "dropped"]).select_related("called_by"):
        key = (t.ward_id, t.group_id, figures.receiver_kind(t.called_by.role))
        if t.status == TicketStatus.DROPPED:
            dropped[key] += 1
        elif t.status == TicketStatus.DONE:
            waits[key].append(int((t.called_at - t.issued_at).total_seconds()))
            services[key].append(int((t.done_at - t.served_at).total_seconds()))
    result = {}
    for key in waits.keys() | dropped.keys():
        w, s = waits.get(key, []), services.get(key, [])
        result[key] = {
            "served": len(w),
            "dropped": dropped.get(key, 0),
            "wait_seconds": sum(w),
            "service_seconds": sum(s),
            "wait_p90": exact_p90(w) if w else None,
            "service_p90": exact_p90(s) if s else None,
        }
    return result


def run_days(hall, seed: int, days: int = 4, steps: int = 70) -> None:
    """A random sequence of presses at three counters of two wards over some days."""
    rng = random.Random(seed)
    both = ServiceGroupFactory(
        ward=hall.ward, name="Hướng dẫn", counters=[hall.postal_counter, hall.officer_counter]
    )
    desks = [
        (hall.postal_worker, hall.postal_counter, [hall.intake, both]),
        (hall.officer, hall.officer_counter, [hall.returns, both]),
        (hall.other_postal_worker, hall.other_counter, [hall.other_group]),
    ]
    for day in range(days):
        now = MORNING + dt.timedelta(days=day)
        for _ in range(steps):
            now += dt.timedelta(seconds=rng.randint(0, 420))
            user, counter, groups = rng.choice(desks)
            with clock.frozen_at(now):
                move = rng.random()
                serving = Ticket.objects.filter(counter=counter, status="called").first()
                if move < 0.45:
                    ticket_issue(group=rng.choice(groups), user=user)
                elif serving is not None and move < 0.52:
                    ticket_skip(user=user, ticket_id=serving.pk)
                elif serving is not None and move < 0.57 and counter != hall.other_counter:
                    ticket_transfer(user=user, ticket_id=serving.pk, group=rng.choice(groups))
                elif serving is not None and move < 0.65:
                    ticket_done(user=user, ticket_id=serving.pk)
                else:
                    ticket_call_next(user=user, counter=counter)


@pytest.mark.parametrize("seed", [1, 7, 2026])
def test_kept_figures_equal_the_tickets(hall, seed):
    run_days(hall, seed)
    assert Ticket.objects.filter(status="done").count() > 20
    assert figures.differences() == []
    want = oracle(Ticket.objects.all())
    have = figures.summaries(DailyHallFigures.objects.all(), "ward_id", "group_id", "receiver_kind")
    assert {k for k, v in have.items() if v.served or v.dropped} == set(want)
    for key, expected in want.items():
        got = have[key]
        assert (got.served, got.dropped) == (expected["served"], expected["dropped"])
        assert (got.wait_seconds, got.service_seconds) == (
            expected["wait_seconds"],
            expected["service_seconds"],
        )
        if expected["served"]:
            # The p90 read from the buckets is the bucket that holds the exact p90.
            assert got.wait_p90.bucket == figures.bucket_of(expected["wait_p90"])
            assert got.service_p90.bucket == figures.bucket_of(expected["service_p90"])
            assert got.wait_p90.low * 60 <= expected["wait_p90"]
            if got.wait_p90.high is not None:
                assert expected["wait_p90"] < got.wait_p90.high * 60


def test_rebuild_gives_back_the_kept_rows_and_the_command_checks_them(hall, capsys):
    run_days(hall, seed=3, days=2)
    kept = figures.stored()
    assert kept
    DailyHallFigures.objects.update(served=0, wait_seconds=0)
    assert figures.differences()
    with pytest.raises(CommandError):
        call_command("check_report_figures")
    call_command("check_report_figures", rebuild=True)
    assert figures.stored() == kept
    call_command("check_report_figures")
    assert "hall.DailyHallFigures: khớp" in capsys.readouterr().out


def test_a_dropped_ticket_counts_as_dropped_with_no_wait(hall, morning):
    ticket = ticket_issue(group=hall.intake, user=hall.postal_worker)
    for minutes in (1, 7):  # called, absent, called again after the pause, absent again
        with clock.frozen_at(MORNING + dt.timedelta(minutes=minutes)):
            ticket_call_next(user=hall.postal_worker, counter=hall.postal_counter)
            ticket_skip(user=hall.postal_worker, ticket_id=ticket.pk)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DROPPED
    row = DailyHallFigures.objects.get()
    assert (row.served, row.dropped, row.wait_seconds) == (0, 1, 0)
    assert figures.differences() == []


def test_a_transferred_ticket_counts_once_where_it_was_finished(hall, morning):
    ticket = ticket_issue(group=hall.intake, user=hall.postal_worker)
    with clock.frozen_at(MORNING + dt.timedelta(minutes=3)):
        ticket_call_next(user=hall.postal_worker, counter=hall.postal_counter)
        ticket_transfer(user=hall.postal_worker, ticket_id=ticket.pk, group=hall.returns)
    with clock.frozen_at(MORNING + dt.timedelta(minutes=10)):
        ticket_call_next(user=hall.officer, counter=hall.officer_counter)
    with clock.frozen_at(MORNING + dt.timedelta(minutes=22)):
        ticket_done(user=hall.officer, ticket_id=ticket.pk)
    row = DailyHallFigures.objects.get()
    assert (row.counter, row.group, row.receiver_kind) == (
        hall.officer_counter,
        hall.returns,
        "officer",
    )
    assert (row.served, row.transferred) == (1, 1)
    assert row.wait_seconds == 3 * 60  # issue to the first call
    assert row.service_seconds == 12 * 60  # the answered call to done
    buckets = DailyHallFigures.objects.values("wait_03", "service_11").get()
    assert buckets == {"wait_03": 1, "service_11": 1}
    assert figures.differences() == []


@pytest.mark.parametrize(
    ("seconds", "bucket"),
    [(0, 0), (59, 0), (60, 1), (599, 9), (600, 10), (719, 10), (720, 11), (14399, 23), (14400, 24)],
)
def test_buckets(seconds, bucket):
    assert figures.bucket_of(seconds) == bucket
    assert len(BUCKET_BOUNDS) + 1 == figures.BUCKETS == 25


def test_percentile_reads_the_bucket_of_the_nearest_rank():
    buckets = [0] * figures.BUCKETS
    buckets[2], buckets[5], buckets[24] = 8, 1, 1  # ten tickets: the 9th smallest is in bucket 5
    p90 = figures.percentile(tuple(buckets), 0.9)
    assert (p90.bucket, p90.low, p90.high) == (5, 5, 6)
    buckets[2] = 18  # twenty: the 18th smallest is in bucket 2
    assert figures.percentile(tuple(buckets), 0.9).bucket == 2
    assert figures.percentile((0,) * figures.BUCKETS, 0.9) is None
