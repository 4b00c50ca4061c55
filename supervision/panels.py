"""The supervision panels on the plan's pages (settings WORKPLAN_TASK_PANELS and
WORKPLAN_DASHBOARD_PANELS): a task's instructions and urge notices, and what awaits a user."""

from __future__ import annotations

from supervision.forms.instructions import InstructionAnswerForm, InstructionForm
from supervision.forms.urges import UrgeForm, UrgeReplyForm
from supervision.permissions import can_instruct, can_urge_task
from supervision.selectors.instructions import dashboard_instructions_for, task_instructions_for
from supervision.selectors.urges import task_urges_for, urges_waiting_for
from workplan.panels import Panel
from workplan.permissions import can_report_on_task, can_supervise_area, is_admin

DASHBOARD_URGES = 20


def task_instructions(request, task) -> Panel | None:
    user = request.user
    instructions = task_instructions_for(task)
    may_write = can_instruct(user)
    if not instructions and not may_write:
        return None
    # Who may answer or close is the same for every instruction standing on this page, but the
    # author's own: decided once, so the page costs the same whatever their number.
    may_answer = can_report_on_task(user, task)
    supervises = bool(instructions) and (is_admin(user) or can_supervise_area(user, task.area))
    for instruction in instructions:
        instruction.may_close = supervises or instruction.author_id == user.pk
        instruction.may_answer = may_answer
    return Panel(
        "supervision/includes/task_instructions.html",
        {
            "task": task,
            "instructions": instructions,
            "answer_form": InstructionAnswerForm() if may_answer else None,
            "form": InstructionForm() if may_write else None,
        },
    )


def task_urges(request, task) -> Panel | None:
    user = request.user
    rows = task_urges_for(task)
    may_urge = can_urge_task(user, task) and task.owner_id is not None
    if not rows and not may_urge:
        return None
    for row in rows:
        row.mine = row.recipient_id == user.pk
    return Panel(
        "supervision/includes/task_urges.html",
        {
            "task": task,
            "rows": rows,
            "reply_form": UrgeReplyForm(),
            "form": UrgeForm() if may_urge else None,
        },
    )


def dashboard_instructions(request) -> Panel | None:
    instructions = dashboard_instructions_for(request.user)
    if not instructions:
        return None
    return Panel("supervision/includes/dashboard_instructions.html", {"instructions": instructions})


def dashboard_urges(request) -> Panel | None:
    rows = list(urges_waiting_for(request.user)[: DASHBOARD_URGES + 1])
    if not rows:
        return None
    return Panel(
        "supervision/includes/dashboard_urges.html",
        {"rows": rows[:DASHBOARD_URGES], "more": len(rows) > DASHBOARD_URGES},
    )
