from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from onestop.admin_base import NoDeleteAdmin
from onestop.models import User


@admin.register(User)
class UserAdmin(NoDeleteAdmin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "ward", "city", "is_active"]
    list_filter = ["role", "is_active", "ward__city", "ward"]
    list_select_related = ["ward", "city"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Vai trò và nơi làm việc"),
            {"fields": ("role", "ward", "city", "phone", "employee_code")},
        ),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Vai trò và nơi làm việc"), {"fields": ("role", "ward", "city")}),
    )
