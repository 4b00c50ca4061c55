import pytest

pytestmark = pytest.mark.django_db


def test_the_dashboard_sends_an_anonymous_visitor_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_healthz_needs_no_sign_in_and_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def test_the_dashboard_lists_the_officials_own_task(client, task, official):
    client.force_login(official)
    response = client.get("/")
    assert response.status_code == 200
    assert task.title in response.content.decode()


def test_an_official_cannot_enter_the_admin(client, official):
    client.force_login(official)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_supervisor_can_enter_the_admin(client, supervisor):
    client.force_login(supervisor)
    assert client.get("/admin/").status_code == 200
