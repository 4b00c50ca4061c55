"""The task changelist's date hierarchy lists the same years and months as Django's own."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from tests.factories import AreaFactory, TaskFactory, UserFactory
from workplan.admin.hierarchy import DateProbeQuerySet
from workplan.caching import tasks_changed
from workplan.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks_due_in_2023_2025_and_2026():
    area = AreaFactory()
    for due in ["2023-12-31", "2025-01-01", "2025-03-15", "2025-03-20", "2026-07-01"]:
        TaskFactory(area=area, start_date=None, due_date=datetime.date.fromisoformat(due))
    TaskFactory(area=area, start_date=None, due_date=None)
    return area


def probing(queryset):
    queryset.__class__ = DateProbeQuerySet
    return queryset


@pytest.mark.parametrize("kind", ["year", "month"])
def test_the_probed_dates_are_the_dates_django_lists(tasks_due_in_2023_2025_and_2026, kind):
    expected = list(Task.objects.dates("due_date", kind))
    assert list(probing(Task.objects.all()).dates("due_date", kind)) == expected
    assert list(probing(Task.objects.all()).dates("due_date", kind, "DESC")) == expected[::-1]


def test_a_year_without_tasks_is_not_offered(tasks_due_in_2023_2025_and_2026):
    years = [day.year for day in probing(Task.objects.all()).dates("due_date", "year")]
    assert years == [2023, 2025, 2026]


def test_no_dates_when_no_task_has_a_due_date():
    TaskFactory(start_date=None, due_date=None)
    assert list(probing(Task.objects.all()).dates("due_date", "year")) == []


def test_the_changelist_offers_the_years_then_the_months_of_the_tasks(
    client, tasks_due_in_2023_2025_and_2026
):
    client.force_login(UserFactory(role=Role.ADMIN))
    url = reverse("admin:workplan_task_changelist")
    years = client.get(url).text
    assert "?due_date__year=2023" in years
    assert "?due_date__year=2024" not in years
    assert "?due_date__year=2026" in years
    months = client.get(url + "?due_date__year=2025").text
    assert "due_date__month=1" in months
    assert "due_date__month=3" in months
    assert "due_date__month=2&" not in months


def test_a_supervisor_is_offered_only_the_years_of_tasks_in_their_areas(
    client, supervisor, tasks_due_in_2023_2025_and_2026
):
    mine = AreaFactory()
    mine.supervisors.add(supervisor)
    TaskFactory(area=mine, start_date=None, due_date=datetime.date(2030, 5, 1))
    client.force_login(supervisor)
    page = client.get(reverse("admin:workplan_task_changelist")).text
    # A single year and month: Django opens the hierarchy on that month's days.
    assert "due_date__year=2023" not in page
    assert "2030" in page


def test_the_first_and_last_due_dates_are_read_once_for_the_tag_and_the_probes(
    tasks_due_in_2023_2025_and_2026, django_assert_num_queries
):
    from django.db.models import Max, Min

    tasks = probing(Task.objects.all())
    with django_assert_num_queries(1):
        span = tasks.aggregate(first=Min("due_date"), last=Max("due_date"))
        assert tasks.aggregate(first=Min("due_date"), last=Max("due_date")) == span
    assert span == {"first": datetime.date(2023, 12, 31), "last": datetime.date(2026, 7, 1)}
    with django_assert_num_queries(2):
        tasks.aggregate(first=Min("start_date"), last=Max("start_date"))
        tasks.aggregate(first=Min("due_date"), last=Max("start_date"))


def _changelist(client, query=""):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:workplan_task_changelist") + query)
    assert response.status_code == 200
    return response, len(queries)


def test_the_count_and_dates_are_cached_until_a_task_changes(
    client, tasks_due_in_2023_2025_and_2026
):
    client.force_login(UserFactory(role=Role.ADMIN))
    first, cold = _changelist(client)
    again, warm = _changelist(client)
    # The count, the first and last due dates, the years' probes and the departments.
    assert warm == cold - 4
    assert again.context["cl"].result_count == first.context["cl"].result_count == 6
    assert "?due_date__year=2027" not in again.text
    TaskFactory(area=tasks_due_in_2023_2025_and_2026, due_date=datetime.date(2027, 5, 1))
    tasks_changed()  # what the task's change form renews when it saves (no signals)
    changed, _ = _changelist(client)
    assert changed.context["cl"].result_count == 7
    assert "?due_date__year=2027" in changed.text


def test_the_figures_are_kept_apart_per_filter_and_per_user(
    client, tasks_due_in_2023_2025_and_2026, supervisor
):
    tasks_due_in_2023_2025_and_2026.supervisors.add(supervisor)
    other = AreaFactory()
    TaskFactory(area=other, due_date=datetime.date(2030, 1, 1))
    client.force_login(UserFactory(role=Role.ADMIN))
    everything, _ = _changelist(client)
    assert everything.context["cl"].result_count == 7
    in_2025, _ = _changelist(client, "?due_date__year=2025")
    assert in_2025.context["cl"].result_count == 3
    client.force_login(supervisor)
    theirs, _ = _changelist(client)
    assert theirs.context["cl"].result_count == 6
    assert "?due_date__year=2030" not in theirs.text


@pytest.mark.parametrize("query", ["?q=Bulk", "?owner=someone", "?review=pending"])
def test_filters_reading_more_than_tasks_are_never_cached(
    client, tasks_due_in_2023_2025_and_2026, query
):
    # Names and reports change without moving the tasks generation on.
    client.force_login(UserFactory(role=Role.ADMIN))
    url = reverse("admin:workplan_task_changelist") + query
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sql = " ".join(query["sql"] for query in queries)
    assert "COUNT(*)" in sql
    assert "MIN(" in sql
