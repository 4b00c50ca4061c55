"""The review mail job: sent once the review commits, retried with backoff by a worker."""

import logging
import smtplib

import pytest
from celery.exceptions import Retry
from django.core import mail

from tests.factories import ProgressReportFactory, TaskFactory
from workplan import emails
from workplan.services import report_approve, report_return
from workplan.tasks import send_report_reviewed


def _refuse(**kwargs):
    raise smtplib.SMTPDataError(554, b"5.7.1 Message refused")


def test_the_job_has_the_name_other_systems_queue_it_by():
    assert send_report_reviewed.name == "workplan.tasks.send_report_reviewed"


def test_in_process_a_refused_mail_is_logged_once_and_not_retried(monkeypatch, caplog):
    monkeypatch.setattr(emails, "send_report_reviewed", _refuse)
    with caplog.at_level(logging.WARNING):
        result = send_report_reviewed.apply(args=[7])
    assert result.successful()
    assert result.result is False
    (line,) = [r for r in caplog.records if r.getMessage() == "mail_not_sent"]
    assert (line.levelno, line.report, line.retrying, line.error) == (
        logging.ERROR,
        7,
        False,
        "SMTPDataError",
    )


@pytest.mark.parametrize(
    ("retries", "countdown"), [(0, 10), (1, 20), (2, 40), (8, 2560), (9, 3600)]
)
def test_on_a_worker_a_refused_mail_is_retried_later_and_later(monkeypatch, retries, countdown):
    asked = []

    def retry(**kwargs):
        asked.append(kwargs)
        return Retry()

    monkeypatch.setattr(emails, "send_report_reviewed", _refuse)
    monkeypatch.setattr(send_report_reviewed, "retry", retry)
    send_report_reviewed.push_request(retries=retries, is_eager=False)
    try:
        with pytest.raises(Retry):
            send_report_reviewed.run(7)
    finally:
        send_report_reviewed.pop_request()
    (kwargs,) = asked
    assert kwargs["countdown"] == countdown
    assert kwargs["max_retries"] == emails.MAIL_RETRIES
    assert isinstance(kwargs["exc"], smtplib.SMTPDataError)


@pytest.mark.parametrize(("review", "word"), [("approve", "approved"), ("return", "returned")])
def test_a_mail_subject_carries_the_task_title_as_typed_not_as_html(
    supervisor, official, django_capture_on_commit_callbacks, review, word
):
    task = TaskFactory(owner=official, title="""Pave "Ring Road" <north> & 'Kechuang' St""")
    task.area.supervisors.add(supervisor)
    report = ProgressReportFactory(task=task, author=official)
    service = report_approve if review == "approve" else report_return
    with django_capture_on_commit_callbacks(execute=True):
        service(report=report, reviewer=supervisor, comment="Noted.")
    (message,) = mail.outbox
    assert message.subject == f'Your progress report on "{task}" was {word}'
    assert """"Ring Road" <north> & 'Kechuang'""" in message.subject
    assert "&quot;" not in message.subject and "&lt;" not in message.subject
    # The HTML part still escapes the title.
    assert "&lt;north&gt;" in message.alternatives[0][0]
