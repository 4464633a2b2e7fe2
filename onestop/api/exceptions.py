"""One error shape for the whole API: 400 with field errors, 403, 404, 409 — never a 500."""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import status
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
