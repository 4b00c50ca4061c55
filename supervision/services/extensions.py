"""Writes of the extension requests: ask, approve (records the extension), deny."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import NotificationKind
from notifications.services import notification_send
from supervision.models import ExtensionRequest, ExtensionRequestState
from supervision.permissions import (
    can_decide_extension,
    can_request_extension,
    can_withdraw_extension,
)
from workplan.models import Task, TaskStatus
from workplan.services import deadline_extend

# As long as a review comment: it goes to the official in the inbox and by mail.
TEXT_MAX_CHARS = 2000


def _checked_text(text: str, *, required_message) -> str:
    text = (text or "").strip()
    if not text and required_message:
        raise ValidationError(required_message, code="required")
    if len(text) > TEXT_MAX_CHARS:
        raise ValidationError(
            _("At most %(limit)d characters, please; this text has %(count)d."),
            params={"limit": TEXT_MAX_CHARS, "count": len(text)},
            code="too_long",
        )
    return text


@transaction.atomic
def extension_request_create(
    *, task: Task, user, new_due_date: datetime.date, reason: str
) -> ExtensionRequest:
    """Ask for `new_due_date` on `task`, with a reason; one open request per task."""
    locked = Task.objects.select_for_update(of=("self",)).select_related("area").get(pk=task.pk)
    if not can_request_extension(user, locked):
        if locked.status == TaskStatus.COMPLETED:
            raise ValidationError(_("The task is completed; its deadline no longer moves."))
        raise PermissionDenied(
            _("Only the task's owner or its lead department may ask for an extension.")
        )
    reason = _checked_text(
        reason, required_message=_("Give a reason: the supervisor decides on it.")
    )
    if new_due_date is None:
        raise ValidationError(_("Choose the new due date you ask for."), code="date_required")
    current = locked.due_date
    if current is not None and new_due_date <= current:
        raise ValidationError(
            _("Ask for a date after the current due date (%(current)s)."),
            params={"current": current},
            code="not_later",
        )
    if current is None and new_due_date <= timezone.localdate():
        raise ValidationError(_("Ask for a date after today."), code="not_later")
    if locked.extension_requests.filter(state=ExtensionRequestState.OPEN).exists():
        raise ValidationError(
            _("This task already has an open extension request; wait for its decision."),
            code="already_open",
        )
    request = ExtensionRequest(
        task=locked,
        requested_by=user,
        current_due_date=current,
        new_due_date=new_due_date,
        reason=reason,
    )
    request._history_user = user
    try:
        # The task's row lock keeps a second request out; the constraint is the last word.
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise ValidationError(
            _("This task already has an open extension request; wait for its decision."),
            code="already_open",
        ) from None
    return request


def _lock_open(request: ExtensionRequest, user) -> ExtensionRequest:
    locked = (
        ExtensionRequest.objects.select_for_update(of=("self",))
        .select_related("task__area", "requested_by")
        .get(pk=request.pk)
    )
    if not can_decide_extension(user, locked.task):
        raise PermissionDenied(
            _("You may only decide extension requests on tasks in the areas you supervise.")
        )
    if locked.state != ExtensionRequestState.OPEN:
        raise ValidationError(
            _("This extension request was already decided (%(state)s); reload the list."),
            params={"state": locked.get_state_display().lower()},
            code="already_decided",
        )
    return locked


def _decide(request: ExtensionRequest, *, state: str, user, comment: str) -> None:
    request.state = state
    request.decided_by = user
    request.decided_at = timezone.now()
    request.decision_comment = comment
    request._history_user = user
    request.save(
        update_fields=["state", "decided_by", "decided_at", "decision_comment", "extension"]
    )
    task = request.task
    notification_send(
        recipient=request.requested_by,
        kind=NotificationKind.EXTENSION_DECIDED,
        url=reverse("workplan:task_detail", args=[task.pk]),
        params={
            "task": task.title,
            "task_zh": task.title_zh,
            "decision": state,
            "date": request.new_due_date.isoformat(),
            "comment": comment,
        },
        actor=user,
    )


@transaction.atomic
def extension_request_approve(
    *, request: ExtensionRequest, user, comment: str = ""
) -> ExtensionRequest:
    """Approve an open request: the task's deadline moves, as the admin's "Extend" moves it."""
    comment = _checked_text(comment, required_message=None)
    request = _lock_open(request, user)
    request.extension = deadline_extend(
        task=request.task, new_due_date=request.new_due_date, reason=request.reason, user=user
    )
    request.task = request.extension.task
    _decide(request, state=ExtensionRequestState.APPROVED, user=user, comment=comment)
    return request


@transaction.atomic
def extension_request_deny(*, request: ExtensionRequest, user, comment: str) -> ExtensionRequest:
    """Deny an open request with a comment that tells the official why."""
    comment = _checked_text(
        comment, required_message=_("Say why the request is denied: the official reads it.")
    )
    request = _lock_open(request, user)
    _decide(request, state=ExtensionRequestState.DENIED, user=user, comment=comment)
    return request


@transaction.atomic
def extension_request_withdraw(*, task: Task, user) -> ExtensionRequest:
    """Withdraw the task's open request (those who may ask on the task may withdraw it)."""
    locked = (
        ExtensionRequest.objects.select_for_update(of=("self",))
        .select_related("task")
        .filter(task=task, state=ExtensionRequestState.OPEN)
        .first()
    )
    if not can_withdraw_extension(user, task):
        raise PermissionDenied(
            _("Only the task's owner or its lead department may withdraw its extension request.")
        )
    if locked is None:
        raise ValidationError(
            _("This task has no open extension request: it was decided or withdrawn already."),
            code="none_open",
        )
    locked.state = ExtensionRequestState.WITHDRAWN
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked._history_user = user
    locked.save(update_fields=["state", "decided_by", "decided_at"])
    return locked
