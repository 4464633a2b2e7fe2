"""The counter hall: the kiosk and display (a device key, no login), the citizen's ticket and
follow page (a signed link), the evaluation (tablet, the receipt's QR page, the worker's invite,
the list behind the reports), the counter's calling panel, the chief's settings and dashboard
panel, the ticket list behind the figures, and the API."""

from hall.devices import link_token
from hall.services import ticket_issue
from hall.views.devices import ticket_token
from intake.receipts import status_token
from tests.hall.factories import ServiceGroupFactory, make_device
from tests.intake.factories import DossierFactory
from tests.security.matrix import LOGIN, OTHER_WARD_STAFF, WARD_STAFF, Rule, everyone

CITY_ADMINS = {"city_admin": 403, "other_city_admin": 403}


def ward_staff(status: int, *, other_ward: int = 404) -> dict:
    return {
        "anonymous": LOGIN,
        **dict.fromkeys(WARD_STAFF, status),
        **dict.fromkeys(OTHER_WARD_STAFF, other_ward),
        **CITY_ADMINS,
    }


def chief_only(status: int, *, other_chief: int = 404) -> dict:
    return {
        "anonymous": LOGIN,
        **dict.fromkeys(WARD_STAFF + OTHER_WARD_STAFF, 403),
        **CITY_ADMINS,
        "chief": status,
        "other_chief": other_chief,
    }


def api_ward(status: int, *, other_ward: int) -> dict:
    return {
        "anonymous": 403,
        **dict.fromkeys(WARD_STAFF, status),
        **dict.fromkeys(OTHER_WARD_STAFF, other_ward),
        **CITY_ADMINS,
    }


def extend(world):
    world.hall_group = ServiceGroupFactory(
        ward=world.ward, name="Tiếp nhận hồ sơ", counters=[world.postal_counter]
    )
    world.kiosk = make_device(world.chief)
    world.hall_ticket = ticket_issue(group=world.hall_group, device=world.kiosk)
    world.rated_dossier = DossierFactory(ward=world.ward, returned=True)
    # Not returned yet: the evaluation API answers its callers without recording anything.
    world.open_dossier = DossierFactory(ward=world.ward, processing=True)


EXTENSIONS = [extend]

# A signed-in person is no device: without a device's cookie the kiosk and display refuse.
DEVICE_ONLY = everyone(403, anonymous=403)

RULES = [
    Rule("hall:kiosk", DEVICE_ONLY),
    Rule("hall:kiosk-issue", DEVICE_ONLY, method="post"),
    Rule("hall:display", DEVICE_ONLY),
    Rule("hall:display-state", DEVICE_ONLY),
    Rule(
        "hall:device-link",
        everyone(302, anonymous=302),
        kwargs=lambda w: {"token": link_token(w.kiosk)},
    ),
    Rule(
        "hall:ticket-print",
        everyone(200, anonymous=200),
        kwargs=lambda w: {"token": ticket_token(w.hall_ticket)},
    ),
    Rule(
        "hall:follow",
        everyone(200, anonymous=200),
        kwargs=lambda w: {"token": ticket_token(w.hall_ticket)},
    ),
    # -- the citizen's evaluation --
    Rule("hall:tablet", DEVICE_ONLY),
    Rule("hall:tablet-submit", DEVICE_ONLY, method="post"),
    # Without a tablet's cookie the poll answers "reload", which shows the refusal.
    Rule("hall:tablet-state", everyone(200, anonymous=200)),
    Rule(
        "hall:evaluate",
        everyone(200, anonymous=200),
        kwargs=lambda w: {"token": status_token(w.rated_dossier)},
    ),
    Rule(
        "hall:evaluation-invite",
        {**ward_staff(200), "city_admin": 404, "other_city_admin": 404},
        kwargs=lambda w: {"code": w.rated_dossier.code},
    ),
    Rule("hall:evaluations", everyone(200)),
    Rule("hall:desk", ward_staff(200, other_ward=200)),
    Rule("hall:desk-next", ward_staff(302, other_ward=302), method="post"),
    *(
        Rule(name, ward_staff(302), kwargs=lambda w: {"pk": w.hall_ticket.pk}, method="post")
        for name in ("hall:ticket-recall", "hall:ticket-skip", "hall:ticket-done")
    ),
    Rule(
        "hall:ticket-transfer",
        ward_staff(302),
        kwargs=lambda w: {"pk": w.hall_ticket.pk},
        method="post",
        data=lambda w: {"group": w.hall_group.pk},
    ),
    Rule("hall:settings", chief_only(200, other_chief=200)),
    # The chief's dashboard panel: each chief their own ward's hall.
    Rule("hall:board", chief_only(200, other_chief=200)),
    # The tickets behind the figures, filtered to the home ward: its chief and its city's admin;
    # another ward's chief or another city's admin asked for it gets 404, counter staff too.
    Rule(
        "hall:ticket-list",
        {"anonymous": LOGIN, "chief": 200, "city_admin": 200},
        query="?ward=phuhoa",
    ),
    Rule(
        "hall:group",
        chief_only(302),
        kwargs=lambda w: {"pk": w.hall_group.pk},
        method="post",
    ),
    Rule(
        "hall:device-create",
        chief_only(302, other_chief=302),
        method="post",
        data=lambda w: {"kind": "display", "name": "Màn hình sảnh"},
    ),
    Rule(
        "hall:device-revoke",
        chief_only(302),
        kwargs=lambda w: {"pk": w.kiosk.pk},
        method="post",
    ),
    # -- API --
    Rule(
        "hall-ticket-create",
        api_ward(201, other_ward=400),
        method="post",
        data=lambda w: {"group": w.hall_group.pk},
    ),
    Rule(
        "hall-ticket-detail",
        {**api_ward(200, other_ward=404), "city_admin": 404, "other_city_admin": 404},
        kwargs=lambda w: {"pk": w.hall_ticket.pk},
    ),
    Rule(
        "hall-call-next",
        api_ward(200, other_ward=200),
        method="post",
        data=lambda w: {"counter": 1},
    ),
    Rule("hall-display", api_ward(200, other_ward=200)),
    Rule(
        "hall-evaluation-create",
        api_ward(409, other_ward=404),
        method="post",
        data=lambda w: {"dossier": w.open_dossier.code, "satisfaction": 4},
    ),
]
