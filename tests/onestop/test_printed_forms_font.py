"""Every printed form uses one font: the receipt's (Mẫu 01), the Be Vietnam Pro shipped with the
application, so the slips, the hand-over list and the logbook print alike on any machine."""

import re
from pathlib import Path

from django.conf import settings

CSS = Path(settings.BASE_DIR) / "static" / "css"
PRINT_FONT = '"Be Vietnam Pro", "Noto Sans", "DejaVu Sans", sans-serif'
# The sheet of each printed form, in the stylesheet that draws it.
PRINTED_FORMS = {
    "receipt.css": ".slip",  # Mẫu 01
    "dossiers.css": ".slip",  # Mẫu 02–05
    "deliveries.css": ".handover-sheet",  # the courier's hand-over list
    "reports.css": ".logbook",  # Mẫu 06
}


def _font_of(sheet: str, selector: str) -> str:
    css = re.sub(r"/\*.*?\*/", "", (CSS / sheet).read_text(encoding="utf-8"), flags=re.S)
    rules = re.findall(r"([^{}]*)\{([^{}]*)\}", css)
    fonts = [
        match[1].strip()
        for selectors, body in rules
        if selector in [s.strip() for s in selectors.split(",")]
        for match in [re.search(r"font-family:\s*([^;]+);", body)]
        if match
    ]
    assert fonts, f"{sheet} sets no font on {selector}"
    return fonts[0]


def test_every_printed_form_uses_the_receipts_font():
    fonts = {sheet: _font_of(sheet, selector) for sheet, selector in PRINTED_FORMS.items()}
    assert fonts == dict.fromkeys(PRINTED_FORMS, PRINT_FONT)


def test_no_stylesheet_asks_for_another_printed_font():
    for sheet in CSS.glob("*.css"):
        text = sheet.read_text(encoding="utf-8")
        assert "Times New Roman" not in text, sheet.name
        assert "serif;" not in text.replace("sans-serif;", ""), sheet.name
