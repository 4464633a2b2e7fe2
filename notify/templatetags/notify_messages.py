"""The dossier page's list of messages sent to the citizen (intake's template loads it by name;
intake's code does not import notify)."""

from django import template

from intake.models import NotifyConsent
from notify.selectors import (
    NEEDS_ATTENTION,
    messages_for_dossier,
    undelivered_count,
    undelivered_messages,
)

register = template.Library()


@register.inclusion_tag("notify/dossier_messages.html", takes_context=True)
def dossier_messages(context, dossier):
    messages = []
    # Without the citizen's consent no message is ever written: nothing to look up.
    if dossier.notify_consent != NotifyConsent.NONE:
        messages = list(messages_for_dossier(user=context["request"].user, dossier=dossier))
    return {
        "dossier": dossier,
        "messages": messages,
        "attention": [m for m in messages if m.state in NEEDS_ATTENTION],
    }


@register.inclusion_tag("notify/undelivered.html", takes_context=True)
def undelivered_panel(context):
    """For the chief's dashboard: messages the ward must pass on another way."""
    user = context["request"].user
    count = undelivered_count(user=user)
    return {"count": count, "messages": undelivered_messages(user=user) if count else []}
