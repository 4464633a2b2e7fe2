"""A dossier's status and receiver as badges, one place for their words and colours.

Tags rather than an included template: the dossier list shows fifty of each per page, and a
tag costs a fraction of an include and of `get_FOO_display` (which rebuilds the choices' lookup
table, translating every label, on each call).
"""

from django import template
from django.utils.html import format_html

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


@register.simple_tag
def status_badge(dossier):
    """The status in words, coloured by what it means for the citizen."""
    status = dossier.status
    return format_html(
        '<span class="badge status-{} {}">{}</span>',
        status,
        STATUS_TONES.get(status, "info"),
        STATUS_LABELS.get(status, status),
    )


@register.simple_tag
def receiver_badge(dossier):
    """Who received the dossier: a postal worker or an officer (the pilot's comparison)."""
    kind = dossier.receiver_kind
    return format_html(
        '<span class="badge {}">{}</span>',
        "postal" if kind == ReceiverKind.POSTAL_WORKER else "info",
        RECEIVER_LABELS.get(kind, kind),
    )
