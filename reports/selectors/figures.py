"""Ward and city reports: Biểu 06, the pilot's own figures, the national index subset, trends.

The counts behind every report. Every figure comes from grouped, conditional
aggregates in the database: one `values(<group>).annotate(...)` query per family of figures,
so a report costs the same handful of queries for one ward or a whole city, whatever the number
of dossiers. Python only adds the grouped rows up (subtotals, totals) and divides (shares).

Definitions (a period is [start, end) in local time, see reports.periods):

* received online: received in the period through channel 2; direct and postal: channels 1, 3;
* carried over: received before the start and not finished at the start;
* finished: resolved (`resolved_at`), refused or withdrawn (the time of that event);
* resolved: `resolved_at` in the period, split by `timeliness` (early, on time, late);
* pending: received before the end and not finished at the end; overdue when the date promised
  (the apology's, when there is one, else the appointment) is before the end;
* refused, withdrawn: the refusal or withdrawal happened in the period.

So every dossier counted as carried over or received ends the period exactly once as resolved,
refused, withdrawn or pending:
``carried_over + received = resolved + refused + withdrawn + pending``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from intake.models import (
    Satisfaction,
)
from postal.models import Assignment, DataEntryBatch, DataEntryRecord, GuidanceSession
from reports.periods import Period
from wards.calendar import WORKING_DAY

SATISFIED = Satisfaction.SATISFIED  # "satisfied or better" is a rating of 4 or 5


# Raw counts read from the database; everything else is derived from them.
COUNTS = (
    "received_online",
    "received_direct",
    "received_postal",
    "carried_open",
    "carried_closed",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_open_within",
    "pending_open_overdue",
    "pending_closed_within",
    "pending_closed_overdue",
    "refused",
    "withdrawn",
    "received_postal_worker",
    "received_officer",
    "resolved_postal_worker",
    "resolved_officer",
    "punctual_postal_worker",
    "punctual_officer",
    "returned_postal_worker",
    "returned_officer",
    "out_of_list",
    "returned_counter",
    "returned_post",
    "rated",
    "satisfied",
    "paused_seconds",
    "working_days_sum",
    "digitised",
)

# Postal back-office counts: present only when the postal app provides the models.
POSTAL_COUNTS = (
    "shifts_intake",
    "shifts_result_return",
    "shifts_data_entry",
    "shifts_guidance",
    "shifts_out_of_list_intake",
    "guidance_sessions",
    "data_entry_total",
    "data_entry_done",
)


def share(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Figures:
    """The counts of one ward, group or city, and every figure derived from them."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    postal: dict[str, int] | None = None  # per ward only: a field row has none

    def add(self, other: Figures) -> None:
        for key, value in other.counts.items():
            self.counts[key] += value
        if other.postal is not None:
            if self.postal is None:
                self.postal = dict.fromkeys(POSTAL_COUNTS, 0)
            for key, value in other.postal.items():
                self.postal[key] += value

    def values(self) -> dict[str, int | float | None]:
        """Every column of Biểu 06, the pilot view and the index, by its English name."""
        c = self.counts
        received = c["received_online"] + c["received_direct"] + c["received_postal"]
        carried = c["carried_open"] + c["carried_closed"]
        resolved = c["resolved_early"] + c["resolved_on_time"] + c["resolved_late"]
        within = c["pending_open_within"] + c["pending_closed_within"]
        overdue = c["pending_open_overdue"] + c["pending_closed_overdue"]
        resolved_by_kind = c["resolved_postal_worker"] + c["resolved_officer"]
        mean_days = None
        if resolved_by_kind:
            days = c["working_days_sum"] - c["paused_seconds"] / WORKING_DAY.total_seconds()
            mean_days = round(max(days, 0) / resolved_by_kind, 1)
        values: dict[str, int | float | None] = {
            "total": carried + received,
            "carried_over": carried,
            "received": received,
            "received_online": c["received_online"],
            "received_direct_postal": c["received_direct"] + c["received_postal"],
            "received_direct": c["received_direct"],
            "received_postal": c["received_postal"],
            "resolved": resolved,
            "resolved_early": c["resolved_early"],
            "resolved_on_time": c["resolved_on_time"],
            "resolved_late": c["resolved_late"],
            "pending": within + overdue,
            "pending_within": within,
            "pending_overdue": overdue,
            "refused": c["refused"],
            "withdrawn": c["withdrawn"],
            "received_postal_worker": c["received_postal_worker"],
            "received_officer": c["received_officer"],
            "postal_worker_share": share(c["received_postal_worker"], received),
            "on_time_share_postal_worker": share(
                c["punctual_postal_worker"], c["resolved_postal_worker"]
            ),
            "on_time_share_officer": share(c["punctual_officer"], c["resolved_officer"]),
            "returned_postal_worker": c["returned_postal_worker"],
            "returned_officer": c["returned_officer"],
            "out_of_list": c["out_of_list"],
            "returned_counter": c["returned_counter"],
            "returned_post": c["returned_post"],
            "mean_processing_days": mean_days,
            "digitised_share": share(c["digitised"], received),
            "satisfaction_share": share(c["satisfied"], c["rated"]),
            "rated": c["rated"],
            "satisfied": c["satisfied"],
            "on_time_share": share(c["resolved_early"] + c["resolved_on_time"], resolved),
            "online_share": share(c["received_online"], received),
            "direct_share": share(c["received_direct"], received),
            "postal_share": share(c["received_postal"], received),
        }
        postal = self.postal
        for key in POSTAL_COUNTS:
            values[key] = postal[key] if postal is not None else None
        values["data_entry_progress"] = (
            share(postal["data_entry_done"], postal["data_entry_total"]) if postal else None
        )
        return values

    def reconciles(self) -> bool:
        """carried over + received = resolved + refused + withdrawn + pending."""
        v = self.values()
        in_hand = [v["carried_over"], v["received"]]
        out = [v["resolved"], v["refused"], v["withdrawn"], v["pending"]]
        return sum(n or 0 for n in in_hand) == sum(n or 0 for n in out)


def postal_counts(ward_ids: list[int], period: Period) -> dict[int, dict[str, int]]:
    """Shifts by task type, guidance sessions and data-entry progress, per ward (4 queries).

    Data entry counts the batches at work during the period (created before its end, not
    cancelled, not closed before its start): their paper dossiers, and how many of them had
    been entered by the period's end.
    """
    counts = {pk: dict.fromkeys(POSTAL_COUNTS, 0) for pk in ward_ids}
    shifts = (
        Assignment.objects.active()
        .filter(ward_id__in=ward_ids, date__gte=period.first_day, date__lte=period.last_day)
        .values("ward_id", "task_type")
        .order_by()
        .annotate(n=Count("pk"))
    )
    for row in shifts:
        counts[row["ward_id"]][f"shifts_{row['task_type']}"] += row["n"]
    guidance = (
        GuidanceSession.objects.filter(
            ward_id__in=ward_ids, at__gte=period.start, at__lt=period.end
        )
        .values("ward_id")
        .order_by()
        .annotate(n=Count("pk"))
    )
    for row in guidance:
        counts[row["ward_id"]]["guidance_sessions"] = row["n"]
    batches = DataEntryBatch.objects.filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=period.start),
        ward_id__in=ward_ids,
        created_at__lt=period.end,
    ).exclude(status=DataEntryBatch.Status.CANCELLED)
    for row in batches.values("ward_id").order_by().annotate(n=Sum("paper_count")):
        counts[row["ward_id"]]["data_entry_total"] = row["n"] or 0
    entered = (
        DataEntryRecord.objects.filter(batch__in=batches, entered_at__lt=period.end)
        .values("batch__ward_id")
        .order_by()
        .annotate(n=Count("pk"))
    )
    for row in entered:
        counts[row["batch__ward_id"]]["data_entry_done"] = row["n"]
    return counts
