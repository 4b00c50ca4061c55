"""Cached figures: renewed at once by the services that change what they are read from."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from tests.factories import TaskFactory, UserFactory
from workplan import caching
from workplan.models import TaskStatus, today
from workplan.plan_file import AreaData, PlanData, TaskData
from workplan.services import (
    deadline_extend,
    plan_load,
    report_approve,
    task_mark_done,
    task_reassign,
    task_report_progress,
)

pytestmark = pytest.mark.django_db


def days(n):
    return today() + datetime.timedelta(days=n)


def counted(kind=caching.TASKS):
    """Return a figure read from `kind` and the list of its builds."""
    built = []

    def build():
        built.append(1)
        return len(built)

    return (lambda: caching.Figure("test:figure", (kind,), build)), built


def test_a_figure_is_built_once_until_what_it_is_read_from_changes():
    figure, built = counted(caching.TASKS)
    assert figure().get() == figure().get() == 1
    caching.areas_changed()
    caching.supervisors_changed()
    assert figure().get() == 1
    caching.tasks_changed()
    assert figure().get() == 2
    assert len(built) == 2


def test_a_figure_built_before_the_commit_is_not_served_after_it(
    django_capture_on_commit_callbacks,
):
    figure, built = counted()
    with django_capture_on_commit_callbacks(execute=True):
        caching.tasks_changed()
        # Another reader, between the writer's change and its commit, reads the old data.
        assert figure().get() == 1
    assert figure().get() == 2


def test_the_figures_of_a_page_cost_one_round_trip_to_the_cache(monkeypatch):
    first, _ = counted(caching.TASKS)
    second = lambda: caching.Figure("test:other", (caching.AREAS,), lambda: "areas")  # noqa: E731
    caching.read(first(), second())
    asked = []
    original = cache.get_many

    def get_many(keys, *args, **kwargs):
        asked.append(list(keys))
        return original(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", get_many)
    assert caching.read(first(), second()) == [1, "areas"]
    assert len(asked) == 1


def test_without_a_shared_cache_every_figure_is_built_afresh(settings):
    settings.WORKPLAN_CACHE_FIGURES = False
    figure, built = counted()
    figure().get()
    figure().get()
    assert len(built) == 2


def test_while_the_cache_is_unreachable_figures_are_built_and_never_trusted(monkeypatch):
    figure, built = counted()
    figure().get()
    # An unreachable cache answers every read with a miss and stores nothing.
    stored = []
    monkeypatch.setattr(cache, "get_many", lambda *args, **kwargs: {})
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)
    monkeypatch.setattr(cache, "set_many", lambda data, *args, **kwargs: stored.append(data))
    assert figure().get() == 2
    assert figure().get() == 3
    assert stored == []


# -- What the services change shows on the next page --------------------------------------


@pytest.fixture
def late_task(official, area):
    return TaskFactory(area=area, owner=official, start_date=None, due_date=days(-3), progress=0)


def dashboard(client, user):
    client.force_login(user)
    return client.get("/").context["board"]


def test_a_task_marked_done_shows_on_the_next_dashboard(client, official, supervisor, late_task):
    assert dashboard(client, official).counts["overdue"] == 1
    task_mark_done(task=late_task, user=supervisor)
    board = dashboard(client, official)
    assert (board.counts["overdue"], board.counts["done"]) == (0, 1)
    assert board.areas[0].completion == 100


def test_an_extended_deadline_shows_on_the_next_dashboard(client, official, supervisor, late_task):
    assert dashboard(client, official).counts["overdue"] == 1
    deadline_extend(task=late_task, new_due_date=days(60), reason="Land approval", user=supervisor)
    board = dashboard(client, official)
    assert (board.counts["overdue"], board.counts["on_track"]) == (0, 1)


def test_a_reassigned_task_leaves_the_old_owners_dashboard(client, official, supervisor, late_task):
    late_task.lead_department = None
    late_task.save()
    assert dashboard(client, official).total == 1
    task_reassign(task=late_task, owner=UserFactory(role=Role.OFFICIAL), user=supervisor)
    assert dashboard(client, official).total == 0


def test_a_report_keeps_the_figures_and_its_approval_renews_them(
    client, official, supervisor, late_task
):
    assert dashboard(client, official).counts["overdue"] == 1
    report = task_report_progress(
        task=late_task,
        author=official,
        progress=100,
        status=TaskStatus.COMPLETED,
        note="Done.",
        expected_version=late_task.version,
    )
    # Only the task's version moved on: progress and status wait for the review, and the
    # dashboard's figures are still those in the cache.
    client.force_login(official)
    with CaptureQueriesContext(connection) as kept:
        client.get("/")
    cache.clear()
    with CaptureQueriesContext(connection) as rebuilt:
        client.get("/")
    assert len(kept) < len(rebuilt)
    report_approve(report=report, reviewer=supervisor)
    board = dashboard(client, official)
    assert (board.counts["overdue"], board.counts["done"]) == (0, 1)


def test_a_renamed_department_shows_at_once_and_keeps_every_dashboard(
    client, official, department, late_task
):
    client.force_login(official)
    assert department.name in client.get("/tasks/").content.decode()
    client.get("/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/")
    department.name = "Renamed bureau"
    department.save()
    assert "Renamed bureau" in client.get("/tasks/").content.decode()
    # No dashboard figure reads a department's name: none is built again.
    with CaptureQueriesContext(connection) as after:
        client.get("/")
    assert len(after) == len(warm)


def plan_data(area_title):
    task = TaskData(code="1.1", title="Build the 5G network")
    area = AreaData(
        number=1, title=area_title, title_zh=None, summary=None, summary_zh=None, tasks=(task,)
    )
    return PlanData(
        year=2031, title="Plan", title_zh=None, summary=None, source=None, areas=(area,)
    )


def area_labels(client):
    return [
        label for _, label in client.get("/tasks/").context["filter"].form["area"].field.choices
    ]


def test_an_area_loaded_or_renamed_from_the_plan_file_is_offered_at_once(client, admin_user):
    client.force_login(admin_user)
    assert area_labels(client) == ["All areas"]
    plan_load(data=plan_data("Industry"))
    assert area_labels(client) == ["All areas", "1. Industry"]
    plan_load(data=plan_data("Industry and innovation"))
    assert area_labels(client) == ["All areas", "1. Industry and innovation"]


def test_a_new_supervisor_of_an_area_sees_its_tasks_at_once(client, official, late_task):
    newcomer = UserFactory(role=Role.SUPERVISOR)
    assert dashboard(client, newcomer).total == 0
    client.force_login(official)
    client.get("/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/")
    # What the area's change form does when it saves the area's supervisors.
    late_task.area.supervisors.add(newcomer)
    caching.supervisors_changed()
    assert dashboard(client, newcomer).total == 1
    assert area_labels(client) == ["All areas", str(late_task.area)]
    # An official's figures do not read who supervises: they are kept.
    client.force_login(official)
    with CaptureQueriesContext(connection) as after:
        client.get("/")
    assert len(after) == len(warm)


def test_a_new_task_in_another_area_is_offered_in_the_officials_area_filter(client, official):
    mine = TaskFactory(owner=official)
    client.force_login(official)
    assert area_labels(client) == ["All areas", str(mine.area)]
    # The admin and the import add tasks with one service; it renews the figures like this.
    elsewhere = TaskFactory(owner=official)
    caching.tasks_changed()
    assert area_labels(client) == ["All areas", str(mine.area), str(elsewhere.area)]


def test_an_area_renamed_is_offered_at_once_and_keeps_every_dashboard(client, official, late_task):
    client.force_login(official)
    client.get("/tasks/")
    client.get("/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/")
    area = late_task.area
    area.title = "Renamed area"
    area.save()
    caching.areas_changed()  # what the area's change form does when it saves
    assert area_labels(client) == ["All areas", f"{area.number}. Renamed area"]
    with CaptureQueriesContext(connection) as after:
        client.get("/")
    assert len(after) == len(warm)


def test_a_leaf_task_page_runs_no_subtask_query(client, official, django_assert_num_queries):
    leaf = TaskFactory(owner=official)
    parent = TaskFactory(owner=official, area=leaf.area)
    TaskFactory(owner=official, area=leaf.area, parent=parent)
    client.force_login(official)
    client.get(f"/tasks/{leaf.pk}/")
    # Session, user, the working-day overrides, the task, its supporting departments and its
    # reports (none: no evidence); the header's unread notifications; the extension request
    # box's latest request and extension count; the instructions and urge notices standing on
    # the task (WORKPLAN_TASK_PANELS); the task's report cycle (workplan/marks.py).
    with django_assert_num_queries(12):
        response = client.get(f"/tasks/{leaf.pk}/")
    assert response.context["subtasks"] == []
    with django_assert_num_queries(13):  # the same and its sub-tasks
        response = client.get(f"/tasks/{parent.pk}/")
    assert len(response.context["subtasks"]) == 1
