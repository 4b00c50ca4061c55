"""Every page has its icon, and no page the admin renders carries an inline style (the CSP)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from tests.factories import TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_favicon_is_served_to_anyone_at_the_sites_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_the_portal_and_the_admin_link_the_icon(client, admin_user):
    assert 'rel="icon" href="/favicon.ico"' in client.get("/accounts/login/").text
    client.force_login(admin_user)
    assert 'rel="icon" href="/favicon.ico"' in client.get("/").text
    assert 'rel="icon" href="/favicon.ico"' in client.get(reverse("admin:index")).text


def test_the_import_preview_marks_changes_by_class_not_by_inline_style(client, area):
    task = TaskFactory(area=area, title="Old title")
    client.force_login(UserFactory(role=Role.ADMIN))
    csv = f"id,title\n{task.pk},New title\n".encode()
    preview = client.post(
        reverse("admin:workplan_task_import"),
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile("tasks.csv", csv, content_type="text/csv"),
        },
    )
    assert preview.status_code == 200
    assert 'class="diff-insert"' in preview.text
    assert "style=" not in preview.text


def test_the_history_page_has_no_inline_style(client, admin_user, task):
    client.force_login(admin_user)
    response = client.get(reverse("admin:workplan_task_history", args=[task.pk]))
    assert response.status_code == 200
    assert "style=" not in response.text


def test_the_reminder_schedule_page_runs_no_inline_script(client, admin_user):
    import re

    client.force_login(admin_user)
    response = client.get(reverse("admin:django_celery_beat_periodictask_add"))
    assert response.status_code == 200
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", response.text)
    assert scripts == []
    assert "js/periodic-task-form.js" in response.text
