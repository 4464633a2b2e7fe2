"""Uploads that attack: each is refused with its reason through the page and the API, and
nothing is stored — no bytes in storage, no file row, no event.

Decisions (intake/file_services.py):
- the content decides the type, never the name: HTML, programs, archives, GIF, SVG are refused
  whatever they are called;
- a zip bomb named .pdf is an archive and refused unopened; nothing is ever inflated beyond a
  fixed budget, so a PDF whose compressed streams would expand to gigabytes is read in bounded
  time (and, being a PDF with nothing active, kept);
- a PDF with active content (JavaScript, a launch action, attached files, rich media, XFA) is
  refused — scanners never write them — also when the name is spelled with #xx escapes or
  hidden in a compressed object stream;
- a polyglot (an archive appended to a PDF or an image, HTML inside one) is refused;
- what is kept is served only as a download: attachment, its sniffed type, nosniff.
"""

import io
import time
import uuid
import zipfile
import zlib

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from intake.file_services import dossier_file_upload
from intake.models import DossierEvent, DossierFile
from onestop.errors import InvalidInput
from tests.intake.test_files import (
    HTML,
    digitisable_dossier,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    stored_names,
    upload,
)

pytestmark = pytest.mark.django_db

VIETNAMESE_REASON = ("không phải PDF", "rỗng", "vượt giới hạn", "tự chạy", "tệp ghép", "bị hỏng")


# --- the attacking files ----------------------------------------------------------------------


def pdf_with(*objects: bytes, root_extra: bytes = b"") -> bytes:
    """A PDF whose catalog carries `root_extra`, with `objects` numbered from 3 on."""
    body = [
        b"<< /Type /Catalog /Pages 2 0 R " + root_extra + b" >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
        *objects,
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, obj in enumerate(body, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(body) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(body) + 1, xref)
    return bytes(out)


def object_stream(content: bytes, *, compressed: bytes | None = None) -> bytes:
    data = zlib.compress(content) if compressed is None else compressed
    return (
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(data)
        + data
        + b"\nendstream"
    )


def zip_of(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(name, content)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """Twenty megabytes of zeros that compress to about twenty kilobytes."""
    return zip_of("ho-so.pdf", bytes(20 * 1024 * 1024))


def png_with_text(text: bytes) -> bytes:
    png = png_bytes()
    chunk = b"tEXt" + b"Comment\x00" + text
    crc = zlib.crc32(chunk).to_bytes(4, "big")
    sized = len(chunk) - 4
    iend = png.rindex(b"\x00\x00\x00\x00IEND")
    return png[:iend] + sized.to_bytes(4, "big") + chunk + crc + png[iend:]


JS_ACTION = b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>"

ATTACKS = {
    # wrong type, whatever the name says
    "a Windows program named .pdf": ("ho-so.pdf", b"MZ\x90\x00\x03" + bytes(400)),
    "an ELF program named .jpg": ("anh.jpg", b"\x7fELF\x02\x01\x01" + bytes(400)),
    "a GIF": ("anh.gif", b"GIF89a\x01\x00\x01\x00" + bytes(64)),
    "an SVG with a script named .png": (
        "anh.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ),
    "plain text named .pdf": ("ghi-chu.pdf", "Họ và tên: Nguyễn Thị Mai".encode()),
    "a Word document (a zip) named .pdf": ("to-khai.pdf", zip_of("word/document.xml", b"<w/>")),
    "an HTML page named .pdf": ("ho-so.pdf", HTML),
    # compression
    "a zip bomb named .pdf": ("ho-so.pdf", zip_bomb()),
    # active content in a PDF
    "a PDF that runs JavaScript on opening": ("scan.pdf", pdf_with(root_extra=JS_ACTION)),
    "a PDF with JavaScript spelled in #xx escapes": (
        "scan.pdf",
        pdf_with(root_extra=b"/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"),
    ),
    "a PDF with JavaScript hidden in a compressed object stream": (
        "scan.pdf",
        pdf_with(object_stream(b"3 0 << /S /JavaScript /JS (app.alert\\(1\\)) >>")),
    ),
    "a PDF that launches a program": (
        "scan.pdf",
        pdf_with(root_extra=b"/OpenAction << /S /Launch /F (cmd.exe) >>"),
    ),
    "a PDF carrying an attached file": (
        "scan.pdf",
        pdf_with(root_extra=b"/Names << /EmbeddedFiles << /Names [(a.exe) 3 0 R] >> >>"),
    ),
    # polyglots
    "a PDF with a zip archive appended": (
        "scan.pdf",
        pdf_bytes() + zip_of("payload.html", HTML) + b"\n%%EOF\n",
    ),
    "a JPEG with a zip archive appended": ("anh.jpg", jpeg_bytes() + zip_of("a.jar", b"x" * 99)),
    "a PDF that is also an HTML page": (
        "scan.pdf",
        b"%PDF-1.4\n%<html><body><script>alert(1)</script></body></html>\n" + pdf_bytes()[9:],
    ),
    "a PNG with HTML in a text chunk": ("anh.png", png_with_text(HTML)),
    # size
    "an empty file": ("rong.pdf", b""),
}


# --- where nothing may appear ------------------------------------------------------------------


def footprint(dossier) -> tuple:
    return (
        frozenset(stored_names()),
        DossierFile.objects.filter(dossier=dossier).count(),
        DossierEvent.objects.filter(dossier=dossier).count(),
    )


@pytest.fixture
def dossier(world):
    return digitisable_dossier(world)


def page_upload(client, dossier, name: str, content: bytes):
    return client.post(
        reverse("intake:dossier-files", kwargs={"code": dossier.code}),
        {"component": "", "file": upload(name, content), "request_id": str(uuid.uuid4())},
    )


def api_upload(api, dossier, name: str, content: bytes):
    return api.post(
        reverse("dossier-file-list", kwargs={"code": dossier.code}),
        {"file": upload(name, content)},
        format="multipart",
    )


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_service_refuses_with_the_reason_and_stores_nothing(world, dossier, attack):
    name, content = ATTACKS[attack]
    before = footprint(dossier)
    started = time.monotonic()
    with pytest.raises(InvalidInput) as refused:
        dossier_file_upload(
            user=world.postal_worker, code=dossier.code, upload=upload(name, content)
        )
    assert time.monotonic() - started < 5
    assert refused.value.field == "file"
    assert any(reason in refused.value.message for reason in VIETNAMESE_REASON), refused.value
    assert footprint(dossier) == before


@pytest.mark.parametrize(
    "attack",
    [
        "an HTML page named .pdf",
        "a zip bomb named .pdf",
        "a PDF that runs JavaScript on opening",
        "a PDF with a zip archive appended",
        "an empty file",
    ],
)
def test_the_page_and_the_api_refuse_with_the_reason_and_store_nothing(
    world, dossier, client, attack
):
    name, content = ATTACKS[attack]
    before = footprint(dossier)
    client.force_login(world.postal_worker)
    page = page_upload(client, dossier, name, content)
    assert page.status_code == 400
    assert any(reason in page.content.decode() for reason in VIETNAMESE_REASON)
    api = APIClient()
    api.force_authenticate(world.postal_worker)
    answer = api_upload(api, dossier, name, content)
    assert answer.status_code == 400
    assert any(reason in answer.json()["file"][0] for reason in VIETNAMESE_REASON), answer.json()
    assert footprint(dossier) == before


def test_oversized_through_the_page_and_the_api(world, dossier, client, settings):
    settings.UPLOAD_MAX_BYTES = 50_000
    content = pdf_bytes("x" * 60_000)
    before = footprint(dossier)
    client.force_login(world.postal_worker)
    page = page_upload(client, dossier, "lon.pdf", content)
    assert page.status_code == 400
    assert "vượt giới hạn" in page.content.decode()
    api = APIClient()
    api.force_authenticate(world.postal_worker)
    answer = api_upload(api, dossier, "lon.pdf", content)
    assert answer.status_code == 400
    assert "vượt giới hạn" in answer.json()["file"][0]
    assert footprint(dossier) == before


# --- and what is kept ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("scan.pdf", pdf_bytes(), "application/pdf"),
        # An ordinary opening view is not active content.
        ("scan.pdf", pdf_with(root_extra=b"/OpenAction [2 0 R /Fit]"), "application/pdf"),
        ("anh.jpg", jpeg_bytes(), "image/jpeg"),
        ("anh.png", png_with_text("Quét tại quầy 1".encode()), "image/png"),
    ],
)
def test_honest_scans_are_kept_and_served_only_as_downloads(
    world, dossier, client, name, content, kind
):
    client.force_login(world.postal_worker)
    assert page_upload(client, dossier, name, content).status_code == 302
    file = DossierFile.objects.get(dossier=dossier)
    assert file.content_type == kind
    response = client.get(
        reverse("intake:dossier-file", kwargs={"code": dossier.code, "file_id": file.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == kind
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == content


def test_a_pdf_whose_streams_would_inflate_to_gigabytes_is_read_in_bounded_time(world, dossier):
    # 64 MiB of zeros compressed in one object stream: inflating it all would be the attack.
    inflater = zlib.compressobj(9)
    bomb = b"".join(inflater.compress(bytes(1 << 20)) for _ in range(64)) + inflater.flush()
    content = pdf_with(object_stream(b"", compressed=bomb))
    started = time.monotonic()
    file = dossier_file_upload(
        user=world.postal_worker, code=dossier.code, upload=upload("scan.pdf", content)
    )
    assert time.monotonic() - started < 5
    assert file.size == len(content)
