"""A review tells the report's author in the inbox; the mail stays the one review mail."""

import pytest
from django.core import mail

from notifications.models import MailStatus, Notification, NotificationKind
from tests.factories import ProgressReportFactory
from workplan.services import report_approve, report_return

pytestmark = pytest.mark.django_db


def test_an_approved_report_notifies_its_author_with_one_mail(
    task, official, supervisor, django_capture_on_commit_callbacks
):
    report = ProgressReportFactory(task=task, author=official)
    with django_capture_on_commit_callbacks(execute=True):
        report_approve(report=report, reviewer=supervisor)
    (notification,) = Notification.objects.filter(recipient=official)
    assert notification.kind == NotificationKind.REPORT_APPROVED
    assert notification.url == f"/tasks/{task.pk}/"
    assert notification.actor == supervisor
    assert notification.mail_status == MailStatus.SKIPPED
    assert len(mail.outbox) == 1


def test_a_returned_report_notifies_its_author_with_the_comment(
    task, official, supervisor, django_capture_on_commit_callbacks
):
    report = ProgressReportFactory(task=task, author=official)
    with django_capture_on_commit_callbacks(execute=True):
        report_return(report=report, reviewer=supervisor, comment="Attach the minutes.")
    (notification,) = Notification.objects.filter(recipient=official)
    assert notification.kind == NotificationKind.REPORT_RETURNED
    assert notification.params["comment"] == "Attach the minutes."
    assert len(mail.outbox) == 1
