"""What the intake and the lifecycle steps share: the working calendar, the desk, notes."""

import contextlib
import contextvars

from django.utils.translation import gettext as _

from onestop.errors import InvalidInput
from wards import calendar
from wards.models import Ward
from wards.selectors import working_calendar


def desk_name(ward: Ward) -> str:
    return _("Bộ phận một cửa %(ward)s") % {"ward": ward}


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
