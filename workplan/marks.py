"""Task marks: what an app above the plan says about a task, shown in the plan's own pages.

The plan's pages (the task list and its filters, the task page, the admin's task list) belong
to `workplan`, which may not import the apps above it (`supervision` and its "report missing").
So the plan defines the socket and the settings plug the marks in: `settings.TASK_MARKS` lists
dotted paths to mark objects, each with

- `key`: its name in URLs and markup (`report_missing`: `/tasks/?report_missing=on`,
  `data-mark="report_missing"`), unique among the marks and the task filters;
- `label`: what a task carrying it shows (lazy, in the reader's language);
- `filter_label`: the label of the filter that keeps only those tasks ("Report missing only");
- `q(on) -> Q`: the tasks carrying the mark on day `on` (its SQL form; a fixed number of
  queries to build, whatever the number of tasks);
- `notes(task, *, on) -> list[MarkNote]`: what the task's page says about the task on `on`,
  whether it carries the mark or not (a cycle's next deadline, say).

The rule behind a mark lives in its app, in one module; this module only reads it.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from typing import Any, Protocol

from django.conf import settings
from django.db.models import Q
from django.utils.module_loading import import_string


@dataclasses.dataclass(frozen=True)
class MarkNote:
    """One line about a task on its page: a label and its text; an `alert` one also stands as a
    badge by the task's title (a missing report)."""

    key: str
    label: str
    text: str
    alert: bool = False


class TaskMark(Protocol):
    key: str
    label: Any
    filter_label: Any

    def q(self, on: datetime.date) -> Q: ...

    def notes(self, task, *, on: datetime.date) -> list[MarkNote]: ...


def task_marks() -> list[TaskMark]:
    """Return the marks `settings.TASK_MARKS` names, in that order."""
    return [import_string(path) for path in getattr(settings, "TASK_MARKS", ())]


def marks_among(task_ids: Iterable[int], *, on: datetime.date) -> dict[int, list[TaskMark]]:
    """Return {task id: its marks} for the tasks of one page: one read per mark."""
    from workplan.models import Task

    ids = list(task_ids)
    found: dict[int, list[TaskMark]] = {}
    if not ids:
        return found
    for mark in task_marks():
        for pk in Task.objects.filter(mark.q(on), pk__in=ids).values_list("pk", flat=True):
            found.setdefault(pk, []).append(mark)
    return found


def mark_notes(task, *, on: datetime.date) -> list[MarkNote]:
    """Return what every mark says about `task` on its page."""
    return [note for mark in task_marks() for note in mark.notes(task, on=on)]
