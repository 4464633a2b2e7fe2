"""Template tags of the postal service: the failed deliveries a counter must act on."""

from django import template

from postal.deliveries.selectors import failed_deliveries

register = template.Library()


@register.inclusion_tag("postal/deliveries/_failed_panel.html", takes_context=True)
def failed_deliveries_panel(context):
    """Results the post could not deliver, for the page of whoever is at the counter."""
    return {"failed": list(failed_deliveries(user=context["request"].user)[:10])}
