import datetime
import smtplib

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.factories import AreaFactory, TaskFactory, UserFactory
from tests.workplan.test_tasks import FlakyBackend
from workplan.models import Reminder, ReminderStatus, TaskStatus
from workplan.reminders.delivery import reminders_claim, reminders_dispatch

D = datetime.date
DAY = D(2024, 3, 6)


@pytest.fixture
def officials(db):
    officials = [UserFactory() for _ in range(4)]
    for official in officials:
        TaskFactory(
            owner=official,
            area=AreaFactory(),
            start_date=D(2024, 1, 1),
            due_date=D(2024, 3, 1),
            status=TaskStatus.IN_PROGRESS,
        )
    return officials


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_the_command_sends_the_days_digests_synchronously(officials):
    out = run("--date", DAY.isoformat())

    assert len(mail.outbox) == 4
    assert "Sent 4, skipped 0, failed 0." in out


def test_running_the_command_twice_sends_nothing_new(officials):
    run("--date", DAY.isoformat())
    run("--date", DAY.isoformat())
    assert len(mail.outbox) == 4


def test_a_dry_run_sends_and_records_nothing(officials):
    out = run("--date", DAY.isoformat(), "--dry-run")

    assert mail.outbox == []
    assert not Reminder.objects.exists()
    assert out.count("digest to user") == 4


def test_the_command_sends_nothing_on_a_holiday(officials):
    out = run("--date", "2024-02-12")
    assert "not a working day" in out
    assert mail.outbox == []


@pytest.mark.parametrize("bad", ["2024-13-01", "yesterday", "06/03/2024"])
def test_a_bad_date_fails_with_one_line_saying_what_to_fix(bad, db):
    with pytest.raises(CommandError, match="write it as YYYY-MM-DD") as error:
        run("--date", bad)
    assert "\n" not in str(error.value)
    assert not Reminder.objects.exists()


def test_retry_failed_delivers_failed_and_crash_left_digests_once(officials, settings):
    settings.EMAIL_BACKEND = "tests.workplan.test_tasks.FlakyBackend"
    FlakyBackend.failures = 100
    with pytest.raises(CommandError, match="--retry-failed"):
        run("--date", DAY.isoformat())
    assert Reminder.objects.filter(status=ReminderStatus.FAILED).count() == 4
    FlakyBackend.failures = 0
    # One more, left 'sending' by a worker that died long ago.
    crashed = UserFactory()
    TaskFactory(owner=crashed, start_date=D(2024, 1, 1), due_date=D(2024, 3, 2))
    reminders_dispatch(date=DAY)
    ids = list(Reminder.objects.filter(recipient=crashed).values_list("pk", flat=True))
    reminders_claim(reminder_ids=ids)
    Reminder.objects.filter(pk__in=ids).update(
        claimed_at=timezone.now() - datetime.timedelta(hours=1)
    )

    out = run("--retry-failed")

    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in [*officials, crashed])
    assert "Sent 5" in out
    run("--retry-failed")
    assert len(mail.outbox) == 5


def test_retry_failed_leaves_alone_a_digest_a_worker_is_sending_now(officials):
    ids = reminders_dispatch(date=DAY).pending_ids
    reminders_claim(reminder_ids=ids[:1])  # a live worker holds this one

    run("--retry-failed", "--date", DAY.isoformat())

    assert len(mail.outbox) == 3
    assert Reminder.objects.get(pk=ids[0]).status == ReminderStatus.SENDING


def test_smtp_errors_are_recorded_on_the_row(officials, settings):
    settings.EMAIL_BACKEND = "tests.workplan.test_tasks.FlakyBackend"
    FlakyBackend.failures = 100
    try:
        with pytest.raises(CommandError):
            run("--date", DAY.isoformat())
    finally:
        FlakyBackend.failures = 0
    error = Reminder.objects.values_list("error", flat=True).first()
    assert smtplib.SMTPDataError.__name__ in error
