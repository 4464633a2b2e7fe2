"""Login, the home page of each role, and the lockout page."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.module_loading import import_string

from onestop.forms import LoginForm


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes lockout: a clear page with HTTP 429, never a bare error."""
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


@login_required
def home(request):
    """Each role's home page, as the app that owns it names it in settings.HOME_VIEWS."""
    view_path = settings.HOME_VIEWS.get(request.user.role) or settings.HOME_VIEWS[""]
    return import_string(view_path)(request)
