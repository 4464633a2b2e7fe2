"""Deliveries by post: S10 waybill codes, the tariff and its edges, zones, and every delivery
step with the dossier step it takes, for every role."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from intake.lifecycle import Action
from intake.models import Channel, Dossier, ReturnMethod, Status
from onestop import clock
from onestop.errors import Conflict, InvalidInput, NotAllowed
from postal.deliveries.models import (
    Delivery,
    DeliveryDirection,
    DeliveryStatus,
    PostalTariff,
    Zone,
    s10_check_digit,
    validate_s10,
)
from postal.deliveries.services import (
    STEPS,
    AddressInput,
    deliveries_hand_over,
    delivery_advance,
    delivery_quote,
    delivery_record_inbound,
    delivery_request_record,
    delivery_request_withdraw,
    delivery_send,
    next_steps,
    split_address,
    tariff_for,
    tariff_reference,
    tariff_set,
    zone_of,
)
from tests.intake.factories import DossierFactory, ProcedureFactory
from wards.calendar import VIETNAM_TZ

pytestmark = pytest.mark.django_db

# Wednesday 11 March 2026, 10:00, within working hours.
MOMENT = dt.datetime(2026, 3, 11, 10, 0, tzinfo=VIETNAM_TZ)


@pytest.fixture(autouse=True)
def wednesday():
    with clock.frozen_at(MOMENT):
        yield MOMENT


# --- helpers ----------------------------------------------------------------------------------

_serial = iter(range(10_000_000, 99_999_999, 7919))


def waybill() -> str:
    """A fresh valid S10 code."""
    serial = f"{next(_serial):08d}"
    return f"EL{serial}{s10_check_digit(serial)}VN"


def address(**overrides) -> AddressInput:
    values = {
        "recipient_name": "Nguyễn Thị Mai",
        "recipient_phone": "0912345678",
        "street": "12 đường Yersin, khu phố 3",
        "ward_name": "Phường Phú Cường",
        "city_name": "Thành phố Thủ Dầu Một",
        "province_name": "Bình Dương",
    }
    return AddressInput(**{**values, **overrides})


def ready_dossier(world, fee=50_000, **kwargs) -> Dossier:
    procedure = ProcedureFactory(fee=fee)
    return DossierFactory(ward=world.ward, procedure=procedure, result_ready=True, **kwargs)


def send(world, dossier, user=None, **kwargs) -> Delivery:
    kwargs.setdefault("address", address())
    kwargs.setdefault("waybill_code", waybill())
    return delivery_send(user=user or world.postal_worker, code=dossier.code, **kwargs)


def advance(user, delivery, to, **kwargs) -> Delivery:
    return delivery_advance(user=user, delivery_id=delivery.pk, to=to, **kwargs)


# --- S10 waybill codes ------------------------------------------------------------------------


def test_the_s10_check_digit_of_the_standard_example():
    assert s10_check_digit("12345678") == 5
    assert validate_s10("EL123456785VN") == "EL123456785VN"


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("EL123456785VN", True),
        ("EL123456789VN", False),  # wrong check digit
        ("RR000000005VN", True),  # sum 0 → 11 → 5
        ("RR000000080VN", True),  # sum 56, 56 mod 11 = 1 → 10 → 0
        ("RR000000085VN", False),
        ("el 1234 5678 5vn", True),  # typed with spaces, in lower case
        ("EL-123456785-VN", True),
        ("E1123456785VN", False),
        ("EL12345678VN", False),  # nine digits missing one
        ("EL1234567855VN", False),
        ("", False),
    ],
)
def test_s10_codes(code, valid):
    if valid:
        assert validate_s10(code) == code.replace(" ", "").replace("-", "").upper()
    else:
        with pytest.raises(ValidationError):
            validate_s10(code)


def test_every_check_digit_is_computed_from_the_weights():
    for serial in ("00000001", "47110815", "99999999", "31415926"):
        total = sum(int(d) * w for d, w in zip(serial, (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
        expected = {10: 0, 11: 5}.get(11 - total % 11, 11 - total % 11)
        assert s10_check_digit(serial) == expected


# --- the tariff -------------------------------------------------------------------------------


def reference_tariff() -> PostalTariff:
    return PostalTariff(valid_from=dt.date(2018, 12, 1), **tariff_reference())


def test_the_reference_tariff_is_the_pilots():
    tariff = reference_tariff()
    assert (tariff.within_city, tariff.within_province, tariff.other_province) == (
        26_000,
        31_000,
        32_000,
    )
    assert [tariff.fee_for(zone) for zone in Zone] == [26_000, 31_000, 32_000]


@pytest.mark.parametrize(
    ("amount", "charge"),
    [
        (None, 0),
        (0, 0),
        (1, 8_000),
        (499_999, 8_000),
        (500_000, 20_000),
        (1_999_999, 20_000),
        (2_000_000, 20_000),  # 1 % from here on
        (2_000_049, 20_000),
        (2_000_050, 20_001),  # half a đồng rounds up
        (2_345_678, 23_457),
        (10_000_000, 100_000),
    ],
)
def test_collection_charge_edges(amount, charge):
    assert reference_tariff().collection_charge(amount) == charge


@pytest.mark.parametrize(
    ("city_name", "province_name", "zone"),
    [
        ("Thành phố Thủ Dầu Một", "Bình Dương", Zone.CITY),
        ("TP. Thủ Dầu Một", "tỉnh Bình Dương", Zone.CITY),
        ("thu dau mot", "", Zone.CITY),  # no province: the city's own
        ("Thành phố Dĩ An", "Bình Dương", Zone.PROVINCE),
        ("Huyện Dầu Tiếng", "Tỉnh Bình Dương", Zone.PROVINCE),
        ("Quận 1", "Thành phố Hồ Chí Minh", Zone.OTHER),
        ("Thủ Dầu Một", "Đồng Nai", Zone.OTHER),  # same name, other province
    ],
)
def test_zones(world, city_name, province_name, zone):
    assert zone_of(city=world.city, city_name=city_name, province_name=province_name) == zone


def test_a_one_line_address_is_split_for_the_form(world):
    parts = split_address(
        "12 Yersin, khu phố 3, phường Phú Cường, TP. Thủ Dầu Một", city=world.city
    )
    assert parts == {
        "street": "12 Yersin, khu phố 3",
        "ward_name": "phường Phú Cường",
        "city_name": "TP. Thủ Dầu Một",
        "province_name": "Bình Dương",
    }
    bare = split_address("45 Lê Lợi", city=world.city)
    assert bare["street"] == "45 Lê Lợi"
    assert bare["city_name"].endswith("Thủ Dầu Một")


def test_the_city_admin_sets_a_new_tariff_and_the_old_one_stays(world):
    values = {**tariff_reference(), "within_city": 28_000}
    values.pop("source")
    new = tariff_set(
        user=world.city_admin, city=world.city, valid_from=dt.date(2026, 3, 15), **values
    )
    assert tariff_for(city=world.city, on=dt.date(2026, 3, 14)).within_city == 26_000
    assert tariff_for(city=world.city, on=dt.date(2026, 3, 15)) == new
    # The same day again corrects that version, it does not add one.
    tariff_set(
        user=world.city_admin,
        city=world.city,
        valid_from=dt.date(2026, 3, 15),
        **{**values, "within_city": 27_000},
    )
    assert PostalTariff.objects.filter(city=world.city).count() == 1
    assert tariff_for(city=world.city, on=dt.date(2026, 4, 1)).within_city == 27_000


@pytest.mark.parametrize("who", ["postal_worker", "officer", "chief", "other_city_admin"])
def test_only_the_citys_admin_sets_its_tariff(world, who):
    values = tariff_reference()
    values.pop("source")
    with pytest.raises(NotAllowed):
        tariff_set(user=getattr(world, who), city=world.city, valid_from=MOMENT.date(), **values)
    assert not PostalTariff.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"within_city": -1}, "within_city"),
        ({"collection_mid_below": 400_000}, "collection_mid_below"),
        ({"collection_percent": Decimal("101")}, "collection_percent"),
        ({"within_province": 20_000}, "within_province"),
    ],
)
def test_a_tariff_must_make_sense(world, change, field):
    values = {**tariff_reference(), **change}
    values.pop("source")
    with pytest.raises(InvalidInput) as error:
        tariff_set(user=world.city_admin, city=world.city, valid_from=MOMENT.date(), **values)
    assert error.value.field == field


def test_the_quote_follows_the_address_and_the_fee(world):
    dossier = ready_dossier(world, fee=600_000)
    city = delivery_quote(
        dossier=dossier, city_name="Thủ Dầu Một", province_name="Bình Dương", collects_fee=True
    )
    assert (city.zone, city.fee, city.collected_amount, city.collection_charge, city.total) == (
        Zone.CITY,
        26_000,
        600_000,
        20_000,
        46_000,
    )
    far = delivery_quote(dossier=dossier, city_name="Quận 3", province_name="TP. Hồ Chí Minh")
    assert (far.zone, far.fee, far.collection_charge) == (Zone.OTHER, 32_000, 0)


# --- sending a result -------------------------------------------------------------------------


def test_sending_creates_the_delivery_and_moves_the_dossier(world):
    dossier = ready_dossier(world, fee=0)
    code = waybill()
    delivery = send(world, dossier, waybill_code=code.lower())
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_DELIVERY
    event = dossier.events.get(action=Action.SEND_BY_POST)
    assert event.actor == world.postal_worker
    assert code in event.note
    assert (
        event.from_unit.startswith("Trung tâm phục vụ hành chính công")
        and event.to_unit == "Bưu điện"
    )
    assert delivery.waybill_code == code
    assert (delivery.direction, delivery.status) == (
        DeliveryDirection.OUTBOUND,
        DeliveryStatus.CREATED,
    )
    assert (delivery.zone, delivery.fee, delivery.collection_charge) == (Zone.CITY, 26_000, 0)
    assert (delivery.created_by, delivery.created_at) == (world.postal_worker, MOMENT)
    assert delivery.ward == world.ward


def test_the_delivery_keeps_its_price_when_the_tariff_changes(world):
    delivery = send(world, ready_dossier(world, fee=2_000_000), collects_fee=True)
    assert (delivery.fee, delivery.collection_charge) == (26_000, 20_000)
    values = {**tariff_reference(), "within_city": 30_000}
    values.pop("source")
    tariff_set(user=world.city_admin, city=world.city, valid_from=MOMENT.date(), **values)
    delivery.refresh_from_db()
    assert delivery.fee == 26_000
    later = send(world, ready_dossier(world, fee=0))
    assert later.fee == 30_000


@pytest.mark.parametrize("trait", ["processing", "returned", "in_delivery", "refused"])
def test_only_a_ready_result_is_sent(world, trait):
    dossier = DossierFactory(ward=world.ward, **{trait: True})
    with pytest.raises(Conflict):
        send(world, dossier)
    assert not Delivery.objects.exists()
    dossier.refresh_from_db()
    assert dossier.status == Dossier.objects.get(pk=dossier.pk).status


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"waybill_code": "EL123456789VN"}, "waybill_code"),
        ({"address": address(recipient_phone="12345")}, "recipient_phone"),
        ({"address": address(street="  ")}, "street"),
        ({"address": address(city_name="")}, "city_name"),
        ({"collects_fee": True}, "collects_fee"),  # the procedure has no fee
    ],
)
def test_bad_input_is_refused_and_nothing_changes(world, change, field):
    dossier = ready_dossier(world, fee=0)
    with pytest.raises(InvalidInput) as error:
        send(world, dossier, **change)
    assert error.value.field == field
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
    assert not Delivery.objects.exists()


def test_a_waybill_code_is_used_once(world):
    code = waybill()
    send(world, ready_dossier(world), waybill_code=code)
    other = ready_dossier(world)
    with pytest.raises(InvalidInput) as error:
        send(world, other, waybill_code=code)
    assert error.value.field == "waybill_code"
    other.refresh_from_db()
    assert other.status == Status.RESULT_READY


def test_a_race_on_the_same_waybill_leaves_the_dossier_ready(world, monkeypatch):
    code = waybill()
    send(world, ready_dossier(world), waybill_code=code)
    other = ready_dossier(world)
    # The second counter checked before the first saved: only the unique index sees it.
    monkeypatch.setattr("postal.deliveries.services.outbound._waybill", lambda value: value)
    with pytest.raises(InvalidInput):
        send(world, other, waybill_code=code)
    other.refresh_from_db()
    assert other.status == Status.RESULT_READY
    assert not other.events.filter(action=Action.SEND_BY_POST).exists()


def test_a_double_confirmation_sends_once(world):
    dossier = ready_dossier(world)
    first = send(world, dossier, request_id="send-1")
    again = send(world, dossier, request_id="send-1")
    assert again.pk == first.pk
    assert dossier.events.filter(action=Action.SEND_BY_POST).count() == 1


def test_who_may_send(world):
    for user in (world.postal_worker, world.officer, world.chief):
        assert send(world, ready_dossier(world), user=user).created_by == user
    dossier = ready_dossier(world)
    with pytest.raises(NotAllowed):
        send(world, dossier, user=world.city_admin)
    for outsider in (world.other_postal_worker, world.other_chief, world.other_city_admin):
        with pytest.raises(Dossier.DoesNotExist):
            send(world, dossier, user=outsider)
    assert not dossier.deliveries.exists()


# --- the delivery's steps ---------------------------------------------------------------------

# How an outbound delivery reaches each status (from created).
PATHS = {
    DeliveryStatus.CREATED: [],
    DeliveryStatus.HANDED_TO_POST: [DeliveryStatus.HANDED_TO_POST],
    DeliveryStatus.IN_TRANSIT: [DeliveryStatus.HANDED_TO_POST, DeliveryStatus.IN_TRANSIT],
    DeliveryStatus.DELIVERED: [
        DeliveryStatus.HANDED_TO_POST,
        DeliveryStatus.IN_TRANSIT,
        DeliveryStatus.DELIVERED,
    ],
    DeliveryStatus.FAILED: [DeliveryStatus.HANDED_TO_POST, DeliveryStatus.FAILED],
    DeliveryStatus.RETURNED_TO_COUNTER: [
        DeliveryStatus.HANDED_TO_POST,
        DeliveryStatus.FAILED,
        DeliveryStatus.RETURNED_TO_COUNTER,
    ],
}
# The delivery's table, written out independently of postal.deliveries.services.STEPS.
ALLOWED = {
    (DeliveryStatus.CREATED, DeliveryStatus.HANDED_TO_POST),
    (DeliveryStatus.HANDED_TO_POST, DeliveryStatus.IN_TRANSIT),
    (DeliveryStatus.HANDED_TO_POST, DeliveryStatus.DELIVERED),
    (DeliveryStatus.HANDED_TO_POST, DeliveryStatus.FAILED),
    (DeliveryStatus.IN_TRANSIT, DeliveryStatus.DELIVERED),
    (DeliveryStatus.IN_TRANSIT, DeliveryStatus.FAILED),
    (DeliveryStatus.FAILED, DeliveryStatus.RETURNED_TO_COUNTER),
}
DOSSIER_AFTER = {
    DeliveryStatus.CREATED: Status.IN_DELIVERY,
    DeliveryStatus.HANDED_TO_POST: Status.IN_DELIVERY,
    DeliveryStatus.IN_TRANSIT: Status.IN_DELIVERY,
    DeliveryStatus.DELIVERED: Status.RETURNED,
    DeliveryStatus.FAILED: Status.RESULT_READY,
    DeliveryStatus.RETURNED_TO_COUNTER: Status.RESULT_READY,
}


def delivery_in(world, status) -> Delivery:
    delivery = send(world, ready_dossier(world))
    for step in PATHS[status]:
        delivery = advance(world.officer, delivery, step, reason="Vắng nhà")
    assert delivery.status == status
    return delivery


def test_the_table_is_the_documented_one():
    assert {(source, to) for to, (sources, _a) in STEPS.items() for source in sources} == ALLOWED


@pytest.mark.parametrize("role", ["postal_worker", "officer", "chief"])
@pytest.mark.parametrize(
    ("source", "to"),
    [(source, to) for source in PATHS for to in DeliveryStatus if to != DeliveryStatus.CREATED],
)
def test_every_step_for_every_counter_role(world, role, source, to):
    delivery = delivery_in(world, source)
    user = getattr(world, role)
    before = Delivery.objects.get(pk=delivery.pk)
    if source == to:
        assert advance(user, delivery, to, reason="Lại").status == to  # a double click
        return
    if (source, to) not in ALLOWED:
        with pytest.raises(Conflict):
            advance(user, delivery, to, reason="Sai địa chỉ")
        after = Delivery.objects.get(pk=delivery.pk)
        assert after.status == before.status
        assert after.dossier.status == DOSSIER_AFTER[source]
        return
    done = advance(user, delivery, to, reason="Sai địa chỉ, không liên lạc được")
    assert done.status == to
    prefix = {
        DeliveryStatus.HANDED_TO_POST: "handed",
        DeliveryStatus.IN_TRANSIT: "in_transit",
        DeliveryStatus.DELIVERED: "delivered",
        DeliveryStatus.FAILED: "failed",
        DeliveryStatus.RETURNED_TO_COUNTER: "returned",
    }[to]
    assert getattr(done, f"{prefix}_by") == user
    assert getattr(done, f"{prefix}_at") == MOMENT
    done.dossier.refresh_from_db()
    assert done.dossier.status == DOSSIER_AFTER[to]


@pytest.mark.parametrize("who", ["city_admin", "other_postal_worker", "other_city_admin"])
def test_no_step_outside_the_ward(world, who):
    delivery = delivery_in(world, DeliveryStatus.HANDED_TO_POST)
    user = getattr(world, who)
    expected = NotAllowed if who == "city_admin" else Delivery.DoesNotExist
    with pytest.raises(expected):
        advance(user, delivery, DeliveryStatus.DELIVERED)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.HANDED_TO_POST
    assert next_steps(delivery, user.role) == [] or who != "city_admin"


def test_delivered_returns_the_dossier_by_post(world):
    delivery = delivery_in(world, DeliveryStatus.IN_TRANSIT)
    advance(world.postal_worker, delivery, DeliveryStatus.DELIVERED, satisfaction=5)
    dossier = Dossier.objects.get(pk=delivery.dossier_id)
    assert dossier.status == Status.RETURNED
    assert dossier.return_method == ReturnMethod.POST
    assert (dossier.returned_by, dossier.returned_at) == (world.postal_worker, MOMENT)
    assert dossier.satisfaction == 5
    event = dossier.events.get(action=Action.DELIVERED)
    assert delivery.waybill_code in event.note


def test_a_failure_brings_the_result_back_with_the_reason(world):
    delivery = delivery_in(world, DeliveryStatus.HANDED_TO_POST)
    with pytest.raises(InvalidInput) as error:
        advance(world.postal_worker, delivery, DeliveryStatus.FAILED, reason="  ")
    assert error.value.field == "reason"
    failed = advance(world.postal_worker, delivery, DeliveryStatus.FAILED, reason="Vắng nhà 3 lần")
    assert failed.failure_reason == "Vắng nhà 3 lần"
    dossier = Dossier.objects.get(pk=delivery.dossier_id)
    assert dossier.status == Status.RESULT_READY
    assert dossier.events.get(action=Action.DELIVERY_FAILED).note == "Vắng nhà 3 lần"
    # The counter sends again: a second delivery, the first stays as it was.
    again = send(world, dossier)
    assert again.pk != failed.pk
    assert Delivery.objects.get(pk=failed.pk).status == DeliveryStatus.FAILED
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_DELIVERY


def test_an_unknown_step_is_400(world):
    delivery = delivery_in(world, DeliveryStatus.CREATED)
    for to in ("lost", DeliveryStatus.CREATED):
        with pytest.raises(InvalidInput):
            advance(world.postal_worker, delivery, to)


def test_one_active_delivery_per_dossier_in_the_database(world):
    delivery = delivery_in(world, DeliveryStatus.CREATED)
    twin = Delivery.objects.get(pk=delivery.pk)
    twin.pk = None
    twin.waybill_code = waybill()
    with pytest.raises(IntegrityError):
        twin.save()


def test_the_hand_over_marks_the_days_prepared_results(world):
    first = send(world, ready_dossier(world))
    second = send(world, ready_dossier(world))
    advance(world.officer, second, DeliveryStatus.HANDED_TO_POST)
    with clock.frozen_at(MOMENT + dt.timedelta(days=1)):
        tomorrow = send(world, ready_dossier(world))
    result = deliveries_hand_over(user=world.postal_worker, day=MOMENT.date())
    assert [d.pk for d in result.handed] == [first.pk]
    assert result.already == 1
    assert Delivery.objects.get(pk=first.pk).handed_by == world.postal_worker
    assert Delivery.objects.get(pk=tomorrow.pk).status == DeliveryStatus.CREATED
    with pytest.raises(NotAllowed):
        deliveries_hand_over(user=world.city_admin, day=MOMENT.date())


# --- inbound ----------------------------------------------------------------------------------


def test_a_dossier_sent_in_by_post_records_its_delivery(world):
    dossier = DossierFactory(
        ward=world.ward, channel=Channel.POSTAL, procedure=ProcedureFactory(fee=20_000)
    )
    inbound = delivery_record_inbound(
        user=world.postal_worker,
        code=dossier.code,
        address=address(city_name="Thành phố Dĩ An"),
        waybill_code=waybill(),
        collects_fee=True,
    )
    assert (inbound.direction, inbound.status) == (
        DeliveryDirection.INBOUND,
        DeliveryStatus.DELIVERED,
    )
    assert (inbound.zone, inbound.fee, inbound.collection_charge) == (Zone.PROVINCE, 31_000, 8_000)
    assert inbound.delivered_at == dossier.received_at
    assert next_steps(inbound, world.postal_worker.role) == []
    with pytest.raises(Conflict):
        delivery_record_inbound(
            user=world.postal_worker, code=dossier.code, address=address(), waybill_code=waybill()
        )
    direct = DossierFactory(ward=world.ward)
    with pytest.raises(Conflict):
        delivery_record_inbound(
            user=world.postal_worker, code=direct.code, address=address(), waybill_code=waybill()
        )
    with pytest.raises(NotAllowed):
        delivery_record_inbound(
            user=world.city_admin, code=dossier.code, address=address(), waybill_code=waybill()
        )


# --- where the citizen wants the result -------------------------------------------------------


def test_the_citizens_request_for_delivery(world):
    dossier = DossierFactory(ward=world.ward, procedure=ProcedureFactory(fee=100_000))
    request = delivery_request_record(
        user=world.postal_worker, code=dossier.code, address=address(), collects_fee=True
    )
    assert request.is_active and request.collects_fee
    corrected = delivery_request_record(
        user=world.officer, code=dossier.code, address=address(street="99 Bạch Đằng")
    )
    assert corrected.pk == request.pk and corrected.street == "99 Bạch Đằng"
    withdrawn = delivery_request_withdraw(user=world.officer, code=dossier.code)
    assert not withdrawn.is_active and withdrawn.withdrawn_by == world.officer
    finished = DossierFactory(ward=world.ward, returned=True)
    with pytest.raises(Conflict):
        delivery_request_record(user=world.officer, code=finished.code, address=address())
    free = DossierFactory(ward=world.ward, procedure=ProcedureFactory(fee=0))
    with pytest.raises(InvalidInput):
        delivery_request_record(
            user=world.officer, code=free.code, address=address(), collects_fee=True
        )
    with pytest.raises(NotAllowed):
        delivery_request_record(user=world.city_admin, code=dossier.code, address=address())
