"""The city admin's catalogue: checked import from CSV and Excel, edit, withdraw; history kept."""

import io
import time

import pytest
from django.urls import reverse
from openpyxl import Workbook

from intake.catalogue import (
    CHUNK_SIZE,
    catalogue_check,
    catalogue_import_chunk,
    procedure_set_active,
    procedure_update,
)
from intake.models import Dossier, Procedure
from onestop.errors import InvalidInput, NotAllowed
from tests.intake.factories import DossierFactory, ProcedureFactory

pytestmark = pytest.mark.django_db

GOOD_CSV = """code,name,field,level,processing_days,fee_vnd,postal_eligible
1.000001,Đăng ký thử A,Hộ tịch,ward,3,0,true
1.000002,Đăng ký thử B,Chứng thực,cấp xã,0,"10.000",có
1.000003,Đăng ký thử C,Đất đai,Cấp tỉnh,,,không
"""

BAD_CSV = """Mã thủ tục;Tên thủ tục;Lĩnh vực;Cấp thực hiện;Thời hạn giải quyết;Phí, lệ phí
1.000010;Hợp lệ;Hộ tịch;Cấp phường;5;0
;Thiếu mã;Hộ tịch;Cấp phường;5;0
1.000011;;Hộ tịch;Cấp phường;5;0
1.000012;Cấp lạ;Hộ tịch;Cấp trung ương;5;0
1.000013;Ngày sai;Hộ tịch;Cấp phường;ba ngày;0
1.000014;Ngày lẻ;Hộ tịch;Cấp phường;2.5;0
1.000015;Quá dài;Hộ tịch;Cấp phường;400;-5
1.000010;Trùng mã;Hộ tịch;Cấp phường;5;0
1.000016;Thiếu lĩnh vực;;Cấp phường;5;0
mã có dấu cách;Mã sai;Hộ tịch;Cấp phường;5;0
"""


def check(text: str, name="danh-muc.csv"):
    return catalogue_check(content=text.encode("utf-8"), filename=name)


def test_a_good_csv_is_accepted_whole():
    result = check(GOOD_CSV)
    assert result.rejected == []
    values = {row.code: row.values for row in result.accepted}
    assert values["1.000002"]["level"] == "ward"
    assert values["1.000002"]["fee"] == 10_000
    assert values["1.000002"]["postal_eligible"] is True
    assert values["1.000003"]["level"] == "province"
    assert values["1.000003"]["processing_days"] is None  # empty means "not verified"
    assert values["1.000003"]["postal_eligible"] is False


def test_every_rejected_row_says_why():
    result = check(BAD_CSV)
    assert [r.code for r in result.accepted] == ["1.000010"]
    reasons = {r.number: " ".join(r.errors) for r in result.rejected}
    assert "Thiếu mã thủ tục." in reasons[3]
    assert "Thiếu tên thủ tục." in reasons[4]
    assert "Cấp thực hiện “Cấp trung ương” không rõ" in reasons[5]
    assert "không phải là số" in reasons[6]
    assert "số nguyên" in reasons[7]
    assert "quá 365" in reasons[8] and "Phí, lệ phí" in reasons[8]
    assert "trùng với dòng 2" in reasons[9]
    assert "cần lĩnh vực" in reasons[10]
    assert "không hợp lệ" in reasons[11]
    assert len(result.rejected) == 9


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "a.csv", "không có dữ liệu"),
        (b"code,name\n", "a.csv", "chỉ có dòng tiêu đề"),
        (b"ten,linh vuc\nA,B\n", "a.csv", "thiếu cột: Mã thủ tục"),
        ("code,name\n1.1,Ã\n".encode("cp1258", "ignore") + b"\xff", "a.csv", "UTF-8"),
        (b"%PDF-1.4", "a.pdf", "Chỉ nhận tệp .csv hoặc .xlsx"),
        (b"PK\x03\x04broken", "a.xlsx", "Không đọc được tệp Excel"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(content, name, message):
    with pytest.raises(InvalidInput) as error:
        catalogue_check(content=content, filename=name)
    assert message in error.value.message


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_excel_reads_numbers_and_dates_as_typed():
    import datetime as dt

    content = _xlsx(
        [
            ["Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Cấp thực hiện", "Thời hạn giải quyết",
             "Phí, lệ phí", "Hiệu lực từ"],
            ["1.000020", "Từ Excel", "Hộ tịch", "Cấp phường", 3.0, 26000, dt.datetime(2026, 1, 1)],
            [1.00002, "Mã là số", "Hộ tịch", "Cấp phường", 3, 0, None],
        ]
    )  # fmt: skip
    result = catalogue_check(content=content, filename="danh-muc.xlsx")
    row = result.accepted[0]
    assert row.values["processing_days"] == 3
    assert row.values["fee"] == 26000
    assert row.values["effective_from"] == "2026-01-01"
    assert result.accepted[1].code == "1.00002"


def test_import_creates_and_updates_by_code_and_keeps_dossier_snapshots(world):
    existing = ProcedureFactory(code="1.000001", name="Tên cũ", processing_days=5, fee=1000)
    dossier = DossierFactory(ward=world.ward, procedure=existing)
    result = check(GOOD_CSV)
    rows = [{"code": r.code, "values": r.values} for r in result.accepted]
    outcome = catalogue_import_chunk(user=world.city_admin, rows=rows)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (2, 1, 0)
    existing.refresh_from_db()
    assert (existing.name, existing.processing_days, existing.fee) == ("Đăng ký thử A", 3, 0)
    assert existing.search_text == "1.000001 dang ky thu a"
    dossier.refresh_from_db()
    assert (dossier.procedure_name, dossier.processing_days, dossier.fee) == ("Tên cũ", 5, 1000)
    again = catalogue_import_chunk(user=world.city_admin, rows=rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_only_city_admins_write_the_catalogue(world):
    procedure = ProcedureFactory()
    for user in (world.chief, world.officer, world.postal_worker):
        with pytest.raises(NotAllowed):
            procedure_set_active(user=user, code=procedure.code, active=False)
        with pytest.raises(NotAllowed):
            catalogue_import_chunk(user=user, rows=[])


def test_withdraw_keeps_the_procedure_and_its_dossiers(world):
    procedure = ProcedureFactory()
    DossierFactory(ward=world.ward, procedure=procedure)
    procedure_set_active(user=world.city_admin, code=procedure.code, active=False)
    procedure.refresh_from_db()
    assert procedure.active is False
    assert Dossier.objects.filter(procedure=procedure).count() == 1
    procedure_set_active(user=world.city_admin, code=procedure.code, active=True)
    procedure.refresh_from_db()
    assert procedure.active is True


def test_update_checks_values(world):
    procedure = ProcedureFactory()
    with pytest.raises(InvalidInput) as error:
        procedure_update(
            user=world.city_admin, code=procedure.code, values={"processing_days": 999}
        )
    assert error.value.field == "processing_days"
    with pytest.raises(InvalidInput):
        procedure_update(user=world.city_admin, code=procedure.code, values={"code": "x"})


def _big_csv(n: int) -> str:
    lines = ["code,name,field,level,processing_days,fee_vnd,postal_eligible"]
    for i in range(n):
        lines.append(f"8.{i:06d},Thủ tục số {i},Lĩnh vực {i % 7},ward,{i % 15},{i * 1000},true")
    lines.append(",thiếu mã,Hộ tịch,ward,1,0,true")
    return "\n".join(lines) + "\n"


def test_import_pages_end_to_end_with_htmx(client, world):
    client.force_login(world.city_admin)
    upload = io.BytesIO(_big_csv(300).encode())
    upload.name = "danh-muc.csv"
    started = time.perf_counter()
    response = client.post(reverse("catalogue:import"), {"file": upload})
    assert response.status_code == 302
    job_url = response["Location"]
    page = client.get(job_url).content.decode()
    assert 'data-testid="accepted-count">300<' in page
    assert 'data-testid="rejected-count">1<' in page
    assert "Thiếu mã thủ tục." in page
    step = job_url + "tiep/"
    fragments = 0
    while True:
        fragment = client.post(step, HTTP_HX_REQUEST="true").content.decode()
        fragments += 1
        if 'data-testid="import-summary"' in fragment:
            break
        assert 'hx-trigger="load' in fragment  # the bar asks for the next chunk by itself
        assert fragments < 10
    elapsed = time.perf_counter() - started
    assert fragments == -(-300 // CHUNK_SIZE)
    assert "thêm mới 300, cập nhật 0, không đổi 0" in fragment
    assert Procedure.objects.filter(code__startswith="8.").count() == 300
    assert elapsed < 10


def test_import_step_without_script_redirects_back(client, world):
    client.force_login(world.city_admin)
    upload = io.BytesIO(GOOD_CSV.encode())
    upload.name = "a.csv"
    job_url = client.post(reverse("catalogue:import"), {"file": upload})["Location"]
    response = client.post(job_url + "tiep/")
    assert response.status_code == 302
    assert response["Location"] == job_url
    assert "Xong: thêm mới 3" in client.get(job_url).content.decode()


def test_import_chunk_queries_do_not_grow_with_rows(world, django_assert_max_num_queries):
    result = check(_big_csv(CHUNK_SIZE))
    rows = [{"code": r.code, "values": r.values} for r in result.accepted]
    with django_assert_max_num_queries(6):
        catalogue_import_chunk(user=world.city_admin, rows=rows)
    for row in rows:
        row["values"]["fee"] += 1
    with django_assert_max_num_queries(6):
        outcome = catalogue_import_chunk(user=world.city_admin, rows=rows)
    assert outcome.updated == CHUNK_SIZE


def test_list_search_and_toggle_pages(client, world):
    ProcedureFactory(code="1.001193", name="Đăng ký khai sinh")
    ProcedureFactory(code="1.000656", name="Đăng ký khai tử", active=False)
    client.force_login(world.city_admin)
    page = client.get(reverse("catalogue:list"), {"q": "khai sinh"}).content.decode()
    assert "1.001193" in page and "1.000656" not in page
    page = client.get(reverse("catalogue:list"), {"state": "inactive"}).content.decode()
    assert "1.000656" in page and "1.001193" not in page
    response = client.post(reverse("catalogue:toggle", args=["1.001193"]))
    assert response.status_code == 302
    assert Procedure.objects.get(code="1.001193").active is False


def test_edit_page_saves_and_keeps_typed_values_on_error(client, world):
    procedure = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh")
    client.force_login(world.city_admin)
    url = reverse("catalogue:edit", args=[procedure.code])
    data = {
        "name": "Đăng ký khai sinh (sửa)",
        "field": "Hộ tịch",
        "level": "ward",
        "processing_days": "2",
        "fee": "8000",
        "effective_from": "01/02/2026",
        "effective_to": "01/01/2026",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Đăng ký khai sinh (sửa)" in response.content.decode()
    data["effective_to"] = ""
    assert client.post(url, data).status_code == 302
    procedure.refresh_from_db()
    assert (procedure.name, procedure.processing_days, procedure.fee) == (
        "Đăng ký khai sinh (sửa)",
        2,
        8000,
    )
