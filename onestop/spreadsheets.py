"""User text in spreadsheets is text, never a formula (OWASP "CSV injection").

A name, an address, a note or a procedure's name typed as `=HYPERLINK(…)`, `+cmd|…`, `-1+1`
or `@SUM(…)` would run as a formula when a city admin opens the export in Excel or LibreOffice —
also after the spreadsheet trims the spaces around it, and in the full-width forms a Vietnamese
keyboard can type (＝ ＋ － ＠). Every writer of a workbook or a CSV file goes through here:

- CSV has no types, so a text cell whose first character, or first character after white space,
  is one of `FORMULA_PREFIXES` is written with a single quote in front (`'=1+1`), which every
  spreadsheet shows as the text typed;
- openpyxl cells hold types, so a text cell is written as a string cell (`data_type = "s"`),
  never as a formula, and shows exactly as typed.

Numbers, dates and empty cells are left as they are.
"""

from collections.abc import Iterable

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def looks_like_formula(text: str) -> bool:
    """True when the first character of `text` that is not a space is a formula prefix (a
    spreadsheet may trim the spaces before reading it)."""
    for char in text:
        if char in FORMULA_PREFIXES:  # tab and carriage return are prefixes themselves
            return True
        if not char.isspace():
            return False
    return False


def csv_value(value):
    """`value` as a CSV cell: text that could run as a formula gets a leading single quote."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def csv_row(values: Iterable) -> list:
    return [csv_value(value) for value in values]


def as_text(cell):
    """An openpyxl cell holding text is written as a string cell, never as a formula."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def text_cells(workbook) -> None:
    """Every text cell of every sheet of `workbook` (not write-only) as a string cell."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                as_text(cell)


def write_only_row(sheet, values: Iterable) -> list:
    """A row for a write-only sheet: each value a cell, text as string cells."""
    return [
        value if isinstance(value, Cell) else as_text(WriteOnlyCell(sheet, value=value))
        for value in values
    ]
