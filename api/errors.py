"""Errors as JSON: a service's ValidationError is 400 with a message per field."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

# Codes of a service's ValidationError that mean "the state moved on", answered 409.
CONFLICT_CODES = {"already_reviewed", "already_decided", "already_open", "already_replied"}


def validation_messages(error: DjangoValidationError) -> dict[str, list[str]]:
    """Return a service's or a form's errors as {field: [messages]}, the rest under
    non_field_errors (DRF's name for them)."""
    if hasattr(error, "error_dict"):
        messages = error.message_dict
    else:
        messages = {NON_FIELD_ERRORS: list(error.messages)}
    if NON_FIELD_ERRORS in messages:
        messages[api_settings.NON_FIELD_ERRORS_KEY] = messages.pop(NON_FIELD_ERRORS)
    return messages


def form_errors(form) -> dict[str, list[str]]:
    errors = {field: list(messages) for field, messages in form.errors.items()}
    if NON_FIELD_ERRORS in errors:
        errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
    return errors


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        codes = {error.code for error in exc.error_list} if hasattr(exc, "error_list") else set()
        code = status.HTTP_409_CONFLICT if codes & CONFLICT_CODES else status.HTTP_400_BAD_REQUEST
        return Response(validation_messages(exc), status=code)
    return drf_exception_handler(exc, context)
