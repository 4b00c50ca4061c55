"""Demo departments, accounts, owners and deadlines, so a new installation can be tried at once.

Dates are placed around today so that the traffic lights show every state: some tasks overdue,
some due soon, some on track, some done. Running it again changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from accounts.models import Department, Language, Role, User
from accounts.services import user_sync_role
from workplan import caching
from workplan.models import Plan, ProgressReport, Task, TaskStatus, today

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

DEMO_PASSWORD = "etown-demo-2024"  # noqa: S105 (published demo credential, printed on load)

DEPARTMENTS = [
    ("office", "Administrative Office", "管委会办公室"),
    ("econ", "Economic Development Bureau", "经济发展局"),
    ("tech", "Science, Technology and Informatization Bureau", "科技和信息化局"),
    ("commerce", "Commerce and Finance Bureau", "商务金融局"),
    ("business", "Business Environment Bureau", "营商合作局"),
    ("construction", "Development and Construction Bureau", "开发建设局"),
    ("urban", "Urban Operations Bureau", "城市运行局"),
    ("ecology", "Ecology and Environment Bureau", "生态环境建设局"),
    ("social", "Social Affairs Bureau", "社会事业局"),
    ("finance", "Finance and State Assets Bureau", "财政国资局"),
    ("talent", "Talent Work Bureau", "人才工作局"),
    ("planning", "Planning and Natural Resources Branch", "规划和自然资源分局"),
]

# Lead and supporting departments by area number.
AREA_DEPARTMENTS = {
    1: ("tech", "econ"),
    2: ("econ", "tech"),
    3: ("tech", "talent"),
    4: ("business", "finance"),
    5: ("commerce", "business"),
    6: ("construction", "urban"),
    7: ("ecology", "planning"),
    8: ("social", "urban"),
    9: ("office", "finance"),
}

# Supervisor username -> the areas they supervise.
SUPERVISORS = {
    "supervisor1": (1, 2),
    "supervisor2": (3, 4),
    "supervisor3": (5, 6),
    "supervisor4": (7, 8),
    "supervisor5": (9,),
}

# The administration's leaders: they read the whole plan, instruct and urge.
# People's names are written as they are in E-Town, in Chinese characters (family name first),
# whatever the reader's language, as the people of a real deployment would be.
LEADERS = [("leader1", "高", "明"), ("leader2", "马", "琳")]
SUPERVISOR_NAMES = {
    "supervisor1": ("赵", "敏"),
    "supervisor2": ("钱", "磊"),
    "supervisor3": ("孙", "洁"),
    "supervisor4": ("李", "强"),
    "supervisor5": ("周", "静"),
}

OFFICIAL_NAMES = [
    ("王", "芳"), ("李", "娜"), ("张", "伟"), ("刘", "洋"), ("陈", "静"), ("杨", "敏"),
    ("赵", "磊"), ("黄", "丽"), ("周", "军"), ("吴", "涛"), ("徐", "慧"), ("孙", "强"),
]  # fmt: skip

# Demo notes in both languages: officials write in their own, and the demo's readers read either.
NOTE_ON_PLAN = "按计划推进，各项工作正常开展。 Work is under way as planned."
NOTE_BLOCKED = "等待规划分局的用地审批。 Waiting for land-use approval from the planning branch."


@dataclass(frozen=True)
class Pattern:
    status: str
    progress: int
    due_offset: int  # days from today


# Cycled over the tasks so every official sees several traffic lights.
PATTERNS = [
    Pattern(TaskStatus.COMPLETED, 100, -20),
    Pattern(TaskStatus.IN_PROGRESS, 40, -12),
    Pattern(TaskStatus.IN_PROGRESS, 70, 1),
    Pattern(TaskStatus.IN_PROGRESS, 30, 45),
    Pattern(TaskStatus.BLOCKED, 20, -6),
    Pattern(TaskStatus.NOT_STARTED, 0, 75),
]


@dataclass
class DemoResult:
    logins: list[tuple[str, StrPromise, str]]  # username, role (its label), description


def _user(username, *, role, department=None, first="", last="", language="", email=None):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username,
            email or f"{username}@etown.example",
            DEMO_PASSWORD,
            role=role,
            department=department,
            first_name=first,
            last_name=last,
            preferred_language=language,
        )
    else:
        user_sync_role(user=user)
    return user


@transaction.atomic
def demo_load(*, plan: Plan, on: datetime.date | None = None) -> DemoResult:
    """Add demo departments and accounts, and give the plan's tasks owners and deadlines."""
    on = on or today()
    departments = {}
    for code, name, name_zh in DEPARTMENTS:
        department, _ = Department.objects.get_or_create(
            code=code, defaults={"name": name, "name_zh": name_zh}
        )
        departments[code] = department

    logins = []
    admin = _user("admin", role=Role.ADMIN)
    if not admin.is_superuser:
        User.objects.filter(pk=admin.pk).update(is_superuser=True)
    logins.append(("admin", Role.ADMIN.label, "sees and changes everything"))

    areas = {area.number: area for area in plan.areas.all()}
    for username, numbers in SUPERVISORS.items():
        last, first = SUPERVISOR_NAMES[username]
        supervisor = _user(
            username,
            role=Role.SUPERVISOR,
            department=departments["office"],
            first=first,
            last=last,
        )
        for number in numbers:
            if number in areas:
                areas[number].supervisors.add(supervisor)
        logins.append(
            (username, Role.SUPERVISOR.label, "supervises areas " + ", ".join(map(str, numbers)))
        )

    for username, last, first in LEADERS:
        _user(username, role=Role.LEADER, department=departments["office"], first=first, last=last)
        logins.append((username, Role.LEADER.label, "reads the whole plan, instructs and urges"))

    officials = []
    for index, (code, _name, _zh) in enumerate(DEPARTMENTS):
        last, first = OFFICIAL_NAMES[index]
        username = f"official{index + 1}"
        language = Language.CHINESE if index % 3 == 2 else Language.ENGLISH
        officials.append(
            _user(
                username,
                role=Role.OFFICIAL,
                department=departments[code],
                first=first,
                last=last,
                language=language,
            )
        )
        logins.append((username, Role.OFFICIAL.label, f"{departments[code].name}"))

    tasks = (
        Task.objects.filter(area__plan=plan).select_related("area").order_by("area__number", "pk")
    )
    for index, task in enumerate(tasks):
        if task.owner_id is not None:
            continue  # already placed: a second run keeps what is there
        pattern = PATTERNS[(index + index // len(officials)) % len(PATTERNS)]
        owner = officials[index % len(officials)]
        lead, support = AREA_DEPARTMENTS.get(task.area.number, ("office", "finance"))
        task.owner = owner
        task.lead_department = departments[lead]
        task.due_date = on + datetime.timedelta(days=pattern.due_offset)
        task.start_date = task.due_date - datetime.timedelta(days=120)
        task.status = pattern.status
        task.progress = pattern.progress
        task.save()
        task.supporting_departments.add(departments[support])
        if pattern.status != TaskStatus.NOT_STARTED and not task.reports.exists():
            ProgressReport.objects.create(
                task=task,
                author=owner,
                progress=pattern.progress,
                status=pattern.status,
                note=NOTE_BLOCKED if pattern.status == TaskStatus.BLOCKED else NOTE_ON_PLAN,
                task_version=task.version,
                review_state="approved" if pattern.status == TaskStatus.COMPLETED else "pending",
            )
            # As the report service does: a form opened from now on is newer than this report.
            task.version += 1
            task.save(update_fields=["version", "updated_at"])
    caching.tasks_changed()
    caching.supervisors_changed()
    return DemoResult(logins=logins)
