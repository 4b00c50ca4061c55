"""`/healthz`: is the database there, is the cache (Redis) there, did the reminder job run lately?

The checks are django-health-check's (`Database`, `Cache`) and the reminders' own
(`workplan.reminders.health.ReminderDispatch`). No sign-in needed; answers JSON, 200 when every
check passes and 503 naming the ones that failed:

    {"status": "error", "failed": ["cache"], "checks": {"database": "OK", "cache": "...", ...}}
"""

import asyncio

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
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

    Own code because the library answers 500 (a load balancer reads 503 as "take me out"), names
    each check by its repr, and picks HTML, text or a feed from the Accept header; the probes and
    the monitoring read the JSON above whatever they send.
    """

    async def get(self, request, *args, **kwargs):
        checks = {name: check() for name, check in CHECKS.items()}
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(check.get_result(executor) for check in checks.values())
            )
        failed = [name for name, result in zip(checks, results, strict=True) if result.error]
        return JsonResponse(
            {
                "status": "error" if failed else "ok",
                "failed": failed,
                "checks": {
                    name: str(result.error) if result.error else result.check.pretty_status()
                    for name, result in zip(checks, results, strict=True)
                },
            },
            status=503 if failed else 200,
        )


healthz = login_not_required(Healthz.as_view())
