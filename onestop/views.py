"""Login, the home page of each role, and the lockout page."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.module_loading import import_string

from onestop.forms import LoginForm
from onestop.models import Role
from onestop.selectors import staff_for_user
from wards.selectors import counters_for_user, wards_for_user


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes lockout: a clear page with HTTP 429, never a bare error."""
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


HOME_TEMPLATES = {
    Role.POSTAL_WORKER: "onestop/home_postal_worker.html",
    Role.OFFICER: "onestop/home_officer.html",
    Role.CHIEF: "onestop/home_chief.html",
    Role.CITY_ADMIN: "onestop/home_city_admin.html",
}


@login_required
def home(request):
    """Each role's home page; an app that owns a richer one names it in settings.HOME_VIEWS."""
    user = request.user
    if view_path := settings.HOME_VIEWS.get(user.role):
        return import_string(view_path)(request)
    context = {
        "wards": wards_for_user(user=user),
        "counters": counters_for_user(user=user).filter(active=True),
    }
    if user.role == Role.CHIEF:
        context["staff"] = staff_for_user(user=user)
    template = HOME_TEMPLATES.get(user.role, "onestop/home_superuser.html")
    return render(request, template, context)
