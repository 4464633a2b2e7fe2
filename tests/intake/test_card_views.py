"""The CCCD QR payload at the counter: the scanner script's reader, and a payload submitted in
the ID field of the intake and return forms (no JavaScript). The raw payload is never kept."""

import logging
import re

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from intake.models import Dossier, DossierEvent
from onestop import clock
from tests.intake.factories import ProcedureFactory
from tests.intake.test_receive_views import MONDAY_9, RECEIVE, form_data
from tests.intake.test_return_views import URL as RETURN
from tests.intake.test_return_views import ready, record, returns

TEXT_TYPES = {"CharField", "TextField", "JSONField", "SlugField", "EmailField"}
READ = reverse("intake:receive-card")
ADDRESS = "15 Huỳnh Văn Lũy, khu phố 2, phường Phú Lợi, Thủ Dầu Một, Bình Dương"
OLD_ID = "280765432"
# 074 Bình Dương, 1 = a woman born in the 1900s, 88 = 1988.
PAYLOAD = f"074188004321|{OLD_ID}|Lê Thị Thu Hà|09111988|Nữ|{ADDRESS}|14062021||"
# The same card, but it says Nam: the 4th digit says a woman.
WRONG_SEX = PAYLOAD.replace("|Nữ|", "|Nam|")


@pytest.fixture(autouse=True)
def monday():
    with clock.frozen_at(MONDAY_9):
        yield


@pytest.fixture
def procedure(world):
    # The return helpers receive and resolve a dossier of `world.procedure`.
    world.procedure = ProcedureFactory(code="1.004873", processing_days=3)
    return world.procedure


# --- the reader the scanner script calls ------------------------------------------------------


def test_the_reader_gives_the_cards_fields(world, client):
    client.force_login(world.postal_worker)
    response = client.post(READ, {"payload": PAYLOAD})
    assert response.status_code == 200
    body = response.json()
    assert body["fields"] == {
        "id": "074188004321",
        "name": "Lê Thị Thu Hà",
        "birth_year": 1988,
        "birth_date": "1988-11-09",
        "sex": "Nữ",
        "address": ADDRESS,
    }
    assert body["problems"] == []
    assert body["filled"] == "Đã điền từ thẻ CCCD:"


def test_the_reader_names_what_disagrees(world, client):
    client.force_login(world.officer)
    body = client.post(READ, {"payload": WRONG_SEX}).json()
    assert body["fields"]["id"] == "074188004321"
    assert "Giới tính không khớp" in " ".join(body["problems"])


def test_the_reader_refuses_what_is_not_a_card_in_vietnamese(world, client):
    client.force_login(world.officer)
    response = client.post(READ, {"payload": "0741880043212806Lê Thị Thu Hà"})
    assert response.status_code == 200
    assert "fields" not in response.json()
    assert "không phải mã QR của thẻ CCCD" in response.json()["error"]


def test_the_reader_takes_the_payload_in_the_body_only(world, client):
    client.force_login(world.officer)
    assert client.get(READ, {"payload": PAYLOAD}).status_code == 405


# --- a payload submitted in the ID field, without JavaScript ---------------------------------


def _scanned(world, procedure, payload, **overrides):
    # The scanner typed the payload into the ID field; name, birth year and address are empty.
    return form_data(
        world,
        procedure,
        applicant_id_number=payload,
        applicant_name="",
        birth_year="",
        applicant_address="",
        **overrides,
    )


def test_a_payload_in_the_id_field_fills_the_dossier(world, procedure, client):
    client.force_login(world.postal_worker)
    response = client.post(RECEIVE, _scanned(world, procedure, PAYLOAD))
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:receipt", args=[dossier.code])
    assert dossier.applicant_id_number == "074188004321"
    assert dossier.applicant_name == "Lê Thị Thu Hà"
    assert dossier.applicant_address == ADDRESS


def test_the_card_wins_over_what_was_typed_before_the_scan(world, procedure, client):
    client.force_login(world.postal_worker)
    client.post(RECEIVE, form_data(world, procedure, applicant_id_number=PAYLOAD, birth_year=""))
    dossier = Dossier.objects.get()
    assert (dossier.applicant_name, dossier.applicant_address) == ("Lê Thị Thu Hà", ADDRESS)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (WRONG_SEX, "Giới tính không khớp"),
        (PAYLOAD.replace("09111988", "09111989"), "Năm sinh không khớp"),
        ("074188004321|280765432|Lê Thị Thu Hà", "không phải mã QR của thẻ CCCD"),
    ],
)
def test_a_wrong_payload_is_a_form_error_and_everything_typed_is_kept(
    world,
    procedure,
    client,
    payload,
    message,
):
    client.force_login(world.postal_worker)
    data = _scanned(world, procedure, payload, applicant_phone="0987 654 321")
    response = client.post(RECEIVE, data)
    assert response.status_code == 200
    assert not Dossier.objects.exists()
    form = response.context["form"]
    # Nothing of the card was filled: the name and address left empty are asked for too.
    assert set(form.errors) == {"applicant_id_number", "applicant_name", "applicant_address"}
    assert message in " ".join(form.errors["applicant_id_number"])
    html = response.content.decode()
    assert 'value="0987 654 321"' in html
    assert "Giấy ủy quyền" in html  # the typed checklist line


@pytest.mark.parametrize("field", ["applicant_name", "applicant_address", "notes"])
def test_a_payload_in_another_field_is_refused_not_stored(world, procedure, client, field):
    client.force_login(world.postal_worker)
    response = client.post(RECEIVE, form_data(world, procedure, **{field: PAYLOAD}))
    assert response.status_code == 200
    assert not Dossier.objects.exists()
    assert list(response.context["form"].errors) == [field]
    assert "dữ liệu mã QR của thẻ CCCD" in response.context["form"].errors[field][0]


def test_the_return_takes_the_collectors_id_from_a_payload(world, procedure, client):
    dossier = ready(world)
    # The applicant collects in person with the card received on: no authorisation is asked for.
    Dossier.objects.filter(pk=dossier.pk).update(applicant_id_number="074188004321")
    client.force_login(world.postal_worker)
    response = record(client, dossier, collector_id_number=PAYLOAD)
    assert response.status_code == 302
    assert returns(dossier) == 1


def test_the_return_refuses_a_wrong_payload_and_records_nothing(world, procedure, client):
    dossier = ready(world)
    client.force_login(world.postal_worker)
    response = record(client, dossier, collector_id_number=WRONG_SEX, note="Nhận thay")
    assert response.status_code == 400
    assert returns(dossier) == 0
    assert "Giới tính không khớp" in " ".join(
        response.context["form"].errors["collector_id_number"]
    )
    assert "Nhận thay" in response.content.decode()


def test_the_return_refuses_a_payload_in_the_note(world, procedure, client):
    dossier = ready(world)
    client.force_login(world.postal_worker)
    response = record(client, dossier, note=PAYLOAD)
    assert response.status_code == 400
    assert returns(dossier) == 0
    assert list(response.context["form"].errors) == ["note"]


def test_the_scanner_script_is_on_both_pages_and_marks_the_fields(world, procedure, client):
    client.force_login(world.officer)
    html = client.get(RECEIVE).content.decode()
    assert "js/cccd.js" in html and f'data-url="{READ}"' in html
    for name, mark in [
        ("applicant_id_number", "id"),
        ("applicant_name", "name"),
        ("birth_year", "birth_year"),
        ("applicant_address", "address"),
    ]:
        assert f'data-card="{mark}"' in html and f'name="{name}"' in html
    # A maxlength would cut a scanned payload short in the browser, and its Enter would save.
    assert not re.search(r'<input[^>]*name="applicant_id_number"[^>]*maxlength', html)
    dossier = ready(world)
    html = client.get(RETURN, {"code": dossier.code}).content.decode()
    assert "js/cccd.js" in html and 'data-card="id"' in html
    assert not re.search(r'<input[^>]*name="collector_id_number"[^>]*maxlength', html)


# --- the raw payload is kept nowhere ------------------------------------------------------------


def _text_columns():
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.get_internal_type() in TEXT_TYPES:
                yield model._meta.db_table, field.column


def _where(text: str) -> set[tuple[str, str]]:
    """Every (table, column) of the whole database whose value holds `text`."""
    found = set()
    with connection.cursor() as cursor:
        for table, column in _text_columns():
            qn = connection.ops.quote_name
            # Table and column names come from the models' own metadata, quoted.
            sql = f"SELECT 1 FROM {qn(table)} WHERE CAST({qn(column)} AS TEXT) LIKE %s LIMIT 1"  # noqa: S608
            cursor.execute(sql, [f"%{text}%"])
            if cursor.fetchone():
                found.add((table, column))
    return found


def test_nothing_keeps_the_raw_payload(world, procedure, client, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(world.postal_worker)
    client.post(READ, {"payload": PAYLOAD})
    client.post(READ, {"payload": WRONG_SEX})
    client.post(RECEIVE, _scanned(world, procedure, WRONG_SEX))
    client.post(RECEIVE, _scanned(world, procedure, PAYLOAD))
    dossier = Dossier.objects.get(applicant_id_number="074188004321")
    returned = ready(world)
    record(client, returned, collector_id_number=PAYLOAD, note="Nhận thay, có giấy ủy quyền")
    assert DossierEvent.objects.filter(dossier=dossier).exists()
    assert returns(returned) == 1

    # The address lives in the dossier's address only; the payload, the old ID number and the
    # card's issue date (which the counter has no use for) nowhere at all.
    assert _where(ADDRESS) == {(Dossier._meta.db_table, "applicant_address")}
    for kept_nowhere in (f"Nữ|{ADDRESS}", OLD_ID, "14062021", "74188004321|"):
        assert _where(kept_nowhere) == set()
    for text in (PAYLOAD, WRONG_SEX, OLD_ID, ADDRESS):
        assert text not in caplog.text
