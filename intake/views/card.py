"""The chip ID card's QR payload, read for the scanner script at intake and return."""

from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from intake.cccd import NotACard, read_card
from intake.views.receive import counter_staff_required
from onestop import clock

# A card's payload is a few hundred characters; anything much longer is not one.
MAX_PAYLOAD = 2000


@counter_staff_required
@require_POST
@never_cache
def card_read_view(request):
    """The card's fields and what disagrees in them, or `error` saying why it is no card.

    A page helper, not the API: it answers 200 with what it read either way (pages keep their
    400s for the Vietnamese error page). The payload comes in the POST body, never in the URL,
    so that no access log keeps it; it is read here and forgotten.
    """
    try:
        card = read_card(
            request.POST.get("payload", "")[:MAX_PAYLOAD], today=timezone.localdate(clock.now())
        )
    except NotACard as error:
        return JsonResponse({"error": error.message})
    birth = card.birth_date
    return JsonResponse(
        {
            "fields": {
                "id": card.id_number,
                "name": card.name,
                "birth_year": birth.year if birth else "",
                "birth_date": birth.isoformat() if birth else "",
                "sex": card.sex,
                "address": card.address,
            },
            "filled": _("Đã điền từ thẻ CCCD:"),
            "problems": (
                [_("Mã QR của thẻ CCCD có thông tin không khớp:"), *card.problems]
                if card.problems
                else []
            ),
        }
    )
