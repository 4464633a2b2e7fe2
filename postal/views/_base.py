"""What every postal page shares: who may open it, and how a refusal shows in a form."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from onestop.errors import DomainError
from onestop.models import Role
from wards.scope import working_ward_id


def ward_staff_required(view):
    """Signed-in staff of a ward; city admins read the city's figures in reports instead."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if working_ward_id(request.user) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def chief_required(view):
    """The chief of a ward: the back office is theirs."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if working_ward_id(request.user) is None or request.user.role != Role.CHIEF:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def show_refusal(form, error: DomainError) -> None:
    """A service's refusal, shown beside the field it names (or above the form)."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def back(request, fallback: str, *args, **kwargs):
    """Redirect to `next` when it is a page of this site, otherwise to `fallback`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback, *args, **kwargs)
