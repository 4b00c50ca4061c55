"""The department filters: Django's links and choices, cached until a task or department changes."""

import re

import pytest
from django.contrib.admin.filters import RelatedFieldListFilter
from django.contrib.admin.templatetags.admin_list import admin_list_filter
from django.urls import reverse

from accounts.models import Role
from tests.factories import AreaFactory, DepartmentFactory, TaskFactory, UserFactory
from workplan.admin.filters import DepartmentFilter, LeadDepartmentFilter
from workplan.caching import departments_changed, tasks_changed

pytestmark = pytest.mark.django_db

URL = reverse("admin:workplan_task_changelist")


def _department_filter(response):
    cl = response.context["cl"]
    (found,) = [f for f in cl.filter_specs if isinstance(f, DepartmentFilter)]
    return cl, found


def _choices(response):
    return [
        (c["display"], c["query_string"])
        for c in _department_filter(response)[1].choices(response.context["cl"])
    ]


@pytest.fixture
def led_tasks(area):
    for name in ["Roads", "Water", "Schools"]:
        TaskFactory(area=area, lead_department=DepartmentFactory(name=name))
    TaskFactory(area=AreaFactory(), lead_department=DepartmentFactory(name="Elsewhere"))
    return area


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
@pytest.mark.parametrize(
    "query", ["", "?status__exact=blocked&o=3", "?lead_department__id__exact=1&area=2"]
)
def test_the_links_are_djangos_own(client, supervisor, led_tasks, role, query):
    user = supervisor if role == Role.SUPERVISOR else UserFactory(role=Role.ADMIN)
    client.force_login(user)
    response = client.get(URL + query)
    cl, department_filter = _department_filter(response)
    ours = [
        {key: value for key, value in choice.items() if key != "html"}
        for choice in department_filter.choices(cl)
    ]
    assert ours == list(RelatedFieldListFilter.choices(department_filter, cl))
    assert len(ours) > 3


def test_a_supervisor_sees_only_departments_leading_their_tasks(client, supervisor, led_tasks):
    client.force_login(supervisor)
    _, department_filter = _department_filter(client.get(URL))
    assert isinstance(department_filter, LeadDepartmentFilter)
    shown = [name for _, name in department_filter.lookup_choices]
    assert sorted(shown) == ["Roads", "Schools", "Water"]


def test_the_choices_follow_a_new_task_and_a_renamed_department(client, supervisor, led_tasks):
    client.force_login(supervisor)
    client.get(URL)
    roads = TaskFactory(area=led_tasks, lead_department=DepartmentFactory(name="Parks"))
    roads.lead_department.name = "Parks and gardens"
    roads.lead_department.save()
    # What the task and department change forms renew when they save (no signals).
    tasks_changed()
    departments_changed()
    _, department_filter = _department_filter(client.get(URL))
    shown = [name for _, name in department_filter.lookup_choices]
    assert "Parks and gardens" in shown


def test_the_choices_are_kept_apart_per_user(client, supervisor, led_tasks):
    client.force_login(supervisor)
    client.get(URL)
    other = UserFactory(role=Role.SUPERVISOR)
    theirs = AreaFactory()
    theirs.supervisors.add(other)
    TaskFactory(area=theirs, lead_department=DepartmentFactory(name="Harbour"))
    client.force_login(other)
    _, department_filter = _department_filter(client.get(URL))
    assert [name for _, name in department_filter.lookup_choices] == ["Harbour"]


@pytest.mark.parametrize("query", ["", "?lead_department__isnull=True&q=a%26b"])
def test_the_filter_is_drawn_as_djangos_template_draws_it(client, supervisor, led_tasks, query):
    led_tasks.tasks.update(lead_department=DepartmentFactory(name='R&D <"Lab">'))
    tasks_changed()
    client.force_login(supervisor)
    response = client.get(URL + query)
    cl, department_filter = _department_filter(response)
    ours = admin_list_filter(cl, department_filter)
    department_filter.template = "admin/filter.html"
    djangos = admin_list_filter(cl, department_filter)

    def items(html):
        return re.sub(r">\s+<", "><", html[html.index("<ul>") : html.index("</ul>")]).strip()

    assert items(ours) == items(djangos)
    assert "R&amp;D &lt;&quot;Lab&quot;&gt;" in ours
    assert ours in response.text
