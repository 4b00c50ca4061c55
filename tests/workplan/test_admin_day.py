"""A supervisor's day in the back office, each form submitted as its page renders it."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import UserFactory
from tests.rendered_forms import post_data, rendered_form
from workplan.models import DeadlineExtension

pytestmark = pytest.mark.django_db


@pytest.fixture
def sup_client(client, supervisor):
    client.force_login(supervisor)
    return client


def _action_page(client, task, action):
    """Open an action's form from the task page's button, as a supervisor clicks it."""
    page = client.get(reverse("admin:workplan_task_change", args=[task.pk]))
    assert page.status_code == 200
    buttons = [
        form
        for form in page.text.split("<form")
        if f'name="action" value="{action}"' in form and "object-tool-form" in form
    ]
    assert len(buttons) == 1
    button = rendered_form("<form" + buttons[0], method="post")
    response = client.post(button["action"], post_data(button))
    assert response.status_code == 200, response.status_code
    return response


def test_reassigning_from_the_task_page_renders_a_search_box_and_changes_the_owner(
    sup_client, task
):
    new_owner = UserFactory(role=Role.OFFICIAL, first_name="Wei", last_name="Zhang")
    response = _action_page(sup_client, task, "reassign_owner")
    assert "admin-autocomplete" in response.text
    form = rendered_form(response.text, id="action-form")
    done = sup_client.post(
        form["action"] or response.request["PATH_INFO"],
        post_data(form, "apply", owner=str(new_owner.pk)),
    )
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.owner == new_owner


def test_reassigning_from_the_changelist_renders_the_form(sup_client, task):
    url = reverse("admin:workplan_task_changelist")
    response = sup_client.post(url, {"action": "reassign_owner", "_selected_action": [task.pk]})
    assert response.status_code == 200
    assert 'name="owner"' in response.text
