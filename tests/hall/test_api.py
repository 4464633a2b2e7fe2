"""`/api/v1/hall/`: tickets for kiosks, call next for counters, the display's state."""

import pytest
from rest_framework.test import APIClient

from hall.devices import device_key
from hall.models import Evaluation, Ticket
from hall.services import device_revoke, ticket_issue

TICKETS = "/api/v1/hall/tickets/"
CALL_NEXT = "/api/v1/hall/call-next/"
DISPLAY = "/api/v1/hall/display/"


def device_client(device) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {device_key(device)}")
    return client


@pytest.fixture
def staff(hall):
    client = APIClient()
    client.force_authenticate(hall.postal_worker)
    return client


def test_a_kiosk_creates_a_ticket(hall):
    response = device_client(hall.kiosk).post(TICKETS, {"group": hall.intake.pk}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["number"] == 1001 and response.json()["ahead"] == 0


def test_bad_input_is_400_never_500(hall, staff):
    assert staff.post(TICKETS, {"group": "x"}, format="json").status_code == 400
    assert staff.post(TICKETS, [1], format="json").status_code == 400
    other = staff.post(TICKETS, {"group": hall.other_group.pk}, format="json")
    assert other.status_code == 400 and "group" in other.json()


def test_a_revoked_or_wrong_kind_device_is_refused(hall):
    display = device_client(hall.display)
    assert display.post(TICKETS, {"group": hall.intake.pk}, format="json").status_code in (
        401,
        403,
    )
    device_revoke(user=hall.chief, device_id=hall.kiosk.pk)
    response = device_client(hall.kiosk).post(TICKETS, {"group": hall.intake.pk}, format="json")
    assert response.status_code in (401, 403)
    assert "thu hồi" in response.json()["detail"]
    assert not Ticket.objects.exists()


def test_a_group_without_counter_is_409(hall, staff):
    hall.intake.counters.clear()
    response = staff.post(TICKETS, {"group": hall.intake.pk}, format="json")
    assert response.status_code == 409
    assert "chưa có quầy" in response.json()["detail"]


def test_call_next_and_the_display(hall, staff):
    ticket_issue(group=hall.intake, device=hall.kiosk)
    empty = staff.post(CALL_NEXT, {"counter": hall.officer_counter.number}, format="json")
    assert empty.status_code == 200 and empty.json()["ticket"] is None
    called = staff.post(CALL_NEXT, {"counter": hall.postal_counter.number}, format="json")
    assert called.json()["ticket"]["number"] == 1001
    assert called.json()["detail"] == "Mời công dân số 1001 đến quầy số 1"
    state = device_client(hall.display).get(DISPLAY).json()
    assert {"counter": 1, "number": 1001} in state["counters"]
    assert state["last_calls"][0]["number"] == 1001
    assert staff.get(DISPLAY).status_code == 200


def test_call_next_refuses_an_unknown_counter_and_a_city_admin(hall, staff):
    assert staff.post(CALL_NEXT, {"counter": 99}, format="json").status_code == 400
    admin = APIClient()
    admin.force_authenticate(hall.city_admin)
    assert admin.post(CALL_NEXT, {}, format="json").status_code == 403
    assert admin.get(DISPLAY).status_code == 403


def test_another_wards_ticket_is_404(hall):
    ticket = ticket_issue(group=hall.intake, device=hall.kiosk)
    other = APIClient()
    other.force_authenticate(hall.other_postal_worker)
    assert other.get(f"{TICKETS}{ticket.pk}/").status_code == 404
    mine = APIClient()
    mine.force_authenticate(hall.officer)
    assert mine.get(f"{TICKETS}{ticket.pk}/").json()["number"] == 1001


EVALUATIONS = "/api/v1/hall/evaluations/"


@pytest.fixture
def rated(hall, morning):
    from hall.services import device_create
    from tests.intake.factories import DossierFactory

    hall.tablet = device_create(
        user=hall.chief, kind="evaluation", name="Máy tính bảng", counter=hall.officer_counter
    )
    hall.dossier = DossierFactory(ward=hall.ward, returned=True, satisfaction=None)
    return hall


def test_an_evaluation_through_the_api_once(rated, staff):
    body = {"dossier": rated.dossier.code, "satisfaction": 5, "contacts": 2, "attitude": None}
    response = staff.post(EVALUATIONS, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["dossier"], data["channel"], data["contacts"], data["attitude"]) == (
        rated.dossier.code,
        "api",
        2,
        None,
    )
    again = staff.post(EVALUATIONS, {**body, "satisfaction": 1}, format="json")
    assert again.status_code == 409
    assert "đã được đánh giá" in again.json()["detail"]
    rated.dossier.refresh_from_db()
    assert rated.dossier.satisfaction == 5


def test_a_tablet_submits_with_its_key(rated):
    body = {"dossier": rated.dossier.code, "satisfaction": 4}
    response = device_client(rated.tablet).post(EVALUATIONS, body, format="json")
    assert response.status_code == 201 and response.json()["counter"] == 2
    kiosk = device_client(rated.kiosk).post(EVALUATIONS, body, format="json")
    assert kiosk.status_code in (401, 403)


def test_evaluation_api_errors(rated, staff):
    from tests.intake.factories import DossierFactory

    code = rated.dossier.code
    bad = staff.post(EVALUATIONS, {"dossier": code, "satisfaction": 7, "contacts": 3}, "json")
    assert bad.status_code == 400 and {"satisfaction", "contacts"} <= set(bad.json())
    assert staff.post(EVALUATIONS, [1], format="json").status_code == 400
    long = staff.post(
        EVALUATIONS, {"dossier": code, "satisfaction": 3, "comment": "x" * 501}, "json"
    )
    assert long.status_code == 400 and "comment" in long.json()
    other = DossierFactory(ward=rated.other_ward, returned=True)
    missing = staff.post(EVALUATIONS, {"dossier": other.code, "satisfaction": 3}, "json")
    assert missing.status_code == 404
    open_dossier = DossierFactory(ward=rated.ward, processing=True)
    early = staff.post(EVALUATIONS, {"dossier": open_dossier.code, "satisfaction": 3}, "json")
    assert early.status_code == 409 and "chưa trả kết quả" in early.json()["detail"]
    admin = APIClient()
    admin.force_authenticate(rated.city_admin)
    assert admin.post(EVALUATIONS, {"dossier": code, "satisfaction": 3}, "json").status_code == 403
    device_revoke(user=rated.chief, device_id=rated.tablet.pk)
    revoked = device_client(rated.tablet).post(
        EVALUATIONS, {"dossier": code, "satisfaction": 3}, "json"
    )
    assert revoked.status_code in (401, 403) and "thu hồi" in revoked.json()["detail"]
    assert not Evaluation.objects.exists()
    assert APIClient().post(EVALUATIONS, {"dossier": code}, "json").status_code in (401, 403)
