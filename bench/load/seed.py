"""Add the load test's people and tasks to a database that already holds the demo plan.

Run after `manage.py migrate` and `manage.py load_workplan --demo`:
    DJANGO_SETTINGS_MODULE=etown.settings.local DATABASE_URL=... python bench/load/seed.py
Creates officials load01..load50 (password LOAD_PASSWORD below), each in a department of their
own and owning 20 open tasks that department leads, spread over the plan's areas: every user
reports on their own work, as officials do. Running it again adds nothing.
"""

import datetime
import os
import sys

import django

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "etown.settings.local")
django.setup()

from accounts.models import Department, Role, User  # noqa: E402
from workplan.models import Area, Task, TaskStatus, today  # noqa: E402

USERS = 50
TASKS_EACH = 20
LOAD_PASSWORD = "load-test-password-2024"  # noqa: S105 (a bench account on a loopback database)


def main():
    areas = list(Area.objects.order_by("plan__year", "number"))
    on = today()
    created = 0
    for number in range(1, USERS + 1):
        username = f"load{number:02d}"
        department, _ = Department.objects.get_or_create(
            code=f"load-{number:02d}", defaults={"name": f"Load test {number:02d}"}
        )
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username,
                f"{username}@etown.example",
                LOAD_PASSWORD,
                role=Role.OFFICIAL,
                department=department,
            )
        if user.owned_tasks.exists():
            continue
        Task.objects.bulk_create(
            Task(
                area=areas[(number + index) % len(areas)],
                title=f"Load task {index + 1} of {username}",
                owner=user,
                lead_department=department,
                start_date=on - datetime.timedelta(days=60),
                due_date=on + datetime.timedelta(days=(index * 7) % 90 - 10),
                status=TaskStatus.IN_PROGRESS,
                progress=(index * 5) % 100,
            )
            for index in range(TASKS_EACH)
        )
        created += TASKS_EACH
    print(f"{USERS} load users, {created} new tasks, {Task.objects.count()} tasks in all")


if __name__ == "__main__":
    main()
