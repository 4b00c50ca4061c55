import pytest

from accounts.models import Role
from tests.factories import AreaFactory, DepartmentFactory, TaskFactory, UserFactory
from workplan.models import Task, TaskStatus
from workplan.permissions import (
    can_view_task,
    visible_task_branches,
    visible_tasks,
    visible_tasks_among_few,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(official, department):
    other_department = DepartmentFactory()
    stranger = UserFactory(department=other_department)
    owned = TaskFactory(owner=official, lead_department=other_department)
    led = TaskFactory(owner=stranger, lead_department=department)
    supported = TaskFactory(owner=stranger, lead_department=other_department)
    supported.supporting_departments.add(department)
    everything = TaskFactory(owner=official, lead_department=department)
    everything.supporting_departments.add(department, other_department)
    unrelated = TaskFactory(owner=stranger, lead_department=other_department)
    unrelated.supporting_departments.add(other_department)
    return {
        "owned": owned,
        "led": led,
        "supported": supported,
        "everything": everything,
        "unrelated": unrelated,
    }


def test_an_official_sees_tasks_owned_led_or_supported_by_their_department_once_each(
    official, scene
):
    seen = list(visible_tasks(official).order_by("pk"))

    expected = [scene[k] for k in ("owned", "led", "supported", "everything")]
    assert seen == sorted(expected, key=lambda t: t.pk)


def test_every_form_of_an_officials_scope_describes_the_same_tasks(official, scene):
    seen = set(visible_tasks(official).values_list("pk", flat=True))

    one_by_one = set(
        visible_tasks_among_few(official, Task.objects.all()).values_list("pk", flat=True)
    )
    branches = set().union(
        *(branch.values_list("pk", flat=True) for branch in visible_task_branches(official))
    )
    in_python = {task.pk for task in Task.objects.all() if can_view_task(official, task)}
    assert seen == one_by_one == branches == in_python
    assert scene["unrelated"].pk not in seen


def test_an_official_without_a_department_sees_only_their_own_tasks(scene):
    loner = UserFactory(department=None)
    own = TaskFactory(owner=loner, lead_department=None)

    assert list(visible_tasks(loner)) == [own]


def test_visible_tasks_narrows_a_given_queryset_and_counts_in_one_query(
    official, scene, django_assert_num_queries
):
    scene["led"].status = TaskStatus.BLOCKED
    scene["led"].save()
    blocked = Task.objects.filter(status=TaskStatus.BLOCKED)

    with django_assert_num_queries(1):
        assert visible_tasks(official, blocked).count() == 1


def test_supervisors_and_admins_keep_their_scope(supervisor, scene):
    area = AreaFactory()
    area.supervisors.add(supervisor)
    in_area = TaskFactory(area=area)
    admin = UserFactory(role=Role.ADMIN)

    assert list(visible_tasks(supervisor)) == [in_area]
    assert visible_tasks(admin).count() == Task.objects.count()


def test_an_inactive_official_sees_nothing(official, scene):
    official.is_active = False
    official.save()

    assert not visible_tasks(official).exists()


@pytest.mark.parametrize("who", ["official", "no department", "supervisor", "admin", "inactive"])
def test_testing_a_few_rows_gives_the_same_tasks_as_the_whole_scope(official, scene, who):
    from workplan.permissions import visible_tasks_among_few

    user = {
        "official": official,
        "no department": UserFactory(role=Role.OFFICIAL, department=None),
        "supervisor": UserFactory(role=Role.SUPERVISOR),
        "admin": UserFactory(role=Role.ADMIN),
        "inactive": UserFactory(
            role=Role.OFFICIAL, department=official.department, is_active=False
        ),
    }[who]
    if who == "no department":
        scene["unrelated"].owner = user
        scene["unrelated"].save()
    if who == "supervisor":
        scene["led"].area.supervisors.add(user)
    for task in Task.objects.all():
        one = Task.objects.filter(pk=task.pk)
        assert list(visible_tasks_among_few(user, one)) == list(visible_tasks(user, one))
    everything = list(visible_tasks(user).order_by("pk"))
    assert list(visible_tasks_among_few(user, Task.objects.order_by("pk"))) == everything


def test_a_leader_sees_every_task_and_area_and_reports_on_none(scene):
    from workplan.permissions import can_change_task, can_report_on_task, visible_areas

    leader = UserFactory(role=Role.LEADER, department=None)

    assert set(visible_tasks(leader)) == set(Task.objects.all())
    assert set(visible_tasks_among_few(leader, Task.objects.all())) == set(Task.objects.all())
    assert visible_task_branches(leader) is None
    assert visible_areas(leader).count() == len({task.area_id for task in Task.objects.all()})
    for task in Task.objects.all():
        assert can_view_task(leader, task)
        assert not can_report_on_task(leader, task)
        assert not can_change_task(leader, task)


def test_a_leader_never_enters_the_admin():
    from accounts.permissions import can_use_admin

    leader = UserFactory(role=Role.LEADER)

    assert not leader.is_staff
    assert not can_use_admin(leader)
