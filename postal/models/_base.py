"""What the postal logs share: a row written once and never changed, and a history line (when it
happened, who did it)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.fields import actor_field


class AppendOnly(models.Model):
    """A log row: written once, never changed or removed."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} rows are append-only.")


class HistoryEntry(AppendOnly):
    """One line of a history: when it happened and who did it."""

    at = models.DateTimeField(_("thời điểm"))
    actor = actor_field(_("người thực hiện"))

    class Meta:
        abstract = True
