import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from tests.factories import AreaFactory, ProgressReportFactory, TaskFactory, UserFactory
from workplan.models import ReviewState, TaskStatus
from workplan.services import report_approve, report_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(task):
    return ProgressReportFactory(task=task, progress=60, status=TaskStatus.BLOCKED, note="Stuck.")


def test_approving_makes_the_reports_progress_and_status_the_tasks_own(
    report, supervisor, django_capture_on_commit_callbacks
):
    version = report.task.version
    with django_capture_on_commit_callbacks(execute=True):
        report_approve(report=report, reviewer=supervisor)

    report.refresh_from_db()
    task = report.task
    task.refresh_from_db()
    assert (task.progress, task.status) == (60, TaskStatus.BLOCKED)
    assert task.version == version + 1
    assert task.completed_at is None
    assert report.review_state == ReviewState.APPROVED
    assert report.reviewed_by == supervisor
    assert report.reviewed_at is not None
    assert task.history.first().history_user == supervisor


def test_approving_a_completed_report_sets_the_completion_time(task, supervisor):
    report = ProgressReportFactory(task=task, progress=100, status=TaskStatus.COMPLETED)
    report_approve(report=report, reviewer=supervisor)
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED
    assert task.completed_at is not None


def test_approving_emails_the_author(report, supervisor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report_approve(report=report, reviewer=supervisor, comment="Good work.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [report.author.email]
    assert "approved" in message.subject
    assert "Good work." in message.body
    assert message.alternatives[0][1] == "text/html"


def test_returning_needs_a_comment_and_changes_nothing_without_one(report, supervisor):
    with pytest.raises(ValidationError, match="Say why"):
        report_return(report=report, reviewer=supervisor, comment="   ")
    report.refresh_from_db()
    assert report.review_state == ReviewState.PENDING
    assert mail.outbox == []


def test_returning_keeps_the_task_and_emails_the_comment_to_the_author(
    report, supervisor, django_capture_on_commit_callbacks
):
    task_before = (report.task.progress, report.task.status, report.task.version)
    with django_capture_on_commit_callbacks(execute=True):
        report_return(report=report, reviewer=supervisor, comment="Attach the contract, please.")

    report.refresh_from_db()
    report.task.refresh_from_db()
    assert report.review_state == ReviewState.RETURNED
    assert report.review_comment == "Attach the contract, please."
    assert (report.task.progress, report.task.status, report.task.version) == task_before
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [report.author.email]
    assert "returned" in mail.outbox[0].subject
    assert "Attach the contract, please." in mail.outbox[0].body
    assert "Attach the contract, please." in mail.outbox[0].alternatives[0][0]


def test_a_supervisor_cannot_review_a_report_in_an_area_they_do_not_supervise(report):
    other = UserFactory(role=Role.SUPERVISOR)
    AreaFactory().supervisors.add(other)
    with pytest.raises(PermissionDenied):
        report_approve(report=report, reviewer=other)
    with pytest.raises(PermissionDenied):
        report_return(report=report, reviewer=other, comment="No.")
    report.refresh_from_db()
    assert report.review_state == ReviewState.PENDING


def test_an_official_cannot_review_reports(report, official):
    with pytest.raises(PermissionDenied):
        report_approve(report=report, reviewer=official)


def test_a_report_is_reviewed_only_once(report, supervisor):
    report_return(report=report, reviewer=supervisor, comment="Redo.")
    with pytest.raises(ValidationError, match="already"):
        report_approve(report=report, reviewer=supervisor)


def test_an_admin_reviews_reports_in_any_area(admin_user):
    report = ProgressReportFactory(task=TaskFactory(), progress=30)
    report_approve(report=report, reviewer=admin_user)
    report.task.refresh_from_db()
    assert report.task.progress == 30


def test_an_approval_goes_through_the_task_service_even_when_it_changes_nothing(task, supervisor):
    report = ProgressReportFactory(task=task, progress=task.progress, status=task.status)
    version = task.version
    report_approve(report=report, reviewer=supervisor)
    task.refresh_from_db()
    # Whoever holds a form of the task from before the review is told about it.
    assert task.version == version + 1
    record = task.history.first()
    assert (record.history_user, record.history_change_reason) == (
        supervisor,
        "Progress report approved",
    )


def test_approving_a_report_never_reopens_a_completed_task(supervisor, area):
    task = TaskFactory(area=area, status=TaskStatus.COMPLETED, progress=100)
    task.completed_at = task.updated_at
    task.save()
    completed_at = task.completed_at
    report = report_approve(
        report=ProgressReportFactory(task=task, progress=90, status=TaskStatus.IN_PROGRESS),
        reviewer=supervisor,
    )
    task.refresh_from_db()
    assert (task.status, task.progress, task.completed_at) == (
        TaskStatus.COMPLETED,
        100,
        completed_at,
    )
    assert report.review_state == ReviewState.APPROVED


@pytest.mark.parametrize("review", [report_approve, report_return])
def test_a_review_comment_longer_than_2000_characters_is_refused(report, supervisor, review):
    with pytest.raises(ValidationError, match="at most 2000 characters"):
        review(report=report, reviewer=supervisor, comment="x" * 2001)
    report.refresh_from_db()
    assert report.review_state == ReviewState.PENDING
    assert report.review_comment == ""
