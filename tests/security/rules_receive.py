"""Intake form and its htmx helpers, the receipt (page and PDF), and the public status page."""

from django.core.cache import cache

from intake.receipts import status_token
from tests.security.matrix import LOGIN, OTHER_WARD_STAFF, WARD_STAFF, Rule, everyone

# Any ward's staff receive at their own counter; city admins never receive.
COUNTER_STAFF = {
    "anonymous": LOGIN,
    **dict.fromkeys((*WARD_STAFF, *OTHER_WARD_STAFF), 200),
    "city_admin": 403,
    "other_city_admin": 403,
}
# The dossier's readers: its ward's staff and its city's admin; anyone else gets a 404.
DOSSIER_READERS = {"anonymous": LOGIN, **dict.fromkeys((*WARD_STAFF, "city_admin"), 200)}


RULES = [
    Rule("intake:receive", COUNTER_STAFF),
    Rule("intake:receive-procedures", COUNTER_STAFF, query="?q=dang+ky"),
    # No procedure chosen yet: the empty panel and no appointment.
    Rule("intake:receive-procedure", COUNTER_STAFF),
    Rule("intake:receive-appointment", COUNTER_STAFF),
    # The scanner script's card reader (POST only; it says in its answer when it read no card).
    Rule(
        "intake:receive-card",
        COUNTER_STAFF,
        method="post",
        data=lambda w: {"payload": "not a card"},
    ),
    Rule("intake:receipt", DOSSIER_READERS, kwargs=lambda w: {"code": w.dossier.code}),
    Rule("intake:receipt-pdf", DOSSIER_READERS, kwargs=lambda w: {"code": w.dossier.code}),
    Rule("intake:public-lookup", everyone(200, anonymous=200)),
    Rule(
        "intake:public-status",
        everyone(200, anonymous=200),
        kwargs=lambda w: {"token": status_token(w.dossier)},
    ),
]


def _fresh_lookup_window(world):
    # Each rule walks nine callers from one address; the rate limit starts from zero per test.
    cache.clear()


EXTENSIONS = [_fresh_lookup_window]
