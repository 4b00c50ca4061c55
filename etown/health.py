"""`/healthz`: is the database there, is the cache (Redis) there, did the reminder job run lately?

The checks are django-health-check's (`Database`, `Cache`) and the reminders' own
(`workplan.reminders.health.ReminderDispatch`). No sign-in needed; answers JSON, 200 when every
check passes and 503 naming the ones that failed. Each check says "ok", "error: <why>", or what
a passing check has to add ("unknown: no dispatch recorded yet"):

    {"status": "error", "failed": ["cache"], "checks": {"database": "ok", "cache": "error: ..."}}
"""

import asyncio

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from health_check.base import HealthCheckResult
from health_check.checks import Cache, Database
from health_check.views import HealthCheckView

from workplan.reminders.health import ReminderDispatch

CHECKS = {
    "database": Database,
    "cache": Cache,
    "reminders": ReminderDispatch,
}


class Healthz(HealthCheckView):
    """django-health-check's view, answering the probes' contract instead of negotiating one.

    Own code because the library answers 500 where the probes expect 503, names each check by its
    repr, and picks HTML, text or a feed from the Accept header; the probes and the monitoring
    read the JSON above whatever they send.
    """

    async def get(self, request, *args, **kwargs):
        checks = {name: check() for name, check in CHECKS.items()}
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(check.get_result(executor) for check in checks.values())
            )
        statuses = {name: status_of(result) for name, result in zip(checks, results, strict=True)}
        failed = [name for name, status in statuses.items() if status.startswith("error")]
        return JsonResponse(
            {"status": "error" if failed else "ok", "failed": failed, "checks": statuses},
            status=503 if failed else 200,
        )


def status_of(result: HealthCheckResult) -> str:
    """Return "ok", "error: <why>", or what a passing check has to add."""
    if result.error:
        return f"error: {result.error}"
    status = result.check.pretty_status()
    return "ok" if status == "OK" else status


healthz = login_not_required(Healthz.as_view())
