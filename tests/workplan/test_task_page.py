"""The task list's pages: an official's scope merged branch by branch sorts like the queryset."""

import datetime
import itertools

import pytest
from django.http import QueryDict

from accounts.models import Role
from tests.factories import (
    AreaFactory,
    DepartmentFactory,
    ProgressReportFactory,
    TaskFactory,
    UserFactory,
)
from workplan.models import ReviewState, Task, TaskStatus, today
from workplan.selectors import rows_in_order, task_filter_for, task_page, with_display_state
from workplan.services import task_mark_done

pytestmark = pytest.mark.django_db


def days(n):
    return today() + datetime.timedelta(days=n)


@pytest.fixture
def official_with_scope():
    """An official who owns, leads (through their department) and supports tasks, overlapping."""
    department = DepartmentFactory()
    official = UserFactory(role=Role.OFFICIAL, department=department)
    areas = [AreaFactory(), AreaFactory()]
    dues = [days(-5), days(-5), days(0), days(2), days(30), None, None]
    statuses = itertools.cycle(
        [TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED, TaskStatus.NOT_STARTED, TaskStatus.BLOCKED]
    )
    progresses = itertools.cycle([0, 40, 40, 100, 70])
    tasks = []
    for i, due in enumerate(dues * 3):
        kind = i % 4
        task = TaskFactory(
            area=areas[i % 2],
            due_date=due,
            status=next(statuses),
            progress=next(progresses),
            owner=official if kind in (0, 3) else UserFactory(role=Role.OFFICIAL),
            # kind 3: owned AND led by the department, the same task in two branches
            lead_department=department if kind in (1, 3) else None,
        )
        if kind == 2:
            task.supporting_departments.add(department)
        tasks.append(task)
    TaskFactory(due_date=days(-9))  # not visible to the official
    return official, tasks


def expected_order(tasks, sort):
    big = datetime.date.max

    def due(task, missing=big):
        return task.due_date or missing

    if sort == "":
        key = lambda t: (t.status == TaskStatus.COMPLETED, due(t), t.pk)  # noqa: E731
    elif sort == "due":
        key = lambda t: (due(t), t.pk)  # noqa: E731
    elif sort == "-due":
        return sorted(tasks, key=lambda t: (due(t), t.pk), reverse=True)
    elif sort == "progress":
        key = lambda t: (t.progress, t.pk)  # noqa: E731
    else:
        return sorted(tasks, key=lambda t: (t.progress, t.pk), reverse=True)
    return sorted(tasks, key=key)


@pytest.mark.parametrize("sort", ["", "due", "-due", "progress", "-progress"])
def test_an_officials_pages_list_each_visible_task_once_in_the_chosen_order(
    official_with_scope, sort
):
    official, tasks = official_with_scope
    data = QueryDict(f"sort={sort}" if sort else "")
    expected = [task.pk for task in expected_order(tasks, sort)]
    listed = []
    for number in (1, 2, 3):
        page = task_page(task_filter_for(official, data), official, number, 8)
        assert page.paginator.count == len(tasks)
        listed += [task.pk for task in page.object_list]
    assert listed == expected


@pytest.mark.parametrize(
    "params",
    [
        "status=blocked",
        "overdue=on",
        "involvement=support",
        "involvement=owner&sort=-due",
        "due_after=2000-01-01&sort=progress",
    ],
)
def test_an_officials_filtered_page_matches_the_filtered_queryset(official_with_scope, params):
    official, tasks = official_with_scope
    data = QueryDict(params)
    page = task_page(task_filter_for(official, data), official, 1, 100)
    assert {task.pk for task in page.object_list} == {
        task.pk for task in task_filter_for(official, data).qs
    }
    assert page.paginator.count == len(page.object_list)
    assert page.object_list, "the fixture should leave something to list"


def test_a_page_row_carries_what_the_list_shows(official_with_scope):
    official, tasks = official_with_scope
    row = task_page(task_filter_for(official, QueryDict("")), official, 1, 1).object_list[0]
    assert row.urgency is not None
    assert hasattr(row, "pending_progress")
    assert row.area.number >= 1  # joined, not a query per row


@pytest.mark.parametrize("sort", ["", "due", "-due", "progress", "-progress"])
def test_a_supervisors_pages_sort_the_same_way(official_with_scope, sort):
    _, tasks = official_with_scope
    supervisor = UserFactory(role=Role.SUPERVISOR)
    for area in {task.area for task in tasks}:
        area.supervisors.add(supervisor)
    data = QueryDict(f"sort={sort}" if sort else "")
    page = task_page(task_filter_for(supervisor, data), supervisor, 1, 100)
    assert [task.pk for task in page.object_list] == [
        task.pk for task in expected_order(tasks, sort)
    ]


def test_page_rows_have_the_urgency_and_pending_report_the_sql_annotation_gives(
    official_with_scope,
):
    official, tasks = official_with_scope
    ProgressReportFactory(task=tasks[0], progress=35, review_state=ReviewState.PENDING)
    ProgressReportFactory(task=tasks[0], progress=45, review_state=ReviewState.PENDING)
    ProgressReportFactory(task=tasks[1], progress=90, review_state=ReviewState.APPROVED)
    ids = [task.pk for task in tasks]
    by_sql = {t.pk: t for t in with_display_state(Task.objects.filter(pk__in=ids))}
    rows = rows_in_order(ids)
    assert [row.pk for row in rows] == ids
    for row in rows:
        expected = by_sql[row.pk]
        assert (row.urgency, row.pending_progress, row.pending_status) == (
            expected.urgency,
            expected.pending_progress,
            expected.pending_status,
        )
    assert rows[0].pending_progress == 45
    assert rows[1].pending_progress is None


def test_the_list_count_is_cached_per_filter_and_renewed_when_a_task_changes(
    official_with_scope,
):
    official, tasks = official_with_scope
    blocked = QueryDict("status=blocked")

    def count(data):
        return task_page(task_filter_for(official, data), official, 1, 5).paginator.count

    everything = count(QueryDict(""))
    only_blocked = count(blocked)
    assert everything == len(tasks)
    assert only_blocked == sum(task.status == TaskStatus.BLOCKED for task in tasks)
    # Another page, another order: the same filters, the cached count.
    assert count(QueryDict("status=blocked&sort=-due")) == only_blocked
    blocked_task = next(task for task in tasks if task.status == TaskStatus.BLOCKED)
    task_mark_done(task=blocked_task, user=UserFactory(role=Role.ADMIN))
    assert count(blocked) == only_blocked - 1
