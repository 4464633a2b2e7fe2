"""Data-entry batches of the wards in scope, and the records entered in one."""

from django.db.models import Count, QuerySet

from onestop.models import User
from postal.models import DataEntryBatch, DataEntryRecord
from wards.scope import visible_wards


def batches_for_user(*, user: User) -> QuerySet[DataEntryBatch]:
    """Batches of the wards `user` may see, with the count entered so far."""
    return (
        DataEntryBatch.objects.filter(ward__in=visible_wards(user).values("pk"))
        .select_related("assigned_to", "created_by")
        .annotate(entered=Count("records"))
        .order_by("status", "due_date", "-created_at")
    )


def batch_records(*, batch: DataEntryBatch) -> QuerySet[DataEntryRecord]:
    return batch.records.select_related("dossier", "entered_by").order_by("-entered_at", "-id")
