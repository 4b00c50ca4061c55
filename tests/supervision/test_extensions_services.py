"""Extension requests: who may ask, what is refused, approve extends, deny tells why."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from accounts.models import Role
from notifications.models import Notification, NotificationKind
from supervision.models import ExtensionRequest, ExtensionRequestState
from supervision.services.extensions import (
    extension_request_approve,
    extension_request_create,
    extension_request_deny,
)
from tests.conftest import service_unavailable
from tests.factories import AreaFactory, TaskFactory, UserFactory
from workplan.models import DeadlineExtension, Task, TaskStatus

DAY = datetime.timedelta(days=1)


def ask(task, user, days=10, reason="The permits came late."):
    return extension_request_create(
        task=task, user=user, new_due_date=task.due_date + days * DAY, reason=reason
    )


@pytest.mark.django_db
def test_the_owner_asks_for_a_later_date_and_the_request_is_open(task, official):
    request = ask(task, official)
    assert request.state == ExtensionRequestState.OPEN
    assert request.current_due_date == task.due_date
    assert request.requested_by == official
    assert request.history.get().history_user == official


@pytest.mark.django_db
def test_an_official_of_the_lead_department_may_ask(task, official):
    colleague = UserFactory(role=Role.OFFICIAL, department=official.department)
    assert ask(task, colleague).requested_by == colleague


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.LEADER, Role.ADMIN])
def test_only_those_who_report_on_the_task_may_ask(task, role):
    with pytest.raises(PermissionDenied):
        ask(task, UserFactory(role=role))
    assert not ExtensionRequest.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("days", [0, -3])
def test_a_date_not_after_the_current_due_date_is_refused(task, official, days):
    with pytest.raises(ValidationError, match="after the current due date"):
        ask(task, official, days=days)
    assert not ExtensionRequest.objects.exists()


@pytest.mark.django_db
def test_an_empty_reason_is_refused(task, official):
    with pytest.raises(ValidationError, match="Give a reason"):
        ask(task, official, reason="   ")


@pytest.mark.django_db
def test_one_open_request_per_task(task, official):
    ask(task, official)
    with pytest.raises(ValidationError, match="already has an open extension request"):
        ask(task, official, days=20)
    assert ExtensionRequest.objects.count() == 1


@pytest.mark.django_db
def test_a_completed_task_takes_no_request(task, official):
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.COMPLETED)
    task.refresh_from_db()
    with pytest.raises(ValidationError, match="completed"):
        ask(task, official)


@pytest.mark.django_db
def test_approval_records_the_extension_with_the_requests_reason_and_the_decider(
    task, official, supervisor, django_capture_on_commit_callbacks
):
    request = ask(task, official)
    old_due = task.due_date
    with django_capture_on_commit_callbacks(execute=True):
        extension_request_approve(request=request, user=supervisor, comment="Granted once.")
    request.refresh_from_db()
    task.refresh_from_db()
    assert request.state == ExtensionRequestState.APPROVED
    assert request.decided_by == supervisor
    assert task.due_date == old_due + 10 * DAY
    extension = DeadlineExtension.objects.get(task=task)
    assert request.extension == extension
    assert (extension.reason, extension.extended_by, extension.old_due_date) == (
        "The permits came late.",
        supervisor,
        old_due,
    )
    notification = Notification.objects.get(recipient=official)
    assert notification.kind == NotificationKind.EXTENSION_DECIDED
    assert notification.params["decision"] == "approved"
    assert notification.url == f"/tasks/{task.pk}/"
    (message,) = mail.outbox
    assert message.to == [official.email]
    assert "approved your extension request" in message.subject


@pytest.mark.django_db
def test_denial_needs_a_comment_and_tells_the_official(
    task, official, supervisor, django_capture_on_commit_callbacks
):
    request = ask(task, official)
    with pytest.raises(ValidationError, match="Say why"):
        extension_request_deny(request=request, user=supervisor, comment="")
    with django_capture_on_commit_callbacks(execute=True):
        extension_request_deny(request=request, user=supervisor, comment="Finish phase one first.")
    request.refresh_from_db()
    task.refresh_from_db()
    assert request.state == ExtensionRequestState.DENIED
    assert request.decision_comment == "Finish phase one first."
    assert task.due_date == request.current_due_date
    assert not DeadlineExtension.objects.exists()
    notification = Notification.objects.get(recipient=official)
    assert notification.params["decision"] == "denied"
    assert "Finish phase one first." in mail.outbox[0].body


@pytest.mark.django_db
def test_a_supervisor_of_another_area_may_not_decide(task, official):
    request = ask(task, official)
    stranger = UserFactory(role=Role.SUPERVISOR)
    AreaFactory().supervisors.add(stranger)
    with pytest.raises(PermissionDenied):
        extension_request_approve(request=request, user=stranger)
    with pytest.raises(PermissionDenied):
        extension_request_deny(request=request, user=stranger, comment="No.")
    request.refresh_from_db()
    assert request.state == ExtensionRequestState.OPEN


@pytest.mark.django_db
def test_a_decided_request_is_not_decided_again(task, official, supervisor, admin_user):
    request = ask(task, official)
    extension_request_approve(request=request, user=supervisor)
    with pytest.raises(ValidationError, match="already decided"):
        extension_request_approve(request=request, user=admin_user)
    with pytest.raises(ValidationError, match="already decided"):
        extension_request_deny(request=request, user=admin_user, comment="No.")
    assert DeadlineExtension.objects.count() == 1


@pytest.mark.django_db
def test_after_a_decision_the_official_may_ask_again(task, official, supervisor):
    extension_request_deny(request=ask(task, official), user=supervisor, comment="Not yet.")
    assert ask(task, official, days=5).is_open


@pytest.mark.django_db
def test_the_database_keeps_one_open_request_per_task_and_dates_in_order(task, official):
    from django.db import IntegrityError, transaction

    ask(task, official)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExtensionRequest.objects.create(
            task=task,
            requested_by=official,
            current_due_date=task.due_date,
            new_due_date=task.due_date + DAY,
            reason="Again",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ExtensionRequest.objects.create(
            task=task,
            requested_by=official,
            state=ExtensionRequestState.DENIED,
            current_due_date=task.due_date,
            new_due_date=task.due_date,
            reason="Same day",
        )


def _race(*writers):
    barrier = threading.Barrier(len(writers))
    outcomes = [None] * len(writers)

    def run(index, writer):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = writer()
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a writer is stuck"
    return outcomes


@pytest.mark.parametrize("round_", range(3))
def test_two_approvals_of_one_request_at_the_same_moment_record_one_extension(
    transactional_db, round_
):
    if connection.vendor != "postgresql":
        service_unavailable("the race needs row locks: set DATABASE_URL to a PostgreSQL database")
    supervisor = UserFactory(role=Role.SUPERVISOR)
    admin_user = UserFactory(role=Role.ADMIN)
    official = UserFactory(role=Role.OFFICIAL)
    area = AreaFactory()
    area.supervisors.add(supervisor)
    task = TaskFactory(area=area, owner=official)
    request = ask(task, official)

    def approve(user):
        def run():
            extension_request_approve(
                request=ExtensionRequest.objects.get(pk=request.pk), user=user
            )
            return "approved"

        return run

    outcomes = _race(approve(supervisor), approve(admin_user))
    assert sum(outcome == "approved" for outcome in outcomes) == 1, outcomes
    refused = next(o for o in outcomes if o != "approved")
    assert isinstance(refused, ValidationError) and "already decided" in str(refused)
    assert DeadlineExtension.objects.filter(task=task).count() == 1
    assert Notification.objects.filter(recipient=official).count() == 1


@pytest.mark.django_db
def test_a_withdrawn_request_cannot_be_decided(task, official, supervisor):
    from supervision.services.extensions import extension_request_withdraw

    request = ask(task, official)
    extension_request_withdraw(task=task, user=official)
    with pytest.raises(ValidationError, match="already decided"):
        extension_request_approve(request=request, user=supervisor)
    assert not DeadlineExtension.objects.exists()
    assert not Notification.objects.exists()
