"""Biểu 06 as the form (reports/README.md names the sources): its lines, its thirteen columns and
their numbering on the page, in Excel, CSV and the API; the refused, stopped and withdrawn dossiers
in a table of their own; the reconciliation; a period not yet over counted as of now."""

import csv
import datetime as dt
import html as html_lib
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from intake.models import OPEN, Dossier, Status
from onestop import clock
from reports import selectors
from reports.columns import BIEU06_HEADER
from reports.periods import month_period, quarter_period
from tests.intake.factories import DossierFactory, ProcedureFactory
from tests.reports import direct_figures
from tests.reports.scenario import EXPECTED_MARCH_ROW, TZ, at, build_march

pytestmark = pytest.mark.django_db

MARCH = "?period=month&year=2026&month=3"

# The form's columns as the sources print them (reports/README.md): number, headings top-down.
OFFICIAL = [
    ("STT",),
    ("Đơn vị",),
    ("Số hồ sơ nhận giải quyết", "Tổng số"),
    ("Số hồ sơ nhận giải quyết", "Trong đó", "Trực tuyến"),
    ("Số hồ sơ nhận giải quyết", "Trong đó", "Trực tiếp, dịch vụ bưu chính"),
    ("Số hồ sơ nhận giải quyết", "Từ kỳ trước"),
    ("Số hồ sơ đã giải quyết", "Tổng số"),
    ("Số hồ sơ đã giải quyết", "Trước hạn"),
    ("Số hồ sơ đã giải quyết", "Đúng hạn"),
    ("Số hồ sơ đã giải quyết", "Quá hạn"),
    ("Số lượng hồ sơ đang giải quyết", "Tổng số"),
    ("Số lượng hồ sơ đang giải quyết", "Trong hạn"),
    ("Số lượng hồ sơ đang giải quyết", "Quá hạn"),
]
# Columns (3) to (13), by the names machines read.
FORM_FIELDS = [
    "total",
    "received_online",
    "received_direct_postal",
    "carried_over",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending",
    "pending_within",
    "pending_overdue",
]
TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
CLOSED_TITLE = "Hồ sơ từ chối, dừng giải quyết và rút hồ sơ (không thuộc Biểu số 06)"


@pytest.fixture
def march(world, settings):
    settings.INTAKE_RULES = []
    return build_march(world)


def _paths_from_spans(spans) -> list[tuple[str, ...]]:
    """Per column, the headings over it from the top row down."""
    width = max(last for _f, last, _t, _b, _l in spans)
    paths: list[list[str]] = [[] for _ in range(width)]
    for first, last, _top, _bottom, label in sorted(spans, key=lambda s: s[2]):
        for column in range(first, last + 1):
            paths[column - 1].append(str(label))
    return [tuple(p) for p in paths]


def _paths_from_html(thead: str) -> list[tuple[str, ...]]:
    """The same from an HTML table head (rowspan/colspan honoured), its number row left out."""
    grid: dict[tuple[int, int], str] = {}
    for r, row in enumerate(re.findall(r"<tr[^>]*>(.*?)</tr>", thead, re.S)):
        c = 0
        for attrs, text in re.findall(r"<th([^>]*)>(.*?)</th>", row, re.S):
            while (r, c) in grid:
                c += 1
            rows = int((re.search(r'rowspan="(\d+)"', attrs) or [0, 1])[1])
            cols = int((re.search(r'colspan="(\d+)"', attrs) or [0, 1])[1])
            label = html_lib.unescape(re.sub(r"<[^>]+>", "", text)).strip()
            for dr in range(rows):
                for dc in range(cols):
                    grid[(r + dr, c + dc)] = label
            c += cols
    width = max(c for _r, c in grid) + 1
    depth = max(r for r, _c in grid) + 1
    paths = []
    for c in range(width):
        path: list[str] = []
        for r in range(depth):
            if not path or path[-1] != grid[(r, c)]:
                path.append(grid[(r, c)])
        paths.append(tuple(path))
    return paths


def _section(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"', 1)[1].split("</section>", 1)[0]


def _table(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]


def _text(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_the_form_has_the_thirteen_official_columns_in_order():
    assert _paths_from_spans(BIEU06_HEADER) == OFFICIAL
    assert selectors.Figures().values().keys() >= set(FORM_FIELDS)
    from reports.columns import BIEU06_ORDER, CLOSED_ORDER

    assert BIEU06_ORDER == FORM_FIELDS
    assert not set(CLOSED_ORDER) & set(BIEU06_ORDER)  # refused and withdrawn stay off the form


def test_the_city_page_prints_the_form_and_the_separate_table(client, world, march):
    client.force_login(world.city_admin)
    html = client.get(reverse("reports:reports") + MARCH).content.decode()
    form = _section(html, "bieu06-form")
    text = _text(form)
    for line in (
        "Biểu số 06/VPCP/KSTT",
        "Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020",
        TITLE,
        f"Đơn vị báo cáo: UBND {world.city}",
        "Kỳ báo cáo: Tháng 3/2026",
        "(Từ ngày 01/03/2026 đến ngày 31/03/2026)",
        "Đơn vị tính: Số hồ sơ TTHC.",
        "…, ngày … tháng … năm … Người làm báo cáo",
    ):
        assert line in text, line
    table = _table(form, "bieu06-table")
    thead = table.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert _paths_from_html(thead) == OFFICIAL
    assert re.findall(r"<td>\((\d+)\)</td>", thead) == [str(n) for n in range(1, 14)]
    assert "Từ chối" not in table and "Rút" not in table
    assert 'data-figure="refused"' not in table
    assert 'data-testid="as-of"' not in form  # March is over
    row = re.search(r'data-ward="phuhoa">(.*?)</tr>', table, re.S).group(1)
    figures = dict(re.findall(r'data-figure="(\w+)">(\d+)<', row))
    assert list(figures) == [n for n in FORM_FIELDS if EXPECTED_MARCH_ROW[n]]
    assert {k: int(v) for k, v in figures.items()} == {
        n: EXPECTED_MARCH_ROW[n] for n in FORM_FIELDS if EXPECTED_MARCH_ROW[n]
    }
    closed = _section(html, "closed-section")
    assert CLOSED_TITLE in _text(closed)
    head = _text(_table(closed, "closed-table").split("</thead>", 1)[0])
    assert head.endswith("STT Đơn vị Từ chối, dừng giải quyết Rút hồ sơ")
    row = re.search(r'data-ward="phuhoa">(.*?)</tr>', closed, re.S).group(1)
    assert dict(re.findall(r'data-figure="(\w+)">(\d+)<', row)) == {
        "refused": "1",
        "withdrawn": "2",
    }
    # The form comes first, then the table that is not part of it.
    assert html.index('data-testid="form-signature"') < html.index('data-testid="closed-section"')


def test_the_ward_page_prints_the_form_by_field(client, world, march):
    client.force_login(world.chief)
    html = client.get(reverse("reports:ward-report", args=["phuhoa"]) + MARCH).content.decode()
    form = _section(html, "bieu06-form")
    assert f"Đơn vị báo cáo: UBND {world.ward}" in _text(form)
    thead = _table(form, "fields-table").split("</thead>", 1)[0]
    assert _paths_from_html(thead)[1] == ("Lĩnh vực, công việc giải quyết theo cấp",)
    assert _paths_from_html(thead)[2:] == OFFICIAL[2:]
    closed = _section(html, "closed-section")
    assert 'data-testid="fields-closed-table"' in closed
    assert "Lĩnh vực, công việc giải quyết theo cấp" in closed


def _workbook(response):
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


def _excel_paths(sheet, top: int, width: int) -> list[tuple[str, ...]]:
    merged = list(sheet.merged_cells.ranges)

    def value(row, column):
        for rng in merged:
            if rng.min_row <= row <= rng.max_row and rng.min_col <= column <= rng.max_col:
                return sheet.cell(row=rng.min_row, column=rng.min_col).value
        return sheet.cell(row=row, column=column).value

    paths = []
    for column in range(1, width + 1):
        path: list[str] = []
        for row in range(top, top + 3):
            label = value(row, column)
            if not path or path[-1] != label:
                path.append(label)
        paths.append(tuple(path))
    return paths


def test_the_workbook_is_the_form_then_the_separate_table(client, world, march):
    client.force_login(world.city_admin)
    sheet = _workbook(client.get(reverse("reports:bieu06-xlsx") + MARCH))
    assert _excel_paths(sheet, 9, 13) == OFFICIAL
    cells = [(c.row, c.column, c.value) for row in sheet.iter_rows() for c in row if c.value]
    where: dict[str, tuple[int, int]] = {}  # where each text first appears
    for r, col, value in cells:
        if isinstance(value, str):
            where.setdefault(value, (r, col))
    # The signature at the right under the table, then the separate table with its own title.
    total_row = where["Tổng cộng"][0]
    assert where["…, ngày … tháng … năm …"][0] > total_row
    assert where["Người làm báo cáo"][0] == where["…, ngày … tháng … năm …"][0] + 1
    assert where["Người làm báo cáo"][1] >= 9
    title_row = where[CLOSED_TITLE][0]
    assert title_row > where["Người làm báo cáo"][0]
    assert [sheet.cell(row=title_row + 1, column=c).value for c in range(1, 5)] == [
        "STT",
        "Đơn vị",
        "Từ chối, dừng giải quyết",
        "Rút hồ sơ",
    ]
    closed_rows = [
        r for r in sheet.iter_rows(min_row=title_row + 2) if r[1].value == "Phường Phú Hòa"
    ]
    assert [c.value for c in closed_rows[0][2:4]] == [1, 2]
    assert "Kỳ báo cáo chưa kết thúc" not in str(cells)


def test_the_csv_follows_the_form_then_what_is_not_on_it(client, world, march):
    client.force_login(world.city_admin)
    content = client.get(reverse("reports:bieu06-csv") + MARCH).content.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(content))
    header = next(reader)
    assert header == [
        "row_kind",
        "ward_slug",
        "ward_name",
        "pilot_phase",
        "from",
        "to",
        *FORM_FIELDS,
        "received",
        "refused",
        "withdrawn",
    ]
    rows = [dict(zip(header, line, strict=True)) for line in reader]
    total = rows[-1]
    assert total["row_kind"] == "total"
    wards = [r for r in rows if r["row_kind"] == "ward"]
    for name in [*FORM_FIELDS, "refused", "withdrawn"]:
        assert int(total[name]) == sum(int(r[name]) for r in wards), name


def test_the_api_lists_the_form_fields_in_order_and_the_totals(world, march):
    api = APIClient()
    api.force_authenticate(world.city_admin)
    body = api.get(reverse("api-report-bieu06"), {"from": "2026-03-01", "to": "2026-03-31"}).json()
    row = body["rows"][0]
    assert list(row)[:2] == ["ward", "pilot_phase"]
    assert list(row)[2:] == [*FORM_FIELDS, "received", "refused", "withdrawn"]
    assert list(body["totals"]) == [*FORM_FIELDS, "received", "refused", "withdrawn"]
    for name in body["totals"]:
        assert body["totals"][name] == sum(r[name] for r in body["rows"]), name
    assert body["totals"]["refused"] == 1 + 0  # P; Phú Lợi refused nothing
    assert dt.datetime.fromisoformat(body["as_of"]) == month_period(2026, 3).end
    schema = api.get(reverse("api-schema"), {"format": "json"}).json()["components"]["schemas"]
    assert "as_of" in schema["Bieu06Report"]["properties"]
    assert "as_of" in schema["Bieu06Report"]["required"]
    assert "as_of" not in schema["PilotReport"]["properties"]
    assert schema["Bieu06Figures"]["properties"]["total"]["description"].startswith("Column (3)")
    assert "separate table" in schema["Bieu06Figures"]["properties"]["refused"]["description"]


def test_the_cutoff_month_runs_from_the_15th_to_the_14th(world):
    procedure = ProcedureFactory(processing_days=3)
    ward = world.ward

    def dossier(when, **traits):
        return DossierFactory(ward=ward, procedure=procedure, received_at=when, **traits)

    dossier(dt.datetime(2026, 2, 14, 23, 59, tzinfo=TZ), processing=True)  # carried over
    dossier(dt.datetime(2026, 2, 15, 0, 0, tzinfo=TZ), processing=True)  # the first instant
    dossier(dt.datetime(2026, 3, 14, 23, 59, tzinfo=TZ), processing=True)  # the last minute
    dossier(dt.datetime(2026, 3, 15, 0, 0, tzinfo=TZ), processing=True)  # the next period's
    report = selectors.ward_report(
        user=world.chief, period=month_period(2026, 3, cutoff=True), now=at(1, 6)
    )
    values = report.ward_rows[0].values
    assert (values["carried_over"], values["received"], values["pending"]) == (1, 2, 3)
    april = selectors.ward_report(
        user=world.chief, period=month_period(2026, 4, cutoff=True), now=at(1, 6)
    ).ward_rows[0]
    assert (april.values["carried_over"], april.values["received"]) == (3, 1)
    assert april.figures.reconciles()


@pytest.fixture
def midday(world, settings):
    """Wednesday 18/03/2026 at 14:00, with five dossiers in hand promised around it."""
    settings.INTAKE_RULES = []
    procedure = ProcedureFactory(processing_days=3, field="Hộ tịch")
    now = at(18, 3, 14)
    received = at(13, 3, 9)

    def in_hand(due, **extra):
        return DossierFactory(
            ward=world.ward,
            procedure=procedure,
            received_at=received,
            appointment_at=due,
            processing=True,
            **extra,
        )

    in_hand(at(17, 3, 9))  # overdue since yesterday
    in_hand(at(18, 3, 10))  # overdue since this morning
    in_hand(at(18, 3, 16))  # due later today: not overdue yet
    in_hand(at(25, 3, 9))  # due next week
    in_hand(at(16, 3, 9), apology_appointment_at=at(20, 3, 9))  # a new date promised
    DossierFactory(  # resolved an hour after receipt: in hand no longer
        ward=world.ward, procedure=procedure, received_at=received, result_ready=True
    )
    return now


def test_a_period_not_over_counts_overdue_as_of_now(world, midday):
    march = month_period(2026, 3)
    with clock.frozen_at(midday):
        report = selectors.ward_report(user=world.city_admin, period=march)
        fields = selectors.field_report(user=world.chief, period=march, ward_slug="phuhoa")
    row = next(r for r in report.ward_rows if r.ward == world.ward)
    assert (row.values["pending"], row.values["pending_overdue"]) == (5, 2)
    assert row.values["pending_within"] == 3
    assert row.figures.reconciles()
    assert report.as_of == midday and not report.over
    assert "pending_overdue" not in row.links and "pending_within" not in row.links
    assert "pending" in row.links
    by_field = next(r for r in fields if r.kind == "field")
    assert (by_field.values["pending"], by_field.values["pending_overdue"]) == (5, 2)
    # The oracle, counting straight from the dossiers at the same instant, agrees.
    oracle = direct_figures.figures_by(
        Dossier.objects.filter(ward=world.ward),
        "ward",
        march,
        direct_figures.calendars([world.ward]),
        as_of=midday,
    )[world.ward.pk].values()
    assert {n: oracle[n] for n in FORM_FIELDS} == {n: row.values[n] for n in FORM_FIELDS}
    # Once March is over, all five promised dates lie before its end.
    after = selectors.ward_report(user=world.city_admin, period=march, now=at(2, 4))
    over = next(r for r in after.ward_rows if r.ward == world.ward)
    assert (over.values["pending"], over.values["pending_overdue"]) == (5, 5)
    assert after.over and "pending_overdue" in over.links


def test_the_page_workbook_and_api_say_when_overdue_is_counted(client, world, midday):
    client.force_login(world.chief)
    api = APIClient()
    api.force_authenticate(world.chief)
    with clock.frozen_at(midday):
        html = client.get(reverse("reports:ward-report", args=["phuhoa"]) + MARCH).content.decode()
        sheet = _workbook(client.get(reverse("reports:ward-fields-xlsx", args=["phuhoa"]) + MARCH))
        body = api.get(
            reverse("api-report-bieu06"), {"from": "2026-03-01", "to": "2026-03-31"}
        ).json()
    note = (
        "Kỳ báo cáo chưa kết thúc: số hồ sơ đang giải quyết, trong hạn và quá hạn (cột 11–13) "
        "tính đến 14:00 ngày 18/03/2026."
    )
    assert note in _text(_section(html, "bieu06-form"))
    assert "quá hạn tính đến 14:00 18/03/2026" in _text(html)
    assert note in [c.value for row in sheet.iter_rows() for c in row]
    assert dt.datetime.fromisoformat(body["as_of"]) == midday
    assert body["rows"][0]["pending_overdue"] == 2


def test_reconciliation_and_the_oracle_on_generated_history(world, settings):
    """Dossiers walked through the services at random times; every cut-off period and a period
    not yet over reconcile and equal the oracle's count from the dossiers."""
    import random

    from intake.lifecycle import Action
    from tests.reports.scenario import Scenario

    settings.INTAKE_RULES = []
    rng = random.Random(15)
    s = Scenario(world)
    s.procedure = ProcedureFactory(processing_days=2)
    moment = at(20, 1)
    now = at(20, 4, 11)
    for n in range(200):  # until `now`: about a hundred dossiers
        moment += dt.timedelta(hours=rng.randint(2, 40))
        if moment >= now:
            break
        name = f"x{n}"
        s.receive(name, moment, channel=rng.choice([1, 2, 3]))
        later = moment + dt.timedelta(hours=rng.randint(1, 200))
        if later >= now:
            continue
        fate = rng.random()
        if fate < 0.15:
            s.step(name, later, Action.REFUSE)
        elif fate < 0.25:
            s.step(name, later, Action.WITHDRAW)
        elif fate < 0.8:
            s.resolve(name, later)
    dossiers = Dossier.objects.filter(ward=world.ward)
    assert dossiers.filter(status=Status.REFUSED).exists()
    # Some dossiers in hand at `now` are promised later in April: overdue at its end, not now.
    assert dossiers.filter(status__in=OPEN, appointment_at__gte=now).exists()
    periods = [
        *(month_period(2026, m, cutoff=True) for m in (2, 3, 4)),
        quarter_period(2026, 1, cutoff=True),
        month_period(2026, 4),  # not over at `now`
    ]
    for period in periods:
        report = selectors.ward_report(user=world.chief, period=period, now=now)
        row = report.ward_rows[0]
        assert row.figures.reconciles(), (period.label(), row.values)
        v = row.values
        assert v["carried_over"] + v["received"] == (
            v["resolved"] + v["pending"] + v["refused"] + v["withdrawn"]
        )
        oracle = direct_figures.figures_by(
            dossiers,
            "ward",
            period,
            direct_figures.calendars([world.ward]),
            as_of=report.as_of,
        )[world.ward.pk].values()
        names = [*FORM_FIELDS, "refused", "withdrawn"]
        assert {n: v[n] for n in names} == {n: oracle[n] for n in names}, period.label()


def test_a_period_not_over_costs_the_same_queries_however_many_dossiers(
    world, midday, django_assert_num_queries
):
    march = month_period(2026, 3)
    with clock.frozen_at(midday):
        # Wards, the daily figures (the period's, the stocks before it), the overdue as of
        # now, shifts, guidance, data-entry batches and records, the hall's waits.
        with django_assert_num_queries(9):
            selectors.ward_report(user=world.city_admin, period=march)
        for i in range(30):
            DossierFactory(ward=world.other_ward, received_at=at(2 + i % 15, 3), overdue=True)
        with django_assert_num_queries(9):
            selectors.ward_report(user=world.city_admin, period=march)
