"""Pages cost a fixed number of queries, whether they hold 10 rows or 1,000 (issue 8).

The dashboard, the task list and the task list's filters are covered in test_views_pages.py and
the supervisor's task changelist in test_admin.py; these are the other pages of the benchmark.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from tests.factories import AreaFactory, UserFactory
from workplan.caching import tasks_changed
from workplan.models import ProgressReport, ReviewState, Task, TaskStatus, today

pytestmark = pytest.mark.django_db

# The report cycles in use (the task's marks, workplan/marks.py) are one of them.
TASK_PAGE_QUERIES = 13
ADMIN_PAGE_QUERIES = 14


def add_tasks(area, owner, count, *, years=1):
    """Add `count` tasks to `area` (due over `years` years), every second one with a report."""
    statuses = [TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED]
    tasks = Task.objects.bulk_create(
        Task(
            area=area,
            title=f"Bulk task {n}",
            owner=owner,
            lead_department=owner.department,
            due_date=today() + datetime.timedelta(days=(n * 37) % (365 * years) - 30),
            status=statuses[n % 3],
        )
        for n in range(count)
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(
            task=task,
            author=owner,
            progress=40,
            status=TaskStatus.IN_PROGRESS,
            task_version=1,
            review_state=[ReviewState.PENDING, ReviewState.APPROVED][n % 2],
        )
        for n, task in enumerate(tasks[::2])
    )
    tasks_changed()  # bulk_create sends no signal
    return tasks


def queries_for(client, url, method="get", data=None):
    with CaptureQueriesContext(connection) as context:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), response.status_code
    return len(context)


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:index"),
        reverse("admin:workplan_progressreport_changelist"),
        reverse("admin:workplan_progressreport_changelist") + "?state=all&o=2",
        # Each with rows at 10 tasks and at 1,000: an empty page skips the extensions' query.
        reverse("admin:workplan_task_changelist") + "?urgency=overdue&review=pending",
        reverse("admin:workplan_task_changelist") + "?urgency=on_track&status__exact=blocked",
        reverse("admin:workplan_progressreport_changelist") + "?urgency=overdue",
    ],
)
def test_a_supervisors_admin_page_costs_the_same_queries_for_10_and_1000_rows(
    client, supervisor, official, django_assert_max_num_queries, url
):
    area = AreaFactory()
    area.supervisors.add(supervisor)
    add_tasks(area, official, 10)
    client.force_login(supervisor)
    with django_assert_max_num_queries(ADMIN_PAGE_QUERIES):
        few = queries_for(client, url)
    add_tasks(area, official, 990)
    with django_assert_max_num_queries(ADMIN_PAGE_QUERIES):
        many = queries_for(client, url)
    assert many == few


def test_the_admins_task_changelist_costs_the_same_for_10_and_1000_tasks(
    client, official, django_assert_max_num_queries
):
    # The 1,000 tasks are due over three years, the 10 over one: more years, no more queries.
    area = AreaFactory()
    admin = UserFactory(role=Role.ADMIN)
    client.force_login(admin)
    url = reverse("admin:workplan_task_changelist")
    add_tasks(area, official, 10)
    with django_assert_max_num_queries(ADMIN_PAGE_QUERIES):
        few = queries_for(client, url)
    add_tasks(area, official, 990, years=3)
    with django_assert_max_num_queries(ADMIN_PAGE_QUERIES):
        many = queries_for(client, url)
    assert many == few


def test_the_task_page_and_a_report_cost_the_same_queries_with_10_and_1000_tasks_around(
    client, official, django_assert_max_num_queries
):
    area = AreaFactory()
    tasks = add_tasks(area, official, 10)
    shown, reported = f"/tasks/{tasks[0].pk}/", [f"/tasks/{task.pk}/" for task in tasks[2:5:2]]
    report = {"progress": "50", "status": "in_progress", "note": "Half done", "version": "1"}
    client.force_login(official)
    client.get(shown)
    with django_assert_max_num_queries(TASK_PAGE_QUERIES):
        few = queries_for(client, shown)
    few_post = queries_for(client, reported[0], "post", report)
    add_tasks(area, official, 990)
    with django_assert_max_num_queries(TASK_PAGE_QUERIES):
        many = queries_for(client, shown)
    many_post = queries_for(client, reported[1], "post", report)
    assert (many, many_post) == (few, few_post)
