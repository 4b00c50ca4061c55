"""Reporting and reviewing through the API: the portal's services, rules and answers."""

import pytest

from tests.factories import ProgressReportFactory
from workplan.models import ReviewState

pytestmark = pytest.mark.django_db


def report(client, task, **fields):
    data = {"progress": 40, "status": "in_progress", "note": "Site cleared", "version": 1}
    data.update(fields)
    return client.post(f"/api/v1/tasks/{task.pk}/reports/", data, format="json")


def test_a_report_is_recorded_pending_and_moves_the_task_s_version(api, official, task):
    response = report(api.as_user(official), task, version=task.version)
    assert response.status_code == 201
    assert response.json()["review_state"] == "pending"
    task.refresh_from_db()
    assert task.version == 2
    assert task.progress == 10  # only an approval changes it
    listed = api.get(f"/api/v1/tasks/{task.pk}/reports/").json()["results"]
    assert [row["id"] for row in listed] == [response.json()["id"]]


def test_a_stale_version_is_409_with_what_changed_and_the_task_now(api, official, task):
    client = api.as_user(official)
    assert report(client, task, note="First").status_code == 201
    response = report(client, task, note="Second", version=1)
    assert response.status_code == 409
    body = response.json()
    assert body["task"]["version"] == 2
    assert body["task"]["pending_progress"] == 40
    assert any("First" in change for change in body["changes"])
    assert task.reports.count() == 1


def test_bad_input_is_400_with_a_message_per_field(api, official, task):
    response = report(api.as_user(official), task, progress=140, status="done", version="x")
    assert response.status_code == 400
    assert set(response.json()) == {"progress", "status", "version"}
    blocked = report(api, task, status="blocked", note="  ")
    assert blocked.status_code == 400
    assert "note" in blocked.json()
    completed = report(api, task, status="completed", progress=90)
    assert completed.status_code == 400
    assert "progress" in completed.json()
    assert task.reports.count() == 0


def test_a_supervisor_approves_and_the_report_becomes_the_task_s(api, supervisor, task):
    pending = ProgressReportFactory(task=task, progress=70)
    response = api.as_user(supervisor).post(
        f"/api/v1/reports/{pending.pk}/approve/", {}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["review_state"] == "approved"
    task.refresh_from_db()
    assert task.progress == 70
    again = api.post(f"/api/v1/reports/{pending.pk}/approve/", {}, format="json")
    assert again.status_code == 409


def test_returning_a_report_needs_a_comment(api, supervisor, task):
    pending = ProgressReportFactory(task=task)
    client = api.as_user(supervisor)
    refused = client.post(f"/api/v1/reports/{pending.pk}/return/", {"comment": " "}, format="json")
    assert refused.status_code == 400
    assert "non_field_errors" in refused.json()
    response = client.post(
        f"/api/v1/reports/{pending.pk}/return/", {"comment": "Attach the minutes."}, format="json"
    )
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.review_state == ReviewState.RETURNED
    assert pending.review_comment == "Attach the minutes."


def test_the_report_list_filters_by_review_state(api, supervisor, task):
    waiting = ProgressReportFactory(task=task)
    ProgressReportFactory(task=task, review_state=ReviewState.APPROVED)
    rows = api.as_user(supervisor).get("/api/v1/reports/?review_state=pending").json()["results"]
    assert [row["id"] for row in rows] == [waiting.pk]
    assert api.get("/api/v1/reports/?review_state=lost").status_code == 400


def test_a_browser_session_works_and_its_writes_need_the_csrf_token(official, task, client):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(official)
    assert browser.get("/api/v1/tasks/").status_code == 200
    data = {"progress": 20, "status": "in_progress", "version": task.version}
    refused = browser.post(f"/api/v1/tasks/{task.pk}/reports/", data)
    assert refused.status_code == 403
    browser.get("/tasks/")  # any portal page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(f"/api/v1/tasks/{task.pk}/reports/", data, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201
