"""The postal service pages and the `/api/v1/deliveries/` API."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from intake.models import Channel, Dossier, Status
from onestop import clock
from postal.deliveries.models import Delivery, DeliveryStatus, PostalTariff
from postal.deliveries.services import delivery_request_record
from tests.intake.factories import DossierFactory, ProcedureFactory
from tests.postal.deliveries.test_services import (
    MOMENT,
    address,
    delivery_in,
    ready_dossier,
    send,
    waybill,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def wednesday():
    with clock.frozen_at(MOMENT):
        yield MOMENT


def form_data(**overrides) -> dict:
    values = {
        "recipient_name": "Trần Văn Bình",
        "recipient_phone": "0987 654 321",
        "street": "25 đường Bạch Đằng",
        "ward_name": "Phường Phú Cường",
        "city_name": "Thành phố Thủ Dầu Một",
        "province_name": "Bình Dương",
        "waybill_code": waybill(),
        "note": "",
        "request_id": "2b0d6f3e-3c1a-4f7e-9d6b-1a2b3c4d5e6f",
    }
    return {**values, **overrides}


# --- sending ----------------------------------------------------------------------------------


def test_the_send_form_is_filled_from_the_applicants_address(world, client):
    dossier = ready_dossier(world, applicant_address="7 Yersin, phường Hiệp Thành, TP Thủ Dầu Một")
    client.force_login(world.postal_worker)
    response = client.get(reverse("deliveries:send", kwargs={"code": dossier.code}))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["recipient_name"] == dossier.applicant_name
    assert form.initial["street"] == "7 Yersin"
    assert form.initial["ward_name"] == "phường Hiệp Thành"
    assert "26.000" in response.content.decode() or "26,000" in response.content.decode()


def test_the_send_form_prefers_the_citizens_request(world, client):
    dossier = ready_dossier(world)
    delivery_request_record(
        user=world.officer,
        code=dossier.code,
        address=address(street="1 Đồng Khởi", city_name="Quận 1", province_name="TP. Hồ Chí Minh"),
    )
    client.force_login(world.postal_worker)
    response = client.get(reverse("deliveries:send", kwargs={"code": dossier.code}))
    assert response.context["form"].initial["street"] == "1 Đồng Khởi"
    assert response.context["quote"].fee == 32_000


def test_the_price_is_shown_before_confirming(world, client):
    dossier = ready_dossier(world, fee=500_000)
    client.force_login(world.postal_worker)
    url = reverse("deliveries:send", kwargs={"code": dossier.code})
    preview = client.post(url, form_data(collects_fee="on"))
    assert preview.status_code == 200
    assert not Delivery.objects.exists()
    html = preview.content.decode()
    assert 'data-testid="confirm-send"' in html
    assert preview.context["quote"].collection_charge == 20_000
    confirm = client.post(url, form_data(collects_fee="on", confirm="True"))
    assert confirm.status_code == 302
    delivery = Delivery.objects.get()
    assert confirm["Location"] == reverse("deliveries:detail", kwargs={"delivery_id": delivery.pk})
    assert (delivery.fee, delivery.collection_charge, delivery.collected_amount) == (
        26_000,
        20_000,
        500_000,
    )
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_DELIVERY
    page = client.get(confirm["Location"]).content.decode()
    assert delivery.waybill_code in page


def test_a_refused_send_keeps_every_typed_value(world, client):
    dossier = ready_dossier(world)
    client.force_login(world.postal_worker)
    url = reverse("deliveries:send", kwargs={"code": dossier.code})
    response = client.post(url, form_data(waybill_code="EL123456789VN", confirm="True"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "sai số kiểm tra" in html
    assert 'value="25 đường Bạch Đằng"' in html
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RESULT_READY


def test_the_send_page_is_for_the_wards_staff(world, client):
    dossier = ready_dossier(world)
    url = reverse("deliveries:send", kwargs={"code": dossier.code})
    client.force_login(world.city_admin)
    assert client.get(url).status_code == 403
    client.force_login(world.other_officer)
    assert client.get(url).status_code == 404
    not_ready = DossierFactory(ward=world.ward, processing=True)
    client.force_login(world.officer)
    response = client.get(reverse("deliveries:send", kwargs={"code": not_ready.code}))
    assert response.status_code == 302


def test_the_quote_fragment(world, client):
    dossier = ready_dossier(world)
    client.force_login(world.postal_worker)
    response = client.get(
        reverse("deliveries:quote"),
        {"ho_so": dossier.code, "city_name": "Dĩ An", "province_name": "Bình Dương"},
    )
    assert response.status_code == 200
    assert response.context["quote"].fee == 31_000
    client.force_login(world.other_postal_worker)
    assert client.get(reverse("deliveries:quote"), {"ho_so": dossier.code}).status_code == 404


# --- detail and steps ---------------------------------------------------------------------------


def test_steps_from_the_delivery_page(world, client):
    delivery = delivery_in(world, DeliveryStatus.HANDED_TO_POST)
    client.force_login(world.postal_worker)
    url = reverse("deliveries:detail", kwargs={"delivery_id": delivery.pk})
    html = client.get(url).content.decode()
    assert 'data-testid="step-delivered"' in html and 'data-testid="step-failed"' in html
    step = reverse("deliveries:step", kwargs={"delivery_id": delivery.pk})
    refused = client.post(step, {"to": "failed", "reason": ""})
    assert refused.status_code == 400
    assert "Ghi lý do" in refused.content.decode()
    failed = client.post(step, {"to": "failed", "reason": "Sai địa chỉ"})
    assert failed.status_code == 302
    assert Dossier.objects.get(pk=delivery.dossier_id).status == Status.RESULT_READY
    wrong = client.post(step, {"to": "delivered"})
    assert wrong.status_code == 409
    client.force_login(world.city_admin)
    assert client.get(url).status_code == 200
    assert client.post(step, {"to": "returned_to_counter"}).status_code == 403


def test_the_counter_is_told_of_a_failed_delivery(world, client):
    delivery = delivery_in(world, DeliveryStatus.FAILED)
    client.force_login(world.officer)
    listing = client.get(reverse("deliveries:list")).content.decode()
    assert 'data-testid="failed-deliveries"' in listing
    assert "Vắng nhà" in listing
    detail = client.get(
        reverse("intake:dossier-detail", kwargs={"code": delivery.dossier.code})
    ).content.decode()
    assert 'data-testid="delivery-failed"' in detail
    assert 'data-testid="go-send-by-post"' in detail


def test_the_list_masks_phones_and_keeps_its_query_count(
    world, client, django_assert_max_num_queries
):
    send(world, ready_dossier(world))
    client.force_login(world.postal_worker)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("deliveries:list"))
    for _ in range(10):
        delivery_in(world, DeliveryStatus.FAILED)
        send(world, ready_dossier(world))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("deliveries:list"))
    html = response.content.decode()
    assert "0912345678" not in html
    assert "•••••••678" in html
    assert len(response.context["deliveries"]) == 21


# --- hand-over list ---------------------------------------------------------------------------


def test_the_hand_over_list_prints_and_confirms(world, client):
    first = send(world, ready_dossier(world))
    second = send(world, ready_dossier(world, fee=2_500_000), collects_fee=True)
    client.force_login(world.postal_worker)
    url = reverse("deliveries:handover")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for delivery in (first, second):
        assert delivery.waybill_code in html
        assert delivery.dossier.code in html
    assert "BẢNG KÊ GIAO NHẬN" in html
    assert "BÊN NHẬN" in html and "BÊN GIAO" in html
    # A day under the 2025 edition of the rules: the desk is the service centre.
    assert 'data-testid="handover-desk">(Trung tâm phục vụ hành chính công — ký' in html
    assert "12 đường Yersin, khu phố 3, Phường Phú Cường" in html  # the courier needs it whole
    assert "2.500.000" in html or "2,500,000" in html
    response = client.post(url, {"ngay": MOMENT.strftime("%d/%m/%Y")})
    assert response.status_code == 302
    assert set(Delivery.objects.values_list("status", flat=True)) == {"handed_to_post"}
    other_day = client.get(url, {"ngay": "10/03/2026"})
    assert other_day.context["lines"] == []


def test_the_hand_over_list_is_for_ward_staff(world, client):
    client.force_login(world.city_admin)
    assert client.get(reverse("deliveries:handover")).status_code == 403


# --- the dossier's postal page ------------------------------------------------------------------


def test_a_postal_dossier_records_its_inbound_item_and_the_result_place(world, client):
    dossier = DossierFactory(
        ward=world.ward,
        channel=Channel.POSTAL,
        applicant_address="3 Cách Mạng Tháng Tám, phường Chánh Nghĩa, TP. Thủ Dầu Một",
    )
    client.force_login(world.postal_worker)
    url = reverse("deliveries:dossier-postal", kwargs={"code": dossier.code})
    page = client.get(url)
    assert page.context["inbound_form"].initial["street"] == "3 Cách Mạng Tháng Tám"
    assert page.context["result_form"].initial["result_place"] == "post"
    code = waybill()
    data = {
        f"inbound-{key}": value
        for key, value in form_data(waybill_code=code).items()
        if key != "request_id"
    }
    assert client.post(url, data).status_code == 302
    inbound = dossier.deliveries.get()
    assert inbound.waybill_code == code
    result = {f"result-{k}": v for k, v in form_data().items() if k not in ("waybill_code",)}
    result["result-result_place"] = "post"
    assert client.post(url, result).status_code == 302
    assert dossier.delivery_request.is_active
    html = client.get(url).content.decode()
    assert 'data-testid="result-by-post"' in html
    assert 'data-testid="inbound"' in html
    counter = client.post(url, {"result-result_place": "counter"})
    assert counter.status_code == 302
    dossier.delivery_request.refresh_from_db()
    assert not dossier.delivery_request.is_active


def test_the_postal_page_refuses_bad_input_with_400(world, client):
    dossier = DossierFactory(ward=world.ward, channel=Channel.POSTAL)
    client.force_login(world.postal_worker)
    url = reverse("deliveries:dossier-postal", kwargs={"code": dossier.code})
    response = client.post(url, {"inbound-waybill_code": "XX"})
    assert response.status_code == 400
    client.force_login(world.city_admin)
    assert client.get(url).status_code == 200
    assert client.post(url, {"result-result_place": "counter"}).status_code == 403


# --- tariff -----------------------------------------------------------------------------------


def tariff_form(**overrides):
    values = {
        "valid_from": "01/04/2026",
        "within_city": "27000",
        "within_province": "32000",
        "other_province": "33000",
        "collection_low": "8000",
        "collection_low_below": "500000",
        "collection_mid": "20000",
        "collection_mid_below": "2000000",
        "collection_percent": "1",
        "source": "Thông báo giá cước 2026",
    }
    return {**values, **overrides}


def test_the_city_admin_edits_the_tariff(world, client):
    client.force_login(world.city_admin)
    url = reverse("deliveries:tariff")
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["current"].within_city == 26_000
    bad = client.post(url, tariff_form(within_province="1000"))
    assert bad.status_code == 400
    assert not PostalTariff.objects.exists()
    assert client.post(url, tariff_form()).status_code == 302
    tariff = PostalTariff.objects.get()
    assert (tariff.city, tariff.valid_from, tariff.within_city) == (
        world.city,
        dt.date(2026, 4, 1),
        27_000,
    )
    assert tariff.updated_by == world.city_admin


def test_ward_staff_read_the_tariff_only(world, client):
    client.force_login(world.postal_worker)
    url = reverse("deliveries:tariff")
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"] is None
    assert client.post(url, tariff_form()).status_code == 403
    assert not PostalTariff.objects.exists()


# --- API --------------------------------------------------------------------------------------


@pytest.fixture
def api():
    return APIClient()


def api_body(target, **overrides):
    values = {key: value for key, value in form_data().items() if key != "request_id"}
    return {"dossier": target.code, **values, **overrides}


def test_api_create_transitions_and_detail(world, api):
    dossier = ready_dossier(world)
    api.force_authenticate(world.postal_worker)
    created = api.post(reverse("delivery-list"), api_body(dossier), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "created" and body["fee"] == 26_000
    assert body["recipient_phone"] == "0987654321"
    url = reverse("delivery-transitions", kwargs={"pk": body["id"]})
    for to in ("handed_to_post", "in_transit"):
        assert api.post(url, {"to": to}, format="json").status_code == 200
    done = api.post(url, {"to": "delivered", "satisfaction": 4}, format="json")
    assert done.status_code == 200
    assert [step["status"] for step in done.json()["steps"]] == [
        "created",
        "handed_to_post",
        "in_transit",
        "delivered",
    ]
    dossier.refresh_from_db()
    assert (dossier.status, dossier.return_method, dossier.satisfaction) == ("returned", "post", 4)
    again = api.post(url, {"to": "failed", "reason": "x"}, format="json")
    assert again.status_code == 409


def test_api_errors(world, api):
    dossier = ready_dossier(world)
    api.force_authenticate(world.postal_worker)
    bad = api.post(
        reverse("delivery-list"), api_body(dossier, waybill_code="EL123456789VN"), format="json"
    )
    assert bad.status_code == 400 and "waybill_code" in bad.json()
    missing = api.post(reverse("delivery-list"), {"dossier": dossier.code}, format="json")
    assert missing.status_code == 400 and "recipient_name" in missing.json()
    unknown = api.post(reverse("delivery-list"), api_body(dossier, dossier="X-1"), format="json")
    assert unknown.status_code == 400 and "dossier" in unknown.json()
    not_ready = DossierFactory(ward=world.ward, processing=True)
    conflict = api.post(reverse("delivery-list"), api_body(not_ready), format="json")
    assert conflict.status_code == 409
    api.force_authenticate(world.city_admin)
    assert api.post(reverse("delivery-list"), api_body(dossier), format="json").status_code == 403
    api.force_authenticate(world.other_officer)
    outside = api.post(reverse("delivery-list"), api_body(dossier), format="json")
    assert outside.status_code == 400
    delivery = delivery_in(world, DeliveryStatus.CREATED)
    detail = reverse("delivery-detail", kwargs={"pk": delivery.pk})
    assert api.get(detail).status_code == 404
    transition = reverse("delivery-transitions", kwargs={"pk": delivery.pk})
    assert api.post(transition, {"to": "handed_to_post"}, format="json").status_code == 404
    api.force_authenticate(world.postal_worker)
    assert api.post(transition, {"to": "nowhere"}, format="json").status_code == 400
    assert api.post(transition, {"to": "failed"}, format="json").status_code == 409
    handed = api.post(transition, {"to": "handed_to_post"}, format="json")
    assert handed.status_code == 200
    assert api.post(transition, {"to": "failed"}, format="json").status_code == 400  # no reason
    api.logout()
    api.force_authenticate(None)
    assert api.get(reverse("delivery-list")).status_code in (401, 403)


def test_api_idempotency_key(world, api):
    dossier = ready_dossier(world)
    api.force_authenticate(world.postal_worker)
    body = api_body(dossier)
    first = api.post(reverse("delivery-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = api.post(reverse("delivery-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]


def test_api_list_masks_and_filters(world, api, django_assert_max_num_queries):
    delivery_in(world, DeliveryStatus.FAILED)
    send(world, ready_dossier(world))
    api.force_authenticate(world.city_admin)
    with django_assert_max_num_queries(6):
        listing = api.get(reverse("delivery-list")).json()
    assert len(listing["results"]) == 2
    assert all(re.fullmatch(r"•+\d{3}", item["recipient_phone"]) for item in listing["results"])
    assert "street" not in listing["results"][0]
    failed = api.get(reverse("delivery-list"), {"status": "failed"}).json()["results"]
    assert [item["status"] for item in failed] == ["failed"]
    assert api.get(reverse("delivery-list"), {"status": "lost"}).status_code == 400
    assert api.get(reverse("delivery-list"), {"day": "11/03/2026"}).status_code == 400
    assert len(api.get(reverse("delivery-list"), {"day": "2026-03-11"}).json()["results"]) == 2
    api.force_authenticate(world.other_city_admin)
    assert api.get(reverse("delivery-list")).json()["results"] == []


def test_api_quote(world, api):
    dossier = ready_dossier(world, fee=1_999_999)
    api.force_authenticate(world.officer)
    response = api.get(
        reverse("delivery-quote"),
        {
            "dossier": dossier.code,
            "city_name": "Bến Cát",
            "province_name": "Bình Dương",
            "collects_fee": "true",
        },
    )
    assert response.status_code == 200
    assert response.json() | {"tariff_valid_from": None} == {
        "zone": "province",
        "fee": 31_000,
        "collected_amount": 1_999_999,
        "collection_charge": 20_000,
        "total": 51_000,
        "tariff_valid_from": None,
    }
    assert api.get(reverse("delivery-quote"), {"dossier": dossier.code}).status_code == 400


def test_api_inbound(world, api):
    dossier = DossierFactory(ward=world.ward, channel=Channel.POSTAL, procedure=ProcedureFactory())
    api.force_authenticate(world.postal_worker)
    response = api.post(
        reverse("delivery-list"), api_body(dossier, direction="inbound"), format="json"
    )
    assert response.status_code == 201
    assert (response.json()["direction"], response.json()["status"]) == ("inbound", "delivered")
    delivery = Delivery.objects.get(pk=response.json()["id"])
    transition = reverse("delivery-transitions", kwargs={"pk": delivery.pk})
    assert api.post(transition, {"to": "handed_to_post"}, format="json").status_code == 409


def test_api_schema_documents_deliveries(world, api):
    api.force_authenticate(world.postal_worker)
    paths = api.get(reverse("api-schema"), {"format": "json"}).json()["paths"]
    for path in (
        "/api/v1/deliveries/",
        "/api/v1/deliveries/{id}/",
        "/api/v1/deliveries/{id}/transitions/",
        "/api/v1/deliveries/quote/",
    ):
        assert path in paths


def test_the_receipt_says_where_the_result_goes(world, client):
    from postal.deliveries.services import delivery_request_withdraw

    dossier = DossierFactory(ward=world.ward)
    client.force_login(world.postal_worker)
    url = reverse("intake:receipt", kwargs={"code": dossier.code})
    by_post = "trả qua dịch vụ bưu chính công ích"
    page = client.get(url).content.decode()
    assert by_post not in page
    assert reverse("deliveries:dossier-postal", kwargs={"code": dossier.code}) in page
    delivery_request_record(user=world.postal_worker, code=dossier.code, address=address())
    assert by_post in client.get(url).content.decode()
    delivery_request_withdraw(user=world.postal_worker, code=dossier.code)
    assert by_post not in client.get(url).content.decode()
    sent_in = DossierFactory(ward=world.ward, channel=Channel.POSTAL)
    page = client.get(reverse("intake:receipt", kwargs={"code": sent_in.code})).content.decode()
    assert by_post in page


def test_the_workers_today_page_lists_failed_deliveries(world, client):
    client.force_login(world.postal_worker)
    assert (
        'data-testid="failed-deliveries-panel"' not in client.get(reverse("home")).content.decode()
    )
    delivery = delivery_in(world, DeliveryStatus.FAILED)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="failed-deliveries-panel"' in html
    assert delivery.dossier.code in html
    client.force_login(world.other_postal_worker)
    assert delivery.dossier.code not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_days_at_the_calendars_ends_are_empty_not_errors(world, api, client, day):
    api.force_authenticate(world.postal_worker)
    assert api.get(reverse("delivery-list"), {"day": day}).json()["results"] == []
    client.force_login(world.postal_worker)
    shown = day[8:] + "/" + day[5:7] + "/" + day[:4]
    assert client.get(reverse("deliveries:list"), {"day": shown}).status_code == 200
    assert client.get(reverse("deliveries:handover"), {"ngay": shown}).status_code == 200


@pytest.mark.parametrize("name", ["delivery-list", "delivery-transitions"])
def test_deeply_nested_json_is_a_400(world, api, name):
    delivery = delivery_in(world, DeliveryStatus.CREATED)
    api.force_authenticate(world.postal_worker)
    kwargs = {"pk": delivery.pk} if name == "delivery-transitions" else {}
    body = "[" * 100_000 + "]" * 100_000
    response = api.post(reverse(name, kwargs=kwargs), body, content_type="application/json")
    assert response.status_code == 400


# --- the quote step and the address ----------------------------------------------------------


def test_a_wrong_check_digit_is_refused_at_the_quote_step(world, client):
    dossier = ready_dossier(world)
    client.force_login(world.postal_worker)
    url = reverse("deliveries:send", kwargs={"code": dossier.code})
    # EB123456785VN is right (weights 8 6 4 2 3 5 9 7: 204 mod 11 = 6, 11 - 6 = 5); ...784 not.
    preview = client.post(url, form_data(waybill_code="EB123456784VN"))
    assert preview.status_code == 400
    html = preview.content.decode()
    assert "Mã bưu gửi EB123456784VN sai số kiểm tra: hãy đọc lại mã trên nhãn." in html
    assert 'data-testid="confirm-send"' not in html
    assert 'value="EB123456784VN"' in html
    right = client.post(url, form_data(waybill_code="eb 123456785 vn"))
    assert right.status_code == 200
    assert 'data-testid="confirm-send"' in right.content.decode()
    assert not Delivery.objects.exists()


@pytest.mark.parametrize(
    ("typed", "street"),
    [
        ("7 Yersin", "7 Yersin"),  # no ward written: the dossier's ward
        ("7 Yersin, Phú Hòa", "7 Yersin"),  # the ward written bare: taken as the ward
    ],
)
def test_the_send_form_prefills_the_dossiers_ward_once(world, client, typed, street):
    dossier = ready_dossier(world, applicant_address=typed)
    client.force_login(world.postal_worker)
    response = client.get(reverse("deliveries:send", kwargs={"code": dossier.code}))
    initial = response.context["form"].initial
    assert (initial["street"], initial["ward_name"]) == (street, "Phường Phú Hòa")


def test_an_address_elsewhere_gets_no_ward_of_ours(world):
    from postal.deliveries.services import split_address

    parts = split_address("1 Đồng Khởi, Quận 1, TP. Hồ Chí Minh", city=world.city, ward=world.ward)
    assert parts["ward_name"] == ""


def test_the_ward_is_printed_once_on_the_hand_over_list_and_the_delivery(world, client):
    dossier = ready_dossier(world)
    delivery = send(
        world,
        dossier,
        address=address(street="7 Yersin, Phú Hòa", ward_name="Phường Phú Hòa"),
    )
    assert delivery.full_address == "7 Yersin, Phường Phú Hòa, Thành phố Thủ Dầu Một, Bình Dương"
    client.force_login(world.postal_worker)
    page = client.get(reverse("deliveries:detail", kwargs={"delivery_id": delivery.pk}))
    html = page.content.decode()
    assert "7 Yersin, Phường Phú Hòa, Thành phố Thủ Dầu Một" in html
    assert "Phú Hòa, Phường Phú Hòa" not in html
