from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Biểu 06, the pilot's view, the national index, trends, charts, exports and the logbook.

    Reads every app and is imported by none: the layers contract in pyproject.toml keeps it so.
    """

    name = "reports"
    verbose_name = _("Báo cáo")

    def ready(self):
        # The report tasks register their kind (for the tasks page) when they are defined.
        from reports import tasks  # noqa: F401
