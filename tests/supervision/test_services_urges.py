import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from supervision.models import UrgeNotice, UrgeRecipient, UrgeState
from supervision.selectors.urges import ack_cutoff, unacknowledged_rows
from supervision.services import (
    urge_acknowledge,
    urge_reply,
    urge_send,
    urges_report_unacknowledged,
)
from tests.factories import AreaFactory, TaskFactory, UserFactory
from workplan.services import task_reassign

pytestmark = pytest.mark.django_db


def test_a_leader_urges_two_tasks_with_one_notice_and_a_row_per_owner(leader, task, other_task):
    notice = urge_send(sender=leader, tasks=[task, other_task], message=" Report by Friday. ")
    rows = list(notice.recipients.order_by("task_id"))
    assert notice.message == "Report by Friday."
    assert [(r.task, r.recipient, r.state) for r in rows] == [
        (task, task.owner, UrgeState.SENT),
        (other_task, other_task.owner, UrgeState.SENT),
    ]
    assert notice.history.count() == 1
    assert UrgeRecipient.history.filter(notice_id=notice.pk).count() == 2


def test_a_supervisor_urges_only_tasks_of_their_areas(supervisor, task):
    outside = TaskFactory(area=AreaFactory())
    with pytest.raises(PermissionDenied):
        urge_send(sender=supervisor, tasks=[task, outside], message="Hurry")
    assert not UrgeNotice.objects.exists()
    urge_send(sender=supervisor, tasks=[task], message="Hurry")
    assert UrgeNotice.objects.count() == 1


def test_an_official_may_not_urge(official, task):
    with pytest.raises(PermissionDenied):
        urge_send(sender=official, tasks=[task], message="Hurry")


@pytest.mark.parametrize("message", ["", "   ", "x" * 2001])
def test_an_empty_or_overlong_message_is_refused(leader, task, message):
    with pytest.raises(ValidationError):
        urge_send(sender=leader, tasks=[task], message=message)
    assert not UrgeNotice.objects.exists()


def test_a_task_without_owner_is_named_and_nothing_is_sent(leader, task):
    orphan = TaskFactory(area=task.area, owner=None, title="Orphan task")
    with pytest.raises(ValidationError, match="Orphan task"):
        urge_send(sender=leader, tasks=[task, orphan], message="Hurry")
    assert not UrgeNotice.objects.exists()


def test_no_task_is_refused(leader):
    with pytest.raises(ValidationError):
        urge_send(sender=leader, tasks=[], message="Hurry")


def test_acknowledging_records_the_time_and_twice_is_a_no_op(leader, task):
    row = urge_send(sender=leader, tasks=[task], message="Hurry").recipients.get()
    first = urge_acknowledge(row=row, user=task.owner)
    assert first.state == UrgeState.ACKNOWLEDGED
    again = urge_acknowledge(row=row, user=task.owner)
    assert again.acknowledged_at == first.acknowledged_at
    assert row.history.count() == 2  # created, acknowledged: the second click wrote nothing


def test_only_the_recipient_acknowledges(leader, task, colleague_of_owner):
    row = urge_send(sender=leader, tasks=[task], message="Hurry").recipients.get()
    for someone in (leader, colleague_of_owner):
        with pytest.raises(PermissionDenied):
            urge_acknowledge(row=row, user=someone)
    row.refresh_from_db()
    assert row.state == UrgeState.SENT


def test_after_a_reassignment_the_person_asked_still_answers_and_the_new_owner_may_not(
    leader, supervisor, task, colleague_of_owner
):
    asked = task.owner
    row = urge_send(sender=leader, tasks=[task], message="Hurry").recipients.get()
    task_reassign(task=task, owner=colleague_of_owner, user=supervisor)
    with pytest.raises(PermissionDenied):
        urge_acknowledge(row=row, user=colleague_of_owner)
    assert urge_acknowledge(row=row, user=asked).state == UrgeState.ACKNOWLEDGED
    # A new notice goes to the new owner.
    new_row = urge_send(sender=leader, tasks=[task], message="Again").recipients.get()
    assert new_row.recipient == colleague_of_owner


def test_a_reply_acknowledges_too_and_keeps_both_times(leader, task):
    row = urge_send(sender=leader, tasks=[task], message="Hurry").recipients.get()
    replied = urge_reply(row=row, user=task.owner, reply="Contract signed today.")
    assert replied.state == UrgeState.REPLIED
    assert replied.acknowledged_at == replied.replied_at
    assert replied.reply == "Contract signed today."


def test_the_same_reply_twice_is_a_no_op_and_another_is_refused(leader, task):
    row = urge_send(sender=leader, tasks=[task], message="Hurry").recipients.get()
    urge_acknowledge(row=row, user=task.owner)
    first = urge_reply(row=row, user=task.owner, reply="Done")
    assert urge_reply(row=row, user=task.owner, reply="Done").replied_at == first.replied_at
    with pytest.raises(ValidationError, match="already"):
        urge_reply(row=row, user=task.owner, reply="Something else")
    row.refresh_from_db()
    assert row.reply == "Done"


def test_an_empty_reply_is_refused(leader, task):
    row = urge_send(sender=leader, tasks=[task], message="Hurry").recipients.get()
    with pytest.raises(ValidationError):
        urge_reply(row=row, user=task.owner, reply="  ")


# Late notices: Monday 2024-06-03 .. Friday 2024-06-07 are working days; 8-9 the weekend.
MONDAY = datetime.date(2024, 6, 3)


def _sent_on(leader, task, day, hour=15):
    notice = urge_send(sender=leader, tasks=[task], message="Hurry")
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    UrgeNotice.objects.filter(pk=notice.pk).update(created_at=moment)
    return notice.recipients.get()


def test_a_notice_is_late_once_a_whole_working_day_has_passed_without_receipt(
    settings, leader, task
):
    settings.URGE_ACK_DAYS = 1
    row = _sent_on(leader, task, MONDAY)
    tuesday, wednesday = MONDAY + datetime.timedelta(days=1), MONDAY + datetime.timedelta(days=2)
    assert list(unacknowledged_rows(tuesday)) == []
    assert list(unacknowledged_rows(wednesday)) == [row]


def test_a_friday_notice_is_late_on_tuesday_not_monday(settings, leader, task):
    settings.URGE_ACK_DAYS = 1
    friday = datetime.date(2024, 6, 14)
    row = _sent_on(leader, task, friday)
    next_monday = friday + datetime.timedelta(days=3)
    assert list(unacknowledged_rows(next_monday)) == []
    assert list(unacknowledged_rows(next_monday + datetime.timedelta(days=1))) == [row]


def test_the_dragon_boat_holiday_does_not_count_as_a_working_day(settings, leader, task):
    settings.URGE_ACK_DAYS = 1
    row = _sent_on(leader, task, datetime.date(2024, 6, 7))  # Friday; Monday 10 is a holiday
    assert list(unacknowledged_rows(datetime.date(2024, 6, 11))) == []
    assert list(unacknowledged_rows(datetime.date(2024, 6, 12))) == [row]


def test_more_ack_days_push_the_cutoff_back(settings):
    settings.URGE_ACK_DAYS = 1
    one = ack_cutoff(MONDAY + datetime.timedelta(days=3))
    settings.URGE_ACK_DAYS = 2
    assert ack_cutoff(MONDAY + datetime.timedelta(days=3)) == one - datetime.timedelta(days=1)


def test_an_acknowledged_notice_is_never_late(settings, leader, task):
    row = _sent_on(leader, task, MONDAY)
    urge_acknowledge(row=row, user=task.owner)
    assert list(unacknowledged_rows(MONDAY + datetime.timedelta(days=7))) == []


def test_senders_are_told_once_per_recipient(settings, leader, task, other_task):
    row = _sent_on(leader, task, MONDAY)
    wednesday = MONDAY + datetime.timedelta(days=2)
    assert urges_report_unacknowledged(date=wednesday) == [row]
    assert urges_report_unacknowledged(date=wednesday) == []
    assert urges_report_unacknowledged(date=wednesday + datetime.timedelta(days=1)) == []
    row.refresh_from_db()
    assert row.overdue_reported_at is not None


@pytest.mark.django_db(transaction=True)
def test_two_acknowledgements_at_once_record_one(db):
    from tests.factories import AreaFactory as Areas

    leader = UserFactory(role=Role.LEADER, department=None)
    task = TaskFactory(area=Areas())
    row = urge_send(sender=leader, tasks=[task], message="Hurry").recipients.get()
    barrier = threading.Barrier(2)
    errors = []

    def acknowledge():
        try:
            barrier.wait(timeout=5)
            urge_acknowledge(row=row, user=task.owner)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=acknowledge) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert errors == []
    row.refresh_from_db()
    assert row.state == UrgeState.ACKNOWLEDGED
    assert row.history.filter(state=UrgeState.ACKNOWLEDGED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_reports_at_once_tell_the_sender_once(db):
    leader = UserFactory(role=Role.LEADER, department=None)
    task = TaskFactory(area=AreaFactory())
    _sent_on(leader, task, MONDAY)
    barrier = threading.Barrier(2)
    reported = []

    def report():
        try:
            barrier.wait(timeout=5)
            reported.extend(urges_report_unacknowledged(date=MONDAY + datetime.timedelta(days=2)))
        finally:
            connection.close()

    threads = [threading.Thread(target=report) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(reported) == 1


def test_each_owner_is_notified_of_the_urge_and_the_sender_of_a_late_one(leader, task, other_task):
    from notifications.models import Notification, NotificationKind

    notice = urge_send(sender=leader, tasks=[task, other_task], message="Hurry")
    received = Notification.objects.filter(kind=NotificationKind.URGE_RECEIVED)
    assert sorted(n.recipient_id for n in received) == sorted([task.owner_id, other_task.owner_id])
    assert all(n.params["comment"] == "Hurry" for n in received)
    moment = timezone.make_aware(datetime.datetime.combine(MONDAY, datetime.time(15)))
    UrgeNotice.objects.filter(pk=notice.pk).update(created_at=moment)
    urges_report_unacknowledged(date=MONDAY + datetime.timedelta(days=2))
    urges_report_unacknowledged(date=MONDAY + datetime.timedelta(days=3))
    late = Notification.objects.filter(kind=NotificationKind.URGE_UNACKNOWLEDGED)
    assert [n.recipient_id for n in late] == [leader.pk, leader.pk]  # once per recipient
    assert {n.url for n in late} == {f"/urges/{notice.pk}/"}
