"""Account pages of the portal: password change and reset, the calendar feed and its address."""

import re

import icalendar
import pytest
from django.core import mail

from tests.factories import TaskFactory
from tests.workplan.days import FRIDAY, D, portal_today
from workplan.models import TaskStatus

pytestmark = pytest.mark.django_db


def test_a_password_reset_mails_a_link_that_sets_a_new_password(client, official, settings):
    settings.SITE_URL = "https://portal.etown.example"
    response = client.post("/accounts/password/reset/", {"email": official.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert official.username in body
    link = re.search(r"https://portal\.etown\.example(/accounts/password/reset/\S+/)", body)
    assert link, body
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    new_password = "a-brand-new-secret-42"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    official.refresh_from_db()
    assert official.check_password(new_password)


def test_a_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@etown.example"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_a_signed_in_official_changes_their_password(client, official):
    client.force_login(official)
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": "correct-horse-battery",
            "new_password1": "another-long-secret-7",
            "new_password2": "another-long-secret-7",
        },
    )
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.check_password("another-long-secret-7")


def test_the_calendar_feed_lists_my_deadlines_without_sign_in(client, official, task):
    TaskFactory(title="Someone else's task")
    response = client.get(f"/calendar/{official.calendar_token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    assert task.title in str(events[0]["summary"])
    assert events[0].decoded("dtstart") == task.due_date
    assert f"/tasks/{task.pk}/" in str(events[0]["url"])


def test_an_unknown_calendar_token_is_404(client, official):
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404


def test_a_deactivated_users_calendar_feed_stops(client, official):
    official.is_active = False
    official.save()
    assert client.get(f"/calendar/{official.calendar_token}.ics").status_code == 404


def test_the_calendar_page_shows_my_address_and_a_new_one_retires_the_old(client, official):
    client.force_login(official)
    old_token = official.calendar_token
    assert old_token in client.get("/accounts/calendar/").content.decode()
    response = client.post("/accounts/calendar/", follow=True)
    official.refresh_from_db()
    assert official.calendar_token != old_token
    assert official.calendar_token in response.content.decode()
    assert client.get(f"/calendar/{old_token}.ics").status_code == 404
    assert client.get(f"/calendar/{official.calendar_token}.ics").status_code == 200


def test_the_calendar_feed_names_each_deadline_by_its_urgency(
    client, official, monkeypatch, settings
):
    settings.REMINDER_DUE_SOON_DAYS = 3
    portal_today(monkeypatch, FRIDAY)

    def task(title, due, status=TaskStatus.IN_PROGRESS):
        return TaskFactory(
            owner=official, title=title, start_date=None, due_date=due, status=status
        )

    tasks = {
        "Overdue: Late": task("Late", D(2024, 3, 7)),
        # Monday is the second working day: due soon, three days away.
        "Due soon: Monday": task("Monday", D(2024, 3, 11)),
        "Due: Blocked": task("Blocked", D(2024, 3, 13), TaskStatus.BLOCKED),
        "Done: Finished": task("Finished", D(2024, 3, 1), TaskStatus.COMPLETED),
    }
    response = client.get(f"/calendar/{official.calendar_token}.ics")
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert {str(event["summary"]): str(event["url"]) for event in events} == {
        summary: f"http://testserver/tasks/{task.pk}/" for summary, task in tasks.items()
    }
    assert [event["categories"].to_ical().decode() for event in events] == [
        "Done",
        "Overdue",
        "Due soon",
        "On track",
    ]
