"""Paper dossiers entered from data-entry batches before the form asked for their state.

Until now every paper dossier was entered as "received" with the appointment its paper receipt
gave, so the ones long finished on paper stayed open and overdue forever: in the chief's overdue
list and in Biểu 06's overdue column. This migration corrects the rows that are plainly finished,
decided only from what is stored:

* the dossier was entered from a data-entry batch (it has a `DataEntryRecord`), whatever the
  batch's status;
* it is still "received", with no event after its receipt (nobody acted on it in the system)
  and no apology date;
* its appointment had already passed when the batch was opened (`appointment_at` before the
  batch's `created_at`): its term ended before anyone gathered the paper for entry. A dossier
  still pending then would have been received and handed on at the counter, not piled with the
  archive for transcription.

Each is taken, as the paper would have taken it, through the lifecycle's own steps: transfer
(at the receipt), result and return (at the appointment), three events marked `from_paper`, by
the worker who entered it, with a note saying the dates were not on record. The result and
return dates were never stored, so the appointment — the one date the paper promised — stands
for both: the dossier counts as resolved on time and returned at the counter on that day.
Dossiers that do not fit stay as they are: the chief can still take them through the ordinary
steps. The receipt event keeps its own time (the entry), as events are never changed.

Safe on a large database: the rows are read in primary-key chunks of the entry records (a
small table next to the dossiers), each chunk one query for the candidates, one bulk update and
one bulk insert; no table is rewritten. The report figures of the wards touched are then
rebuilt from the dossiers (intake.figures.rebuild, as `manage.py check_report_figures
--rebuild` does), so they count these dossiers as returned, not overdue.

Irreversible, on purpose: the events it writes are append-only (the database refuses to delete
them), and after it the chief may have acted on these dossiers, so there is no earlier state to
go back to.
"""

from django.db import migrations
from django.db.models import Exists, F, OuterRef

CHUNK = 2000
NOTE = (
    "Theo hồ sơ giấy: khi nhập chưa ghi ngày có kết quả và ngày trả; lấy ngày hẹn trả "
    "(sửa khi nâng cấp)."
)
APPLICANT = "Người nộp hồ sơ"


def finish_paper_dossiers(apps, schema_editor):
    Record = apps.get_model("postal", "DataEntryRecord")
    Dossier = apps.get_model("intake", "Dossier")
    Event = apps.get_model("intake", "DossierEvent")
    later_steps = Event.objects.filter(dossier_id=OuterRef("dossier_id")).exclude(action="receive")
    candidates = (
        Record.objects.filter(
            dossier__status="received",
            dossier__apology_appointment_at__isnull=True,
            dossier__appointment_at__lt=F("batch__created_at"),
        )
        .filter(~Exists(later_steps))
        .order_by("pk")
    )
    wards: set[int] = set()
    last = 0
    while True:
        chunk = list(
            candidates.filter(pk__gt=last).values(
                "pk", "dossier_id", "entered_by_id", "entered_by__role"
            )[:CHUNK]
        )
        if not chunk:
            break
        last = chunk[-1]["pk"]
        by_dossier = {row["dossier_id"]: row for row in chunk}
        desks = dict(
            Event.objects.filter(dossier_id__in=by_dossier, action="receive").values_list(
                "dossier_id", "to_unit"
            )
        )
        dossiers = list(Dossier.objects.filter(pk__in=by_dossier, status="received"))
        events = []
        for dossier in dossiers:
            row = by_dossier[dossier.pk]
            due = dossier.appointment_at
            desk = desks.get(dossier.pk, "")
            agency = dossier.resolving_agency
            common = {
                "dossier_id": dossier.pk,
                "actor_id": row["entered_by_id"],
                "actor_role": row["entered_by__role"] or "",
                "note": NOTE,
                "from_paper": True,
            }
            events += [
                Event(
                    at=dossier.received_at,
                    action="transfer",
                    from_status="received",
                    to_status="processing",
                    from_unit=desk,
                    to_unit=agency,
                    **common,
                ),
                Event(
                    at=due,
                    action="resolve",
                    from_status="processing",
                    to_status="result_ready",
                    from_unit=agency,
                    to_unit=desk,
                    **common,
                ),
                Event(
                    at=due,
                    action="return",
                    from_status="result_ready",
                    to_status="returned",
                    from_unit=desk,
                    to_unit=APPLICANT,
                    **common,
                ),
            ]
            dossier.status = "returned"
            dossier.national_status = 10
            dossier.resolved_at = due
            dossier.timeliness = "on_time"
            dossier.returned_at = due
            dossier.returned_by_id = row["entered_by_id"]
            dossier.return_method = "counter"
            wards.add(dossier.ward_id)
        Dossier.objects.bulk_update(
            dossiers,
            [
                "status",
                "national_status",
                "resolved_at",
                "timeliness",
                "returned_at",
                "returned_by",
                "return_method",
            ],
        )
        Event.objects.bulk_create(events)
    if wards:
        rebuild_figures(sorted(wards))


def rebuild_figures(ward_ids):
    from intake import figures

    figures.rebuild(ward_ids)


class Migration(migrations.Migration):
    dependencies = [
        ("postal", "0004_account_events_of_tokens_and_lockouts"),
        ("intake", "0013_dossier_event_from_paper"),
    ]

    operations = [migrations.RunPython(finish_paper_dossiers, reverse_code=None, elidable=False)]
