from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def figures_not_built(using: str = "default") -> bool:
    """True for a database that has dossiers but no report figures yet (one upgraded from
    before intake.DailyFigures existed): `fill_report_figures` builds them whole."""
    from intake import figures
    from intake.models import Dossier

    if not Dossier.objects.using(using).exists():
        return False
    return any(not table.model.objects.using(using).exists() for table in figures.TABLES)


def fill_report_figures(sender, using, **kwargs):
    """A database that has dossiers but no report figures yet gets them computed once.

    After every migration, so the figures are computed with the final schema (a database
    upgraded from before intake.DailyFigures existed). The same for the figures other apps
    registered (intake.figures.others).
    """
    from intake import figures

    if figures_not_built(using):
        figures.rebuild()
    for kept in figures.registered():
        if kept.not_built(using):
            kept.rebuild()


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Tiếp nhận hồ sơ")

    def ready(self):
        # The intake tasks register their kind (for the tasks page) when they are defined.
        from intake import receivers, tasks  # noqa: F401
        from wards.calendar_admin import preview_source_register
        from wards.signals import calendar_changed

        post_migrate.connect(fill_report_figures, sender=self)
        calendar_changed.connect(
            receivers.recount_working_days, dispatch_uid="intake.recount_working_days"
        )
        preview_source_register(receivers.CALENDAR_PREVIEW)
