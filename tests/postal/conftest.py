import datetime as dt

import pytest

from onestop import clock
from wards.calendar import VIETNAM_TZ

# Planning happens on Friday 06/03/2026 for the week of Monday 09/03/2026.
FRIDAY = dt.datetime(2026, 3, 6, 10, 0, tzinfo=VIETNAM_TZ)
MONDAY = dt.date(2026, 3, 9)
TUESDAY = dt.date(2026, 3, 10)


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


@pytest.fixture
def friday():
    """Services act on Friday 06/03/2026 at 10:00."""
    with clock.frozen_at(FRIDAY):
        yield FRIDAY
