"""Supervisors' changes to a task: one update service, and the actions built on it.

`task_update` is the one way a task's fields change once it exists. The admin's change form, the
import and the API call it; reassigning, extending a deadline, marking done and approving a
report go through it too. It locks the task's row, checks the version the caller's form was
rendered at (the lost-update guard), keeps a moved deadline as a DeadlineExtension with its
reason and its author, keeps `completed_at` in step with the status, and moves the version on.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Field, ForeignKey
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from etown.jobs import job_enqueue
from workplan import caching
from workplan.emails import send_report_reviewed_job
from workplan.models import DeadlineExtension, ReviewState, Task, TaskStatus
from workplan.permissions import can_change_task, can_supervise_area
from workplan.services.reports import TaskChangedError, task_changes_since

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The fields a caller may change. The version and `completed_at` follow from the others.
TASK_FIELDS = frozenset(
    {
        "area",
        "parent",
        "code",
        "title",
        "title_zh",
        "description",
        "owner",
        "lead_department",
        "supporting_departments",
        "start_date",
        "due_date",
        "status",
        "progress",
        "weight",
    }
)
# The history table keeps 100 characters of reason; an extension row keeps all of it.
HISTORY_REASON_LENGTH = 100


@dataclass(frozen=True)
class TaskUpdate:
    """A checked change: the locked task, the values that differ from it, the reason given."""

    task: Task
    values: dict[str, Any]
    reason: str


def _lock(task: Task, user) -> Task:
    locked = (
        Task.objects.select_for_update(of=("self",)).select_related("area", "owner").get(pk=task.pk)
    )
    if not can_change_task(user, locked):
        raise PermissionDenied(_("You may only change tasks in the areas you supervise."))
    return locked


def _key(value):
    """Compare related objects by their key, so a task loaded afresh equals the caller's."""
    return getattr(value, "pk", value)


def _differs(task: Task, name: str, value) -> bool:
    if name == "supporting_departments":
        current = set(task.supporting_departments.values_list("pk", flat=True))
        return current != {_key(item) for item in value}
    field = Task._meta.get_field(name)
    if isinstance(field, ForeignKey):
        return getattr(task, field.attname) != _key(value)
    return getattr(task, name) != value


def _status_errors(*, status: str, progress: int) -> dict:
    if status not in TaskStatus.values:
        return {"status": _("Choose one of the listed statuses.")}
    if not 0 <= progress <= 100:
        return {"progress": _("Progress is a percentage between 0 and 100.")}
    if status == TaskStatus.COMPLETED and progress != 100:
        return {
            "progress": _(
                "A completed task is at 100 %; set progress to 100 or pick another status."
            )
        }
    return {}


def _owner_errors(owner) -> dict:
    if owner is None or not owner.is_active:
        return {"owner": _("Choose an active user as the new owner.")}
    return {}


def _due_date_errors(task: Task, values: dict, reason: str) -> dict:
    old, new = task.due_date, values["due_date"]
    if new is None:
        return {"due_date": _("A due date can be moved to another date, not removed.")}
    if values.get("status", task.status) == TaskStatus.COMPLETED:
        return {"due_date": _("The task is completed; its deadline no longer moves.")}
    start = values.get("start_date", task.start_date)
    if start and new < start:
        return {
            "due_date": _("The new due date cannot be before the start date (%(start)s).")
            % {"start": start}
        }
    if old is not None and not reason:
        return {
            "reason": _(
                "The due date moves from %(old)s to %(new)s: give the reason for this "
                "extension; it is kept with the task."
            )
            % {"old": old, "new": new}
        }
    return {}


def task_update_check(
    *,
    task: Task,
    user,
    changes: Mapping[str, Any],
    reason: str = "",
    expected_version: int | None = None,
) -> TaskUpdate:
    """Lock the task and check a change to it; return what `task_update` will write.

    The lock lasts until the caller's transaction ends, so a form that checks its change while
    it validates (the admin's) and saves it later in the same transaction cannot be overtaken.
    `expected_version` is the version the caller's form was rendered at; None when the caller
    has none (an import). Raise PermissionDenied, TaskChangedError or ValidationError (keyed by
    field; a missing reason for a moved deadline under "reason").
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("task_update_check must run inside a transaction.")
    unknown = set(changes) - TASK_FIELDS
    if unknown:
        raise ValueError(f"task_update cannot change {sorted(unknown)}")
    locked = _lock(task, user)
    if expected_version is not None and locked.version != expected_version:
        raise TaskChangedError(
            task=locked,
            expected_version=expected_version,
            changes=task_changes_since(task=locked, expected_version=expected_version),
        )
    reason = (reason or "").strip()
    values = {name: value for name, value in changes.items() if _differs(locked, name, value)}
    if (
        values.get("status") == TaskStatus.COMPLETED
        and "progress" not in changes
        and locked.progress != 100
    ):
        # Closing a task without saying its progress closes it at 100 %, as "Mark done" does.
        values["progress"] = 100

    errors: dict[str, StrOrPromise] = {}
    if "owner" in values:
        errors |= _owner_errors(values["owner"])
    if "area" in values and not can_supervise_area(user, values["area"]):
        errors["area"] = _("You may only move a task into an area you supervise.")
    if "status" in values or "progress" in values:
        errors |= _status_errors(
            status=values.get("status", locked.status),
            progress=values.get("progress", locked.progress),
        )
    if "due_date" in values:
        errors |= _due_date_errors(locked, values, reason)
    if errors:
        raise ValidationError(errors)
    return TaskUpdate(task=locked, values=values, reason=reason)


def _history_reason(task: Task, values: dict, reason: str) -> str:
    parts = []
    if "owner" in values:
        change = {"old": task.owner or "—", "new": values["owner"]}
        parts.append(_("Owner changed: %(old)s → %(new)s") % change)
    if "due_date" in values:
        change = {"old": task.due_date or "—", "new": values["due_date"], "reason": reason}
        parts.append(
            _("Deadline changed: %(old)s → %(new)s (%(reason)s)") % change
            if reason
            else _("Deadline set: %(new)s") % change
        )
    if "status" in values:
        parts.append(
            _("Status changed: %(old)s → %(new)s")
            % {
                "old": task.get_status_display(),
                "new": TaskStatus(values["status"]).label,
            }
        )
    if "progress" in values:
        parts.append(
            _("Progress changed: %(old)d %% → %(new)d %%")
            % {"old": task.progress, "new": values["progress"]}
        )
    others = sorted(set(values) - {"owner", "due_date", "status", "progress"})
    if others:
        # TASK_FIELDS are the task's own fields, never a relation pointing at it.
        fields = [cast(Field, Task._meta.get_field(name)) for name in others]
        names = ", ".join(str(field.verbose_name) for field in fields)
        parts.append(_("Changed: %(fields)s") % {"fields": names})
    return "; ".join(str(part) for part in parts)


def _write(
    update: TaskUpdate, *, user, note: StrOrPromise | None = None, always: bool = False
) -> tuple[Task, DeadlineExtension | None]:
    """Write a checked update; `note` replaces the history's own description of the change.

    A `note` is kept in English (gettext_noop) and translated as the history is read.
    """
    task, values = update.task, dict(update.values)
    if not values and not always:
        return task, None
    extension = None
    if "due_date" in values and (task.due_date is not None or update.reason):
        extension = DeadlineExtension.objects.create(
            task=task,
            old_due_date=task.due_date,
            new_due_date=values["due_date"],
            reason=update.reason,
            extended_by=user,
        )
    history = str(note) if note else _history_reason(task, values, update.reason)
    if "status" in values:
        completed = values["status"] == TaskStatus.COMPLETED
        values["completed_at"] = (task.completed_at or timezone.now()) if completed else None
    departments = values.pop("supporting_departments", None)
    for name, value in values.items():
        setattr(task, name, value)
    task.version += 1
    task._history_user = user
    task._change_reason = history[:HISTORY_REASON_LENGTH]
    task.save(update_fields=[*values, "version", "updated_at"])
    if departments is not None:
        task.supporting_departments.set(departments)
    if values.get("status") == TaskStatus.COMPLETED:
        _settle_pending_reports(task, user=user)
    caching.tasks_changed()
    return task, extension


def _settle_pending_reports(task: Task, *, user) -> None:
    """Close the reviews still open on a task that has just been completed.

    Each pending report is approved by the person who completed the task, with a comment saying
    that its figures were not applied: the task is done at 100 %, and approving an older report
    later must not move it back. Its author is mailed, as for any review.
    """
    pending = list(
        task.reports.select_for_update().filter(review_state=ReviewState.PENDING).order_by("pk")
    )
    now = timezone.now()
    for report in pending:
        report.review_state = ReviewState.APPROVED
        report.reviewed_by = user
        report.reviewed_at = now
        report.review_comment = str(SETTLED_COMMENT)
        report._history_user = user
        report.save(update_fields=["review_state", "reviewed_by", "reviewed_at", "review_comment"])
        transaction.on_commit(partial(job_enqueue, send_report_reviewed_job, report.pk))


# Left on each report still pending when its task is completed (mark done, an approved
# report at 100 %, an import).
SETTLED_COMMENT = _(
    "Closed when the task was completed (100 %); this report's progress and status were not "
    "applied."
)


def _keep_in_step(caller: Task, saved: Task) -> None:
    """Give the caller's copy of the task what was saved (the admin logs and redirects with it)."""
    if caller is saved:
        return
    for field in Task._meta.concrete_fields:
        setattr(caller, field.attname, getattr(saved, field.attname))


@transaction.atomic
def task_update(
    *,
    task: Task,
    user,
    changes: Mapping[str, Any],
    reason: str = "",
    expected_version: int | None = None,
) -> Task:
    """Change the task's fields in `changes` (values equal to the current ones are ignored).

    A moved due date is kept as a DeadlineExtension and needs `reason`; a first due date does
    not. A change of status keeps `completed_at` in step; closing a task without a progress
    closes it at 100 %. Every change moves the version on and is kept in the task's history.
    """
    update = task_update_check(
        task=task, user=user, changes=changes, reason=reason, expected_version=expected_version
    )
    saved, _extension = _write(update, user=user)
    _keep_in_step(task, saved)
    return saved


def task_create_check(
    *, user, area, owner=None, status: str = TaskStatus.NOT_STARTED, progress: int = 0
) -> None:
    """Raise what `task_create` would refuse: an area the user may not supervise, a bad status."""
    errors = {}
    if area is not None and not can_supervise_area(user, area):
        errors["area"] = _("You may only add tasks to the areas you supervise.")
    if owner is not None:
        errors |= _owner_errors(owner)
    errors |= _status_errors(status=status, progress=progress)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def task_create(*, task: Task, user) -> Task:
    """Save a new task built by the caller (a form, an import row), with its completion time."""
    task_create_check(
        user=user, area=task.area, owner=task.owner, status=task.status, progress=task.progress
    )
    if task.status == TaskStatus.COMPLETED:
        task.completed_at = task.completed_at or timezone.now()
    else:
        task.completed_at = None
    task._history_user = user
    task.save(force_insert=True)
    caching.tasks_changed()
    return task


@transaction.atomic
def task_reassign(*, task: Task, owner, user) -> Task:
    """Give the task to another owner; the change is recorded in the task's history."""
    locked = _lock(task, user)
    if owner is not None and locked.owner_id == owner.pk:
        raise ValidationError(
            _("%(owner)s already owns this task."), params={"owner": owner}, code="same_owner"
        )
    return task_update(task=locked, user=user, changes={"owner": owner})


@transaction.atomic
def deadline_extend(
    *, task: Task, new_due_date: datetime.date, reason: str, user
) -> DeadlineExtension:
    """Move the due date later, keeping the old and new dates and the reason in an extension.

    Unlike `task_update`, which corrects a deadline either way, an extension (the admin's
    "Extend deadline", an approved extension request) only ever moves it later.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Give a reason for the new deadline; it is kept with the task."),
            code="reason_required",
        )
    locked = _lock(task, user)
    if locked.status == TaskStatus.COMPLETED:
        raise ValidationError(_("The task is completed; its deadline no longer moves."))
    if new_due_date == locked.due_date:
        raise ValidationError(_("The new due date is the current one; pick another date."))
    if locked.start_date and new_due_date < locked.start_date:
        raise ValidationError(
            _("The new due date cannot be before the start date (%(start)s)."),
            params={"start": locked.start_date},
            code="before_start",
        )
    if locked.due_date is not None and new_due_date < locked.due_date:
        raise ValidationError(
            _(
                "%(new)s is before the current due date (%(old)s); an extension only moves a "
                "deadline later."
            ),
            params={"new": new_due_date, "old": locked.due_date},
            code="earlier",
        )
    update = task_update_check(
        task=locked, user=user, changes={"due_date": new_due_date}, reason=reason
    )
    _saved, extension = _write(update, user=user)
    # A due date moved with a reason always leaves an extension (_write).
    return cast(DeadlineExtension, extension)


@transaction.atomic
def task_mark_done(*, task: Task, user) -> Task:
    """Close the task: completed, 100 %, completed now."""
    locked = _lock(task, user)
    if locked.status == TaskStatus.COMPLETED:
        raise ValidationError(_("The task is already completed."), code="already_done")
    update = task_update_check(
        task=locked, user=user, changes={"status": TaskStatus.COMPLETED, "progress": 100}
    )
    saved, _extension = _write(update, user=user, note=gettext_noop("Marked done"))
    return saved


def task_take_report(*, task: Task, user, status: str, progress: int) -> Task:
    """Make an approved report's status and progress the task's own (for `report_approve`).

    A completed task stays completed: a report written before it was closed never reopens it.
    An approval always moves the version on, even when it changes neither: whoever holds a form
    of the task rendered before it is told about the review.
    """
    locked = _lock(task, user)
    changes = {"status": status, "progress": progress}
    if locked.status == TaskStatus.COMPLETED:
        changes = {}
    update = task_update_check(task=locked, user=user, changes=changes)
    saved, _extension = _write(
        update, user=user, note=gettext_noop("Progress report approved"), always=True
    )
    return saved
