"""One error shape for the whole API: 400 with field errors, 403, 404, 409 — never a 500."""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, ParseError, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from onestop.errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, ObjectDoesNotExist):
        # Out of the caller's scope or absent: the selector did not return it.
        exc = Http404()
    if isinstance(exc, DomainError):
        if exc.status_code == status.HTTP_400_BAD_REQUEST:
            key = exc.field or "non_field_errors"
            return Response({key: [exc.message]}, status=exc.status_code)
        return Response({"detail": exc.message}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data = {
                (field if field != "__all__" else "non_field_errors"): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            data = {"non_field_errors": exc.messages}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


def not_found(request, exception):
    """The project's 404: under /api/ the API's JSON shape, even for a path no route matches
    (`/api/v1/assignments/0.5/`), so a client always reads `{"detail": …}`; elsewhere the
    Vietnamese page (templates/404.html)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """400 (a request Django refused before any view: too many fields, a bad host…)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(ParseError.default_detail)}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(PermissionDenied.default_detail)}, status=403)
    return defaults.permission_denied(request, exception)


def server_error(request):
    """500: the Vietnamese page (rendered without the request's context, which may be what
    failed), or under /api/ the JSON shape."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(APIException.default_detail)}, status=500)
    return defaults.server_error(request)


def document_unsupported_media_type(result, generator, request, public):
    """drf-spectacular hook: every operation that takes a body may answer 415 to a body of a
    type it does not parse (DRF's `{"detail": …}`), so the schema says so."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation["responses"].setdefault(
                    "415",
                    {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"detail": {"type": "string"}},
                                }
                            }
                        },
                        "description": "Kiểu nội dung không được hỗ trợ.",
                    },
                )
    return result
