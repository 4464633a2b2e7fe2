"""No hard deletes: the records named in `settings.PROTECTED_FROM_DELETE` refuse to be deleted.

Dossiers, people, procedures, counters, assignments and the other records with a history are
deactivated, cancelled, revoked or superseded — never deleted. One receiver, connected to
`pre_delete` of each protected model when the project starts, raises before any row goes,
whichever code path asks: `instance.delete()`, `queryset.delete()`, a cascade, the admin, an
API view. (Because a receiver listens, Django cannot take its signal-free fast delete for these
models either.) Only raw SQL bypasses it; on PostgreSQL the dossier events and the personal-data
access log also have triggers for that.
"""

from django.apps import apps
from django.conf import settings
from django.db.models import ProtectedError
from django.db.models.signals import pre_delete


class HardDeleteRefused(ProtectedError):
    """Raised instead of deleting a protected record (a ProtectedError, as Django's own)."""


def refuse_delete(sender, instance, **kwargs):
    raise HardDeleteRefused(
        f"{sender._meta.label} is never deleted (PROTECTED_FROM_DELETE): deactivate, cancel "
        f"or revoke it instead.",
        {instance},
    )


def protected_models() -> list:
    """The models of `settings.PROTECTED_FROM_DELETE` ("app_label.ModelName")."""
    return [apps.get_model(label) for label in getattr(settings, "PROTECTED_FROM_DELETE", [])]


def connect_delete_guard() -> None:
    for model in protected_models():
        pre_delete.connect(
            refuse_delete, sender=model, dispatch_uid=f"onestop.no-delete.{model._meta.label}"
        )
