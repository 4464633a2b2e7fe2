from django import forms
from django.contrib import admin
from django.db import models

from onestop.text import validate_exact, validate_printable


class NoDeleteAdmin(admin.ModelAdmin):
    """Records are deactivated, never deleted: history must survive.

    Text typed here follows the policy for stored text (onestop.text): a one-line field (a
    name, a code) refuses what no document can carry and invisible characters, a long text
    what no document can carry.
    """

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(formfield, forms.CharField) and not isinstance(
            formfield.widget, forms.PasswordInput
        ):
            free_text = isinstance(db_field, models.TextField)
            formfield.validators.append(validate_printable if free_text else validate_exact)
        return formfield
