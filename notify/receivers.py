"""What notify does when intake tells of a step (NotifyConfig.ready)."""

from notify.services import message_record


def message_for_step(sender, *, dossier, user, event, **kwargs) -> None:
    message_record(dossier=dossier, event=event)
