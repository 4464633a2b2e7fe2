"""The technical administrator's view of the back office: read for support, never delete.

The chief's pages are where the roster, grants, batches and accounts are changed; here the
history tables are read-only, so the admin cannot rewrite what happened.
"""

from django.contrib import admin

from onestop.admin_base import NoDeleteAdmin
from postal.models import (
    AccountEvent,
    Assignment,
    AssignmentChange,
    CounterChange,
    DataEntryBatch,
    DataEntryRecord,
    GuidanceSession,
    OutOfListReview,
    PostalWorkerProfile,
    ProcedureAuthorization,
)


class ReadOnlyAdmin(NoDeleteAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PostalWorkerProfile)
class PostalWorkerProfileAdmin(NoDeleteAdmin):
    list_display = ["user", "post_office_code", "post_office_unit", "phone", "in_ward_since"]
    list_select_related = ["user"]
    search_fields = ["user__username", "post_office_code"]
    raw_id_fields = ["user"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["date", "shift", "worker", "task_type", "counter", "ward", "cancelled_at"]
    list_filter = ["task_type", "shift", "ward"]
    list_select_related = ["worker", "counter", "ward"]
    date_hierarchy = "date"


@admin.register(ProcedureAuthorization)
class ProcedureAuthorizationAdmin(ReadOnlyAdmin):
    list_display = ["worker", "procedure", "granted_at", "revoked_at", "ward"]
    list_filter = ["ward"]
    list_select_related = ["worker", "procedure", "ward"]


@admin.register(DataEntryBatch)
class DataEntryBatchAdmin(ReadOnlyAdmin):
    list_display = ["title", "ward", "assigned_to", "paper_count", "status", "due_date"]
    list_filter = ["status", "ward"]
    list_select_related = ["ward", "assigned_to"]


@admin.register(DataEntryRecord)
class DataEntryRecordAdmin(ReadOnlyAdmin):
    list_display = ["original_receipt_number", "dossier", "batch", "entered_at"]
    list_select_related = ["dossier", "batch"]
    search_fields = ["original_receipt_number", "dossier__code"]


@admin.register(GuidanceSession)
class GuidanceSessionAdmin(ReadOnlyAdmin):
    list_display = ["at", "worker", "topic", "outcome", "ward"]
    list_filter = ["outcome", "ward"]
    list_select_related = ["worker", "ward"]


@admin.register(OutOfListReview)
class OutOfListReviewAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "reviewed_at", "reviewed_by"]
    list_select_related = ["dossier", "reviewed_by"]


for model in (AccountEvent, AssignmentChange, CounterChange):
    admin.site.register(model, ReadOnlyAdmin)
