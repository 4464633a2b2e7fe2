"""Model fields that the apps declare alike."""

from django.conf import settings
from django.db import models


def actor_field(verbose_name, *, optional: bool = False) -> models.ForeignKey:
    """The user who did something to a row (created, closed, revoked it…).

    The user is kept as long as the row (PROTECT), and User gets no reverse accessor: nobody
    lists a user's rows through it. `optional` for a step that may not have happened yet.
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name="+",
        null=optional,
        blank=optional,
    )
