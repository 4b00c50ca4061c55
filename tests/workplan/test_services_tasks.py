import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from tests.factories import AreaFactory, TaskFactory, UserFactory
from workplan.models import DeadlineExtension, TaskStatus
from workplan.services import deadline_extend, task_mark_done, task_reassign

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider():
    user = UserFactory(role=Role.SUPERVISOR)
    AreaFactory().supervisors.add(user)
    return user


def test_extending_a_deadline_keeps_old_and_new_dates_and_the_reason(task, supervisor):
    old = task.due_date
    new = old + datetime.timedelta(days=14)
    extension = deadline_extend(
        task=task, new_due_date=new, reason="Land survey delayed.", user=supervisor
    )

    task.refresh_from_db()
    assert task.due_date == new
    assert (extension.old_due_date, extension.new_due_date) == (old, new)
    assert extension.reason == "Land survey delayed."
    assert extension.extended_by == supervisor
    assert task.extensions.count() == 1
    record = task.history.first()
    assert record.history_user == supervisor
    assert "Deadline changed" in record.history_change_reason


def test_extending_a_deadline_needs_a_reason_and_changes_nothing_without_one(task, supervisor):
    old = task.due_date
    with pytest.raises(ValidationError, match="reason"):
        deadline_extend(
            task=task, new_due_date=old + datetime.timedelta(days=3), reason=" ", user=supervisor
        )
    task.refresh_from_db()
    assert task.due_date == old
    assert not DeadlineExtension.objects.exists()


def test_a_deadline_cannot_move_before_the_start_date(task, supervisor):
    with pytest.raises(ValidationError, match="start date"):
        deadline_extend(
            task=task,
            new_due_date=task.start_date - datetime.timedelta(days=1),
            reason="Typo.",
            user=supervisor,
        )


def test_a_supervisor_cannot_extend_a_deadline_outside_their_areas(task, outsider):
    with pytest.raises(PermissionDenied):
        deadline_extend(
            task=task,
            new_due_date=task.due_date + datetime.timedelta(days=1),
            reason="Why not.",
            user=outsider,
        )
    assert not DeadlineExtension.objects.exists()


def test_reassigning_changes_the_owner_and_records_who_did_it(task, supervisor):
    new_owner = UserFactory()
    version = task.version
    task_reassign(task=task, owner=new_owner, user=supervisor)

    task.refresh_from_db()
    assert task.owner == new_owner
    assert task.version == version + 1
    record = task.history.first()
    assert record.history_user == supervisor
    assert "Owner changed" in record.history_change_reason


def test_reassigning_to_an_inactive_user_is_refused(task, supervisor):
    gone = UserFactory(is_active=False)
    with pytest.raises(ValidationError, match="active"):
        task_reassign(task=task, owner=gone, user=supervisor)


def test_a_supervisor_cannot_reassign_outside_their_areas(task, outsider):
    owner = task.owner
    with pytest.raises(PermissionDenied):
        task_reassign(task=task, owner=UserFactory(), user=outsider)
    task.refresh_from_db()
    assert task.owner == owner


def test_marking_done_completes_the_task_at_full_progress(task, supervisor):
    task_mark_done(task=task, user=supervisor)
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.COMPLETED, 100)
    assert task.completed_at is not None


def test_a_completed_task_cannot_be_marked_done_again(supervisor, area):
    task = TaskFactory(area=area, status=TaskStatus.COMPLETED, progress=100)
    with pytest.raises(ValidationError, match="already completed"):
        task_mark_done(task=task, user=supervisor)
