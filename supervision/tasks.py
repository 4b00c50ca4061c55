"""The Celery jobs of the supervision workflows, under the names beat queues them by."""

import logging

from celery import shared_task

# Report cycles (定期报送).
from supervision.cycle_jobs import notify_missing_reports  # noqa: F401
from supervision.services import urges_report_unacknowledged
from workplan.calendar import is_working_day
from workplan.reminders.policy import parse_reminder_date

logger = logging.getLogger(__name__)


@shared_task(name="supervision.tasks.report_unacknowledged_urges")
def report_unacknowledged_urges(date: str | None = None) -> dict:
    """Tell senders of the notices left unacknowledged in time (daily, at REMINDER_TIME)."""
    day = parse_reminder_date(date)
    if not is_working_day(day):
        return {"date": day.isoformat(), "reported": 0}
    rows = urges_report_unacknowledged(date=day)
    logger.info("Urge notices unacknowledged on %s: %d reported to senders", day, len(rows))
    return {"date": day.isoformat(), "reported": len(rows)}
