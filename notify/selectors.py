"""What the ward sees of the outbox."""

from __future__ import annotations

from django.db.models import QuerySet

from intake.models import Dossier
from intake.selectors import dossiers_for_user
from notify.models import Message
from onestop.models import User

NEEDS_ATTENTION = (Message.State.FAILED, Message.State.UNDELIVERABLE)


def messages_for_dossier(*, user: User, dossier: Dossier) -> QuerySet[Message]:
    """The messages of one dossier the user may read (none for a dossier out of their scope)."""
    return Message.objects.filter(
        dossier__in=dossiers_for_user(user=user).filter(pk=dossier.pk).values("pk")
    ).order_by("created_at", "id")


def undelivered_count(*, user: User) -> int:
    """Messages of the user's dossiers that could not be delivered: the ward must tell the
    citizen another way."""
    return Message.objects.filter(
        state__in=NEEDS_ATTENTION, dossier__in=dossiers_for_user(user=user).values("pk")
    ).count()


def undelivered_messages(*, user: User, limit: int = 10) -> list[Message]:
    """The latest messages of the user's dossiers that could not be delivered (at most `limit`)."""
    return list(
        Message.objects.filter(
            state__in=NEEDS_ATTENTION, dossier__in=dossiers_for_user(user=user).values("pk")
        )
        .select_related("dossier")
        .order_by("-created_at", "-id")[:limit]
    )
