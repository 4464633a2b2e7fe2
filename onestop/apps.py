from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnestopConfig(AppConfig):
    name = "onestop"
    verbose_name = _("Người dùng")

    def ready(self):
        from onestop.signals import connect_delete_guard

        connect_delete_guard()
