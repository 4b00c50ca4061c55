"""notification_send records, words and mails a notification exactly once, in the right language."""

import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.models import Role
from notifications.models import MailStatus, Notification, NotificationKind
from notifications.services import notification_send, notifications_mark_read
from notifications.tasks import recover_notification_mails, send_notification_mail
from notifications.wording import notification_text
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recipient(db):
    return UserFactory(role=Role.OFFICIAL, preferred_language="en")


@pytest.fixture
def actor(db):
    return UserFactory(role=Role.SUPERVISOR, first_name="Li", last_name="Wei")


def send(recipient, actor=None, **kwargs):
    kwargs.setdefault("kind", NotificationKind.REPORT_RETURNED)
    kwargs.setdefault("url", "/tasks/12/")
    kwargs.setdefault("params", {"task": "One-window approvals", "task_zh": "一窗受理"})
    return notification_send(recipient=recipient, actor=actor, **kwargs)


def test_a_notification_is_recorded_unread_with_the_actors_name(recipient, actor):
    notification = send(recipient, actor, mail=False)
    assert notification.recipient == recipient
    assert notification.read_at is None
    assert notification.mail_status == MailStatus.SKIPPED
    assert notification.params["actor"] == actor.get_full_name()


def test_a_notification_mail_is_sent_once_after_commit(
    recipient, actor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = send(recipient, actor)
    assert mail.outbox == []
    assert Notification.objects.get().mail_status == MailStatus.PENDING
    for callback in callbacks:
        callback()
    notification.refresh_from_db()
    assert notification.mail_status == MailStatus.SENT
    assert notification.mailed_at is not None
    (message,) = mail.outbox
    assert message.to == [recipient.email]
    assert "returned your progress report on “One-window approvals”" in message.subject
    assert "http://" in message.body and "/tasks/12/" in message.body


def test_running_the_mail_job_twice_sends_one_mail(recipient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = send(recipient)
    send_notification_mail.delay(notification.pk)
    send_notification_mail(notification.pk)
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.mail_attempts == 1


def test_the_recovery_job_does_not_send_a_sent_mail_again(
    recipient, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_MAIL_LEASE_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        send(recipient)
    assert recover_notification_mails() == 0
    assert len(mail.outbox) == 1


def test_the_recovery_job_sends_a_mail_whose_job_was_lost(
    recipient, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_MAIL_LEASE_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=False):
        notification = send(recipient)
    assert recover_notification_mails() == 1
    assert len(mail.outbox) == 1
    assert Notification.objects.get(pk=notification.pk).mail_status == MailStatus.SENT


def test_no_mail_for_a_recipient_without_an_address_or_inactive(
    django_capture_on_commit_callbacks,
):
    silent = UserFactory(email="")
    gone = UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        first = send(silent)
        second = send(gone)
    assert mail.outbox == []
    assert {first.mail_status, second.mail_status} == {MailStatus.SKIPPED}


def test_a_refusing_mail_server_fails_the_mail_not_the_caller(
    recipient, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        notification = send(recipient)
    notification.refresh_from_db()
    # In-process there is no worker to retry later: recorded as failed, with the reason.
    assert notification.mail_status == MailStatus.FAILED
    assert "SMTPServerDisconnected" in notification.mail_error
    assert notification.mail_attempts == 1


def test_the_mail_is_in_the_recipients_language_whatever_the_senders(
    actor, django_capture_on_commit_callbacks
):
    chinese = UserFactory(preferred_language="zh-hans")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        send(chinese, actor)
    (message,) = mail.outbox
    assert "一窗受理" in message.subject
    assert "退回" in message.subject
    assert "returned" not in message.body


def test_the_wording_follows_the_readers_language(recipient, actor):
    notification = send(recipient, actor, mail=False)
    with translation.override("en"):
        assert notification_text(notification) == (
            "Li Wei returned your progress report on “One-window approvals”."
        )
    with translation.override("zh-hans"):
        assert "一窗受理" in notification_text(notification)
        assert "One-window" not in notification_text(notification)


@pytest.mark.parametrize("kind", NotificationKind.values)
def test_every_kind_has_a_sentence_in_both_languages(recipient, kind):
    notification = send(
        recipient, kind=kind, mail=False, params={"task": "T", "date": "2024-06-30"}
    )
    with translation.override("en"):
        english = notification_text(notification)
    with translation.override("zh-hans"):
        chinese = notification_text(notification)
    assert "T" in english
    assert english != chinese


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/x", "tasks/1/"])
def test_a_notification_never_leads_outside_the_portal(recipient, url):
    with pytest.raises(ValidationError):
        send(recipient, url=url)
    assert not Notification.objects.exists()


def test_mark_read_marks_only_the_users_own_and_the_ids_given(recipient):
    mine = [send(recipient, mail=False) for _ in range(3)]
    theirs = send(UserFactory(), mail=False)
    assert notifications_mark_read(user=recipient, ids=[mine[0].pk, theirs.pk]) == 1
    assert notifications_mark_read(user=recipient) == 2
    assert notifications_mark_read(user=recipient) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
