"""A null character in a request is refused with 400 before any view sees it.

No field of the portal accepts one (Django's form fields refuse it), but many places read a
request without a form: admin list filters and searches, the admin's autocomplete, lookups by a
URL part such as the calendar feed's token, django-axes recording a sign-in's user agent, a
session cookie. PostgreSQL cannot store or compare a text with a null character and psycopg
raises DataError, a 500. So the character is refused once, here, wherever it comes: the path,
the query string, a header (cookies included), a form field's name or value. (Files are bytes
and may hold any; Django's upload parsing cleans their names.)
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

NUL = "\x00"


def _has_null(items) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in items)


def has_null_character_outside_body(request) -> bool:
    """Return whether the path, the query string or a header (cookies too) holds one."""
    if NUL in request.path or _has_null(request.GET.lists()):
        return True
    return any(NUL in value for key, value in request.META.items() if key.startswith("HTTP_"))


def has_null_character_in_body(request) -> bool:
    """Return whether a form field's name or value holds one."""
    return request.method == "POST" and _has_null(request.POST.lists())


def refused():
    return HttpResponseBadRequest(
        _("The request holds a null character, which no page accepts."),
        content_type="text/plain; charset=utf-8",
    )


class NullCharacterMiddleware:
    """Answer 400 to a request with a null character.

    The path, query and headers are read first, before the session cookie is looked up; the
    body in process_view, after RequestBodyLimitMiddleware (placed before this one) has
    refused an over-long body by the limit for whoever signed in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_null_character_outside_body(request):
            return refused()
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if has_null_character_in_body(request):
            return refused()
        return None
