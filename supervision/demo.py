"""Supervision in the demo (`make run`): what leader1 and the officials find on a first visit.

Loaded after `load_workplan --demo` by `manage.py load_supervision_demo`, through the same
services as the portal: leader1's instructions (one answered) and urge notices (one replied,
one waiting), an open extension request, and a monthly report cycle whose last deadline passed
without a report. A second run adds nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from accounts.models import Role, User
from supervision.models import Frequency, Instruction, ReportCycle
from supervision.services import (
    instruction_answer,
    instruction_write,
    missed_reports_record,
    report_cycle_save,
    urge_acknowledge,
    urge_reply,
    urge_send,
)
from supervision.services.extensions import extension_request_create
from workplan.models import Task, TaskStatus, today

LEADER = "leader1"
INSTRUCTIONS = [
    "请于月底前报送推进计划，说明用地和资金安排。 Send the plan by the month's end: land, funds.",
    "加快进度，确保年内完工。 Speed up: the work must be finished this year.",
    "会同规划分局研究解决用地问题。 Solve the land question with the planning branch.",
]
ANSWER = "已召开专题会，推进计划本周报送。 A meeting was held; the plan goes out this week."
URGE = "进度滞后，请于周五前反馈。 Behind schedule: reply by Friday."
REPLY = "已增派人手，下周恢复进度。 More staff assigned; back on schedule next week."
REASON = "施工许可延后一个月。 The building permit came a month late."


@dataclass(frozen=True)
class SupervisionDemo:
    instructions: int
    urges: int
    extension_requests: int
    missing_reports: int


def _open_tasks(owner: User | None = None):
    tasks = Task.objects.filter(owner__isnull=False).exclude(status=TaskStatus.COMPLETED)
    if owner is not None:
        tasks = tasks.filter(owner=owner)
    return tasks.select_related("owner", "area").order_by("area__number", "pk")


@transaction.atomic
def supervision_demo_load(*, on: datetime.date | None = None) -> SupervisionDemo | None:
    """Add the supervision demo once; return what was added, or None when it is there."""
    on = on or today()
    leader = User.objects.filter(username=LEADER, role=Role.LEADER).first()
    official = User.objects.filter(username="official1").first()
    if leader is None or official is None or Instruction.objects.filter(author=leader).exists():
        return None
    tasks = list(_open_tasks()[:12])
    own = list(_open_tasks(official))
    if len(tasks) < 6 or len(own) < 2:
        return None

    # Instructions on three tasks of different owners; the first is answered by its owner.
    instructions = [
        instruction_write(
            author=leader,
            task=task,
            text=text,
            respond_by=on + datetime.timedelta(days=7 * (number + 1)),
        )
        for number, (task, text) in enumerate(zip(tasks[0:6:2], INSTRUCTIONS, strict=True))
    ]
    instruction_answer(instruction=instructions[0], user=tasks[0].owner, text=ANSWER)

    # Two urge notices: one on two tasks (one owner replied), one still waiting on official1.
    first = urge_send(sender=leader, tasks=tasks[1:5:2], message=URGE)
    row = first.recipients.order_by("pk")[0]
    urge_acknowledge(row=row, user=row.recipient)
    urge_reply(row=row, user=row.recipient, reply=REPLY)
    urge_send(sender=leader, tasks=[own[0]], message=URGE)

    # official1 asks for a month more on a task with a deadline.
    dated = next((task for task in own if task.due_date is not None), own[0])
    new_due = max(dated.due_date or on, on) + datetime.timedelta(days=30)
    extension_request_create(task=dated, user=official, new_due_date=new_due, reason=REASON)

    # A monthly report cycle, on the 1st, on a task that never reported: its report is missing.
    silent = _open_tasks().filter(reports__isnull=True).first()
    if silent is not None:
        supervisor = silent.area.supervisors.order_by("pk").first() or User.objects.get(
            username="admin"
        )
        start = min(on - datetime.timedelta(days=90), silent.start_date or on)
        report_cycle_save(
            cycle=ReportCycle(
                task=silent, frequency=Frequency.MONTHLY, day_of_month=1, start_date=start
            ),
            user=supervisor,
        )
    missed = missed_reports_record(on=on)
    return SupervisionDemo(
        instructions=len(instructions),
        urges=2,
        extension_requests=1,
        missing_reports=len(missed),
    )
