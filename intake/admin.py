from django.contrib import admin

from intake.models import Dossier, DossierEvent, DossierFile, PersonalDataAccess, Procedure
from onestop.admin_base import NoDeleteAdmin


@admin.register(Procedure)
class ProcedureAdmin(NoDeleteAdmin):
    list_display = ["code", "name", "field", "level", "processing_days", "fee", "postal_eligible"]
    list_filter = ["field", "level", "postal_eligible", "active"]
    search_fields = ["code", "name", "search_text"]


@admin.register(DossierFile)
class DossierFileAdmin(NoDeleteAdmin):
    """Scans are added at the counter (with their event) and read through the scoped page."""

    list_display = ["dossier", "component", "original_name", "content_type", "size", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["dossier__code", "original_name"]
    list_select_related = ["dossier"]
    raw_id_fields = ["dossier", "uploaded_by", "superseded_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(NoDeleteAdmin):
    """Read-only: dossiers change only through the counter's services, which log every step."""

    list_display = ["code", "ward", "procedure_name", "applicant_name", "status", "received_at"]
    list_filter = ["ward", "status", "channel", "receiver_kind"]
    search_fields = ["code", "applicant_name"]
    list_select_related = ["ward"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DossierEvent)
class DossierEventAdmin(NoDeleteAdmin):
    """The control sheet's lines, append-only: readable here, never editable."""

    list_display = ["dossier", "at", "action", "from_status", "to_status", "actor"]
    list_filter = ["action"]
    list_select_related = ["dossier", "actor"]
    raw_id_fields = ["dossier"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(NoDeleteAdmin):
    """Who saw whose personal data, and who exported what: readable, never changed or removed."""

    list_display = ["at", "user", "role", "ward", "city", "dossier", "export"]
    list_filter = ["role", "export", "ward"]
    list_select_related = ["user", "ward", "city", "dossier"]
    search_fields = ["dossier__code", "user__username", "export"]
    raw_id_fields = ["user", "dossier"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
