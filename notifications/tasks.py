"""Celery jobs of the notifications: send one mail, and recover those left unsent."""

import logging

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval

from notifications.delivery import (
    MAIL_ERRORS,
    notification_mail_claim,
    notification_mail_deliver,
    notification_mail_release,
    notification_mail_stale_ids,
)

logger = logging.getLogger(__name__)

# A refused mail is tried again after 10 s, 20 s, 40 s ... at most an hour apart, ten times.
MAIL_RETRIES = 10
MAIL_RETRY_BACKOFF_SECONDS = 10
MAIL_RETRY_BACKOFF_MAX_SECONDS = 60 * 60


@shared_task(bind=True, name="notifications.tasks.send_notification_mail", ignore_result=True)
def send_notification_mail(self, notification_id: int) -> bool:
    """Send a notification's mail unless it was sent already; retry with backoff on failure."""
    claimed_at = notification_mail_claim(notification_id=notification_id)
    if claimed_at is None:
        return False
    try:
        return notification_mail_deliver(notification_id=notification_id, claimed_at=claimed_at)
    except MAIL_ERRORS as error:
        retries = self.request.retries
        # In-process (no worker) nothing would retry later: the mail is recorded as failed.
        final = self.request.is_eager or retries >= MAIL_RETRIES
        notification_mail_release(
            notification_id=notification_id,
            claimed_at=claimed_at,
            error=f"{type(error).__name__}: {error}",
            final=final,
        )
        logger.log(
            logging.ERROR if final else logging.WARNING,
            "mail_not_sent",
            extra={"task": self.name, "notification": notification_id, "retries": retries},
        )
        if final:
            return False
        countdown = get_exponential_backoff_interval(
            MAIL_RETRY_BACKOFF_SECONDS, retries, MAIL_RETRY_BACKOFF_MAX_SECONDS
        )
        raise self.retry(exc=error, countdown=countdown, max_retries=MAIL_RETRIES) from None


@shared_task(name="notifications.tasks.recover_notification_mails", ignore_result=True)
def recover_notification_mails() -> int:
    """Queue again the mails a lost job or a dead worker left unsent (beat, every few minutes)."""
    ids = notification_mail_stale_ids()
    for notification_id in ids:
        send_notification_mail.delay(notification_id)
    return len(ids)
