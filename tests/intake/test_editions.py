"""The edition of the rules is chosen by the dossier's receipt time."""

import datetime as dt
import tomllib

import pytest

from intake import editions
from wards.calendar import VIETNAM_TZ


@pytest.mark.parametrize(
    ("received_at", "key"),
    [
        # The last minute of 30/6/2025, local time, is still under the 2018 edition.
        (dt.datetime(2025, 6, 30, 23, 59, tzinfo=VIETNAM_TZ), "2018"),
        (dt.datetime(2025, 7, 1, 0, 0, tzinfo=VIETNAM_TZ), "2025"),
        # 17:30 UTC on 30/6 is 00:30 on 1/7 in Vietnam.
        (dt.datetime(2025, 6, 30, 17, 30, tzinfo=dt.UTC), "2025"),
        (dt.datetime(2019, 1, 2, 8, 0, tzinfo=VIETNAM_TZ), "2018"),
        # Before the first edition the first one applies (data entered from older paper).
        (dt.datetime(2017, 5, 2, 8, 0, tzinfo=VIETNAM_TZ), "2018"),
    ],
)
def test_edition_for_receipt_time(received_at, key):
    assert editions.edition_for(received_at).key == key


def test_editions_are_ordered_and_distinct():
    found = editions.editions()
    assert [e.key for e in found] == ["2018", "2025"]
    assert found[0].effective_from < found[1].effective_from


def test_unit_name_follows_the_edition():
    old, new = editions.editions()
    assert new.unit_name("phường Phú Lợi") == "Trung tâm phục vụ hành chính công phường Phú Lợi"
    assert "phường Phú Lợi" in old.unit_name("phường Phú Lợi")


# The forms of each edition as the circulars list them (intake/data/README.md): 2018 from
# Circular 01/2018/TT-VPCP, 2025 from Circular 03/2025/TT-VPCP, Appendix I.
FORMS = {
    "2018": {
        "receipt": ("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        "supplement": ("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
        "refusal": ("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
        "apology": ("04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
        "control_sheet": ("05", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
        "logbook": ("06", "Sổ theo dõi hồ sơ"),
    },
    "2025": {
        "receipt": ("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        "supplement": ("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
        "refusal": ("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
        "apology": ("04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
        "stop": ("05", "Thông báo dừng giải quyết hồ sơ"),
        "control_sheet": ("06", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
        "logbook": ("07", "Sổ theo dõi hồ sơ"),
    },
}


@pytest.mark.parametrize("key", sorted(FORMS))
def test_each_edition_numbers_and_titles_its_forms(key):
    edition = next(e for e in editions.editions() if e.key == key)
    assert {kind: (f.number, f.title) for kind, f in edition.forms.items()} == FORMS[key]
    assert all(edition.form(kind).kind == kind for kind in FORMS[key])
    assert set(edition.forms) <= set(editions.FORM_KINDS)


def test_only_the_2025_edition_has_the_stop_notice():
    old, new = editions.editions()
    assert (old.stop_notice, new.stop_notice) == (False, True)
    with pytest.raises(KeyError):
        old.form("stop")
    assert new.form("stop").number == "05"
    assert (old.apology_requests_extension, new.apology_requests_extension) == (False, True)


def test_each_edition_names_the_unit_on_its_forms():
    old, new = editions.editions()
    ward = "Phường Phú Lợi"
    assert old.unit_name(ward) == "Bộ phận một cửa Phường Phú Lợi"
    assert old.form_unit_name(ward) == "Bộ phận tiếp nhận và trả kết quả UBND Phường Phú Lợi"
    assert old.form_heading == "Bộ phận tiếp nhận và trả kết quả"
    assert new.form_unit_name(ward) == "Trung tâm phục vụ hành chính công Phường Phú Lợi"
    assert new.form_heading == "Trung tâm phục vụ hành chính công"
    assert (old.forms_circular, new.forms_circular) == (
        "Thông tư 01/2018/TT-VPCP",
        "Thông tư 03/2025/TT-VPCP",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda forms: forms.pop("logbook"), "forms"),
        (lambda forms: forms.update(leaflet={"number": "09", "title": "Tờ rơi"}), "forms"),
        (lambda forms: forms.pop("stop"), "stop_notice"),
    ],
)
def test_an_edition_with_wrong_forms_is_refused_at_load(change, message):
    rows = tomllib.loads(editions.DATA_FILE.read_text(encoding="utf-8"))["edition"]
    change(rows[1]["forms"])
    with pytest.raises(ValueError, match=message):
        editions._edition(rows[1])
