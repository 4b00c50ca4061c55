"""What of a task a person must know changed: its approved progress, its status, its due date.

One description for the reviewer whose report is older than the task (selectors) and for the
official whose form is older than the task (services), in the reader's language and date format.
"""

from __future__ import annotations

import datetime

from django.utils import formats
from django.utils.translation import gettext as _

from workplan.models import TaskStatus, choice_label

EMPTY = "—"


def _date(value: datetime.date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else EMPTY


def task_state_changes(then, now) -> list[str]:
    """Describe how `now` (a task) differs from `then` (the task, or one of its past versions)."""
    changes = []
    if then.progress != now.progress:
        changes.append(
            _("Approved progress: %(old)d %% → %(new)d %%")
            % {"old": then.progress, "new": now.progress}
        )
    if then.status != now.status:
        changes.append(
            _("Status: %(old)s → %(new)s")
            % {
                "old": choice_label(TaskStatus, then.status),
                "new": choice_label(TaskStatus, now.status),
            }
        )
    if then.due_date != now.due_date:
        changes.append(
            _("Due date: %(old)s → %(new)s")
            % {"old": _date(then.due_date), "new": _date(now.due_date)}
        )
    return changes


def task_at_version(task, version: int):
    """Return the task as it was when it reached `version` (its history), or None if unknown."""
    return task.history.filter(version=version).order_by("history_date", "history_id").first()
