from django.contrib import admin

from onestop.admin_base import NoDeleteAdmin
from wards.models import CalendarException, City, Counter, OfficialSwap, Ward


@admin.register(City)
class CityAdmin(NoDeleteAdmin):
    list_display = ["name", "code", "province_name"]


@admin.register(Ward)
class WardAdmin(NoDeleteAdmin):
    list_display = ["name", "slug", "admin_code", "unit_identifier", "pilot_phase", "active"]
    list_filter = ["city", "pilot_phase", "active"]
    search_fields = ["name", "slug", "admin_code"]


@admin.register(Counter)
class CounterAdmin(NoDeleteAdmin):
    list_display = ["ward", "number", "name", "kind", "has_computer", "has_signage", "active"]
    list_filter = ["kind", "active", "ward"]
    list_select_related = ["ward"]


@admin.register(CalendarException)
class CalendarExceptionAdmin(NoDeleteAdmin):
    list_display = ["date", "kind", "city", "note"]
    list_filter = ["kind", "city"]


@admin.register(OfficialSwap)
class OfficialSwapAdmin(NoDeleteAdmin):
    """Read-only: the rows come from wards/data/official_swaps.csv, changed only by a newer row."""

    list_display = ["date", "kind", "document", "document_date", "superseded_at"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
