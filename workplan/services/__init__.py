"""Writes to the work plan, one module per subject; every function is a transaction."""

from workplan.services.indicators import indicator_reading_record
from workplan.services.plan import LoadResult, plan_load
from workplan.services.reports import TaskChangedError, evidence_check, task_report_progress
from workplan.services.review import report_approve, report_return
from workplan.services.tasks import (
    TASK_FIELDS,
    TaskUpdate,
    deadline_extend,
    task_create,
    task_create_check,
    task_mark_done,
    task_reassign,
    task_update,
    task_update_check,
)

__all__ = [
    "TASK_FIELDS",
    "LoadResult",
    "TaskChangedError",
    "TaskUpdate",
    "deadline_extend",
    "evidence_check",
    "indicator_reading_record",
    "plan_load",
    "report_approve",
    "report_return",
    "task_create",
    "task_create_check",
    "task_mark_done",
    "task_reassign",
    "task_report_progress",
    "task_update",
    "task_update_check",
]
