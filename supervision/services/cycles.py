"""Writes of report cycles: set, change and remove a cycle; record and notify missed reports."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.models import NotificationKind
from notifications.services import notification_send
from supervision.cycles import last_deadline, missing_tasks
from supervision.models import MissedReport, ReportCycle
from workplan import caching
from workplan.models import Area, Task, today
from workplan.permissions import can_supervise_area


def _area_of(cycle: ReportCycle) -> Area | None:
    if cycle.task_id:
        return Task.objects.select_related("area").get(pk=cycle.task_id).area
    if cycle.area_id:
        return cycle.area
    return None


def _check_may_set(cycle: ReportCycle, user) -> None:
    area = _area_of(cycle)
    if area is not None and not can_supervise_area(user, area):
        raise PermissionDenied(
            _("Only a supervisor of the area or an admin may set its report cycles.")
        )


@transaction.atomic
def report_cycle_save(*, cycle: ReportCycle, user) -> ReportCycle:
    """Create or change `cycle` as `user`, a supervisor of its area or an admin.

    A cycle on a task replaces its area's for that task; the task list's counts are renewed,
    since "report missing" reads the cycles.
    """
    _check_may_set(cycle, user)
    if cycle.pk is not None:
        # The area (or task) it held before must be one the user may change too.
        _check_may_set(ReportCycle.objects.select_for_update().get(pk=cycle.pk), user)
    cycle.full_clean()
    cycle._history_user = user
    cycle.save()
    caching.tasks_changed()
    return cycle


@transaction.atomic
def report_cycle_delete(*, cycle: ReportCycle, user) -> None:
    """Remove `cycle`; its tasks owe no periodic report any more (their area's, if any)."""
    _check_may_set(cycle, user)
    cycle._history_user = user
    cycle.delete()
    caching.tasks_changed()


def missed_reports_record(*, on: datetime.date | None = None) -> list[MissedReport]:
    """Record each task whose report is missing on `on` (default today), once per deadline.

    Each new record and its owner's notification (report_missing) commit together, one task at
    a time, so the notice goes out exactly once: a record that exists already (an earlier run,
    a retry, a run in parallel) is neither made nor notified again. The notice is not mailed:
    the owner's daily digest lists the missing report in its own section, in the same mail as
    the rest of their work. Return the new records.
    """
    on = on or today()
    missing = list(missing_tasks(on).select_related("owner").order_by("pk"))
    deadlines = last_deadline([task.pk for task in missing], on)
    known = set(MissedReport.objects.filter(task__in=missing).values_list("task_id", "deadline"))
    created = []
    for task in missing:
        deadline = deadlines.get(task.pk)
        if deadline is None or (task.pk, deadline) in known:
            continue
        try:
            created.append(_missed_report_record(task=task, deadline=deadline))
        except IntegrityError:
            continue  # recorded (and notified) by a run in parallel
    return created


@transaction.atomic
def _missed_report_record(*, task: Task, deadline: datetime.date) -> MissedReport:
    record = MissedReport.objects.create(task=task, deadline=deadline, owner=task.owner)
    if task.owner is not None:
        notification_send(
            recipient=task.owner,
            kind=NotificationKind.REPORT_MISSING,
            url=reverse("workplan:task_detail", args=[task.pk]),
            params={"task": task.title, "task_zh": task.title_zh, "date": deadline.isoformat()},
            mail=False,
        )
    return record
