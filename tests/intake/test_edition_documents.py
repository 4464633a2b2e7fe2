"""Every printed document of a dossier follows the edition of the rules of its receipt.

Two dossiers a minute apart: received on 30/6/2025 at 23:59 (the 2018 edition: Decree 61/2018,
Circular 01/2018) and on 1/7/2025 at 00:00 (the 2025 edition: Decree 118/2025, Circular
03/2025). The receipt (page and PDF), each slip, the units written in the events and the public
status page name the unit, the form's number and its title as that edition says.
"""

import datetime as dt
import shutil
import subprocess

import pytest
from django.urls import reverse

from intake import receipts
from intake.models import Status
from intake.services import StepInput, dossier_receive, dossier_step
from onestop import clock
from tests.intake.factories import ProcedureFactory
from wards.calendar import VIETNAM_TZ

LAST_MINUTE_2018 = dt.datetime(2025, 6, 30, 23, 59, tzinfo=VIETNAM_TZ)
FIRST_MINUTE_2025 = dt.datetime(2025, 7, 1, 0, 0, tzinfo=VIETNAM_TZ)
# Wednesday 2/7/2025, 09:00: the steps after either receipt, within working hours.
STEPS_AT = dt.datetime(2025, 7, 2, 9, 0, tzinfo=VIETNAM_TZ)

# What each edition prints, written out from the sources (intake/data/README.md), not read
# from intake/data/editions.toml.
EXPECTED = {
    "2018": {
        "received_at": LAST_MINUTE_2018,
        "desk": "Bộ phận một cửa Phường Phú Hòa",
        "heading": "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
        "form_unit": "Bộ phận tiếp nhận và trả kết quả UBND Phường Phú Hòa",
        "numbers": {"supplement": "02", "refusal": "03", "apology": "04", "control": "05"},
        "apology_title": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "apology_words": "xin lỗi Ông/Bà và hẹn lại thời gian trả kết quả",
        "other": "Trung tâm phục vụ hành chính công",
    },
    "2025": {
        "received_at": FIRST_MINUTE_2025,
        "desk": "Trung tâm phục vụ hành chính công Phường Phú Hòa",
        "heading": "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
        "form_unit": "Trung tâm phục vụ hành chính công Phường Phú Hòa",
        "numbers": {"supplement": "02", "refusal": "03", "apology": "04", "control": "06"},
        "apology_title": "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        "apology_words": "xin lỗi Ông/Bà và đề nghị gia hạn thời gian giải quyết",
        "other": "Bộ phận tiếp nhận và trả kết quả",
    },
}
EDITIONS = sorted(EXPECTED)


@pytest.fixture(autouse=True)
def _no_intake_rules(settings):
    settings.INTAKE_RULES = []


def receive(world, received_at):
    with clock.frozen_at(received_at):
        return dossier_receive(
            user=world.postal_worker,
            procedure=ProcedureFactory(name="Đăng ký khai sinh", processing_days=3),
            channel=1,
            applicant_name="Nguyễn Thị Mai",
            applicant_id_number="074190001234",
            applicant_address="12 Yersin, Phú Hòa",
            applicant_phone="0912345678",
        ).dossier


NOTES = {
    "request_supplement": "Bản sao giấy chứng nhận kết hôn",
    "refuse": "Hồ sơ không thuộc thẩm quyền của phường.",
    "apologise": "Chờ kết quả xác minh.",
    "stop": "Người nộp hồ sơ đề nghị dừng để bổ sung điều kiện.",
}


def walk(world, dossier, *actions):
    for number, action in enumerate(actions):
        details = StepInput()
        if action == "apologise":
            details = StepInput(new_appointment_at=dossier.due_at + dt.timedelta(days=5))
        with clock.frozen_at(STEPS_AT + dt.timedelta(minutes=10 * number)):
            dossier = dossier_step(
                user=world.officer,
                code=dossier.code,
                action=action,
                note=NOTES.get(action, ""),
                details=details,
            )
    return dossier


def get(client, name, dossier, **query) -> str:
    response = client.get(reverse(f"intake:{name}", args=[dossier.code]), query)
    assert response.status_code == 200, name
    return response.content.decode()


def printed(html: str, testid: str) -> str:
    """The printed form inside the page (the site's own header and footer left out)."""
    return html.split(f'data-testid="{testid}"', 1)[1].split("</article>", 1)[0]


def pdf_text(content: bytes) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(  # noqa: S603 (a fixed local tool reading our own PDF)
        [pdftotext, "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.parametrize("key", EDITIONS)
def test_the_receipt_names_the_editions_unit_number_and_title(world, client, key):
    expected = EXPECTED[key]
    dossier = receive(world, expected["received_at"])
    client.force_login(world.postal_worker)
    html = get(client, "receipt", dossier)
    assert f'data-testid="receipt-unit-heading">{expected["heading"]}<' in html
    assert f'data-testid="receipt-unit">{expected["form_unit"]}<' in html
    assert 'data-testid="receipt-form-number">Mẫu số 01<' in html
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in html
    assert expected["other"] not in printed(html, "receipt")
    # The result is collected where it was received (the last line of Mẫu 01).
    assert html.count(expected["form_unit"]) == 2


@pytest.mark.parametrize("key", EDITIONS)
def test_the_receipt_pdf_says_the_same(world, client, key):
    expected = EXPECTED[key]
    dossier = receive(world, expected["received_at"])
    client.force_login(world.officer)
    response = client.get(reverse("intake:receipt-pdf", args=[dossier.code]))
    assert response.status_code == 200
    text = " ".join(pdf_text(response.content).split())
    assert expected["heading"] in text
    assert expected["form_unit"] in text
    assert "Mẫu số 01" in text
    assert expected["other"] not in text


@pytest.mark.parametrize("key", EDITIONS)
def test_the_events_name_the_editions_unit(world, key):
    expected = EXPECTED[key]
    dossier = walk(world, receive(world, expected["received_at"]), "transfer", "resolve")
    units = list(dossier.events.order_by("id").values_list("action", "from_unit", "to_unit"))
    assert units == [
        ("receive", "Nguyễn Thị Mai", expected["desk"]),
        ("transfer", expected["desk"], "UBND Phường Phú Hòa"),
        ("resolve", "UBND Phường Phú Hòa", expected["desk"]),
    ]


@pytest.mark.parametrize("key", EDITIONS)
def test_the_public_status_page_names_the_editions_unit(world, client, key):
    expected = EXPECTED[key]
    dossier = receive(world, expected["received_at"])
    token = receipts.status_token(dossier)
    html = client.get(reverse("intake:public-status", args=[token])).content.decode()
    assert f'data-testid="public-unit">{expected["desk"]}<' in html


@pytest.mark.parametrize("key", EDITIONS)
def test_each_slip_has_the_editions_number_title_and_unit(world, client, key):
    expected = EXPECTED[key]
    numbers = expected["numbers"]
    open_dossier = walk(
        world,
        receive(world, expected["received_at"]),
        "transfer",
        "request_supplement",
        "apologise",
    )
    refused = walk(world, receive(world, expected["received_at"]), "refuse")
    client.force_login(world.officer)

    html = get(client, "dossier-supplement-slip", open_dossier)
    assert f"Mẫu số {numbers['supplement']}" in html
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in html
    assert f'<div class="strong">{expected["heading"]}</div>' in html
    assert f"liên hệ {expected['form_unit']} để được hướng dẫn" in html

    html = get(client, "dossier-refusal-slip", refused)
    assert f"Mẫu số {numbers['refusal']}" in html
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in html
    assert f"{expected['form_unit']} tiếp nhận hồ sơ lúc" in html
    assert f"Qua xem xét, {expected['form_unit']} thông báo" in html

    html = get(client, "dossier-apology-slip", open_dossier)
    assert f"Mẫu số {numbers['apology']}" in html
    assert expected["apology_title"] in html
    assert expected["apology_words"] in html
    assert f'<div class="strong">{expected["heading"]}</div>' in html

    html = get(client, "dossier-control-sheet", open_dossier)
    assert f"Mẫu số {numbers['control']}" in html
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in html
    assert expected["desk"] in html  # the hand-overs written at the time

    # The detail page lists the slips under the edition's numbers.
    detail = get(client, "dossier-detail", open_dossier)
    for kind in ("supplement", "apology", "control"):
        assert f"Mẫu {numbers[kind]}</a>" in detail
    for name in ("dossier-refusal-slip", "dossier-control-sheet"):
        assert expected["other"] not in printed(get(client, name, refused), "slip")


@pytest.mark.parametrize("key", EDITIONS)
def test_slip_pdfs_carry_the_editions_unit(world, client, key):
    expected = EXPECTED[key]
    dossier = walk(world, receive(world, expected["received_at"]), "refuse")
    client.force_login(world.officer)
    response = client.get(reverse("intake:dossier-refusal-slip", args=[dossier.code]), {"pdf": "1"})
    assert response.status_code == 200
    assert f"mau-{expected['numbers']['refusal']}-" in response["Content-Disposition"]
    text = " ".join(pdf_text(response.content).split())
    assert expected["heading"] in text
    assert expected["form_unit"] in text
    # The keyboard shortcuts' help of the page is not printed on the slip.
    assert "Phím tắt" not in text


# --- the stop-processing notice (2025 edition only) ----------------------------------------


@pytest.mark.parametrize("path", [("transfer",), ("transfer", "request_supplement")])
def test_the_stop_notice_of_2025_is_form_05(world, client, path):
    dossier = walk(world, receive(world, FIRST_MINUTE_2025), *path, "stop")
    assert dossier.status == Status.REFUSED
    client.force_login(world.chief)
    html = get(client, "dossier-stop-slip", dossier)
    assert "Mẫu số 05" in html
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in html
    assert f"{EXPECTED['2025']['form_unit']} tiếp nhận hồ sơ lúc" in html
    assert NOTES["stop"] in html.split('data-testid="stop-reason"')[1]
    # It is the dossier's closing slip: no refusal slip beside it.
    detail = get(client, "dossier-detail", dossier)
    assert reverse("intake:dossier-stop-slip", args=[dossier.code]) in detail
    assert reverse("intake:dossier-refusal-slip", args=[dossier.code]) not in detail
    assert (
        client.get(reverse("intake:dossier-refusal-slip", args=[dossier.code])).status_code == 404
    )
    response = client.get(reverse("intake:dossier-stop-slip", args=[dossier.code]), {"pdf": "1"})
    assert "mau-05-" in response["Content-Disposition"]
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in pdf_text(response.content)


def test_a_refused_dossier_has_no_stop_notice(world, client):
    dossier = walk(world, receive(world, FIRST_MINUTE_2025), "transfer", "refuse")
    client.force_login(world.officer)
    assert client.get(reverse("intake:dossier-stop-slip", args=[dossier.code])).status_code == 404
    detail = get(client, "dossier-detail", dossier)
    assert reverse("intake:dossier-refusal-slip", args=[dossier.code]) in detail


@pytest.mark.parametrize(("key", "offered"), [("2018", False), ("2025", True)])
def test_the_stop_button_only_under_the_2025_edition(world, client, key, offered):
    dossier = walk(world, receive(world, EXPECTED[key]["received_at"]), "transfer")
    client.force_login(world.officer)
    detail = get(client, "dossier-detail", dossier)
    assert ('value="stop"' in detail) is offered
    assert ('value="refuse"' in detail) is True
