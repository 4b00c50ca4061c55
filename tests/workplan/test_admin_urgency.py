"""The back office gives every task the portal's urgency: lights, links, filter, queue, index."""

import datetime
import re

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import AreaFactory, ProgressReportFactory, TaskFactory
from workplan.models import ProgressReport, Task, TaskStatus
from workplan.urgency import LIGHTS, RANKS, Urgency, urgency_window

pytestmark = pytest.mark.django_db

# A Friday. Sunday 4 February 2024 is a make-up working day, 10 to 17 February the Spring
# Festival: the three working days from today (REMINDER_DUE_SOON_DAYS) are 2, 4 and 5 February.
DAY = datetime.date(2024, 2, 2)
TASKS_URL = reverse("admin:workplan_task_changelist")
QUEUE_URL = reverse("admin:workplan_progressreport_changelist")


@pytest.fixture
def on_day(monkeypatch, settings):
    """Make DAY today, wherever the portal asks for it."""
    from django.utils import timezone

    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return DAY if value is None else real(value, timezone)

    settings.REMINDER_DUE_SOON_DAYS = 3
    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return DAY


@pytest.fixture
def sup_client(client, supervisor, monkeypatch):
    # Every task of the grid on one page.
    for model in (Task, ProgressReport):
        monkeypatch.setattr(admin.site.get_model_admin(model), "list_per_page", 200)
    client.force_login(supervisor)
    return client


@pytest.fixture
def grid(on_day, area, official):
    """Tasks due from 10 days ago to 10 days ahead in every status, and some without a date."""
    dates = {f"{offset:+d}": DAY + datetime.timedelta(days=offset) for offset in range(-10, 11)}
    tasks = [
        Task(
            area=area,
            title=f"Due {name} {status}",
            owner=official,
            lead_department=official.department,
            start_date=None,
            due_date=due,
            status=status,
            progress=100 if status == TaskStatus.COMPLETED else 30,
        )
        for name, due in [*dates.items(), ("never", None)]
        for status in TaskStatus.values
    ]
    Task.objects.bulk_create(tasks)
    # Out of the supervisor's areas: never listed, never counted.
    TaskFactory(area=AreaFactory(), due_date=DAY - datetime.timedelta(days=1), start_date=None)
    TaskFactory(area=AreaFactory(), due_date=DAY, start_date=None)
    return list(area.tasks.all())


def expected_urgencies(tasks) -> dict[int, str]:
    window = urgency_window(DAY)
    return {task.pk: window.of_task(task).value for task in tasks}


def task_rows(html) -> dict[int, tuple[str, str]]:
    """Return {task id: (data-urgency of its link, colour of its light)} for a task changelist."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.DOTALL):
        link = re.search(
            r'href="/admin/workplan/task/(\d+)/change/[^"]*" data-urgency="(\w+)"', row
        )
        light = re.search(r'class="traffic-light traffic-light-(\w+)"', row)
        if link:
            rows[int(link[1])] = (link[2], light[1])
    return rows


def test_the_rule_gives_the_grid_the_dates_it_should(grid):
    # Anchors for the comparisons below, which hold the admin to this same rule.
    expected = expected_urgencies(grid)
    by_title = {task.title: expected[task.pk] for task in grid}
    assert by_title["Due -1 in_progress"] == Urgency.OVERDUE
    assert by_title["Due +0 blocked"] == Urgency.DUE_SOON
    assert by_title["Due +3 not_started"] == Urgency.DUE_SOON  # Monday, after a make-up Sunday
    assert by_title["Due +4 in_progress"] == Urgency.ON_TRACK
    assert by_title["Due -5 completed"] == Urgency.DONE


def test_every_task_row_carries_the_portals_urgency_on_its_link_and_its_light(sup_client, grid):
    response = sup_client.get(TASKS_URL)
    expected = expected_urgencies(grid)
    rows = task_rows(response.text)
    assert {pk: urgency for pk, (urgency, _) in rows.items()} == expected
    assert {pk: light for pk, (_, light) in rows.items()} == {
        pk: LIGHTS[Urgency(urgency)] for pk, urgency in expected.items()
    }


def test_a_task_due_in_5_days_but_more_than_3_working_days_away_is_on_track(
    sup_client, on_day, area
):
    task = TaskFactory(area=area, start_date=None, due_date=DAY + datetime.timedelta(days=5))
    response = sup_client.get(TASKS_URL)
    assert task_rows(response.text)[task.pk] == ("on_track", "green")
    assert '<span class="urgency-label">On track</span>' in response.text


def test_a_blocked_task_not_past_its_date_is_not_red(sup_client, on_day, area):
    blocked = [
        TaskFactory(
            area=area,
            status=TaskStatus.BLOCKED,
            start_date=None,
            due_date=DAY + datetime.timedelta(days=offset),
        )
        for offset in (0, 1, 10)
    ]
    undated = TaskFactory(area=area, status=TaskStatus.BLOCKED, start_date=None, due_date=None)
    rows = task_rows(sup_client.get(TASKS_URL).text)
    assert [rows[task.pk] for task in [*blocked, undated]] == [
        ("due_soon", "amber"),
        ("due_soon", "amber"),
        ("on_track", "green"),
        ("on_track", "green"),
    ]


@pytest.mark.parametrize("urgency", Urgency.values)
def test_the_urgency_filter_lists_exactly_the_tasks_of_that_urgency(sup_client, grid, urgency):
    response = sup_client.get(TASKS_URL, {"urgency": urgency})
    listed = {task.pk for task in response.context["cl"].result_list}
    wanted = {pk for pk, found in expected_urgencies(grid).items() if found == urgency}
    assert wanted
    assert listed == wanted
    assert set(task_rows(response.text)) == wanted


def test_the_review_queue_shows_each_task_in_its_urgency_and_filters_by_it(
    sup_client, grid, official
):
    for task in grid:
        ProgressReportFactory(task=task, author=official)
    expected = expected_urgencies(grid)
    response = sup_client.get(QUEUE_URL)
    rows = task_rows(response.text)
    assert {pk: urgency for pk, (urgency, _) in rows.items()} == expected
    assert {pk: light for pk, (_, light) in rows.items()} == {
        pk: LIGHTS[Urgency(urgency)] for pk, urgency in expected.items()
    }
    overdue = sup_client.get(QUEUE_URL, {"urgency": "overdue"}).context["cl"].result_list
    assert {report.task_id for report in overdue} == {
        pk for pk, urgency in expected.items() if urgency == Urgency.OVERDUE
    }


def test_the_index_counts_and_lists_overdue_and_due_soon_tasks_by_the_same_rule(sup_client, grid):
    expected = expected_urgencies(grid)
    response = sup_client.get(reverse("admin:index"))
    work = response.context["work"]
    assert work.overdue_count == sum(u == Urgency.OVERDUE for u in expected.values()) == 30
    assert work.due_soon_count == sum(u == Urgency.DUE_SOON for u in expected.values()) == 12
    assert all(expected[task.pk] == Urgency.OVERDUE for task in work.overdue_tasks)
    assert all(expected[task.pk] == Urgency.DUE_SOON for task in work.due_soon_tasks)
    assert len(work.overdue_tasks) == len(work.due_soon_tasks) == 8
    assert f"{TASKS_URL}?urgency=overdue" in response.text
    assert f"{TASKS_URL}?urgency=due_soon" in response.text
    assert response.text.count('data-urgency="overdue"') == 8
    assert response.text.count('data-urgency="due_soon"') == 8


def test_the_title_link_escapes_the_title_and_keeps_the_lists_filters(sup_client, on_day, area):
    task = TaskFactory(area=area, title='Fix "quotes" <b>bold</b> & tags', start_date=None)
    response = sup_client.get(TASKS_URL, {"urgency": "on_track"})
    change = reverse("admin:workplan_task_change", args=[task.pk])
    title = "Fix &quot;quotes&quot; &lt;b&gt;bold&lt;/b&gt; &amp; tags"
    # Cut to two lines by the stylesheet; the whole title shows on hover.
    assert (
        f'<a href="{change}?_changelist_filters=urgency%3Don_track" class="cell-clip" '
        f'title="{title}" data-urgency="on_track">{title}</a>'
    ) in response.text


def test_the_task_list_opens_most_urgent_first(sup_client, grid):
    listed = list(sup_client.get(TASKS_URL).context["cl"].result_list)
    ranks = [RANKS[urgency_window(DAY).of_task(task)] for task in listed]
    # Open tasks by due date (overdue, due soon, on track, no date last), then the done ones.
    assert [rank == RANKS[Urgency.DONE] for rank in ranks] == sorted(
        rank == RANKS[Urgency.DONE] for rank in ranks
    )
    open_dates = [task.due_date for task in listed if task.status != "completed"]
    dated = [day for day in open_dates if day is not None]
    assert dated == sorted(dated)
    assert open_dates[len(dated) :] == [None] * (len(open_dates) - len(dated))
