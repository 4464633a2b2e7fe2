from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def fill_report_figures(sender, using, **kwargs):
    """A database that has dossiers but no report figures yet gets them computed once.

    After every migration, so the figures are computed with the final schema (a database
    upgraded from before intake.DailyFigures existed).
    """
    from intake import figures
    from intake.models import Dossier

    if not Dossier.objects.using(using).exists():
        return
    if any(not table.model.objects.using(using).exists() for table in figures.TABLES):
        figures.rebuild()


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Tiếp nhận hồ sơ")

    def ready(self):
        from intake import receivers
        from wards.calendar_admin import preview_source_register
        from wards.signals import calendar_changed

        post_migrate.connect(fill_report_figures, sender=self)
        calendar_changed.connect(
            receivers.recount_working_days, dispatch_uid="intake.recount_working_days"
        )
        preview_source_register(receivers.CALENDAR_PREVIEW)
