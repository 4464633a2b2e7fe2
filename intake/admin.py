from django.contrib import admin

from intake.models import Procedure
from onestop.admin_base import NoDeleteAdmin


@admin.register(Procedure)
class ProcedureAdmin(NoDeleteAdmin):
    list_display = ["code", "name", "field", "level", "processing_days", "fee", "postal_eligible"]
    list_filter = ["field", "level", "postal_eligible", "active"]
    search_fields = ["code", "name", "search_text"]
