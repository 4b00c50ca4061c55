"""Structured logs: one JSON object a line, per request and per Celery job (python-json-logger).

Never written: query strings (a calendar feed or a reset link may carry a token there), URL
parts captured under a name that says secret (token, key, signature, password, uidb64),
request bodies, headers and cookies, nor the request object Django attaches to its own error
records (its text holds the query string). Job arguments are left out too: they may hold
addresses.
"""

import logging
import re
import threading
import time

from celery import signals as celery_signals
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

request_logger = logging.getLogger("etown.request")
job_logger = logging.getLogger("etown.job")
audit_logger = logging.getLogger("etown.audit")

SECRET_NAME = re.compile(r"token|secret|key|signature|password|uidb64", re.IGNORECASE)
REDACTED = "[redacted]"


def json_formatter() -> JsonFormatter:
    """Return the formatter of every line: `{"ts", "level", "logger", "msg", ...extra}`."""
    return JsonFormatter(
        ["levelname", "name", "message"],
        rename_fields={"levelname": "level", "name": "logger", "message": "msg"},
        timestamp="ts",
        reserved_attrs=[*RESERVED_ATTRS, "request"],
        json_ensure_ascii=False,
    )


class OncePerInterval(logging.Filter):
    """Let one record through per `seconds`, drop the others.

    django-redis logs every cache call it answers as a miss while Redis is down: several a page.
    One line per interval says the same; the standard library has no such filter.
    """

    def __init__(self, seconds: float = 30):
        super().__init__()
        self.seconds = seconds
        self.last_passed = float("-inf")
        self.lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        with self.lock:
            if now - self.last_passed < self.seconds:
                return False
            self.last_passed = now
        return True


def loggable_path(request) -> str:
    """Return the request's path with secret URL parts replaced and no query string."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if SECRET_NAME.search(name) and value not in (None, ""):
                path = path.replace(str(value), REDACTED)
    return path


def user_id_of(request):
    """Return the signed-in user's id, or None.

    Every page but a few (sign-in, password reset, /healthz) has loaded the user already, to
    check that someone is signed in; on those few, a visitor with a session cookie costs a read.
    """
    user = getattr(request, "user", None)  # none on what WhiteNoise answered
    if user is None or not user.is_authenticated:
        return None
    return user.pk


class RequestLogMiddleware:
    """Log one line per request; a 403 is also written to the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        fields = {
            "method": request.method,
            "path": loggable_path(request),
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "user": user_id_of(request),
            "view": getattr(getattr(request, "resolver_match", None), "view_name", None),
        }
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        request_logger.log(level, "request", extra=fields)
        if response.status_code == 403:
            audit_logger.warning(
                "permission_refused",
                extra={
                    "user": fields["user"],
                    "method": fields["method"],
                    "path": fields["path"],
                    "view": fields["view"],
                },
            )
        return response


_job_started: dict[str, float] = {}
_job_lock = threading.Lock()


def _job_prerun(task_id=None, task=None, **kwargs):
    with _job_lock:
        _job_started[task_id] = time.perf_counter()


def _job_postrun(task_id=None, task=None, state=None, **kwargs):
    with _job_lock:
        started = _job_started.pop(task_id, None)
    duration = None if started is None else round((time.perf_counter() - started) * 1000, 1)
    outcome = state or "UNKNOWN"
    job_logger.log(
        logging.INFO if outcome in ("SUCCESS", "RETRY") else logging.ERROR,
        "job",
        extra={
            "task": getattr(task, "name", None),
            "id": task_id,
            "duration_ms": duration,
            "outcome": outcome,
        },
    )


def connect_job_signals() -> None:
    celery_signals.task_prerun.connect(_job_prerun, dispatch_uid="etown.logs.job_prerun")
    celery_signals.task_postrun.connect(_job_postrun, dispatch_uid="etown.logs.job_postrun")
