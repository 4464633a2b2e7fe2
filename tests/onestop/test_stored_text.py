"""The policy for stored text (onestop.text): what no document can carry is refused everywhere,
invisible characters are refused in names, ID numbers and codes and dropped from free text;
rows stored before are cleaned by the *_clean_stored_text migrations, which log each change."""

import io
import logging

import pytest
from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from intake.models import Dossier
from onestop.errors import InvalidInput
from onestop.text import (
    checked,
    clean_app_text,
    cleaned,
    forbidden_character,
    invisible_character,
)
from tests.intake.factories import DossierFactory, ProcedureFactory
from tests.onestop.factories import UserFactory
from wards.models import Ward

pytestmark = pytest.mark.django_db

MARCH = "?period=month&year=2026&month=3"
UNSTORABLE = ["\ufffe", "\uffff", "\ufdd0", "\ufdef", "\U0001fffe", "\U0010ffff", "\x01", "\x7f",
              "\x85", "\ud800", "\u202e"]  # fmt: skip
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\ue000",
             "\U000f0000", "\u115f", "\u1160", "\u3164", "\uffa0"]  # fmt: skip


@pytest.mark.parametrize("char", UNSTORABLE)
def test_what_no_document_can_carry_is_refused_everywhere(char):
    assert forbidden_character(f"Mai{char}") == f"U+{ord(char):04X}"
    for exact in (True, False):
        with pytest.raises(InvalidInput) as refusal:
            checked(f"Phú Hòa{char}", field="name", exact=exact)
        assert "ký tự điều khiển" in refusal.value.message


@pytest.mark.parametrize("char", INVISIBLE)
def test_invisible_characters_are_refused_in_names_and_dropped_from_free_text(char):
    assert forbidden_character(f"Mai{char}") is None
    assert invisible_character(f"Mai{char}") == f"U+{ord(char):04X}"
    with pytest.raises(InvalidInput) as refusal:
        checked(f"Nguyễn{char} Mai", field="applicant_name", exact=True)
    assert "ký tự vô hình" in refusal.value.message
    assert checked(f"12 Yersin{char}, Phú Hòa", field="applicant_address") == "12 Yersin, Phú Hòa"


def test_white_space_and_vietnamese_are_kept():
    text = "Nguyễn Thị Mai\tphường Phú Hòa\r\nThủ Dầu Một 😀 ｆｕｌｌ"
    assert forbidden_character(text) is None and invisible_character(text) is None
    assert checked(text, field="notes") == text


def test_the_counter_form_refuses_an_invisible_name_and_cleans_the_address(world, client):
    from tests.intake.test_properties import form_data

    client.force_login(world.officer)
    procedure = ProcedureFactory(processing_days=3)
    response = client.post(
        reverse("intake:receive"), form_data(world, procedure, applicant_name="Nguyễn\u200bMai")
    )
    assert response.status_code == 200
    assert "ký tự vô hình (U+200B)" in " ".join(response.context["form"].errors["applicant_name"])
    response = client.post(
        reverse("intake:receive"),
        form_data(world, procedure, applicant_address="12 Yersin\ufeff, Phú Hòa"),
    )
    assert response.status_code == 302
    assert Dossier.objects.get().applicant_address == "12 Yersin, Phú Hòa"


def test_the_api_answers_400_to_a_name_no_document_can_carry(world):
    procedure = ProcedureFactory(processing_days=3)
    api = APIClient()
    api.force_authenticate(world.officer)
    body = {
        "procedure": procedure.code,
        "channel": 1,
        "applicant_name": "Nguyễn Thị\ufffe Mai",
        "applicant_id_number": "074190001234",
        "applicant_address": "12 Yersin, phường Phú Hòa",
        "counter": world.officer_counter.number,
    }
    response = api.post(reverse("dossier-list"), body, format="json")
    assert response.status_code == 400
    assert "applicant_name" in response.json()
    body["applicant_name"] = "Nguyễn Thị\u200b Mai"
    response = api.post(reverse("dossier-list"), body, format="json")
    assert response.status_code == 400
    assert "applicant_name" in response.json()


def test_a_ward_name_with_u_fffe_is_refused_in_the_admin(world, client):
    client.force_login(UserFactory(superuser=True))
    ward = world.ward
    url = reverse("admin:wards_ward_change", args=[ward.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"name": "Phú\ufffeHòa", "city": ward.city_id})
    response = client.post(url, {k: v for k, v in data.items() if not isinstance(v, list)})
    assert response.status_code == 200
    assert "U+FFFE" in str(response.context["adminform"].form.errors["name"])
    ward.refresh_from_db()
    assert "\ufffe" not in ward.name


def test_rows_stored_before_are_cleaned_and_the_logbook_opens(world, client, caplog):
    """A ward and a dossier stored with U+FFFE (and a zero-width space) before the policy: the
    logbook workbook does not open; the migration's function cleans them, logging each row."""
    Ward.objects.filter(pk=world.ward.pk).update(name="Phú\ufffe Hòa")
    dossier = DossierFactory(ward=world.ward, received_at=_march())
    Dossier.objects.filter(pk=dossier.pk).update(applicant_name="Nguyễn\u200b Mai\uffff")
    client.force_login(world.chief)
    url = reverse("reports:logbook-xlsx", args=[world.ward.slug]) + MARCH
    with pytest.raises(Exception):  # noqa: B017 - the XML parser's own error
        load_workbook(io.BytesIO(client.get(url).content))

    with caplog.at_level(logging.WARNING, logger="onestop.text"):
        assert clean_app_text(apps, "wards") == 1
        assert clean_app_text(apps, "intake") == 1
    logged = caplog.text
    assert f"wards.Ward.name of row {world.ward.pk} cleaned" in logged
    assert f"intake.Dossier.applicant_name of row {dossier.pk} cleaned" in logged

    world.ward.refresh_from_db()
    assert world.ward.name == "Phú Hòa"
    assert Dossier.objects.get(pk=dossier.pk).applicant_name == "Nguyễn Mai"
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Nguyễn Mai" in values
    assert clean_app_text(apps, "wards") == 0  # a second run finds nothing


def test_a_text_made_only_of_removed_characters_keeps_a_mark():
    assert cleaned("\u200b\ufffe") == "\ufffd"
    assert cleaned("") == ""
    assert cleaned("Mai") == "Mai"


def _march():
    from tests.reports.scenario import at

    return at(10, 3)


def test_the_catalogue_refuses_such_names_by_hand_and_from_a_file(world):
    from intake.catalogue import catalogue_check, procedure_update

    procedure = ProcedureFactory()
    with pytest.raises(InvalidInput) as refusal:
        procedure_update(user=world.city_admin, code=procedure.code, values={"name": "Khai\ufffe"})
    assert refusal.value.field == "name"
    content = (
        "Mã thủ tục;Tên thủ tục;Lĩnh vực;Cấp thực hiện;Thời hạn giải quyết;Phí, lệ phí\n"
        "1.000010;Hợp lệ;Hộ tịch;Cấp phường;5;0\n"
        "1.000011;Khai\ufffe sinh;Hộ tịch;Cấp phường;5;0\n"
        "1.000012;Khai sinh;Hộ\u200btịch;Cấp phường;5;0\n"
    ).encode()
    result = catalogue_check(content=content, filename="danh-muc.csv")
    assert [row.code for row in result.accepted] == ["1.000010"]
    reasons = {row.code: " ".join(row.errors) for row in result.rejected}
    assert "U+FFFE" in reasons["1.000011"]
    assert "U+200B" in reasons["1.000012"]
