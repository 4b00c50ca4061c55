"""Tasks through the API: the portal's scope, filters and urgency; pages of fixed cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from tests.factories import AreaFactory, DepartmentFactory, TaskFactory, UserFactory
from workplan.models import TaskStatus
from workplan.selectors import task_list_for

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_an_official_lists_exactly_the_tasks_the_portal_shows_them(api, official, area):
    mine = TaskFactory(area=area, owner=official)
    led = TaskFactory(area=area, owner=UserFactory(department=official.department))
    supported = TaskFactory(area=area)
    supported.supporting_departments.add(official.department)
    TaskFactory(area=area)  # nothing to do with them
    listed = ids(api.as_user(official).get("/api/v1/tasks/"))
    assert listed == sorted([mine.pk, led.pk, supported.pk])
    assert set(listed) == {task.pk for task in task_list_for(official)}


def test_a_task_carries_the_fields_the_contract_names(api, official, task):
    body = api.as_user(official).get(f"/api/v1/tasks/{task.pk}/").json()
    for field in ("id", "title", "area", "owner", "lead_department", "due_date", "status"):
        assert field in body
    assert body["progress"] == task.progress
    assert body["version"] == task.version
    assert body["urgency"] == "on_track"
    assert body["may_report"] is True


def test_the_filters_narrow_the_list_as_on_the_portal(api, admin_user, area):
    today = timezone.localdate()
    other_area = AreaFactory()
    department = DepartmentFactory()
    owner = UserFactory(department=department)
    late = TaskFactory(area=area, owner=owner, due_date=today - datetime.timedelta(days=3))
    later = TaskFactory(
        area=other_area,
        due_date=today + datetime.timedelta(days=90),
        status=TaskStatus.BLOCKED,
        title="Harbour dredging",
    )
    done = TaskFactory(area=area, status=TaskStatus.COMPLETED, progress=100)
    client = api.as_user(admin_user)
    assert ids(client.get(f"/api/v1/tasks/?area={other_area.pk}")) == [later.pk]
    assert ids(client.get("/api/v1/tasks/?status=blocked")) == [later.pk]
    assert ids(client.get("/api/v1/tasks/?urgency=overdue")) == [late.pk]
    assert ids(client.get("/api/v1/tasks/?urgency=done")) == [done.pk]
    assert ids(client.get(f"/api/v1/tasks/?department={department.pk}")) == [late.pk]
    assert ids(client.get(f"/api/v1/tasks/?owner={owner.pk}")) == [late.pk]
    assert ids(client.get("/api/v1/tasks/?q=harbour")) == [later.pk]
    after = (today + datetime.timedelta(days=60)).isoformat()
    assert ids(client.get(f"/api/v1/tasks/?due_after={after}")) == [later.pk]
    before = (today - datetime.timedelta(days=1)).isoformat()
    assert ids(client.get(f"/api/v1/tasks/?due_before={before}")) == [late.pk]


def test_bad_filter_values_answer_400_with_a_message_per_field(api, official, area):
    response = api.as_user(official).get(
        "/api/v1/tasks/?status=finished&urgency=soonish&due_after=someday&area=abc"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"status", "urgency", "due", "area"}


def test_a_search_over_the_caps_is_refused_with_the_portal_s_message(api, official):
    response = api.as_user(official).get("/api/v1/tasks/", {"q": "x " * 11})
    assert response.status_code == 400
    assert "q" in response.json()


def test_pages_follow_the_cursor_without_losing_or_repeating_a_task(api, admin_user, area):
    tasks = [TaskFactory(area=area) for _ in range(7)]
    client = api.as_user(admin_user)
    seen, url = [], "/api/v1/tasks/?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
        if len(seen) == 3:
            TaskFactory(area=area)  # added meanwhile: it comes last, nothing moves
    assert seen[:7] == [task.pk for task in tasks]
    assert len(seen) == len(set(seen)) == 8


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.SUPERVISOR, Role.LEADER, Role.ADMIN])
def test_the_task_list_costs_the_same_queries_at_any_size(api, role, django_assert_num_queries):
    department = DepartmentFactory()
    user = UserFactory(role=role, department=department if role == Role.OFFICIAL else None)
    area = AreaFactory()
    area.supervisors.add(user)
    client = api.as_user(user)

    def tasks(count):
        for index in range(count):
            task = TaskFactory(area=area, owner=user if index % 2 else None)
            task.lead_department = department
            task.save()
            if index % 3 == 0:
                task.reports.create(author=user, progress=5, status="in_progress", task_version=1)

    tasks(3)
    small = _count_queries(client, "/api/v1/tasks/?page_size=2")
    tasks(40)
    assert _count_queries(client, "/api/v1/tasks/?page_size=30") == small
    with django_assert_num_queries(small):
        client.get("/api/v1/tasks/?page_size=5&status=in_progress")
    # The token, the working-day calendar, the department choices of the shared task filter,
    # the page's ids, its rows, their pending reports, the report cycles in use (task marks).
    assert small <= 7


def test_the_task_page_costs_the_same_queries_with_many_reports(api, official, task):
    client = api.as_user(official)
    task.reports.create(author=official, progress=5, status="in_progress", task_version=1)
    few = _count_queries(client, f"/api/v1/tasks/{task.pk}/")
    for _ in range(12):
        task.reports.create(author=official, progress=5, status="in_progress", task_version=1)
    assert _count_queries(client, f"/api/v1/tasks/{task.pk}/") == few


def test_the_area_filter_still_works_once_the_schema_was_generated(api, official, task):
    client = api.as_user(official)
    assert client.get("/api/v1/schema/").status_code == 200
    assert ids(client.get(f"/api/v1/tasks/?area={task.area_id}")) == [task.pk]
