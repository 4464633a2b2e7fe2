from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The tools around the product: `seed_demo`, `generate_dossiers`, `bench`.

    Imports every app and is imported by none (the layers contract in pyproject.toml).
    """

    name = "demo"
    verbose_name = _("Dữ liệu demo và đo hiệu năng")
