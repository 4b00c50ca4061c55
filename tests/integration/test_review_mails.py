"""Review mails are jobs: a mail server that refuses never fails an approval, nor stops a bulk one.

The refusing server is a real one (aiosmtpd, answering 554 to every message). In-process, as
under `make run`, the job logs the refusal and the review stands; a worker retries a busy
server's refusal with backoff until the mail goes out.
"""

import logging

import pytest
from celery import Celery
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from tests.factories import AreaFactory, ProgressReportFactory, TaskFactory, UserFactory
from tests.integration.conftest import wait_for
from workplan.models import ProgressReport, ReviewState

# Committed for real (transactional tests): the mail job is queued when the review commits,
# inside the request, as in production. The rollback restores the groups that let a supervisor
# into the admin, which an earlier transactional test may have flushed.
pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REFUSED = "554 5.7.1 Message refused"


@pytest.fixture
def refusing_smtp(smtp_sink, settings):
    """Point the portal's mail at an SMTP server that refuses every message."""
    smtp_sink.refuse = 10**6
    smtp_sink.refusal = REFUSED
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_sink.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return smtp_sink


@pytest.fixture
def scene():
    supervisor = UserFactory(role=Role.SUPERVISOR)
    area = AreaFactory()
    area.supervisors.add(supervisor)
    task = TaskFactory(area=area, owner=UserFactory(role=Role.OFFICIAL))
    return supervisor, task


def _refusals(caplog) -> list:
    return [record for record in caplog.records if record.getMessage() == "mail_not_sent"]


def test_approving_a_report_succeeds_when_the_mail_server_refuses_and_the_refusal_is_logged(
    client, scene, refusing_smtp, caplog
):
    supervisor, task = scene
    report = ProgressReportFactory(task=task, progress=60)
    client.force_login(supervisor)

    with caplog.at_level(logging.WARNING):
        response = client.post(
            reverse("admin:workplan_progressreport_change", args=[report.pk]),
            {"_approve": "1", "comment": "Good work."},
        )

    assert response.status_code == 302
    assert response.url == reverse("admin:workplan_progressreport_changelist")
    report.refresh_from_db()
    task.refresh_from_db()
    assert report.review_state == ReviewState.APPROVED
    assert task.progress == 60
    assert refusing_smtp.refused == 1
    assert refusing_smtp.received() == []
    (line,) = _refusals(caplog)
    assert (line.levelname, line.report, line.error) == ("ERROR", report.pk, "SMTPDataError")


def test_bulk_approval_approves_every_report_when_the_mail_server_refuses_each_mail(
    client, scene, refusing_smtp, caplog
):
    supervisor, task = scene
    reports = [ProgressReportFactory(task=task, progress=10 * n) for n in range(1, 5)]
    client.force_login(supervisor)

    with caplog.at_level(logging.WARNING):
        response = client.post(
            reverse("admin:workplan_progressreport_changelist"),
            {
                "action": "approve_selected",
                "_selected_action": [report.pk for report in reports],
                "index": 0,
            },
            follow=True,
        )

    assert response.status_code == 200
    assert "Approved 4 reports." in response.text
    states = set(
        ProgressReport.objects.filter(pk__in=[r.pk for r in reports]).values_list(
            "review_state", flat=True
        )
    )
    assert states == {ReviewState.APPROVED}
    assert refusing_smtp.refused == 4
    assert sorted(line.report for line in _refusals(caplog)) == sorted(r.pk for r in reports)


def test_a_worker_retries_a_refused_review_mail_with_backoff_until_it_goes_out(
    start_worker, smtp_sink, redis_url
):
    supervisor = UserFactory(role=Role.SUPERVISOR)
    official = UserFactory(role=Role.OFFICIAL, email="li.wei@etown.example")
    report = ProgressReportFactory(
        task=TaskFactory(owner=official),
        review_state=ReviewState.RETURNED,
        reviewed_by=supervisor,
        reviewed_at=timezone.now(),
        review_comment="Attach the contract, please.",
    )
    smtp_sink.refuse = 1  # busy once (451): the worker tries again about 10 s later
    start_worker()
    client = Celery("review-mails-client", broker=redis_url, set_as_current=False)
    client.conf.update(task_serializer="json", accept_content=["json"])

    try:
        client.send_task("workplan.tasks.send_report_reviewed", args=[report.pk])
        (message,) = wait_for(smtp_sink.received, timeout=60, message="the mail after a retry")
    finally:
        client.close()

    assert smtp_sink.refused == 1
    assert message["To"] == "li.wei@etown.example"
    assert "returned" in message["Subject"]
