"""Importing the catalogue from CSV or Excel: read and checked whole, then written in chunks."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from intake.catalogue.editing import require_manager
from intake.models import Procedure
from onestop.errors import InvalidInput
from onestop.models import User
from onestop.text import (
    fold,
    forbidden_character,
    forbidden_message,
    invisible_character,
    invisible_message,
)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
CHUNK_SIZE = 100

# Column headings a file may use, folded (no diacritics, lower case, words only).
HEADINGS = {
    "code": {"code", "ma", "ma thu tuc", "ma tthc", "ma so", "ma thu tuc hanh chinh"},
    "name": {"name", "ten", "ten thu tuc", "ten tthc", "ten thu tuc hanh chinh"},
    "field": {"field", "linh vuc"},
    "level": {"level", "cap", "cap thuc hien", "cap giai quyet"},
    "resolving_agency": {"resolving agency", "co quan giai quyet", "co quan thuc hien"},
    "processing_days": {
        "processing days",
        "thoi han",
        "thoi han giai quyet",
        "thoi han giai quyet ngay lam viec",
        "so ngay",
        "so ngay lam viec",
    },
    "term_unit": {
        "term unit",
        "don vi",
        "don vi thoi han",
        "don vi tinh thoi han",
        "tinh theo",
    },
    "supplement_window_days": {
        "supplement window days",
        "thoi han yeu cau bo sung",
        "thoi han yeu cau bo sung ngay lam viec",
        "han yeu cau bo sung",
    },
    "fee": {"fee", "fee vnd", "phi", "le phi", "phi le phi", "phi le phi dong"},
    "postal_eligible": {
        "postal eligible",
        "buu chinh",
        "tiep nhan qua buu dien",
        "qua buu chinh cong ich",
    },
    "notes": {"notes", "ghi chu"},
    "source": {"source", "nguon", "can cu"},
    "active": {"active", "dang ap dung", "ap dung"},
    "effective_from": {"effective from", "hieu luc tu", "hieu luc tu ngay"},
    "effective_to": {"effective to", "hieu luc den", "hieu luc den ngay"},
}
LEVELS = {
    Procedure.Level.WARD: {
        "ward",
        "phuong",
        "xa",
        "cap phuong",
        "cap xa",
        "cap phuong xa",
        "cap xa phuong",
    },
    Procedure.Level.DISTRICT: {
        "district",
        "huyen",
        "quan",
        "thanh pho",
        "cap huyen",
        "cap quan",
        "cap thanh pho",
        "cap huyen thanh pho",
    },
    Procedure.Level.PROVINCE: {"province", "tinh", "cap tinh"},
}
TERM_UNITS = {
    Procedure.TermUnit.WORKING_DAYS: {"working days", "ngay lam viec", "lam viec", "nlv"},
    Procedure.TermUnit.CALENDAR_DAYS: {"calendar days", "ngay", "ngay lich", "ngay lien tuc"},
}
TRUE = {"true", "1", "x", "co", "yes", "c"}
FALSE = {"false", "0", "khong", "no", "k", ""}
CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-_]{0,19}$")


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(str(text))).split())


# --- import: read and check -------------------------------------------------------------------


@dataclass
class RowReport:
    number: int  # the row's number in the file (the heading is row 1)
    code: str
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.errors


@dataclass
class ImportCheck:
    """A file read and checked: its recognised columns and every row's verdict."""

    columns: list[str]
    rows: list[RowReport]

    @property
    def accepted(self) -> list[RowReport]:
        return [r for r in self.rows if r.accepted]

    @property
    def rejected(self) -> list[RowReport]:
        return [r for r in self.rows if not r.accepted]


def _read_table(content: bytes, filename: str) -> list[list]:
    name = filename.lower()
    if name.endswith(".xlsx") or content[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds on a broken file
            raise InvalidInput(
                _("Không đọc được tệp Excel: %(e)s") % {"e": str(error)[:120]}, field="file"
            ) from None
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 50)]
        workbook.close()
        return rows
    if not name.endswith((".csv", ".txt")):
        raise InvalidInput(_("Chỉ nhận tệp .csv hoặc .xlsx."), field="file")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            _("Tệp CSV phải được lưu bằng mã UTF-8 (Excel: “CSV UTF-8”)."), field="file"
        ) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _integer(value, label: str, errors: list[str]) -> int | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        raw = _text(value).replace(" ", "")
        # 26.000 and 26,000 both mean twenty-six thousand dong.
        if re.fullmatch(r"\d{1,3}([.,]\d{3})+", raw):
            raw = re.sub(r"[.,]", "", raw)
        try:
            number = float(raw.replace(",", "."))
        except ValueError:
            errors.append(
                _("%(label)s “%(v)s” không phải là số.") % {"label": label, "v": raw[:30]}
            )
            return None
    if not number.is_integer() or number < 0:
        errors.append(_("%(label)s phải là số nguyên không âm.") % {"label": label})
        return None
    return int(number)


def _date(value, label: str, errors: list[str]) -> str | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raw = _text(value)
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(raw, pattern).date().isoformat()
        except ValueError:
            continue
    errors.append(
        _("%(label)s “%(v)s” không đúng dạng dd/mm/yyyy.") % {"label": label, "v": raw[:20]}
    )
    return None


def _boolean(value, label: str, errors: list[str]) -> bool | None:
    if isinstance(value, bool):
        return value
    word = _words(_text(value))
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    errors.append(_("%(label)s chỉ nhận có/không.") % {"label": label})
    return None


def _level(value, errors: list[str]) -> str | None:
    word = _words(_text(value))
    for level, names in LEVELS.items():
        if word in names:
            return level
    errors.append(
        _("Cấp thực hiện “%(v)s” không rõ (phường/xã, thành phố/huyện, tỉnh).")
        % {"v": _text(value)[:30]}
    )
    return None


class UnknownTermUnit(ValueError):
    """A row names a term unit that is neither working days nor calendar days."""


def _term_unit(value) -> str:
    word = _words(_text(value))
    for unit, names in TERM_UNITS.items():
        if word in names or word == unit.replace("_", " "):
            return unit
    raise UnknownTermUnit(_text(value)[:30])


def _columns(heading: list) -> dict[int, str]:
    columns: dict[int, str] = {}
    for index, title in enumerate(heading):
        words = _words(_text(title))
        for name, aliases in HEADINGS.items():
            if words in aliases and name not in columns.values():
                columns[index] = name
    return columns


def catalogue_check(*, content: bytes, filename: str) -> ImportCheck:
    """Read a CSV or Excel file and check every row; nothing is written.

    Raises InvalidInput for a file that cannot be used at all (wrong type, too big, no code
    or name column, no rows).
    """
    if len(content) > MAX_FILE_BYTES:
        raise InvalidInput(_("Tệp lớn hơn 5 MB."), field="file")
    table = [row for row in _read_table(content, filename) if any(_text(c) for c in row)]
    if not table:
        raise InvalidInput(_("Tệp không có dữ liệu."), field="file")
    columns = _columns(table[0])
    missing = [
        label
        for name, label in (("code", _("Mã thủ tục")), ("name", _("Tên thủ tục")))
        if name not in columns.values()
    ]
    if missing:
        raise InvalidInput(
            _("Dòng tiêu đề thiếu cột: %(cols)s.") % {"cols": ", ".join(missing)}, field="file"
        )
    body = table[1:]
    if not body:
        raise InvalidInput(_("Tệp chỉ có dòng tiêu đề."), field="file")
    if len(body) > MAX_ROWS:
        raise InvalidInput(_("Tệp có quá %(n)s dòng.") % {"n": MAX_ROWS}, field="file")
    existing = set(Procedure.objects.values_list("code", flat=True))
    seen: dict[str, int] = {}
    reports = []
    unknown_units: list[str] = []
    for offset, cells in enumerate(body, start=2):
        raw = {name: cells[i] if i < len(cells) else None for i, name in columns.items()}
        try:
            report = _check_row(offset, raw, existing)
        except UnknownTermUnit as unknown:
            unknown_units.append(
                _("dòng %(row)s (“%(unit)s”)") % {"row": offset, "unit": unknown.args[0]}
            )
            continue
        if report.code and report.code in seen:
            report.errors.append(
                _("Mã %(code)s trùng với dòng %(row)s.")
                % {"code": report.code, "row": seen[report.code]}
            )
        elif report.code:
            seen[report.code] = offset
        reports.append(report)
    if unknown_units:
        # A wrong unit would move every appointment of the procedure: the whole file is refused,
        # so no row is written under a unit the file did not mean.
        raise InvalidInput(
            _(
                "Đơn vị thời hạn không rõ ở %(rows)s: chỉ nhận “ngày làm việc” hoặc “ngày”. "
                "Chưa nhập dòng nào; sửa tệp rồi tải lên lại."
            )
            % {"rows": ", ".join(unknown_units)},
            field="file",
        )
    return ImportCheck(
        columns=sorted(set(columns.values()), key=list(HEADINGS).index), rows=reports
    )


def _check_row(number: int, raw: dict, existing: set[str]) -> RowReport:
    errors: list[str] = []
    code = _text(raw.get("code"))
    values: dict = {}
    if not code:
        errors.append(_("Thiếu mã thủ tục."))
    elif not CODE.match(code):
        errors.append(
            _("Mã thủ tục “%(c)s” không hợp lệ (tối đa 20 ký tự: chữ, số, dấu chấm, gạch).")
            % {"c": code[:30]}
        )
    name = _text(raw.get("name"))
    if not name:
        errors.append(_("Thiếu tên thủ tục."))
    elif len(name) > 400:
        errors.append(_("Tên thủ tục dài quá 400 ký tự."))
    values["name"] = name
    is_new = code not in existing
    # An empty field or level cell keeps what the catalogue has; a new procedure needs both.
    if _text(raw.get("field")):
        values["field"] = _text(raw["field"])[:100]
    if _text(raw.get("level")):
        values["level"] = _level(raw["level"], errors)
    if is_new and not values.get("field"):
        errors.append(_("Thủ tục mới cần lĩnh vực."))
    # A name and a field are names (onestop.text): what no document carries, or invisible.
    for key in ("name", "field"):
        text = values.get(key) or ""
        if char := forbidden_character(text):
            errors.append(forbidden_message(char))
        elif char := invisible_character(text):
            errors.append(invisible_message(char))
    if is_new and "level" not in values:
        errors.append(_("Thủ tục mới cần cấp thực hiện."))
    if "resolving_agency" in raw:
        values["resolving_agency"] = _text(raw["resolving_agency"])[:200]
    if "processing_days" in raw:
        days = _integer(raw["processing_days"], _("Thời hạn giải quyết"), errors)
        if days is not None and days > 365:
            errors.append(_("Thời hạn giải quyết quá 365 ngày."))
        values["processing_days"] = days
    if _text(raw.get("term_unit")):
        values["term_unit"] = _term_unit(raw["term_unit"])
    if "supplement_window_days" in raw:
        window = _integer(raw["supplement_window_days"], _("Thời hạn yêu cầu bổ sung"), errors)
        if window is not None and not 1 <= window <= 365:
            errors.append(_("Thời hạn yêu cầu bổ sung từ 1 đến 365 ngày làm việc."))
        values["supplement_window_days"] = window
    if "fee" in raw:
        values["fee"] = _integer(raw["fee"], _("Phí, lệ phí"), errors)
    for name, label in (
        ("postal_eligible", _("Tiếp nhận qua bưu điện")),
        ("active", _("Đang áp dụng")),
    ):
        if name in raw and _text(raw[name]) != "":
            values[name] = _boolean(raw[name], label, errors)
    for name in ("notes", "source"):
        if name in raw:
            values[name] = _text(raw[name])[: 300 if name == "source" else 4000]
    for name, label in (("effective_from", _("Hiệu lực từ")), ("effective_to", _("Hiệu lực đến"))):
        if name in raw:
            values[name] = _date(raw[name], label, errors)
    start, end = values.get("effective_from"), values.get("effective_to")
    if start and end and end < start:
        errors.append(_("Ngày hết hiệu lực trước ngày có hiệu lực."))
    return RowReport(number=number, code=code, values=values, errors=errors)


# --- import: write ----------------------------------------------------------------------------


@dataclass
class ChunkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _typed(values: dict) -> dict:
    typed = dict(values)
    for name in ("effective_from", "effective_to"):
        if typed.get(name):
            typed[name] = dt.date.fromisoformat(typed[name])
    return typed


def catalogue_import_chunk(*, user: User, rows: list[dict]) -> ChunkResult:
    """Write checked rows ({"code", "values"}) in one transaction: create or update by code."""
    require_manager(user)
    result = ChunkResult()
    with transaction.atomic():
        codes = [row["code"] for row in rows]
        known = {p.code: p for p in Procedure.objects.select_for_update().filter(code__in=codes)}
        new, changed, fields = [], [], set()
        for row in rows:
            values = _typed(row["values"])
            procedure = known.get(row["code"])
            if procedure is None:
                procedure = Procedure(code=row["code"], **values)
                procedure.search_text = fold(f"{procedure.code} {procedure.name}")
                new.append(procedure)
                continue
            differs = [name for name, value in values.items() if getattr(procedure, name) != value]
            if not differs:
                result.unchanged += 1
                continue
            for name in differs:
                setattr(procedure, name, values[name])
            procedure.search_text = fold(f"{procedure.code} {procedure.name}")
            fields.update(differs)
            changed.append(procedure)
        if new:
            Procedure.objects.bulk_create(new)
        if changed:
            Procedure.objects.bulk_update(changed, [*sorted(fields), "search_text"])
        result.created, result.updated = len(new), len(changed)
    return result
