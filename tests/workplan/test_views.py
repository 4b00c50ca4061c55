"""Every portal page for every role: allowed, 403, 404 or sent to sign in."""

import pytest
from django.urls import reverse

from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

ROLES = ["official", "colleague", "supporter", "stranger", "supervisor", "other_supervisor"]


@pytest.fixture
def users(request, official, colleague, supporter, stranger, supervisor, other_supervisor):
    return {
        "official": official,
        "colleague": colleague,
        "supporter": supporter,
        "stranger": stranger,
        "supervisor": supervisor,
        "other_supervisor": other_supervisor,
        "admin": request.getfixturevalue("admin_user"),
    }


def test_the_dashboard_sends_an_anonymous_visitor_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/tasks/",
        "/tasks/{task}/",
        "/evidence/{evidence}/",
        "/accounts/calendar/",
        "/accounts/password/change/",
    ],
)
def test_every_portal_page_sends_an_anonymous_visitor_to_sign_in(
    client, task, report_with_evidence, url
):
    evidence = report_with_evidence.evidence.get()
    response = client.get(url.format(task=task.pk, evidence=evidence.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_a_report_posted_by_an_anonymous_visitor_is_sent_to_sign_in(client, task):
    response = client.post(f"/tasks/{task.pk}/", {"progress": 50, "status": "in_progress"})
    assert response.status_code == 302
    assert task.reports.count() == 0


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password/reset/", "/healthz"])
def test_sign_in_password_reset_and_healthz_need_no_sign_in(client, url):
    assert client.get(url).status_code == 200


def test_healthz_needs_no_sign_in_and_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.parametrize("role", [*ROLES, "admin"])
@pytest.mark.parametrize(
    "url", ["/", "/tasks/", "/accounts/calendar/", "/accounts/password/change/"]
)
def test_every_signed_in_user_may_open_their_own_pages(client, users, role, url):
    client.force_login(users[role])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("official", 200),
        ("colleague", 200),
        ("supporter", 200),
        ("stranger", 404),
        ("supervisor", 200),
        ("other_supervisor", 404),
        ("admin", 200),
    ],
)
def test_the_task_page_is_open_to_those_who_may_see_the_task_and_404_to_others(
    client, users, task, role, expected
):
    client.force_login(users[role])
    assert client.get(f"/tasks/{task.pk}/").status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("supporter", 403),
        ("stranger", 404),
        ("supervisor", 403),
        ("other_supervisor", 404),
        ("admin", 403),
    ],
)
def test_a_report_from_someone_who_may_not_report_is_403_or_404_and_saves_nothing(
    client, users, task, role, expected
):
    client.force_login(users[role])
    response = client.post(
        f"/tasks/{task.pk}/",
        {"progress": 50, "status": "in_progress", "note": "", "version": task.version},
    )
    assert response.status_code == expected
    assert task.reports.count() == 0


@pytest.mark.parametrize("role", ["official", "colleague"])
def test_the_owner_and_the_lead_department_see_the_report_form(client, users, task, role):
    client.force_login(users[role])
    content = client.get(f"/tasks/{task.pk}/").content.decode()
    assert 'id="report-form"' in content
    for field in ("progress", "status", "note", "evidence", "version"):
        assert f'name="{field}"' in content


@pytest.mark.parametrize("role", ["supporter", "supervisor", "admin"])
def test_those_who_may_only_look_get_the_task_page_without_a_form(client, users, task, role):
    client.force_login(users[role])
    content = client.get(f"/tasks/{task.pk}/").content.decode()
    assert 'id="report-form"' not in content
    assert 'id="read-only"' in content


def test_an_unknown_task_is_404(client, official):
    client.force_login(official)
    assert client.get("/tasks/999999/").status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("official", 200),
        ("colleague", 200),
        ("supporter", 200),
        ("stranger", 404),
        ("supervisor", 200),
        ("other_supervisor", 404),
        ("admin", 200),
    ],
)
def test_evidence_is_downloaded_only_by_those_who_may_see_the_task(
    client, users, report_with_evidence, role, expected
):
    evidence = report_with_evidence.evidence.get()
    client.force_login(users[role])
    response = client.get(f"/evidence/{evidence.pk}/")
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert 'filename="minutes.pdf"' in response["Content-Disposition"]
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_evidence_whose_file_is_gone_is_404_not_a_crash(client, official, report_with_evidence):
    evidence = report_with_evidence.evidence.get()
    evidence.file.storage.delete(evidence.file.name)
    client.force_login(official)
    assert client.get(f"/evidence/{evidence.pk}/").status_code == 404


def test_an_official_does_not_see_the_back_office_link(client, official):
    client.force_login(official)
    content = client.get("/").content.decode()
    assert reverse("admin:index") not in content
    assert "/tasks/" in content


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_supervisors_and_admins_see_the_back_office_link(client, users, role):
    client.force_login(users[role])
    assert reverse("admin:index") in client.get("/").content.decode()


def test_an_official_cannot_enter_the_admin(client, official):
    client.force_login(official)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_supervisor_can_enter_the_admin(client, supervisor):
    client.force_login(supervisor)
    assert client.get("/admin/").status_code == 200


def test_the_sign_out_button_posts_and_ends_the_session(client, official):
    client.force_login(official)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_evidence_with_a_chinese_file_name_downloads_under_that_name(
    client, official, report_with_evidence
):
    evidence = report_with_evidence.evidence.get()
    evidence.original_name = "会议纪要.pdf"
    evidence.save()
    client.force_login(official)
    response = client.get(f"/evidence/{evidence.pk}/")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=utf-8''%E4%BC%9A%E8%AE%AE%E7%BA%AA%E8%A6%81.pdf" in disposition


def test_a_task_outside_ones_scope_gets_a_portal_page_saying_not_found(client, stranger, task):
    client.force_login(stranger)
    response = client.get(f"/tasks/{task.pk}/")
    assert response.status_code == 404
    assert "Back to my work" in response.content.decode()


def test_a_refused_report_gets_a_portal_page_saying_not_allowed(client, supporter, task):
    client.force_login(supporter)
    response = client.post(f"/tasks/{task.pk}/", {"progress": 10, "status": "in_progress"})
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()


def test_a_sub_task_page_hides_a_parent_the_reader_may_not_see(client, official, stranger):
    parent = TaskFactory(title="Secret parent <plan>", lead_department=stranger.department)
    child = TaskFactory(area=parent.area, parent=parent, owner=official)
    client.force_login(official)
    assert client.get(f"/tasks/{parent.pk}/").status_code == 404
    html = client.get(f"/tasks/{child.pk}/").content.decode()
    assert "Secret parent" not in html
    assert f"/tasks/{parent.pk}/" not in html
    assert "Parent task" not in html


def test_a_sub_task_page_names_a_parent_the_reader_may_see(client, official):
    parent = TaskFactory(title="Open parent", owner=official)
    child = TaskFactory(area=parent.area, parent=parent, owner=official)
    client.force_login(official)
    html = client.get(f"/tasks/{child.pk}/").content.decode()
    assert "Parent task" in html
    assert f'href="/tasks/{parent.pk}/"' in html
    assert "Open parent" in html
