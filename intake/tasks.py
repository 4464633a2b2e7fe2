"""Intake work that runs off the request: rebuilding the daily report figures."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from intake import figures
from onestop.tasks import Run, background
from wards.models import Ward


@background(label=_("Tính lại bảng số liệu báo cáo theo ngày"))
def figures_rebuild(run: Run) -> dict:
    """`check_report_figures --rebuild`, one ward at a time so that its progress shows.

    Rebuilding overwrites each ward's rows with what its dossiers say, so a run taken up again
    after a failure writes the same figures, not more of them.
    """
    ward_ids = list(Ward.objects.order_by("pk").values_list("pk", flat=True))
    run.progress(0, len(ward_ids), force=True)
    written = 0
    for done, ward_id in enumerate(ward_ids, start=1):
        written += figures.rebuild([ward_id])
        run.progress(done)
    return {"rows": written, "wards": len(ward_ids)}
