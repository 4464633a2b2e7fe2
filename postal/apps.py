from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostalConfig(AppConfig):
    name = "postal"
    verbose_name = _("Bưu điện tại bộ phận một cửa")

    def ready(self):
        from intake.generator import register_part

        # Deliveries and the roster in generated histories (intake imports nothing of postal).
        register_part("postal.generator.PostalHistory")
