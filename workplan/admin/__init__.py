"""The supervisors' back office. Importing this package registers every work-plan admin."""

from workplan.admin.plan import (
    AreaAdmin,
    DeadlineExtensionAdmin,
    EvidenceAdmin,
    IndicatorAdmin,
    IndicatorReadingAdmin,
    PlanAdmin,
)
from workplan.admin.reports import ProgressReportAdmin
from workplan.admin.tasks import TaskAdmin
from workplan.reminders.admin import ReminderAdmin, WorkingDayOverrideAdmin

__all__ = [
    "AreaAdmin",
    "DeadlineExtensionAdmin",
    "EvidenceAdmin",
    "IndicatorAdmin",
    "IndicatorReadingAdmin",
    "PlanAdmin",
    "ProgressReportAdmin",
    "ReminderAdmin",
    "TaskAdmin",
    "WorkingDayOverrideAdmin",
]
