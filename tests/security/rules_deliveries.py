"""Deliveries by post: pages and API (issue 5)."""

from postal.deliveries.services import AddressInput, delivery_send
from tests.intake.factories import DossierFactory
from tests.security.matrix import LOGIN, WARD_STAFF, Rule, everyone

ADDRESS = AddressInput(
    recipient_name="Nguyễn Thị Mai",
    recipient_phone="0912345678",
    street="12 Yersin",
    ward_name="Phường Phú Cường",
    city_name="Thành phố Thủ Dầu Một",
    province_name="Bình Dương",
)


def _with_deliveries(world):
    # Numbers far from the receipt's own, so the codes never meet.
    world.ready_dossier = DossierFactory(ward=world.ward, result_ready=True, number=9001)
    sent = DossierFactory(ward=world.ward, result_ready=True, number=9002)
    world.delivery = delivery_send(
        user=world.postal_worker, code=sent.code, address=ADDRESS, waybill_code="EL123456785VN"
    )


EXTENSIONS = [_with_deliveries]

READERS = {**dict.fromkeys(WARD_STAFF, 200), "city_admin": 200}
OWN_WARD_STAFF = dict.fromkeys(WARD_STAFF, 200)
OTHER_WARD_STAFF = dict.fromkeys(("other_postal_worker", "other_officer", "other_chief"), 200)


def _delivery(world):
    return {"delivery_id": world.delivery.pk}


def _quote(world):
    return {"ho_so": world.dossier.code, "city_name": "Thủ Dầu Một", "province_name": ""}


RULES = [
    Rule("deliveries:list", everyone(200)),
    Rule("deliveries:tariff", everyone(200)),
    Rule(
        "deliveries:handover",
        {"anonymous": LOGIN, **OWN_WARD_STAFF, **OTHER_WARD_STAFF},
        default=403,
    ),
    Rule("deliveries:quote", {"anonymous": LOGIN, **READERS}, data=_quote),
    Rule("deliveries:detail", {"anonymous": LOGIN, **READERS}, kwargs=_delivery),
    Rule(
        "deliveries:step",
        {"anonymous": LOGIN, **dict.fromkeys(WARD_STAFF, 302), "city_admin": 403},
        kwargs=_delivery,
        method="post",
        data=lambda w: {"to": "handed_to_post"},
    ),
    Rule(
        "deliveries:send",
        {"anonymous": LOGIN, **OWN_WARD_STAFF, "city_admin": 403},
        kwargs=lambda w: {"code": w.ready_dossier.code},
    ),
    Rule(
        "deliveries:dossier-postal",
        {"anonymous": LOGIN, **READERS},
        kwargs=lambda w: {"code": w.dossier.code},
    ),
    Rule("delivery-list", everyone(200, anonymous=403)),
    Rule("delivery-detail", {"anonymous": 403, **READERS}, kwargs=lambda w: {"pk": w.delivery.pk}),
    Rule(
        "delivery-transitions",
        {"anonymous": 403, **dict.fromkeys(WARD_STAFF, 200), "city_admin": 403},
        kwargs=lambda w: {"pk": w.delivery.pk},
        method="post",
        data=lambda w: {"to": "handed_to_post"},
    ),
    # The dossier is named in the query: outside the caller's scope it is a 400 on that field.
    Rule(
        "delivery-quote",
        {"anonymous": 403, **READERS},
        default=400,
        data=lambda w: {"dossier": w.dossier.code, "city_name": "Thủ Dầu Một"},
    ),
]
