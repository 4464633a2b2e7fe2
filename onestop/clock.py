"""The current time as services see it.

Services ask this module, not `timezone.now()`, so that demo data and data generators can
replay a year of counter work through the real services with each step at its own time.
"""

import contextlib
import contextvars
import datetime as dt

from django.utils import timezone

_frozen: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "onestop_clock", default=None
)


def now() -> dt.datetime:
    return _frozen.get() or timezone.now()


@contextlib.contextmanager
def frozen_at(moment: dt.datetime):
    """Within the block, services act as if it were `moment` (aware datetime)."""
    if timezone.is_naive(moment):
        raise ValueError("frozen_at needs an aware datetime")
    token = _frozen.set(moment)
    try:
        yield
    finally:
        _frozen.reset(token)
