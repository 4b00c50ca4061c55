"""Supervisors' changes to a task: reassign the owner, extend the deadline, mark it done."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workplan.models import DeadlineExtension, Task, TaskStatus
from workplan.permissions import can_change_task


def _lock(task: Task, user) -> Task:
    locked = (
        Task.objects.select_for_update(of=("self",)).select_related("area", "owner").get(pk=task.pk)
    )
    if not can_change_task(user, locked):
        raise PermissionDenied(_("You may only change tasks in the areas you supervise."))
    return locked


def _save(task: Task, user, reason: str, fields: list[str]) -> Task:
    task.version += 1
    task._history_user = user
    # The history table keeps 100 characters of reason; the extension row keeps all of it.
    task._change_reason = reason[:100]
    task.save(update_fields=[*fields, "version", "updated_at"])
    return task


@transaction.atomic
def task_reassign(*, task: Task, owner, user) -> Task:
    """Give the task to another owner; the change is recorded in the task's history."""
    task = _lock(task, user)
    if owner is None or not owner.is_active:
        raise ValidationError(_("Choose an active user as the new owner."), code="owner_inactive")
    if task.owner_id == owner.pk:
        raise ValidationError(
            _("%(owner)s already owns this task."), params={"owner": owner}, code="same_owner"
        )
    old_owner = task.owner
    task.owner = owner
    reason = _("Owner changed: %(old)s → %(new)s") % {"old": old_owner or "—", "new": owner}
    return _save(task, user, str(reason), ["owner"])


@transaction.atomic
def deadline_extend(
    *, task: Task, new_due_date: datetime.date, reason: str, user
) -> DeadlineExtension:
    """Move the due date, keeping the old and new dates and the reason in a DeadlineExtension."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Give a reason for the new deadline; it is kept with the task."),
            code="reason_required",
        )
    task = _lock(task, user)
    if task.status == TaskStatus.COMPLETED:
        raise ValidationError(_("The task is completed; its deadline no longer moves."))
    if new_due_date == task.due_date:
        raise ValidationError(_("The new due date is the current one; pick another date."))
    if task.start_date and new_due_date < task.start_date:
        raise ValidationError(
            _("The new due date cannot be before the start date (%(start)s)."),
            params={"start": task.start_date},
            code="before_start",
        )
    extension = DeadlineExtension.objects.create(
        task=task,
        old_due_date=task.due_date,
        new_due_date=new_due_date,
        reason=reason,
        extended_by=user,
    )
    old = task.due_date
    task.due_date = new_due_date
    change = _("Deadline changed: %(old)s → %(new)s (%(reason)s)") % {
        "old": old or "—",
        "new": new_due_date,
        "reason": reason,
    }
    _save(task, user, str(change), ["due_date"])
    return extension


@transaction.atomic
def task_mark_done(*, task: Task, user) -> Task:
    """Close the task: completed, 100 %, completed now."""
    task = _lock(task, user)
    if task.status == TaskStatus.COMPLETED:
        raise ValidationError(_("The task is already completed."), code="already_done")
    task.status = TaskStatus.COMPLETED
    task.progress = 100
    task.completed_at = timezone.now()
    return _save(task, user, str(_("Marked done")), ["status", "progress", "completed_at"])


def task_lock_at_version(*, task: Task, expected_version: int | None) -> Task:
    """Lock the task's row until the caller's transaction ends; raise if it moved on meanwhile.

    For a change made from a form rendered at `expected_version` (the admin's change form):
    holding the lock from this check to the save means no report, review or action can slip in
    between, and one that came before the check is caught by the version.
    """
    from workplan.services.reports import TaskChangedError, changes_since

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("task_lock_at_version must run inside a transaction.")
    locked = Task.objects.select_for_update(of=("self",)).get(pk=task.pk)
    if expected_version is None or locked.version != expected_version:
        expected = expected_version if expected_version is not None else 0
        raise TaskChangedError(
            task=locked,
            expected_version=expected,
            changes=changes_since(task=locked, expected_version=expected),
        )
    return locked
