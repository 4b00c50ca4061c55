"""A statement timeout for web requests on PostgreSQL: no page holds a connection for minutes.

Set per request by a middleware, not in the connection options of the settings: the Celery
workers and management commands read the same settings module and have long legitimate work
(an import, the reminder dispatch, a migration), and no middleware runs in them. One
`set_config` per request costs a round trip of a few tens of microseconds; setting it per
request, rather than once per connection, also holds on a persistent connection and after a
reconnect. `DATABASE_STATEMENT_TIMEOUT_MS` is 0 (off) by default and 15,000 in production.
"""

from __future__ import annotations

from django.conf import settings
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.utils.translation import gettext as _
from psycopg.errors import QueryCanceled


def statement_timeout_set(milliseconds: int) -> None:
    """Limit each statement on this connection to `milliseconds` (0: no limit)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{milliseconds}ms"])


class StatementTimeoutMiddleware:
    """Give every statement of a web request at most DATABASE_STATEMENT_TIMEOUT_MS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        milliseconds = settings.DATABASE_STATEMENT_TIMEOUT_MS
        if milliseconds and connection.vendor == "postgresql":
            statement_timeout_set(milliseconds)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError) and isinstance(
            exception.__cause__, QueryCanceled
        ):
            return HttpResponse(
                _("This page took too long to prepare and was stopped. Narrow it and try again."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        return None
