from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """An account with a one-time password (new, or reset by the chief) goes to the password
    change page first; only that page, signing out and the language switch stay open.

    The API answers such an account 403 with the reason instead (onestop.api.authentication).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            open_paths = (
                reverse("postal:password-change"),
                reverse("postal:password-change-done"),
                reverse("logout"),
                reverse("set_language"),
                "/api/",
                "/static/",
            )
            if not request.path.startswith(open_paths):
                return redirect("postal:password-change")
        return self.get_response(request)
