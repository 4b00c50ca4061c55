"""The back office's extension request queue: scoped, open first, decided on its real forms."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from accounts.models import Role
from supervision.models import ExtensionRequest, ExtensionRequestState
from supervision.services.extensions import extension_request_create, extension_request_deny
from tests.factories import AreaFactory, TaskFactory, UserFactory
from workplan.models import DeadlineExtension

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
CHANGELIST = reverse("admin:supervision_extensionrequest_changelist")


def ask(task, reason="Rain."):
    return extension_request_create(
        task=task, user=task.owner, new_due_date=task.due_date + 10 * DAY, reason=reason
    )


@pytest.fixture
def other_task(db):
    return TaskFactory(area=AreaFactory(), title="Elsewhere")


def test_the_queue_shows_open_requests_of_the_supervisors_areas(
    client, supervisor, task, other_task
):
    mine = ask(task, reason="Mine, open")
    ask(other_task, reason="Not mine")
    decided = TaskFactory(area=task.area)
    extension_request_deny(
        request=ask(decided, reason="Mine, denied"), user=supervisor, comment="No"
    )
    client.force_login(supervisor)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [mine]
    everything = client.get(CHANGELIST, {"state": "all"})
    assert {r.reason for r in everything.context["cl"].result_list} == {
        "Mine, open",
        "Mine, denied",
    }


@pytest.mark.parametrize("count", [1, 40])
def test_the_queue_costs_the_same_whatever_the_number_of_requests(
    client, supervisor, area, count, django_assert_max_num_queries
):
    for _ in range(count):
        ask(TaskFactory(area=area))
    client.force_login(supervisor)
    client.get(CHANGELIST)
    with django_assert_max_num_queries(12):
        response = client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == count


def test_the_index_counts_the_open_requests_of_the_supervisors_areas(
    client, supervisor, task, other_task
):
    ask(task)
    ask(other_task)
    client.force_login(supervisor)
    response = client.get(reverse("admin:index"))
    assert response.context["open_extension_requests"] == 1
    assert 'id="today-extension-requests"' in response.text


def test_approving_on_the_change_page_extends_the_deadline(client, supervisor, task):
    request = ask(task)
    client.force_login(supervisor)
    change = reverse("admin:supervision_extensionrequest_change", args=[request.pk])
    page = client.get(change)
    assert 'name="_approve"' in page.text
    response = client.post(change, {"_approve": "1", "comment": "Fine."})
    assert response.status_code == 302
    request.refresh_from_db()
    task.refresh_from_db()
    assert request.state == ExtensionRequestState.APPROVED
    assert task.due_date == request.new_due_date
    assert client.get(change).context["can_decide"] is False


def test_denying_without_a_comment_is_refused_with_a_message(client, supervisor, task):
    request = ask(task)
    client.force_login(supervisor)
    change = reverse("admin:supervision_extensionrequest_change", args=[request.pk])
    response = client.post(change, {"_deny": "1", "comment": ""}, follow=True)
    assert "Say why the request is denied" in response.text
    request.refresh_from_db()
    assert request.is_open


def test_the_approve_action_decides_each_selected_request(client, supervisor, area):
    requests = [ask(TaskFactory(area=area)) for _ in range(3)]
    client.force_login(supervisor)
    response = client.post(
        CHANGELIST,
        {"action": "approve_selected", ACTION_CHECKBOX_NAME: [r.pk for r in requests]},
        follow=True,
    )
    assert "Approved 3 extension requests." in response.text
    assert DeadlineExtension.objects.count() == 3


def test_the_deny_action_asks_for_a_comment_then_denies(client, supervisor, area):
    requests = [ask(TaskFactory(area=area)) for _ in range(2)]
    client.force_login(supervisor)
    selected = {"action": "deny_selected", ACTION_CHECKBOX_NAME: [r.pk for r in requests]}
    form = client.post(CHANGELIST, selected)
    assert form.status_code == 200 and 'name="comment"' in form.text
    refused = client.post(CHANGELIST, {**selected, "apply": "1", "comment": ""})
    assert refused.status_code == 200
    assert ExtensionRequest.objects.filter(state=ExtensionRequestState.OPEN).count() == 2
    client.post(CHANGELIST, {**selected, "apply": "1", "comment": "Not this quarter."})
    assert set(ExtensionRequest.objects.values_list("state", flat=True)) == {"denied"}


def test_a_request_outside_the_supervisors_areas_does_not_exist_for_them(
    client, supervisor, other_task
):
    request = ask(other_task)
    client.force_login(supervisor)
    change = reverse("admin:supervision_extensionrequest_change", args=[request.pk])
    assert client.get(change).status_code == 302
    client.post(change, {"_approve": "1"})
    request.refresh_from_db()
    assert request.is_open


def test_an_official_or_a_leader_never_gets_the_queue(client, task):
    for role in (Role.OFFICIAL, Role.LEADER):
        client.force_login(UserFactory(role=role))
        assert client.get(CHANGELIST).status_code == 302
