"""The supervision workflows through the API: the portal's services, rules and answers."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification, NotificationKind
from notifications.services import notification_send
from supervision.models import (
    ExtensionRequestState,
    Instruction,
    InstructionState,
    UrgeRecipient,
    UrgeState,
)
from supervision.services import instruction_answer, instruction_write, urge_send
from supervision.services.extensions import extension_request_create
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def ids(response):
    return [row["id"] for row in response.json()["results"]]


# --- Notifications -------------------------------------------------------------------------


def notify(user, count=1):
    return [
        notification_send(
            recipient=user,
            kind=NotificationKind.REPORT_APPROVED,
            url="/",
            params={"task": "Road"},
            mail=False,
        )
        for _ in range(count)
    ]


def test_notifications_are_the_user_s_own_newest_first_and_filter_unread(api, official, supervisor):
    first, second = notify(official, 2)
    notify(supervisor)
    client = api.as_user(official)
    listed = client.get("/api/v1/notifications/")
    assert ids(listed) == [second.pk, first.pk]
    assert listed.json()["results"][0]["text"]  # worded for the reader
    assert client.post(f"/api/v1/notifications/{first.pk}/read/").json()["is_read"] is True
    assert ids(client.get("/api/v1/notifications/?unread=true")) == [second.pk]
    assert ids(client.get("/api/v1/notifications/?unread=false")) == [first.pk]
    assert client.post("/api/v1/notifications/read/").json() == {"marked": 1}
    assert not Notification.objects.filter(recipient=official, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=supervisor, read_at__isnull=True).count() == 1


def test_the_notification_list_costs_the_same_queries_at_any_size(api, official):
    client = api.as_user(official)
    notify(official, 3)
    small = count_queries(client, "/api/v1/notifications/?page_size=2")
    notify(official, 30)
    assert count_queries(client, "/api/v1/notifications/?page_size=30") == small


# --- Extension requests --------------------------------------------------------------------


def later(task, days=20):
    return (task.due_date + datetime.timedelta(days=days)).isoformat()


def test_an_official_asks_and_the_supervisor_approves_moving_the_due_date(
    api, official, supervisor, task
):
    asked = api.as_user(official).post(
        "/api/v1/extension-requests/",
        {"task": task.pk, "new_due_date": later(task), "reason": "The permit is late."},
        format="json",
    )
    assert asked.status_code == 201, asked.content
    assert asked.json()["state"] == ExtensionRequestState.OPEN
    pk = asked.json()["id"]
    again = api.post(
        "/api/v1/extension-requests/",
        {"task": task.pk, "new_due_date": later(task, 30), "reason": "Still late."},
        format="json",
    )
    assert again.status_code == 409
    approved = api.as_user(supervisor).post(
        f"/api/v1/extension-requests/{pk}/approve/", {}, format="json"
    )
    assert approved.status_code == 200
    assert approved.json()["state"] == ExtensionRequestState.APPROVED
    task.refresh_from_db()
    assert task.due_date.isoformat() == asked.json()["new_due_date"]
    decided_twice = api.post(f"/api/v1/extension-requests/{pk}/deny/", {"comment": "No."})
    assert decided_twice.status_code == 409


def test_a_denial_needs_a_comment_and_tells_the_official(api, official, supervisor, task):
    request = extension_request_create(
        task=task,
        user=official,
        new_due_date=task.due_date + datetime.timedelta(days=9),
        reason="x",
    )
    client = api.as_user(supervisor)
    url = f"/api/v1/extension-requests/{request.pk}/deny/"
    empty = client.post(url, {"comment": " "}, format="json")
    assert empty.status_code == 400
    assert empty.json()["non_field_errors"]
    denied = client.post(url, {"comment": "Finish on time."}, format="json")
    assert denied.json()["state"] == ExtensionRequestState.DENIED
    assert official.notifications.filter(kind=NotificationKind.EXTENSION_DECIDED).exists()


def test_extension_requests_are_listed_with_the_tasks_one_may_see(api, official, task):
    mine = extension_request_create(
        task=task,
        user=official,
        new_due_date=task.due_date + datetime.timedelta(days=9),
        reason="x",
    )
    other_task = TaskFactory()
    extension_request_create(
        task=other_task,
        user=other_task.owner,
        new_due_date=other_task.due_date + datetime.timedelta(days=9),
        reason="y",
    )
    assert ids(api.as_user(official).get("/api/v1/extension-requests/")) == [mine.pk]


def test_the_extension_request_list_costs_the_same_queries_at_any_size(api, admin_user):
    def requests(count):
        for _ in range(count):
            task = TaskFactory()
            extension_request_create(
                task=task,
                user=task.owner,
                new_due_date=task.due_date + datetime.timedelta(days=9),
                reason="More time.",
            )

    client = api.as_user(admin_user)
    requests(3)
    small = count_queries(client, "/api/v1/extension-requests/?page_size=2")
    requests(25)
    assert count_queries(client, "/api/v1/extension-requests/?page_size=25") == small


# --- Urge notices --------------------------------------------------------------------------


def test_a_supervisor_urges_and_the_owner_acknowledges_and_replies(api, official, supervisor, task):
    sent = api.as_user(supervisor).post(
        "/api/v1/urges/", {"tasks": [task.pk], "message": "Report by Friday."}, format="json"
    )
    assert sent.status_code == 201, sent.content
    [row] = sent.json()
    assert (row["task"], row["recipient"], row["state"]) == (task.pk, official.pk, "sent")
    assert ids(api.get("/api/v1/urges/")) == [row["id"]]  # the sender follows it
    client = api.as_user(official)
    assert ids(client.get("/api/v1/urges/")) == [row["id"]]  # the recipient answers it
    acknowledged = client.post(f"/api/v1/urges/{row['id']}/acknowledge/")
    assert acknowledged.json()["state"] == UrgeState.ACKNOWLEDGED
    replied = client.post(f"/api/v1/urges/{row['id']}/reply/", {"note": "Sent today."})
    assert replied.json()["state"] == UrgeState.REPLIED
    assert replied.json()["reply"] == "Sent today."
    other = client.post(f"/api/v1/urges/{row['id']}/reply/", {"note": "Something else."})
    assert other.status_code == 409
    assert UrgeRecipient.objects.get(pk=row["id"]).reply == "Sent today."


def test_an_urge_names_tasks_the_sender_may_urge_only(api, supervisor, task):
    elsewhere = TaskFactory()
    client = api.as_user(supervisor)
    response = client.post(
        "/api/v1/urges/", {"tasks": [task.pk, elsewhere.pk], "message": "Hurry."}, format="json"
    )
    assert response.status_code == 404
    assert not UrgeRecipient.objects.exists()


def test_the_urge_lists_cost_the_same_queries_at_any_size(api, official, supervisor, area):
    def urge(count):
        tasks = [TaskFactory(area=area, owner=official) for _ in range(count)]
        urge_send(sender=supervisor, tasks=tasks, message="Report.")

    urge(3)
    for user in (official, supervisor):
        small = count_queries(api.as_user(user), "/api/v1/urges/?page_size=2")
        urge(25)
        assert count_queries(api, "/api/v1/urges/?page_size=25") == small


# --- Leaders' instructions -----------------------------------------------------------------


def test_a_leader_instructs_the_owner_answers_and_the_leader_closes(api, leader, official, task):
    written = api.as_user(leader).post(
        "/api/v1/instructions/",
        {"task": task.pk, "text": "Finish before the holiday.", "respond_by": None},
        format="json",
    )
    assert written.status_code == 201, written.content
    pk = written.json()["id"]
    assert written.json()["area"] == task.area_id
    answered = api.as_user(official).post(
        f"/api/v1/instructions/{pk}/answer/", {"text": "Done on Monday."}, format="json"
    )
    assert answered.status_code == 201
    assert answered.json()["state"] == InstructionState.ANSWERED
    assert [a["text"] for a in answered.json()["answers"]] == ["Done on Monday."]
    closed = api.as_user(leader).post(f"/api/v1/instructions/{pk}/close/")
    assert closed.json()["state"] == InstructionState.CLOSED
    assert ids(api.get("/api/v1/instructions/")) == []
    assert ids(api.get("/api/v1/instructions/?state=all")) == [pk]


def test_an_instruction_with_a_past_response_date_is_400_on_that_field(api, leader, task):
    response = api.as_user(leader).post(
        "/api/v1/instructions/",
        {"task": task.pk, "text": "Now.", "respond_by": "2000-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "respond_by" in response.json()
    assert not Instruction.objects.exists()


def test_the_instruction_list_costs_the_same_queries_at_any_size(api, leader, official, area):
    def instruct(count):
        for _ in range(count):
            task = TaskFactory(area=area, owner=official, lead_department=official.department)
            instruction = instruction_write(author=leader, text="Hurry.", task=task)
            instruction_answer(instruction=instruction, user=official, text="Done.")

    instruct(3)
    small = count_queries(api.as_user(official), "/api/v1/instructions/?page_size=2")
    instruct(25)
    assert count_queries(api, "/api/v1/instructions/?page_size=25") == small
