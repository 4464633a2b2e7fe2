"""What every page of the public postal service shares: the page size, the masked personal numbers
of lists, how a refusal shows in a form, and today's date."""

import datetime as dt

from django.utils import timezone

from onestop import clock
from onestop.errors import DomainError

PAGE_SIZE = 50


def mask(value: str, visible: int = 3) -> str:
    """Personal numbers in lists show only their last digits."""
    if not value:
        return ""
    return "•" * max(len(value) - visible, 0) + value[-visible:]


def _form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _today() -> dt.date:
    return timezone.localdate(clock.now())
