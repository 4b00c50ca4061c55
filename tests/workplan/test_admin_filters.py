"""The lead-department filter: Django's own filter, its choices limited to the user's scope."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import AreaFactory, DepartmentFactory, TaskFactory, UserFactory
from workplan.admin.filters import LeadDepartmentFilter

pytestmark = pytest.mark.django_db

URL = reverse("admin:workplan_task_changelist")


def _department_filter(response):
    cl = response.context["cl"]
    (found,) = [f for f in cl.filter_specs if isinstance(f, LeadDepartmentFilter)]
    return found


def _shown(response):
    return sorted(name for _, name in _department_filter(response).lookup_choices)


@pytest.fixture
def led_tasks(area):
    for name in ["Roads", "Water", "Schools"]:
        TaskFactory(area=area, lead_department=DepartmentFactory(name=name))
    TaskFactory(area=AreaFactory(), lead_department=DepartmentFactory(name="Elsewhere"))
    return area


def test_a_supervisor_sees_only_departments_leading_their_tasks(client, supervisor, led_tasks):
    client.force_login(supervisor)
    assert _shown(client.get(URL)) == ["Roads", "Schools", "Water"]


def test_an_admin_sees_every_department(client, led_tasks):
    DepartmentFactory(name="Leads nothing")
    client.force_login(UserFactory(role=Role.ADMIN, department=None))
    shown = _shown(client.get(URL))
    assert {"Roads", "Schools", "Water", "Elsewhere", "Leads nothing"} <= set(shown)


def test_the_choices_follow_a_new_task_and_a_renamed_department(client, supervisor, led_tasks):
    client.force_login(supervisor)
    client.get(URL)
    parks = TaskFactory(area=led_tasks, lead_department=DepartmentFactory(name="Parks"))
    parks.lead_department.name = "Parks and gardens"
    parks.lead_department.save()
    assert "Parks and gardens" in _shown(client.get(URL))


def test_the_choices_are_kept_apart_per_user(client, supervisor, led_tasks):
    client.force_login(supervisor)
    client.get(URL)
    other = UserFactory(role=Role.SUPERVISOR)
    theirs = AreaFactory()
    theirs.supervisors.add(other)
    TaskFactory(area=theirs, lead_department=DepartmentFactory(name="Harbour"))
    client.force_login(other)
    assert _shown(client.get(URL)) == ["Harbour"]


def test_choosing_a_department_lists_only_the_tasks_it_leads(client, supervisor, led_tasks):
    client.force_login(supervisor)
    roads = led_tasks.tasks.get(lead_department__name="Roads")
    response = client.get(URL, {"lead_department__id__exact": roads.lead_department_id})
    assert list(response.context["cl"].result_list) == [roads]


def test_the_filter_is_drawn_by_djangos_own_template_with_names_escaped(
    client, supervisor, led_tasks
):
    led_tasks.tasks.update(lead_department=DepartmentFactory(name='R&D <"Lab">'))
    client.force_login(supervisor)
    response = client.get(URL)
    assert _department_filter(response).template == "admin/filter.html"
    assert "R&amp;D &lt;&quot;Lab&quot;&gt;" in response.text
    assert 'R&D <"Lab">' not in response.text
