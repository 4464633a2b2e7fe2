from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404


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
