"""Pick the bench's users and, for each, the tasks it may see; print them as JSON.

Run with the bench's settings and database: `python bench/fixtures.py COUNT_PER_ROLE_JSON`.
Officials are picked around the median of owned tasks (a typical workload, not the emptiest or
the busiest), supervisors and admins in id order.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "etown.settings.production")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from workplan.models import ProgressReport, ReviewState, Task, TaskStatus  # noqa: E402
from workplan.permissions import visible_tasks  # noqa: E402

TASKS_PER_USER = 200
REPORTABLE_PER_OFFICIAL = 2000


def reportable(user) -> list[dict]:
    """Return open tasks `user` may report on (owned or led by their department), with versions."""
    from django.db.models import Q

    scope = Q(owner=user)
    if user.department_id:
        scope |= Q(lead_department_id=user.department_id)
    tasks = (
        Task.objects.filter(scope)
        .exclude(status=TaskStatus.COMPLETED)
        .order_by("pk")
        .values("pk", "version", "progress")[:REPORTABLE_PER_OFFICIAL]
    )
    return [
        {"id": t["pk"], "version": t["version"], "next_progress": min(100, t["progress"] + 5)}
        for t in tasks
    ]


def main(per_role: dict) -> dict:
    users = []
    officials = (
        User.objects.filter(role=Role.OFFICIAL, is_active=True, username__startswith="official-")
        .annotate(owned=Count("owned_tasks"))
        .order_by("owned", "pk")
    )
    total = officials.count()
    middle = total // 2
    picked = list(officials[max(0, middle - per_role["official"] // 2) :][: per_role["official"]])
    for user in picked:
        own = Task.objects.filter(owner=user).order_by("pk").values_list("pk", flat=True)
        users.append(
            {
                "username": user.username,
                "role": "official",
                "tasks": list(own[:TASKS_PER_USER]),
                "reportable": reportable(user),
                "owned": user.owned,
                "visible": visible_tasks(user).count(),
            }
        )
    roles = [("supervisor", "supervisor-"), ("admin", "admin-"), ("leader", "leader-")]
    for role, prefix in [(role, prefix) for role, prefix in roles if per_role.get(role)]:
        for user in User.objects.filter(role=role, username__startswith=prefix).order_by("pk")[
            : per_role[role]
        ]:
            tasks = visible_tasks(user).order_by("pk").values_list("pk", flat=True)
            scope = ProgressReport.objects.filter(review_state=ReviewState.PENDING)
            if role == Role.SUPERVISOR:
                scope = scope.filter(task__area__supervisors=user)
            users.append(
                {
                    "username": user.username,
                    "role": role,
                    "tasks": list(tasks[:TASKS_PER_USER]),
                    "visible": visible_tasks(user).count(),
                    "pending_reports": scope.count(),
                }
            )
    return {
        "users": users,
        "totals": {
            "tasks": Task.objects.count(),
            "officials": total,
            "reports": ProgressReport.objects.count(),
            "pending reports": ProgressReport.objects.filter(
                review_state=ReviewState.PENDING
            ).count(),
        },
    }


if __name__ == "__main__":
    json.dump(main(json.loads(sys.argv[1])), sys.stdout)
