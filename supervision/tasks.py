"""The Celery jobs of the supervision office, under the names beat and the pages queue them by."""

import logging

from celery import shared_task
from django.utils import timezone

from etown.jobs import job_enqueue

# Report cycles (定期报送).
from supervision.cycle_jobs import notify_missing_reports  # noqa: F401
from supervision.services import urges_report_unacknowledged
from supervision.services.overview_reports import (
    monthly_report_fail,
    monthly_report_send,
    monthly_reports_dispatch,
    report_job_run,
)
from workplan.calendar import is_working_day
from workplan.reminders.policy import parse_reminder_date

logger = logging.getLogger(__name__)
MAX_RETRIES = 6


@shared_task(name="supervision.tasks.report_unacknowledged_urges")
def report_unacknowledged_urges(date: str | None = None) -> dict:
    """Tell senders of the notices left unacknowledged in time (daily, at REMINDER_TIME)."""
    day = parse_reminder_date(date)
    if not is_working_day(day):
        return {"date": day.isoformat(), "reported": 0}
    rows = urges_report_unacknowledged(date=day)
    logger.info("Urge notices unacknowledged on %s: %d reported to senders", day, len(rows))
    return {"date": day.isoformat(), "reported": len(rows)}


@shared_task(name="supervision.tasks.send_monthly_reports")
def send_monthly_reports() -> dict:
    """Daily (beat): on the month's first working day, mail last month's report to leaders."""
    ids = monthly_reports_dispatch(on=timezone.localdate())
    for delivery_id in ids:
        job_enqueue(send_monthly_report, delivery_id)
    return {"to_send": len(ids)}


@shared_task(bind=True, name="supervision.tasks.send_monthly_report", ignore_result=True)
def send_monthly_report(self, delivery_id: int) -> bool:
    try:
        return monthly_report_send(delivery_id=delivery_id)
    except Exception as error:
        if self.request.retries >= MAX_RETRIES:
            monthly_report_fail(delivery_id=delivery_id, error=str(error))
            raise
        raise self.retry(countdown=min(60 * 2**self.request.retries, 3600)) from error


@shared_task(name="supervision.tasks.build_report")
def build_report(job_id: str) -> bool:
    return report_job_run(job_id=job_id)
