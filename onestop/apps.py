from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnestopConfig(AppConfig):
    name = "onestop"
    verbose_name = _("Người dùng")

    def ready(self):
        from django.db.models import fields

        from onestop.signals import connect_delete_guard

        connect_delete_guard()
        # Django's own blank choice ("- Select an option -") has no Vietnamese in its catalogue;
        # a select without an empty label of its own shows this one (Django's documented hook).
        fields.BLANK_CHOICE_LABEL = _("— Chọn —")
