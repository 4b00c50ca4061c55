"""The owner's digest after a missed monthly report and an unacknowledged urge notice, sent by
the real `celery worker` process through a real SMTP server."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from supervision.models import Frequency, ReportCycle, UrgeNotice
from supervision.services import urge_send
from tests.factories import AreaFactory, TaskFactory, UserFactory
from tests.integration.conftest import wait_for
from workplan.models import Reminder, ReminderStatus

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

D = datetime.date
# Monthly on day 10: February's deadline, Saturday 02-10 in the Spring Festival, moves to the
# make-up working Sunday 02-18; on Monday 02-19 it has passed without a report.
DAY = D(2024, 2, 19)
# Sent on Wednesday 02-07 at 15:00, well over a working day before DAY.
URGED = timezone.make_aware(datetime.datetime.combine(D(2024, 2, 7), datetime.time(15)))


def test_one_digest_tells_the_owner_of_the_missing_report_and_the_unacknowledged_urge(
    start_worker, smtp_sink, broker
):
    owner = UserFactory(
        username="li.na", email="li.na@etown.example", role=Role.OFFICIAL, preferred_language="en"
    )
    leader = UserFactory(username="leader1", role=Role.LEADER, department=None)
    area = AreaFactory(title="Innovation")
    late = TaskFactory(
        area=area, owner=owner, title="Open the robot test field", start_date=None, due_date=None
    )
    urged = TaskFactory(
        area=area, owner=owner, title="Build the chip fab", start_date=None, due_date=None
    )
    ReportCycle.objects.create(
        task=late, frequency=Frequency.MONTHLY, day_of_month=10, start_date=D(2024, 1, 1)
    )
    notice = urge_send(sender=leader, tasks=[urged], message="Report on the fab by Friday.")
    UrgeNotice.objects.filter(pk=notice.pk).update(created_at=URGED)
    start_worker()

    result = broker(DAY.isoformat())

    assert result["to_send"] == 1
    wait_for(
        lambda: (
            smtp_sink.received()
            and not Reminder.objects.exclude(status=ReminderStatus.SENT).exists()
        ),
        timeout=60,
        message="the digest to arrive",
    )
    (message,) = smtp_sink.received()
    assert str(message["To"]) == "li.na@etown.example"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Report missing" in body
    assert "Open the robot test field" in body
    assert "The report due Feb. 18, 2024 was not received." in body
    assert "Urge notices to acknowledge" in body
    assert "Build the chip fab: Report on the fab by Friday." in body
    assert f"https://plan.etown.example/tasks/{urged.pk}/#urges" in body
    reminder = Reminder.objects.get()
    assert reminder.sections == {
        "report_missing": [late.pk],
        "urges": [notice.recipients.get().pk],
    }

    assert broker(DAY.isoformat())["to_send"] == 0
    assert len(smtp_sink.received()) == 1
