"""Urge notices: send one about some tasks, acknowledge it, reply to it, tell late senders.

The recipient of each task's row is its owner when the notice is sent. If the task is then
reassigned, the row stays theirs: they were asked, they acknowledge and reply, and the sender
follows their answer; the new owner sees the notice on the task page and may be urged anew.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from notifications.models import NotificationKind
from notifications.services import notification_send
from supervision.models import UrgeNotice, UrgeRecipient, UrgeState
from supervision.permissions import can_answer_urge, can_urge_task
from supervision.selectors.urges import unacknowledged_rows
from workplan.models import Task

# A message or a reply is read on a phone; nobody needs more.
TEXT_MAX_CHARS = 2000


def checked_text(text: str, *, empty_message) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(empty_message, code="required")
    if len(text) > TEXT_MAX_CHARS:
        raise ValidationError(
            _("Write at most %(limit)d characters; this text has %(count)d."),
            params={"limit": TEXT_MAX_CHARS, "count": len(text)},
            code="too_long",
        )
    return text


@transaction.atomic
def urge_send(*, sender, tasks: Iterable[Task], message: str) -> UrgeNotice:
    """Urge the owners of `tasks` with `message`: one notice, one row per task."""
    message = checked_text(message, empty_message=_("Write what the owners should do."))
    ids = sorted({task.pk for task in tasks})
    if not ids:
        raise ValidationError(_("Choose at least one task to urge."), code="no_tasks")
    locked = list(
        Task.objects.select_for_update(of=("self",))
        .select_related("area", "owner")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    refused = [task for task in locked if not can_urge_task(sender, task)]
    if refused or len(locked) != len(ids):
        raise PermissionDenied(_("You may only urge tasks in the areas you supervise."))
    unowned = [task for task in locked if task.owner_id is None]
    if unowned:
        raise ValidationError(
            _("These tasks have no owner to urge; assign one first: %(tasks)s."),
            params={"tasks": "; ".join(str(task) for task in unowned)},
            code="no_owner",
        )
    notice = UrgeNotice(sender=sender, message=message)
    notice._history_user = sender
    notice.save()
    rows = [UrgeRecipient(notice=notice, task=task, recipient=task.owner) for task in locked]
    bulk_create_with_history(rows, UrgeRecipient, default_user=sender)
    for task in locked:
        notification_send(
            recipient=task.owner,
            kind=NotificationKind.URGE_RECEIVED,
            url=reverse("workplan:task_detail", args=[task.pk]) + "#urges",
            params={**task_params(task), "comment": message},
            actor=sender,
        )
    return notice


def task_params(task) -> dict:
    """The values a notification about `task` names it by, in either language."""
    return {"task": task.title, "task_zh": task.title_zh}


def _lock_row(row: UrgeRecipient, user) -> UrgeRecipient:
    locked = (
        UrgeRecipient.objects.select_for_update(of=("self",))
        .select_related("notice", "task")
        .get(pk=row.pk)
    )
    if not can_answer_urge(user, locked):
        raise PermissionDenied(_("Only the person this notice was sent to can answer it."))
    return locked


@transaction.atomic
def urge_acknowledge(*, row: UrgeRecipient, user) -> UrgeRecipient:
    """Record that the recipient has received the notice; a second acknowledgement is a no-op."""
    locked = _lock_row(row, user)
    if locked.state != UrgeState.SENT:
        return locked
    locked.state = UrgeState.ACKNOWLEDGED
    locked.acknowledged_at = timezone.now()
    locked._history_user = user
    locked.save(update_fields=["state", "acknowledged_at"])
    return locked


@transaction.atomic
def urge_reply(*, row: UrgeRecipient, user, reply: str) -> UrgeRecipient:
    """Record the recipient's reply (反馈); replying acknowledges a notice not yet acknowledged."""
    reply = checked_text(reply, empty_message=_("Write your reply: what has been done."))
    locked = _lock_row(row, user)
    if locked.state == UrgeState.REPLIED:
        if locked.reply == reply:
            return locked  # the same reply sent twice
        raise ValidationError(
            _("You replied to this notice already, on %(when)s."),
            params={"when": timezone.localtime(locked.replied_at).strftime("%Y-%m-%d %H:%M")},
            code="already_replied",
        )
    now = timezone.now()
    locked.state = UrgeState.REPLIED
    locked.acknowledged_at = locked.acknowledged_at or now
    locked.replied_at = now
    locked.reply = reply
    locked._history_user = user
    locked.save(update_fields=["state", "acknowledged_at", "replied_at", "reply"])
    return locked


@transaction.atomic
def urges_report_unacknowledged(*, date: datetime.date) -> list[UrgeRecipient]:
    """Tell each sender, once per recipient, of the notices left unacknowledged by `date`.

    Rows another run is reporting are skipped (SKIP LOCKED); a row is marked as it is reported,
    in the same transaction, so a second run on the same day reports nothing again.
    """
    rows = list(
        unacknowledged_rows(date)
        .filter(overdue_reported_at__isnull=True)
        .select_for_update(of=("self",), skip_locked=True)
        .select_related("notice__sender", "task", "recipient")
        .order_by("pk")
    )
    now = timezone.now()
    for row in rows:
        row.overdue_reported_at = now
    UrgeRecipient.objects.filter(pk__in=[row.pk for row in rows]).update(overdue_reported_at=now)
    for row in rows:
        owner = row.recipient
        notification_send(
            recipient=row.notice.sender,
            kind=NotificationKind.URGE_UNACKNOWLEDGED,
            url=reverse("supervision:urge_detail", args=[row.notice_id]),
            params={**task_params(row.task), "owner": owner.get_full_name() or owner.username},
        )
    return rows
