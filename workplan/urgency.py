"""Urgency: the one rule that gives every task its traffic light.

Every task has exactly one urgency on a given day:

- `done`: its status is completed;
- `overdue`: not completed, and its due date is before today;
- `due_soon`: not completed, due today or within REMINDER_DUE_SOON_DAYS working days of the
  Chinese calendar, today counted as the first (the count the reminders use);
- `on_track`: everything else, a task without a due date included.

`blocked` is a status, never an urgency. The rule has two forms that must agree: the Python
one (`UrgencyWindow.of`) for a task in hand, and the SQL ones (`UrgencyWindow.q` to filter,
`UrgencyWindow.case` to annotate, `URGENCY_ORDER` to sort) for querysets. Both are built from
one `UrgencyWindow`: today and the last due date that is still "due soon". Portal pages,
dashboard counts, the admin's list, filters and index, the digests, the calendar feed and the
API all ask this module; none keeps a copy of the rule.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from workplan.calendar import WorkingCalendar
from workplan.models import TaskStatus, today


class Urgency(models.TextChoices):
    """The urgencies, most urgent first."""

    OVERDUE = "overdue", _("Overdue")
    DUE_SOON = "due_soon", _("Due soon")
    ON_TRACK = "on_track", _("On track")
    DONE = "done", _("Done")


# The colour of each urgency's traffic light, and its place in "most urgent first".
LIGHTS = {
    Urgency.OVERDUE: "red",
    Urgency.DUE_SOON: "amber",
    Urgency.ON_TRACK: "green",
    Urgency.DONE: "grey",
}
RANKS = {urgency: rank for rank, urgency in enumerate(Urgency)}

# "Most urgent first" as a sort an index serves (task_urgency_order_idx): open tasks by due date
# (overdue, then due soon, then on track, no due date last), then completed ones. It is the
# order of the urgencies, then due date, without a CASE over today's date that no index holds.
URGENCY_ORDER = (
    Case(When(status=TaskStatus.COMPLETED, then=Value(1)), default=Value(0)).asc(),
    # NULLS LAST is PostgreSQL's own order for ASC (so the index still serves it); SQLite
    # needs to be told.
    F("due_date").asc(nulls_last=True),
    "pk",
)


@dataclasses.dataclass(frozen=True)
class UrgencyWindow:
    """The two dates that decide every task's urgency on `today`."""

    today: datetime.date
    # The last due date that is still "due soon" (never before today).
    due_soon_until: datetime.date

    def of(self, *, status: str, due_date: datetime.date | None) -> Urgency:
        """Return the urgency of a task with this status and due date (the Python form)."""
        if status == TaskStatus.COMPLETED:
            return Urgency.DONE
        if due_date is None:
            return Urgency.ON_TRACK
        if due_date < self.today:
            return Urgency.OVERDUE
        if due_date <= self.due_soon_until:
            return Urgency.DUE_SOON
        return Urgency.ON_TRACK

    def of_task(self, task) -> Urgency:
        return self.of(status=task.status, due_date=task.due_date)

    def q(self, urgency: str, prefix: str = "") -> Q:
        """Return the filter for the tasks of one urgency (the SQL form of `of`).

        `prefix` reaches the task from another model (`"task__"` from a progress report).
        """
        status, due = f"{prefix}status", f"{prefix}due_date"
        open_ = ~Q(**{status: TaskStatus.COMPLETED})
        if urgency == Urgency.DONE:
            return Q(**{status: TaskStatus.COMPLETED})
        if urgency == Urgency.OVERDUE:
            return open_ & Q(**{f"{due}__lt": self.today})
        if urgency == Urgency.DUE_SOON:
            return open_ & Q(**{f"{due}__gte": self.today, f"{due}__lte": self.due_soon_until})
        if urgency == Urgency.ON_TRACK:
            return open_ & (
                Q(**{f"{due}__isnull": True}) | Q(**{f"{due}__gt": self.due_soon_until})
            )
        raise ValueError(f"Unknown urgency {urgency!r}")

    def case(self) -> Case:
        """Return an expression that annotates each task with its urgency (the SQL form)."""
        return Case(
            *(When(self.q(urgency), then=Value(urgency.value)) for urgency in Urgency),
            default=Value(Urgency.ON_TRACK.value),
            output_field=models.CharField(),
        )


def urgency_window(
    on: datetime.date | None = None, *, calendar: WorkingCalendar | None = None
) -> UrgencyWindow:
    """Return the urgency window of `on` (default today in TIME_ZONE), counted in working days."""
    on = on or today()
    days = settings.REMINDER_DUE_SOON_DAYS
    if days <= 0:
        return UrgencyWindow(today=on, due_soon_until=on)
    calendar = calendar or WorkingCalendar(on, span_days=max(days * 3, 31))
    return UrgencyWindow(today=on, due_soon_until=max(on, calendar.nth_working_day(on, days)))


def urgency_of(task, window: UrgencyWindow | None = None) -> Urgency:
    """Return the urgency of `task` today (or in `window`)."""
    return (window or urgency_window()).of_task(task)
