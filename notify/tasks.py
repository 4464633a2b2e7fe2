"""Sending the outbox's messages as background work (onestop.tasks): once, retried with backoff
on a temporary failure, marked undeliverable after the last attempt."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notify.channels import Refused, channel_for
from notify.models import Message
from onestop.tasks import Run, TemporaryFailure, background


@background(label=_("Gửi thông báo cho công dân"))
def message_send(run: Run, *, message_id: int) -> dict:
    message = Message.objects.select_related("dossier__ward__city").get(pk=message_id)
    rows = Message.objects.filter(pk=message.pk)
    if message.state == Message.State.SENT:
        # Sent by an earlier run whose mark "done" was lost: never twice.
        return {"provider_id": message.provider_id}
    rows.update(attempts=run.record.attempts)
    channel = channel_for(message.channel, message.dossier.ward.city.code)
    try:
        provider_id = channel.send(message)
    except TemporaryFailure as error:
        last = run.record.attempts >= run.record.max_attempts
        rows.update(
            state=Message.State.UNDELIVERABLE if last else Message.State.WAITING,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        raise
    except Refused as error:
        rows.update(state=Message.State.FAILED, last_error=str(error))
        raise
    with run.finishing() as result:
        rows.update(
            state=Message.State.SENT,
            provider_id=provider_id,
            sent_at=timezone.now(),
            last_error="",
        )
        result["provider_id"] = provider_id
    return run.result
