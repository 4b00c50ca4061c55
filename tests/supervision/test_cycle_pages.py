"""Report missing where people look: the task list's filter, the task page, the admin's list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from supervision.models import Frequency, ReportCycle
from tests.factories import ProgressReportFactory, TaskFactory
from tests.workplan.days import portal_today

D = datetime.date
pytestmark = pytest.mark.django_db

# Monthly on day 10: February's deadline (Saturday 02-10, Spring Festival) is Sunday 02-18.
TODAY = D(2024, 2, 19)


@pytest.fixture
def today(monkeypatch):
    portal_today(monkeypatch, TODAY)
    monkeypatch.setattr("supervision.cycles.today", lambda: TODAY)
    return TODAY


@pytest.fixture
def cycle(area, today):
    return ReportCycle.objects.create(
        area=area, frequency=Frequency.MONTHLY, day_of_month=10, start_date=D(2024, 1, 1)
    )


@pytest.fixture
def late(area, official, cycle):
    return TaskFactory(area=area, owner=official, title="Late one", start_date=None)


@pytest.fixture
def reported(area, official, cycle):
    task = TaskFactory(area=area, owner=official, title="Punctual one", start_date=None)
    noon = datetime.datetime.combine(D(2024, 2, 18), datetime.time(12))
    ProgressReportFactory(task=task, created_at=timezone.make_aware(noon))
    return task


def test_the_task_list_filter_keeps_the_tasks_whose_report_is_missing(
    client, official, late, reported
):
    client.force_login(official)
    response = client.get(reverse("workplan:task_list"), {"report_missing": "on"})
    assert response.status_code == 200
    assert "Late one" in response.text
    assert "Punctual one" not in response.text
    assert 'name="report_missing"' in response.text
    everything = client.get(reverse("workplan:task_list")).text
    assert "Punctual one" in everything
    assert everything.count('data-mark="report_missing"') == 1


def test_the_task_page_shows_the_missing_report_and_the_next_deadline_in_both_languages(
    client, official, late, reported
):
    client.force_login(official)
    page = client.get(reverse("workplan:task_detail", args=[late.pk])).text
    assert 'data-mark="report_missing"' in page
    assert "The report due Feb. 18, 2024 was not received." in page
    assert "Next report due March 11, 2024." in page  # Sunday 03-10 moves on
    with translation.override("zh-hans"):
        client.cookies["django_language"] = "zh-hans"
        page = client.get(reverse("workplan:task_detail", args=[late.pk])).text
    assert "未按时报送" in page
    assert "下次报送截止日期：2024年3月11日" in page
    other = client.get(reverse("workplan:task_detail", args=[reported.pk])).text
    assert 'data-mark="report_missing"' not in other


def test_the_admin_task_list_filters_and_marks_the_tasks_whose_report_is_missing(
    client, supervisor, late, reported
):
    client.force_login(supervisor)
    url = reverse("admin:workplan_task_changelist")
    response = client.get(url, {"report_missing": "yes"})
    assert response.status_code == 200
    assert "Late one" in response.text
    assert "Punctual one" not in response.text
    response = client.get(url, {"report_missing": "no"})
    assert "Late one" not in response.text
    assert "Punctual one" in response.text
    assert client.get(url).text.count('data-mark="report_missing"') == 1


def test_the_task_list_costs_the_same_queries_for_many_covered_tasks(
    client, official, area, cycle, django_assert_max_num_queries
):
    client.force_login(official)
    url = reverse("workplan:task_list")
    TaskFactory.create_batch(2, area=area, owner=official, start_date=None)
    with django_assert_max_num_queries(30) as few:
        client.get(url, {"report_missing": "on"})
    TaskFactory.create_batch(20, area=area, owner=official, start_date=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"report_missing": "on"})
    assert response.text.count('data-mark="report_missing"') == 22


def test_the_task_page_costs_the_same_queries_with_many_reports(
    client, official, late, django_assert_max_num_queries
):
    ProgressReportFactory(task=late)
    client.force_login(official)
    url = reverse("workplan:task_detail", args=[late.pk])
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    ProgressReportFactory.create_batch(10, task=late)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
