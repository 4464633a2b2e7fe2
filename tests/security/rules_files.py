"""Digitised components: the page, the scoped download and the API (issue 5)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from intake.file_services import dossier_file_upload
from tests.security.matrix import LOGIN, WARD_STAFF, Rule


def _with_a_scan(world):
    from tests.intake.test_files import pdf_bytes

    world.dossier_file = dossier_file_upload(
        user=world.postal_worker,
        code=world.dossier.code,
        upload=SimpleUploadedFile("to-khai.pdf", pdf_bytes(), content_type="application/pdf"),
    )


EXTENSIONS = [_with_a_scan]


def _file(world):
    return {"code": world.dossier.code, "file_id": world.dossier_file.pk}


# Readers of the dossier read its scans: the ward's staff and its city's admin.
READERS = {**dict.fromkeys(WARD_STAFF, 200), "city_admin": 200}
SUPERSEDE = {"reason": "Quét mờ", "request_id": "0b6a4f6e-5d4c-4b7a-9c1d-2e3f4a5b6c7d"}

RULES = [
    Rule(
        "intake:dossier-files",
        {"anonymous": LOGIN, **READERS},
        kwargs=lambda w: {"code": w.dossier.code},
    ),
    Rule("intake:dossier-file", {"anonymous": LOGIN, **READERS}, kwargs=_file),
    Rule(
        "intake:dossier-file-supersede",
        {"anonymous": LOGIN, **dict.fromkeys(WARD_STAFF, 302), "city_admin": 403},
        kwargs=_file,
        method="post",
        data=lambda w: SUPERSEDE,
    ),
    Rule(
        "dossier-file-list",
        {"anonymous": 403, **READERS},
        kwargs=lambda w: {"code": w.dossier.code},
    ),
    Rule("dossier-file-detail", {"anonymous": 403, **READERS}, kwargs=_file),
    Rule(
        "dossier-file-supersede",
        {"anonymous": 403, **dict.fromkeys(WARD_STAFF, 200), "city_admin": 403},
        kwargs=_file,
        method="post",
        data=lambda w: SUPERSEDE,
    ),
]
