"""What intake does for the wards' working calendar, connected when the app starts.

wards sits below intake and does not import it: it sends `calendar_changed` and asks a
registered source for the preview's samples and counts (wards.calendar_admin).
"""

from intake import figures, selectors
from intake.apps import figures_not_built
from wards.calendar_admin import PreviewSource
from wards.models import City

CALENDAR_PREVIEW = PreviewSource(
    samples=selectors.calendar_sample_procedures,
    open_due_on=selectors.open_dossiers_due_on,
)


def recount_working_days(sender, *, city: City, **kwargs) -> None:
    """Reports count a result's working days with the city's current calendar.

    Runs inside the transaction that changed the calendar (wards.signals.calendar_changed).
    """
    if figures_not_built():
        # `migrate` loading the official swaps into a database upgraded from before the
        # figures existed: they are built whole after it (IntakeConfig), with the swaps.
        # Counting working days alone first would leave rows that look built.
        return
    figures.refresh_working_days(city.wards.values_list("pk", flat=True))
