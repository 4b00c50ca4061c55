"""Celery jobs for reminders: thin interfaces over workplan.services.reminders.

- send_reminders: the daily dispatch (beat, REMINDER_TIME); records rows, fans out batches.
- send_reminder_batch: sends one chunk of digests over one SMTP connection; idempotent.
- recover_reminders: every minute (beat); re-queues digests a dead worker left unsent.
"""

import logging

from celery import shared_task
from django.conf import settings

from workplan.reminders import parse_reminder_date
from workplan.services.reminders import (
    reminders_claim,
    reminders_deliver,
    reminders_dispatch,
    reminders_fail,
    reminders_stale_ids,
)

logger = logging.getLogger(__name__)


def enqueue_batches(reminder_ids: list[int]) -> int:
    """Queue one send job per chunk of REMINDER_CHUNK_SIZE rows; return the number of jobs."""
    size = settings.REMINDER_CHUNK_SIZE
    chunks = [reminder_ids[i : i + size] for i in range(0, len(reminder_ids), size)]
    for chunk in chunks:
        send_reminder_batch.delay(chunk)
    return len(chunks)


@shared_task(name="workplan.tasks.send_reminders")
def send_reminders(date: str | None = None) -> dict:
    day = parse_reminder_date(date)
    result = reminders_dispatch(date=day)
    jobs = enqueue_batches(result.pending_ids)
    logger.info(
        "Reminders for %s: %d planned, %d new, %d skipped, %d to send in %d jobs",
        day, result.planned, result.created, result.skipped, len(result.pending_ids), jobs,
    )  # fmt: skip
    return {"date": day.isoformat(), "to_send": len(result.pending_ids), "jobs": jobs}


@shared_task(bind=True, name="workplan.tasks.send_reminder_batch", ignore_result=True)
def send_reminder_batch(self, reminder_ids: list[int]) -> dict:
    claimed_at, claimed = reminders_claim(reminder_ids=reminder_ids)
    result = reminders_deliver(reminder_ids=claimed, claimed_at=claimed_at)
    if result.unsent:
        if self.request.retries >= settings.REMINDER_MAX_RETRIES:
            reminders_fail(reminder_ids=result.unsent, error=result.error)
        else:
            countdown = min(
                settings.REMINDER_RETRY_BACKOFF_SECONDS * 2**self.request.retries,
                settings.REMINDER_RETRY_BACKOFF_MAX_SECONDS,
            )
            raise self.retry(args=[result.unsent], countdown=countdown, max_retries=None)
    return {"sent": len(result.sent), "skipped": len(result.skipped)}


@shared_task(name="workplan.tasks.recover_reminders", ignore_result=True)
def recover_reminders() -> int:
    ids = reminders_stale_ids()
    if ids:
        logger.warning("Re-queueing %d reminders left unsent past their lease", len(ids))
    return enqueue_batches(ids)
