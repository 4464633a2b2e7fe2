"""The outbox's writes: a message recorded with the step that owes it, then its sending."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from intake.lifecycle import Action
from intake.models import Dossier, DossierEvent, NotifyConsent
from notify import texts
from notify.channels import channel_for
from notify.models import Message

# Which step owes the citizen which message.
KIND_OF_STEP = {
    Action.RESOLVE: Message.Kind.RESULT_READY,
    Action.REQUEST_SUPPLEMENT: Message.Kind.SUPPLEMENT,
    Action.APOLOGISE: Message.Kind.NEW_DATE,
    Action.DELIVERY_FAILED: Message.Kind.DELIVERY_FAILED,
}


def message_record(*, dossier: Dossier, event: DossierEvent) -> Message | None:
    """Write the message `event` owes the citizen, if any and if they agreed to be told, and
    have it sent once the step's transaction commits. Call inside that transaction."""
    from notify.tasks import message_send
    from onestop.tasks import task_enqueue

    kind = KIND_OF_STEP.get(Action(event.action))
    if kind is None or dossier.notify_consent == NotifyConsent.NONE:
        return None
    channel = dossier.notify_consent
    recipient = dossier.applicant_phone if channel == "sms" else dossier.applicant_email
    if not recipient:
        return None
    city_code = dossier.ward.city.code
    carrier = channel_for(channel, city_code)
    key = f"{dossier.pk}:{kind}:{event.pk}"
    template_id = settings.NOTIFY_SMS_TEMPLATES.get(kind, kind) if channel == "sms" else kind
    message, created = Message.objects.get_or_create(
        key=key,
        defaults={
            "dossier": dossier,
            "event": event,
            "kind": kind,
            "channel": channel,
            "recipient": recipient,
            "template_id": template_id,
            "text": texts.render(
                kind,
                code=dossier.code,
                procedure=dossier.procedure_name,
                date=event.appointment_at,
                ascii_only=carrier.ascii_only,
            ),
            "created_at": timezone.now(),
        },
    )
    if created:
        task_enqueue(
            message_send,
            key=f"notify:{message.pk}",
            subject=f"{message.get_kind_display()} {dossier.code}",
            city_id=dossier.ward.city_id,
            message_id=message.pk,
        )
    return message
