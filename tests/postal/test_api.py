"""The back office API: the services' rules and scope, 400/403/404/409, never a 500."""

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from onestop import clock
from postal.models import Assignment, DataEntryRecord, GuidanceSession, ProcedureAuthorization
from tests.intake.factories import ProcedureFactory
from tests.onestop.factories import UserFactory
from tests.postal.conftest import MONDAY, at
from tests.postal.factories import AssignmentFactory, AuthorizationFactory, DataEntryBatchFactory

pytestmark = pytest.mark.usefixtures("friday")


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def body(world, **changes):
    return {
        "worker": world.postal_worker.username,
        "date": "2026-03-09",
        "shift": "morning",
        "task_type": "intake",
        "counter": world.postal_counter.number,
        "note": "",
        **changes,
    }


LIST = reverse("assignment-list")


def detail(assignment):
    return reverse("assignment-detail", args=[assignment.pk])


# --- assignments -----------------------------------------------------------------------------


def test_the_chief_assigns_through_the_api(world):
    response = api(world.chief).post(LIST, body(world), format="json")
    assert response.status_code == 201, response.data
    data = response.json()
    assert data["worker"] == world.postal_worker.username
    assert (data["date"], data["shift"], data["counter"]) == ("2026-03-09", "morning", 1)
    assert data["assigned_by"] == world.chief.username
    assert response["Location"].endswith(detail(Assignment.objects.get()))


def test_a_clash_answers_409_naming_the_other_assignment(world):
    api(world.chief).post(LIST, body(world), format="json")
    response = api(world.chief).post(
        LIST, body(world, task_type="guidance", counter=None), format="json"
    )
    assert response.status_code == 409
    assert "ca sáng 09/03/2026" in response.json()["detail"]
    assert f"Quầy {world.postal_counter.number}" in response.json()["detail"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"worker": "nobody"}, "worker"),
        ({"date": "09/03/2026"}, "date"),
        ({"shift": "night"}, "shift"),
        ({"task_type": "cleaning"}, "task_type"),
        ({"counter": 99}, "counter"),
        ({"counter": None}, "counter"),  # intake needs a counter (the service says so)
        ({"date": "2026-03-02"}, "note"),  # a past day without a note
    ],
)
def test_bad_input_answers_400_on_the_field(world, changes, field):
    response = api(world.chief).post(LIST, body(world, **changes), format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_another_wards_worker_is_unknown_to_the_chief(world):
    response = api(world.chief).post(
        LIST, body(world, worker=world.other_postal_worker.username), format="json"
    )
    assert response.status_code == 400
    assert "worker" in response.json()


@pytest.mark.parametrize("actor", ["postal_worker", "officer", "city_admin"])
def test_only_the_chief_writes(world, actor):
    response = api(getattr(world, actor)).post(LIST, body(world), format="json")
    assert response.status_code == 403
    assert not Assignment.objects.exists()


def test_reading_is_scoped(world):
    mine = AssignmentFactory(ward=world.ward, worker=world.postal_worker, date=MONDAY)
    theirs = AssignmentFactory(ward=world.other_ward, counter=world.other_counter, date=MONDAY)
    far = AssignmentFactory(ward=world.far_ward, date=MONDAY)
    seen = {
        actor: {row["id"] for row in api(getattr(world, actor)).get(LIST).json()["results"]}
        for actor in ("postal_worker", "chief", "other_chief", "city_admin", "other_city_admin")
    }
    assert seen["postal_worker"] == seen["chief"] == {mine.pk}
    assert seen["other_chief"] == {theirs.pk}
    assert seen["city_admin"] == {mine.pk, theirs.pk}
    assert seen["other_city_admin"] == {far.pk}
    assert api(world.other_chief).get(detail(mine)).status_code == 404
    assert api(world.other_chief).patch(detail(mine), {"note": "x"}).status_code == 404
    assert api(world.city_admin).patch(detail(mine), {"note": "x"}).status_code == 403
    assert api().get(LIST).status_code == 403


def test_list_by_week_or_dates(world):
    monday = AssignmentFactory(ward=world.ward, worker=world.postal_worker, date=MONDAY)
    AssignmentFactory(ward=world.ward, worker=world.postal_worker, date=MONDAY + dt.timedelta(7))
    client = api(world.chief)
    assert [r["id"] for r in client.get(LIST, {"week": "2026-W11"}).json()["results"]] == [
        monday.pk
    ]
    rows = client.get(LIST, {"date_from": "2026-03-09", "date_to": "2026-03-20"}).json()
    assert len(rows["results"]) == 2
    for query, field in [
        ({"week": "2026-11"}, "week"),
        ({"week": "2026-W60"}, "week"),
        ({"date_from": "2026-03-20", "date_to": "2026-03-09"}, "date_to"),
        ({"date_from": "2020-01-01", "date_to": "2026-01-01"}, "date_to"),
        ({"week": "2026-W11", "date_from": "2026-03-09"}, "week"),
    ]:
        response = client.get(LIST, query)
        assert response.status_code == 400, query
        assert field in response.json(), (query, response.json())


def test_update_and_partial_update_go_through_the_service(world):
    assignment = AssignmentFactory(
        ward=world.ward,
        worker=world.postal_worker,
        date=MONDAY,
        counter=world.postal_counter,
        note="Giữ nguyên",
    )
    client = api(world.chief)
    response = client.patch(detail(assignment), {"shift": "afternoon"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["shift"] == "afternoon"
    assert response.json()["note"] == "Giữ nguyên"
    full = client.put(
        detail(assignment), body(world, task_type="data_entry", counter=None), format="json"
    )
    assert full.status_code == 200
    assert (full.json()["task_type"], full.json()["counter"]) == ("data_entry", None)
    history = client.get(reverse("assignment-history", args=[assignment.pk])).json()
    assert [change["action"] for change in history] == ["updated", "updated"]


def test_delete_cancels_with_a_note_and_keeps_the_assignment(world):
    assignment = AssignmentFactory(ward=world.ward, worker=world.postal_worker, date=MONDAY)
    client = api(world.chief)
    refused = client.delete(detail(assignment))
    assert refused.status_code == 400
    assert "note" in refused.json()
    response = client.delete(detail(assignment), {"note": "Nghỉ ốm"}, format="json")
    assert response.status_code == 200
    assert response.json()["cancelled"] is True
    assert response.json()["cancel_note"] == "Nghỉ ốm"
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    assert client.get(detail(assignment)).json()["cancelled"] is True
    assert client.get(LIST).json()["results"] == []
    assert len(client.get(LIST, {"include_cancelled": "true"}).json()["results"]) == 1
    query_note = client.delete(detail(assignment) + "?note=Khác")
    assert query_note.status_code == 409


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    payload=st.dictionaries(
        st.sampled_from(["worker", "date", "shift", "task_type", "counter", "note", "x"]),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(min_value=-(2**70), max_value=2**70),
            st.text(max_size=40),
            st.lists(st.integers(), max_size=3),
            st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
        ),
    )
)
def test_no_body_makes_a_500(world, payload):
    with clock.frozen_at(at(2026, 3, 6, 10, 0)):
        response = api(world.chief).post(LIST, payload, format="json")
    assert response.status_code in (201, 400, 409), (payload, response.status_code)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    query=st.dictionaries(
        st.sampled_from(["week", "date_from", "date_to", "worker", "task_type", "page"]),
        st.text(max_size=30),
    )
)
def test_no_query_makes_a_500(world, query):
    response = api(world.chief).get(LIST, query)
    assert response.status_code in (200, 400), (query, response.status_code)


# --- authorisations --------------------------------------------------------------------------

GRANTS = reverse("authorisation-list")


def test_grant_list_and_revoke(world):
    procedure = ProcedureFactory()
    client = api(world.chief)
    payload = {"worker": world.postal_worker.username, "procedure": procedure.code}
    created = client.post(GRANTS, payload, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["active"] is True
    again = client.post(GRANTS, payload, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == created.json()["id"]
    url = reverse("authorisation-detail", args=[created.json()["id"]])
    revoked = client.delete(url, {"note": "Tạm dừng"}, format="json")
    assert revoked.status_code == 200
    assert revoked.json()["revoke_note"] == "Tạm dừng"
    assert client.delete(url).status_code == 409
    assert ProcedureAuthorization.objects.count() == 1
    listed = api(world.postal_worker).get(GRANTS, {"active": "false"}).json()["results"]
    assert [row["procedure"] for row in listed] == [procedure.code]
    assert api(world.other_chief).get(url).status_code == 404


def test_a_grant_of_a_procedure_without_a_verified_term_answers_400(world):
    unverified = ProcedureFactory(unverified=True)
    response = api(world.chief).post(
        GRANTS,
        {"worker": world.postal_worker.username, "procedure": unverified.code},
        format="json",
    )
    assert response.status_code == 400
    assert "chưa có thời hạn giải quyết đã xác minh" in str(response.json()["procedure"])
    assert not ProcedureAuthorization.objects.exists()


def test_grant_refusals(world):
    client = api(world.chief)
    unlisted = ProcedureFactory(not_postal=True)
    response = client.post(
        GRANTS,
        {"worker": world.postal_worker.username, "procedure": unlisted.code},
        format="json",
    )
    assert response.status_code == 400
    assert "procedure" in response.json()
    unknown = client.post(
        GRANTS, {"worker": world.postal_worker.username, "procedure": "0.0"}, format="json"
    )
    assert unknown.status_code == 400
    assert (
        api(world.postal_worker)
        .post(GRANTS, {"worker": world.postal_worker.username, "procedure": unlisted.code})
        .status_code
        == 403
    )
    grant = AuthorizationFactory(ward=world.ward, worker=world.postal_worker)
    detail_url = reverse("authorisation-detail", args=[grant.pk])
    assert client.put(detail_url, {}).status_code == 405


# --- data-entry batches ----------------------------------------------------------------------

BATCHES = reverse("data-entry-batch-list")


def test_batches_open_change_close(world):
    client = api(world.chief)
    created = client.post(
        BATCHES,
        {"title": "Hộ tịch 2025", "paper_count": 3, "assigned_to": world.postal_worker.username},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert (created.json()["entered"], created.json()["progress"]) == (0, 0.0)
    url = reverse("data-entry-batch-detail", args=[created.json()["id"]])
    changed = client.patch(url, {"paper_count": 5}, format="json")
    assert changed.json()["paper_count"] == 5
    assert changed.json()["title"] == "Hộ tịch 2025"
    assert client.patch(url, {"paper_count": 0}, format="json").status_code == 400
    closed = client.post(reverse("data-entry-batch-close", args=[created.json()["id"]]))
    assert closed.json()["status"] == "done"
    assert client.patch(url, {"paper_count": 9}, format="json").status_code == 409
    assert api(world.postal_worker).post(BATCHES, {}, format="json").status_code == 403
    assert client.delete(url).status_code == 405


@pytest.mark.intake_rules
def test_the_batchs_worker_enters_paper_dossiers(world):
    batch = DataEntryBatchFactory(
        ward=world.ward, assigned_to=world.postal_worker, paper_count=2, created_at=at(2026, 3, 1)
    )
    url = reverse("data-entry-batch-records", args=[batch.pk])
    paper = {
        "procedure": ProcedureFactory(not_postal=True).code,
        "channel": 1,
        "applicant_name": "Đinh Thị Thu",
        "applicant_id_number": "074190008888",
        "applicant_address": "11 Yersin",
        "counter": world.postal_counter.number,
        "original_receipt_number": "301/TN",
        "original_received_at": "2026-02-12T09:15:00+07:00",
    }
    client = api(world.postal_worker)
    first = client.post(url, paper, format="json", HTTP_IDEMPOTENCY_KEY="paper-301")
    assert first.status_code == 201, first.json()
    assert first.json()["original_receipt_number"] == "301/TN"
    repeat = client.post(url, paper, format="json", HTTP_IDEMPOTENCY_KEY="paper-301")
    assert repeat.status_code == 200
    duplicate = client.post(url, paper, format="json")
    assert duplicate.status_code == 409
    assert "301/TN" in duplicate.json()["detail"]
    assert DataEntryRecord.objects.count() == 1
    assert api(world.chief).post(url, paper, format="json").status_code == 403
    assert api(world.other_postal_worker).post(url, paper, format="json").status_code == 404
    naive = client.post(
        url, paper | {"original_received_at": "2026-02-12T09:15:00", "original_receipt_number": "2"}
    )
    assert naive.status_code == 400
    listed = api(world.officer).get(url).json()["results"]
    assert [row["original_receipt_number"] for row in listed] == ["301/TN"]
    assert (
        api(world.chief).get(reverse("data-entry-batch-detail", args=[batch.pk])).json()["entered"]
        == 1
    )


# --- guidance --------------------------------------------------------------------------------

GUIDANCE = reverse("guidance-list")


def test_guidance_is_logged_and_listed(world):
    procedure = ProcedureFactory(name="Đăng ký khai sinh")
    response = api(world.postal_worker).post(
        GUIDANCE, {"outcome": "guided", "procedure": procedure.code}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["topic"] == "Đăng ký khai sinh"
    assert response.json()["worker"] == world.postal_worker.username
    assert api(world.postal_worker).post(GUIDANCE, {"outcome": "guided"}).status_code == 400
    assert api(world.postal_worker).post(GUIDANCE, {"topic": "x"}).status_code == 400
    assert (
        api(world.city_admin).post(GUIDANCE, {"topic": "x", "outcome": "guided"}).status_code == 403
    )
    listed = api(world.chief).get(GUIDANCE, {"outcome": "guided"}).json()["results"]
    assert len(listed) == 1
    assert api(world.other_chief).get(GUIDANCE).json()["results"] == []
    session = GuidanceSession.objects.get()
    assert (
        api(world.other_chief).get(reverse("guidance-detail", args=[session.pk])).status_code == 404
    )


def test_the_schema_documents_the_back_office(world):
    client = APIClient()
    client.force_authenticate(world.chief)
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/assignments/",
        "/api/v1/assignments/{id}/",
        "/api/v1/assignments/{id}/history/",
        "/api/v1/authorisations/",
        "/api/v1/data-entry-batches/",
        "/api/v1/data-entry-batches/{id}/records/",
        "/api/v1/data-entry-batches/{id}/close/",
        "/api/v1/guidance/",
    ):
        assert path in paths, path
    listing = paths["/api/v1/assignments/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"week", "date_from", "date_to"}
    assert set(paths["/api/v1/assignments/{id}/"]["delete"]["responses"]) >= {
        "200",
        "400",
        "403",
        "404",
        "409",
    }


def test_any_active_worker_of_the_ward_may_be_assigned(world):
    colleague = UserFactory(postal_worker=True, ward=world.ward)
    response = api(world.chief).post(LIST, body(world, worker=colleague.username), format="json")
    assert response.status_code == 201
