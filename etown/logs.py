"""Structured logs: one key=value line per request and per Celery job.

Never written: query strings (a calendar feed or a reset link may carry a token there), URL
parts captured under a name that says secret (token, key, signature, password, uidb64),
request bodies, headers and cookies. Job arguments are left out too: they may hold addresses.
"""

import logging
import re
import threading
import time

from celery import signals as celery_signals
from django.utils.functional import empty

request_logger = logging.getLogger("etown.request")
job_logger = logging.getLogger("etown.job")
audit_logger = logging.getLogger("etown.audit")

SECRET_NAME = re.compile(r"token|secret|key|signature|password|uidb64", re.IGNORECASE)
REDACTED = "[redacted]"

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "taskName",
}
_BARE_VALUE = re.compile(r"^[\w.:/\-\[\]@+,%]+$")


def _value(value) -> str:
    """Return a value as one token: bare when safe, else quoted with control characters escaped."""
    text = "-" if value is None else str(value)
    if _BARE_VALUE.match(text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in escaped
    )
    return f'"{escaped}"'


class KeyValueFormatter(logging.Formatter):
    """Format a record as `ts=... level=... logger=... msg=... key=value ...` on one line."""

    converter = time.gmtime

    def format(self, record):
        fields = {
            "ts": f"{self.formatTime(record, '%Y-%m-%dT%H:%M:%S')}.{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                fields[key] = value
        if record.exc_info:
            fields["exc"] = self.formatException(record.exc_info)
        return " ".join(f"{key}={_value(value)}" for key, value in fields.items())


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
    """Return the signed-in user's id, without loading a user nobody asked for."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or wrapped is empty:
        return None
    return getattr(wrapped, "pk", None)


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
