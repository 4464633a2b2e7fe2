"""A dossier's status and receiver as badges, one place for their words and colours.

Tags rather than an included template: the dossier list shows fifty of each per page, and a
tag costs a fraction of an include and of `get_FOO_display` (which rebuilds the choices' lookup
table, translating every label, on each call). Each badge is drawn once per value and language.
"""

import functools

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from intake.models import ReceiverKind, Status

register = template.Library()

# The badge colour of each status; the others are "info".
STATUS_TONES = {
    Status.RETURNED: "ok",
    Status.RESULT_READY: "ok",
    Status.REFUSED: "bad",
    Status.WITHDRAWN: "bad",
    Status.NEEDS_SUPPLEMENT: "warn",
    Status.IN_DELIVERY: "postal",
}
STATUS_LABELS = dict(Status.choices)
RECEIVER_LABELS = dict(ReceiverKind.choices)


@functools.lru_cache(maxsize=256)
def _status_badge(status: str, language: str | None) -> str:
    return format_html(
        '<span class="badge status-{} {}">{}</span>',
        status,
        STATUS_TONES.get(status, "info"),
        STATUS_LABELS.get(status, status),
    )


@functools.lru_cache(maxsize=64)
def _receiver_badge(kind: str, language: str | None) -> str:
    return format_html(
        '<span class="badge {}">{}</span>',
        "postal" if kind == ReceiverKind.POSTAL_WORKER else "info",
        RECEIVER_LABELS.get(kind, kind),
    )


def _badge(draw, value):
    """The badge drawn once per value and language (an unusual value is drawn each time)."""
    try:
        return draw(value, get_language())
    except TypeError:  # unhashable
        return draw.__wrapped__(value, get_language())


@register.simple_tag
def status_badge(dossier):
    """The status in words, coloured by what it means for the citizen."""
    return _badge(_status_badge, dossier.status)


@register.simple_tag
def receiver_badge(dossier):
    """Who received the dossier: a postal worker or an officer (the pilot's comparison)."""
    return _badge(_receiver_badge, dossier.receiver_kind)
