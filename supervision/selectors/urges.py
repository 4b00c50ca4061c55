"""Reads of urge notices: a task's notices, a recipient's, a sender's; which are late."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.permissions import is_admin
from supervision.models import UrgeNotice, UrgeRecipient, UrgeState
from workplan.calendar import WorkingCalendar

# The latest notices of a task shown on its page; older ones are in the admin.
TASK_PAGE_URGES = 10


def ack_cutoff(date: datetime.date) -> datetime.datetime:
    """Return the moment before which a notice still unacknowledged on `date` is late.

    A notice must be acknowledged within URGE_ACK_DAYS working days after the day it was sent;
    on `date` those days have passed for every notice sent before the URGE_ACK_DAYS-th working
    day before `date`.
    """
    days = max(settings.URGE_ACK_DAYS, 1)
    calendar = WorkingCalendar(date)
    first_day = calendar.nth_working_day(date - datetime.timedelta(days=1), days, forward=False)
    return timezone.make_aware(datetime.datetime.combine(first_day, datetime.time.min))


def unacknowledged_rows(date: datetime.date) -> QuerySet:
    """Return the rows whose recipient has not acknowledged them in time, as of `date`."""
    return UrgeRecipient.objects.filter(
        state=UrgeState.SENT, notice__created_at__lt=ack_cutoff(date)
    )


def task_urges_for(task) -> list[UrgeRecipient]:
    """Return the task's latest notices, each with its sender and recipient (one query)."""
    return list(
        UrgeRecipient.objects.filter(task=task)
        .select_related("notice__sender", "recipient")
        .order_by("-notice__created_at", "-pk")[:TASK_PAGE_URGES]
    )


def urges_received_by(user) -> QuerySet:
    """Return the notices sent to `user`, those still waiting for them first."""
    return (
        UrgeRecipient.objects.filter(recipient=user)
        .select_related("notice__sender", "task")
        # sent, then acknowledged (reply missing), then replied
        .alias(
            waiting=Case(
                When(state=UrgeState.SENT, then=Value(0)),
                When(state=UrgeState.ACKNOWLEDGED, then=Value(1)),
                default=Value(2),
            )
        )
        .order_by("waiting", "-notice__created_at", "-pk")
    )


def urges_waiting_for(user) -> QuerySet:
    """Return the notices `user` has yet to acknowledge or reply to."""
    return urges_received_by(user).exclude(state=UrgeState.REPLIED)


def notices_sent_by(user) -> QuerySet:
    """Return the notices `user` sent (every notice, for an admin), with counts per state."""
    notices = UrgeNotice.objects.all() if is_admin(user) else UrgeNotice.objects.filter(sender=user)
    return (
        notices.select_related("sender")
        .annotate(
            total=Count("recipients"),
            sent=Count("recipients", filter=Q(recipients__state=UrgeState.SENT)),
            acknowledged=Count("recipients", filter=Q(recipients__state=UrgeState.ACKNOWLEDGED)),
            replied=Count("recipients", filter=Q(recipients__state=UrgeState.REPLIED)),
        )
        .order_by("-created_at", "-pk")
    )


def notice_detail(pk: int) -> UrgeNotice:
    """Return notice `pk` with its rows, their tasks and recipients (two queries)."""
    rows = UrgeRecipient.objects.select_related("task", "recipient").order_by("task__code", "pk")
    return (
        UrgeNotice.objects.select_related("sender")
        .prefetch_related(Prefetch("recipients", queryset=rows))
        .get(pk=pk)
    )


def urge_row_for(pk: int) -> UrgeRecipient:
    return UrgeRecipient.objects.select_related("notice__sender", "task", "recipient").get(pk=pk)


def urge_rows_sent_by(user) -> QuerySet:
    """Return the rows of the notices `user` sent (of every notice, for an admin)."""
    rows = UrgeRecipient.objects.all()
    if not is_admin(user):
        rows = rows.filter(notice__sender=user)
    return rows.select_related("notice__sender", "task", "recipient")
