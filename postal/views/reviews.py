"""The chief's review queue of out-of-list dossiers (/ngoai-danh-muc/)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onestop.errors import DomainError
from postal.forms import ReviewForm
from postal.selectors import out_of_list_dossiers, out_of_list_queue
from postal.services import out_of_list_review
from postal.views._base import chief_required, show_refusal

REVIEWED_SHOWN = 20


@chief_required
def out_of_list(request, forms=None):
    """Awaiting review (oldest first, each with its comment box), then the latest reviewed."""
    queue = list(out_of_list_queue(user=request.user).select_related("procedure"))
    forms = forms or {}
    for dossier in queue:
        dossier.review_form = forms.get(dossier.code) or ReviewForm(prefix=dossier.code)
    reviewed = (
        out_of_list_dossiers(user=request.user)
        .filter(out_of_list_review__isnull=False)
        .order_by("-out_of_list_review__reviewed_at")[:REVIEWED_SHOWN]
    )
    return render(request, "postal/out_of_list.html", {"queue": queue, "reviewed": reviewed})


@chief_required
@require_http_methods(["POST"])
def out_of_list_review_view(request, code: str):
    dossier = out_of_list_dossiers(user=request.user).get(code=code)
    form = ReviewForm(request.POST, prefix=dossier.code)
    if form.is_valid():
        try:
            out_of_list_review(
                user=request.user, code=dossier.code, comment=form.cleaned_data["comment"]
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã xem xét hồ sơ %(code)s.") % {"code": dossier.code})
            return redirect("postal:out-of-list")
    return out_of_list(request, forms={dossier.code: form})
