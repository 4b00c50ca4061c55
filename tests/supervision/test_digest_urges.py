"""Unacknowledged urge notices in the owner's daily digest: listed until acknowledged."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Language
from supervision.digest_urges import UNACKNOWLEDGED_URGES
from supervision.models import UrgeNotice
from supervision.services import urge_acknowledge, urge_send
from workplan.models import Reminder
from workplan.reminders.jobs import send_reminders

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2024, 6, 3)
WEDNESDAY = MONDAY + datetime.timedelta(days=2)


@pytest.fixture
def late_row(leader, task):
    task.owner.email = "owner@example.com"
    task.owner.save()
    notice = urge_send(sender=leader, tasks=[task], message="Send the survey report")
    sent = timezone.make_aware(datetime.datetime.combine(MONDAY, datetime.time(15)))
    UrgeNotice.objects.filter(pk=notice.pk).update(created_at=sent)
    return notice.recipients.get()


def test_the_section_plans_each_late_row_for_its_recipient_only_once_late(late_row):
    assert UNACKNOWLEDGED_URGES.plan(MONDAY + datetime.timedelta(days=1)) == {}
    assert UNACKNOWLEDGED_URGES.plan(WEDNESDAY) == {late_row.recipient_id: [late_row.pk]}


def test_the_owners_digest_repeats_the_notice_once_a_day_until_acknowledged(late_row):
    send_reminders.delay(date=WEDNESDAY.isoformat())
    send_reminders.delay(date=WEDNESDAY.isoformat())
    (message,) = mail.outbox
    assert message.to == ["owner@example.com"]
    assert "Send the survey report" in message.body
    assert f"/tasks/{late_row.task_id}/#urges" in message.body
    assert Reminder.objects.get().sections == {"urges": [late_row.pk]}

    urge_acknowledge(row=late_row, user=late_row.recipient)
    send_reminders.delay(date=(WEDNESDAY + datetime.timedelta(days=1)).isoformat())
    assert len(mail.outbox) == 1


def test_a_notice_acknowledged_after_the_dispatch_is_left_out_of_the_mail(late_row):
    assert UNACKNOWLEDGED_URGES.lines([late_row.pk], date=WEDNESDAY) != []
    urge_acknowledge(row=late_row, user=late_row.recipient)
    assert UNACKNOWLEDGED_URGES.lines([late_row.pk], date=WEDNESDAY) == []


def test_the_section_speaks_the_recipients_language(late_row):
    late_row.recipient.preferred_language = Language.CHINESE
    late_row.recipient.save()
    send_reminders.delay(date=WEDNESDAY.isoformat())
    (message,) = mail.outbox
    assert "待签收的催办" in message.body
    assert "尚未签收" in message.body
