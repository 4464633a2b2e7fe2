from django.contrib import admin

from onestop.admin_base import NoDeleteAdmin
from wards.models import CalendarException, City, Counter, Ward


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
