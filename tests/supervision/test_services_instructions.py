import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from supervision.models import Instruction, InstructionState
from supervision.permissions import can_answer_instruction
from supervision.selectors.instructions import (
    dashboard_instructions_for,
    instruction_list_for,
    task_instructions_for,
)
from supervision.services import instruction_answer, instruction_close, instruction_write
from tests.factories import AreaFactory, TaskFactory, UserFactory
from workplan.models import today

pytestmark = pytest.mark.django_db


def test_a_leader_writes_an_instruction_on_a_task(leader, task):
    respond_by = today() + datetime.timedelta(days=5)
    instruction = instruction_write(
        author=leader, task=task, text=" Speed up the land survey. ", respond_by=respond_by
    )
    assert (instruction.text, instruction.area, instruction.state) == (
        "Speed up the land survey.",
        task.area,
        InstructionState.OPEN,
    )
    assert instruction.history.count() == 1


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.SUPERVISOR, Role.ADMIN])
def test_only_leaders_write_instructions(role, task):
    with pytest.raises(PermissionDenied):
        instruction_write(author=UserFactory(role=role), task=task, text="Do it")


def test_an_empty_text_or_a_past_date_is_refused(leader, task):
    with pytest.raises(ValidationError):
        instruction_write(author=leader, task=task, text=" ")
    with pytest.raises(ValidationError, match="passed"):
        instruction_write(
            author=leader, task=task, text="Do it", respond_by=today() - datetime.timedelta(1)
        )
    assert not Instruction.objects.exists()


def test_an_instruction_is_on_a_task_or_an_area_never_both(leader, task):
    with pytest.raises(ValidationError):
        instruction_write(author=leader, task=task, area=task.area, text="Do it")
    with pytest.raises(ValidationError):
        instruction_write(author=leader, text="Do it")


def test_an_area_instruction_stands_on_every_task_of_the_area_only(leader, task, other_task):
    instruction = instruction_write(author=leader, area=task.area, text="All hands")
    elsewhere = TaskFactory(area=AreaFactory())
    assert task_instructions_for(task) == [instruction]
    assert task_instructions_for(other_task) == [instruction]
    assert task_instructions_for(elsewhere) == []


def test_owners_answer_and_the_instruction_becomes_answered(leader, task, other_task):
    instruction = instruction_write(author=leader, area=task.area, text="All hands")
    instruction_answer(instruction=instruction, user=task.owner, text="Team doubled.")
    instruction_answer(instruction=instruction, user=other_task.owner, text="Night shifts.")
    instruction.refresh_from_db()
    assert instruction.state == InstructionState.ANSWERED
    assert [a.text for a in instruction.answers.all()] == ["Team doubled.", "Night shifts."]


def test_an_official_outside_the_task_may_not_answer(leader, task, other_task):
    instruction = instruction_write(author=leader, task=task, text="Do it")
    with pytest.raises(PermissionDenied):
        instruction_answer(instruction=instruction, user=other_task.owner, text="Me too")
    with pytest.raises(PermissionDenied):
        instruction_answer(instruction=instruction, user=leader, text="Myself")
    assert not instruction.answers.exists()


def test_the_lead_department_answers_for_its_task(leader, task):
    colleague = UserFactory(role=Role.OFFICIAL, department=task.lead_department)
    instruction = instruction_write(author=leader, task=task, text="Do it")
    assert can_answer_instruction(colleague, instruction)


def test_the_author_or_a_supervisor_of_the_area_closes_and_twice_is_a_no_op(
    leader, supervisor, task
):
    mine = instruction_write(author=leader, task=task, text="Do it")
    theirs = instruction_write(author=leader, task=task, text="And this")
    other_leader = UserFactory(role=Role.LEADER, department=None)
    outsider = UserFactory(role=Role.SUPERVISOR)
    for someone in (other_leader, outsider, task.owner):
        with pytest.raises(PermissionDenied):
            instruction_close(instruction=mine, user=someone)
    closed = instruction_close(instruction=mine, user=leader)
    assert (closed.state, closed.closed_by) == (InstructionState.CLOSED, leader)
    assert instruction_close(instruction=mine, user=leader).closed_at == closed.closed_at
    assert instruction_close(instruction=theirs, user=supervisor).closed_by == supervisor
    assert task_instructions_for(task) == []


def test_a_closed_instruction_takes_no_answer(leader, task):
    instruction = instruction_write(author=leader, task=task, text="Do it")
    instruction_close(instruction=instruction, user=leader)
    with pytest.raises(ValidationError, match="closed"):
        instruction_answer(instruction=instruction, user=task.owner, text="Late answer")


def test_dashboards_show_open_instructions_on_each_ones_work(leader, supervisor, task):
    on_task = instruction_write(author=leader, task=task, text="Task")
    on_area = instruction_write(author=leader, area=task.area, text="Area")
    elsewhere = instruction_write(
        author=leader, task=TaskFactory(area=AreaFactory()), text="Elsewhere"
    )
    assert {i.pk for i in dashboard_instructions_for(task.owner)} == {on_task.pk, on_area.pk}
    assert {i.pk for i in dashboard_instructions_for(supervisor)} == {on_task.pk, on_area.pk}
    assert {i.pk for i in dashboard_instructions_for(leader)} == {
        on_task.pk,
        on_area.pk,
        elsewhere.pk,
    }
    other_leader = UserFactory(role=Role.LEADER, department=None)
    assert dashboard_instructions_for(other_leader) == []
    instruction_close(instruction=on_task, user=leader)
    assert {i.pk for i in dashboard_instructions_for(task.owner)} == {on_area.pk}


def test_a_leaders_list_holds_their_own_and_closed_ones_on_request(leader, task):
    mine = instruction_write(author=leader, task=task, text="Mine")
    other_leader = UserFactory(role=Role.LEADER, department=None)
    instruction_write(author=other_leader, task=task, text="Theirs")
    assert list(instruction_list_for(leader)) == [mine]
    instruction_close(instruction=mine, user=leader)
    assert list(instruction_list_for(leader)) == []
    assert list(instruction_list_for(leader, show_closed=True)) == [mine]


def test_the_owners_are_notified_of_an_instruction_and_the_leader_of_each_answer(
    leader, task, other_task
):
    from notifications.models import Notification, NotificationKind

    TaskFactory(area=task.area, owner=task.owner)  # a second task of the same owner: one notice
    instruction = instruction_write(author=leader, area=task.area, text="All hands")
    received = Notification.objects.filter(kind=NotificationKind.INSTRUCTION_RECEIVED)
    assert sorted(n.recipient_id for n in received) == sorted([task.owner_id, other_task.owner_id])
    instruction_answer(instruction=instruction, user=task.owner, text="Done")
    (answered,) = Notification.objects.filter(kind=NotificationKind.INSTRUCTION_ANSWERED)
    assert (answered.recipient, answered.params["comment"]) == (leader, "Done")
