"""The Celery jobs of the work plan, under the names beat and other systems queue them by."""

from workplan.reminders.jobs import recover_reminders, send_reminder_batch, send_reminders

__all__ = ["recover_reminders", "send_reminder_batch", "send_reminders"]
