"""Report cycles: the one rule for deadlines, "report missing" and reports on time.

A task is covered by its own `ReportCycle` or, without one, by its area's; the task's own wins
even when inactive (an inactive own cycle exempts the task). An active cycle owes a report by
each deadline after its start date:

- its nominal dates: weekly, that weekday of every week; monthly, that day of every month, or
  the month's last day when the month is shorter (day 31 in a 30-day month is the 30th);
- each deadline is its nominal date, moved to the next working day when that is a day off
  (workplan/calendar.py: the Chinese calendar with its make-up working days, then the admin's
  overrides); two nominal dates moved onto one working day make one deadline;
- a deadline's period runs from the day after the previous deadline to the deadline itself;
- a deadline is owed by a covered task that is not completed (or was completed after it) and
  whose start date, if any, is not after it.

A progress report counts for a period when it was submitted (`created_at`, in TIME_ZONE) within
it, whatever its review: a returned report was still sent on time; its content is the
review's matter, not the cycle's.

- **report missing** (on `today`): the task is not completed, the latest deadline before today
  is owed and the task has no report submitted since that deadline's period began. A late
  report ends "report missing" (the official has reported), but the period stays late in the
  department's figure.
- **reports on time (%)** of a department over [start, end]: of the deadlines in that range owed
  by the tasks it leads, the share with a report within the period (`report_cycle_scores`).

Two forms that must agree, side by side: Python (`ReportStatus.of_task`, for a task in hand) and
SQL (`missing_q`, `report_cycle_scores`). Both get their dates from one `CycleCalendar`. The SQL
is one condition per schedule (weekday or day of month) in use: at most 38, whatever the number
of tasks, cycles or reports.
"""

from __future__ import annotations

import calendar as month_calendar
import dataclasses
import datetime
from collections.abc import Iterable

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from supervision.models import Frequency, ReportCycle
from workplan.calendar import WorkingCalendar
from workplan.models import ProgressReport, Task, TaskStatus, today

ONE_DAY = datetime.timedelta(days=1)
# How far back and ahead deadlines are looked for around a day: a month and its moved deadline
# (the longest holiday is 8 days), twice.
REACH = datetime.timedelta(days=75)


@dataclasses.dataclass(frozen=True)
class Schedule:
    """When a cycle's reports fall due: `weekday` (0 = Monday) or `day_of_month` (1..31)."""

    frequency: str
    day: int

    @classmethod
    def of(cls, cycle: ReportCycle) -> Schedule:
        return cls.of_fields(cycle.frequency, cycle.weekday, cycle.day_of_month)

    @classmethod
    def of_fields(cls, frequency: str, weekday: int | None, day_of_month: int | None) -> Schedule:
        day = weekday if frequency == Frequency.WEEKLY else day_of_month
        if day is None:  # the model's constraint keeps this from happening
            raise ValueError(f"A {frequency} cycle without its day")
        return cls(frequency, day)

    def nominal_dates(self, start: datetime.date, end: datetime.date) -> list[datetime.date]:
        """Return the nominal due dates in [start, end], before any move to a working day."""
        dates = []
        if self.frequency == Frequency.WEEKLY:
            day = start + datetime.timedelta(days=(self.day - start.weekday()) % 7)
            while day <= end:
                dates.append(day)
                day += datetime.timedelta(days=7)
            return dates
        year, month = start.year, start.month
        while (year, month) <= (end.year, end.month):
            last = month_calendar.monthrange(year, month)[1]
            day = datetime.date(year, month, min(self.day, last))
            if start <= day <= end:
                dates.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return dates

    def q(self, prefix: str = "") -> Q:
        """Return the filter for the cycles on this schedule (`prefix` reaches the cycle)."""
        field = "weekday" if self.frequency == Frequency.WEEKLY else "day_of_month"
        return Q(**{f"{prefix}frequency": self.frequency, f"{prefix}{field}": self.day})


@dataclasses.dataclass(frozen=True)
class Period:
    """One deadline and the first day of its period (the day after the deadline before)."""

    first_day: datetime.date
    deadline: datetime.date


class CycleCalendar:
    """Deadlines of schedules between two dates, from one read of the working-day overrides."""

    def __init__(self, start: datetime.date, end: datetime.date):
        self.start, self.end = start - REACH, end + REACH
        self._working: WorkingCalendar | None = None
        self._periods: dict[Schedule, list[Period]] = {}

    @property
    def working(self) -> WorkingCalendar:
        # Read on first use: a page with no cycle in use never asks for working days.
        if self._working is None:
            middle = self.start + (self.end - self.start) / 2
            span = (self.end - self.start).days // 2 + 1
            self._working = WorkingCalendar(middle, span_days=span)
        return self._working

    def deadline(self, nominal: datetime.date) -> datetime.date:
        """Return the deadline of a nominal date: itself, or the next working day."""
        return self.working.nth_working_day(nominal, 1)

    def periods(self, schedule: Schedule) -> list[Period]:
        """Return the schedule's periods whose deadlines fall within the calendar's reach."""
        if schedule not in self._periods:
            deadlines = sorted(
                {self.deadline(day) for day in schedule.nominal_dates(self.start, self.end)}
            )
            self._periods[schedule] = [
                Period(first_day=previous + ONE_DAY, deadline=deadline)
                for previous, deadline in zip(deadlines, deadlines[1:], strict=False)
            ]
        return self._periods[schedule]

    def last_passed(self, schedule: Schedule, on: datetime.date) -> Period | None:
        """Return the period of the latest deadline before `on`."""
        passed = [period for period in self.periods(schedule) if period.deadline < on]
        return passed[-1] if passed else None

    def next_deadline(self, schedule: Schedule, on: datetime.date) -> datetime.date | None:
        """Return the first deadline on or after `on`."""
        return next(
            (period.deadline for period in self.periods(schedule) if period.deadline >= on), None
        )

    def between(self, schedule: Schedule, start: datetime.date, end: datetime.date):
        """Return the schedule's periods whose deadlines fall in [start, end]."""
        return [period for period in self.periods(schedule) if start <= period.deadline <= end]


def cycle_for(task: Task) -> ReportCycle | None:
    """Return the cycle that covers `task`: its own or else its area's (one query)."""
    cycles = {
        "task" if cycle.task_id else "area": cycle
        for cycle in ReportCycle.objects.filter(Q(task=task) | Q(area_id=task.area_id))
    }
    return cycles.get("task") or cycles.get("area")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _owes(task: Task, cycle: ReportCycle, deadline: datetime.date) -> bool:
    completed = task.status == TaskStatus.COMPLETED and (
        task.completed_at is None or timezone.localdate(task.completed_at) <= deadline
    )
    return (
        cycle.active
        and cycle.start_date < deadline
        and (task.start_date is None or task.start_date <= deadline)
        and not completed
    )


@dataclasses.dataclass(frozen=True)
class ReportStatus:
    """A covered task's reporting on a day: its cycle, the last deadline passed, the next."""

    cycle: ReportCycle
    last: Period | None  # the latest deadline before the day, if owed
    next_deadline: datetime.date | None
    missing: bool

    @classmethod
    def of_task(
        cls,
        task: Task,
        *,
        on: datetime.date | None = None,
        cycle: ReportCycle | None = None,
        reports: Iterable[ProgressReport] | None = None,
        calendar: CycleCalendar | None = None,
    ) -> ReportStatus | None:
        """Return the report status of `task` on `on` (default today); None if not covered.

        The Python form of the rule. `cycle` (default `cycle_for(task)`) and `reports`
        (default the task's, prefetched ones are used) save queries.
        """
        on = on or today()
        cycle = cycle if cycle is not None else cycle_for(task)
        if cycle is None or not cycle.active:
            return None
        calendar = calendar or CycleCalendar(on, on)
        schedule = Schedule.of(cycle)
        last = calendar.last_passed(schedule, on)
        next_deadline = calendar.next_deadline(schedule, max(on, cycle.start_date + ONE_DAY))
        if last is None or not _owes(task, cycle, last.deadline):
            return cls(cycle=cycle, last=None, next_deadline=next_deadline, missing=False)
        reports = task.reports.all() if reports is None else reports
        since = _day_start(last.first_day)
        reported = any(report.created_at >= since for report in reports)
        missing = not reported and task.status != TaskStatus.COMPLETED
        return cls(cycle=cycle, last=last, next_deadline=next_deadline, missing=missing)


# The SQL form. A task's effective cycle is its own, else its area's: a task has its own when
# the join to its cycle finds a row.
def _own(field: str) -> Case:
    return Case(
        When(report_cycle__isnull=False, then=F(f"report_cycle__{field}")),
        default=F(f"area__report_cycle__{field}"),
    )


def with_cycle(queryset: QuerySet) -> QuerySet:
    """Annotate tasks with their effective cycle's fields (`cycle_*`), own first, then area's."""
    return queryset.annotate(
        cycle_active=_own("active"),
        cycle_frequency=_own("frequency"),
        cycle_weekday=_own("weekday"),
        cycle_day_of_month=_own("day_of_month"),
        cycle_start_date=_own("start_date"),
    )


def schedules_in_use() -> list[Schedule]:
    """Return the schedules of the active cycles (at most 7 weekly and 31 monthly)."""
    rows = (
        ReportCycle.objects.filter(active=True)
        .order_by()
        .values_list("frequency", "weekday", "day_of_month")
        .distinct()
    )
    return sorted(
        {Schedule.of_fields(*row) for row in rows},
        key=lambda schedule: (schedule.frequency, schedule.day),
    )


def _owes_q(deadline: datetime.date) -> Q:
    """Tasks (annotated by `with_cycle`) that owe a report by `deadline` (as `_owes`)."""
    completed_by = Q(status=TaskStatus.COMPLETED) & (
        Q(completed_at__isnull=True) | Q(completed_at__lt=_day_start(deadline + ONE_DAY))
    )
    return (
        Q(cycle_active=True, cycle_start_date__lt=deadline)
        & (Q(start_date__isnull=True) | Q(start_date__lte=deadline))
        & ~completed_by
    )


def _schedule_q(schedule: Schedule) -> Q:
    field = "cycle_weekday" if schedule.frequency == Frequency.WEEKLY else "cycle_day_of_month"
    return Q(cycle_frequency=schedule.frequency, **{field: schedule.day})


def missing_tasks(on: datetime.date | None = None, *, calendar: CycleCalendar | None = None):
    """Return the tasks whose report is missing on `on` (default today): the SQL form.

    Each covered task is given the first moment of its last passed period (`period_start`, by
    its schedule) and kept if no report was submitted since: one anti-join with the reports,
    which PostgreSQL runs as a single pass, instead of one subquery per schedule.
    """
    on = on or today()
    calendar = calendar or CycleCalendar(on, on)
    starts = []
    for schedule in schedules_in_use():
        last = calendar.last_passed(schedule, on)
        if last is not None:
            condition = _schedule_q(schedule) & _owes_q(last.deadline)
            starts.append(When(condition, then=Value(_day_start(last.first_day))))
    if not starts:
        return Task.objects.none()
    reported = ProgressReport.objects.filter(
        task=OuterRef("pk"), created_at__gte=OuterRef("period_start")
    )
    return (
        with_cycle(Task.objects.exclude(status=TaskStatus.COMPLETED))
        .annotate(period_start=Case(*starts, default=None, output_field=DateTimeField()))
        .filter(period_start__isnull=False)
        .filter(~Exists(reported))
    )


def missing_q(on: datetime.date | None = None) -> Q:
    """Return the filter for tasks whose report is missing on `on` (default today)."""
    return Q(pk__in=missing_tasks(on).values("pk"))


def last_deadline(task_ids: Iterable[int], on: datetime.date | None = None) -> dict:
    """Return {task id: the latest deadline before `on`} for covered tasks among `task_ids`."""
    on = on or today()
    calendar = CycleCalendar(on, on)
    rows = (
        with_cycle(Task.objects.filter(pk__in=list(task_ids)))
        .filter(cycle_active=True)
        .values_list("pk", "cycle_frequency", "cycle_weekday", "cycle_day_of_month")
    )
    deadlines = {}
    for pk, frequency, weekday, day_of_month in rows:
        schedule = Schedule.of_fields(frequency, weekday, day_of_month)
        last = calendar.last_passed(schedule, on)
        if last is not None:
            deadlines[pk] = last.deadline
    return deadlines


def report_cycle_scores(
    start: datetime.date, end: datetime.date, *, tasks: QuerySet | None = None
) -> dict[int, tuple[int, int]]:
    """Return {lead department id: (deadlines owed, reported on time)} for [start, end].

    "Reports on time (%)" of a department is 100 * on_time / due: of the cycle deadlines in the
    range that have passed (before today) owed by the tasks it leads, the share with a report
    submitted within its period. `tasks` narrows the tasks counted (default all). A department
    with no deadline owed is left out. Two queries per schedule in use (at most 38), whatever
    the number of tasks and reports.
    """
    end = min(end, today() - ONE_DAY)
    if end < start:
        return {}
    scores: dict[int, list[int]] = {}
    calendar = CycleCalendar(start, end)
    base = with_cycle(Task.objects.all() if tasks is None else tasks).filter(
        lead_department__isnull=False, cycle_active=True
    )
    for schedule in schedules_in_use():
        periods = calendar.between(schedule, start, end)
        if not periods:
            continue
        covered = base.filter(_schedule_q(schedule)).order_by()
        owed = sum((Count("pk", filter=_owes_q(p.deadline)) for p in periods), start=Value(0))
        for row in covered.values("lead_department_id").annotate(due=owed):
            scores.setdefault(row["lead_department_id"], [0, 0])[0] += row["due"]
        # Each report falls in at most one period; one per task and period is counted, as a
        # distinct (task, period) number, if the task owed that period's report.
        period_of = Case(
            *(
                When(
                    Q(
                        reports__created_at__gte=_day_start(period.first_day),
                        reports__created_at__lt=_day_start(period.deadline + ONE_DAY),
                    )
                    & _owes_q(period.deadline),
                    then=Value(index),
                )
                for index, period in enumerate(periods)
            ),
            default=Value(None),
            output_field=IntegerField(),
        )
        reported = (
            covered.filter(
                reports__created_at__gte=_day_start(periods[0].first_day),
                reports__created_at__lt=_day_start(periods[-1].deadline + ONE_DAY),
            )
            .annotate(period=period_of)
            .values("lead_department_id")
            .annotate(
                on_time=Count(
                    F("pk") * len(periods) + F("period"),
                    filter=Q(period__isnull=False),
                    distinct=True,
                )
            )
        )
        for row in reported:
            scores.setdefault(row["lead_department_id"], [0, 0])[1] += row["on_time"]
    return {department: (due, on_time) for department, (due, on_time) in scores.items()}


__all__ = [
    "CycleCalendar",
    "Period",
    "ReportStatus",
    "Schedule",
    "cycle_for",
    "last_deadline",
    "missing_q",
    "missing_tasks",
    "report_cycle_scores",
    "schedules_in_use",
    "with_cycle",
]
