"""Digitisation: what an upload accepts (by content, never by name), what it stores, its event,
superseding a scan, and the checklist of digitised components.

Decision on a PNG named "scan.pdf": it is accepted as the PNG it is (type image/png, downloaded
as "scan.png"), because the content decides and a PNG is an allowed scan.
"""

import hashlib
import struct
import zlib
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from intake import file_services
from intake.file_services import SUPERSEDE, UPLOAD, dossier_file_supersede, dossier_file_upload
from intake.models import Dossier, DossierEvent, DossierFile, Status
from intake.selectors import (
    component_checklist,
    dossier_file_content,
    dossier_files,
    with_digitised,
)
from onestop.errors import Conflict, InvalidInput, NotAllowed
from tests.intake.factories import DossierFactory, ProcedureFactory

COMPONENTS = [
    {"name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0},
    {"name": "Giấy chứng sinh", "originals": 1, "copies": 0},
]


# --- sample files ---------------------------------------------------------------------------


def pdf_bytes(text: str = "Ho so so hoa") -> bytes:
    """A small valid one-page PDF (header, objects, cross-reference table, %%EOF)."""
    stream = f"BT /F1 12 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    # SOI, a JFIF APP0 segment, EOI: enough for any reader to recognise a JPEG.
    return (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
    ) + b"\xff\xd9"


HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_names(path: str = "") -> set[str]:
    """Every name in the default storage (in memory under the test settings)."""
    if path and not default_storage.exists(path):
        return set()
    dirs, files = default_storage.listdir(path)
    names = {f"{path}/{f}".lstrip("/") for f in files}
    for d in dirs:
        names |= stored_names(f"{path}/{d}".lstrip("/"))
    return names


# --- fixtures -------------------------------------------------------------------------------


def digitisable_dossier(world) -> Dossier:
    """A dossier of the home ward, being processed, with two listed components."""
    procedure = ProcedureFactory(components=COMPONENTS)
    return DossierFactory(
        ward=world.ward, procedure=procedure, received_by=world.postal_worker, processing=True
    )


@pytest.fixture
def dossier(world) -> Dossier:
    return digitisable_dossier(world)


def nothing_stored_by(action, *exceptions):
    before_storage = stored_names()
    before_rows = DossierFile.objects.count()
    before_events = DossierEvent.objects.count()
    with pytest.raises(exceptions) as caught:
        action()
    assert stored_names() == before_storage
    assert DossierFile.objects.count() == before_rows
    assert DossierEvent.objects.count() == before_events
    return caught.value


# --- upload ---------------------------------------------------------------------------------


def test_a_pdf_is_stored_with_its_event_and_the_status_unchanged(world, dossier):
    content = pdf_bytes()
    before = stored_names()
    file = dossier_file_upload(
        user=world.postal_worker,
        code=dossier.code,
        upload=upload("to-khai.pdf", content),
        component=COMPONENTS[0]["name"],
    )
    assert file.content_type == "application/pdf"
    assert file.size == len(content)
    assert file.sha256 == hashlib.sha256(content).hexdigest()
    assert file.original_name == "to-khai.pdf"
    assert file.component == COMPONENTS[0]["name"]
    assert stored_names() - before == {file.storage_name}
    with dossier_file_content(file=file) as stored:
        assert stored.read() == content
    event = file.upload_event
    assert (event.action, event.from_status, event.to_status) == (
        UPLOAD,
        Status.PROCESSING,
        Status.PROCESSING,
    )
    assert event.actor == world.postal_worker
    assert "to-khai.pdf" in event.note
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING


def test_the_storage_name_is_random_and_says_nothing_personal(world, dossier):
    names = {
        dossier_file_upload(
            user=world.officer, code=dossier.code, upload=upload("a.pdf", pdf_bytes())
        ).storage_name
        for _ in range(3)
    }
    assert len(names) == 3
    for name in names:
        assert dossier.code not in name
        assert dossier.applicant_id_number not in name
        assert name.endswith(".pdf")
        assert len(name.rsplit("/", 1)[-1]) >= 32


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("anh.jpg", jpeg_bytes(), "image/jpeg"),
        ("anh.png", png_bytes(), "image/png"),
        ("scan.pdf", png_bytes(), "image/png"),  # a PNG called .pdf is kept as the PNG it is
        ("scan", pdf_bytes(), "application/pdf"),  # no extension: the content decides
    ],
)
def test_the_content_decides_the_type(world, dossier, name, content, expected):
    file = dossier_file_upload(user=world.chief, code=dossier.code, upload=upload(name, content))
    assert file.content_type == expected
    assert file.storage_name.endswith("." + file.extension)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scan.pdf", HTML),  # HTML named .pdf
        ("scan.jpg", b"MZ\x90\x00" + b"\x00" * 200),  # a Windows program
        ("scan.pdf", b"PK\x03\x04" + b"\x00" * 200),  # a ZIP archive
        ("scan.gif", b"GIF89a" + b"\x00" * 100),  # an image type we do not keep
        ("scan.pdf", pdf_bytes()[:200]),  # a PDF cut short: no %%EOF
        ("scan.pdf", b" " + pdf_bytes()),  # not starting with %PDF-
    ],
)
def test_anything_else_is_refused_and_nothing_is_stored(world, dossier, name, content):
    error = nothing_stored_by(
        lambda: dossier_file_upload(
            user=world.postal_worker, code=dossier.code, upload=upload(name, content)
        ),
        InvalidInput,
    )
    assert error.field == "file"


def test_an_html_file_named_pdf_is_refused_with_the_reason(world, dossier):
    error = nothing_stored_by(
        lambda: dossier_file_upload(
            user=world.postal_worker, code=dossier.code, upload=upload("ho-so.pdf", HTML)
        ),
        InvalidInput,
    )
    assert "không phải PDF, JPEG hoặc PNG" in error.message
    assert "ho-so.pdf" in error.message


def test_zero_bytes_are_refused(world, dossier):
    error = nothing_stored_by(
        lambda: dossier_file_upload(
            user=world.postal_worker, code=dossier.code, upload=upload("rong.pdf", b"")
        ),
        InvalidInput,
    )
    assert "rỗng" in error.message


def test_the_size_limit_is_a_setting(world, dossier, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    content = pdf_bytes("x" * 2000)
    error = nothing_stored_by(
        lambda: dossier_file_upload(
            user=world.postal_worker, code=dossier.code, upload=upload("lon.pdf", content)
        ),
        InvalidInput,
    )
    assert "vượt giới hạn" in error.message
    settings.UPLOAD_MAX_BYTES = len(content)
    assert dossier_file_upload(
        user=world.postal_worker, code=dossier.code, upload=upload("lon.pdf", content)
    ).size == len(content)


def test_a_size_the_client_understates_is_still_measured(world, dossier, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    file = ContentFile(pdf_bytes("y" * 2000), name="a.pdf")
    file.size = 10  # what a dishonest client might declare
    nothing_stored_by(
        lambda: dossier_file_upload(user=world.postal_worker, code=dossier.code, upload=file),
        InvalidInput,
    )


def test_the_default_limit_is_twenty_megabytes():
    from django.conf import settings

    assert settings.UPLOAD_MAX_BYTES == 20 * 1024 * 1024


def test_a_component_must_be_one_of_the_dossier(world, dossier):
    error = nothing_stored_by(
        lambda: dossier_file_upload(
            user=world.postal_worker,
            code=dossier.code,
            upload=upload("a.pdf", pdf_bytes()),
            component="Sổ hộ khẩu",
        ),
        InvalidInput,
    )
    assert error.field == "component"


def test_only_the_wards_staff_upload(world, dossier):
    error = nothing_stored_by(
        lambda: dossier_file_upload(
            user=world.city_admin, code=dossier.code, upload=upload("a.pdf", pdf_bytes())
        ),
        NotAllowed,
    )
    assert error.status_code == 403
    for outsider in (world.other_postal_worker, world.other_chief, world.other_city_admin):
        nothing_stored_by(
            lambda u=outsider: dossier_file_upload(
                user=u, code=dossier.code, upload=upload("a.pdf", pdf_bytes())
            ),
            Dossier.DoesNotExist,
        )


def test_a_double_submit_stores_one_file(world, dossier):
    first = dossier_file_upload(
        user=world.postal_worker,
        code=dossier.code,
        upload=upload("a.pdf", pdf_bytes()),
        request_id="r-1",
    )
    before = stored_names()
    again = dossier_file_upload(
        user=world.postal_worker,
        code=dossier.code,
        upload=upload("a.pdf", pdf_bytes()),
        request_id="r-1",
    )
    assert again.pk == first.pk
    assert stored_names() == before
    assert dossier.events.filter(action=UPLOAD).count() == 1


def test_a_twin_the_lock_did_not_see_gets_the_first_file_and_leaves_no_bytes(world, dossier):
    first = dossier_file_upload(
        user=world.postal_worker,
        code=dossier.code,
        upload=upload("a.pdf", pdf_bytes()),
        request_id="r-1",
    )
    before = stored_names()
    real = file_services._uploaded_with
    blind = iter([None, None])  # both earlier looks miss, as a twin in flight would
    with mock.patch.object(
        file_services, "_uploaded_with", side_effect=lambda *a: next(blind, None) or real(*a)
    ):
        again = dossier_file_upload(
            user=world.postal_worker,
            code=dossier.code,
            upload=upload("a.pdf", pdf_bytes()),
            request_id="r-1",
        )
    assert again.pk == first.pk
    assert stored_names() == before
    assert dossier.events.filter(action=UPLOAD).count() == 1


def test_a_request_id_spent_on_another_step_is_a_conflict_not_a_crash(world, dossier):
    file = dossier_file_upload(
        user=world.postal_worker, code=dossier.code, upload=upload("a.pdf", pdf_bytes())
    )
    dossier_file_supersede(
        user=world.postal_worker, code=dossier.code, file_id=file.pk, reason="Mờ", request_id="k"
    )
    nothing_stored_by(
        lambda: dossier_file_upload(
            user=world.postal_worker,
            code=dossier.code,
            upload=upload("b.pdf", pdf_bytes()),
            request_id="k",
        ),
        Conflict,
    )


def test_when_the_database_refuses_the_bytes_do_not_stay(world, dossier):
    with mock.patch.object(DossierFile.objects, "create", side_effect=RuntimeError("disk")):
        nothing_stored_by(
            lambda: dossier_file_upload(
                user=world.postal_worker, code=dossier.code, upload=upload("a.pdf", pdf_bytes())
            ),
            RuntimeError,
        )


def test_uploads_are_allowed_in_every_status(world):
    # Data entry digitises paper dossiers long returned; a refused dossier keeps its papers too.
    for trait in ("returned", "refused", "withdrawn", "result_ready"):
        dossier = DossierFactory(ward=world.ward, **{trait: True})
        file = dossier_file_upload(
            user=world.postal_worker, code=dossier.code, upload=upload("a.pdf", pdf_bytes())
        )
        assert file.upload_event.to_status == dossier.status


# --- supersede ------------------------------------------------------------------------------


def test_a_scan_is_superseded_never_deleted(world, dossier):
    file = dossier_file_upload(
        user=world.postal_worker, code=dossier.code, upload=upload("mo.pdf", pdf_bytes())
    )
    marked = dossier_file_supersede(
        user=world.officer, code=dossier.code, file_id=file.pk, reason="Quét mờ"
    )
    assert marked.superseded_by == world.officer
    assert marked.superseded_reason == "Quét mờ"
    assert default_storage.exists(file.storage_name)
    event = dossier.events.get(action=SUPERSEDE)
    assert "Quét mờ" in event.note
    assert event.from_status == event.to_status == dossier.status
    # Again: nothing changes, no second event.
    dossier_file_supersede(user=world.chief, code=dossier.code, file_id=file.pk, reason="Lại")
    assert dossier.events.filter(action=SUPERSEDE).count() == 1
    file.refresh_from_db()
    assert file.superseded_by == world.officer


def test_superseding_needs_a_reason_and_the_ward(world, dossier):
    file = dossier_file_upload(
        user=world.postal_worker, code=dossier.code, upload=upload("a.pdf", pdf_bytes())
    )
    with pytest.raises(InvalidInput):
        dossier_file_supersede(user=world.officer, code=dossier.code, file_id=file.pk, reason=" ")
    with pytest.raises(NotAllowed):
        dossier_file_supersede(
            user=world.city_admin, code=dossier.code, file_id=file.pk, reason="x"
        )
    with pytest.raises(Dossier.DoesNotExist):
        dossier_file_supersede(
            user=world.other_officer, code=dossier.code, file_id=file.pk, reason="x"
        )
    other = DossierFactory(ward=world.ward)
    with pytest.raises(DossierFile.DoesNotExist):
        dossier_file_supersede(user=world.officer, code=other.code, file_id=file.pk, reason="x")
    file.refresh_from_db()
    assert file.is_current


def test_files_cannot_be_deleted_through_the_admin(world, dossier):
    from django.contrib import admin

    model_admin = admin.site._registry[DossierFile]
    assert not model_admin.has_delete_permission(None)


# --- reads ----------------------------------------------------------------------------------


def test_the_checklist_shows_which_components_are_digitised(world, dossier):
    first = dossier_file_upload(
        user=world.postal_worker,
        code=dossier.code,
        upload=upload("a.pdf", pdf_bytes()),
        component=COMPONENTS[0]["name"],
    )
    dossier_file_upload(
        user=world.postal_worker, code=dossier.code, upload=upload("b.png", png_bytes())
    )
    old = dossier_file_upload(
        user=world.postal_worker,
        code=dossier.code,
        upload=upload("c.pdf", pdf_bytes()),
        component=COMPONENTS[1]["name"],
    )
    dossier_file_supersede(user=world.officer, code=dossier.code, file_id=old.pk, reason="Sai")
    files = list(dossier_files(user=world.postal_worker, code=dossier.code))
    lines = component_checklist(dossier=dossier, files=files)
    assert [(line.name, line.digitised) for line in lines] == [
        (COMPONENTS[0]["name"], True),
        (COMPONENTS[1]["name"], False),  # its only scan was superseded
        ("", True),  # other papers
    ]
    assert lines[0].files == [first]


def test_file_reads_follow_the_dossier_scope(world, dossier):
    dossier_file_upload(
        user=world.postal_worker, code=dossier.code, upload=upload("a.pdf", pdf_bytes())
    )
    assert dossier_files(user=world.city_admin, code=dossier.code).count() == 1
    assert dossier_files(user=world.other_officer, code=dossier.code).count() == 0
    assert dossier_files(user=world.other_city_admin, code=dossier.code).count() == 0


def test_digitised_share_for_reports(world, dossier):
    bare = DossierFactory(ward=world.ward)
    superseded = DossierFactory(ward=world.ward, procedure=dossier.procedure)
    dossier_file_upload(
        user=world.postal_worker, code=dossier.code, upload=upload("a.pdf", pdf_bytes())
    )
    gone = dossier_file_upload(
        user=world.postal_worker, code=superseded.code, upload=upload("a.pdf", pdf_bytes())
    )
    dossier_file_supersede(
        user=world.postal_worker, code=superseded.code, file_id=gone.pk, reason="Sai"
    )
    flags = dict(
        with_digitised(Dossier.objects.filter(ward=world.ward)).values_list("code", "digitised")
    )
    assert flags == {dossier.code: True, bare.code: False, superseded.code: False}
