"""The columns of the report forms: Biểu 06, the pilot's view and the national index subset.

Each list is (English name for machines, Vietnamese heading), in the order the form prints them.
"""

from django.utils.translation import gettext_lazy as _

# Biểu 06 (Circular 01/2020/TT-VPCP) in the form's column order; English names for machines.
BIEU06_COLUMNS: list[tuple[str, str]] = [
    ("total", _("Tổng số hồ sơ nhận giải quyết")),
    ("carried_over", _("Từ kỳ trước chuyển qua")),
    ("received", _("Mới tiếp nhận trong kỳ")),
    ("received_online", _("Trực tuyến")),
    ("received_direct_postal", _("Trực tiếp và qua dịch vụ bưu chính")),
    ("resolved", _("Đã giải quyết")),
    ("resolved_early", _("Trước hạn")),
    ("resolved_on_time", _("Đúng hạn")),
    ("resolved_late", _("Quá hạn")),
    ("pending", _("Đang giải quyết")),
    ("pending_within", _("Trong hạn")),
    ("pending_overdue", _("Quá hạn")),
    ("refused", _("Từ chối")),
    ("withdrawn", _("Rút hồ sơ")),
]

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
