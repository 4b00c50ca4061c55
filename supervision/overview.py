"""The leaders' overview: every score, defined once, in its SQL and its Python form side by side.

The page (`/overview/`), the supervision report (.docx, .pdf, the monthly mail) and the API read
their figures here and nowhere else, so they show the same numbers.

Definitions (also in the README, "Overview for leaders"):

- **A period** is a span of days, `start` to `end` inclusive (this month, this quarter, this
  year, or custom). **A task belongs to a period when its due date falls in it**: the due date
  in force now, which for a completed task is the one in force when it was completed (a
  completed task's deadline no longer moves). A task without a due date belongs to no period;
  it is never on time and never late.
- **Tasks led**: the tasks of the period whose lead department is the department (the tasks it
  only supports are not counted).
- **On time / late** is the rule of `workplan/timeliness.py`: completed on or before the due
  date is on time; completed after it, or open past it, is late; open and not yet due is not
  judged yet. A task extended twice and completed by its last date is on time: the extension
  moved the yardstick, and the extensions are counted in their own column.
- **Completed on time (%)**: on-time tasks / (on-time + late tasks) of the period, one decimal;
  "—" when no task of the period can be judged yet.
- **Overdue now**: the tasks of the period that are open and past their due date today.
- **Average days late**: the calendar days late of the period's late tasks (to the day a task
  was completed, or to today for an open one), averaged; "—" without a late task.
- **Extensions granted**: the deadline extensions recorded (`DeadlineExtension`) on the
  period's tasks; a task extended twice counts twice.
- **Reports on time (%)**: of the report-cycle deadlines in the period that have passed, owed
  by the tasks the department leads (whatever their due date; `supervision/cycles.py` says which
  task owes which deadline), the share with a progress report submitted within the deadline's
  period; one decimal; "—" when nothing was due.
- **Open urge notices**: the urge rows (one per notice and task) on the tasks the department
  leads, sent by the period's end and not replied today: state "sent" or "acknowledged" (an
  acknowledged notice still waits for its reply); "replied" is closed. 0 when none.
- **The report's instructions**: those open today and those closed in the period, in the
  reader's areas, each with its leader, task or area, date, response date and answers.
- **The ranking**: by completed-on-time rate (highest first, "—" last), then fewer overdue
  tasks, then fewer average days late, then name.
- **Completion by area** is the weighted completion the dashboard shows (approved progress of
  top-level tasks, weighted): today's state, not the period's; the other area figures follow the
  period.

The SQL forms (`department_counts`, `area_counts`, `extension_counts`, `open_urges_q`,
`report_cycle_scores`) read a few grouped rows whatever the number of tasks; the Python forms
(`department_score_of`, `open_urges_of`, `cycles.ReportStatus`) compute the same from rows in
hand, and the tests hold the two to each other.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from supervision.cycles import report_cycle_scores
from supervision.models import (
    Instruction,
    InstructionAnswer,
    InstructionState,
    UrgeRecipient,
    UrgeState,
)
from workplan import caching
from workplan.models import (
    Area,
    DeadlineExtension,
    Indicator,
    IndicatorReading,
    Plan,
    Task,
    TaskStatus,
    reads_chinese,
    today,
)
from workplan.permissions import reads_everything, visible_areas, visible_tasks
from workplan.selectors import with_completion_sums
from workplan.timeliness import (
    Timeliness,
    days_late_expression,
    days_late_of,
    timeliness_of,
    timeliness_q,
)

ONE_DECIMAL = Decimal("0.1")
# The longest custom period: a report over more than this is an archive, not a report.
MAX_PERIOD_DAYS = 3 * 366
# The report lists this many overdue tasks, most days late first, and counts the rest.
OVERDUE_LIST_LENGTH = 100


# -- The period -------------------------------------------------------------------------------


class PeriodKind:
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CUSTOM = "custom"

    choices = [
        (MONTH, _("This month")),
        (QUARTER, _("This quarter")),
        (YEAR, _("This year")),
        (CUSTOM, _("Custom")),
    ]


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    kind: str = PeriodKind.CUSTOM

    @property
    def key(self) -> str:
        return f"{self.start.isoformat()}:{self.end.isoformat()}"

    def query(self) -> str:
        """The period as the overview's and the report's query string."""
        return f"start={self.start.isoformat()}&end={self.end.isoformat()}"


def month_of(day: datetime.date) -> Period:
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(day.replace(day=1), day.replace(day=last), PeriodKind.MONTH)


def previous_month(day: datetime.date) -> Period:
    """Return the calendar month before the one `day` is in (the monthly report's)."""
    return month_of(day.replace(day=1) - datetime.timedelta(days=1))


def period_of(
    kind: str,
    *,
    on: datetime.date,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Period:
    """Return the period of `kind` around `on`; for a custom one, check `start` and `end`."""
    if kind == PeriodKind.MONTH:
        return month_of(on)
    if kind == PeriodKind.QUARTER:
        first_month = 3 * ((on.month - 1) // 3) + 1
        last_month = first_month + 2
        last = calendar.monthrange(on.year, last_month)[1]
        return Period(
            datetime.date(on.year, first_month, 1),
            datetime.date(on.year, last_month, last),
            PeriodKind.QUARTER,
        )
    if kind == PeriodKind.YEAR:
        return Period(datetime.date(on.year, 1, 1), datetime.date(on.year, 12, 31), kind)
    errors = {}
    if start is None:
        errors["start"] = _("Give the first day of the period (YYYY-MM-DD).")
    if end is None:
        errors["end"] = _("Give the last day of the period (YYYY-MM-DD).")
    if errors:
        raise ValidationError(errors)
    assert start is not None and end is not None  # noqa: S101 (checked above)
    if end < start:
        raise ValidationError(
            {"end": _("The period ends before it starts: choose an end on or after %(start)s.")
             % {"start": start.isoformat()}}
        )  # fmt: skip
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise ValidationError({"end": _("Choose a period of at most three years.")})
    return Period(start, end, PeriodKind.CUSTOM)


# -- Scores: the Python form ------------------------------------------------------------------


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def _average(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


@dataclass
class Counts:
    """The counts a department's or an area's scores are made of, over one period's tasks."""

    tasks: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    days_late: int = 0  # summed over the late tasks
    extensions: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        """Completed on time, as a percentage of the tasks that can be judged."""
        return _percent(self.on_time, self.on_time + self.late)

    @property
    def average_days_late(self) -> Decimal | None:
        return _average(self.days_late, self.late)

    def add(self, other: Counts) -> None:
        for name in ("tasks", "on_time", "late", "overdue", "days_late", "extensions"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def counts_of(tasks: Iterable[Task], *, on: datetime.date) -> Counts:
    """Return the counts of tasks in hand (the Python form of the grouped queries below).

    `task.extension_count` is used when the task has it, else its extensions are counted.
    """
    counts = Counts()
    for task in tasks:
        if task.due_date is None:
            continue
        status, due, completed_at = task.status, task.due_date, task.completed_at
        timeliness = timeliness_of(status=status, due_date=due, completed_at=completed_at, today=on)
        counts.tasks += 1
        counts.on_time += timeliness == Timeliness.ON_TIME
        if timeliness == Timeliness.LATE:
            counts.late += 1
            counts.days_late += days_late_of(
                status=status, due_date=due, completed_at=completed_at, today=on
            )
            counts.overdue += task.is_open
        extensions = getattr(task, "extension_count", None)
        counts.extensions += task.extensions.count() if extensions is None else extensions
    return counts


def department_score_of(tasks: Iterable[Task], *, on: datetime.date) -> Counts:
    """Return one department's counts from the period's tasks it leads (the Python form)."""
    return counts_of(tasks, on=on)


# -- Scores: the SQL form ---------------------------------------------------------------------


def period_tasks(user, period: Period):
    """Return the tasks of `period` that `user` may see: the set every figure is counted over."""
    return visible_tasks(user, Task.objects.all()).filter(
        due_date__gte=period.start, due_date__lte=period.end
    )


def _grouped_counts(tasks, by: tuple[str, ...], *, on: datetime.date) -> dict[tuple, Counts]:
    rows = (
        tasks.order_by()
        .values(*by)
        .annotate(
            n=Count("pk"),
            on_time=Count("pk", filter=timeliness_q(Timeliness.ON_TIME, today=on)),
            late=Count("pk", filter=timeliness_q(Timeliness.LATE, today=on)),
            overdue=Count("pk", filter=~Q(status=TaskStatus.COMPLETED) & Q(due_date__lt=on)),
            days_late=Sum(days_late_expression(today=on)),
        )
        .values_list(*by, "n", "on_time", "late", "overdue", "days_late")
    )
    width = len(by)
    return {
        tuple(row[:width]): Counts(
            tasks=row[width],
            on_time=row[width + 1],
            late=row[width + 2],
            overdue=row[width + 3],
            days_late=row[width + 4].days if row[width + 4] else 0,
        )
        for row in rows
    }


def _summed(cells: dict[tuple, Counts], position: int) -> dict[int, Counts]:
    totals: dict[int, Counts] = {}
    for key, counts in cells.items():
        if key[position] is not None:
            totals.setdefault(key[position], Counts()).add(counts)
    return totals


def counts_by_department_and_area(tasks, *, on: datetime.date):
    """Return (counts by lead department, counts by area) from ONE grouped scan of `tasks`.

    Grouped by department and area (at most departments x areas rows), then summed each way;
    the departments' extensions are added from one more grouped query.
    """
    cells = _grouped_counts(tasks, ("lead_department_id", "area_id"), on=on)
    departments = _summed(cells, 0)
    for department_id, number in extension_counts(tasks).items():
        if department_id in departments:
            departments[department_id].extensions = number
    return departments, _summed(cells, 1)


def department_counts(tasks, *, on: datetime.date) -> dict[int, Counts]:
    """Return each lead department's counts over `tasks` (grouped queries), extensions too."""
    return counts_by_department_and_area(tasks, on=on)[0]


def area_counts(tasks, *, on: datetime.date) -> dict[int, Counts]:
    """Return each area's counts over `tasks` (extensions not counted by area)."""
    return counts_by_department_and_area(tasks, on=on)[1]


def extension_counts(tasks) -> dict[int, int]:
    """Return the extensions recorded on `tasks`, by the task's lead department."""
    rows = (
        DeadlineExtension.objects.filter(task__in=tasks.order_by().values("pk"))
        .order_by()
        .values("task__lead_department_id")
        .annotate(n=Count("pk"))
        .values_list("task__lead_department_id", "n")
    )
    return {department_id: n for department_id, n in rows if department_id is not None}


# -- Scores from the supervision workflows (report cycles, urge notices, instructions) -------
# Read live beside the cached counts: a report, a reply or an answer shows at once.


def reports_on_time_counts(user, period: Period) -> dict[int, tuple[int, int]]:
    """Return {lead department id: (report deadlines owed, met)} over `period` (SQL form).

    The rule is `supervision/cycles.py`'s (`report_cycle_scores`): the cycle deadlines in the
    period that have passed, owed by the tasks the department leads that `user` may see
    (whatever their due date: a report is owed while the task runs), and those with a progress
    report submitted within the deadline's period. A department that owed nothing is absent.
    """
    return report_cycle_scores(
        period.start, period.end, tasks=visible_tasks(user, Task.objects.all())
    )


def reports_on_time_rate(due: int, on_time: int) -> Decimal | None:
    """Reports on time (%): on_time / due, one decimal; None ("—") when nothing was due."""
    return _percent(on_time, due)


def reports_on_time_by_department(user, period: Period) -> dict[int, Decimal | None]:
    """Progress reports submitted by their cycle's deadline (%), by lead department."""
    return {
        department_id: reports_on_time_rate(due, on_time)
        for department_id, (due, on_time) in reports_on_time_counts(user, period).items()
    }


# An urge notice is open for a task while its recipient has not replied: sent (not yet
# acknowledged) or acknowledged (reply still missing). A replied one is closed.
OPEN_URGE_STATES = (UrgeState.SENT, UrgeState.ACKNOWLEDGED)


def urge_is_open(recipient: UrgeRecipient) -> bool:
    """The Python form of `open_urges_q`."""
    return recipient.state in OPEN_URGE_STATES


def open_urges_q(period: Period) -> Q:
    """The SQL form: the urge rows (one per notice and task) sent by the period's end, open today.

    A notice sent before the period and still open is counted; one sent after it is not.
    """
    sent_by = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time())
    return Q(
        state__in=OPEN_URGE_STATES,
        notice__created_at__lt=timezone.make_aware(sent_by),
    )


def open_urges_by_department(user, period: Period) -> dict[int, int]:
    """Open urge notices (see `open_urges_q`) on the tasks each department leads that `user`
    may see, whatever the task's due date; a department without one is absent (one query)."""
    rows = (
        UrgeRecipient.objects.filter(
            open_urges_q(period),
            task__in=visible_tasks(user, Task.objects.all()).order_by().values("pk"),
            task__lead_department__isnull=False,
        )
        .order_by()
        .values("task__lead_department_id")
        .annotate(n=Count("pk"))
        .values_list("task__lead_department_id", "n")
    )
    return dict(rows)


def open_urges_of(recipients: Iterable[UrgeRecipient], period: Period) -> dict[int, int]:
    """The Python form of `open_urges_by_department`, from urge rows in hand (with their task
    and notice)."""
    sent_by = timezone.make_aware(
        datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time())
    )
    counts: dict[int, int] = {}
    for recipient in recipients:
        department_id = recipient.task.lead_department_id
        if department_id is None or not urge_is_open(recipient):
            continue
        if recipient.notice.created_at >= sent_by:
            continue
        counts[department_id] = counts.get(department_id, 0) + 1
    return counts


def report_instructions(user, period: Period) -> list[Instruction]:
    """The report's instructions: those open today and those closed in the period, in the areas
    `user` may see, with their leader, task, area and answers; the earliest response date first
    (none last), then the oldest."""
    closed_from = timezone.make_aware(datetime.datetime.combine(period.start, datetime.time()))
    closed_to = timezone.make_aware(
        datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time())
    )
    answers = InstructionAnswer.objects.select_related("author").order_by("created_at", "pk")
    return list(
        Instruction.objects.filter(area__in=visible_areas(user).order_by().values("pk"))
        .filter(
            ~Q(state=InstructionState.CLOSED)
            | Q(closed_at__gte=closed_from, closed_at__lt=closed_to)
        )
        .select_related("author", "task", "area")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by(F("respond_by").asc(nulls_last=True), "created_at", "pk")
    )


# -- What the page and the report show --------------------------------------------------------


@dataclass
class DepartmentRow:
    department: Department
    counts: Counts
    reports_on_time: Decimal | None = None
    open_urges: int = 0
    rank: int = 0

    @property
    def name(self) -> str:
        return str(self.department)


@dataclass
class AreaRow:
    area: Area
    counts: Counts

    @property
    def completion(self) -> Decimal:
        return self.area.completion


@dataclass
class IndicatorRow:
    indicator: Indicator
    readings: list[IndicatorReading]  # oldest first, the year up to the period's end

    @property
    def latest(self) -> IndicatorReading | None:
        return self.readings[-1] if self.readings else None

    @property
    def on_course(self) -> bool | None:
        latest = self.latest
        return None if latest is None else self.indicator.is_met(latest.value)


@dataclass
class Overview:
    period: Period
    on: datetime.date
    totals: Counts
    departments: list[DepartmentRow]
    areas: list[AreaRow]
    indicators: list[IndicatorRow]
    chart: dict = field(default_factory=dict)


def _rank_key(row: DepartmentRow):
    rate, days = row.counts.on_time_rate, row.counts.average_days_late
    return (
        rate is None,
        -(rate or 0),
        row.counts.overdue,
        days if days is not None else Decimal(0),
        row.name,
    )


def ranked(rows: list[DepartmentRow]) -> list[DepartmentRow]:
    """Give each row its rank (see the module's definition); return them in rank order."""
    rows = sorted(rows, key=_rank_key)
    for number, row in enumerate(rows, start=1):
        row.rank = number
    return rows


# The scorecard's sorts (the `sort` query parameter, "-" for descending).
SORTS = {
    "rank": lambda row: row.rank,
    "name": lambda row: row.name,
    "tasks": lambda row: row.counts.tasks,
    "on_time": lambda row: (row.counts.on_time_rate is None, row.counts.on_time_rate or 0),
    "overdue": lambda row: row.counts.overdue,
    "days_late": lambda row: (
        row.counts.average_days_late is None,
        row.counts.average_days_late or 0,
    ),
    "extensions": lambda row: row.counts.extensions,
    "reports_on_time": lambda row: (row.reports_on_time is None, row.reports_on_time or 0),
    "open_urges": lambda row: row.open_urges,
}


def sorted_rows(rows: list[DepartmentRow], sort: str) -> list[DepartmentRow]:
    """Return the rows in the order `sort` names (unknown: by rank)."""
    name = sort.lstrip("-")
    if name not in SORTS:
        return rows
    return sorted(rows, key=SORTS[name], reverse=sort.startswith("-"))


def _figures(user, period: Period, on: datetime.date) -> dict:
    departments, areas = counts_by_department_and_area(period_tasks(user, period), on=on)
    return {"departments": departments, "areas": areas}


def indicator_rows(period: Period) -> list[IndicatorRow]:
    """Return the latest plan's indicators, with their readings of the year to the period's end."""
    plan = Plan.objects.order_by("-year").first()
    if plan is None:
        return []
    year_before = period.end - datetime.timedelta(days=365)
    indicators = list(plan.indicators.order_by("code"))
    readings = IndicatorReading.objects.filter(
        indicator__in=indicators, period_end__gte=year_before, period_end__lte=period.end
    ).order_by("period_end")
    by_indicator: dict[int, list[IndicatorReading]] = {}
    for reading in readings:
        by_indicator.setdefault(reading.indicator_id, []).append(reading)
    rows = []
    for indicator in indicators:
        for reading in by_indicator.get(indicator.pk, []):
            reading.indicator = indicator
        rows.append(IndicatorRow(indicator, by_indicator.get(indicator.pk, [])))
    return rows


def overview_for(user, period: Period, *, on: datetime.date | None = None) -> Overview:
    """Return everything the overview and the report show for `user` over `period`.

    The grouped counts are one cached figure (`caching.overview_counts`); the names, the areas'
    completion (the dashboard's cached figure) and the indicators are read beside it.
    """
    on = on or today()
    figures = caching.overview_counts(
        user, reads_everything(user), period.key, on, lambda: _figures(user, period, on)
    ).get()
    by_department: dict[int, Counts] = figures["departments"]
    departments = Department.objects.in_bulk(list(by_department))
    reports_on_time = reports_on_time_by_department(user, period)
    urges = open_urges_by_department(user, period)
    rows = ranked(
        [
            DepartmentRow(
                department=departments[department_id],
                counts=counts,
                reports_on_time=reports_on_time.get(department_id),
                open_urges=urges.get(department_id, 0),
            )
            for department_id, counts in by_department.items()
            if department_id in departments
        ]
    )
    by_area: dict[int, Counts] = figures["areas"]
    areas = with_completion_sums(
        list(visible_areas(user).select_related("plan").order_by("-plan__year", "number"))
    )
    area_rows = [AreaRow(area, by_area.get(area.pk, Counts())) for area in areas]
    totals = Counts()
    for row in area_rows:
        totals.add(row.counts)
    # Every extension of the period's tasks; a task without a lead department has none counted.
    totals.extensions = sum(counts.extensions for counts in by_department.values())
    indicators = indicator_rows(period)
    return Overview(
        period=period,
        on=on,
        totals=totals,
        departments=rows,
        areas=area_rows,
        indicators=indicators,
        chart=_chart(area_rows, rows, indicators),
    )


def _chart(areas: list[AreaRow], departments: list[DepartmentRow], indicators) -> dict:
    chinese = reads_chinese()
    return {
        "areas": {
            "labels": [str(row.area.number) for row in areas],
            "titles": [f"{row.area.number}. {row.area.display_title}" for row in areas],
            "completion": [float(row.completion) for row in areas],
            "overdue": [row.counts.overdue for row in areas],
        },
        "departments": {
            # The twenty best ranked: a chart of 200 bars says nothing; the table has them all.
            "labels": [row.name for row in departments[:20]],
            "on_time": [
                float(row.counts.on_time_rate) if row.counts.on_time_rate is not None else None
                for row in departments[:20]
            ],
        },
        "indicators": [
            {
                "id": row.indicator.pk,
                "name": row.indicator.name_zh
                if chinese and row.indicator.name_zh
                else row.indicator.name,
                "target": float(row.indicator.target),
                "labels": [reading.period_end.isoformat() for reading in row.readings],
                "values": [float(reading.value) for reading in row.readings],
            }
            for row in indicators
        ],
    }


def overdue_tasks(
    user, period: Period, *, on: datetime.date | None = None, limit: int = OVERDUE_LIST_LENGTH
):
    """Return (the period's overdue tasks, most days late first, at most `limit`; their number)."""
    on = on or today()
    overdue = period_tasks(user, period).filter(~Q(status=TaskStatus.COMPLETED), due_date__lt=on)
    rows = list(
        overdue.select_related("owner", "lead_department", "area").order_by("due_date", "pk")[
            :limit
        ]
    )
    return rows, overdue.count()
