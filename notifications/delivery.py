"""Sending a notification's mail exactly once, as far as SMTP allows.

`notification_mail_claim` moves the row from `pending` (or `sending` whose claim is older than
NOTIFICATION_MAIL_LEASE_SECONDS, left by a dead worker) to `sending` with one conditional UPDATE:
of two jobs for the same row only one gets it. The claimer sends, then marks it `sent` guarded
by its claim timestamp; a refused mail goes back to `pending` for the job's retry, and after the
last retry to `failed`. As with the reminders, the one window left open is a worker dying
between the server's acceptance and the `sent` mark: that mail goes out again after the lease.
"""

from __future__ import annotations

import datetime
import logging
import smtplib

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from notifications.models import MailStatus, Notification

logger = logging.getLogger(__name__)

# What a mail server that is down, busy or refusing raises (socket errors are OSErrors).
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def _lease_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.NOTIFICATION_MAIL_LEASE_SECONDS)


def notification_mail_claim(*, notification_id: int) -> datetime.datetime | None:
    """Take the notification's mail for sending; None if it is sent, skipped or being sent."""
    claimed_at = timezone.now()
    claimable = Q(mail_status=MailStatus.PENDING) | Q(
        mail_status=MailStatus.SENDING, mail_claimed_at__lt=_lease_start()
    )
    taken = Notification.objects.filter(claimable, pk=notification_id).update(
        mail_status=MailStatus.SENDING,
        mail_claimed_at=claimed_at,
        mail_attempts=F("mail_attempts") + 1,
    )
    return claimed_at if taken else None


def notification_mail_release(
    *, notification_id: int, claimed_at: datetime.datetime, error: str, final: bool
) -> None:
    """Give a claimed, unsent mail back (`pending`, for a retry) or give it up (`failed`)."""
    Notification.objects.filter(
        pk=notification_id, mail_status=MailStatus.SENDING, mail_claimed_at=claimed_at
    ).update(
        mail_status=MailStatus.FAILED if final else MailStatus.PENDING, mail_error=error[:2000]
    )


def notification_mail_deliver(*, notification_id: int, claimed_at: datetime.datetime) -> bool:
    """Send the mail claimed at `claimed_at` and mark it sent; SMTP errors propagate."""
    from notifications.mails import notification_message

    notification = (
        Notification.objects.filter(
            pk=notification_id, mail_status=MailStatus.SENDING, mail_claimed_at=claimed_at
        )
        .select_related("recipient")
        .first()
    )
    if notification is None:
        return False
    recipient = notification.recipient
    if not (recipient.is_active and recipient.email):
        Notification.objects.filter(pk=notification_id, mail_claimed_at=claimed_at).update(
            mail_status=MailStatus.SKIPPED
        )
        return False
    notification_message(notification).send()
    Notification.objects.filter(pk=notification_id, mail_claimed_at=claimed_at).update(
        mail_status=MailStatus.SENT, mailed_at=timezone.now(), mail_error=""
    )
    return True


def notification_mail_stale_ids(*, limit: int = 1000) -> list[int]:
    """Return mails a lost job or a dead worker left unsent for longer than the lease."""
    stale = _lease_start()
    return list(
        Notification.objects.filter(
            Q(mail_status=MailStatus.SENDING, mail_claimed_at__lt=stale)
            | Q(mail_status=MailStatus.PENDING, created_at__lt=stale)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
