"""Who sees and changes which task: one set of predicates for views, admin, API and templates.

Scope by role:
- official: sees tasks they own or that their department leads or supports; reports on tasks
  they own or that their department leads.
- supervisor: sees and changes what lies in the areas they supervise.
- leader: sees everything (read-only in the portal) and changes nothing here.
- admin: sees and changes everything.
"""

import functools
import operator

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Role
from accounts.permissions import (
    can_use_admin,
    is_active_user,
    is_admin,
    is_leader,
    is_supervisor,
    reads_everything,
)
from workplan.models import Area, Task

__all__ = ["can_use_admin", "is_admin", "is_leader", "is_supervisor", "reads_everything"]


def visible_tasks(user, queryset: QuerySet | None = None) -> QuerySet:
    """Return the tasks `user` may see, one row per task."""
    queryset = Task.objects.all() if queryset is None else queryset
    if reads_everything(user):
        return queryset
    if not is_active_user(user):
        return queryset.none()
    if is_supervisor(user):
        # The supervisor scope, by area: `area_id IN (their areas)` lets PostgreSQL
        # walk an ordered index and stop at a page's last row, where `pk IN (tasks of their
        # areas)` made it hash every task of those areas first (see bench/RESULTS.md).
        return queryset.filter(area__in=Area.objects.filter(supervisors=user).values("pk"))
    # The official scope, as a UNION of three index lookups: the OR over a join with
    # supporting departments made PostgreSQL read every task (200 ms at 100,000 tasks; see
    # bench/RESULTS.md), each branch alone reads only the rows it needs (under 10 ms).
    ids = Task.objects.filter(owner=user).order_by().values("pk")
    if user.department_id:
        supporting = Task.supporting_departments.through.objects.filter(
            department_id=user.department_id
        )
        ids = ids.union(
            Task.objects.filter(lead_department_id=user.department_id).order_by().values("pk"),
            supporting.order_by().values("task_id"),
        )
    return queryset.filter(pk__in=ids)


def visible_task_branches(user, queryset: QuerySet | None = None) -> list[QuerySet] | None:
    """Return an official's scope as separate querysets whose union is `visible_tasks`.

    Each branch is one index lookup (tasks they own, tasks their department leads, tasks it
    supports), so a list can take its sort keys from each branch and merge them, instead of
    building the union of ids and joining every row back to the task table to sort it
    (PostgreSQL hashes all 100,000 tasks for a department leading 5,000). None for admins,
    leaders and supervisors, whose scope is one index range already, and for inactive users.
    """
    if reads_everything(user) or is_supervisor(user) or not is_active_user(user):
        return None
    queryset = Task.objects.all() if queryset is None else queryset
    branches = [queryset.filter(owner=user)]
    if user.department_id:
        supporting = Task.supporting_departments.through.objects.filter(
            department_id=user.department_id
        ).values("task_id")
        branches += [
            queryset.filter(lead_department_id=user.department_id),
            queryset.filter(pk__in=supporting),
        ]
    return branches


def visible_tasks_among_few(user, queryset: QuerySet) -> QuerySet:
    """Return the tasks of `queryset` that `user` may see, testing each row of a short list.

    The same scope as `visible_tasks`, for a queryset already narrowed to a few rows (one task
    by its key, a task's sub-tasks): an official's rows are tested one by one (owner, lead
    department, an EXISTS on supporting departments) instead of building the union of
    everything they may see, which costs the same for one row as for a page of thousands.
    """
    if reads_everything(user) or is_supervisor(user) or not is_active_user(user):
        return visible_tasks(user, queryset)
    scope = Q(owner=user)
    if user.department_id:
        supporting = Task.supporting_departments.through.objects.filter(
            task_id=OuterRef("pk"), department_id=user.department_id
        )
        scope |= Q(lead_department_id=user.department_id) | Q(Exists(supporting))
    return queryset.filter(scope)


def visible_areas(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Area.objects.all() if queryset is None else queryset
    if reads_everything(user):
        return queryset
    if is_supervisor(user):
        return queryset.filter(supervisors=user)
    if not is_active_user(user):
        return queryset.none()
    return queryset.filter(pk__in=visible_tasks(user).values("area_id"))


def can_view_task(user, task) -> bool:
    if reads_everything(user):
        return True
    if is_supervisor(user):
        return can_supervise_area(user, task.area)
    if not is_active_user(user):
        return False
    if task.owner_id == user.pk:
        return True
    return bool(user.department_id) and (
        task.lead_department_id == user.department_id
        or task.supporting_departments.filter(pk=user.department_id).exists()
    )


def can_report_on_task(user, task) -> bool:
    """Officials report on tasks they own or that their department leads."""
    if not is_active_user(user) or user.role != Role.OFFICIAL:
        return False
    return task.owner_id == user.pk or (
        user.department_id is not None and task.lead_department_id == user.department_id
    )


def can_supervise_area(user, area) -> bool:
    if is_admin(user):
        return True
    if not is_supervisor(user):
        return False
    prefetched = getattr(area, "_prefetched_objects_cache", {}).get("supervisors")
    if prefetched is not None:
        return any(s.pk == user.pk for s in prefetched)
    return area.supervisors.filter(pk=user.pk).exists()


def can_change_task(user, task) -> bool:
    """Supervisors of the task's area and admins change tasks (reassign, extend, close)."""
    return can_supervise_area(user, task.area)


def can_review_report(user, report) -> bool:
    return can_supervise_area(user, report.task.area)


# Indicators belong to the whole plan, not to an area: the role's model permissions decide.


def can_view_indicators(user) -> bool:
    return is_active_user(user) and user.has_perm("workplan.view_indicator")


def can_record_reading(user) -> bool:
    """Supervisors and admins record readings (the statistics bureau's feed signs in as one)."""
    return is_active_user(user) and user.has_perm("workplan.add_indicatorreading")


# "My work": what a user reports on (the dashboard, the calendar feed, the filter's "mine").


def my_work_parts(user) -> list[Q] | None:
    """Return the conditions whose union is an official's work, each one index lookup.

    An official's work is what they report on: the tasks they own or their department leads,
    not those it only supports. None for a supervisor, a leader or an admin, whose work is
    everything in their scope.
    """
    if reads_everything(user) or is_supervisor(user):
        return None
    if not is_active_user(user):
        return []
    parts = [Q(owner_id=user.pk)]
    if user.department_id:
        parts.append(Q(lead_department_id=user.department_id))
    return parts


def my_work(user) -> Q:
    """Return what makes a task in `user`'s scope their work ("My work"), as a filter."""
    parts = my_work_parts(user)
    if parts is None:
        return Q()
    if not parts:
        return Q(pk__in=[])
    return functools.reduce(operator.or_, parts)
