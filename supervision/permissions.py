"""Who may do what in the supervision workflows: predicates over user, task and record.

Built on the task predicates of `workplan/permissions.py` (who sees, reports on and changes a
task); one section per workflow.

Urge notices: supervisors urge tasks of their areas, leaders and admins any task; the recipient
(the owner when the notice was sent) acknowledges and replies; the sender and admins follow a
notice. Instructions: leaders write them; the owners of the task (or of the area's tasks, or
their lead department) answer; the author, a supervisor of the area or an admin closes them.
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Role
from accounts.permissions import is_active_user, is_admin, is_leader, is_supervisor
from workplan.models import Task, TaskStatus
from workplan.permissions import (
    can_change_task,
    can_report_on_task,
    can_supervise_area,
    can_view_task,
    visible_areas,
)

# Extension requests.


def can_request_extension(user, task) -> bool:
    """Those who report on a task (its owner, its lead department) ask for more time while open."""
    return task.status != TaskStatus.COMPLETED and can_report_on_task(user, task)


def can_decide_extension(user, task) -> bool:
    """Who may extend the task's deadline (its area's supervisors, admins) decides a request."""
    return can_change_task(user, task)


def can_withdraw_extension(user, task) -> bool:
    """Those who may ask on a task may withdraw its open request (a colleague's too)."""
    return can_report_on_task(user, task)


# Urge notices and instructions.


def can_urge_task(user, task) -> bool:
    if is_leader(user) or is_admin(user):
        return True
    return is_supervisor(user) and can_supervise_area(user, task.area)


def can_urge_at_all(user) -> bool:
    return is_leader(user) or is_admin(user) or is_supervisor(user)


def can_follow_notice(user, notice) -> bool:
    return is_active_user(user) and (notice.sender_id == user.pk or is_admin(user))


def can_answer_urge(user, row) -> bool:
    """Only the person the notice went to acknowledges and replies, whoever owns the task now."""
    return is_active_user(user) and row.recipient_id == user.pk


def can_instruct(user) -> bool:
    return is_leader(user)


def instruction_owners_q(instruction) -> Q:
    """Return the tasks whose owners answer `instruction`: its task, or every task of its area."""
    if instruction.task_id is not None:
        return Q(pk=instruction.task_id)
    return Q(area_id=instruction.area_id)


def can_answer_instruction(user, instruction) -> bool:
    """Officials answer for the tasks they report on: they own them or their department leads."""
    if not is_active_user(user) or user.role != Role.OFFICIAL or not instruction.is_open:
        return False
    mine = Q(owner_id=user.pk)
    if user.department_id:
        mine |= Q(lead_department_id=user.department_id)
    return Task.objects.filter(instruction_owners_q(instruction)).filter(mine).exists()


def can_view_instruction(user, instruction) -> bool:
    if not is_active_user(user):
        return False
    if is_admin(user) or is_leader(user):
        return True
    if instruction.task_id is not None:
        return can_view_task(user, instruction.task)
    return visible_areas(user).filter(pk=instruction.area_id).exists()


def can_close_instruction(user, instruction) -> bool:
    if not instruction.is_open or not is_active_user(user):
        return False
    if instruction.author_id == user.pk or is_admin(user):
        return True
    return is_supervisor(user) and can_supervise_area(user, instruction.area)
