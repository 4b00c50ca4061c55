"""Request bodies are refused early: past the limit, nothing more is read or written to disk.

Django reads a multipart body through its upload handlers. `BodyLimitUploadHandler`, first in
FILE_UPLOAD_HANDLERS, refuses a body whose declared length is over the limit before a byte of
it is read (`REQUEST_BODY_MAX_BYTES`, and `REQUEST_BODY_MAX_BYTES_ANONYMOUS` before sign-in:
a visitor who has not signed in sends a form of a few fields, never a file), and stops passing
an evidence file on to the handlers that store it once it passes `EVIDENCE_MAX_BYTES`, so the
report's service refuses it by its size with a message, without it ever being stored whole.

`RequestBodyLimitMiddleware`, placed before the CSRF middleware, parses the body of every POST
first, so the limit answers 413 before the CSRF check (or anything else) reads the body.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# The form field (portal and API) whose files are progress report evidence.
EVIDENCE_FIELD = "evidence"


class RequestBodyTooLarge(RequestDataTooBig):
    """The request body is over the limit for this request; none of the rest is read."""


def request_body_limit(request) -> int:
    """Return the most bytes of body `request` may send: less before sign-in."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return settings.REQUEST_BODY_MAX_BYTES
    return settings.REQUEST_BODY_MAX_BYTES_ANONYMOUS


class BodyLimitUploadHandler(FileUploadHandler):
    """Refuse an over-long multipart body unread; cut an over-large evidence file short."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit = request_body_limit(self.request)
        self.received = 0
        # Django never reads past the declared length, so checking it refuses the body unread.
        if content_length > self.limit:
            raise RequestBodyTooLarge(f"The body declares {content_length} bytes.")
        return None

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.file_limit = settings.EVIDENCE_MAX_BYTES if field_name == EVIDENCE_FIELD else None

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise RequestBodyTooLarge(f"The body passed {self.limit} bytes.")
        if self.file_limit is not None and start + len(raw_data) > self.file_limit:
            # Nothing more of this file is stored; file_complete reports its whole size.
            return None
        return raw_data

    def file_complete(self, file_size):
        if self.file_limit is None or file_size <= self.file_limit:
            return None
        # An empty stand-in with the file's name and true size: the report service refuses it
        # with the size and the limit, as for any file too large.
        return UploadedFile(
            file=io.BytesIO(),
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
        )


class RequestBodyLimitMiddleware:
    """Answer 413 to a POST whose body is over the limit, before the CSRF check reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        try:
            # Parsed here, through the upload handlers; the CSRF check and the view reuse it.
            request.POST  # noqa: B018
        except RequestDataTooBig:
            return HttpResponse(
                _(
                    "The request is too large. Send smaller or fewer files; a single evidence "
                    "file may be at most %(limit)s."
                )
                % {"limit": filesizeformat(settings.EVIDENCE_MAX_BYTES)},
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return None
