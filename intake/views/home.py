"""The officer's home (settings.HOME_VIEWS): the ward's work list beside its counters."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from intake.worklist import officer_worklist
from wards import views as ward_views
from wards.scope import working_ward_id
from wards.selectors import counters_for_user


@login_required
def officer_home(request):
    """Dossiers to process, due soon and awaiting a supplement, each linking to its list."""
    user = request.user
    if working_ward_id(user) is None or user.ward is None:
        return ward_views.home(request)  # an officer account without a ward
    context = {
        "work": officer_worklist(user=user),
        "dossiers_url": reverse("intake:dossier-list"),
        "counters": counters_for_user(user=user).filter(active=True).order_by("number"),
    }
    return render(request, "onestop/home_officer.html", context)
