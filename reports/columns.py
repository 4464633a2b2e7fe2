"""The columns of the report forms: Biểu 06, the pilot's view and the national index subset.

Each list is (English name for machines, Vietnamese heading), in the order the form prints them.
"""

from django.utils.translation import gettext_lazy as _

# Biểu số 06/VPCP/KSTT (Circular 01/2020/TT-VPCP) as the form prints it; every line and heading
# here is sourced in reports/README.md, and nothing else is printed on the form.
BIEU06_FORM = {
    "code": _("Biểu số 06/VPCP/KSTT"),
    "issued_by": _("Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020"),
    "title": _("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"),
    "reporting_unit": _("Đơn vị báo cáo: %(unit)s"),
    "period": _("Kỳ báo cáo: %(period)s"),
    "measure": _("Đơn vị tính: Số hồ sơ TTHC."),
    "place_date": _("…, ngày … tháng … năm …"),
    "signer": _("Người làm báo cáo"),
}

# The form's figure columns, (3) to (13), in its order: (English name, heading under its group).
BIEU06_COLUMNS: list[tuple[str, str]] = [
    ("total", _("Tổng số")),
    ("received_online", _("Trực tuyến")),
    ("received_direct_postal", _("Trực tiếp, dịch vụ bưu chính")),
    ("carried_over", _("Từ kỳ trước")),
    ("resolved", _("Tổng số")),
    ("resolved_early", _("Trước hạn")),
    ("resolved_on_time", _("Đúng hạn")),
    ("resolved_late", _("Quá hạn")),
    ("pending", _("Tổng số")),
    ("pending_within", _("Trong hạn")),
    ("pending_overdue", _("Quá hạn")),
]
BIEU06_ORDER = [name for name, _label in BIEU06_COLUMNS]
# The headings of columns (1) and (2): a report by ward names the unit, the form by field the field.
BIEU06_NUMBER_HEADING = _("STT")
BIEU06_UNIT_HEADING = _("Đơn vị")
BIEU06_FIELD_HEADING = _("Lĩnh vực, công việc giải quyết theo cấp")

# The form's three heading rows, (first column, last column, top row, bottom row, label), columns
# counted from (1) STT and rows from the first heading row. Page, Excel and the tests read this.
BIEU06_HEADER: list[tuple[int, int, int, int, str]] = [
    (1, 1, 1, 3, BIEU06_NUMBER_HEADING),
    (2, 2, 1, 3, BIEU06_UNIT_HEADING),
    (3, 6, 1, 1, _("Số hồ sơ nhận giải quyết")),
    (7, 10, 1, 1, _("Số hồ sơ đã giải quyết")),
    (11, 13, 1, 1, _("Số lượng hồ sơ đang giải quyết")),
    (3, 3, 2, 3, _("Tổng số")),
    (4, 5, 2, 2, _("Trong đó")),
    (6, 6, 2, 3, _("Từ kỳ trước")),
    (7, 7, 2, 3, _("Tổng số")),
    (8, 8, 2, 3, _("Trước hạn")),
    (9, 9, 2, 3, _("Đúng hạn")),
    (10, 10, 2, 3, _("Quá hạn")),
    (11, 11, 2, 3, _("Tổng số")),
    (12, 12, 2, 3, _("Trong hạn")),
    (13, 13, 2, 3, _("Quá hạn")),
    (4, 4, 3, 3, _("Trực tuyến")),
    (5, 5, 3, 3, _("Trực tiếp, dịch vụ bưu chính")),
]
BIEU06_WIDTH = 2 + len(BIEU06_COLUMNS)  # (1) … (13)

# Refused (and stopped: "Thông báo dừng giải quyết hồ sơ" leads to the refused state) and
# withdrawn dossiers are not columns of the form: a separate table below it.
CLOSED_TITLE = _("Hồ sơ từ chối, dừng giải quyết và rút hồ sơ (không thuộc Biểu số 06)")
CLOSED_COLUMNS: list[tuple[str, str]] = [
    ("refused", _("Từ chối, dừng giải quyết")),
    ("withdrawn", _("Rút hồ sơ")),
]
CLOSED_ORDER = [name for name, _label in CLOSED_COLUMNS]

PILOT_COLUMNS: list[tuple[str, str]] = [
    ("received", _("Tiếp nhận")),
    ("received_postal_worker", _("Do nhân viên bưu điện tiếp nhận")),
    ("received_officer", _("Do công chức tiếp nhận")),
    ("postal_worker_share", _("Tỷ lệ do bưu điện tiếp nhận (%)")),
    ("on_time_share_postal_worker", _("Đúng hạn – bưu điện tiếp nhận (%)")),
    ("on_time_share_officer", _("Đúng hạn – công chức tiếp nhận (%)")),
    ("returned_postal_worker", _("Đã trả – bưu điện tiếp nhận")),
    ("returned_officer", _("Đã trả – công chức tiếp nhận")),
    ("out_of_list", _("Tiếp nhận ngoài danh mục")),
    ("returned_counter", _("Trả kết quả tại quầy")),
    ("returned_post", _("Trả kết quả qua bưu điện")),
    ("refused", _("Từ chối")),
    ("withdrawn", _("Rút hồ sơ")),
    ("mean_processing_days", _("Thời gian giải quyết bình quân (ngày làm việc)")),
    ("digitised_share", _("Tỷ lệ số hóa (%)")),
    ("satisfaction_share", _("Tỷ lệ hài lòng (%)")),
    ("shifts_intake", _("Ca tiếp nhận")),
    ("shifts_result_return", _("Ca trả kết quả")),
    ("shifts_data_entry", _("Ca nhập liệu")),
    ("shifts_guidance", _("Ca hướng dẫn")),
    ("shifts_out_of_list_intake", _("Ca tiếp nhận ngoài danh mục")),
    ("guidance_sessions", _("Lượt hướng dẫn")),
    ("data_entry_progress", _("Tiến độ nhập liệu (%)")),
]

INDEX_COLUMNS: list[tuple[str, str]] = [
    ("on_time_share", _("Tỷ lệ giải quyết đúng hạn (%)")),
    ("online_share", _("Tỷ lệ trực tuyến (%)")),
    ("direct_share", _("Tỷ lệ trực tiếp (%)")),
    ("postal_share", _("Tỷ lệ qua bưu chính công ích (%)")),
    ("digitised_share", _("Tỷ lệ số hóa (%)")),
    ("satisfaction_share", _("Tỷ lệ hài lòng (%)")),
]

# The hall's waits (hall.figures): tickets served, mean and 90th-percentile wait (issue to first
# call) and service (the answered call to done), in minutes, by who served at the counter. The
# 90th percentile is the upper end of the minute band it falls in (see the page's note).
HALL_COLUMNS: list[tuple[str, str]] = [
    ("hall_served_postal_worker", _("Số được phục vụ (bưu điện)")),
    ("hall_wait_mean_postal_worker", _("Chờ trung bình, phút (bưu điện)")),
    ("hall_wait_p90_postal_worker", _("Chờ P90, phút (bưu điện)")),
    ("hall_service_mean_postal_worker", _("Phục vụ trung bình, phút (bưu điện)")),
    ("hall_service_p90_postal_worker", _("Phục vụ P90, phút (bưu điện)")),
    ("hall_served_officer", _("Số được phục vụ (công chức)")),
    ("hall_wait_mean_officer", _("Chờ trung bình, phút (công chức)")),
    ("hall_wait_p90_officer", _("Chờ P90, phút (công chức)")),
    ("hall_service_mean_officer", _("Phục vụ trung bình, phút (công chức)")),
    ("hall_service_p90_officer", _("Phục vụ P90, phút (công chức)")),
]
