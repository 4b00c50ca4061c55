"""`/healthz`: is the database there, is Redis there, did the reminder job run lately?

Answers 200 when every part is healthy and 503 naming the parts that are not. The reminder
part asks `workplan.reminders.last_dispatch_at()` when that exists, else reads the cache key
REMINDER_DISPATCH_CACHE_KEY; with neither it says "unknown" and does not fail.
"""

import importlib
from datetime import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

REMINDER_DISPATCH_CACHE_KEY = "reminders:last_dispatch_at"
REDIS_TIMEOUT_SECONDS = 0.5
# The job runs every day (holidays included, when it just sends nothing): over a day and a
# bit without a run means beat or the workers are down.
DEFAULT_DISPATCH_MAX_AGE_HOURS = 26


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 (any failure means unhealthy)
        return f"error: {error.__class__.__name__}"
    return "ok"


def check_redis() -> str:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return "not configured"
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    client = redis.Redis.from_url(
        url,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 0),
    )
    try:
        client.ping()
    except Exception as error:  # noqa: BLE001 (any failure means unhealthy)
        return f"error: {error.__class__.__name__}"
    finally:
        client.close()
    return "ok"


def _dispatch_source():
    """Return the reminders module's last_dispatch_at function, or None if there is none."""
    try:
        module = importlib.import_module("workplan.reminders")
    except ModuleNotFoundError as error:
        if error.name in ("workplan.reminders", "workplan"):
            return None
        raise
    return getattr(module, "last_dispatch_at", None)


def last_dispatch_at() -> datetime | None:
    source = _dispatch_source()
    value = source() if source is not None else cache.get(REMINDER_DISPATCH_CACHE_KEY)
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def check_reminders() -> tuple[str, dict]:
    try:
        at = last_dispatch_at()
    except Exception as error:  # noqa: BLE001 (any failure means unhealthy)
        return f"error: {error.__class__.__name__}", {"at": None, "age_seconds": None}
    if at is None:
        return "unknown", {"at": None, "age_seconds": None}
    age = (timezone.now() - at).total_seconds()
    max_age_hours = getattr(
        settings, "HEALTHZ_DISPATCH_MAX_AGE_HOURS", DEFAULT_DISPATCH_MAX_AGE_HOURS
    )
    status = "ok" if age <= max_age_hours * 3600 else "stale"
    return status, {"at": at.isoformat(), "age_seconds": round(age)}


@login_not_required
@never_cache
@require_GET
def healthz(request):
    reminders, dispatch = check_reminders()
    checks = {"database": check_database(), "redis": check_redis(), "reminders": reminders}
    failed = [
        name for name, value in checks.items() if value not in ("ok", "not configured", "unknown")
    ]
    return JsonResponse(
        {
            "status": "error" if failed else "ok",
            "failed": failed,
            "checks": checks,
            "last_reminder_dispatch": dispatch,
        },
        status=503 if failed else 200,
    )
