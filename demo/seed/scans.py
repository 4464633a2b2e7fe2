"""Digitised components of the demo dossiers: small valid PDFs standing in for scans, uploaded
through the services at past moments."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from intake.file_services import dossier_file_upload
from intake.models import Dossier
from onestop import clock
from onestop.models import User
from onestop.text import fold


def _pdf_text(text: str) -> str:
    # The standard Helvetica font has no Vietnamese letters: the scan stand-in is written
    # without diacritics, with PDF string delimiters escaped.
    return fold(text).upper().replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def minimal_pdf(lines: list[str]) -> bytes:
    """A one-page A4 PDF showing `lines`: header, objects, cross-reference table, %%EOF."""
    body = " ".join(
        f"BT /F1 {14 if index == 0 else 11} Tf 72 {780 - 22 * index} Td ({_pdf_text(line)}) Tj ET"
        for index, line in enumerate(lines)
    ).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def scan_components(
    dossier: Dossier, user: User, moment: dt.datetime, count: int | None = None
) -> int:
    """Scan the dossier's components (or a stand-in page) at `moment`; number of files."""
    components = [c.get("name", "") for c in dossier.components or []] or [""]
    if count is not None:
        components = components[:count]
    with clock.frozen_at(moment):
        for name in components:
            title = name or "Giấy tờ kèm theo hồ sơ"
            content = minimal_pdf(
                [
                    title,
                    f"Ho so {dossier.code}",
                    f"Nguoi nop: {dossier.applicant_name}",
                    f"{dossier.procedure_name[:80]}",
                    f"Ban scan ngay {timezone.localtime(moment):%d/%m/%Y}",
                ]
            )
            slug = fold(title).replace(" ", "-")[:40] or "giay-to"
            dossier_file_upload(
                user=user,
                code=dossier.code,
                upload=ContentFile(content, name=f"{slug}.pdf"),
                component=name,
            )
    return len(components)
