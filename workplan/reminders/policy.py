"""The reminder policy: on a date, who is reminded of which tasks. Plain reads, no side effects.

- Only on working days (workplan.calendar): holidays send nothing, make-up weekends do.
- A task owner gets one digest: their open tasks overdue (due before the date) and due within
  REMINDER_DUE_SOON_DAYS working days, the date itself counted as the first.
- A supervisor gets one escalation: the open tasks in the areas they supervise that are overdue
  by REMINDER_ESCALATE_AFTER_DAYS working days or more (working days after the due date, up to
  and including the date).
- The apps above the plan add their own lists to the digest (workplan/reminders/sections.py);
  whoever a section names gets a digest, tasks or not.
- Inactive recipients and recipients without an email are planned too, marked with the reason
  they are skipped, so the log shows that nobody was forgotten.

The whole plan costs a fixed number of queries (three, and one per digest section plus one for
the recipients that only sections name), whatever the number of tasks.
"""

import dataclasses
import datetime
from typing import cast

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from workplan.calendar import WorkingCalendar
from workplan.models import ReminderKind, Task, TaskStatus
from workplan.reminders.sections import digest_sections
from workplan.urgency import urgency_window

SKIP_INACTIVE = _("The recipient's account is inactive.")
SKIP_NO_EMAIL = _("The recipient has no email address.")


@dataclasses.dataclass
class PlannedReminder:
    recipient_id: int
    kind: str
    overdue_task_ids: list[int] = dataclasses.field(default_factory=list)
    due_soon_task_ids: list[int] = dataclasses.field(default_factory=list)
    sections: dict[str, list[int]] = dataclasses.field(default_factory=dict)
    skip_reason: str = ""


@dataclasses.dataclass(frozen=True)
class ReminderWindow:
    """The dates that decide what a digest on `date` holds."""

    date: datetime.date
    is_working_day: bool
    due_soon_until: datetime.date
    escalate_due_before: datetime.date


def reminder_window(date: datetime.date, *, calendar: WorkingCalendar | None = None):
    calendar = calendar or WorkingCalendar(date)
    return ReminderWindow(
        date=date,
        is_working_day=calendar.is_working_day(date),
        # "Due soon" is the portal's own rule (workplan.urgency), counted on the same calendar.
        due_soon_until=urgency_window(date, calendar=calendar).due_soon_until,
        escalate_due_before=calendar.nth_working_day(
            date, settings.REMINDER_ESCALATE_AFTER_DAYS, forward=False
        ),
    )


def _skip_reason(is_active: bool, email: str) -> str:
    if not is_active:
        return str(SKIP_INACTIVE)
    if not (email or "").strip():
        return str(SKIP_NO_EMAIL)
    return ""


def reminders_for(date: datetime.date) -> list[PlannedReminder]:
    """Return every digest and escalation due on `date`; none on a day off."""
    window = reminder_window(date)
    if not window.is_working_day:
        return []
    open_tasks = Task.objects.exclude(status=TaskStatus.COMPLETED).filter(due_date__isnull=False)

    digests: dict[int, PlannedReminder] = {}
    owner_rows = (
        open_tasks.filter(owner__isnull=False, due_date__lte=window.due_soon_until)
        .order_by("due_date", "pk")
        .values_list("pk", "due_date", "owner_id", "owner__is_active", "owner__email")
    )
    for task_id, due_date, owner_id, is_active, email in owner_rows:
        digest = digests.get(owner_id)
        if digest is None:
            digest = digests[owner_id] = PlannedReminder(
                owner_id, ReminderKind.DIGEST, skip_reason=_skip_reason(is_active, email)
            )
        # Every row of open_tasks has a due date, though the column allows none.
        if cast(datetime.date, due_date) < date:
            digest.overdue_task_ids.append(task_id)
        else:
            digest.due_soon_task_ids.append(task_id)
    _add_sections(digests, date)

    escalations: dict[int, PlannedReminder] = {}
    supervisor_rows = (
        open_tasks.filter(due_date__lt=window.escalate_due_before, area__supervisors__isnull=False)
        .order_by("area__number", "owner_id", "due_date", "pk")
        .values_list(
            "pk",
            "area__supervisors",
            "area__supervisors__is_active",
            "area__supervisors__email",
        )
    )
    for task_id, supervisor_id, is_active, email in supervisor_rows:
        escalation = escalations.get(supervisor_id)
        if escalation is None:
            escalation = escalations[supervisor_id] = PlannedReminder(
                supervisor_id, ReminderKind.ESCALATION, skip_reason=_skip_reason(is_active, email)
            )
        escalation.overdue_task_ids.append(task_id)

    return [*digests.values(), *escalations.values()]


def _add_sections(digests: dict[int, PlannedReminder], date: datetime.date) -> None:
    """Add each digest section's lists, planning a digest for whoever has no task in it."""
    named: dict[str, dict[int, list[int]]] = {}
    for section in digest_sections():
        named[section.key] = {who: ids for who, ids in section.plan(date).items() if ids}
    newcomers = {who for plan in named.values() for who in plan} - digests.keys()
    if newcomers:
        rows = User.objects.filter(pk__in=newcomers).values_list("pk", "is_active", "email")
        for user_id, is_active, email in rows.order_by("pk"):
            digests[user_id] = PlannedReminder(
                user_id, ReminderKind.DIGEST, skip_reason=_skip_reason(is_active, email)
            )
    for key, plan in named.items():
        for user_id, ids in plan.items():
            if user_id in digests:  # a deleted user is nobody's recipient
                digests[user_id].sections[key] = list(ids)


def parse_reminder_date(value: str | datetime.date | None) -> datetime.date:
    """Return the date a run is for: `value` as YYYY-MM-DD, or today in TIME_ZONE."""
    from workplan.models import today

    if value is None or value == "":
        return today()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise ValueError(
            f"Invalid date {value!r}: write it as YYYY-MM-DD, for example 2024-02-18."
        ) from None
