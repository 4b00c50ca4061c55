"""The daily job of report cycles: record each missed deadline once and tell the task's owner."""

import logging

from celery import shared_task

from supervision.services import missed_reports_record
from workplan.reminders.policy import parse_reminder_date

logger = logging.getLogger(__name__)


@shared_task(name="supervision.tasks.notify_missing_reports", ignore_result=True)
def notify_missing_reports(date: str | None = None) -> int:
    """Record and notify the reports missing on `date` (YYYY-MM-DD, default today)."""
    day = parse_reminder_date(date)
    records = missed_reports_record(on=day)
    logger.info("Missing reports on %s: %d newly recorded and notified", day, len(records))
    return len(records)
