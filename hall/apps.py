from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallConfig(AppConfig):
    name = "hall"
    verbose_name = _("Xếp hàng tại bộ phận một cửa")

    def ready(self):
        # intake and postal sit below hall and do not import it: they tell what was done at the
        # counter by their own signals, and hall links the ticket being served to it.
        from hall import figures, receivers
        from intake.figures import KeptFigures, figures_register
        from intake.signals import dossier_received, dossier_returned
        from postal.signals import guidance_logged

        dossier_received.connect(receivers.link_received, dispatch_uid="hall.link_received")
        dossier_returned.connect(receivers.link_returned, dispatch_uid="hall.link_returned")
        guidance_logged.connect(receivers.link_guidance, dispatch_uid="hall.link_guidance")
        figures_register(
            KeptFigures(
                name="hall.DailyHallFigures",
                rebuild=figures.rebuild,
                differences=figures.differences,
                not_built=figures.not_built,
            )
        )
