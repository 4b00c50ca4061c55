"""A supervisor of area 3 reaches nothing in area 5: not by list, URL, action, autocomplete,
export, history or review."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import (
    AreaFactory,
    PlanFactory,
    ProgressReportFactory,
    TaskFactory,
    UserFactory,
)
from workplan.models import ReviewState, TaskStatus, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return PlanFactory()


@pytest.fixture
def sup3(plan):
    user = UserFactory(role=Role.SUPERVISOR, username="sup3")
    AreaFactory(plan=plan, number=3, title="Area three").supervisors.add(user)
    AreaFactory(plan=plan, number=5, title="Area five")
    return user


@pytest.fixture
def task3(sup3, plan):
    return TaskFactory(area=plan.areas.get(number=3), title="Build the chip fab")


@pytest.fixture
def task5(sup3, plan):
    return TaskFactory(area=plan.areas.get(number=5), title="Secret area five task")


@pytest.fixture
def client3(client, sup3):
    client.force_login(sup3)
    return client


def test_the_task_list_shows_only_tasks_in_the_supervisors_areas(client3, task3, task5):
    response = client3.get(reverse("admin:workplan_task_changelist"))
    assert response.status_code == 200
    assert task3.title in response.text
    assert task5.title not in response.text


def test_a_task_outside_the_supervisors_areas_cannot_be_opened_by_url(client3, task5):
    response = client3.get(reverse("admin:workplan_task_change", args=[task5.pk]))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    response = client3.post(
        reverse("admin:workplan_task_change", args=[task5.pk]), {"title": "Hijacked"}
    )
    task5.refresh_from_db()
    assert task5.title == "Secret area five task"


def test_a_task_cannot_be_moved_into_an_area_the_supervisor_does_not_supervise(
    client3, task3, plan
):
    from django.forms.models import model_to_dict

    data = {
        key: value
        for key, value in model_to_dict(task3).items()
        if value is not None and key != "supporting_departments"
    }
    data["area"] = plan.areas.get(number=5).pk
    for prefix in ("extensions", "reports"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client3.post(reverse("admin:workplan_task_change", args=[task3.pk]), data)
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["area"]
    task3.refresh_from_db()
    assert task3.area.number == 3


def test_history_of_a_task_outside_the_supervisors_areas_is_not_found(client3, task5):
    response = client3.get(reverse("admin:workplan_task_history", args=[task5.pk]))
    assert response.status_code == 404
    record = task5.history.first()
    response = client3.get(
        reverse("admin:workplan_task_simple_history", args=[task5.pk, record.history_id])
    )
    assert response.status_code == 404


def test_actions_on_a_task_outside_the_supervisors_areas_change_nothing(client3, task5):
    due = task5.due_date
    client3.post(
        reverse("admin:workplan_task_changelist"),
        {"action": "mark_done", "_selected_action": [task5.pk], "index": 0},
    )
    client3.post(
        reverse("admin:workplan_task_changelist"),
        {
            "action": "extend_deadline",
            "_selected_action": [task5.pk],
            "apply": "1",
            "new_due_date": (due + datetime.timedelta(days=9)).isoformat(),
            "reason": "Sneaky.",
        },
    )
    task5.refresh_from_db()
    assert task5.status == TaskStatus.IN_PROGRESS
    assert task5.due_date == due


def test_autocomplete_offers_no_task_or_area_outside_the_supervisors_areas(client3, task3, task5):
    url = reverse("admin:autocomplete")
    tasks = client3.get(
        url, {"app_label": "workplan", "model_name": "task", "field_name": "parent", "term": "a"}
    ).json()["results"]
    assert [r["text"] for r in tasks] == [str(task3)]
    areas = client3.get(
        url, {"app_label": "workplan", "model_name": "task", "field_name": "area", "term": "Area"}
    ).json()["results"]
    assert [r["text"] for r in areas] == ["3. Area three"]


def test_the_export_holds_only_tasks_in_the_supervisors_areas(client3, task3, task5):
    response = client3.post(
        reverse("admin:workplan_task_export"),
        {"format": "0", "resource": "0", "taskresource_id": "on", "taskresource_title": "on"},
    )
    assert response.status_code == 200, response.text[:2000]
    body = response.content.decode()
    assert task3.title in body
    assert task5.title not in body


def test_a_report_outside_the_supervisors_areas_cannot_be_seen_or_approved(client3, task3, task5):
    mine = ProgressReportFactory(task=task3, note="Mine")
    theirs = ProgressReportFactory(task=task5, note="Theirs, keep out")

    queue = client3.get(reverse("admin:workplan_progressreport_changelist"))
    assert list(queue.context["cl"].result_list) == [mine]
    assert "keep out" not in queue.text

    client3.post(
        reverse("admin:workplan_progressreport_changelist"),
        {"action": "approve_selected", "_selected_action": [theirs.pk], "index": 0},
    )
    client3.post(
        reverse("admin:workplan_progressreport_change", args=[theirs.pk]), {"_approve": "1"}
    )
    theirs.refresh_from_db()
    assert theirs.review_state == ReviewState.PENDING
    task5.refresh_from_db()
    assert task5.progress == 10


def test_the_area_list_and_filters_show_only_the_supervisors_areas(client3, task3, task5):
    response = client3.get(reverse("admin:workplan_area_changelist"))
    assert "Area three" in response.text
    assert "Area five" not in response.text
    response = client3.get(reverse("admin:workplan_task_changelist"))
    assert "Area five" not in response.text


def test_the_index_counts_only_work_in_the_supervisors_areas(client3, task3, task5):
    yesterday = today() - datetime.timedelta(days=3)
    for task in (task3, task5):
        task.start_date = yesterday - datetime.timedelta(days=10)
        task.due_date = yesterday
        task.save()
    ProgressReportFactory(task=task5)
    response = client3.get(reverse("admin:index"))
    assert response.context["work"].overdue_count == 1
    assert response.context["work"].pending_count == 0
    assert task5.title not in response.text


def test_an_official_gets_a_sign_in_page_at_admin(client, official):
    client.force_login(official)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/admin/login/")
    assert 'name="password"' in response.text
    assert response.context["user"] == official
    response = client.get(reverse("admin:workplan_task_changelist"))
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_an_official_with_a_staff_flag_still_gets_no_admin(client, official):
    official.is_staff = True
    official.save()
    client.force_login(official)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_an_anonymous_visitor_gets_the_admin_sign_in_page(client):
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert 'name="password"' in response.text


def test_an_admin_sees_every_area(client, admin_user, task3, task5):
    client.force_login(admin_user)
    response = client.get(reverse("admin:workplan_task_changelist"))
    assert task3.title in response.text
    assert task5.title in response.text


def test_history_of_an_area_or_report_outside_the_supervisors_areas_is_not_found(client3, task5):
    report = ProgressReportFactory(task=task5)
    response = client3.get(reverse("admin:workplan_area_history", args=[task5.area_id]))
    assert response.status_code == 404
    response = client3.get(reverse("admin:workplan_progressreport_history", args=[report.pk]))
    assert response.status_code == 404


def test_an_official_cannot_sign_in_through_the_admin_form_even_flagged_staff(client, official):
    official.is_staff = True  # the admin's own form would let a staff flag through
    official.save()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": official.username, "password": "correct-horse-battery", "next": "/admin/"},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_supervisor_signs_in_through_the_admin_form(client, sup3):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "sup3", "password": "correct-horse-battery", "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response.url == "/admin/"


def test_the_lead_department_filter_lists_only_departments_leading_tasks_in_the_areas(
    client3, plan, task3, task5
):
    from tests.factories import DepartmentFactory

    DepartmentFactory(name="Leads nothing")
    response = client3.get(reverse("admin:workplan_task_changelist"))
    (spec,) = [s for s in response.context["cl"].filter_specs if s.title == "lead department"]
    assert [name for _, name in spec.lookup_choices] == [str(task3.lead_department)]
    assert str(task5.lead_department) not in [name for _, name in spec.lookup_choices]


def test_the_task_page_asks_once_whether_its_area_is_supervised(client3, task3):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client3.get(reverse("admin:workplan_task_change", args=[task3.pk]))
    assert response.status_code == 200
    asked = [
        q for q in queries if "workplan_area_supervisors" in q["sql"] and "LIMIT 1" in q["sql"]
    ]
    assert len(asked) == 1
