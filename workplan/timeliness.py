"""Timeliness: whether one task was, or is being, done on time. The rule every score builds on.

A task's timeliness on a given day (`today`):

- `on_time`: completed, on or before its due date (the date of `completed_at` in TIME_ZONE);
- `late`: completed after its due date, or still open with its due date before today;
- `pending`: still open and not yet due (due today or later): it cannot be judged yet;
- `undated`: no due date: it is never late and never on time.

The due date is the one in force when the task was completed: a completed task's deadline no
longer moves (`task_update` refuses it), so that is the task's due date now. A task extended
twice, then completed by its second new date, is on time; the extensions are counted apart
(`DeadlineExtension`). A completed task without `completed_at` (never the case for a task
completed through the services, which set it) is judged by its due date alone: on time.

Days late: for a task completed late, the calendar days from its due date to the day it was
completed; for an open late task, the days from its due date to today (as `Task.days_overdue`).

Two forms that must agree, as in `urgency.py`: `timeliness_of` (Python, a task in hand) and
`timeliness_q` / `days_late_expression` (SQL, for querysets). The department scores of the
leaders' overview (supervision/overview.py) and the task list's filter are built from them.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Case, DateField, DurationField, ExpressionWrapper, F, Q, Value, When
from django.db.models.functions import TruncDate
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workplan.models import TaskStatus


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("Completed on time")
    LATE = "late", _("Late (completed late or overdue)")
    COMPLETED_LATE = "completed_late", _("Completed late")
    PENDING = "pending", _("Not yet due")
    UNDATED = "undated", _("No due date")


def completed_on(completed_at: datetime.datetime | None) -> datetime.date | None:
    """Return the day (in TIME_ZONE) a task was completed."""
    if completed_at is None:
        return None
    return timezone.localdate(completed_at)


def timeliness_of(
    *,
    status: str,
    due_date: datetime.date | None,
    completed_at: datetime.datetime | None,
    today: datetime.date,
) -> Timeliness:
    """Return the timeliness of a task (the Python form). Never COMPLETED_LATE: that is LATE."""
    if due_date is None:
        return Timeliness.UNDATED
    if status == TaskStatus.COMPLETED:
        done = completed_on(completed_at)
        return Timeliness.ON_TIME if done is None or done <= due_date else Timeliness.LATE
    return Timeliness.LATE if due_date < today else Timeliness.PENDING


def days_late_of(
    *,
    status: str,
    due_date: datetime.date | None,
    completed_at: datetime.datetime | None,
    today: datetime.date,
) -> int:
    """Return the calendar days a task is or was late; 0 when it is not late."""
    if timeliness_of(status=status, due_date=due_date, completed_at=completed_at, today=today) != (
        Timeliness.LATE
    ):
        return 0
    assert due_date is not None  # noqa: S101 (a late task has one)
    done = completed_on(completed_at) if status == TaskStatus.COMPLETED else None
    return ((done or today) - due_date).days


def _completed_day(prefix: str = ""):
    # NULL for a task without `completed_at`: the comparison below is then not true (on time).
    return TruncDate(f"{prefix}completed_at", tzinfo=timezone.get_current_timezone())


def timeliness_q(value: str, *, today: datetime.date, prefix: str = "") -> Q:
    """Return the filter for the tasks of one timeliness (the SQL form of `timeliness_of`)."""
    status, due = f"{prefix}status", f"{prefix}due_date"
    completed = Q(**{status: TaskStatus.COMPLETED})
    dated = Q(**{f"{due}__isnull": False})
    if value == Timeliness.UNDATED:
        return Q(**{f"{due}__isnull": True})
    done_late = Q(GreaterThan(_completed_day(prefix), F(due)))
    if value == Timeliness.ON_TIME:
        # Spelled out for a NULL `completed_at`, where NOT (NULL > due) is not true in SQL.
        no_day = Q(**{f"{prefix}completed_at__isnull": True})
        return dated & completed & (no_day | ~done_late)
    if value == Timeliness.COMPLETED_LATE:
        return dated & completed & done_late
    if value == Timeliness.LATE:
        return dated & ((completed & done_late) | (~completed & Q(**{f"{due}__lt": today})))
    if value == Timeliness.PENDING:
        return dated & ~completed & Q(**{f"{due}__gte": today})
    raise ValueError(f"Unknown timeliness {value!r}")


def days_late_expression(*, today: datetime.date):
    """Return, per task row, the days it is or was late (0 when not late): the SQL form."""
    late_completed = timeliness_q(Timeliness.COMPLETED_LATE, today=today)
    overdue_open = ~Q(status=TaskStatus.COMPLETED) & Q(due_date__lt=today)
    return Case(
        When(
            late_completed,
            then=ExpressionWrapper(_completed_day() - F("due_date"), output_field=DurationField()),
        ),
        When(
            overdue_open,
            then=ExpressionWrapper(
                Value(today, output_field=DateField()) - F("due_date"), output_field=DurationField()
            ),
        ),
        default=Value(datetime.timedelta(0)),
        output_field=DurationField(),
    )
