"""Celery jobs for reminders: thin interfaces over workplan.reminders.delivery.

- send_reminders: the daily dispatch (beat, REMINDER_TIME); records rows, fans out batches.
- send_reminder_batch: sends one chunk of digests over one SMTP connection; idempotent.
- recover_reminders: every minute (beat); re-queues digests a dead worker left unsent, and
  runs the day's dispatch if it has not run by REMINDER_TIME (beat down, or the worker that ran
  it died before its transaction committed: its message would only come back after the
  broker's visibility timeout).
"""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from workplan.reminders.delivery import (
    reminders_claim,
    reminders_deliver,
    reminders_dispatch,
    reminders_fail,
    reminders_stale_ids,
)
from workplan.reminders.health import dispatch_record
from workplan.reminders.policy import parse_reminder_date

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
    cache.set(dispatched_key(day), True, timeout=3 * 24 * 3600)
    dispatch_record()
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


def dispatched_key(day: datetime.date) -> str:
    return f"reminders:dispatched:{day.isoformat()}"


def local_now() -> datetime.datetime:
    return timezone.localtime()


def dispatch_if_missed(now: datetime.datetime) -> bool:
    """Queue today's dispatch when REMINDER_TIME has passed and none has finished today."""
    if not settings.REMINDER_CATCH_UP_MISSED_DISPATCH:
        return False
    hour, minute = (int(part) for part in settings.REMINDER_TIME.split(":"))
    if now.time() < datetime.time(hour, minute):
        return False
    day = now.date()
    if cache.get(dispatched_key(day)):
        return False
    # One queued catch-up at a time; the dispatch itself is idempotent anyway.
    if not cache.add(f"{dispatched_key(day)}:queued", True, timeout=10 * 60):
        return False
    logger.warning("No reminder dispatch has finished for %s yet: running it now", day)
    send_reminders.delay(date=day.isoformat())
    return True


@shared_task(name="workplan.tasks.recover_reminders", ignore_result=True)
def recover_reminders() -> int:
    dispatch_if_missed(local_now())
    ids = reminders_stale_ids()
    if ids:
        logger.warning("Re-queueing %d reminders left unsent past their lease", len(ids))
    return enqueue_batches(ids)
