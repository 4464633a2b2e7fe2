"""The hall in the technical admin: read-only (the chief's settings page and the services write)."""

from django.contrib import admin

from hall.models import Device, ServiceGroup, Ticket, TicketEvent
from onestop.admin_base import NoDeleteAdmin


class ReadOnlyAdmin(NoDeleteAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ServiceGroup)
class ServiceGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "ward", "kind", "first_number", "active"]
    list_filter = ["kind", "active"]


@admin.register(Device)
class DeviceAdmin(ReadOnlyAdmin):
    list_display = ["name", "ward", "kind", "created_at", "revoked_at"]
    exclude = ["digest", "nonce"]


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["number", "ward", "group", "day", "status", "issued_at", "called_at"]
    list_filter = ["status", "day"]
    list_select_related = ["ward", "group"]


@admin.register(TicketEvent)
class TicketEventAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "action", "at", "actor", "counter"]
    list_select_related = ["ticket", "actor", "counter"]
