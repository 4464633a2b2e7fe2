"""Excel and CSV files opened back and read cell by cell; the logbook in constant queries."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from reports import exports
from reports.columns import BIEU06_ORDER
from reports.periods import range_period
from tests.intake.factories import DossierFactory
from tests.reports.scenario import EXPECTED_MARCH_ROW, at, build_march

pytestmark = pytest.mark.django_db

MARCH = "?period=month&year=2026&month=3"


@pytest.fixture
def march(world, settings):
    settings.INTAKE_RULES = []
    return build_march(world)


def _sheet(response, index=0):
    assert response["Content-Type"] == exports.XLSX
    workbook = load_workbook(io.BytesIO(response.content))
    return workbook.worksheets[index]


def _row_of(sheet, label):
    for row in sheet.iter_rows():
        if row[1].value == label:
            return row
    raise AssertionError(f"{label} not in the sheet")


def test_bieu06_excel_is_laid_out_like_the_form(client, world, march):
    client.force_login(world.city_admin)
    response = client.get(reverse("reports:bieu06-xlsx") + MARCH)
    assert response.status_code == 200
    assert 'filename="bieu-06-thanh-pho-20260301-20260331.xlsx"' in response["Content-Disposition"]
    sheet = _sheet(response)
    assert [sheet.cell(row=r, column=1).value for r in range(1, 8)] == [
        "Biểu số 06/VPCP/KSTT",
        "Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020",
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC",
        f"Đơn vị báo cáo: UBND {world.city}",
        "Kỳ báo cáo: Tháng 3/2026",
        "(Từ ngày 01/03/2026 đến ngày 31/03/2026)",
        "Đơn vị tính: Số hồ sơ TTHC.",
    ]
    assert sheet["A7"].alignment.horizontal == "right"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # Heading rows 9–11: "Số hồ sơ nhận giải quyết" over C–F, "Trong đó" over D–E.
    assert {"C9:F9", "G9:J9", "K9:M9", "D10:E10", "A9:A11", "B9:B11", "F10:F11"} <= merged
    assert sheet["C9"].value == "Số hồ sơ nhận giải quyết"
    assert [sheet["D11"].value, sheet["E11"].value, sheet["F10"].value] == [
        "Trực tuyến",
        "Trực tiếp, dịch vụ bưu chính",
        "Từ kỳ trước",
    ]
    numbers = [sheet.cell(row=12, column=c).value for c in range(1, 15)]
    assert numbers == [f"({n})" for n in range(1, 14)] + [None]  # 13 columns, no 14th
    row = _row_of(sheet, "Phường Phú Hòa")
    figures = [cell.value for cell in row[2:13]]
    assert figures == [EXPECTED_MARCH_ROW[name] for name in BIEU06_ORDER]
    assert row[13].value is None  # no refused or withdrawn inside the form
    assert row[2].number_format == "#,##0"
    assert row[0].value == 1
    total = _row_of(sheet, "Tổng cộng")
    assert total[0].value is None
    assert total[2].font.bold


def test_pilot_excel_has_the_figures_and_the_index_sheet(client, world, march):
    client.force_login(world.city_admin)
    response = client.get(reverse("reports:pilot-xlsx") + MARCH)
    sheet = _sheet(response)
    assert "Biểu số 06" not in str(sheet["A1"].value)  # the pilot's figures are not the form
    heading_row = 6
    headings = [c.value for c in sheet[heading_row]]
    column = headings.index("Đúng hạn – bưu điện tiếp nhận (%)")
    row = _row_of(sheet, "Phường Phú Hòa")
    assert row[column].value == 50.0
    assert row[column].number_format == "0.0"
    index = _sheet(response, 1)
    assert index.title == "Chi so"
    assert _row_of(index, "Phường Phú Hòa")[2].value == 75.0  # on-time share


def test_bieu06_csv_for_machines(client, world, march):
    client.force_login(world.city_admin)
    response = client.get(reverse("reports:bieu06-csv") + MARCH)
    assert response["Content-Type"].startswith("text/csv")
    # The byte order mark makes Excel on Windows read the Vietnamese names as UTF-8.
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    ward = next(r for r in rows if r["ward_slug"] == "phuhoa")
    assert {k: int(ward[k]) for k in EXPECTED_MARCH_ROW} == EXPECTED_MARCH_ROW
    assert (ward["from"], ward["to"]) == ("2026-03-01", "2026-03-31")
    assert [r["row_kind"] for r in rows][-1] == "total"


def test_pilot_csv_leaves_unknown_figures_empty(client, world, march):
    client.force_login(world.chief)
    content = client.get(reverse("reports:pilot-csv") + MARCH).content
    assert content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    ward = next(r for r in rows if r["ward_slug"] == "phuhoa")
    assert ward["on_time_share_postal_worker"] == "50.0"
    assert ward["data_entry_progress"] == ""  # no batch at work: no share to give
    assert {r["ward_slug"] for r in rows if r["row_kind"] == "ward"} == {"phuhoa"}


def test_chief_export_of_another_ward_is_404(client, world):
    client.force_login(world.chief)
    url = reverse("reports:bieu06-xlsx") + MARCH + f"&ward={world.other_ward.slug}"
    assert client.get(url).status_code == 404


def test_ward_fields_excel(client, world, march):
    client.force_login(world.chief)
    response = client.get(reverse("reports:ward-fields-xlsx", args=["phuhoa"]) + MARCH)
    sheet = _sheet(response)
    assert sheet["B9"].value == "Lĩnh vực, công việc giải quyết theo cấp"
    assert sheet["A4"].value == f"Đơn vị báo cáo: UBND {world.ward}"
    assert _row_of(sheet, "Hộ tịch")[2].value == EXPECTED_MARCH_ROW["total"]


def test_logbook_excel_lists_the_period_in_order(client, world, march):
    client.force_login(world.chief)
    response = client.get(reverse("reports:logbook-xlsx", args=["phuhoa"]) + MARCH)
    sheet = _sheet(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Mẫu số 07 – Thông tư 03/2025/TT-VPCP"  # March 2026: the 2025 edition
    assert rows[1][0] == "SỔ THEO DÕI HỒ SƠ"
    assert rows[5][1] == "Mã hồ sơ"
    lines = rows[7:]
    assert [line[1] for line in lines] == [march.dossiers[n].code for n in "GHIJPKRMNOLQ"]
    assert lines[0][0] == 1
    k = next(line for line in lines if line[1] == march.dossiers["K"].code)
    # Moments are date-time cells, shown as the page shows them: "09:30 16/03/2026".
    assert k[9] == dt.datetime(2026, 3, 16, 9, 30)  # handed to the resolving agency
    moments = [cell for cell in sheet[8][7:12] if cell.value is not None]
    assert moments and all(cell.is_date for cell in moments)
    assert {cell.number_format for cell in moments} == {"hh:mm dd/mm/yyyy"}
    assert "0912345678" not in str(lines)
    assert k[5] == "•••, Phú Hòa · •••••••678"  # "12 Yersin, Phú Hòa": the street is hidden


def test_logbook_queries_do_not_grow(client, world, django_assert_num_queries):
    client.force_login(world.chief)
    url = reverse("reports:logbook-xlsx", args=["phuhoa"]) + MARCH
    DossierFactory(ward=world.ward, received_at=at(3, 3))
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(60):
        DossierFactory(ward=world.ward, received_at=at(3 + i % 25, 3))
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(list(_sheet(response).iter_rows())) == 7 + 61


OLD_BOOK = ("Mẫu số 06 – Thông tư 01/2018/TT-VPCP", "Bộ phận tiếp nhận và trả kết quả")
NEW_BOOK = ("Mẫu số 07 – Thông tư 03/2025/TT-VPCP", "Trung tâm phục vụ hành chính công")


@pytest.mark.parametrize(
    ("first", "last", "book"),
    [
        (dt.date(2025, 6, 1), dt.date(2025, 6, 30), OLD_BOOK),  # wholly under the 2018 edition
        # Spanning 1/7/2025: the book is closed on its last day, under the 2025 form.
        (dt.date(2025, 6, 16), dt.date(2025, 7, 15), NEW_BOOK),
        (dt.date(2025, 7, 1), dt.date(2025, 7, 1), NEW_BOOK),
    ],
)
def test_the_logbook_is_the_form_in_force_on_the_periods_last_day(first, last, book):
    period = range_period(first, last)
    assert exports.logbook_form_line(period) == book[0]
    assert exports.logbook_edition(period).form_heading == book[1]
