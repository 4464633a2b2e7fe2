from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "notify"
    verbose_name = _("Thông báo cho công dân")

    def ready(self):
        # intake sits below notify and does not import it: the steps tell by intake's signal,
        # sent inside the step's transaction, and notify writes its outbox row in it.
        from intake.signals import dossier_stepped
        from notify import receivers

        dossier_stepped.connect(receivers.message_for_step, dispatch_uid="notify.message_for_step")
