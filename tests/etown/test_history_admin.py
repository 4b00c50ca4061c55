"""The page of a past version in the admin shows it; it never saves anything."""

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Role
from etown.history_admin import ReadOnlyHistoryAdmin
from tests.factories import AreaFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_admin_with_a_history_keeps_past_versions_read_only():
    with_history = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, SimpleHistoryAdmin)
    ]
    assert with_history
    writable = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, SimpleHistoryAdmin)
        and not isinstance(model_admin, ReadOnlyHistoryAdmin)
    ]
    assert writable == []


def test_a_supervisor_cannot_make_themselves_superuser_through_their_history_page(client):
    supervisor = UserFactory(role=Role.SUPERVISOR, username="sup")
    client.force_login(supervisor)
    version = supervisor.history.first()
    url = reverse("admin:accounts_user_simple_history", args=[supervisor.pk, version.history_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "username": "sup",
            "email": "sup@etown.example",
            "role": Role.ADMIN,
            "is_superuser": "on",
            "is_staff": "on",
            "is_active": "on",
            "date_joined_0": "2024-01-01",
            "date_joined_1": "00:00:00",
            "calendar_token": supervisor.calendar_token,
        },
    )
    assert response.status_code == 403
    supervisor.refresh_from_db()
    assert (supervisor.role, supervisor.is_superuser) == (Role.SUPERVISOR, False)


def test_a_supervisor_who_may_only_view_an_area_cannot_change_it_through_its_history(client):
    supervisor = UserFactory(role=Role.SUPERVISOR)
    area = AreaFactory(title="Digital economy")
    area.supervisors.add(supervisor)
    number = area.number
    client.force_login(supervisor)
    version = area.history.first()
    response = client.post(
        reverse("admin:workplan_area_simple_history", args=[area.pk, version.history_id]),
        {"plan": area.plan_id, "number": 7, "title": "Renamed", "supervisors": [supervisor.pk]},
    )
    assert response.status_code == 403
    area.refresh_from_db()
    assert (area.number, area.title) == (number, "Digital economy")


@pytest.mark.parametrize("model", ["task", "area"])
def test_a_history_out_of_a_supervisors_scope_answers_as_a_missing_one(client, model):
    supervisor = UserFactory(role=Role.SUPERVISOR)
    AreaFactory().supervisors.add(supervisor)
    task = TaskFactory(area=AreaFactory())
    obj = task if model == "task" else task.area
    version = obj.history.first()
    client.force_login(supervisor)
    history = f"admin:workplan_{model}_history"
    past = f"admin:workplan_{model}_simple_history"
    missing_pk = obj.pk + 10_000
    answers = {
        "history": client.get(reverse(history, args=[obj.pk])).status_code,
        "missing history": client.get(reverse(history, args=[missing_pk])).status_code,
        "past version": client.get(reverse(past, args=[obj.pk, version.history_id])).status_code,
        "missing version": client.get(
            reverse(past, args=[missing_pk, version.history_id + 10_000])
        ).status_code,
    }
    assert answers == dict.fromkeys(answers, 404)


def test_a_history_in_a_supervisors_scope_opens(client):
    supervisor = UserFactory(role=Role.SUPERVISOR)
    area = AreaFactory()
    area.supervisors.add(supervisor)
    task = TaskFactory(area=area)
    client.force_login(supervisor)
    assert client.get(reverse("admin:workplan_task_history", args=[task.pk])).status_code == 200
    version = task.history.first()
    url = reverse("admin:workplan_task_simple_history", args=[task.pk, version.history_id])
    assert client.get(url).status_code == 200
