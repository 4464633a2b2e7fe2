"""The city's postal tariff: every version, and for the city admin a form for a new one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onestop.errors import DomainError
from postal.deliveries.forms import TariffForm
from postal.deliveries.selectors import tariffs_for_user
from postal.deliveries.services import TARIFF_FIELDS, tariff_for, tariff_reference, tariff_set
from postal.deliveries.views._base import _form_error, _today
from wards.scope import may_manage_city, visible_cities


@login_required
@require_http_methods(["GET", "POST"])
def tariff_view(request):
    """The city's postal tariff: every version, and for the city admin a form for a new one."""
    city = visible_cities(request.user).first()
    may_edit = city is not None and may_manage_city(request.user, city)
    form = None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = TariffForm(request.POST)
        if form.is_valid():
            try:
                tariff_set(user=request.user, city=city, **form.cleaned_data)
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(
                    request,
                    _("Đã lưu bảng cước áp dụng từ %(day)s.")
                    % {"day": form.cleaned_data["valid_from"].strftime("%d/%m/%Y")},
                )
                return redirect("deliveries:tariff")
    current = tariff_for(city=city, on=_today()) if city else None
    if may_edit and form is None:
        initial = {name: getattr(current, name) for name in TARIFF_FIELDS}
        initial["valid_from"] = _today()
        form = TariffForm(initial=initial)
    context = {
        "city": city,
        "current": current,
        "versions": list(tariffs_for_user(user=request.user)),
        "reference": tariff_reference(),
        "form": form,
    }
    return render(
        request,
        "postal/deliveries/tariff.html",
        context,
        status=400 if form and form.errors else 200,
    )
