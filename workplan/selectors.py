"""Reads of the work plan, role scope applied first; each page costs a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMonth

from workplan import caching
from workplan.changes import task_at_version, task_state_changes
from workplan.marks import marks_among
from workplan.models import (
    Area,
    Evidence,
    Indicator,
    IndicatorReading,
    ProgressReport,
    ReviewState,
    Task,
    TaskStatus,
    reads_chinese,
)
from workplan.permissions import (
    can_view_indicators,
    is_supervisor,
    my_work,
    my_work_parts,
    reads_everything,
    visible_areas,
    visible_task_branches,
    visible_tasks,
    visible_tasks_among_few,
)
from workplan.urgency import URGENCY_ORDER, Urgency, UrgencyWindow, urgency_window


def with_display_state(queryset, *, window: UrgencyWindow | None = None):
    """Annotate urgency (in `window`, default today's) and the latest pending report.

    The pending report is shown as "awaiting review".
    """
    window = window or urgency_window()
    pending = ProgressReport.objects.filter(
        task=OuterRef("pk"), review_state=ReviewState.PENDING
    ).order_by("-created_at", "-pk")
    return queryset.annotate(
        urgency=window.case(),
        pending_progress=Subquery(pending.values("progress")[:1]),
        pending_status=Subquery(pending.values("status")[:1]),
    )


def my_tasks(user):
    """Return the tasks that are `user`'s work.

    An official may see every task they own or their department leads, so their work is read
    without building their whole scope (the union of `visible_tasks`).
    """
    if my_work_parts(user) is None:
        return visible_tasks(user, Task.objects.all())
    return Task.objects.filter(my_work(user))


def _my_task_branches(user):
    """Return `my_tasks` as querysets whose sort keys merge (an official's, part by part)."""
    parts = my_work_parts(user)
    if parts is None:
        return [my_tasks(user)]
    return [Task.objects.filter(part) for part in parts] or [Task.objects.none()]


def _list_base(user, window: UrgencyWindow | None = None):
    return with_display_state(
        visible_tasks(user, Task.objects.all()).select_related("area", "owner", "lead_department"),
        window=window,
    ).order_by(*URGENCY_ORDER)


def rows_in_order(ids, *, window: UrgencyWindow | None = None) -> list[Task]:
    """Return the tasks with these ids, in this order, with what list pages show.

    Lists sort keys only (`ids` comes from a scoped, filtered, ordered and sliced query of
    task ids) and read the full rows of one page afterwards: sorting an official's 5,000
    visible tasks with every column and join attached cost twice as much (bench/RESULTS.md).
    The ids are already scoped, so the rows are read by key alone. The display state of
    `with_display_state` (urgency in `window`, the latest pending report) is worked out here
    from two plain queries: building and compiling its correlated subqueries cost more than
    running them for a page of rows. Each row also gets its marks (workplan/marks.py), one
    read per mark.
    """
    ids = list(ids)
    window = window or urgency_window()
    rows = Task.objects.select_related("area", "owner").in_bulk(ids)  # what a row shows
    pending: dict[int, tuple[int, str]] = {}
    latest_pending = (
        ProgressReport.objects.filter(task_id__in=ids, review_state=ReviewState.PENDING)
        .order_by("task_id", "-created_at", "-pk")
        .values_list("task_id", "progress", "status")
    )
    for task_id, progress, status in latest_pending:
        pending.setdefault(task_id, (progress, status))
    marks = marks_among(ids, on=window.today)
    tasks = []
    for pk in ids:
        task = rows.get(pk)
        if task is None:
            continue
        task.urgency = window.of_task(task)
        task.marks = marks.get(pk, [])
        task.pending_progress, task.pending_status = pending.get(pk, (None, None))
        tasks.append(task)
    return tasks


# The task list's sort options (TaskFilter.sort), as orders of the sort keys of `_sort_keys`.
# Ties are broken by id, so a page boundary never moves.
LIST_ORDERS = {
    "": ("done", F("due_date").asc(nulls_last=True), "pk"),  # urgency, as URGENCY_ORDER
    "due": (F("due_date").asc(nulls_last=True), "pk"),
    "-due": (F("due_date").desc(nulls_first=True), "-pk"),
    "progress": ("progress", "pk"),
    "-progress": ("-progress", "-pk"),
}


def _sort_keys(queryset):
    return (
        queryset.order_by()
        .annotate(done=Case(When(status=TaskStatus.COMPLETED, then=Value(1)), default=Value(0)))
        .values_list("pk", "done", "due_date", "progress")
    )


def _merged_sort_keys(branches):
    """Return the sort keys of one queryset, or of the union of several (an official's scope)."""
    first, *others = (_sort_keys(branch) for branch in branches)
    return first.union(*others) if others else first


def task_page(task_filter, user, number, per_page: int) -> Page:
    """Return page `number` of the filtered task list, its rows read by `rows_in_order`.

    Every row's urgency, and the urgency filters, use the filter's one urgency window.

    For an official the filters are applied to each branch of their scope
    (`visible_task_branches`) and the sort keys of the branches merged by a UNION, counted and
    sorted without touching the task table again; for other roles the filtered queryset's keys
    are sorted directly (their scope is one index range).
    """
    branches = visible_task_branches(user)
    cleaned = {}
    if task_filter.is_bound:
        task_filter.form.is_valid()  # fields that fail are left out of cleaned_data
        cleaned = task_filter.form.cleaned_data
    sort = (cleaned.get("sort") or [""])[0]
    if branches is None:
        keys = _merged_sort_keys([task_filter.qs])
    else:
        keys = _merged_sort_keys(task_filter.filter_queryset(b) for b in branches)
    keys = keys.order_by(*LIST_ORDERS.get(sort, LIST_ORDERS[""]))
    paginator = Paginator(keys, per_page)
    filters = [
        (name, getattr(value, "pk", value))  # a model instance by its key, not its title
        for name, value in cleaned.items()
        if name != "sort" and value not in (None, "", [])
    ]
    window = task_filter.window
    if any(name in task_filter.marks and value for name, value in filters):
        # A mark changes with what no cached figure follows (a report sent, a cycle set).
        paginator.count = keys.count()
    else:
        paginator.count = caching.task_count(user, window, filters, keys.count).get()
    page = paginator.get_page(number)
    page.object_list = rows_in_order((key[0] for key in page.object_list), window=window)
    return page


def task_list_for(user, filters=None, *, window: UrgencyWindow | None = None):
    """Return the tasks `user` may see, with what list pages show, most urgent first.

    `filters` (a query dict) narrows the list through TaskFilter after the role scope.
    """
    window = window or urgency_window()
    if filters is not None:
        return with_display_state(
            task_filter_for(user, filters, window=window).qs, window=window
        ).select_related("area", "owner", "lead_department")
    return _list_base(user, window)


def task_filter_for(user, filters, *, window: UrgencyWindow | None = None):
    """Return the bound TaskFilter over `user`'s visible tasks (its form renders the filters).

    Its queryset is the bare scope, most urgent first: the task list reads only sort keys from
    it (`task_page`), and the display state is added to the page's rows (`rows_in_order`).
    `window` (default today's) decides the urgency filters and, on the page, every row's
    urgency.
    """
    from workplan.filters import TaskFilter

    scope = visible_tasks(user, Task.objects.all()).order_by(*URGENCY_ORDER)
    return TaskFilter(
        filters,
        queryset=scope,
        user=user,
        window=window or urgency_window(),
        area_choices=area_choices_for(user, chinese=reads_chinese()),
    )


@dataclass
class Dashboard:
    counts: dict[str, int]
    tasks: list[Task]
    total: int
    areas: list[Area]
    chart: dict = field(default_factory=dict)


DASHBOARD_LIST_LENGTH = 15


def _dashboard_rows(mine, window: UrgencyWindow) -> list[dict]:
    by_urgency = {urgency.value: Count("pk", filter=window.q(urgency)) for urgency in Urgency}
    # Open and not overdue, for the chart (whose rows all have a due date).
    not_late = window.q(Urgency.DUE_SOON) | window.q(Urgency.ON_TRACK)
    return list(
        mine.annotate(month=TruncMonth("due_date"))
        .values("month", "area_id")
        .annotate(**by_urgency, open=Count("pk", filter=not_late))
        .order_by("month", "area_id")
    )


def dashboard_for(user, *, window: UrgencyWindow | None = None) -> Dashboard:
    """Return what "My work" shows: counts by urgency, the most urgent tasks, area completion.

    Every count and row takes its urgency from `window` (default today's).
    """
    window = window or urgency_window()
    # Counts by urgency, the chart by month due and the official's areas in ONE grouped scan of
    # the user's tasks (up to 22,000 rows for a supervisor), by month and area: at most months x
    # areas rows; tasks without a due date form their own rows (month NULL). Both cached
    # figures of the page are asked of the cache in one round trip.
    by_month_area, completion_sums = caching.read(
        caching.dashboard_rows(user, window, lambda: _dashboard_rows(my_tasks(user), window)),
        caching.area_completion_sums(_completion_sums),
    )
    counts = {urgency.value: sum(row[urgency] for row in by_month_area) for urgency in Urgency}
    by_month: dict[datetime.date, dict[str, Any]] = {}
    for row in by_month_area:
        if row["month"] is not None:
            month = by_month.setdefault(
                row["month"], {"month": row["month"], "open": 0, "overdue": 0}
            )
            month["open"] += row["open"]
            month["overdue"] += row["overdue"]
    months = list(by_month.values())
    total = sum(counts.values())
    # An official's work part by part (owned, led), merged as on the task list (task_page).
    keys = _merged_sort_keys(_my_task_branches(user))
    urgent = keys.order_by(*LIST_ORDERS[""])[:DASHBOARD_LIST_LENGTH]
    tasks = rows_in_order((key[0] for key in urgent), window=window)
    if reads_everything(user) or is_supervisor(user):
        areas_qs = visible_areas(user)
    else:
        # The areas of the rows above: a subquery here would build the official's scope again.
        areas_qs = Area.objects.filter(pk__in={row["area_id"] for row in by_month_area})
    areas = with_completion_sums(list(areas_qs.order_by("plan__year", "number")), completion_sums)
    chart = {
        "areas": {
            # Short labels fit a phone; the full titles show in the tooltip.
            "labels": [str(area.number) for area in areas],
            "titles": [f"{area.number}. {area.display_title}" for area in areas],
            "completion": [float(area.completion) for area in areas],
        },
        "months": {
            "labels": [row["month"].strftime("%Y-%m") for row in months],
            "open": [row["open"] for row in months],
            "overdue": [row["overdue"] for row in months],
        },
    }
    return Dashboard(counts=counts, tasks=tasks, total=total, areas=areas, chart=chart)


def _completion_sums() -> dict[int, tuple[int, int]]:
    # One grouped read of the covering index task_area_top_level_idx, index-only.
    rows = (
        Task.objects.filter(parent__isnull=True)
        .order_by()
        .values("area_id")
        .annotate(weighted=Sum(F("progress") * F("weight")), total=Sum("weight"))
        .values_list("area_id", "weighted", "total")
    )
    return {area_id: (weighted, total) for area_id, weighted, total in rows}


def with_completion_sums(areas: list[Area], sums: dict | None = None) -> list[Area]:
    """Give each area its weighted completion, as `with_completion()` does, from the cache.

    Every area's completion is the same for every reader and costs a read of every top-level
    task: `sums` (default read here) is the cached figure `caching.area_completion_sums`.
    """
    if sums is None:
        sums = caching.area_completion_sums(_completion_sums).get()
    for area in areas:
        area.weighted_progress, area.total_weight = sums.get(area.pk, (0, 0))
    return areas


def area_choices_for(user, *, chinese: bool) -> list[tuple[int, str]]:
    """Return the areas `user` has visible tasks in, as (id, "number. title") choices.

    Labelled in Chinese when `chinese`. Cached (`caching.area_choices`): for an official the
    areas come from their whole scope.
    """

    def read():
        rows = (
            visible_areas(user)
            .order_by("plan__year", "number")
            .values_list("pk", "number", "title", "title_zh")
        )
        return [
            (pk, f"{number}. {title_zh if chinese and title_zh else title}")
            for pk, number, title, title_zh in rows
        ]

    return caching.area_choices(user, "zh" if chinese else "en", read).get()


def task_detail_queryset(user):
    """Return the tasks `user` may see, with what the detail page shows prefetched.

    Meant to be narrowed to one task (`.get(pk=...)`): the scope is tested on that row. The
    display state is attached by `task_detail_for`, from the prefetched reports.
    """
    reports = ProgressReport.objects.select_related("author", "reviewed_by").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))
    )
    return (
        visible_tasks_among_few(user, Task.objects.all())
        .select_related("area", "area__plan", "parent", "owner", "lead_department")
        .annotate(has_subtasks=Exists(Task.objects.filter(parent=OuterRef("pk"))))
        .prefetch_related(
            "supporting_departments",
            Prefetch("reports", queryset=reports.order_by("-created_at", "-pk")),
        )
    )


def task_detail_for(user, pk, *, window: UrgencyWindow | None = None) -> Task:
    """Return task `pk` as its page shows it; raise Task.DoesNotExist if `user` may not see it.

    Urgency (in `window`, default today's) and the latest pending report (`with_display_state`)
    come from the row and its prefetched timeline instead of subqueries the page would pay to
    build.
    """
    task = task_detail_queryset(user).get(pk=pk)
    task.urgency = (window or urgency_window()).of_task(task)
    pending = next((r for r in task.reports.all() if r.review_state == ReviewState.PENDING), None)
    task.pending_progress = pending.progress if pending else None
    task.pending_status = pending.status if pending else None
    return task


def task_for_report(user):
    """Return the tasks `user` may see, as a report needs them (one row, nothing prefetched).

    Meant to be narrowed to one task (`.get(pk=...)`), like `task_detail_queryset`.
    """
    return visible_tasks_among_few(user, Task.objects.all())


def subtasks_for(user, task: Task, *, window: UrgencyWindow | None = None):
    """Return the sub-tasks of `task` that `user` may see (no query for a task without any).

    Each with its urgency in `window` (default today's), as `with_display_state` gives it.
    """
    if not getattr(task, "has_subtasks", True):
        return []
    return with_display_state(
        visible_tasks_among_few(user, task.subtasks.all()).select_related("owner"), window=window
    ).order_by("code", "pk")


def report_list_for(user):
    """Return the progress reports on the tasks `user` may see, newest first.

    With their authors, reviewers and evidence, a fixed number of queries for any page.
    """
    reports = ProgressReport.objects.select_related("author", "reviewed_by").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))
    )
    if not reads_everything(user):
        reports = reports.filter(task__in=visible_tasks(user).values("pk"))
    return reports.order_by("-created_at", "-pk")


def task_report_list(task: Task):
    """Return the reports on `task`, newest first, with what `report_list_for` gives each.

    The caller has found `task` among those its user may see (`task_for_report`).
    """
    return (
        ProgressReport.objects.filter(task=task)
        .select_related("author", "reviewed_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("-created_at", "-pk")
    )


def indicator_list_for(user):
    """Return the plan's indicators with their readings, oldest period first; none if `user`
    may not see indicators."""
    if not can_view_indicators(user):
        return Indicator.objects.none()
    readings = IndicatorReading.objects.order_by("period_end", "pk")
    return (
        Indicator.objects.select_related("plan")
        .prefetch_related(Prefetch("readings", queryset=readings))
        .order_by("plan__year", "code", "pk")
    )


def evidence_for_download(evidence_id: int) -> Evidence:
    """Return an evidence row with its task (for the permission check); raise DoesNotExist."""
    return Evidence.objects.select_related("report__task__area").get(pk=evidence_id)


def calendar_tasks_for(user):
    """Return the deadlines for `user`'s calendar feed: their work that has a due date."""
    return (
        my_tasks(user)
        .filter(due_date__isnull=False)
        .select_related("area", "lead_department")
        .order_by("due_date", "pk")
    )


# The back office's index


@dataclass
class BackOfficeToday:
    """What a supervisor or an admin has to do today, in the areas they may see."""

    pending_count: int
    pending_reports: list[ProgressReport]
    overdue_count: int
    overdue_tasks: list[Task]
    due_soon_count: int
    due_soon_tasks: list[Task]


BACK_OFFICE_LIST_LENGTH = 8


def back_office_today_for(user, *, window) -> BackOfficeToday:
    """Return the reports awaiting `user`'s review and their tasks overdue and due soon.

    "Overdue" and "due soon" are the urgencies of `window` (workplan/urgency.py), as on every
    other page. Six queries, whatever the number of tasks.
    """
    from workplan.urgency import Urgency

    tasks = visible_tasks(user, Task.objects.all())
    reports = ProgressReport.objects.filter(
        review_state=ReviewState.PENDING, task__in=visible_tasks(user).values("pk")
    )
    overdue, due_soon = window.q(Urgency.OVERDUE), window.q(Urgency.DUE_SOON)
    # Both counts in one read of the tasks due by the end of "due soon".
    counts = tasks.filter(overdue | due_soon).aggregate(
        overdue=Count("pk", filter=overdue), due_soon=Count("pk", filter=due_soon)
    )
    related = ("area", "owner", "lead_department")
    listed = tasks.select_related(*related).order_by("due_date", "pk")
    return BackOfficeToday(
        pending_count=reports.count(),
        pending_reports=list(
            reports.select_related("task__area", "author").order_by("created_at", "pk")[
                :BACK_OFFICE_LIST_LENGTH
            ]
        ),
        overdue_count=counts["overdue"],
        overdue_tasks=list(listed.filter(overdue)[:BACK_OFFICE_LIST_LENGTH]),
        due_soon_count=counts["due_soon"],
        due_soon_tasks=list(listed.filter(due_soon)[:BACK_OFFICE_LIST_LENGTH]),
    )


def report_task_changes(report: ProgressReport) -> list[str]:
    """Return what of its task a reviewer must know changed after the report was written.

    Only the task's approved progress, its status and its due date count: the report's own
    submission, other reports and edits to a title leave a report current.
    """
    task = report.task
    then = task_at_version(task, report.task_version)
    if then is None:
        then = (
            task.history.filter(history_date__lte=report.created_at)
            .order_by("history_date", "history_id")
            .last()
        )
    return task_state_changes(then, task) if then is not None else []


@dataclass
class HeadlineIndicator:
    indicator: Any  # workplan.models.Indicator
    value: Any  # Decimal | None: the latest reading's value
    period_end: datetime.date | None

    @property
    def is_met(self) -> bool | None:
        return None if self.value is None else self.indicator.is_met(self.value)


def headline_indicators() -> list[HeadlineIndicator]:
    """Return the latest plan's indicators, each with its latest reading (one query)."""
    from workplan.models import Indicator, IndicatorReading, Plan

    latest = IndicatorReading.objects.filter(indicator=OuterRef("pk")).order_by("-period_end")
    newest_plan = Plan.objects.order_by("-year").values("pk")[:1]
    indicators = (
        Indicator.objects.filter(plan=Subquery(newest_plan))
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_period_end=Subquery(latest.values("period_end")[:1]),
        )
        .order_by("code")
    )
    return [
        HeadlineIndicator(indicator, indicator.latest_value, indicator.latest_period_end)
        for indicator in indicators
    ]
