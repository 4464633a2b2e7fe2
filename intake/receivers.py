"""What intake does for the wards' working calendar, connected when the app starts.

wards sits below intake and does not import it: it sends `calendar_changed` and asks a
registered source for the preview's samples and counts (wards.calendar_admin).
"""

from intake import figures, selectors
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
    figures.refresh_working_days(city.wards.values_list("pk", flat=True))
