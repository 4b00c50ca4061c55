"""Writes to the work plan, one module per subject; every function is a transaction."""

from workplan.services.plan import LoadResult, plan_load
from workplan.services.reports import TaskChangedError, evidence_check, task_report_progress

__all__ = [
    "LoadResult",
    "TaskChangedError",
    "evidence_check",
    "plan_load",
    "task_report_progress",
]
