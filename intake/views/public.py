"""The citizens' status page (/tra-cuu/): no login, no personal data, rate-limited."""

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from intake import receipts
from intake.editions import edition_for

NOT_FOUND = _("Không tìm thấy hồ sơ với mã và mã tra cứu đã nhập.")
PAUSED = _(
    "Mã hồ sơ này đã bị nhập sai mã tra cứu quá nhiều lần hôm nay. Vui lòng thử lại sau (từ "
    "ngày mai), hoặc hỏi bộ phận một cửa."
)


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=40,
        error_messages={"required": _("Vui lòng nhập mã hồ sơ.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    pin = forms.CharField(
        label=_("Mã tra cứu"),
        max_length=12,
        help_text=_("Dãy 6 chữ số in trên giấy tiếp nhận hồ sơ."),
        error_messages={"required": _("Vui lòng nhập mã tra cứu.")},
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("In ở đầu giấy tiếp nhận hồ sơ, ví dụ %(example)s.") % {
            "example": receipts.example_code()
        }


def _rate_limited(request):
    return render(
        request,
        "intake/public/rate_limited.html",
        {"limit": settings.LOOKUP_RATE_LIMIT},
        status=429,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    """The lookup form; a matching code and PIN show the dossier's status."""
    if request.method == "GET":
        return render(request, "intake/public/lookup.html", {"form": LookupForm()})
    if not receipts.lookup_allowed(request):
        return _rate_limited(request)
    form = LookupForm(request.POST)
    dossier = None
    if form.is_valid():
        try:
            dossier = receipts.dossier_for_lookup(
                code=form.cleaned_data["code"], pin=form.cleaned_data["pin"]
            )
        except receipts.LookupPaused:
            form.add_error(None, PAUSED)
        else:
            if dossier is None:
                form.add_error(None, NOT_FOUND)
    return render(request, "intake/public/lookup.html", {"form": form, **_status(dossier)})


@never_cache
@require_GET
def status(request, token: str):
    """The status page the receipt's QR code opens; a forged or expired link is a 404."""
    if not receipts.lookup_allowed(request):
        return _rate_limited(request)
    dossier = receipts.dossier_for_status_token(token=token)
    if dossier is None:
        return render(request, "intake/public/not_found.html", status=404)
    return render(request, "intake/public/status.html", _status(dossier))


def _status(dossier) -> dict:
    """The status card's context: the dossier and the unit that received it, as its edition of
    the rules names it."""
    if dossier is None:
        return {"dossier": None}
    return {
        "dossier": dossier,
        "unit_name": edition_for(dossier.received_at).unit_name(dossier.ward),
        "evaluation_url": receipts.evaluation_url(dossier),
    }
