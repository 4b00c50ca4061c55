"""The Celery jobs of the work plan, under the names beat and other systems queue them by."""

from workplan.emails import send_report_reviewed_job as send_report_reviewed
from workplan.reminders.jobs import recover_reminders, send_reminder_batch, send_reminders

__all__ = ["recover_reminders", "send_reminder_batch", "send_report_reviewed", "send_reminders"]
