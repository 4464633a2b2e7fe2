"""The citizens' status page (/tra-cuu/): code + PIN, the signed QR link, no personal data,
the same answer for a wrong PIN and an unknown code, and the rate limit."""

import datetime as dt
import re
import time
from unittest import mock

import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import reverse

from intake import receipts
from intake.models import Channel
from intake.selectors import DOSSIER_CODE
from intake.services import dossier_receive, dossier_step
from onestop import clock
from tests.intake.factories import ProcedureFactory
from wards.calendar import VIETNAM_TZ

LOOKUP = reverse("intake:public-lookup")
NOT_FOUND = "Không tìm thấy hồ sơ với mã và mã tra cứu đã nhập."
MONDAY_9 = dt.datetime(2026, 3, 16, 9, 0, tzinfo=VIETNAM_TZ)
PERSONAL = [
    "Hoàng Thị Lan",
    "074190001234",
    "0912345678",
    "27 Yersin, khu phố 5",
    "lan.hoang@example.com",
    "Người nộp xuất trình hộ chiếu",
]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def receipt(world):
    procedure = ProcedureFactory(name="Chứng thực bản sao từ bản chính", processing_days=2)
    with clock.frozen_at(MONDAY_9):
        return dossier_receive(
            user=world.officer,
            procedure=procedure,
            channel=Channel.DIRECT,
            applicant_name="Hoàng Thị Lan",
            applicant_id_number="074190001234",
            applicant_phone="0912345678",
            applicant_address="27 Yersin, khu phố 5, phường Phú Hòa",
            applicant_email="lan.hoang@example.com",
            counter=world.officer_counter,
            notes="Người nộp xuất trình hộ chiếu",
        )


def _lookup(client, code, pin, **extra):
    return client.post(LOOKUP, {"code": code, "pin": pin}, **extra)


def _assert_no_personal_data(html: str):
    for value in PERSONAL:
        assert value not in html, value


def test_the_form_needs_no_login(client, db):
    response = client.get(LOOKUP)
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()
    assert 'name="pin"' in response.content.decode()


def test_code_and_pin_show_the_status_without_personal_data(receipt, client):
    response = _lookup(client, receipt.dossier.code, receipt.lookup_pin)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="public-status"' in html
    assert "Chứng thực bản sao từ bản chính" in html
    assert "Phường Phú Hòa" in html
    assert "16/03/2026" in html  # received
    assert "09:00 Thứ 4, 18/03/2026" in html  # Monday 09:00 + 2 working days -> Wednesday
    assert "Đã tiếp nhận" in html
    _assert_no_personal_data(html)
    assert receipt.lookup_pin not in html


def test_the_code_may_be_typed_in_lower_case_with_spaces(receipt, client):
    code = f"  {receipt.dossier.code.lower()} "
    response = _lookup(client, code, f" {receipt.lookup_pin} ")
    assert 'data-testid="public-status"' in response.content.decode()


def _normalised(response, code: str) -> str:
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return html.replace(code, "<code>")


def test_wrong_pin_and_unknown_code_get_the_same_answer(receipt, client):
    code = receipt.dossier.code
    wrong_pin = "000000" if receipt.lookup_pin != "000000" else "111111"
    unknown_code = code[:-4] + "9999"
    wrong = _lookup(client, code, wrong_pin)
    unknown = _lookup(client, unknown_code, wrong_pin)
    assert wrong.status_code == unknown.status_code == 200
    assert NOT_FOUND in wrong.content.decode()
    assert _normalised(wrong, code) == _normalised(unknown, unknown_code)
    _assert_no_personal_data(wrong.content.decode())


def test_an_unknown_code_costs_the_same_digest_as_a_wrong_pin(receipt, client):
    with mock.patch.object(
        receipts, "lookup_pin_digest", wraps=receipts.lookup_pin_digest
    ) as digest:
        _lookup(client, receipt.dossier.code, "000001")
        _lookup(client, "000.00.99.H13-260316-0001", "000001")
    assert digest.call_count == 2
    assert digest.call_args_list[1].args == ("000.00.99.H13-260316-0001", "000001")


def test_a_pin_of_another_dossier_does_not_open_this_one(world, receipt, client):
    procedure = ProcedureFactory()
    other = dossier_receive(
        user=world.officer,
        procedure=procedure,
        channel=Channel.DIRECT,
        applicant_name="Lý Văn Sơn",
        applicant_id_number="074190004321",
        applicant_address="3 Cách Mạng Tháng Tám",
    )
    response = _lookup(client, receipt.dossier.code, other.lookup_pin)
    if other.lookup_pin != receipt.lookup_pin:
        assert NOT_FOUND in response.content.decode()


def test_missing_values_are_asked_for(client, db):
    html = client.post(LOOKUP, {"code": "", "pin": ""}).content.decode()
    assert "Vui lòng nhập mã hồ sơ." in html
    assert "Vui lòng nhập mã tra cứu." in html


def test_signed_link_opens_the_status_without_a_pin(receipt, client):
    token = receipts.status_token(receipt.dossier)
    response = client.get(reverse("intake:public-status", args=[token]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chứng thực bản sao từ bản chính" in html
    assert "Đã tiếp nhận" in html
    _assert_no_personal_data(html)


def test_a_tampered_link_is_a_vietnamese_404(receipt, client):
    token = receipts.status_token(receipt.dossier)
    code, _, rest = token.partition(":")
    forged = code[:-1] + ("2" if code[-1] != "2" else "3") + ":" + rest
    for bad in [forged, token[:-2], "khong-phai-ma", token + "x"]:
        response = client.get(reverse("intake:public-status", args=[bad]))
        assert response.status_code == 404, bad
        assert "Đường dẫn tra cứu không hợp lệ hoặc đã hết hạn." in response.content.decode()


def test_a_link_signed_for_another_purpose_is_refused(receipt, client):
    token = signing.TimestampSigner(salt="something-else").sign(receipt.dossier.code)
    assert client.get(reverse("intake:public-status", args=[token])).status_code == 404


def test_an_expired_link_is_a_404(receipt, client, settings):
    settings.LOOKUP_LINK_MAX_AGE_DAYS = 30
    long_ago = time.time() - 31 * 86400
    with mock.patch("django.core.signing.time.time", return_value=long_ago):
        token = receipts.status_token(receipt.dossier)
    assert client.get(reverse("intake:public-status", args=[token])).status_code == 404
    settings.LOOKUP_LINK_MAX_AGE_DAYS = 32
    assert client.get(reverse("intake:public-status", args=[token])).status_code == 200


def test_status_follows_the_dossier_to_its_result(world, receipt, client):
    code = receipt.dossier.code
    with clock.frozen_at(MONDAY_9 + dt.timedelta(hours=1)):
        dossier_step(user=world.officer, code=code, action="transfer")
    html = _lookup(client, code, receipt.lookup_pin).content.decode()
    assert "Đang xử lý" in html
    assert "Tiến độ giải quyết" not in html

    with clock.frozen_at(MONDAY_9 + dt.timedelta(days=1)):
        dossier_step(user=world.officer, code=code, action="resolve")
    cache.clear()
    html = _lookup(client, code, receipt.lookup_pin).content.decode()
    assert "Có kết quả" in html
    assert "Trước hạn" in html  # resolved Tuesday, due Wednesday
    assert "có kết quả ngày 17/03/2026" in html
    _assert_no_personal_data(html)


def test_lookups_beyond_the_limit_get_a_429(receipt, client, settings):
    settings.LOOKUP_RATE_LIMIT = 3
    for _ in range(3):
        assert _lookup(client, receipt.dossier.code, "000000").status_code == 200
    response = _lookup(client, receipt.dossier.code, receipt.lookup_pin)
    html = response.content.decode()
    assert response.status_code == 429
    assert "quá 3 lần trong một phút" in html
    assert "Chứng thực bản sao" not in html  # even the right PIN is not checked now

    token = receipts.status_token(receipt.dossier)
    assert client.get(reverse("intake:public-status", args=[token])).status_code == 429
    # Another address still gets its answers; the empty form is never limited.
    other = _lookup(client, receipt.dossier.code, receipt.lookup_pin, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200
    assert client.get(LOOKUP).status_code == 200


def test_signed_links_count_towards_the_limit(receipt, client, settings):
    settings.LOOKUP_RATE_LIMIT = 2
    url = reverse("intake:public-status", args=[receipts.status_token(receipt.dossier)])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 429


def test_the_window_starts_again_after_a_minute(receipt, client, settings):
    settings.LOOKUP_RATE_LIMIT = 1
    now = time.time()
    with mock.patch("intake.receipts.time.time", return_value=now):
        assert _lookup(client, receipt.dossier.code, "000000").status_code == 200
        assert _lookup(client, receipt.dossier.code, "000000").status_code == 429
    with mock.patch("intake.receipts.time.time", return_value=now + 61):
        assert _lookup(client, receipt.dossier.code, "000000").status_code == 200


def test_a_limit_of_zero_turns_the_limit_off(receipt, client, settings):
    settings.LOOKUP_RATE_LIMIT = 0
    for _ in range(15):
        assert _lookup(client, receipt.dossier.code, "000000").status_code == 200


def test_status_page_query_count(receipt, client, django_assert_max_num_queries):
    url = reverse("intake:public-status", args=[receipts.status_token(receipt.dossier)])
    with django_assert_max_num_queries(2):
        client.get(url)


# --- keys that rotate -----------------------------------------------------------------------

KEY_A = "khoa-tra-cuu-A-" * 4
KEY_B = "khoa-tra-cuu-B-" * 4


def _opens(client, receipt, token) -> bool:
    cache.clear()  # the rate limit is not what this asks
    by_pin = _lookup(client, receipt.dossier.code, receipt.lookup_pin).content.decode()
    by_link = client.get(reverse("intake:public-status", args=[token]))
    pin_opens = NOT_FOUND not in by_pin
    assert pin_opens == (by_link.status_code == 200), (pin_opens, by_link.status_code)
    return pin_opens


def test_pins_and_links_survive_a_rotation_of_the_secret_key_and_of_their_own(
    world, client, settings
):
    settings.SECRET_KEY = KEY_A
    settings.LOOKUP_KEY, settings.LOOKUP_KEY_FALLBACKS = KEY_A, []
    procedure = ProcedureFactory()
    with clock.frozen_at(MONDAY_9):
        made = dossier_receive(
            user=world.officer,
            procedure=procedure,
            channel=Channel.DIRECT,
            applicant_name="Trần Văn An",
            applicant_id_number="074190001235",
            applicant_address="3 Yersin, phường Phú Hòa",
        )
    token = receipts.status_token(made.dossier)
    assert _opens(client, made, token)

    settings.SECRET_KEY = "mot-khoa-bi-mat-moi-" * 3  # SECRET_KEY rotates; the lookup key stays
    assert _opens(client, made, token)

    settings.LOOKUP_KEY, settings.LOOKUP_KEY_FALLBACKS = KEY_B, [KEY_A]
    assert _opens(client, made, token)
    fresh = receipts.status_token(made.dossier)
    settings.LOOKUP_KEY_FALLBACKS = []
    assert receipts.code_from_status_token(fresh) == made.dossier.code  # signed with B
    assert not _opens(client, made, token)  # A dropped: what it made no longer opens


# --- wrong PINs per dossier -------------------------------------------------------------------

PAUSED = "đã bị nhập sai mã tra cứu quá nhiều lần hôm nay"


def test_after_the_days_wrong_pins_the_dossier_answers_try_later_whatever_the_pin(
    world, receipt, client, settings
):
    settings.LOOKUP_RATE_LIMIT = 0  # the per-address limit is not what this asks
    settings.LOOKUP_PIN_FAILURES_PER_DAY = 3
    code, pin = receipt.dossier.code, receipt.lookup_pin
    wrong = f"{(int(pin) + 1) % 10**6:06d}"
    unknown = code[:-4] + "9999"
    with clock.frozen_at(MONDAY_9):
        for _ in range(3):
            assert NOT_FOUND in _lookup(client, code, wrong).content.decode()
            assert NOT_FOUND in _lookup(client, unknown, wrong).content.decode()
        paused = _lookup(client, code, pin).content.decode()  # even the right PIN
        assert PAUSED in paused
        assert "Đã tiếp nhận" not in paused
        # An unknown code pauses alike, so the pause tells no one which codes exist.
        assert _normalised(_lookup(client, code, pin), code) == _normalised(
            _lookup(client, unknown, pin), unknown
        )
        # The ward sees it: on the dossier's page and on the chief's home page.
        client.force_login(world.chief)
        detail = client.get(reverse("intake:dossier-detail", args=[code])).content.decode()
        assert 'data-testid="lookup-paused"' in detail
        home = client.get(reverse("home")).content.decode()
        assert 'data-testid="lookups-paused"' in home and code in home
        client.logout()
    with clock.frozen_at(MONDAY_9 + dt.timedelta(days=1)):  # a new day, a new count
        assert "Đã tiếp nhận" in _lookup(client, code, pin).content.decode()
        client.force_login(world.chief)
        home = client.get(reverse("home")).content.decode()
        assert 'data-testid="lookups-paused"' not in home


def test_wrong_pins_of_other_dossiers_do_not_pause_this_one(receipt, client, settings):
    settings.LOOKUP_RATE_LIMIT = 0
    settings.LOOKUP_PIN_FAILURES_PER_DAY = 2
    other = receipt.dossier.code[:-4] + "0099"
    with clock.frozen_at(MONDAY_9):
        for _ in range(5):
            _lookup(client, other, "000000")
        response = _lookup(client, receipt.dossier.code, receipt.lookup_pin)
    assert "Đã tiếp nhận" in response.content.decode()


def test_the_example_code_is_in_the_format_of_this_sites_dossiers(world, client):
    world.ward.unit_identifier = "25750"
    world.ward.save()
    with clock.frozen_at(dt.datetime(2026, 12, 8, 0, 10, tzinfo=VIETNAM_TZ)):
        html = client.get(LOOKUP).content.decode()
    first = min((world.ward, world.other_ward, world.far_ward), key=lambda ward: ward.pk)
    example = f"{first.unit_identifier}-261208-0007"
    assert f"ví dụ {example}." in html
    assert DOSSIER_CODE.match(example)
