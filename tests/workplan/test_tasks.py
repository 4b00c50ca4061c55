import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts.models import Role
from etown.celery import app as celery_app
from tests.factories import AreaFactory, TaskFactory, UserFactory
from workplan.models import Reminder, ReminderKind, ReminderStatus, TaskStatus
from workplan.reminders.delivery import reminders_claim, reminders_deliver
from workplan.reminders.jobs import recover_reminders, send_reminder_batch, send_reminders

D = datetime.date
DAY = D(2024, 3, 6)


class FlakyBackend(EmailBackend):
    """The locmem backend, refusing the next `failures` messages like a server that is down."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPDataError(451, b"4.3.0 Try again later")
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def _no_catch_up_dispatch(settings):
    # The recovery would otherwise dispatch for the real today after 09:00.
    settings.REMINDER_CATCH_UP_MISSED_DISPATCH = False


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "tests.workplan.test_tasks.FlakyBackend"
    settings.REMINDER_RETRY_BACKOFF_SECONDS = 0
    # Eager apply() runs retries in-process only when it does not re-raise the Retry.
    propagates = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield FlakyBackend
    celery_app.conf.task_eager_propagates = propagates
    FlakyBackend.failures = 0


def task_due(owner, due, area=None, status=TaskStatus.IN_PROGRESS):
    return TaskFactory(
        owner=owner,
        area=area or AreaFactory(),
        start_date=D(2024, 1, 1),
        due_date=due,
        status=status,
    )


@pytest.fixture
def three_officials(db):
    officials = [UserFactory(), UserFactory(), UserFactory()]
    for official in officials:
        task_due(official, D(2024, 3, 1))
        task_due(official, D(2024, 3, 7))
    return officials


def test_the_dispatch_sends_one_digest_per_official_with_counts_in_the_subject(three_officials):
    send_reminders.delay(date=DAY.isoformat())

    assert sorted(m.to[0] for m in mail.outbox) == sorted(o.email for o in three_officials)
    assert {m.subject for m in mail.outbox} == {"1 overdue, 1 due soon: E-Town work plan"}
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == 3


def test_a_digest_names_area_due_date_days_and_an_absolute_link(official, settings):
    settings.SITE_URL = "https://plan.etown.example"
    overdue = task_due(official, D(2024, 3, 1))
    due_soon = task_due(official, D(2024, 3, 8))

    send_reminders.delay(date=DAY.isoformat())

    (message,) = mail.outbox
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert f"https://plan.etown.example/tasks/{overdue.pk}/" in body
        assert f"https://plan.etown.example/tasks/{due_soon.pk}/" in body
        assert str(overdue.area.title) in body
        assert "Due March 1, 2024, 5 days overdue" in body
        assert "Due March 8, 2024, 2 days left" in body
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.extra_headers["List-Id"] == (
        "E-Town work-plan reminders <reminders.plan.etown.example>"
    )


def test_a_digest_is_rendered_in_the_recipients_language(db):
    official = UserFactory(preferred_language="zh-hans")
    task_due(official, D(2024, 3, 1))

    send_reminders.delay(date=DAY.isoformat())

    assert '<html lang="zh-hans">' in mail.outbox[0].alternatives[0][0]


def test_supervisors_get_an_escalation_by_area_and_owner(official):
    supervisor = UserFactory(role=Role.SUPERVISOR)
    area = AreaFactory()
    area.supervisors.add(supervisor)
    late = task_due(official, D(2024, 2, 20), area=area)

    send_reminders.delay(date=DAY.isoformat())

    (escalation,) = [m for m in mail.outbox if m.to == [supervisor.email]]
    assert escalation.subject == "1 task overdue in your areas: E-Town work plan"
    assert f"/tasks/{late.pk}/" in escalation.body
    assert str(official) in escalation.body
    assert Reminder.objects.get(recipient=supervisor).kind == ReminderKind.ESCALATION


def test_running_again_for_the_same_date_sends_nothing_new(three_officials):
    send_reminders.delay(date=DAY.isoformat())
    send_reminders.delay(date=DAY.isoformat())

    assert len(mail.outbox) == 3
    assert Reminder.objects.count() == 3


def test_nothing_is_sent_on_a_holiday(official):
    task_due(official, D(2024, 2, 1))
    send_reminders.delay(date="2024-02-12")
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_inactive_users_and_users_without_email_get_no_mail_and_are_logged_skipped(db):
    inactive = UserFactory(is_active=False)
    no_email = UserFactory(email="")
    task_due(inactive, D(2024, 3, 1))
    task_due(no_email, D(2024, 3, 1))

    send_reminders.delay(date=DAY.isoformat())

    assert mail.outbox == []
    assert set(Reminder.objects.values_list("recipient_id", "status")) == {
        (inactive.pk, ReminderStatus.SKIPPED),
        (no_email.pk, ReminderStatus.SKIPPED),
    }


def test_a_task_completed_between_dispatch_and_send_is_left_out(official, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    done = task_due(official, D(2024, 3, 1))
    task_due(official, D(2024, 3, 7))
    from workplan.reminders.delivery import reminders_dispatch

    result = reminders_dispatch(date=DAY)
    done.status = TaskStatus.COMPLETED
    done.save()
    send_reminder_batch.delay(result.pending_ids)

    assert mail.outbox[0].subject == "0 overdue, 1 due soon: E-Town work plan"


def test_an_smtp_outage_is_retried_and_each_digest_goes_out_once(three_officials, flaky_mail):
    flaky_mail.failures = 2

    send_reminders.delay(date=DAY.isoformat())

    assert sorted(m.to[0] for m in mail.outbox) == sorted(o.email for o in three_officials)
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}
    assert max(Reminder.objects.values_list("attempts", flat=True)) == 3


def test_after_the_last_retry_the_digest_is_failed_with_the_error(
    three_officials, flaky_mail, settings
):
    settings.REMINDER_MAX_RETRIES = 2
    flaky_mail.failures = 100

    send_reminders.delay(date=DAY.isoformat())

    assert mail.outbox == []
    failed = Reminder.objects.filter(status=ReminderStatus.FAILED)
    assert failed.count() == 3
    assert all("Try again later" in r.error and r.attempts == 3 for r in failed)


def test_a_row_being_sent_by_a_live_worker_is_not_claimed_again(three_officials):
    from workplan.reminders.delivery import reminders_dispatch

    ids = reminders_dispatch(date=DAY).pending_ids
    first_claim, claimed = reminders_claim(reminder_ids=ids)
    assert sorted(claimed) == sorted(ids)

    assert reminders_claim(reminder_ids=ids)[1] == []
    send_reminder_batch.delay(ids)  # a duplicate job finds nothing to do
    assert mail.outbox == []

    reminders_deliver(reminder_ids=claimed, claimed_at=first_claim)
    send_reminder_batch.delay(ids)
    assert len(mail.outbox) == 3


def test_the_recovery_resends_what_a_dead_worker_left_past_its_lease(three_officials, settings):
    from workplan.reminders.delivery import reminders_dispatch

    ids = reminders_dispatch(date=DAY).pending_ids
    reminders_claim(reminder_ids=ids)  # the worker dies here, holding the claim
    recover_reminders.delay()
    assert mail.outbox == []  # the lease has not run out: maybe it is still alive

    lease = settings.REMINDER_CLAIM_LEASE_SECONDS
    Reminder.objects.update(claimed_at=timezone.now() - datetime.timedelta(seconds=lease + 1))
    recover_reminders.delay()

    assert len(mail.outbox) == 3
    recover_reminders.delay()
    assert len(mail.outbox) == 3


def test_the_recovery_sends_rows_a_lost_dispatch_never_queued(three_officials, settings):
    from workplan.reminders.delivery import reminders_dispatch

    reminders_dispatch(date=DAY)  # rows recorded, the fan-out lost
    lease = settings.REMINDER_CLAIM_LEASE_SECONDS
    Reminder.objects.update(created_at=timezone.now() - datetime.timedelta(seconds=lease + 1))

    recover_reminders.delay()

    assert len(mail.outbox) == 3


def test_the_dispatch_finds_recipients_in_a_fixed_number_of_queries(
    db, django_assert_max_num_queries
):
    from workplan.reminders.delivery import reminders_dispatch

    for _ in range(20):
        task_due(UserFactory(), D(2024, 3, 1))
    # plan (3, 2 for the urge notices' digest section, 1 for the report-missing one) +
    # savepoint pair + count + insert + statuses + pending ids
    with django_assert_max_num_queries(12):
        result = reminders_dispatch(date=DAY)
    assert len(result.pending_ids) == 20


@pytest.mark.django_db
def test_the_beat_schedule_is_seeded_daily_at_reminder_time_and_recovery_every_minute():
    daily = PeriodicTask.objects.get(task="workplan.tasks.send_reminders")
    recovery = PeriodicTask.objects.get(task="workplan.tasks.recover_reminders")

    assert (daily.crontab.hour, daily.crontab.minute) == ("9", "0")
    assert str(daily.crontab.timezone) == "Asia/Shanghai"
    assert recovery.interval.every * {"seconds": 1, "minutes": 60}[recovery.interval.period] <= 60


@pytest.fixture
def clean_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_the_recovery_runs_a_dispatch_missed_after_reminder_time(
    three_officials, monkeypatch, clean_cache, settings
):
    settings.REMINDER_CATCH_UP_MISSED_DISPATCH = True
    tz = timezone.get_current_timezone()
    monkeypatch.setattr(
        "workplan.reminders.jobs.local_now", lambda: datetime.datetime(2024, 3, 6, 8, 59, tzinfo=tz)
    )
    recover_reminders.delay()
    assert mail.outbox == []  # before 09:00: the beat's own run is still to come

    monkeypatch.setattr(
        "workplan.reminders.jobs.local_now", lambda: datetime.datetime(2024, 3, 6, 9, 30, tzinfo=tz)
    )
    recover_reminders.delay()
    recover_reminders.delay()

    assert len(mail.outbox) == 3


def test_the_recovery_does_not_dispatch_again_once_the_day_is_done(
    three_officials, monkeypatch, clean_cache, settings
):
    settings.REMINDER_CATCH_UP_MISSED_DISPATCH = True
    tz = timezone.get_current_timezone()
    monkeypatch.setattr(
        "workplan.reminders.jobs.local_now", lambda: datetime.datetime(2024, 3, 6, 9, 30, tzinfo=tz)
    )
    send_reminders.delay(date=DAY.isoformat())
    Reminder.objects.all().delete()  # were it to dispatch again, these would be re-sent

    recover_reminders.delay()

    assert len(mail.outbox) == 3
