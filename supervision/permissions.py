"""Who may do what in the supervision workflows: predicates over user and task.

Built on the task predicates of `workplan/permissions.py` (who sees, reports on and changes a
task); one section per workflow.
"""

from workplan.models import TaskStatus
from workplan.permissions import can_change_task, can_report_on_task

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
