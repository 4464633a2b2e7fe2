from django.contrib import admin


class NoDeleteAdmin(admin.ModelAdmin):
    """Records are deactivated, never deleted: history must survive."""

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions
