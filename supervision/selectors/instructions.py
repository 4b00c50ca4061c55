"""Reads of instructions: those standing on a task, on someone's dashboard, in a leader's list."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from accounts.permissions import is_active_user, is_admin, is_leader, is_supervisor
from supervision.models import Instruction, InstructionAnswer, InstructionState
from workplan.models import Area, Task
from workplan.permissions import my_work, visible_areas, visible_tasks


def _with_answers(queryset: QuerySet) -> QuerySet:
    answers = InstructionAnswer.objects.select_related("author").order_by("created_at", "pk")
    return queryset.select_related("author", "task", "area", "closed_by").prefetch_related(
        Prefetch("answers", queryset=answers)
    )


def open_instructions() -> QuerySet:
    return Instruction.objects.exclude(state=InstructionState.CLOSED)


def task_instructions_for(task) -> list[Instruction]:
    """Return the open instructions on `task` and on its whole area, oldest first."""
    standing = open_instructions().filter(
        Q(task_id=task.pk) | Q(task__isnull=True, area_id=task.area_id)
    )
    return list(_with_answers(standing).order_by("created_at", "pk"))


def dashboard_instructions_for(user) -> list[Instruction]:
    """Return the open instructions a user's dashboard shows.

    Officials: those on their work (tasks they own or their department leads, or the areas of
    those tasks). Leaders: those they wrote. Supervisors: those in their areas. Admins: none,
    their list is /instructions/.
    """
    standing = open_instructions()
    if is_leader(user):
        standing = standing.filter(author=user)
    elif is_supervisor(user):
        standing = standing.filter(area__in=Area.objects.filter(supervisors=user).values("pk"))
    elif is_admin(user) or not is_active_user(user):
        return []
    else:
        work = Task.objects.filter(my_work(user))
        standing = standing.filter(
            Q(task__in=work.values("pk"))
            | Q(task__isnull=True, area__in=work.order_by().values("area_id"))
        )
    return list(_with_answers(standing).order_by("respond_by", "created_at", "pk")[:50])


def instruction_list_for(user, *, show_closed: bool = False) -> QuerySet:
    """Return the instructions `/instructions/` lists for `user`, newest first.

    Leaders: their own. Supervisors: those in their areas. Admins: all. Officials: those on
    the tasks and areas they see.
    """
    queryset = Instruction.objects.all()
    if is_leader(user):
        queryset = queryset.filter(author=user)
    elif is_admin(user):
        pass
    elif is_supervisor(user):
        queryset = queryset.filter(area__in=Area.objects.filter(supervisors=user).values("pk"))
    elif is_active_user(user):
        queryset = queryset.filter(
            Q(task__in=visible_tasks(user).order_by().values("pk"))
            | Q(task__isnull=True, area__in=visible_areas(user).order_by().values("pk"))
        )
    else:
        queryset = queryset.none()
    if not show_closed:
        queryset = queryset.exclude(state=InstructionState.CLOSED)
    return _with_answers(queryset).order_by("-created_at", "-pk")


def instruction_for(pk: int) -> Instruction:
    return _with_answers(Instruction.objects.all()).get(pk=pk)
