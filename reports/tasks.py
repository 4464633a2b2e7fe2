"""Report work that runs off the request: the Mẫu 06 logbook of a long period in Excel."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from onestop.tasks import Run, background, export_file_save
from reports import exports, selectors
from reports.periods import Period

# Progress is counted every this many rows (and written at most twice a second).
PROGRESS_STEP = 100


def period_arguments(period: Period) -> dict:
    """A period as a task's JSON arguments."""
    return {
        "first": period.first_day.isoformat(),
        "last": period.last_day.isoformat(),
        "kind": period.kind,
        "cutoff": period.cutoff,
    }


def period_from_arguments(arguments: dict) -> Period:
    return Period(
        first_day=dt.date.fromisoformat(arguments["first"]),
        last_day=dt.date.fromisoformat(arguments["last"]),
        kind=arguments["kind"],
        cutoff=bool(arguments["cutoff"]),
    )


def logbook_file_name(slug: str, period: Period) -> str:
    return f"so-theo-doi-{slug}-{period.first_day:%Y%m%d}-{period.last_day:%Y%m%d}.xlsx"


@background(label=_("Sổ theo dõi hồ sơ (Excel)"))
def logbook_export(run: Run, *, ward: str, period: dict, language: str = "vi") -> dict:
    """The logbook of `ward` (slug) for `period`, read with its requester's scope as it is now."""
    user = run.requested_by
    if user is None:
        raise PermissionError("a logbook is made for the person who asked for it")
    chosen = period_from_arguments(period)
    with translation.override(language):
        place = selectors.report_ward(user=user, slug=ward)
        entries = selectors.logbook_entries(user=user, ward=place, period=chosen)
        total = entries.count()
        run.progress(0, total, force=True)

        def rows():
            for number, dossier in enumerate(entries.iterator(chunk_size=2000), start=1):
                if number % PROGRESS_STEP == 0:
                    run.progress(number)
                yield dossier

        content = exports.logbook_workbook(rows(), ward=place, period=chosen)
    name = logbook_file_name(ward, chosen)
    with run.finishing() as result:
        export_file_save(record=run.record, name=name, content=content, content_type=exports.XLSX)
        result.update({"rows": total, "name": name})
    return run.result
