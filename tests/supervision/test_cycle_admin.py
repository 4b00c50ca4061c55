"""Report cycles in the admin: a supervisor reaches only their areas' cycles; admins all."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from supervision.models import Frequency, MissedReport, ReportCycle
from tests.factories import AreaFactory, TaskFactory, UserFactory

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(area, task):
    return ReportCycle.objects.create(
        task=task, frequency=Frequency.WEEKLY, weekday=4, start_date=D(2024, 1, 1)
    )


@pytest.fixture
def theirs():
    return ReportCycle.objects.create(
        area=AreaFactory(title="Not my area"),
        frequency=Frequency.MONTHLY,
        day_of_month=5,
        start_date=D(2024, 1, 1),
    )


def test_a_supervisor_lists_and_opens_only_their_areas_cycles(client, supervisor, mine, theirs):
    client.force_login(supervisor)
    listing = client.get(reverse("admin:supervision_reportcycle_changelist"))
    assert listing.status_code == 200
    assert str(mine.task) in listing.text
    assert "Not my area" not in listing.text
    change = client.get(reverse("admin:supervision_reportcycle_change", args=[mine.pk]))
    assert change.status_code == 200
    outside = client.get(reverse("admin:supervision_reportcycle_change", args=[theirs.pk]))
    assert outside.status_code == 302  # the admin's answer to an object it does not show
    history = client.get(reverse("admin:supervision_reportcycle_history", args=[theirs.pk]))
    assert history.status_code == 404


def test_an_admin_lists_every_cycle(client, admin_user, mine, theirs):
    client.force_login(admin_user)
    listing = client.get(reverse("admin:supervision_reportcycle_changelist"))
    assert "Not my area" in listing.text
    assert str(mine.task) in listing.text


def test_a_supervisor_adds_a_cycle_only_on_their_own_areas_tasks(client, supervisor, area, task):
    client.force_login(supervisor)
    url = reverse("admin:supervision_reportcycle_add")
    form = {
        "frequency": Frequency.MONTHLY,
        "day_of_month": "31",
        "start_date": "2024-01-01",
        "active": "on",
    }
    outside = TaskFactory(area=AreaFactory())
    refused = client.post(url, {**form, "task": outside.pk})
    assert refused.status_code == 200  # the form again, with the error on the task
    assert "task" in refused.context["adminform"].form.errors
    both = client.post(url, {**form, "task": task.pk, "area": area.pk})
    assert "not both" in both.text
    done = client.post(url, {**form, "task": task.pk})
    assert done.status_code == 302
    assert ReportCycle.objects.get().task == task


def test_officials_and_leaders_never_reach_the_cycles(client, official, mine):
    for user in (official, UserFactory(role=Role.LEADER)):
        client.force_login(user)
        response = client.get(reverse("admin:supervision_reportcycle_changelist"))
        assert response.status_code == 302


def test_missed_reports_are_read_only_and_scoped(client, supervisor, task):
    elsewhere = TaskFactory(area=AreaFactory(), title="Somewhere else")
    MissedReport.objects.create(task=task, deadline=D(2024, 2, 18), owner=task.owner)
    MissedReport.objects.create(task=elsewhere, deadline=D(2024, 2, 18))
    client.force_login(supervisor)
    listing = client.get(reverse("admin:supervision_missedreport_changelist"))
    assert listing.status_code == 200
    assert str(task) in listing.text
    assert "Somewhere else" not in listing.text
    assert client.get(reverse("admin:supervision_missedreport_add")).status_code == 403


def test_the_cycle_list_costs_the_same_queries_for_many_cycles(
    client, admin_user, area, django_assert_max_num_queries
):
    client.force_login(admin_user)
    url = reverse("admin:supervision_reportcycle_changelist")

    def add(n):
        for task in TaskFactory.create_batch(n, area=area):
            ReportCycle.objects.create(
                task=task, frequency=Frequency.WEEKLY, weekday=1, start_date=D(2024, 1, 1)
            )

    add(2)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("data", [{}, {"area": "abc", "task": "0001-01-01"}])
def test_a_cycle_change_posted_empty_or_with_ids_that_are_none_comes_back_with_errors(
    client, supervisor, mine, data
):
    client.force_login(supervisor)
    url = reverse("admin:supervision_reportcycle_change", args=[mine.pk])
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["errors"]
    stored = ReportCycle.objects.get(pk=mine.pk)
    assert (stored.task_id, stored.area_id) == (mine.task_id, mine.area_id)


def test_the_add_page_with_an_area_that_cannot_be_an_id_opens(client, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("admin:supervision_reportcycle_add") + "?area=0001-01-01")
    assert response.status_code == 200
