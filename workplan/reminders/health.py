"""Did the daily reminder dispatch run lately? The reminders' check for /healthz.

The dispatch job records when it finished (`dispatch_record`); the check fails once that is
older than a day and a bit, which means beat or the workers are down. Until a first dispatch is
recorded (a new install, a flushed cache) the check says so and passes.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.core.cache import cache
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

LAST_DISPATCH_KEY = "reminders:last_dispatch_at"
# The job runs every day (holidays included, when it just sends nothing): over a day and a bit
# without a run means beat or the workers are down.
MAX_AGE = datetime.timedelta(hours=26)


def dispatch_record() -> None:
    """Record that a dispatch has just finished."""
    cache.set(LAST_DISPATCH_KEY, timezone.now().isoformat(), timeout=None)


def last_dispatch_at() -> datetime.datetime | None:
    """Return when the last dispatch finished, or None if none is recorded."""
    value = cache.get(LAST_DISPATCH_KEY)
    return parse_datetime(value) if value else None


@dataclasses.dataclass
class ReminderDispatch(HealthCheck):
    """Fail when the last reminder dispatch finished more than `max_age` ago."""

    max_age: datetime.timedelta = MAX_AGE
    last_at: datetime.datetime | None = dataclasses.field(default=None, init=False, repr=False)

    def run(self) -> None:
        self.last_at = last_dispatch_at()
        if self.last_at is not None and timezone.now() - self.last_at > self.max_age:
            raise ServiceUnavailable(f"no dispatch since {self.last_at.isoformat()}")

    def pretty_status(self) -> str:
        return "unknown: no dispatch recorded yet" if self.last_at is None else "OK"
