"""The dossier API: list, intake, detail, lifecycle steps and events, same scope as the pages."""

import datetime as dt
import json

import hypothesis
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.crypto import get_random_string
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from intake.lifecycle import Action
from intake.models import Channel, Dossier, DossierEvent, ReceiverKind, Status
from intake.services import StepInput, dossier_receive, dossier_step, lookup_pin_matches
from onestop import clock
from onestop.tokens import api_token_issue
from tests.intake.factories import DossierFactory, ProcedureFactory, citizen_id
from tests.onestop.factories import PASSWORD, UserFactory
from tests.wards.factories import CounterFactory
from wards.calendar import VIETNAM_TZ

pytestmark = pytest.mark.django_db

LIST = reverse("dossier-list")
ID_NUMBER = "074190001234"
BODY = {
    "procedure": "1.001193",
    "channel": 1,
    "applicant_name": "Nguyễn Thị Mai",
    "applicant_id_number": ID_NUMBER,
    "applicant_phone": "0912 345 678",
    "applicant_address": "12 Yersin, phường Phú Hòa",
    "components": [{"name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0}],
    "sets": 1,
    "counter": 1,
    "notes": "Nộp thay mẹ",
}


@pytest.fixture(autouse=True)
def intake_rules_of_intake_only(settings):
    # Who may receive what at a postal counter is postal's rule, tested with postal; here any
    # ward staff member receives. One test below plugs in a refusing rule of its own.
    settings.INTAKE_RULES = []


def refusing_rule(request):
    from onestop.errors import NotAllowed

    raise NotAllowed("Chưa được giao thủ tục này.", field="procedure")


def out_of_list_rule(request):
    return True


@pytest.fixture
def procedure(db):
    return ProcedureFactory(
        code="1.001193",
        name="Đăng ký khai sinh",
        processing_days=3,
        components=[{"name": "Giấy chứng sinh", "originals": 1, "copies": 0}],
    )


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def postal(world):
    return client_for(world.postal_worker)


@pytest.fixture
def officer(world):
    return client_for(world.officer)


def receive(user, procedure, **overrides) -> Dossier:
    data = {
        "channel": Channel.DIRECT,
        "applicant_name": "Trần Văn Bình",
        "applicant_id_number": ID_NUMBER,
        "applicant_address": "5 Lê Lợi",
        "applicant_phone": "0987654321",
        **overrides,
    }
    return dossier_receive(user=user, procedure=procedure, **data).dossier


def detail_url(dossier_or_code) -> str:
    code = getattr(dossier_or_code, "code", dossier_or_code)
    return reverse("dossier-detail", kwargs={"code": code})


def step_url(dossier) -> str:
    return reverse("dossier-transitions", kwargs={"code": dossier.code})


def events_url(dossier) -> str:
    return reverse("dossier-events", kwargs={"code": dossier.code})


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


# --- list ---------------------------------------------------------------------------------


@pytest.fixture
def three_wards(world, procedure):
    """One dossier in each ward of the world: home, a neighbour in the city, another city."""
    home = receive(world.postal_worker, procedure)
    neighbour = receive(world.other_postal_worker, procedure)
    far = DossierFactory(ward=world.far_ward, procedure=procedure)
    return home, neighbour, far


@pytest.mark.parametrize("actor", ["postal_worker", "officer", "chief"])
def test_ward_staff_list_only_their_wards_dossiers(world, three_wards, actor):
    home, _, _ = three_wards
    assert codes(client_for(getattr(world, actor)).get(LIST)) == {home.code}


def test_a_city_admin_lists_every_ward_of_the_city_and_no_other(world, three_wards):
    home, neighbour, far = three_wards
    assert codes(client_for(world.city_admin).get(LIST)) == {home.code, neighbour.code}
    assert codes(client_for(world.other_city_admin).get(LIST)) == {far.code}


def test_other_ward_staff_do_not_see_the_home_ward(world, three_wards):
    _, neighbour, _ = three_wards
    assert codes(client_for(world.other_officer).get(LIST)) == {neighbour.code}


def test_anonymous_cannot_list(three_wards):
    assert APIClient().get(LIST).status_code == 403


def test_the_list_masks_personal_data(world, procedure, postal):
    receive(world.postal_worker, procedure, applicant_phone="0912345678")
    row = postal.get(LIST).json()["results"][0]
    assert row["applicant_id_number"] == "•••••••••234"
    assert row["applicant_phone"] == "•••••••678"
    assert "applicant_address" not in row
    assert ID_NUMBER not in json.dumps(row)
    assert row["applicant_name"] == "Trần Văn Bình"


def test_a_list_row(world, procedure, postal):
    dossier = receive(world.postal_worker, procedure)
    row = postal.get(LIST).json()["results"][0]
    assert row["code"] == dossier.code
    assert row["ward"] == {"id": world.ward.pk, "name": "Phú Hòa", "slug": "phuhoa"}
    assert row["procedure_code"] == "1.001193"
    assert row["procedure_name"] == "Đăng ký khai sinh"
    assert row["status"] == "received"
    assert row["channel"] == 1
    assert row["receiver_kind"] == "postal_worker"
    assert row["due_at"] == row["appointment_at"]


def test_the_list_is_newest_first_and_pages_without_a_count(world, procedure, postal):
    made = [
        DossierFactory(ward=world.ward, procedure=procedure, age=dt.timedelta(hours=h))
        for h in (5, 4, 3, 2, 1)
    ]
    first = postal.get(LIST, {"page_size": 2}).json()
    assert set(first) == {"next", "previous", "results"}
    assert [r["code"] for r in first["results"]] == [made[4].code, made[3].code]
    assert first["previous"] is None
    second = postal.get(first["next"]).json()
    assert [r["code"] for r in second["results"]] == [made[2].code, made[1].code]
    third = postal.get(second["next"]).json()
    assert [r["code"] for r in third["results"]] == [made[0].code]
    assert third["next"] is None
    assert postal.get(LIST, {"page": 99}).json()["results"] == []


@pytest.fixture
def varied(world, procedure):
    """Dossiers of the home ward that differ in one filtered attribute each."""
    other_procedure = ProcedureFactory(code="1.000656", name="Đăng ký kết hôn")
    return {
        "plain": DossierFactory(
            ward=world.ward,
            procedure=procedure,
            applicant_name="Lê Thị Hồng",
            applicant_id_number="074190005555",
            age=dt.timedelta(days=3),
        ),
        "processing": DossierFactory(ward=world.ward, procedure=procedure, processing=True),
        "other_procedure": DossierFactory(ward=world.ward, procedure=other_procedure),
        "online": DossierFactory(ward=world.ward, procedure=procedure, online=True),
        "by_postal_worker": DossierFactory(
            ward=world.ward, procedure=procedure, received_by=world.postal_worker
        ),
        "overdue": DossierFactory(ward=world.ward, procedure=procedure, overdue=True),
        "late": DossierFactory(ward=world.ward, procedure=procedure, late=True),
        "out_of_list": DossierFactory(ward=world.ward, procedure=procedure, out_of_list=True),
        "old": DossierFactory(
            ward=world.ward, procedure=procedure, age=dt.timedelta(days=400), returned=True
        ),
    }


def test_every_filter_narrows_the_list(world, varied):
    api = client_for(world.chief)
    get = lambda **q: codes(api.get(LIST, q))  # noqa: E731
    assert get(status="processing") == {varied["processing"].code, varied["overdue"].code}
    assert get(procedure="1.000656") == {varied["other_procedure"].code}
    assert get(channel=2) == {varied["online"].code}
    assert get(receiver_kind="postal_worker") == {varied["by_postal_worker"].code}
    assert get(overdue="true") == {varied["overdue"].code}
    assert get(timeliness="late") == {varied["late"].code}
    assert get(out_of_list="true") == {varied["out_of_list"].code}
    assert varied["out_of_list"].code not in get(out_of_list="false")
    old_day = varied["old"].received_at.astimezone(dt.UTC).date()
    assert get(received_to=str(old_day + dt.timedelta(days=1))) == {varied["old"].code}
    assert varied["old"].code not in get(received_from=str(old_day + dt.timedelta(days=2)))
    assert get(q="le thi hong") == {varied["plain"].code}
    assert get(q="074190005555") == {varied["plain"].code}
    assert get(q=varied["online"].code) == {varied["online"].code}
    assert len(get()) == len(varied)


def test_due_soon_lists_open_dossiers_due_within_two_working_days(world, procedure):
    soon = DossierFactory(
        ward=world.ward,
        procedure=procedure,
        appointment_at=clock.now() + dt.timedelta(minutes=30),
    )
    DossierFactory(
        ward=world.ward, procedure=procedure, appointment_at=clock.now() + dt.timedelta(days=30)
    )
    assert codes(client_for(world.officer).get(LIST, {"due_soon": "1"})) == {soon.code}


def test_a_city_admin_filters_by_ward(world, three_wards):
    _, neighbour, _ = three_wards
    api = client_for(world.city_admin)
    assert codes(api.get(LIST, {"ward": "phuloi"})) == {neighbour.code}
    # A ward of another city is simply empty, never a hint that it exists.
    assert codes(api.get(LIST, {"ward": "dian-ward"})) == set()


def test_unknown_procedure_code_filters_to_nothing(world, three_wards, postal):
    assert codes(postal.get(LIST, {"procedure": "0.000000"})) == set()


def test_empty_parameters_are_no_filter(world, three_wards, postal):
    query = dict.fromkeys(
        ["status", "procedure", "channel", "receiver_kind", "received_from", "received_to"], ""
    )
    query |= {"ward": "", "out_of_list": "", "timeliness": "", "q": ""}
    assert codes(postal.get(LIST, query)) == {three_wards[0].code}


@pytest.mark.parametrize(
    "query, field",
    [
        ({"status": "lost"}, "status"),
        ({"status": "Received"}, "status"),
        ({"channel": "4"}, "channel"),
        ({"channel": "one"}, "channel"),
        ({"receiver_kind": "robot"}, "receiver_kind"),
        ({"due_soon": "maybe"}, "due_soon"),
        ({"overdue": "2"}, "overdue"),
        ({"out_of_list": "perhaps"}, "out_of_list"),
        ({"timeliness": "someday"}, "timeliness"),
        ({"received_from": "16/03/2026"}, "received_from"),
        ({"received_from": "2026-02-30"}, "received_from"),
        ({"received_to": "2026-03-16T00:00:00"}, "received_to"),
        ({"received_to": "yesterday"}, "received_to"),
        ({"received_from": "2026-03-20", "received_to": "2026-03-01"}, "received_to"),
        ({"ward": "phú hòa"}, "ward"),
        ({"q": "x" * 201}, "q"),
        ({"q": "abc\x00"}, "q"),
        ({"procedure": "1" * 21}, "procedure"),
        ({"page": "0"}, "page"),
        ({"page": "-3"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page_size": "0"}, "page_size"),
        ({"page": "99999999999999999999"}, "page"),
        ({"page": "100001"}, "page"),
        ({"page": "1" * 5000}, "page"),
        ({"received_to": "9999-12-31"}, "received_to"),
        ({"received_from": "0001-01-01"}, "received_from"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(world, three_wards, postal, query, field):
    response = postal.get(LIST, query)
    assert response.status_code == 400
    assert field in response.json()
    assert all(isinstance(m, str) and m for m in response.json()[field])


@pytest.mark.parametrize("query", [{"page": "99999999999999999999"}, {"search": "\x00"}])
def test_the_procedure_list_refuses_what_it_cannot_serve(world, procedure, postal, query):
    response = postal.get(reverse("procedure-list"), query)
    assert response.status_code == 400
    assert list(response.json()) == list(query)


def test_the_last_allowed_page_is_simply_empty(world, three_wards, postal):
    response = postal.get(LIST, {"page": "100000", "page_size": "200"})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_filter_errors_speak_vietnamese(world, three_wards, postal):
    response = postal.get(LIST, {"status": "lost", "due_soon": "maybe"})
    assert response.json() == {
        "status": ["“lost” không phải giá trị hợp lệ."],
        "due_soon": ["Phải là true hoặc false."],
    }


def test_the_page_size_is_capped(world, procedure, postal):
    for _ in range(3):
        DossierFactory(ward=world.ward, procedure=procedure)
    assert len(postal.get(LIST, {"page_size": "100000"}).json()["results"]) == 3


def _list_queries(api, query=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(LIST, query or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("actor", ["officer", "city_admin"])
def test_list_query_count_does_not_grow_with_the_dossiers(world, procedure, actor):
    user = getattr(world, actor)
    api = client_for(user)
    DossierFactory(ward=world.ward, procedure=procedure)
    few = _list_queries(api)
    for _ in range(15):
        DossierFactory(ward=world.ward, procedure=procedure, processing=True)
        DossierFactory(ward=world.other_ward, procedure=ProcedureFactory())
    many = _list_queries(api)
    assert many == few
    assert _list_queries(api, {"status": "processing", "q": "nguyen"}) == few
    # force_authenticate skips the session: the whole page is one query.
    assert many == 1


def test_list_query_count_with_a_token(world, procedure):
    for _ in range(10):
        DossierFactory(ward=world.ward, procedure=procedure)
    token = api_token_issue(user=world.chief)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    # The token with its user, then the page.
    assert _list_queries(api) == 2


# --- intake -------------------------------------------------------------------------------


def test_receiving_answers_201_with_the_receipt(world, procedure, postal):
    response = postal.post(LIST, BODY, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"code", "status", "received_at", "appointment_at", "lookup_pin"}
    dossier = Dossier.objects.get()
    assert body["code"] == dossier.code
    assert body["code"].startswith(f"{world.ward.unit_identifier}-")
    assert body["status"] == "received"
    assert dt.datetime.fromisoformat(body["received_at"]) == dossier.received_at
    assert dt.datetime.fromisoformat(body["appointment_at"]) == dossier.appointment_at
    assert len(body["lookup_pin"]) == 6 and body["lookup_pin"].isdigit()
    assert lookup_pin_matches(dossier, body["lookup_pin"])
    assert response["Location"].endswith(detail_url(dossier))


def test_the_received_dossier_holds_what_was_sent(world, procedure, postal):
    postal.post(LIST, BODY, format="json")
    dossier = Dossier.objects.get()
    assert dossier.ward == world.ward
    assert dossier.received_by == world.postal_worker
    assert dossier.receiver_kind == ReceiverKind.POSTAL_WORKER
    assert dossier.counter == world.postal_counter
    assert dossier.applicant_phone == "0912345678"  # normalised
    assert dossier.components == BODY["components"]
    assert dossier.notes == "Nộp thay mẹ"
    assert dossier.notify_consent == "none"  # not asked: nobody is told
    assert dossier.events.get().action == Action.RECEIVE


def test_the_citizens_consent_is_taken_and_needs_its_address(world, procedure, postal):
    refused = postal.post(LIST, {**BODY, "notify_consent": "email"}, format="json")
    assert refused.status_code == 400
    assert "thư điện tử" in str(refused.json())
    assert not Dossier.objects.exists()
    answer = postal.post(LIST, {**BODY, "notify_consent": "sms"}, format="json")
    assert answer.status_code == 201
    assert Dossier.objects.get().notify_consent == "sms"


def test_components_default_to_the_catalogues(world, procedure, officer):
    body = {k: v for k, v in BODY.items() if k not in ("components", "counter", "applicant_phone")}
    assert officer.post(LIST, body, format="json").status_code == 201
    dossier = Dossier.objects.get()
    assert dossier.components == procedure.components
    assert dossier.counter is None
    assert dossier.applicant_phone == ""
    assert dossier.receiver_kind == ReceiverKind.OFFICER


def test_a_form_encoded_post_works_too(world, procedure, postal):
    body = {k: v for k, v in BODY.items() if k != "components"}
    assert postal.post(LIST, body).status_code == 201


def test_a_repeat_with_the_same_idempotency_key_receives_once(world, procedure, postal):
    first = postal.post(LIST, BODY, format="json", HTTP_IDEMPOTENCY_KEY="3f1c-aa")
    again = postal.post(LIST, BODY, format="json", HTTP_IDEMPOTENCY_KEY="3f1c-aa")
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["code"] == first.json()["code"]
    assert again.json()["lookup_pin"] == ""
    assert first.json()["lookup_pin"] != ""
    assert Dossier.objects.count() == 1
    other = postal.post(LIST, BODY, format="json", HTTP_IDEMPOTENCY_KEY="3f1c-bb")
    assert other.status_code == 201
    assert Dossier.objects.count() == 2


def test_another_users_key_never_returns_their_dossier(world, procedure, postal, officer):
    mine = postal.post(LIST, BODY, format="json", HTTP_IDEMPOTENCY_KEY="same-key")
    theirs = officer.post(LIST, BODY, format="json", HTTP_IDEMPOTENCY_KEY="same-key")
    assert theirs.status_code == 201
    assert theirs.json()["code"] != mine.json()["code"]
    far = client_for(world.other_postal_worker)
    far_response = far.post(
        LIST, BODY | {"counter": None}, format="json", HTTP_IDEMPOTENCY_KEY="same-key"
    )
    assert far_response.status_code == 201
    assert not far_response.json()["code"].startswith(world.ward.unit_identifier)


def test_without_a_key_every_post_receives(world, procedure, postal):
    postal.post(LIST, BODY, format="json")
    postal.post(LIST, BODY, format="json")
    assert Dossier.objects.count() == 2


@pytest.mark.parametrize("key", ["x" * 41, "with space", "ngày", "a\tb"])
def test_a_malformed_idempotency_key_is_a_400(world, procedure, postal, key):
    response = postal.post(LIST, BODY, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert list(response.json()) == ["Idempotency-Key"]
    assert not Dossier.objects.exists()


def test_an_unknown_procedure_is_a_400_on_the_field(world, procedure, postal):
    response = postal.post(LIST, BODY | {"procedure": "9.999999"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["procedure"]
    assert "9.999999" in response.json()["procedure"][0]


def test_a_withdrawn_procedure_is_a_400(world, procedure, postal):
    ProcedureFactory(code="4.000001", active=False)
    response = postal.post(LIST, BODY | {"procedure": "4.000001"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["procedure"]


def test_a_procedure_without_processing_days_is_a_400(world, procedure, postal):
    ProcedureFactory(code="3.000001", unverified=True)
    response = postal.post(LIST, BODY | {"procedure": "3.000001"}, format="json")
    assert response.status_code == 400
    assert "thời hạn giải quyết" in response.json()["procedure"][0]


def test_a_counter_of_another_ward_is_a_400(world, procedure, postal):
    CounterFactory(ward=world.other_ward, number=7)
    response = postal.post(LIST, BODY | {"counter": 7}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["counter"]
    assert not Dossier.objects.exists()


def test_an_inactive_counter_is_a_400(world, procedure, postal):
    world.officer_counter.active = False
    world.officer_counter.save()
    response = postal.post(LIST, BODY | {"counter": 2}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["counter"]


@pytest.mark.parametrize("actor", ["city_admin", "other_city_admin"])
def test_city_admins_may_not_receive(world, procedure, actor):
    response = client_for(getattr(world, actor)).post(LIST, BODY, format="json")
    assert response.status_code == 403
    assert "detail" in response.json()
    assert not Dossier.objects.exists()


def test_an_intake_rule_that_refuses_is_a_403(world, procedure, postal, settings):
    settings.INTAKE_RULES = ["tests.intake.test_api_dossiers.refusing_rule"]
    response = postal.post(LIST, BODY, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Chưa được giao thủ tục này."}
    assert not Dossier.objects.exists()


def test_an_out_of_list_intake_shows_in_the_list(world, procedure, postal, settings):
    settings.INTAKE_RULES = ["tests.intake.test_api_dossiers.out_of_list_rule"]
    code = postal.post(LIST, BODY, format="json").json()["code"]
    assert codes(postal.get(LIST, {"out_of_list": "true"})) == {code}
    assert codes(postal.get(LIST, {"out_of_list": "false"})) == set()


def test_a_superuser_may_not_receive_either(world, procedure):
    response = client_for(UserFactory(superuser=True)).post(LIST, BODY, format="json")
    assert response.status_code == 403


def test_a_city_admin_is_refused_before_the_body_is_read(world, procedure):
    response = client_for(world.city_admin).post(LIST, {"channel": "x"}, format="json")
    assert response.status_code == 403


def test_anonymous_may_not_receive(world, procedure):
    assert APIClient().post(LIST, BODY, format="json").status_code == 403
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("actor", ["postal_worker", "officer", "chief", "other_officer"])
def test_ward_staff_receive_in_their_own_ward(world, procedure, actor):
    user = getattr(world, actor)
    response = client_for(user).post(LIST, BODY | {"counter": None}, format="json")
    assert response.status_code == 201
    assert Dossier.objects.get().ward == user.ward


BAD_BODIES = [
    ("procedure", None),
    ("procedure", ""),
    ("procedure", []),
    ("procedure", {"code": "1.001193"}),
    ("procedure", "x" * 1000),
    ("procedure", "1.001193\x00"),
    ("channel", 0),
    ("channel", 4),
    ("channel", "direct"),
    ("channel", None),
    ("channel", True),
    ("channel", 1.5),
    ("channel", [1]),
    ("applicant_name", ""),
    ("applicant_name", "   "),
    ("applicant_name", None),
    ("applicant_name", ["Mai"]),
    ("applicant_name", "x" * 201),
    ("applicant_name", "x" * 1_000_000),
    ("applicant_name", "Mai\x00"),
    ("applicant_id_number", "123"),
    ("applicant_id_number", "07419000123a"),
    ("applicant_id_number", "999190001234"),
    ("applicant_id_number", "074990001234"),
    ("applicant_id_number", 74190001234),
    ("applicant_id_number", None),
    ("applicant_id_number", "٠٧٤١٩٠٠٠١٢٣٤"),
    ("applicant_phone", "12345"),
    ("applicant_phone", "0912345678999"),
    ("applicant_phone", "phone"),
    ("applicant_phone", "0" * 500),
    ("applicant_phone", {"n": 1}),
    ("applicant_address", ""),
    ("applicant_address", "x" * 301),
    ("applicant_address", 3.14j if False else None),
    ("applicant_email", "not-an-email"),
    ("applicant_email", "a@" + "b" * 300 + ".vn"),
    ("notify_consent", "zalo"),
    ("notify_consent", None),
    ("components", "Tờ khai"),
    ("components", [1]),
    ("components", [{"name": "Tờ khai"}]),
    ("components", [{"name": "Tờ khai", "originals": -1, "copies": 0}]),
    ("components", [{"name": "Tờ khai", "originals": "one", "copies": 0}]),
    ("components", [{"name": "Tờ khai", "originals": 1, "copies": 10**30}]),
    ("components", [{"name": "", "originals": 1, "copies": 0}]),
    ("components", [{"name": "x" * 301, "originals": 1, "copies": 0}]),
    ("components", [{"name": "Tờ khai", "originals": 1, "copies": 0}] * 51),
    ("components", {"name": "Tờ khai", "originals": 1, "copies": 0}),
    ("sets", 0),
    ("sets", -1),
    ("sets", 100),
    ("sets", "two"),
    ("sets", 1e300),
    ("sets", None),
    ("counter", 0),
    ("counter", 99),
    ("counter", "first"),
    ("counter", 10**40),
    ("notes", "x" * 2001),
    ("notes", ["a"]),
]


@pytest.mark.parametrize("field, value", BAD_BODIES)
def test_bad_input_is_a_400_naming_the_field(world, procedure, postal, field, value):
    response = postal.post(LIST, BODY | {field: value}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    "field",
    ["procedure", "channel", "applicant_name", "applicant_id_number", "applicant_address"],
)
def test_a_missing_required_field_is_a_400(world, procedure, postal, field):
    body = {k: v for k, v in BODY.items() if k != field}
    response = postal.post(LIST, body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_an_empty_object_names_every_required_field(world, procedure, postal):
    response = postal.post(LIST, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {
        "procedure",
        "channel",
        "applicant_name",
        "applicant_id_number",
        "applicant_address",
    }
    assert response.json()["channel"] == ["Trường này là bắt buộc."]


@pytest.mark.parametrize(
    "payload, content_type",
    [
        (b"{not json", "application/json"),
        (b'{"procedure": "1.001193",', "application/json"),
        (b"", "application/json"),
        (b"null", "application/json"),
        (b"[]", "application/json"),
        (b"[1, 2]", "application/json"),
        (b'"text"', "application/json"),
        (b"42", "application/json"),
        (b"NaN", "application/json"),
        (b'{"channel": NaN}', "application/json"),
        (b"\xff\xfe\xfa", "application/json"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json"),
        (b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "application/json"),
        (b"procedure=1.001193&channel=", "application/x-www-form-urlencoded"),
        (b"--x\r\ngarbage", "multipart/form-data; boundary=x"),
        (b"--x\r\ngarbage", "multipart/form-data"),
    ],
)
def test_garbage_bodies_are_a_400_never_a_500(world, procedure, postal, payload, content_type):
    response = postal.generic("POST", LIST, payload, content_type=content_type)
    assert response.status_code == 400, response.content
    assert not Dossier.objects.exists()


def test_a_lone_surrogate_in_a_string_is_a_400(world, procedure, postal):
    body = json.dumps(BODY)[:-1] + ', "applicant_name": "Mai\\ud800"}'
    response = postal.generic("POST", LIST, body.encode(), content_type="application/json")
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["applicant_name"]


def test_an_unsupported_media_type_is_a_415(world, procedure, postal):
    response = postal.generic("POST", LIST, b"procedure", content_type="text/plain")
    assert response.status_code == 415


def test_broken_json_is_explained_in_vietnamese(world, procedure, postal):
    response = postal.generic("POST", LIST, b"{not json", content_type="application/json")
    assert response.json()["detail"].startswith("Nội dung không phải JSON hợp lệ")
    response = postal.generic("POST", LIST, b"null", content_type="application/json")
    assert response.json() == {"non_field_errors": ["Thiếu dữ liệu."]}


def test_unknown_fields_are_ignored(world, procedure, postal):
    response = postal.post(LIST, BODY | {"status": "returned", "ward": 999}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "received"


def test_citizen_id_errors_come_from_the_intake_validator(world, procedure, postal):
    response = postal.post(LIST, BODY | {"applicant_id_number": "999190001234"}, format="json")
    assert "999" in response.json()["applicant_id_number"][0]


# --- detail ---------------------------------------------------------------------------------


@pytest.fixture
def dossier(world, procedure):
    return receive(world.postal_worker, procedure, counter=world.postal_counter)


@pytest.mark.parametrize("actor", ["postal_worker", "officer", "chief", "city_admin"])
def test_the_detail_is_for_the_ward_and_its_city(world, dossier, actor):
    response = client_for(getattr(world, actor)).get(detail_url(dossier))
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == dossier.code
    # Unmasked here: the counter needs it to return the result.
    assert body["applicant_id_number"] == ID_NUMBER
    assert body["applicant_phone"] == "0987654321"
    assert body["applicant_address"] == "5 Lê Lợi"
    assert body["counter"] == {"number": 1, "name": world.postal_counter.name}
    assert body["received_by"] == world.postal_worker.get_full_name()
    assert body["returned_by"] is None


@pytest.mark.parametrize(
    "actor", ["other_postal_worker", "other_officer", "other_chief", "other_city_admin"]
)
def test_the_detail_is_404_outside_the_scope(world, dossier, actor):
    response = client_for(getattr(world, actor)).get(detail_url(dossier))
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("code", ["000.00.00.H13-260101-9999", "x", "%00", "ăâ", "a" * 500])
def test_an_unknown_code_is_a_404(world, dossier, postal, code):
    assert postal.get(f"/api/v1/dossiers/{code}/").status_code == 404


def test_the_detail_lists_the_steps_the_caller_may_take(world, dossier):
    allowed = lambda user: client_for(user).get(detail_url(dossier)).json()["allowed_actions"]  # noqa: E731
    assert allowed(world.postal_worker) == ["transfer", "refuse", "withdraw"]
    assert allowed(world.officer) == ["transfer", "refuse", "withdraw", "apologise"]
    assert allowed(world.city_admin) == []


def test_detail_query_count(world, dossier, postal, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert postal.get(detail_url(dossier)).status_code == 200


# --- transitions -------------------------------------------------------------------------


def step(api, dossier, key: str | None = None, **data):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.post(step_url(dossier), data, format="json", **headers)


def test_a_dossier_walks_from_intake_to_return(world, dossier, postal, officer):
    response = step(postal, dossier, action="transfer")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "processing"
    assert response.json()["code"] == dossier.code
    response = step(officer, dossier, action="request_supplement", note="Thiếu giấy chứng sinh")
    assert response.json()["status"] == "needs_supplement"
    assert response.json()["paused_since"] is not None
    assert step(postal, dossier, action="supplement").json()["status"] == "processing"
    response = step(officer, dossier, action="resolve")
    assert response.json()["status"] == "result_ready"
    assert response.json()["timeliness"] in ("early", "on_time")
    response = step(postal, dossier, action="return", collector_id_number=ID_NUMBER, satisfaction=5)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "returned"
    assert body["national_status"] == 10
    assert body["satisfaction"] == 5
    assert body["return_method"] == "counter"
    assert body["returned_by"] == world.postal_worker.get_full_name()
    assert body["allowed_actions"] == []
    assert list(dossier.events.values_list("action", flat=True)) == [
        "receive",
        "transfer",
        "request_supplement",
        "supplement",
        "resolve",
        "return",
    ]


def test_refuse_and_withdraw(world, procedure, postal, officer):
    first = receive(world.postal_worker, procedure)
    second = receive(world.postal_worker, procedure)
    assert step(postal, first, action="refuse", note="Sai nơi nộp").json()["status"] == "refused"
    assert step(postal, second, action="withdraw").json()["status"] == "withdrawn"


def test_an_apology_sets_a_new_date_once(world, dossier, officer):
    new_date = (dossier.appointment_at + dt.timedelta(days=3)).isoformat()
    response = step(
        officer, dossier, action="apologise", note="Chờ xác minh", new_appointment_at=new_date
    )
    assert response.status_code == 200, response.content
    dossier.refresh_from_db()
    assert dossier.apology_appointment_at >= dt.datetime.fromisoformat(new_date)
    assert dt.datetime.fromisoformat(response.json()["apology_appointment_at"]) == (
        dossier.apology_appointment_at
    )
    assert response.json()["due_at"] == response.json()["apology_appointment_at"]
    again = step(officer, dossier, action="apologise", note="Lần nữa", new_appointment_at=new_date)
    assert again.status_code == 409
    assert set(again.json()) == {"detail"}


def test_a_role_that_may_not_is_a_403(world, dossier, postal):
    step(postal, dossier, action="transfer")
    response = step(postal, dossier, action="resolve")
    assert response.status_code == 403
    assert set(response.json()) == {"detail"}
    assert "Nhân viên bưu điện" in response.json()["detail"]
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING


# The stop-processing notice exists only for dossiers received from 1/7/2025 (2025 edition).
RECEIVED_2018 = dt.datetime(2025, 6, 30, 23, 59, tzinfo=VIETNAM_TZ)
RECEIVED_2025 = dt.datetime(2025, 7, 1, 0, 0, tzinfo=VIETNAM_TZ)


def transferred_at(world, procedure, received_at) -> Dossier:
    with clock.frozen_at(received_at):
        dossier = receive(world.postal_worker, procedure)
    with clock.frozen_at(received_at + dt.timedelta(hours=9)):
        return dossier_step(user=world.postal_worker, code=dossier.code, action="transfer")


def test_the_stop_notice_is_a_step_of_the_2025_edition(world, procedure, officer):
    dossier = transferred_at(world, procedure, RECEIVED_2025)
    assert "stop" in officer.get(detail_url(dossier)).json()["allowed_actions"]
    with clock.frozen_at(RECEIVED_2025 + dt.timedelta(days=1, hours=9)):
        response = step(officer, dossier, action="stop", note="Người nộp đề nghị dừng.")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["national_status"]) == ("refused", 8)
    assert dossier.events.order_by("id").last().action == "stop"


def test_the_stop_notice_needs_a_reason(world, procedure, officer):
    dossier = transferred_at(world, procedure, RECEIVED_2025)
    with clock.frozen_at(RECEIVED_2025 + dt.timedelta(days=1, hours=9)):
        response = step(officer, dossier, action="stop", note=" ")
    assert response.status_code == 400
    assert "note" in response.json()
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING


def test_a_dossier_of_the_2018_edition_cannot_be_stopped(world, procedure, officer):
    dossier = transferred_at(world, procedure, RECEIVED_2018)
    assert "stop" not in officer.get(detail_url(dossier)).json()["allowed_actions"]
    events = dossier.events.count()
    with clock.frozen_at(RECEIVED_2018 + dt.timedelta(days=1, hours=9)):
        response = step(officer, dossier, action="stop", note="Người nộp đề nghị dừng.")
    assert response.status_code == 409
    assert set(response.json()) == {"detail"}
    assert "Nghị định 61/2018/NĐ-CP" in response.json()["detail"]
    assert "Dừng giải quyết" in response.json()["detail"]
    dossier.refresh_from_db()
    assert (dossier.status, dossier.events.count()) == (Status.PROCESSING, events)


def test_a_state_that_does_not_allow_it_is_a_409(world, dossier, postal):
    response = step(postal, dossier, action="return", collector_id_number=ID_NUMBER)
    assert response.status_code == 409
    assert set(response.json()) == {"detail"}
    assert dossier.code in response.json()["detail"]
    assert dossier.events.count() == 1


@pytest.mark.parametrize(
    "setup, data, field",
    [
        (["transfer"], {"action": "request_supplement"}, "note"),
        (["transfer"], {"action": "refuse", "note": "  "}, "note"),
        ([], {"action": "apologise", "note": "Chậm"}, "new_appointment_at"),
        (["transfer", "resolve"], {"action": "return"}, "collector_id_number"),
        (
            ["transfer", "resolve"],
            {"action": "return", "collector_id_number": "074190009999"},
            "note",
        ),
    ],
)
def test_a_service_refusal_on_input_is_a_400_on_its_field(world, dossier, setup, data, field):
    for action in setup:
        dossier_step(user=world.officer, code=dossier.code, action=action)
    response = step(client_for(world.officer), dossier, **data)
    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]


def test_an_apology_date_before_the_appointment_is_a_400(world, dossier, officer):
    earlier = (dossier.appointment_at - dt.timedelta(hours=1)).isoformat()
    response = step(officer, dossier, action="apologise", note="Chậm", new_appointment_at=earlier)
    assert response.status_code == 400
    assert list(response.json()) == ["new_appointment_at"]


@pytest.mark.parametrize("action", ["fly", "receive", "send_by_post", "delivered", "", "TRANSFER"])
def test_an_unknown_action_is_a_400_listing_the_allowed_ones(world, dossier, postal, action):
    response = step(postal, dossier, action=action)
    assert response.status_code == 400
    message = response.json()["action"][0]
    if action:
        for allowed in ["transfer", "request_supplement", "supplement", "resolve", "refuse"]:
            assert allowed in message
        assert "withdraw, return, apologise" in message
    assert dossier.events.count() == 1


def test_a_missing_action_is_a_400(world, dossier, postal):
    response = postal.post(step_url(dossier), {"note": "x"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["action"]


@pytest.mark.parametrize(
    "data, field",
    [
        ({"action": ["transfer"]}, "action"),
        ({"action": {"name": "transfer"}}, "action"),
        ({"action": None}, "action"),
        ({"action": 1}, "action"),
        ({"action": "transfer", "note": "x" * 2001}, "note"),
        ({"action": "transfer", "note": ["x"]}, "note"),
        (
            {"action": "apologise", "new_appointment_at": "2026-03-20T09:00:00"},
            "new_appointment_at",
        ),
        ({"action": "apologise", "new_appointment_at": "next week"}, "new_appointment_at"),
        (
            {"action": "apologise", "new_appointment_at": "9999-12-31T23:59:59Z"},
            "new_appointment_at",
        ),
        ({"action": "apologise", "new_appointment_at": 1773626400}, "new_appointment_at"),
        ({"action": "return", "satisfaction": 6}, "satisfaction"),
        ({"action": "return", "satisfaction": 0}, "satisfaction"),
        ({"action": "return", "satisfaction": "very"}, "satisfaction"),
        ({"action": "return", "collector_id_number": "1" * 21}, "collector_id_number"),
        ({"action": "return", "collector_id_number": {"id": 1}}, "collector_id_number"),
        ({"action": "transfer", "counter": 42}, "counter"),
        ({"action": "transfer", "counter": "one"}, "counter"),
    ],
)
def test_bad_step_input_is_a_400_naming_the_field(world, dossier, officer, data, field):
    response = step(officer, dossier, **data)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert dossier.events.count() == 1


@pytest.mark.parametrize(
    "payload",
    [b"{oops", b"null", b"[]", b'"transfer"', b"[" * 100_000, b"\xc3\x28"],
)
def test_garbage_step_bodies_are_a_400(world, dossier, postal, payload):
    response = postal.generic("POST", step_url(dossier), payload, content_type="application/json")
    assert response.status_code == 400, response.content
    assert dossier.events.count() == 1


def test_the_step_counter_is_recorded_on_the_event(world, dossier, postal):
    step(postal, dossier, action="transfer", counter=1)
    assert dossier.events.last().counter == world.postal_counter


def test_a_repeat_with_the_same_key_is_taken_once(world, dossier, postal):
    first = step(postal, dossier, key="step-1", action="transfer")
    again = step(postal, dossier, key="step-1", action="transfer")
    assert first.status_code == again.status_code == 200
    assert again.json()["status"] == "processing"
    assert dossier.events.filter(action=Action.TRANSFER).count() == 1
    # Without the key, the same step again is a conflict.
    assert step(postal, dossier, action="transfer").status_code == 409


def test_a_malformed_step_key_is_a_400(world, dossier, postal):
    response = step(postal, dossier, key="no spaces please", action="transfer")
    assert response.status_code == 400
    assert list(response.json()) == ["Idempotency-Key"]
    assert dossier.events.count() == 1


@pytest.mark.parametrize("actor", ["city_admin"])
def test_a_city_admin_reads_but_may_not_step(world, dossier, actor):
    response = step(client_for(getattr(world, actor)), dossier, action="transfer")
    assert response.status_code == 403
    assert dossier.events.count() == 1


@pytest.mark.parametrize(
    "actor", ["other_postal_worker", "other_officer", "other_chief", "other_city_admin"]
)
def test_steps_outside_the_scope_are_404(world, dossier, actor):
    response = step(client_for(getattr(world, actor)), dossier, action="transfer")
    assert response.status_code == 404
    assert dossier.events.count() == 1


def test_anonymous_may_not_step(world, dossier):
    assert step(APIClient(), dossier, action="transfer").status_code == 403


def test_get_on_transitions_is_not_allowed(world, dossier, postal):
    assert postal.get(step_url(dossier)).status_code == 405


# --- events -------------------------------------------------------------------------------


def test_the_events_are_the_control_sheet(world, dossier, postal, officer):
    step(postal, dossier, action="transfer")
    step(officer, dossier, action="request_supplement", note="Thiếu giấy chứng sinh")
    response = client_for(world.city_admin).get(events_url(dossier))
    assert response.status_code == 200
    events = response.json()
    assert [e["action"] for e in events] == ["receive", "transfer", "request_supplement"]
    assert events[0]["action_label"] == "Tiếp nhận"
    assert events[0]["counter"] == 1
    assert events[0]["actor"] == world.postal_worker.get_full_name()
    assert events[0]["to_status"] == "received"
    assert events[1]["from_status"] == "received"
    assert events[2]["note"] == "Thiếu giấy chứng sinh"
    assert events[2]["actor_role"] == "officer"
    assert "request_id" not in events[0]


@pytest.mark.parametrize(
    "actor", ["other_postal_worker", "other_officer", "other_chief", "other_city_admin"]
)
def test_events_outside_the_scope_are_404(world, dossier, actor):
    assert client_for(getattr(world, actor)).get(events_url(dossier)).status_code == 404


def test_events_query_count_does_not_grow(world, dossier, postal, officer):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert postal.get(events_url(dossier)).status_code == 200
        return len(queries)

    few = count()
    step(postal, dossier, action="transfer")
    step(officer, dossier, action="request_supplement", note="Thiếu")
    step(postal, dossier, action="supplement")
    assert count() == few == 2


# --- authentication -----------------------------------------------------------------------


def test_a_token_reads_and_writes(world, procedure):
    api = APIClient()
    token = api.post(
        reverse("api-token"), {"username": "postal.phuhoa", "password": PASSWORD}
    ).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    created = api.post(LIST, BODY, format="json")
    assert created.status_code == 201
    code = created.json()["code"]
    assert codes(api.get(LIST)) == {code}
    assert api.get(detail_url(code)).status_code == 200
    dossier = Dossier.objects.get(code=code)
    assert step(api, dossier, action="transfer").status_code == 200


def test_a_session_post_without_the_csrf_token_is_refused(world, procedure):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(world.postal_worker)
    assert api.get(LIST).status_code == 200  # reading needs no token
    response = api.post(LIST, BODY, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Dossier.objects.exists()


def test_a_session_post_with_the_csrf_token_is_accepted(world, procedure):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(world.postal_worker)
    secret = get_random_string(32)
    api.cookies["csrftoken"] = secret
    response = api.post(LIST, BODY, format="json", HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get()
    response = api.post(step_url(dossier), {"action": "transfer"}, format="json")
    assert response.status_code == 403  # the step too needs the token
    response = api.post(
        step_url(dossier), {"action": "transfer"}, format="json", HTTP_X_CSRFTOKEN=secret
    )
    assert response.status_code == 200


def test_a_token_post_needs_no_csrf_token(world, procedure):
    token = api_token_issue(user=world.officer)
    api = APIClient(enforce_csrf_checks=True)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.post(LIST, BODY, format="json").status_code == 201


def test_an_inactive_users_token_is_refused(world, procedure):
    token = api_token_issue(user=world.officer)
    world.officer.is_active = False
    world.officer.save()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(LIST).status_code in (401, 403)
    assert api.post(LIST, BODY, format="json").status_code in (401, 403)


def test_factory_ids_pass_the_api_validator(world, procedure, postal):
    response = postal.post(
        LIST, BODY | {"applicant_id_number": citizen_id(2001, female=True)}, format="json"
    )
    assert response.status_code == 201


def test_receive_then_step_through_the_services_and_read_by_api(world, dossier, officer):
    dossier_step(
        user=world.officer,
        code=dossier.code,
        action="apologise",
        note="Chậm",
        details=StepInput(new_appointment_at=dossier.appointment_at + dt.timedelta(days=1)),
    )
    body = officer.get(detail_url(dossier)).json()
    assert body["apology_appointment_at"] is not None
    assert DossierEvent.objects.filter(dossier=dossier).count() == 2


# --- whatever a client sends --------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=6,
)
FUZZ = hypothesis.settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(sorted(BODY)), json_values, max_size=4))
def test_any_intake_body_is_received_or_refused_never_a_500(world, procedure, changes):
    response = client_for(world.officer).post(LIST, BODY | changes, format="json")
    assert response.status_code in (201, 400), (changes, response.content)
    if response.status_code == 400:
        assert isinstance(response.json(), dict)


@FUZZ
@given(
    data=st.dictionaries(
        st.sampled_from(
            ["action", "note", "new_appointment_at", "collector_id_number", "satisfaction"]
        ),
        json_values | st.sampled_from(["transfer", "resolve", "apologise", "return"]),
        max_size=5,
    )
)
def test_any_step_body_answers_200_400_403_or_409(world, procedure, data):
    dossier = receive(world.officer, procedure)
    response = client_for(world.officer).post(step_url(dossier), data, format="json")
    assert response.status_code in (200, 400, 403, 409), (data, response.content)


FILTER_NAMES = [
    "status",
    "procedure",
    "channel",
    "receiver_kind",
    "due_soon",
    "overdue",
    "received_from",
    "received_to",
    "ward",
    "out_of_list",
    "timeliness",
    "q",
    "page",
    "page_size",
]


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(FILTER_NAMES),
        st.text(max_size=25)
        | st.dates().map(str)
        | st.integers().map(str)
        | st.sampled_from(["true", "false", "1", "0", "received", "late", "2026-03-16"]),
        max_size=5,
    )
)
def test_any_list_query_answers_200_or_400(world, procedure, query):
    response = client_for(world.city_admin).get(LIST, query)
    assert response.status_code in (200, 400), (query, response.content)


@FUZZ
@given(received_at=st.text(max_size=40) | st.datetimes(timezones=st.timezones()).map(str))
def test_any_appointment_query_answers_200_or_400(world, procedure, received_at):
    url = reverse("procedure-appointment", kwargs={"code": procedure.code})
    response = client_for(world.officer).get(url, {"received_at": received_at})
    assert response.status_code in (200, 400), (received_at, response.content)


def test_list_query_count_with_a_session(world, procedure):
    api = APIClient()
    api.force_login(world.officer)
    DossierFactory(ward=world.ward, procedure=procedure)
    few = _list_queries(api)
    for _ in range(10):
        DossierFactory(ward=world.ward, procedure=procedure)
    # The session read and its idle timeout renewed in one statement, the user with their
    # ward, the page (onestop/auth.py).
    assert _list_queries(api) == few == 3


def test_browsable_api_pages_render_while_developing(world, dossier, monkeypatch):
    from django.urls import resolve
    from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer

    api = APIClient()
    api.force_login(world.officer)
    urls = [LIST, detail_url(dossier), events_url(dossier)]
    # In production (DEBUG off) the API is JSON only: an HTML page is not offered.
    for url in urls:
        response = api.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 406
        assert ID_NUMBER not in response.content.decode()
    # While developing (DEBUG on) the browsable renderer is there: its pages render.
    for url in urls:
        view = resolve(url).func.cls
        monkeypatch.setattr(view, "renderer_classes", [JSONRenderer, BrowsableAPIRenderer])
    for url in urls:
        response = api.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
    # The list page never shows the full citizen ID.
    assert ID_NUMBER not in api.get(LIST, HTTP_ACCEPT="text/html").content.decode()


# --- the published schema -----------------------------------------------------------------


def test_the_schema_is_valid_and_documents_every_dossier_endpoint(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    import yaml

    paths = yaml.safe_load(out.read_text())["paths"]
    expected = {
        ("/api/v1/procedures/{code}/appointment/", "get"): {"200", "400", "403", "404"},
        ("/api/v1/dossiers/", "get"): {"200", "400", "403"},
        ("/api/v1/dossiers/", "post"): {"200", "201", "400", "403", "415"},
        ("/api/v1/dossiers/{code}/", "get"): {"200", "403", "404"},
        ("/api/v1/dossiers/{code}/transitions/", "post"): {
            "200",
            "400",
            "403",
            "404",
            "409",
            "415",
        },
        ("/api/v1/dossiers/{code}/events/", "get"): {"200", "403", "404"},
    }
    for (path, method), codes_ in expected.items():
        operation = paths[path][method]
        assert set(operation["responses"]) == codes_, (path, method)
        assert operation.get("summary") or operation.get("description")
    list_parameters = {p["name"] for p in paths["/api/v1/dossiers/"]["get"]["parameters"]}
    assert set(FILTER_NAMES) - {"page", "page_size"} <= list_parameters
    create_headers = {p["name"] for p in paths["/api/v1/dossiers/"]["post"]["parameters"]}
    assert "Idempotency-Key" in create_headers
