"""The owner's daily digest lists their tasks whose periodic report is missing."""

import datetime

import pytest
from django.core import mail

from accounts.models import Role
from supervision.digest_cycles import REPORT_MISSING
from supervision.models import Frequency, ReportCycle
from tests.factories import TaskFactory, UserFactory
from tests.supervision.test_cycles import report_on
from workplan.models import Reminder
from workplan.reminders.jobs import send_reminders

D = datetime.date
pytestmark = pytest.mark.django_db
DAY = D(2024, 2, 19)  # Monday; the monthly deadline on day 10 was Sunday 02-18 (make-up day)


@pytest.fixture
def owner(department):
    return UserFactory(role=Role.OFFICIAL, department=department, email="owner@example.com")


@pytest.fixture
def late(area, owner):
    ReportCycle.objects.create(
        area=area, frequency=Frequency.MONTHLY, day_of_month=10, start_date=D(2024, 1, 1)
    )
    return TaskFactory(
        area=area, owner=owner, title="Open the robot park", start_date=None, due_date=None
    )


def test_the_section_plans_each_owners_tasks_whose_report_is_missing(late, area, owner):
    punctual = TaskFactory(area=area, owner=owner, start_date=None)
    report_on(punctual, D(2024, 2, 18))
    assert REPORT_MISSING.plan(DAY) == {owner.pk: [late.pk]}
    (line,) = REPORT_MISSING.lines([late.pk, punctual.pk], date=DAY)
    assert line.text == "Open the robot park"
    assert line.url.endswith(f"/tasks/{late.pk}/")
    assert line.detail == "The report due Feb. 18, 2024 was not received."


def test_a_report_sent_before_the_mail_drops_the_line(late):
    report_on(late, DAY)
    assert REPORT_MISSING.lines([late.pk], date=DAY) == []


def test_the_digest_says_the_report_is_missing_once_a_day_in_the_owners_language(late, owner):
    send_reminders.delay(date=DAY.isoformat())
    send_reminders.delay(date=DAY.isoformat())
    (message,) = mail.outbox
    assert "Report missing" in message.body
    assert "Open the robot park" in message.body
    assert "The report due Feb. 18, 2024 was not received." in message.body
    assert Reminder.objects.get().sections == {"report_missing": [late.pk]}

    owner.preferred_language = "zh-hans"
    owner.save()
    mail.outbox.clear()
    send_reminders.delay(date=(DAY + datetime.timedelta(days=1)).isoformat())
    (message,) = mail.outbox
    assert "未按时报送" in message.body
    assert "2024年2月18日" in message.body
