from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WardsConfig(AppConfig):
    name = "wards"
    verbose_name = _("Đơn vị hành chính")

    def ready(self):
        from wards.official_swaps import load_after_migrate

        post_migrate.connect(
            load_after_migrate, sender=self, dispatch_uid="wards.load_official_swaps"
        )
