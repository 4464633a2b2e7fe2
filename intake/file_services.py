"""Digitisation: scanned components attached to a dossier, and marking a wrong scan superseded.

A file's type is read from its content, never from its name: a page of HTML called "scan.pdf"
is refused, and a PNG called "scan.pdf" is kept as the PNG it is. Nothing reaches storage until
every check has passed, and every upload writes its event in the same transaction as its row.
"""

import hashlib
import secrets
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake.models import Dossier, DossierEvent, DossierFile
from onestop import clock
from onestop.errors import InvalidInput, NotAllowed
from onestop.models import User
from onestop.scope import working_ward_id

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


def max_upload_bytes() -> int:
    return settings.UPLOAD_MAX_BYTES


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    size: int
    sha256: str


def _read_all(upload: File) -> tuple[bytes, bytes, int, str]:
    """The first 8 KiB, the last kilobyte, the size and the SHA-256 of `upload`, in one pass."""
    upload.seek(0)
    digest = hashlib.sha256()
    head = b""
    tail = b""
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        if len(head) < 8192:
            head += chunk[: 8192 - len(head)]
        tail = (tail + chunk)[-PDF_TAIL:]
        size += len(chunk)
    upload.seek(0)
    return head, tail, size, digest.hexdigest()


def sniff_upload(upload: File) -> Sniffed:
    """The upload's real type, size and digest; InvalidInput (field "file") when it is refused.

    Refused: an empty file, a file over settings.UPLOAD_MAX_BYTES, anything whose content is not
    PDF, JPEG or PNG, and a "PDF" that does not start with %PDF- or has no %%EOF at its end.
    """
    limit = max_upload_bytes()
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise InvalidInput(_too_large(declared, limit), field="file")
    head, tail, size, sha256 = _read_all(upload)
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
    if mime == DossierFile.Kind.PDF and not (head.startswith(b"%PDF-") and b"%%EOF" in tail):
        raise InvalidInput(
            _("Tệp PDF “%(name)s” bị hỏng hoặc chưa tải lên hết (thiếu phần đầu hoặc cuối tệp).")
            % {"name": _display_name(upload)},
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
    if request_id:
        earlier = (
            DossierFile.objects.filter(dossier=dossier, upload_event__request_id=request_id)
            .select_related("dossier")
            .first()
        )
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
