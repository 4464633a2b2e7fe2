"""The daily report figures, per ward and per ward and procedure."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from intake.models.catalogue import Procedure


class FigureColumns(models.Model):
    """The report figures of one day (intake.figures says what each column counts).

    Flow columns count what happened on the day: receipts by channel and receiver, results by
    timeliness, returns, refusals, withdrawals. The stock of dossiers in hand on a day is the
    sum of receipts minus finishes over the days before it, and the overdue ones among them the
    sum of `overdue_from - overdue_until`, so a report over any range of days reads these rows
    instead of the dossiers. `manage.py check_report_figures` proves they equal the figures
    recomputed from the dossiers.
    """

    day = models.DateField(_("ngày"))
    received_online = models.IntegerField(default=0)
    received_direct = models.IntegerField(default=0)
    received_postal = models.IntegerField(default=0)
    received_postal_worker = models.IntegerField(default=0)
    received_officer = models.IntegerField(default=0)
    out_of_list = models.IntegerField(default=0)
    digitised = models.IntegerField(default=0)
    resolved_early = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    resolved_late = models.IntegerField(default=0)
    resolved_postal_worker = models.IntegerField(default=0)
    resolved_officer = models.IntegerField(default=0)
    punctual_postal_worker = models.IntegerField(default=0)
    punctual_officer = models.IntegerField(default=0)
    paused_seconds = models.BigIntegerField(default=0)
    working_days = models.IntegerField(default=0)
    returned_postal_worker = models.IntegerField(default=0)
    returned_officer = models.IntegerField(default=0)
    returned_counter = models.IntegerField(default=0)
    returned_post = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    refused = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    overdue_from = models.IntegerField(default=0)
    overdue_until = models.IntegerField(default=0)

    class Meta:
        abstract = True


class DailyFigures(FigureColumns):
    """A ward's report figures for one local day: what the ward and city reports read."""

    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("số liệu báo cáo theo ngày")
        verbose_name_plural = _("số liệu báo cáo theo ngày")
        constraints = [
            models.UniqueConstraint(fields=["ward", "day"], name="daily_figures_ward_day"),
        ]

    def __str__(self) -> str:
        return f"{self.ward_id} {self.day:%d/%m/%Y}"


class DailyProcedureFigures(FigureColumns):
    """The same figures per procedure: a ward's Biểu 06 by field (lĩnh vực) reads these."""

    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("số liệu báo cáo theo ngày và thủ tục")
        verbose_name_plural = _("số liệu báo cáo theo ngày và thủ tục")
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "procedure", "day"], name="daily_procedure_figures_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ward_id} {self.procedure_id} {self.day:%d/%m/%Y}"
