import datetime

import pytest

from tests.factories import TaskFactory
from workplan.models import Reminder, ReminderKind, ReminderStatus


@pytest.fixture
def failed_reminder(official):
    task = TaskFactory(
        owner=official, start_date=datetime.date(2024, 1, 1), due_date=datetime.date(2024, 3, 1)
    )
    return Reminder.objects.create(
        recipient=official,
        kind=ReminderKind.DIGEST,
        date=datetime.date(2024, 3, 6),
        overdue_task_ids=[task.pk],
        status=ReminderStatus.FAILED,
        attempts=7,
        error="SMTPDataError: (451, b'Try again later')",
    )


def test_admins_see_the_reminder_log_filtered_by_status(client, admin_user, failed_reminder):
    client.force_login(admin_user)

    page = client.get("/admin/workplan/reminder/", {"status__exact": "failed"})

    assert page.status_code == 200
    assert str(failed_reminder.recipient) in page.content.decode()


def test_a_reminder_shows_its_tasks_and_error_and_cannot_be_changed(
    client, admin_user, failed_reminder
):
    client.force_login(admin_user)

    page = client.get(f"/admin/workplan/reminder/{failed_reminder.pk}/change/")
    body = page.content.decode()

    assert page.status_code == 200
    assert "Try again later" in body
    assert f"/tasks/{failed_reminder.overdue_task_ids[0]}/" in body
    assert 'name="_save"' not in body


def test_supervisors_do_not_see_the_reminder_log(client, supervisor, failed_reminder):
    client.force_login(supervisor)
    assert client.get("/admin/workplan/reminder/").status_code == 403
