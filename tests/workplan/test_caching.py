"""Cached figures are read afresh after every change that could make them wrong."""

import pytest

from accounts.models import Role
from tests.factories import AreaFactory, TaskFactory, UserFactory
from workplan.caching import cached_figure, tasks_generation
from workplan.models import TaskStatus
from workplan.services import report_approve, task_report_progress

pytestmark = pytest.mark.django_db


def test_a_figure_is_built_once_per_generation():
    built = []

    def build():
        built.append(1)
        return len(built)

    assert cached_figure("answer", build) == 1
    assert cached_figure("answer", build) == 1
    TaskFactory()
    assert cached_figure("answer", build) == 2


def test_saving_or_deleting_a_task_moves_the_generation_on():
    task = TaskFactory()
    before = tasks_generation()
    task.progress = 30
    task.save()
    after_save = tasks_generation()
    assert after_save > before
    task.delete()
    assert tasks_generation() > after_save


def test_a_supporting_department_added_moves_the_generation_on(department):
    task = TaskFactory()
    before = tasks_generation()
    task.supporting_departments.add(department)
    assert tasks_generation() > before


def test_a_report_keeps_the_figures_and_its_approval_renews_them(official):
    task = TaskFactory(owner=official, progress=0)
    supervisor = UserFactory(role=Role.SUPERVISOR)
    task.area.supervisors.add(supervisor)
    before = tasks_generation()
    report = task_report_progress(
        task=task,
        author=official,
        progress=50,
        status=TaskStatus.IN_PROGRESS,
        expected_version=task.version,
    )
    # Only the task's version moved on: progress and status wait for the review.
    assert tasks_generation() == before
    report_approve(report=report, reviewer=supervisor)
    assert tasks_generation() > before


def test_a_renamed_department_shows_in_the_task_filter_at_once(client, official, department):
    client.force_login(official)
    assert department.name in client.get("/tasks/").content.decode()
    department.name = "Renamed bureau"
    department.save()
    assert "Renamed bureau" in client.get("/tasks/").content.decode()


def test_a_leaf_task_page_runs_no_subtask_query(client, official, django_assert_num_queries):
    leaf = TaskFactory(owner=official)
    parent = TaskFactory(owner=official, area=leaf.area)
    TaskFactory(owner=official, area=leaf.area, parent=parent)
    client.force_login(official)
    client.get(f"/tasks/{leaf.pk}/")
    # Session, user, the task, its supporting departments and its reports (none: no evidence).
    with django_assert_num_queries(5):
        response = client.get(f"/tasks/{leaf.pk}/")
    assert response.context["subtasks"] == []
    with django_assert_num_queries(6):  # the same and its sub-tasks
        response = client.get(f"/tasks/{parent.pk}/")
    assert len(response.context["subtasks"]) == 1


def test_a_new_area_is_offered_to_an_admin_at_once(client, admin_user):
    TaskFactory()
    client.force_login(admin_user)
    before = len(client.get("/tasks/").context["filter"].form.fields["area"].choices)
    area = AreaFactory()
    after = client.get("/tasks/").context["filter"].form.fields["area"].choices
    assert len(after) == before + 1
    assert (area.pk, str(area)) in after
    area.title = "Renamed area"
    area.save()
    after = client.get("/tasks/").context["filter"].form.fields["area"].choices
    assert (area.pk, f"{area.number}. Renamed area") in after


def test_without_a_shared_cache_every_figure_is_built_afresh(settings):
    settings.WORKPLAN_CACHE_FIGURES = False
    built = []
    cached_figure("answer", lambda: built.append(1) or len(built))
    cached_figure("answer", lambda: built.append(1) or len(built))
    assert len(built) == 2


def test_a_pages_figures_are_shared_with_cached_figure_and_renewed_by_a_change():
    from workplan.caching import Figures

    assert cached_figure("shared", lambda: "before") == "before"
    figures = Figures(["shared", "absent"])
    assert figures.get("shared", lambda: "rebuilt") == "before"
    assert figures.get("absent", lambda: "built") == "built"
    assert cached_figure("absent", lambda: "again") == "built"
    TaskFactory()
    assert Figures(["shared"]).get("shared", lambda: "after") == "after"


def test_a_figure_not_named_in_the_batch_is_still_read_from_the_cache():
    from workplan.caching import Figures

    assert cached_figure("completion", lambda: "cached") == "cached"
    assert Figures().get("completion", lambda: "rebuilt") == "cached"
    assert Figures(["other"]).get("completion", lambda: "rebuilt") == "cached"
