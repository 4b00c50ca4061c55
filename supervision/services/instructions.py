"""Leaders' instructions: write one on a task or an area, answer it, close it."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from notifications.models import NotificationKind
from notifications.services import notification_send
from supervision.models import Instruction, InstructionAnswer, InstructionState
from supervision.permissions import can_answer_instruction, can_close_instruction, can_instruct
from supervision.services.urges import checked_text, task_params
from workplan.models import Area, Task, today


@transaction.atomic
def instruction_write(
    *,
    author,
    text: str,
    task: Task | None = None,
    area: Area | None = None,
    respond_by: datetime.date | None = None,
) -> Instruction:
    """Put a leader's instruction on `task`, or on every task of `area` when no task is given."""
    if not can_instruct(author):
        raise PermissionDenied(_("Only leaders write instructions."))
    text = checked_text(text, empty_message=_("Write the instruction."))
    if (task is None) == (area is None):
        raise ValidationError(_("An instruction is on one task or on one area."), code="target")
    if respond_by is not None and respond_by < today():
        raise ValidationError(
            {"respond_by": _("The response date has passed; choose today or a later day.")},
            code="respond_by_past",
        )
    instruction = Instruction(
        author=author,
        task=task,
        area=task.area if task is not None else area,
        text=text,
        respond_by=respond_by,
    )
    instruction._history_user = author
    instruction.save()
    for owner in _owners(instruction):
        notification_send(
            recipient=owner,
            kind=NotificationKind.INSTRUCTION_RECEIVED,
            url=_url(instruction),
            params={**_about(instruction), "comment": text},
            actor=author,
        )
    return instruction


def _owners(instruction: Instruction):
    """Return the owners an instruction addresses: its task's, or those of its area's open tasks."""
    if instruction.task_id is not None:
        tasks = Task.objects.filter(pk=instruction.task_id)
    else:
        tasks = Task.objects.open().filter(area_id=instruction.area_id)
    return User.objects.filter(pk__in=tasks.exclude(owner=None).values("owner_id")).order_by("pk")


def _url(instruction: Instruction) -> str:
    if instruction.task_id is not None:
        return reverse("workplan:task_detail", args=[instruction.task_id]) + "#instructions"
    return reverse("supervision:instruction_list")


def _about(instruction: Instruction) -> dict:
    if instruction.task is not None:
        return task_params(instruction.task)
    return task_params(instruction.area)


def _lock(instruction: Instruction) -> Instruction:
    return (
        Instruction.objects.select_for_update(of=("self",))
        .select_related("area", "task", "author")
        .get(pk=instruction.pk)
    )


@transaction.atomic
def instruction_answer(*, instruction: Instruction, user, text: str) -> InstructionAnswer:
    """Record what was done about the instruction (落实情况); the instruction becomes answered."""
    text = checked_text(text, empty_message=_("Write what has been done."))
    locked = _lock(instruction)
    if not locked.is_open:
        raise ValidationError(
            _("This instruction was closed; it takes no more answers."), code="closed"
        )
    if not can_answer_instruction(user, locked):
        raise PermissionDenied(_("Only the owners of its tasks answer this instruction."))
    answer = InstructionAnswer(instruction=locked, author=user, text=text)
    answer._history_user = user
    answer.save()
    if locked.state == InstructionState.OPEN:
        locked.state = InstructionState.ANSWERED
        locked._history_user = user
        locked.save(update_fields=["state"])
    notification_send(
        recipient=locked.author,
        kind=NotificationKind.INSTRUCTION_ANSWERED,
        url=reverse("supervision:instruction_list"),
        params={**_about(locked), "comment": text},
        actor=user,
    )
    return answer


@transaction.atomic
def instruction_close(*, instruction: Instruction, user) -> Instruction:
    """Close the instruction: it leaves the task page and dashboards. Closing twice is a no-op."""
    locked = _lock(instruction)
    if not locked.is_open:
        return locked
    if not can_close_instruction(user, locked):
        raise PermissionDenied(
            _("Only its leader, a supervisor of its area or an admin closes an instruction.")
        )
    locked.state = InstructionState.CLOSED
    locked.closed_by = user
    locked.closed_at = timezone.now()
    locked._history_user = user
    locked.save(update_fields=["state", "closed_by", "closed_at"])
    return locked
