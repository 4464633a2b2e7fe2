"""What the intake and the lifecycle steps share: the working calendar, the desk, notes."""

import contextlib
import contextvars
import datetime as dt

from intake.editions import edition_for
from onestop.errors import InvalidInput
from wards import calendar
from wards.models import Ward
from wards.selectors import working_calendar


def desk_name(ward: Ward, received_at: dt.datetime) -> str:
    """The receiving unit as the hand-overs name it, under the edition of the dossier's receipt.

    demo/generate/plan.py writes the same names for the generated dossiers.
    """
    return edition_for(received_at).unit_name(ward)


def calendar_for(city_id: int) -> calendar.WorkingCalendar:
    """The city's working calendar; read once per city inside `calendars_cached()`."""
    cached = _calendar_cache.get()
    if cached is not None:
        if city_id not in cached:
            cached[city_id] = working_calendar(city_id=city_id)
        return cached[city_id]
    return working_calendar(city_id=city_id)


_calendar_cache: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "onestop_calendar_cache", default=None
)


@contextlib.contextmanager
def calendars_cached():
    """Within the block, each city's working calendar is read from the database once.

    For replays of many intakes (demo data, data entry batches) during which nobody edits the
    calendar; interactive requests always read the current calendar.
    """
    token = _calendar_cache.set({})
    try:
        yield
    finally:
        _calendar_cache.reset(token)


def require_note(note: str, message: str) -> None:
    if not note:
        raise InvalidInput(message, field="note")
