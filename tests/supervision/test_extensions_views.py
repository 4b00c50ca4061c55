"""The task page's extension request: ask, be refused with the input kept, see the state."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from supervision.models import ExtensionRequest, ExtensionRequestState
from supervision.services.extensions import extension_request_approve, extension_request_create
from tests.factories import DepartmentFactory, TaskFactory, UserFactory
from workplan.services import deadline_extend

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def url(task):
    return reverse("supervision:extension_request_create", args=[task.pk])


def test_the_owner_asks_from_the_task_page(client, task, official):
    client.force_login(official)
    page = client.get(f"/tasks/{task.pk}/")
    assert 'id="extension-form"' in page.text
    new_due = task.due_date + 14 * DAY
    response = client.post(url(task), {"new_due_date": new_due.isoformat(), "reason": "Rain."})
    assert response.status_code == 302
    assert response["Location"] == f"/tasks/{task.pk}/"
    request = ExtensionRequest.objects.get()
    assert (request.new_due_date, request.reason, request.requested_by) == (
        new_due,
        "Rain.",
        official,
    )
    page = client.get(f"/tasks/{task.pk}/")
    assert 'data-state="open"' in page.text
    assert 'id="extension-form"' not in page.text  # one open request per task


@pytest.mark.parametrize(
    ("days", "reason", "message"),
    [
        (0, "Rain.", "Ask for a date after the current due date"),
        (-1, "Rain.", "Ask for a date after the current due date"),
        (5, "", "This field is required"),
        (5, "   ", "This field is required"),
    ],
)
def test_a_refused_request_comes_back_with_its_message_and_what_was_typed(
    client, task, official, days, reason, message
):
    client.force_login(official)
    new_due = (task.due_date + days * DAY).isoformat()
    response = client.post(url(task), {"new_due_date": new_due, "reason": reason})
    assert response.status_code == 200
    assert message in response.text
    assert f'value="{new_due}"' in response.text
    assert not ExtensionRequest.objects.exists()


def test_a_second_request_while_one_is_open_is_refused_with_a_message(client, task, official):
    extension_request_create(
        task=task, user=official, new_due_date=task.due_date + DAY, reason="First."
    )
    client.force_login(official)
    response = client.post(
        url(task), {"new_due_date": (task.due_date + 9 * DAY).isoformat(), "reason": "Second."}
    )
    assert response.status_code == 200
    assert "already has an open extension request" in response.text
    assert "Second." in response.text
    assert ExtensionRequest.objects.count() == 1


def test_a_supporting_official_may_see_but_not_ask(client, task):
    supporter = UserFactory(role=Role.OFFICIAL, department=DepartmentFactory())
    task.supporting_departments.add(supporter.department)
    client.force_login(supporter)
    assert 'id="extension-form"' not in client.get(f"/tasks/{task.pk}/").text
    response = client.post(url(task), {"new_due_date": "2099-01-01", "reason": "x"})
    assert response.status_code == 403


def test_an_official_who_may_not_see_the_task_gets_not_found(client, task):
    client.force_login(UserFactory(role=Role.OFFICIAL, department=DepartmentFactory()))
    response = client.post(url(task), {"new_due_date": "2099-01-01", "reason": "x"})
    assert response.status_code == 404


def test_the_supervisor_sees_the_decision_and_the_extension_count_but_no_form(
    client, task, official, supervisor
):
    deadline_extend(task=task, new_due_date=task.due_date + DAY, reason="Earlier.", user=supervisor)
    task.refresh_from_db()
    request = extension_request_create(
        task=task, user=official, new_due_date=task.due_date + 7 * DAY, reason="Rain."
    )
    extension_request_approve(request=request, user=supervisor, comment="Once more.")
    client.force_login(supervisor)
    page = client.get(f"/tasks/{task.pk}/").text
    assert 'data-state="approved"' in page
    assert "The deadline was extended 2 times." in page
    assert "Once more." in page
    assert 'id="extension-form"' not in page
    client.force_login(official)
    page = client.get(f"/tasks/{task.pk}/").text
    assert 'id="extension-form"' in page  # decided: another may be asked


def test_the_panel_reads_chinese(client, task, official):
    official.preferred_language = "zh-hans"
    official.save()
    client.force_login(official)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(f"/tasks/{task.pk}/", headers={"accept-language": "zh-hans"}).text
    assert "延期申请" in page


@pytest.mark.parametrize("requests", [1, 30])
def test_the_task_page_costs_the_same_whatever_the_number_of_requests(
    client, official, supervisor, area, requests, django_assert_max_num_queries
):
    task = TaskFactory(area=area, owner=official)
    for i in range(requests):
        request = extension_request_create(
            task=task, user=official, new_due_date=task.due_date + (i + 1) * DAY, reason=f"R{i}"
        )
        extension_request_approve(request=request, user=supervisor)
        task.refresh_from_db()
    client.force_login(official)
    client.get(f"/tasks/{task.pk}/")
    # The task page's own budget (tests/workplan/test_query_budgets.py) and the panel's two.
    with django_assert_max_num_queries(15):
        response = client.get(f"/tasks/{task.pk}/")
    assert response.context is not None
    assert ExtensionRequest.objects.filter(state=ExtensionRequestState.APPROVED).count() == requests


def test_the_owner_withdraws_the_open_request_and_may_ask_again(client, task, official):
    extension_request_create(
        task=task, user=official, new_due_date=task.due_date + DAY, reason="First."
    )
    client.force_login(official)
    assert 'id="extension-withdraw"' in client.get(f"/tasks/{task.pk}/").text
    withdraw = reverse("supervision:extension_request_withdraw", args=[task.pk])
    response = client.post(withdraw, follow=True)
    assert "Your extension request is withdrawn." in response.text
    assert ExtensionRequest.objects.get().state == ExtensionRequestState.WITHDRAWN
    assert 'data-state="withdrawn"' in response.text
    assert 'id="extension-form"' in response.text
    again = client.post(withdraw, follow=True)
    assert "no open extension request" in again.text


def test_a_supervisor_may_not_withdraw_an_officials_request(client, task, official, supervisor):
    extension_request_create(
        task=task, user=official, new_due_date=task.due_date + DAY, reason="First."
    )
    client.force_login(supervisor)
    page = client.get(f"/tasks/{task.pk}/").text
    assert 'id="extension-withdraw"' not in page
    response = client.post(reverse("supervision:extension_request_withdraw", args=[task.pk]))
    assert response.status_code == 403
    assert ExtensionRequest.objects.get().is_open
