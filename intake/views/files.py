"""The digitisation page of a dossier: its components checklist, its scanned files, the upload
form, and the only way to read a stored file back (scope checked on every download)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from intake.file_services import (
    dossier_file_supersede,
    dossier_file_upload,
    max_upload_bytes,
    may_digitise,
)
from intake.forms.files import DossierFileSupersedeForm, DossierFileUploadForm
from intake.models import Dossier, DossierFile
from intake.privacy import personal_data_access_log
from intake.selectors import (
    component_checklist,
    dossier_file_content,
    dossier_file_for_user,
    dossier_files,
    dossier_for_user,
)
from onestop.errors import DomainError


def _render(request, dossier: Dossier, *, form=None, supersede=None, status=200):
    files = list(dossier_files(user=request.user, code=dossier.code))
    writer = may_digitise(request.user, dossier)
    for file in files:
        if writer and file.is_current:
            file.supersede_form = (
                supersede[1]
                if supersede and supersede[0] == file.pk
                else DossierFileSupersedeForm(auto_id=f"id_supersede_{file.pk}_%s")
            )
    checklist = component_checklist(dossier=dossier, files=files)
    listed = [line for line in checklist if line.name]
    context = {
        "dossier": dossier,
        "files": files,
        "checklist": checklist,
        "digitised_count": sum(1 for line in listed if line.digitised),
        "component_count": len(listed),
        "may_upload": writer,
        "upload_limit": max_upload_bytes(),
        "form": form or (DossierFileUploadForm(dossier=dossier) if writer else None),
    }
    return render(request, "intake/files/dossier_files.html", context, status=status)


@login_required
def dossier_files_view(request, code: str):
    """GET: the checklist and the files. POST: upload one scanned file."""
    dossier = dossier_for_user(user=request.user, code=code)
    if request.method != "POST":
        return _render(request, dossier)
    form = DossierFileUploadForm(request.POST, request.FILES, dossier=dossier)
    if not form.is_valid():
        return _render(request, dossier, form=form, status=400)
    data = form.cleaned_data
    try:
        file = dossier_file_upload(
            user=request.user,
            code=code,
            upload=data["file"],
            component=data["component"],
            request_id=str(data["request_id"]),
        )
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _render(request, dossier, form=form, status=error.status_code)
    messages.success(
        request,
        _("Đã số hóa “%(name)s” (%(kind)s) vào hồ sơ %(code)s.")
        % {"name": file.original_name, "kind": file.get_content_type_display(), "code": code},
    )
    return redirect("intake:dossier-files", code=code)


@require_POST
@login_required
def dossier_file_supersede_view(request, code: str, file_id: int):
    """Mark one scan superseded (the file stays, listed as replaced)."""
    dossier = dossier_for_user(user=request.user, code=code)
    file = dossier_file_for_user(user=request.user, code=code, file_id=file_id)
    form = DossierFileSupersedeForm(request.POST, auto_id=f"id_supersede_{file.pk}_%s")
    if form.is_valid():
        try:
            dossier_file_supersede(
                user=request.user,
                code=code,
                file_id=file.pk,
                reason=form.cleaned_data["reason"],
                request_id=str(form.cleaned_data["request_id"]),
            )
        except DomainError as error:
            form.add_error("reason" if error.field == "reason" else None, error.message)
            return _render(request, dossier, supersede=(file.pk, form), status=error.status_code)
        messages.success(
            request, _("Đã đánh dấu “%(name)s” bị thay thế.") % {"name": file.original_name}
        )
        return redirect("intake:dossier-files", code=code)
    return _render(request, dossier, supersede=(file.pk, form), status=400)


def download_name(file: DossierFile) -> str:
    """The original name, with the extension of the type the content really has."""
    stem = file.original_name.rsplit(".", 1)[0] if "." in file.original_name else file.original_name
    return f"{stem or file.dossier.code}.{file.extension}"


def file_response(file: DossierFile) -> FileResponse:
    """The stored bytes as a download: the sniffed type, never guessed again by the browser."""
    response = FileResponse(
        dossier_file_content(file=file),
        as_attachment=True,
        filename=download_name(file),
        content_type=file.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Scans carry personal data: no shared cache may keep them.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def dossier_file_download_view(request, code: str, file_id: int):
    file = dossier_file_for_user(user=request.user, code=code, file_id=file_id)
    personal_data_access_log(
        user=request.user, dossier=file.dossier, params={"view": "file", "file": file.pk}
    )
    return file_response(file)
