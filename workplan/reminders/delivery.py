"""Writes of the reminder log: dispatch, claim, deliver, release, fail.

Exactly once, as far as SMTP allows:
- `reminders_dispatch` records one row per (recipient, kind, date) under a unique constraint, so
  a second dispatch for the same date (a duplicate beat, an operator, a retry) adds nothing.
- `reminders_claim` moves rows from `pending` (or `failed`, for an operator, or `sending` whose
  claim is older than REMINDER_CLAIM_LEASE_SECONDS, left by a dead worker) to `sending` in one
  transaction with SELECT ... FOR UPDATE SKIP LOCKED and a re-checked UPDATE: of two claimers
  only one gets a row, and a row a live worker is sending is never taken from it.
- `reminders_deliver` sends the claimed rows over one SMTP connection and marks each `sent` the
  moment the server accepts it, guarded by its claim timestamp.

The one window no database can close: the SMTP server has accepted a digest and the worker dies
before the `sent` mark commits (a few milliseconds). That row is still `sending`; once its lease
runs out it is sent again. Everywhere else a crash leaves the row unsent, never doubly sent.
"""

import contextlib
import dataclasses
import datetime
import logging

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workplan.models import Reminder, ReminderStatus, Task
from workplan.reminders.policy import reminders_for

logger = logging.getLogger(__name__)

SKIP_ALL_COMPLETED = _("Everything in it was settled before it was sent.")


@dataclasses.dataclass
class DispatchResult:
    date: datetime.date
    is_working_day: bool
    planned: int = 0
    created: int = 0
    skipped: int = 0
    pending_ids: list[int] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class DeliveryResult:
    sent: list[int] = dataclasses.field(default_factory=list)
    skipped: list[int] = dataclasses.field(default_factory=list)
    unsent: list[int] = dataclasses.field(default_factory=list)
    error: str = ""


def _lease_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)


@transaction.atomic
def reminders_dispatch(*, date: datetime.date) -> DispatchResult:
    """Record the digests due on `date`; return the ids of those waiting to be sent."""
    from workplan.calendar import is_working_day

    planned = reminders_for(date)
    result = DispatchResult(date=date, is_working_day=bool(planned) or is_working_day(date))
    if not planned:
        return result
    existing = Reminder.objects.filter(date=date).count()
    Reminder.objects.bulk_create(
        [
            Reminder(
                recipient_id=plan.recipient_id,
                kind=plan.kind,
                date=date,
                overdue_task_ids=plan.overdue_task_ids,
                due_soon_task_ids=plan.due_soon_task_ids,
                sections=plan.sections,
                status=ReminderStatus.SKIPPED if plan.skip_reason else ReminderStatus.PENDING,
                error=plan.skip_reason,
            )
            for plan in planned
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    counts = dict(
        Reminder.objects.filter(date=date)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    result.planned = len(planned)
    result.created = sum(counts.values()) - existing
    result.skipped = counts.get(ReminderStatus.SKIPPED, 0)
    result.pending_ids = list(
        Reminder.objects.filter(
            date=date, status=ReminderStatus.PENDING, claimed_at__isnull=True
        ).values_list("pk", flat=True)
    )
    return result


def _claimable(statuses) -> Q:
    return Q(status__in=statuses) | Q(status=ReminderStatus.SENDING, claimed_at__lt=_lease_start())


@transaction.atomic
def reminders_claim(
    *,
    reminder_ids: list[int] | None = None,
    date: datetime.date | None = None,
    include_failed: bool = False,
    limit: int | None = None,
) -> tuple[datetime.datetime, list[int]]:
    """Take the claimable rows among `reminder_ids` (or of `date`, or all) for sending."""
    statuses = [ReminderStatus.PENDING]
    if include_failed:
        statuses.append(ReminderStatus.FAILED)
    rows = Reminder.objects.filter(_claimable(statuses))
    if reminder_ids is not None:
        rows = rows.filter(pk__in=reminder_ids)
    if date is not None:
        rows = rows.filter(date=date)
    keys = rows.select_for_update(skip_locked=True).order_by("pk").values_list("pk", flat=True)
    ids = list(keys[:limit] if limit else keys)
    claimed_at = timezone.now()
    if ids:
        # The status test again: on a database without row locks the UPDATE is the arbiter.
        Reminder.objects.filter(_claimable(statuses), pk__in=ids).update(
            status=ReminderStatus.SENDING, claimed_at=claimed_at, attempts=F("attempts") + 1
        )
    return claimed_at, ids


def reminders_release(*, reminder_ids: list[int], claimed_at: datetime.datetime, error: str):
    """Give claimed, unsent rows back to `pending` so a retry or the recovery sends them."""
    return Reminder.objects.filter(
        pk__in=reminder_ids, status=ReminderStatus.SENDING, claimed_at=claimed_at
    ).update(status=ReminderStatus.PENDING, error=error[:2000])


def reminders_fail(*, reminder_ids: list[int], error: str):
    """Mark rows whose last try failed; `send_reminders --retry-failed` takes them later."""
    return Reminder.objects.filter(pk__in=reminder_ids, status=ReminderStatus.PENDING).update(
        status=ReminderStatus.FAILED, error=error[:2000]
    )


def reminders_stale_ids(*, limit: int = 5000) -> list[int]:
    """Return rows a crashed worker or a lost job left unsent for longer than the lease."""
    stale = _lease_start()
    return list(
        Reminder.objects.filter(
            Q(status=ReminderStatus.SENDING, claimed_at__lt=stale)
            | Q(status=ReminderStatus.PENDING, claimed_at__lt=stale)
            | Q(status=ReminderStatus.PENDING, claimed_at__isnull=True, created_at__lt=stale)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def reminders_deliver(*, reminder_ids: list[int], claimed_at: datetime.datetime) -> DeliveryResult:
    """Send the rows claimed at `claimed_at` over one SMTP connection, marking each as it goes."""
    from workplan.reminders.mails import reminder_message

    result = DeliveryResult()
    rows = list(
        Reminder.objects.filter(
            pk__in=reminder_ids, status=ReminderStatus.SENDING, claimed_at=claimed_at
        )
        .select_related("recipient")
        .order_by("pk")
    )
    if not rows:
        return result
    task_ids = {task_id for row in rows for task_id in row.task_ids}
    tasks = {
        task.pk: task
        for task in Task.objects.filter(pk__in=task_ids)
        .exclude(status="completed")
        .select_related("area", "owner")
    }
    connection = get_connection()
    done: set[int] = set()
    try:
        connection.open()
        for row in rows:
            message = reminder_message(reminder=row, tasks=tasks, connection=connection)
            if message is None:
                Reminder.objects.filter(pk=row.pk, claimed_at=claimed_at).update(
                    status=ReminderStatus.SKIPPED, error=str(SKIP_ALL_COMPLETED)
                )
                result.skipped.append(row.pk)
            else:
                message.send()
                Reminder.objects.filter(pk=row.pk, claimed_at=claimed_at).update(
                    status=ReminderStatus.SENT, sent_at=timezone.now(), error=""
                )
                result.sent.append(row.pk)
            done.add(row.pk)
    except Exception as exc:  # SMTP refusals, timeouts, lost connections: retry them all
        result.error = f"{type(exc).__name__}: {exc}"
        result.unsent = [row.pk for row in rows if row.pk not in done]
        reminders_release(reminder_ids=result.unsent, claimed_at=claimed_at, error=result.error)
        logger.warning("Reminders %s not sent: %s", result.unsent, result.error)
    finally:
        # A broken connection has nothing left to close.
        with contextlib.suppress(Exception):
            connection.close()
    return result
