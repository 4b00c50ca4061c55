"""The task list and the review queue draw their rows faster, and exactly as Django would."""

import datetime

import pytest
from django.contrib.admin.templatetags.admin_list import items_for_result
from django.urls import reverse

from tests.factories import DepartmentFactory, ProgressReportFactory, TaskFactory, UserFactory
from workplan.admin.listing import fast_results
from workplan.models import DeadlineExtension, ReviewState, Task, TaskStatus, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied_tasks(area):
    """Tasks with every kind of cell: empty owner and date, escaping, every light, extensions."""
    owner = UserFactory(first_name="Zoë <b>", department=DepartmentFactory(name='R&D "Lab"'))
    day = today()
    tasks = [
        TaskFactory(area=area, owner=owner, code="A&1", title='Fix "quotes" <and> tags'),
        TaskFactory(area=area, owner=None, start_date=None, due_date=None, title="   "),
        TaskFactory(area=area, due_date=day - datetime.timedelta(days=3)),
        TaskFactory(area=area, status=TaskStatus.BLOCKED, progress=0),
        TaskFactory(area=area, status=TaskStatus.COMPLETED, progress=100),
        TaskFactory(area=area, due_date=day + datetime.timedelta(days=2)),
    ]
    DeadlineExtension.objects.create(
        task=tasks[2], old_due_date=day, new_due_date=day, reason="Rain", extended_by=owner
    )
    for task in tasks:
        note = "x" * 90 if task.pk % 2 else "Short"
        ProgressReportFactory(task=task, author=owner, note=note)
    ProgressReportFactory(task=tasks[0], review_state=ReviewState.APPROVED)
    return tasks


def django_rows(cl):
    return [list(items_for_result(cl, obj, None)) for obj in cl.result_list]


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:workplan_task_changelist"),
        reverse("admin:workplan_task_changelist") + "?status__exact=blocked",
        reverse("admin:workplan_task_changelist") + "?o=-7.2&q=a",
        reverse("admin:workplan_progressreport_changelist"),
        reverse("admin:workplan_progressreport_changelist") + "?state=all&o=-2",
    ],
)
def test_the_rows_are_the_ones_django_draws(client, supervisor, varied_tasks, url):
    client.force_login(supervisor)
    response = client.get(url)
    cl = response.context["cl"]
    assert len(cl.result_list) > 0
    rows = [list(row) for row in fast_results(cl)]
    assert rows == django_rows(cl)
    assert "".join(rows[0]) in response.text


def test_a_popup_list_is_drawn_by_django_itself(client, supervisor, varied_tasks):
    client.force_login(supervisor)
    url = reverse("admin:workplan_task_changelist") + "?_popup=1&_to_field=id"
    cl = client.get(url).context["cl"]
    assert [list(row) for row in fast_results(cl)] == django_rows(cl)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_status_labels_are_the_ones_get_status_display_gives(language):
    from django.utils import translation

    from workplan.models import ProgressReport, Task, choice_label

    with translation.override(language):
        for status in [*TaskStatus.values, "retired"]:
            assert choice_label(TaskStatus, status) == Task(status=status).get_status_display()
        for state in [*ReviewState.values, "lost"]:
            shown = ProgressReport(review_state=state).get_review_state_display()
            assert choice_label(ReviewState, state) == shown


def test_change_urls_are_the_ones_reverse_gives():
    from workplan.admin.listing import change_url
    from workplan.models import Task

    for pk in [1, 42, 10**12]:
        assert change_url(Task._meta, pk) == reverse("admin:workplan_task_change", args=[pk])


def test_the_task_pages_related_rows_are_the_ones_prefetching_gives(
    client, supervisor, varied_tasks, django_assert_num_queries
):
    client.force_login(supervisor)
    cl = client.get(reverse("admin:workplan_task_changelist")).context["cl"]
    with django_assert_num_queries(0):  # everything a row shows is loaded with the page
        rows = [list(row) for row in fast_results(cl)]
    fresh = Task.objects.prefetch_related("area", "owner", "lead_department", "extensions")
    by_pk = fresh.in_bulk([task.pk for task in cl.result_list])
    assert rows == [list(items_for_result(cl, by_pk[task.pk], None)) for task in cl.result_list]
    assert sorted(task.extension_total for task in cl.result_list) == [0, 0, 0, 0, 0, 1]
