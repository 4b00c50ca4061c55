"""Changes to a task: `task_update` and the actions built on it, and every path that uses it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from tests.etown.admin_forms import change_form_data
from tests.factories import AreaFactory, DepartmentFactory, TaskFactory, UserFactory
from workplan.models import DeadlineExtension, Task, TaskStatus
from workplan.services import (
    TaskChangedError,
    deadline_extend,
    task_create,
    task_mark_done,
    task_reassign,
    task_update,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(db):
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


def test_an_extension_never_moves_a_deadline_earlier(task, supervisor):
    due = task.due_date
    with pytest.raises(ValidationError, match="only moves a deadline later"):
        deadline_extend(
            task=task,
            new_due_date=due - datetime.timedelta(days=1),
            reason="Sooner.",
            user=supervisor,
        )
    task.refresh_from_db()
    assert task.due_date == due
    assert not DeadlineExtension.objects.exists()


# --- task_update ------------------------------------------------------------------------------


def test_moving_a_due_date_needs_a_reason_and_changes_nothing_without_one(task, supervisor):
    due, version = task.due_date, task.version
    with pytest.raises(ValidationError) as refused:
        task_update(
            task=task, user=supervisor, changes={"due_date": due + datetime.timedelta(days=90)}
        )
    assert list(refused.value.message_dict) == ["reason"]
    task.refresh_from_db()
    assert (task.due_date, task.version) == (due, version)
    assert not DeadlineExtension.objects.exists()


def test_moving_a_due_date_either_way_records_the_extension_and_moves_the_version(task, supervisor):
    old, version = task.due_date, task.version
    earlier = old - datetime.timedelta(days=10)

    task_update(
        task=task, user=supervisor, changes={"due_date": earlier}, reason="Typo in the plan."
    )

    task.refresh_from_db()
    assert task.due_date == earlier
    assert task.version == version + 1
    extension = task.extensions.get()
    assert (extension.old_due_date, extension.new_due_date) == (old, earlier)
    assert (extension.reason, extension.extended_by) == ("Typo in the plan.", supervisor)
    record = task.history.first()
    assert record.history_user == supervisor
    assert "Deadline changed" in record.history_change_reason


def test_a_first_due_date_needs_no_reason(supervisor, area):
    task = TaskFactory(area=area, due_date=None)
    first = task.start_date + datetime.timedelta(days=90)
    task_update(task=task, user=supervisor, changes={"due_date": first})
    task.refresh_from_db()
    assert task.due_date == first
    assert not task.extensions.exists()


def test_a_due_date_cannot_be_removed_or_moved_on_a_completed_task(supervisor, area):
    task = TaskFactory(area=area)
    with pytest.raises(ValidationError, match="not removed"):
        task_update(task=task, user=supervisor, changes={"due_date": None}, reason="Gone.")
    done = TaskFactory(area=area, status=TaskStatus.COMPLETED, progress=100)
    with pytest.raises(ValidationError, match="no longer moves"):
        task_update(
            task=done,
            user=supervisor,
            changes={"due_date": done.due_date + datetime.timedelta(days=1)},
            reason="Late.",
        )


def test_a_change_of_status_or_progress_moves_the_version_and_keeps_completion_in_step(
    task, supervisor
):
    version = task.version
    task_update(task=task, user=supervisor, changes={"progress": 70})
    task.refresh_from_db()
    assert (task.progress, task.version) == (70, version + 1)

    task_update(task=task, user=supervisor, changes={"status": TaskStatus.COMPLETED})
    task.refresh_from_db()
    # Closed without a word on progress: closed at 100 %, as "Mark done" does.
    assert (task.status, task.progress, task.version) == (TaskStatus.COMPLETED, 100, version + 2)
    assert task.completed_at is not None
    assert "Status changed" in task.history.first().history_change_reason

    task_update(task=task, user=supervisor, changes={"status": TaskStatus.IN_PROGRESS})
    task.refresh_from_db()
    assert (task.status, task.completed_at, task.version) == (
        TaskStatus.IN_PROGRESS,
        None,
        version + 3,
    )


def test_a_completed_task_below_full_progress_is_refused(task, supervisor):
    with pytest.raises(ValidationError, match="100"):
        task_update(
            task=task, user=supervisor, changes={"status": TaskStatus.COMPLETED, "progress": 90}
        )
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS


def test_values_equal_to_the_current_ones_change_nothing_and_keep_the_version(task, supervisor):
    version, records = task.version, task.history.count()
    task_update(
        task=task,
        user=supervisor,
        changes={"title": task.title, "due_date": task.due_date, "owner": task.owner},
    )
    task.refresh_from_db()
    assert task.version == version
    assert task.history.count() == records


def test_an_owner_change_goes_the_way_reassigning_does(task, supervisor):
    with pytest.raises(ValidationError, match="active"):
        task_update(task=task, user=supervisor, changes={"owner": UserFactory(is_active=False)})
    new_owner = UserFactory()
    task_update(task=task, user=supervisor, changes={"owner": new_owner})
    task.refresh_from_db()
    assert task.owner == new_owner
    assert "Owner changed" in task.history.first().history_change_reason


def test_supporting_departments_change_through_the_service_too(task, supervisor):
    version = task.version
    helpers = [DepartmentFactory(), DepartmentFactory()]
    task_update(task=task, user=supervisor, changes={"supporting_departments": helpers})
    assert set(task.supporting_departments.all()) == set(helpers)
    task.refresh_from_db()
    assert task.version == version + 1


def test_a_stale_version_is_refused_with_what_changed(task, supervisor):
    version = task.version
    task_update(task=task, user=supervisor, changes={"progress": 50})
    with pytest.raises(TaskChangedError) as stale:
        task_update(task=task, user=supervisor, changes={"title": "Mine"}, expected_version=version)
    assert stale.value.task.version == version + 1
    task.refresh_from_db()
    assert task.title != "Mine"


def test_a_supervisor_changes_only_tasks_in_their_areas_and_moves_none_out(
    task, supervisor, outsider
):
    with pytest.raises(PermissionDenied):
        task_update(task=task, user=outsider, changes={"progress": 90})
    with pytest.raises(ValidationError) as refused:
        task_update(task=task, user=supervisor, changes={"area": AreaFactory()})
    assert list(refused.value.message_dict) == ["area"]
    task.refresh_from_db()
    assert task.progress == 10


def test_a_field_the_service_does_not_own_is_a_programming_error(task, supervisor):
    with pytest.raises(ValueError, match="version"):
        task_update(task=task, user=supervisor, changes={"version": 99})


def test_a_task_created_completed_gets_its_completion_time(area, supervisor):
    task = task_create(
        task=Task(area=area, title="Done already", status=TaskStatus.COMPLETED, progress=100),
        user=supervisor,
    )
    assert task.pk is not None
    assert task.completed_at is not None
    with pytest.raises(ValidationError):
        task_create(task=Task(area=AreaFactory(), title="Elsewhere"), user=supervisor)


# --- Every write path goes through the service ------------------------------------------------


@pytest.fixture
def sup_client(client, supervisor):
    client.force_login(supervisor)
    return client


def _act(client, task, action, **data):
    return client.post(
        reverse("admin:workplan_task_changelist"),
        {"action": action, "_selected_action": [task.pk], "index": 0, "apply": "1", **data},
    )


def test_the_admin_change_form_saves_through_the_service_and_never_moves_the_schedule(
    sup_client, task, supervisor
):
    url = reverse("admin:workplan_task_change", args=[task.pk])
    before = (task.due_date, task.status, task.progress, task.owner_id)
    version = task.version
    data = change_form_data(sup_client.get(url))
    data.update(
        title="Renamed by the supervisor",
        due_date=(task.due_date + datetime.timedelta(days=90)).isoformat(),
        status=TaskStatus.COMPLETED,
        progress="100",
        owner=str(UserFactory().pk),
    )

    response = sup_client.post(url, data)

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "Renamed by the supervisor"
    # Due date, status, progress and owner move only by an action, a review or an import.
    assert (task.due_date, task.status, task.progress, task.owner_id) == before
    assert task.version == version + 1
    record = task.history.first()
    assert record.history_user == supervisor
    assert "title" in record.history_change_reason
    assert not task.extensions.exists()


def test_the_admin_change_form_saves_supporting_departments_through_the_service(sup_client, task):
    url = reverse("admin:workplan_task_change", args=[task.pk])
    helper = DepartmentFactory()
    data = change_form_data(sup_client.get(url))
    data["supporting_departments"] = [str(helper.pk)]
    version = task.version

    assert sup_client.post(url, data).status_code == 302

    task.refresh_from_db()
    assert list(task.supporting_departments.all()) == [helper]
    assert task.version == version + 1


def test_the_admin_add_form_creates_a_task_through_the_service(client, admin_user, area):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:workplan_task_add"),
        {
            "area": area.pk,
            "title": "Added and already done",
            "status": TaskStatus.COMPLETED,
            "progress": "100",
            "weight": "1",
            "expected_version": "",
            "extensions-TOTAL_FORMS": "0",
            "extensions-INITIAL_FORMS": "0",
            "reports-TOTAL_FORMS": "0",
            "reports-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    task = Task.objects.get(title="Added and already done")
    assert task.completed_at is not None
    assert task.history.first().history_user == admin_user


def test_the_admin_add_form_says_why_a_completed_task_below_100_is_refused(
    client, admin_user, area
):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:workplan_task_add"),
        {
            "area": area.pk,
            "title": "Half done",
            "status": TaskStatus.COMPLETED,
            "progress": "50",
            "weight": "1",
            "extensions-TOTAL_FORMS": "0",
            "extensions-INITIAL_FORMS": "0",
            "reports-TOTAL_FORMS": "0",
            "reports-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "completed task is at 100" in str(response.context["adminform"].form.errors["progress"])
    assert not Task.objects.filter(title="Half done").exists()


def test_the_reassign_action_moves_the_version_and_keeps_the_history(sup_client, task, supervisor):
    new_owner, version = UserFactory(role=Role.OFFICIAL), task.version
    _act(sup_client, task, "reassign_owner", owner=new_owner.pk)
    task.refresh_from_db()
    assert (task.owner, task.version) == (new_owner, version + 1)
    assert task.history.first().history_user == supervisor


def test_the_extend_action_records_the_extension_and_moves_the_version(sup_client, task):
    old, version = task.due_date, task.version
    new = old + datetime.timedelta(days=20)
    _act(sup_client, task, "extend_deadline", new_due_date=new.isoformat(), reason="Permits late.")
    task.refresh_from_db()
    assert (task.due_date, task.version) == (new, version + 1)
    extension = task.extensions.get()
    assert (extension.old_due_date, extension.new_due_date, extension.reason) == (
        old,
        new,
        "Permits late.",
    )


def test_the_extend_action_never_moves_a_deadline_earlier(sup_client, task):
    old, version = task.due_date, task.version
    response = _act(
        sup_client,
        task,
        "extend_deadline",
        new_due_date=(old - datetime.timedelta(days=5)).isoformat(),
        reason="Sooner, please.",
    )
    # The form comes back with the refusal; nothing changes.
    assert response.status_code == 200
    task.refresh_from_db()
    assert (task.due_date, task.version) == (old, version)
    assert not task.extensions.exists()
    assert "only moves a deadline later" in response.text


def test_the_mark_done_action_moves_the_version_and_sets_the_completion_time(sup_client, task):
    version = task.version
    _act(sup_client, task, "mark_done")
    task.refresh_from_db()
    assert (task.status, task.progress, task.version) == (TaskStatus.COMPLETED, 100, version + 1)
    assert task.completed_at is not None
    assert task.history.first().history_change_reason == "Marked done"
