"""Independent work (/giao-thu-tuc/): the chief grants and revokes procedures in a matrix."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onestop.errors import DomainError
from postal.forms import GrantForm, RevokeForm
from postal.selectors import authorisation_matrix, authorisations_for_user
from postal.services import authorisation_grant, authorisation_revoke
from postal.views._base import chief_required

HISTORY_LENGTH = 30


@chief_required
def authorisations(request):
    """Workers × postal-eligible procedures, and the latest grants and revocations."""
    matrix = authorisation_matrix(user=request.user)
    history = (
        authorisations_for_user(user=request.user)
        .filter(ward_id=request.user.ward_id)
        .order_by("-granted_at", "-id")[:HISTORY_LENGTH]
    )
    context = {
        "matrix": matrix,
        "rows": [
            (procedure, [(w, matrix.grant(w.pk, procedure.pk)) for w in matrix.workers])
            for procedure in matrix.procedures
        ],
        "history": history,
        "grant_form": GrantForm(user=request.user),
    }
    return render(request, "postal/authorisations.html", context)


def _cell(request, worker, procedure, grant, error=""):
    context = {"worker": worker, "procedure": procedure, "grant": grant, "error": error}
    return render(request, "postal/_grant_cell.html", context)


@chief_required
@require_POST
def authorisation_grant_view(request):
    form = GrantForm(request.POST, user=request.user)
    if not form.is_valid():
        message = " ".join(e for errors in form.errors.values() for e in errors)
        messages.error(request, message)
        return redirect("postal:authorisations")
    worker, procedure = form.cleaned_data["worker"], form.cleaned_data["procedure"]
    try:
        grant = authorisation_grant(
            user=request.user, worker=worker, procedure=procedure, note=form.cleaned_data["note"]
        )
    except DomainError as error:
        if request.htmx:
            return _cell(request, worker, procedure, None, error.message)
        messages.error(request, error.message)
        return redirect("postal:authorisations")
    if request.htmx:
        return _cell(request, worker, procedure, grant)
    messages.success(
        request,
        _("Đã giao %(name)s tiếp nhận “%(procedure)s”.")
        % {"name": worker.get_full_name(), "procedure": procedure.name},
    )
    return redirect("postal:authorisations")


@chief_required
@require_POST
def authorisation_revoke_view(request, pk: int):
    form = RevokeForm(request.POST)
    form.is_valid()
    grant = authorisations_for_user(user=request.user).get(pk=pk, ward_id=request.user.ward_id)
    try:
        grant = authorisation_revoke(
            user=request.user, authorisation_id=grant.pk, note=form.cleaned_data.get("note", "")
        )
    except DomainError as error:
        if request.htmx:
            return _cell(request, grant.worker, grant.procedure, None, error.message)
        messages.error(request, error.message)
        return redirect("postal:authorisations")
    if request.htmx:
        return _cell(request, grant.worker, grant.procedure, None)
    messages.success(
        request,
        _("Đã thu hồi quyền tiếp nhận “%(procedure)s” của %(name)s.")
        % {"name": grant.worker.get_full_name(), "procedure": grant.procedure.name},
    )
    return redirect("postal:authorisations")
