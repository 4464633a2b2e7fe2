"""Digitisation: scanned components attached to a dossier, and marking a wrong scan superseded.

A file's type is read from its content, never from its name: a page of HTML called "scan.pdf"
is refused, and a PNG called "scan.pdf" is kept as the PNG it is. Nothing reaches storage until
every check has passed, and every upload writes its event in the same transaction as its row.

A scan is paper turned into pixels, so what a scanner never writes is refused rather than kept
unopened: a file that is two things at once (an archive appended to an image or a PDF, HTML
inside one) and a PDF with active content (JavaScript, launch actions, attached files, rich
media, XFA forms), also when hidden in compressed object streams. Nothing is ever decompressed
beyond a fixed budget, so a compression bomb costs nothing; the bytes kept are served only as
downloads (attachment, their sniffed type, nosniff), never rendered by onestop.
"""

import hashlib
import re
import secrets
import zlib
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake import figures
from intake.models import Dossier, DossierEvent, DossierFile
from onestop import clock
from onestop.errors import Conflict, InvalidInput, NotAllowed
from onestop.models import User
from wards.scope import working_ward_id

# Event actions of digitisation. They keep the dossier's status, so they are not lifecycle
# steps and stay out of intake.lifecycle's table.
UPLOAD = "upload"
SUPERSEDE = "supersede_file"
FILE_ACTIONS = {
    UPLOAD: gettext_lazy("Số hóa thành phần hồ sơ"),
    SUPERSEDE: gettext_lazy("Đánh dấu tệp số hóa bị thay thế"),
}

ALLOWED_TYPES = frozenset(DossierFile.Kind.values)
# A PDF ends with "%%EOF", possibly followed by a line break or a little padding from the
# scanner; readers look for it within the last kilobyte, and so do we.
PDF_TAIL = 1024
# A ZIP archive is read from its end-of-central-directory record, within its last 64 KiB: one
# there means an archive rides on the file (a "polyglot").
ZIP_TAIL = 65_536 + 22
ZIP_END = b"PK\x05\x06"
ZIP_DIRECTORY = b"PK\x01\x02"
# HTML that a browser would run, in the first 8 KiB of an image or a PDF.
HTML_INSIDE = re.compile(
    rb"<\s*(script|html|body|iframe|object|embed|svg)\b|<!doctype\s+html", re.IGNORECASE
)
# PDF names of active content. A name may spell a letter as #xx ("/J#61vaScript").
ACTIVE_PDF_NAMES = frozenset(
    {b"javascript", b"js", b"launch", b"embeddedfile", b"embeddedfiles", b"richmedia", b"xfa"}
)
PDF_NAME = re.compile(rb"/([^\x00-\x20/<>\[\]()%{}]{1,64})")
PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm\b")
STREAM_DATA = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
# Decompressed bytes read from a PDF's object streams, in all: a bomb stops here.
INFLATE_BUDGET = 8 * 1024 * 1024


def max_upload_bytes() -> int:
    return settings.UPLOAD_MAX_BYTES


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    size: int
    sha256: str


@dataclass
class _Read:
    head: bytes
    tail: bytes
    size: int
    sha256: str
    active: bytes  # the first active-content PDF name met, or b""
    object_streams: bool


def _zip_inside(tail: bytes) -> bool:
    """An archive's end record with a central directory before it: four bytes alike by chance
    are not enough, a real archive has both."""
    end = tail.rfind(ZIP_END)
    if end < 0 or len(tail) - end < 22:
        return False
    comment = int.from_bytes(tail[end + 20 : end + 22], "little")
    return end + 22 + comment <= len(tail) and ZIP_DIRECTORY in tail[:end]


def _pdf_names(data: bytes):
    for match in PDF_NAME.finditer(data):
        name = PDF_HEX.sub(lambda m: bytes([int(m[1], 16)]), match[1])
        yield name.lower()


def _active_name(data: bytes) -> bytes:
    return next((name for name in _pdf_names(data) if name in ACTIVE_PDF_NAMES), b"")


def _read_all(upload: File) -> _Read:
    """Head (8 KiB), tail (64 KiB), size, SHA-256 and, for a PDF, its active-content names: one
    pass over the chunks, never the whole file in memory."""
    upload.seek(0)
    digest = hashlib.sha256()
    head = tail = carry = active = b""
    size = 0
    object_streams = False
    for chunk in upload.chunks():
        digest.update(chunk)
        if len(head) < 8192:
            head += chunk[: 8192 - len(head)]
        tail = (tail + chunk)[-ZIP_TAIL:]
        size += len(chunk)
        if head.startswith(b"%PDF-"):
            # The carry keeps a name cut in two by the chunk boundary.
            window = carry + chunk
            active = active or _active_name(window)
            object_streams = object_streams or bool(OBJECT_STREAM.search(window))
            carry = window[-80:]
    upload.seek(0)
    return _Read(head, tail, size, digest.hexdigest(), active, object_streams)


def _active_in_object_streams(upload: File) -> bytes:
    """An active-content name inside the PDF's compressed object streams, or b"".

    Object streams hold whole objects compressed, so a plain scan cannot see their names. At
    most INFLATE_BUDGET bytes are inflated in all; what lies beyond is not read.
    """
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    budget = INFLATE_BUDGET
    for marker in OBJECT_STREAM.finditer(data):
        found = STREAM_DATA.search(data, marker.end())
        if found is None:
            continue
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(found[1], budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        if name := _active_name(inflated):
            return name
        if budget <= 0:
            break
    return b""


def sniff_upload(upload: File) -> Sniffed:
    """The upload's real type, size and digest; InvalidInput (field "file") when it is refused.

    Refused: an empty file, a file over settings.UPLOAD_MAX_BYTES, anything whose content is not
    PDF, JPEG or PNG, and a "PDF" that does not start with %PDF- or has no %%EOF at its end.
    """
    limit = max_upload_bytes()
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise InvalidInput(_too_large(declared, limit), field="file")
    read = _read_all(upload)
    head, tail, size, sha256 = read.head, read.tail, read.size, read.sha256
    if size == 0:
        raise InvalidInput(_("Tệp rỗng (0 byte): hãy quét lại giấy tờ."), field="file")
    if size > limit:
        raise InvalidInput(_too_large(size, limit), field="file")
    kind = filetype.guess(head)
    mime = kind.mime if kind is not None else ""
    if mime not in ALLOWED_TYPES:
        raise InvalidInput(
            _(
                "Tệp “%(name)s” không phải PDF, JPEG hoặc PNG (xét theo nội dung tệp, không theo "
                "tên). Hãy quét lại thành PDF hoặc ảnh."
            )
            % {"name": _display_name(upload)},
            field="file",
        )
    if mime == DossierFile.Kind.PDF and not (
        head.startswith(b"%PDF-") and b"%%EOF" in tail[-PDF_TAIL:]
    ):
        raise InvalidInput(
            _("Tệp PDF “%(name)s” bị hỏng hoặc chưa tải lên hết (thiếu phần đầu hoặc cuối tệp).")
            % {"name": _display_name(upload)},
            field="file",
        )
    if _zip_inside(tail) or HTML_INSIDE.search(head):
        raise InvalidInput(
            _(
                "Tệp “%(name)s” chứa thêm một tệp nén hoặc mã HTML bên trong (tệp ghép nhiều "
                "loại): bản quét không có những thứ này. Hãy quét lại giấy tờ."
            )
            % {"name": _display_name(upload)},
            field="file",
        )
    if mime == DossierFile.Kind.PDF:
        active = read.active or (read.object_streams and _active_in_object_streams(upload))
        if active:
            raise InvalidInput(
                _(
                    "Tệp PDF “%(name)s” có nội dung tự chạy (/%(what)s: JavaScript, lệnh mở "
                    "chương trình, tệp đính kèm…), điều bản quét không bao giờ có. Hãy quét lại "
                    "giấy tờ thành PDF."
                )
                % {"name": _display_name(upload), "what": active.decode("ascii", "replace")},
                field="file",
            )
    return Sniffed(content_type=mime, size=size, sha256=sha256)


def _too_large(size: int, limit: int) -> str:
    return _("Tệp %(size)s, vượt giới hạn %(limit)s cho mỗi tệp số hóa.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(limit),
    }


def _display_name(upload: File) -> str:
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name.strip()[:255] or _("tệp không tên")


def _storage_name(extension: str) -> str:
    # A random name: knowing one file's name says nothing about any other, and nothing in it
    # (ward, dossier, citizen) is personal. The date only spreads files over folders.
    now = clock.now()
    return f"dossier-files/{now:%Y/%m}/{secrets.token_urlsafe(24)}.{extension}"


def _component_name(dossier: Dossier, component: str) -> str:
    component = component.strip()
    if not component:
        return ""
    names = [str(item.get("name", "")) for item in dossier.components or []]
    if component not in names:
        raise InvalidInput(
            _("“%(name)s” không phải thành phần của hồ sơ %(code)s.")
            % {"name": component, "code": dossier.code},
            field="component",
        )
    return component


def may_digitise(user: User, dossier: Dossier) -> bool:
    """True when `user` may upload to (and supersede scans of) `dossier`: its ward's staff."""
    return working_ward_id(user) == dossier.ward_id


def _check_may_write(user: User, dossier: Dossier) -> None:
    if not may_digitise(user, dossier):
        raise NotAllowed(
            _("Chỉ nhân viên và công chức của phường tiếp nhận hồ sơ mới số hóa hồ sơ này.")
        )


def _readable(user: User, code: str) -> Dossier:
    """The dossier if `user` may read it (else Dossier.DoesNotExist: a 404)."""
    from intake.selectors import dossiers_for_user

    return dossiers_for_user(user=user).get(code=code)


def _locked(user: User, code: str) -> Dossier:
    from intake.selectors import dossiers_in_working_ward

    return dossiers_in_working_ward(user=user).select_for_update().get(code=code)


def _uploaded_with(dossier: Dossier, request_id: str) -> DossierFile | None:
    if not request_id:
        return None
    return (
        DossierFile.objects.filter(dossier=dossier, upload_event__request_id=request_id)
        .select_related("dossier")
        .first()
    )


def dossier_file_upload(
    *,
    user: User,
    code: str,
    upload: File,
    component: str = "",
    request_id: str = "",
) -> DossierFile:
    """Attach one scanned file to the dossier `code`, with an "upload" event; status unchanged.

    Raises Dossier.DoesNotExist outside the user's scope (404), NotAllowed for readers who do not
    work in the dossier's ward (403), InvalidInput for a refused file or component (400).
    """
    dossier = _readable(user, code)
    _check_may_write(user, dossier)
    earlier = _uploaded_with(dossier, request_id)
    if earlier is not None:
        return earlier  # the same form submitted twice
    component = _component_name(dossier, component)
    sniffed = sniff_upload(upload)
    original_name = _display_name(upload)
    now = clock.now()
    extension = DossierFile(content_type=sniffed.content_type).extension
    stored = ""
    try:
        with transaction.atomic():
            dossier = _locked(user, code)
            # Asked again under the lock: the same request sent twice at once waits here for
            # the first, then finds its file instead of writing a second one.
            earlier = _uploaded_with(dossier, request_id)
            if earlier is not None:
                return earlier
            if not dossier.files.filter(superseded_at__isnull=True).exists():
                figures.record_digitised(dossier, +1)  # its first current scan
            stored = default_storage.save(_storage_name(extension), upload)
            event = DossierEvent.objects.create(
                dossier=dossier,
                at=now,
                actor=user,
                actor_role=user.role,
                action=UPLOAD,
                from_status=dossier.status,
                to_status=dossier.status,
                note=_("%(component)s: %(name)s (%(kind)s, %(size)s)")
                % {
                    "component": component or _("Giấy tờ khác"),
                    "name": original_name,
                    "kind": DossierFile.Kind(sniffed.content_type).label,
                    "size": filesizeformat(sniffed.size),
                },
                request_id=request_id,
            )
            return DossierFile.objects.create(
                dossier=dossier,
                component=component,
                original_name=original_name,
                content_type=sniffed.content_type,
                size=sniffed.size,
                sha256=sniffed.sha256,
                storage_name=stored,
                uploaded_at=now,
                uploaded_by=user,
                upload_event=event,
            )
    except IntegrityError:
        # The unique request id stopped a twin the lock did not see (another path to the row):
        # answer as the first did.
        if stored:
            default_storage.delete(stored)
        earlier = _uploaded_with(dossier, request_id)
        if earlier is None:
            raise Conflict(_("Mã yêu cầu này đã được dùng cho một thao tác khác.")) from None
        return earlier
    except BaseException:
        # The row never existed, so the bytes are nobody's: remove them rather than leave an
        # orphan that no view can reach.
        if stored:
            default_storage.delete(stored)
        raise


def dossier_file_supersede(
    *, user: User, code: str, file_id: int, reason: str, request_id: str = ""
) -> DossierFile:
    """Mark a scanned file as superseded (a wrong or unreadable scan); it stays in history.

    Marking an already superseded file again changes nothing (a double click).
    """
    reason = reason.strip()
    dossier = _readable(user, code)
    _check_may_write(user, dossier)
    if not reason:
        raise InvalidInput(
            _("Ghi lý do thay thế tệp (ví dụ: quét mờ, nhầm trang)."), field="reason"
        )
    if len(reason) > 300:
        raise InvalidInput(_("Lý do tối đa 300 ký tự."), field="reason")
    now = clock.now()
    with transaction.atomic():
        dossier = _locked(user, code)
        file = DossierFile.objects.select_for_update().get(dossier=dossier, pk=file_id)
        if file.superseded_at is not None:
            return file
        if request_id and dossier.events.filter(request_id=request_id).exists():
            return file  # this request was already applied (to this file or another)
        file.superseded_at = now
        file.superseded_by = user
        file.superseded_reason = reason
        file.save(update_fields=["superseded_at", "superseded_by", "superseded_reason"])
        if not dossier.files.filter(superseded_at__isnull=True).exists():
            figures.record_digitised(dossier, -1)  # its last current scan is gone
        DossierEvent.objects.create(
            dossier=dossier,
            at=now,
            actor=user,
            actor_role=user.role,
            action=SUPERSEDE,
            from_status=dossier.status,
            to_status=dossier.status,
            note=_("%(name)s: %(reason)s") % {"name": file.original_name, "reason": reason},
            request_id=request_id,
        )
    return file
