from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class NotFoundMiddleware:
    """An object a selector did not return is out of scope or absent: both are a 404.

    Views call selectors that take the user and let `DoesNotExist` propagate, so no view
    repeats the scope check or decides between 403 and 404 on its own.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ObjectDoesNotExist):
            raise Http404(str(exception)) from exception
        return None


class PageMethodsMiddleware:
    """Pages are read with GET and written with HTML forms (POST); any other method is a 405.

    Without this, a page view that does not restrict its methods would answer PUT or DELETE as
    if it were GET. The API, under /api/, declares the methods of each endpoint itself.
    """

    PAGE_METHODS = ("GET", "HEAD", "POST", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.PAGE_METHODS and not request.path.startswith("/api/"):
            return HttpResponseNotAllowed(self.PAGE_METHODS)
        return self.get_response(request)


# --- what no request may carry -----------------------------------------------------------------


def _nul_parameter(request) -> str | None:
    """The name of the first query parameter whose name or value holds a NUL character
    ("detail" when the name is nothing else); None when none does."""
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return name.replace("\x00", "") or "detail"
    return None


class RefuseNulMiddleware:
    """A NUL character in the path is a 404, in the query string a 400, before any view sees it.

    No legitimate link carries one, PostgreSQL cannot store or even compare a string holding one
    (psycopg raises, which would be a 500), and every view would otherwise have to guard its own
    lookups. A path with one names nothing that exists (the usual 404 page, or the API's JSON);
    a query parameter with one is a 400 naming it under /api/, the 400 page elsewhere. Form and
    JSON bodies are left to the forms and serializers, which refuse a control character in the
    field itself with a message the clerk can act on (onestop.text).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in request.path_info:
            raise Http404
        name = _nul_parameter(request)
        if name is None:
            return self.get_response(request)
        message = _("Đường dẫn hoặc tham số có ký tự không hợp lệ (NUL).")
        if request.path.startswith("/api/"):
            return JsonResponse({name: [message]}, status=400)
        return render(request, "400.html", {"message": message}, status=400)


# --- personal data is not kept by browsers or proxies ------------------------------------------

# Pages that show personal data to someone without an account: the citizens' status page.
PRIVATE_PREFIXES = ("/api/", "/tra-cuu/")
NO_STORE = "no-store, private"


class NoStoreMiddleware:
    """Every answer to a signed-in user, every API answer and the citizens' status pages say
    `Cache-Control: no-store, private`: a counter's PC is shared, and neither its browser cache
    nor a proxy on the way may keep a dossier, a slip, an export or a list of names.

    A view that set its own Cache-Control keeps it. Static files never get here (WhiteNoise
    answers them above this middleware), so they stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith(
            PRIVATE_PREFIXES
        ):
            response["Cache-Control"] = NO_STORE
        return response
