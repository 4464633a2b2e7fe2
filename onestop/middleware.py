from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponseNotAllowed


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
