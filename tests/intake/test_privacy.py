"""Personal data (Law 91/2025/QH15): masked in lists and exports that do not need it, every full
view and every export logged (who, when, which dossier or export and its parameters), the log
append-only and readable by the ward's chief and the city admin, nothing on public pages.

Decision on the Mẫu 06 logbook: the form has the columns "Tên cá nhân, tổ chức" and "Địa chỉ,
số điện thoại". The name is printed in full (the logbook is how the ward finds a citizen's
dossier); the address shows only its ward and city part and the phone its last three digits,
as in every list; the citizen ID is not a column of the form and never appears.
"""

import datetime as dt
import io
from unittest import mock

import pytest
from django.contrib.admin.sites import site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from intake import receipts
from intake.file_services import dossier_file_upload
from intake.models import Channel, PersonalDataAccess
from intake.privacy import personal_data_access_log, personal_data_accesses_for_user
from intake.services import dossier_receive, dossier_step
from onestop import clock
from onestop.signals import HardDeleteRefused
from postal.deliveries.services import AddressInput, delivery_send
from tests.intake.factories import DossierFactory, ProcedureFactory
from tests.intake.test_files import pdf_bytes
from tests.onestop.factories import UserFactory
from wards.calendar import VIETNAM_TZ

NAME = "Hoàng Thị Lan"
ID_NUMBER = "074190001234"
PHONE = "0912345678"
ADDRESS = "27 Yersin, khu phố 5, phường Phú Hòa"
EMAIL = "lan.hoang@example.com"
MARCH_16 = dt.datetime(2026, 3, 16, 9, 0, tzinfo=VIETNAM_TZ)
MARCH = "?period=month&year=2026&month=3"
NOW = dt.datetime(2026, 3, 20, 10, 30, tzinfo=VIETNAM_TZ)


@pytest.fixture
def lan(world):
    """Mrs Lan's dossier, received in the home ward on Monday 16 March 2026."""
    procedure = ProcedureFactory(name="Chứng thực bản sao từ bản chính", processing_days=2)
    with clock.frozen_at(MARCH_16):
        receipt = dossier_receive(
            user=world.officer,
            procedure=procedure,
            channel=Channel.DIRECT,
            applicant_name=NAME,
            applicant_id_number=ID_NUMBER,
            applicant_phone=PHONE,
            applicant_address=ADDRESS,
            applicant_email=EMAIL,
            counter=world.officer_counter,
        )
    receipt.dossier.lookup_pin = receipt.lookup_pin
    return receipt.dossier


def _assert_no_personal_data(text: str, *, name: bool = True):
    for value in (ID_NUMBER, PHONE, "27 Yersin", EMAIL) + ((NAME,) if name else ()):
        assert value not in text, value


def _xlsx_text(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def _lines():
    return list(PersonalDataAccess.objects.order_by("id"))


# --- masked in lists and exports -------------------------------------------------------------


def test_the_dossier_list_masks_the_id_and_phone_and_omits_the_address(world, lan, client):
    client.force_login(world.officer)
    html = client.get(reverse("intake:dossier-list")).content.decode()
    assert NAME in html
    assert "•••••••••234" in html
    assert "•••••••678" in html
    _assert_no_personal_data(html, name=False)
    assert not _lines(), "a list is not a view of the full personal data"


def test_the_api_list_masks_the_id_and_phone_and_omits_the_address(world, lan):
    api = APIClient()
    api.force_authenticate(world.officer)
    response = api.get(reverse("dossier-list"))
    row = response.json()["results"][0]
    assert row["applicant_id_number"] == "•••••••••234"
    assert row["applicant_phone"] == "•••••••678"
    assert "applicant_address" not in row
    _assert_no_personal_data(response.content.decode(), name=False)
    assert not _lines()


@pytest.mark.parametrize(
    "name", ["reports:bieu06-xlsx", "reports:bieu06-csv", "reports:pilot-xlsx", "reports:pilot-csv"]
)
def test_report_exports_hold_figures_only(world, lan, client, name):
    client.force_login(world.city_admin)
    response = client.get(reverse(name) + MARCH)
    assert response.status_code == 200
    text = _xlsx_text(response.content) if name.endswith("xlsx") else response.content.decode()
    assert "Phú Hòa" in text
    _assert_no_personal_data(text)


def test_the_ward_by_field_export_holds_figures_only(world, lan, client):
    client.force_login(world.chief)
    url = reverse("reports:ward-fields-xlsx", kwargs={"slug": world.ward.slug}) + MARCH
    _assert_no_personal_data(_xlsx_text(client.get(url).content))


def test_the_logbook_prints_the_name_and_masks_the_address_and_phone(world, lan, client):
    client.force_login(world.chief)
    page = client.get(reverse("reports:logbook", kwargs={"slug": world.ward.slug}) + MARCH)
    workbook = client.get(reverse("reports:logbook-xlsx", kwargs={"slug": world.ward.slug}) + MARCH)
    for text in (page.content.decode(), _xlsx_text(workbook.content)):
        assert NAME in text
        assert lan.code in text
        assert "•••, phường Phú Hòa" in text
        assert "•••••••678" in text
        _assert_no_personal_data(text, name=False)


def test_public_pages_show_no_personal_data(world, lan, client):
    token = receipts.status_token(lan)
    pages = [
        client.get(reverse("intake:public-status", kwargs={"token": token})),
        client.post(reverse("intake:public-lookup"), {"code": lan.code, "pin": lan.lookup_pin}),
        client.post(reverse("intake:public-lookup"), {"code": lan.code, "pin": "000000"}),
    ]
    assert 'data-testid="public-status"' in pages[0].content.decode()
    assert 'data-testid="public-status"' in pages[1].content.decode()
    for page in pages:
        _assert_no_personal_data(page.content.decode())
    assert not _lines()


# --- every full view is logged ------------------------------------------------------------------


@pytest.fixture
def scanned(world, lan):
    return dossier_file_upload(
        user=world.officer,
        code=lan.code,
        upload=SimpleUploadedFile("cccd.pdf", pdf_bytes(), content_type="application/pdf"),
    )


@pytest.fixture
def delivery(world):
    """A result sent by post on Friday 20 March 2026."""
    with clock.frozen_at(NOW):
        ready = DossierFactory(ward=world.ward, result_ready=True, number=9101)
        return delivery_send(
            user=world.postal_worker,
            code=ready.code,
            address=AddressInput(
                recipient_name=NAME,
                recipient_phone=PHONE,
                street="27 Yersin, khu phố 5",
                ward_name="Phường Phú Cường",
                city_name="Thành phố Thủ Dầu Một",
                province_name="Bình Dương",
            ),
            waybill_code="EL123456785VN",
        )


def _page_views(world, lan, scanned, delivery):
    """(URL, as whom, which dossier, the line's parameters) for every full view."""
    file = {"code": lan.code, "file_id": scanned.pk}
    sent = delivery.dossier
    return [
        (reverse("intake:dossier-detail", args=[lan.code]), "officer", lan, {"view": "detail"}),
        (reverse("intake:receipt", args=[lan.code]), "officer", lan, {"view": "receipt"}),
        (reverse("intake:receipt-pdf", args=[lan.code]), "chief", lan, {"view": "receipt-pdf"}),
        (reverse("intake:return") + f"?code={lan.code}", "postal_worker", lan, {"view": "return"}),
        (
            reverse("intake:dossier-file", kwargs=file),
            "officer",
            lan,
            {"view": "file", "file": scanned.pk},
        ),
        (
            reverse("deliveries:detail", args=[delivery.pk]),
            "officer",
            sent,
            {"view": "delivery", "delivery": delivery.pk},
        ),
        (
            reverse("deliveries:dossier-postal", args=[lan.code]),
            "postal_worker",
            lan,
            {"view": "postal"},
        ),
        (reverse("dossier-detail", args=[lan.code]), "city_admin", lan, {"view": "api-retrieve"}),
        (
            reverse("dossier-file-detail", kwargs=file),
            "chief",
            lan,
            {"view": "api-file", "file": scanned.pk},
        ),
        (
            reverse("delivery-detail", args=[delivery.pk]),
            "chief",
            sent,
            {"view": "api-delivery", "delivery": delivery.pk},
        ),
    ]


def test_every_full_view_of_a_dossier_is_logged(world, lan, scanned, delivery, client):
    assert not _lines()  # the fixtures wrote through services, which log nothing
    views = _page_views(world, lan, scanned, delivery)
    with mock.patch.object(receipts, "render_pdf", return_value=b"%PDF-1.4 test"):
        for url, actor, dossier, params in views:
            user = getattr(world, actor)
            client.force_login(user)
            with clock.frozen_at(NOW):
                response = client.get(url)
            assert response.status_code == 200, url
            line = _lines()[-1]
            assert (line.user, line.role, line.dossier, line.params) == (
                user,
                user.role,
                dossier,
                params,
            ), url
            assert (line.at, line.ward, line.export) == (NOW, world.ward, ""), url
    assert len(_lines()) == len(views)


def test_the_send_form_filled_with_the_address_is_logged(world, client):
    ready = DossierFactory(ward=world.ward, result_ready=True, number=9102)
    client.force_login(world.postal_worker)
    response = client.get(reverse("deliveries:send", args=[ready.code]))
    assert ready.applicant_phone in response.content.decode()
    assert [(line.dossier, line.params) for line in _lines()] == [(ready, {"view": "send"})]


def test_an_api_step_answers_the_dossier_in_full_and_is_logged(world, lan):
    api = APIClient()
    api.force_authenticate(world.officer)
    response = api.post(
        reverse("dossier-transitions", args=[lan.code]), {"action": "transfer"}, format="json"
    )
    assert response.json()["applicant_id_number"] == ID_NUMBER
    assert [(line.dossier, line.params) for line in _lines()] == [
        (lan, {"view": "api-transitions"})
    ]


def test_slips_that_print_the_address_are_logged(world, lan, client):
    # A supplement is asked within three working days of receipt.
    with clock.frozen_at(MARCH_16 + dt.timedelta(hours=1)):
        dossier_step(user=world.officer, code=lan.code, action="transfer")
        dossier_step(user=world.officer, code=lan.code, action="request_supplement", note="Bản sao")
    client.force_login(world.officer)
    html = client.get(reverse("intake:dossier-supplement-slip", args=[lan.code])).content.decode()
    assert ADDRESS in html
    client.get(reverse("intake:dossier-control-sheet", args=[lan.code]))  # no address on it
    assert [line.params for line in _lines()] == [{"view": "mau-02"}]


def test_the_refusal_slip_is_logged(world, lan, client):
    dossier_step(user=world.officer, code=lan.code, action="refuse", note="Không thuộc thẩm quyền")
    client.force_login(world.chief)
    html = client.get(reverse("intake:dossier-refusal-slip", args=[lan.code])).content.decode()
    assert PHONE in html
    assert [(line.user, line.params) for line in _lines()] == [(world.chief, {"view": "mau-03"})]


def test_a_refused_view_logs_nothing(world, lan, client):
    for user in (world.other_chief, world.other_city_admin):
        client.force_login(user)
        assert client.get(reverse("intake:dossier-detail", args=[lan.code])).status_code == 404
        assert client.get(reverse("intake:receipt", args=[lan.code])).status_code == 404
    assert not _lines()


# --- every export is logged -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "ward_export"),
    [
        ("reports:bieu06-xlsx", False),
        ("reports:bieu06-csv", False),
        ("reports:pilot-xlsx", False),
        ("reports:pilot-csv", False),
        ("reports:ward-fields-xlsx", True),
        ("reports:logbook", True),
        ("reports:logbook-xlsx", True),
    ],
)
def test_every_export_is_logged_with_its_parameters(world, lan, client, name, ward_export):
    client.force_login(world.city_admin)
    url = reverse(name, kwargs={"slug": world.ward.slug} if ward_export else {}) + MARCH
    with clock.frozen_at(NOW):
        assert client.get(url).status_code == 200
    [line] = _lines()
    assert line.export == name
    assert line.params == {"period": "month", "year": "2026", "month": "3"}
    assert (line.user, line.dossier, line.at) == (world.city_admin, None, NOW)
    if ward_export:
        assert (line.ward, line.city) == (world.ward, None)
    else:
        assert (line.ward, line.city) == (None, world.city)


def test_a_city_export_of_one_ward_belongs_to_that_ward(world, lan, client):
    client.force_login(world.city_admin)
    client.get(reverse("reports:bieu06-xlsx") + MARCH + f"&ward={world.ward.slug}")
    [line] = _lines()
    assert line.ward == world.ward
    assert line.params["ward"] == world.ward.slug


def test_the_hand_over_list_is_logged(world, delivery, client):
    client.force_login(world.postal_worker)
    with clock.frozen_at(NOW):
        html = client.get(reverse("deliveries:handover") + "?ngay=20/03/2026").content.decode()
    assert PHONE in html  # the courier's list carries the recipient's phone
    [line] = _lines()
    assert (line.export, line.params, line.ward) == (
        "deliveries:handover",
        {"ngay": "20/03/2026"},
        world.ward,
    )


def test_a_chief_exports_their_own_ward(world, lan, client):
    client.force_login(world.chief)
    client.get(reverse("reports:logbook-xlsx", kwargs={"slug": world.ward.slug}) + MARCH)
    client.force_login(world.other_chief)
    assert (
        client.get(reverse("reports:logbook-xlsx", kwargs={"slug": world.ward.slug})).status_code
        == 404
    )
    assert [(line.user, line.ward) for line in _lines()] == [(world.chief, world.ward)]


def test_parameters_are_kept_short(world):
    line = personal_data_access_log(
        user=world.chief,
        export="reports:logbook-xlsx",
        params={f"k{i}": "x" * 5000 for i in range(100)},
    )
    assert len(line.params) == 20
    assert all(len(value) == 200 for value in line.params.values())


def test_a_line_names_a_dossier_or_an_export(world):
    with pytest.raises(ValueError, match="dossier or an export"):
        personal_data_access_log(user=world.chief)


# --- the log page ---------------------------------------------------------------------------

LOG = reverse("intake:access-log")


@pytest.fixture
def logged(world, lan):
    """A line in each ward and city: the home ward's dossier, the other ward's, a city export,
    and an export of the other city."""
    other = DossierFactory(ward=world.other_ward, applicant_name="Lý Văn Sơn")
    personal_data_access_log(user=world.officer, dossier=lan, params={"view": "detail"})
    personal_data_access_log(user=world.other_officer, dossier=other, params={"view": "detail"})
    personal_data_access_log(
        user=world.city_admin, export="reports:bieu06-xlsx", params={"year": "2026"}
    )
    personal_data_access_log(
        user=world.other_city_admin, export="reports:pilot-csv", params={"year": "2026"}
    )
    return other


def test_a_chief_reads_the_log_of_their_ward_only(world, lan, logged, client):
    client.force_login(world.chief)
    response = client.get(LOG)
    html = response.content.decode()
    assert response.status_code == 200
    assert lan.code in html
    assert world.officer.get_full_name() in html
    assert "view=detail" in html
    assert logged.code not in html
    assert "reports:bieu06-xlsx" not in html
    assert "reports:pilot-csv" not in html


def test_a_city_admin_reads_the_log_of_their_city(world, lan, logged, client):
    client.force_login(world.city_admin)
    html = client.get(LOG).content.decode()
    assert lan.code in html
    assert logged.code in html
    assert "reports:bieu06-xlsx" in html
    assert "reports:pilot-csv" not in html
    client.force_login(world.other_city_admin)
    html = client.get(LOG).content.decode()
    assert "reports:pilot-csv" in html
    assert lan.code not in html


def test_the_selector_scopes_the_lines(world, lan, logged):
    def codes(user):
        return {
            (line.dossier.code if line.dossier else line.export)
            for line in personal_data_accesses_for_user(user=user)
        }

    assert codes(world.chief) == {lan.code}
    assert codes(world.other_chief) == {logged.code}
    assert codes(world.city_admin) == {lan.code, logged.code, "reports:bieu06-xlsx"}
    assert codes(world.other_city_admin) == {"reports:pilot-csv"}
    assert codes(world.officer) == set()
    assert codes(world.postal_worker) == set()


@pytest.mark.parametrize("actor", ["postal_worker", "officer", "other_postal_worker"])
def test_counter_staff_have_no_log_page(world, client, actor):
    client.force_login(getattr(world, actor))
    assert client.get(LOG).status_code == 403


def test_the_log_filters_by_dossier_code(world, lan, logged, client):
    personal_data_access_log(user=world.chief, export="reports:logbook", params={})
    client.force_login(world.chief)
    html = client.get(LOG + f"?ho_so={lan.code}").content.decode()
    assert lan.code in html
    assert "reports:logbook" not in html


def test_the_log_pages_without_counting(world, lan, client, django_assert_max_num_queries):
    for _ in range(51):
        personal_data_access_log(user=world.officer, dossier=lan, params={"view": "detail"})
    client.force_login(world.chief)
    with django_assert_max_num_queries(8) as queries:
        first = client.get(LOG).content.decode()
    # Read now: the next request empties the connection's query log these are sliced from.
    sql = [q["sql"].upper() for q in queries.captured_queries]
    assert sql
    assert not [q for q in sql if "COUNT(" in q]
    assert "?page=2" in first
    assert first.count(f">{lan.code}<") == 50
    second = client.get(LOG + "?page=2").content.decode()
    assert second.count(f">{lan.code}<") == 1
    assert "?page=1" in second
    assert "?page=3" not in second
    with django_assert_max_num_queries(len(sql)):
        client.get(LOG + "?page=oops")


def test_the_page_number_is_bounded(world, client):
    client.force_login(world.chief)
    assert client.get(LOG + "?page=99999999999999999999").status_code == 200


# --- append-only ------------------------------------------------------------------------------


def test_a_line_is_never_changed_or_deleted(world, lan):
    line = personal_data_access_log(user=world.officer, dossier=lan)
    line.params = {"view": "nothing to see"}
    with pytest.raises(TypeError, match="append-only"):
        line.save()
    with pytest.raises(TypeError, match="append-only"):
        line.delete()
    with pytest.raises(HardDeleteRefused), transaction.atomic():
        PersonalDataAccess.objects.filter(pk=line.pk).delete()
    assert PersonalDataAccess.objects.get(pk=line.pk).params == {}


def test_the_admin_only_reads_the_log(world, lan, client):
    line = personal_data_access_log(user=world.officer, dossier=lan)
    admin = site._registry[PersonalDataAccess]
    superuser = UserFactory(superuser=True)
    request = mock.Mock(user=superuser)
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, line)
    assert not admin.has_delete_permission(request, line)
    client.force_login(superuser)
    base = "admin:intake_personaldataaccess"
    assert client.get(reverse(f"{base}_changelist")).status_code == 200
    assert (
        client.post(reverse(f"{base}_delete", args=[line.pk]), {"post": "yes"}).status_code == 403
    )
    assert client.post(reverse(f"{base}_add"), {}).status_code == 403
    changed = client.post(reverse(f"{base}_change", args=[line.pk]), {"export": "x"})
    assert changed.status_code == 403
    assert PersonalDataAccess.objects.get(pk=line.pk).export == ""


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
def test_postgresql_refuses_update_and_delete_of_a_line(world, lan):
    line = personal_data_access_log(user=world.officer, dossier=lan)
    for sql in (
        "UPDATE intake_personaldataaccess SET export = 'x' WHERE id = %s",
        "DELETE FROM intake_personaldataaccess WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [line.pk])
    assert PersonalDataAccess.objects.filter(pk=line.pk, export="").exists()
