"""Object references from another ward are refused, never silently accepted.

A form or an API body that names another ward's counter, worker, authorisation, batch or
dossier is answered with a clear message (a form error, a 400 naming the field) or a 404, and
nothing is written. Field names are the real ones of the forms and serializers.
"""

import uuid

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from intake.models import Dossier, DossierFile
from intake.services import dossier_receive
from onestop import clock
from postal.models import Assignment, DataEntryBatch, DataEntryRecord, ProcedureAuthorization
from postal.services import batch_create
from tests.intake.factories import DossierFactory, ProcedureFactory
from tests.intake.test_files import pdf_bytes
from tests.postal.conftest import FRIDAY
from tests.postal.factories import AssignmentFactory, AuthorizationFactory
from tests.security.snapshot import changed_tables, database_snapshot
from tests.wards.factories import CounterFactory

MONDAY = "2026-03-09"


@pytest.fixture(autouse=True)
def friday():
    """The back office plans on Friday 06/03/2026 for the week of Monday 09/03/2026."""
    with clock.frozen_at(FRIDAY):
        yield


@pytest.fixture
def elsewhere(world):
    """What another ward holds: a counter numbered 7 (the home ward has 1 and 2), its postal
    worker's grant and batch, and one of its dossiers."""
    procedure = ProcedureFactory()
    other = world
    other.far_counter = CounterFactory(ward=world.other_ward, number=7)
    other.other_grant = AuthorizationFactory(
        ward=world.other_ward,
        worker=world.other_postal_worker,
        procedure=procedure,
        granted_by=world.other_chief,
    )
    other.other_batch = batch_create(
        user=world.other_chief,
        title="Hồ sơ giấy phường bên",
        paper_count=3,
        assigned_to=world.other_postal_worker,
    )
    other.other_assignment = AssignmentFactory(
        ward=world.other_ward,
        worker=world.other_postal_worker,
        counter=world.other_counter,
        assigned_by=world.other_chief,
    )
    other.other_dossier = DossierFactory(ward=world.other_ward, result_ready=True, number=9201)
    other.procedure = procedure
    return other


@pytest.fixture
def unchanged(db):
    """Asserts, at the end of the test, that no row of the project's tables changed."""
    before = database_snapshot()
    yield
    after = database_snapshot()
    assert before == after, changed_tables(before, after)


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# --- intake: the counter -------------------------------------------------------------------------


def test_the_intake_form_refuses_another_wards_counter(world, elsewhere, client, unchanged):
    client.force_login(world.officer)
    response = client.post(
        reverse("intake:receive"),
        {
            "procedure": elsewhere.procedure.code,
            "sets": 1,
            "applicant_name": "Nguyễn Thị Mai",
            "applicant_id_number": "074190001234",
            "applicant_phone": "0912345678",
            "applicant_address": "12 Yersin, Phú Hòa",
            "channel": 1,
            "counter": world.other_counter.pk,
            "request_id": str(uuid.uuid4()),
            "components-TOTAL_FORMS": 1,
            "components-INITIAL_FORMS": 0,
            "components-0-included": "on",
            "components-0-name": "Tờ khai",
            "components-0-originals": 1,
            "components-0-copies": 0,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["counter"] == ["Quầy không thuộc phường của bạn."]


def test_the_intake_api_refuses_another_wards_counter(world, elsewhere, unchanged):
    response = api_for(world.officer).post(
        reverse("dossier-list"),
        {
            "procedure": elsewhere.procedure.code,
            "channel": 1,
            "applicant_name": "Nguyễn Thị Mai",
            "applicant_id_number": "074190001234",
            "applicant_address": "12 Yersin, Phú Hòa",
            "counter": 7,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"counter": ["Phường của bạn không có quầy số 7 đang hoạt động."]}


def test_a_step_through_the_api_refuses_another_wards_counter(world, elsewhere):
    dossier = dossier_receive(
        user=world.officer,
        procedure=elsewhere.procedure,
        channel=1,
        applicant_name="Nguyễn Thị Mai",
        applicant_id_number="074190001234",
        applicant_address="12 Yersin, Phú Hòa",
    ).dossier
    before = database_snapshot()
    response = api_for(world.officer).post(
        reverse("dossier-transitions", args=[dossier.code]),
        {"action": "transfer", "counter": 7},
        format="json",
    )
    assert response.status_code == 400
    assert "counter" in response.json()
    assert database_snapshot() == before


# --- the roster: worker and counter ------------------------------------------------------------


def _slot(world, **changes) -> dict:
    return {
        "worker": world.postal_worker.pk,
        "date": MONDAY,
        "shift": "morning",
        "task_type": "intake",
        "counter": world.postal_counter.pk,
        "note": "",
        **changes,
    }


def test_the_roster_form_refuses_another_wards_worker(world, elsewhere, client, unchanged):
    client.force_login(world.chief)
    response = client.post(
        reverse("postal:roster-slot"), _slot(world, worker=world.other_postal_worker.pk)
    )
    assert response.status_code == 404


def test_the_roster_form_refuses_another_wards_counter(world, elsewhere, client, unchanged):
    client.force_login(world.chief)
    response = client.post(
        reverse("postal:roster-slot"), _slot(world, counter=elsewhere.far_counter.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["counter"] == [
        "Quầy không thuộc phường hoặc đã ngừng hoạt động."
    ]


def test_the_roster_form_refuses_to_edit_another_wards_assignment(
    world, elsewhere, client, unchanged
):
    client.force_login(world.chief)
    response = client.post(
        reverse("postal:roster-slot"), _slot(world, assignment=elsewhere.other_assignment.pk)
    )
    assert response.status_code == 404


@pytest.mark.parametrize("assignment", ["abc", "1.5", "-1", "99999999999999999999999"])
def test_the_roster_form_refuses_a_malformed_assignment(world, client, unchanged, assignment):
    client.force_login(world.chief)
    response = client.post(reverse("postal:roster-slot"), _slot(world, assignment=assignment))
    assert response.status_code in (400, 404)


def test_the_roster_api_refuses_another_wards_worker_and_counter(world, elsewhere, unchanged):
    api = api_for(world.chief)
    body = {"worker": world.postal_worker.username, "date": MONDAY, "shift": "morning"}
    body |= {"task_type": "intake", "counter": world.postal_counter.number}
    worker = api.post(
        reverse("assignment-list"), body | {"worker": world.other_postal_worker.username}
    )
    assert worker.status_code == 400
    assert worker.json() == {
        "worker": [
            f"Phường của bạn không có nhân viên bưu điện “{world.other_postal_worker.username}” "
            "đang làm việc."
        ]
    }
    counter = api.post(reverse("assignment-list"), body | {"counter": 7}, format="json")
    assert counter.status_code == 400
    assert counter.json() == {"counter": ["Phường của bạn không có quầy số 7 đang hoạt động."]}


def test_the_roster_api_cannot_reach_another_wards_assignment(world, elsewhere, unchanged):
    api = api_for(world.chief)
    url = reverse("assignment-detail", args=[elsewhere.other_assignment.pk])
    assert api.patch(url, {"note": "x"}, format="json").status_code == 404
    assert api.put(url, {"note": "x"}, format="json").status_code == 404
    assert api.delete(url, {"note": "Nhầm"}, format="json").status_code == 404


def test_moving_ones_assignment_to_another_wards_worker_is_refused(world, elsewhere):
    mine = AssignmentFactory(
        ward=world.ward,
        worker=world.postal_worker,
        counter=world.postal_counter,
        assigned_by=world.chief,
    )
    before = database_snapshot()
    response = api_for(world.chief).patch(
        reverse("assignment-detail", args=[mine.pk]),
        {"worker": world.other_postal_worker.username},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["worker"]
    assert database_snapshot() == before


# --- procedure authorisations --------------------------------------------------------------


def test_a_grant_to_another_wards_worker_is_refused(world, elsewhere, client, unchanged):
    client.force_login(world.chief)
    response = client.post(
        reverse("postal:authorisation-grant"),
        {"worker": world.other_postal_worker.pk, "procedure": elsewhere.procedure.pk},
        follow=True,
    )
    assert "Hãy chọn một lựa chọn hợp lệ" in messages_of(response)
    api = api_for(world.chief)
    refused = api.post(
        reverse("authorisation-list"),
        {"worker": world.other_postal_worker.username, "procedure": elsewhere.procedure.code},
        format="json",
    )
    assert refused.status_code == 400
    assert list(refused.json()) == ["worker"]


def test_another_wards_grant_cannot_be_revoked(world, elsewhere, client, unchanged):
    client.force_login(world.chief)
    url = reverse("postal:authorisation-revoke", args=[elsewhere.other_grant.pk])
    assert client.post(url, {"note": "x"}).status_code == 404
    api = api_for(world.chief)
    detail = reverse("authorisation-detail", args=[elsewhere.other_grant.pk])
    assert api.delete(detail, {"note": "x"}, format="json").status_code == 404
    assert ProcedureAuthorization.objects.get(pk=elsewhere.other_grant.pk).revoked_at is None


# --- data-entry batches: worker and batch ----------------------------------------------------


def test_a_batch_for_another_wards_worker_is_refused(world, elsewhere, client, unchanged):
    client.force_login(world.chief)
    page = client.post(
        reverse("postal:batches"),
        {"title": "Lô giấy", "paper_count": 5, "assigned_to": world.other_postal_worker.pk},
    )
    assert page.status_code == 200
    assert "assigned_to" in page.context["form"].errors
    api = api_for(world.chief)
    refused = api.post(
        reverse("data-entry-batch-list"),
        {"title": "Lô giấy", "paper_count": 5, "assigned_to": world.other_postal_worker.username},
        format="json",
    )
    assert refused.status_code == 400
    assert list(refused.json()) == ["assigned_to"]


def test_another_wards_batch_is_out_of_reach(world, elsewhere, client, unchanged):
    batch = elsewhere.other_batch
    client.force_login(world.chief)
    assert client.post(reverse("postal:batch", args=[batch.pk]), {"title": "x"}).status_code == 404
    assert client.post(reverse("postal:batch-close", args=[batch.pk])).status_code == 404
    client.force_login(world.postal_worker)
    assert client.post(reverse("postal:batch-entry", args=[batch.pk]), {}).status_code == 404
    api = api_for(world.chief)
    detail = reverse("data-entry-batch-detail", args=[batch.pk])
    assert api.patch(detail, {"paper_count": 9}, format="json").status_code == 404
    close = reverse("data-entry-batch-close", args=[batch.pk])
    assert api.post(close, {}, format="json").status_code == 404
    records = reverse("data-entry-batch-records", args=[batch.pk])
    assert api_for(world.postal_worker).post(records, {}, format="json").status_code == 404
    assert DataEntryBatch.objects.get(pk=batch.pk).status == "open"


def test_reassigning_ones_batch_to_another_wards_worker_is_refused(world, elsewhere):
    batch = batch_create(
        user=world.chief, title="Lô giấy", paper_count=5, assigned_to=world.postal_worker
    )
    before = database_snapshot()
    response = api_for(world.chief).patch(
        reverse("data-entry-batch-detail", args=[batch.pk]),
        {"assigned_to": world.other_postal_worker.username},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["assigned_to"]
    assert database_snapshot() == before
    assert not DataEntryRecord.objects.exists()


# --- deliveries and uploads: the dossier ----------------------------------------------------

ADDRESS = {
    "recipient_name": "Nguyễn Thị Mai",
    "recipient_phone": "0912345678",
    "street": "12 Yersin",
    "ward_name": "Phường Phú Cường",
    "city_name": "Thành phố Thủ Dầu Một",
    "province_name": "Bình Dương",
}


def test_a_delivery_of_another_wards_dossier_is_refused(world, elsewhere, client, unchanged):
    code = elsewhere.other_dossier.code
    response = api_for(world.postal_worker).post(
        reverse("delivery-list"),
        {"dossier": code, "waybill_code": "EL123456785VN", **ADDRESS},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"dossier": ["Không tìm thấy hồ sơ này."]}
    client.force_login(world.postal_worker)
    send = reverse("deliveries:send", args=[code])
    assert client.get(send).status_code == 404
    assert client.post(send, {"waybill_code": "EL123456785VN", **ADDRESS}).status_code == 404
    postal = reverse("deliveries:dossier-postal", args=[code])
    assert client.post(postal, {"result_place": "post", **ADDRESS}).status_code == 404
    quote = reverse("deliveries:quote") + f"?ho_so={code}&city_name=Thủ Dầu Một"
    assert client.get(quote).status_code == 404
    assert Dossier.objects.get(code=code).status == "result_ready"


def test_an_upload_to_another_wards_dossier_is_refused(world, elsewhere, client, unchanged):
    code = elsewhere.other_dossier.code
    stored = set(default_storage.listdir("")[1]) if default_storage.exists("") else set()
    client.force_login(world.postal_worker)
    page = client.post(
        reverse("intake:dossier-files", args=[code]),
        {
            "file": SimpleUploadedFile("a.pdf", pdf_bytes(), "application/pdf"),
            "request_id": str(uuid.uuid4()),
        },
    )
    assert page.status_code == 404
    api = api_for(world.postal_worker).post(
        reverse("dossier-file-list", args=[code]),
        {"file": SimpleUploadedFile("a.pdf", pdf_bytes(), "application/pdf")},
        format="multipart",
    )
    assert api.status_code == 404
    assert not DossierFile.objects.exists()
    after = set(default_storage.listdir("")[1]) if default_storage.exists("") else set()
    assert after == stored


def test_the_guidance_api_refuses_another_wards_counter(world, elsewhere, unchanged):
    response = api_for(world.postal_worker).post(
        reverse("guidance-list"), {"outcome": "guided", "topic": "Lệ phí", "counter": 7}
    )
    assert response.status_code == 400
    assert list(response.json()) == ["counter"]


def test_nothing_about_another_ward_leaks_into_the_references_offered(world, elsewhere, client):
    """The choices a form offers are the ward's own: another ward's people and desks are not
    even listed, so they cannot be picked by mistake."""
    client.force_login(world.chief)
    form = client.get(
        reverse("postal:roster-slot"),
        {"nv": world.postal_worker.pk, "ngay": MONDAY, "ca": "morning"},
    ).context["form"]
    assert world.other_postal_worker not in form.fields["worker"].queryset
    assert elsewhere.far_counter not in form.fields["counter"].queryset
    assert not Assignment.objects.filter(ward=world.ward).exists()
