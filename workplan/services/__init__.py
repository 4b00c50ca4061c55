"""Writes to the work plan, one module per subject; every function is a transaction."""

from workplan.services.plan import LoadResult, plan_load
from workplan.services.reminders import (
    reminders_claim,
    reminders_deliver,
    reminders_dispatch,
    reminders_fail,
    reminders_release,
    reminders_stale_ids,
)

__all__ = [
    "LoadResult",
    "plan_load",
    "reminders_claim",
    "reminders_deliver",
    "reminders_dispatch",
    "reminders_fail",
    "reminders_release",
    "reminders_stale_ids",
]
