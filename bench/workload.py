"""A synthetic workload at government scale, for benchmarks: departments, officials, supervisors,
tasks with sub-tasks, progress reports in every review state, and their history.

Rows get explicit primary keys (one above the current maximum) so that foreign keys can be
wired in Python and the rows written in bulk: PostgreSQL COPY when available, `bulk_create`
elsewhere. Sequences are reset at the end. `bulk_create` and COPY skip django-simple-history,
so the history rows a real installation would have are written here too: a creation row for
every user, task and report, and a change row for every task that has moved and every report
that has been reviewed.
"""

from __future__ import annotations

import datetime
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from accounts.models import Department, Role, User
from accounts.roles import GROUP_NAMES
from workplan.caching import tasks_changed
from workplan.models import Area, Plan, ProgressReport, ReviewState, Task, TaskStatus, today

DEFAULT_PASSWORD = "etown-bench-2024"  # noqa: S105 (bench-only credential, printed on load)
DEFAULT_AREA_COUNT = 9
CHUNK = 5000  # tasks generated and written per step; bounds memory at any scale

VERBS = [
    "Promote", "Complete", "Build", "Upgrade", "Launch", "Expand", "Improve", "Set up",
    "Attract", "Optimise", "Accelerate", "Deliver", "Renovate", "Strengthen", "Pilot",
]  # fmt: skip
OBJECTS = [
    "the integrated-circuit industrial park", "the new-energy vehicle supply chain",
    "the biomedicine innovation centre", "the robotics demonstration zone",
    "the one-stop government service hall", "the talent apartment project",
    "the rail transit extension", "the sewage treatment plant", "the green-belt corridor",
    "the venture capital fund", "the 5G base station network", "the smart-city data platform",
    "the school expansion programme", "the community health centres", "the export service hub",
    "the enterprise tax relief scheme", "the flood-control works", "the hydrogen energy pilot",
]  # fmt: skip
VERBS_ZH = ["推进", "完成", "建设", "升级", "启动", "扩大", "提升", "设立", "引进", "优化"]
OBJECTS_ZH = [
    "集成电路产业园", "新能源汽车供应链", "生物医药创新中心", "机器人示范区", "一站式政务服务大厅",
    "人才公寓项目", "轨道交通延伸线", "污水处理厂", "绿化带", "创业投资基金", "5G基站网络",
]  # fmt: skip
# Supervision's words, as officials, supervisors and leaders write them.
REASONS = [
    "The building permit came a month late.",
    "The contractor changed; the new one starts next month.",
    "Land-use approval is still with the planning branch.",
    "Equipment delivery slipped by six weeks.",
]
URGES = [
    "Behind schedule: reply by Friday.",
    "No report this month: send one this week.",
    "The district meeting reviews this task on Monday: report before.",
]
INSTRUCTIONS = [
    "Speed up: the work must be finished this year.",
    "Solve the land question with the planning branch.",
    "Send the plan by the month's end: land and funds.",
    "Report the risks and what is done about them.",
]

DEPARTMENT_KINDS = [
    "Economic Development", "Science and Technology", "Commerce", "Business Environment",
    "Construction", "Urban Operations", "Ecology", "Social Affairs", "Finance", "Talent",
    "Planning", "Transport", "Health", "Education", "Market Supervision", "Emergency Management",
]  # fmt: skip
AREA_TITLES = [
    "Industrial upgrading", "Innovation", "Talent", "Business environment", "Opening up",
    "Urban construction", "Ecology", "Livelihoods", "Government self-improvement",
]  # fmt: skip
SURNAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu"]
GIVEN_NAMES = ["Fang", "Na", "Wei", "Yang", "Jing", "Min", "Lei", "Li", "Jun", "Tao", "Hui"]
NOTES = [
    "Site work on schedule; inspection booked.",
    "Waiting for the land-use approval from the planning branch.",
    "Contract signed; funds released for the first phase.",
    "Two enterprises moved in this month.",
    "Design revised after the expert review.",
    "Delayed by the supplier; new delivery date agreed.",
]


class WorkloadError(Exception):
    """The workload cannot be generated with these arguments or on this database."""


@dataclass(frozen=True)
class WorkloadSpec:
    tasks: int
    officials: int
    departments: int
    supervisors: int | None = None  # default: two per area
    leaders: int = 10
    reports_per_task: float = 2.0
    subtask_share: float = 0.3
    areas: int = DEFAULT_AREA_COUNT  # only used when no plan with areas exists
    seed: int = 2024
    password: str = DEFAULT_PASSWORD
    append: bool = False

    def validate(self) -> None:
        problems = []
        if self.tasks < 1:
            problems.append("--tasks must be at least 1")
        if self.officials < 1:
            problems.append("--officials must be at least 1")
        if self.departments < 1:
            problems.append("--departments must be at least 1")
        if self.supervisors is not None and self.supervisors < 1:
            problems.append("--supervisors must be at least 1")
        if self.leaders < 0:
            problems.append("--leaders must be at least 0")
        if not 0 <= self.reports_per_task <= 20:
            problems.append("--reports-per-task must be between 0 and 20")
        if not 0 <= self.subtask_share < 1:
            problems.append("--subtask-share must be at least 0 and below 1")
        if not 1 <= self.areas <= 500:
            problems.append("--areas must be between 1 and 500")
        if problems:
            raise WorkloadError("; ".join(problems) + ".")


@dataclass
class WorkloadResult:
    counts: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    plan: Plan | None = None
    sample_logins: list[tuple[str, str]] = field(default_factory=list)  # (username, role)


def existing_data() -> dict[str, int]:
    """Return what would make the database count as in use: people, departments, reports.

    A plan loaded with `load_workplan` (areas, its own tasks, indicators) does not count: the
    workload is built on it.
    """
    counts = {
        "users": User.objects.count(),
        "departments": Department.objects.count(),
        "progress reports": ProgressReport.objects.count(),
    }
    return {name: n for name, n in counts.items() if n}


class Progress:
    """A plain progress bar on stderr: redrawn in place on a terminal, a line per 10 % otherwise."""

    def __init__(self, total: int, stream=None, width: int = 30):
        self.total = max(total, 1)
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.done = 0
        self.started = time.monotonic()
        self._last_tenth = -1
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def advance(self, n: int, label: str) -> None:
        self.done = min(self.total, self.done + n)
        share = self.done / self.total
        filled = int(share * self.width)
        elapsed = time.monotonic() - self.started
        line = (
            f"[{'#' * filled}{'.' * (self.width - filled)}] {share:4.0%} "
            f"{self.done:,}/{self.total:,} tasks  {elapsed:5.1f}s  {label}"
        )
        if self._tty:
            self.stream.write("\r" + line.ljust(100))
            if self.done >= self.total:
                self.stream.write("\n")
        elif int(share * 10) != self._last_tenth:
            self._last_tenth = int(share * 10)
            self.stream.write(line + "\n")
        self.stream.flush()


def _copyable(value):
    return Jsonb(value) if isinstance(value, dict) else value


class _Writer:
    """Write rows given as {attname: value} dicts with explicit keys, as fast as the backend can."""

    def __init__(self, counts: Counter):
        self.counts = counts
        self.copy = connection.vendor == "postgresql"
        self.touched: list[type[models.Model]] = []

    @staticmethod
    def next_id(model: type[models.Model]) -> int:
        return (model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1

    def write(self, model: type[models.Model], rows: list[dict]) -> None:
        if not rows:
            return
        if model not in self.touched:
            self.touched.append(model)
        self.counts[model._meta.label] += len(rows)
        names = list(rows[0])
        if self.copy:
            quote = connection.ops.quote_name
            columns = ", ".join(quote(model._meta.get_field(n).column) for n in names)
            sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"  # noqa: S608
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row([_copyable(row[n]) for n in names])
        else:
            model._default_manager.bulk_create([model(**row) for row in rows], batch_size=1000)

    def reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), self.touched)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _history(row: dict, *, history_id: int, kind: str, when, user_id, **changes) -> dict:
    """Return the historical row of `row` (a model row dict) as django-simple-history stores it."""
    return {
        **row,
        **changes,
        "history_id": history_id,
        "history_date": when,
        "history_change_reason": None,
        "history_type": kind,
        "history_user_id": user_id,
    }


def _ensure_plan(spec: WorkloadSpec) -> tuple[Plan, list[Area]]:
    plan = Plan.objects.filter(areas__isnull=False).distinct().order_by("-year").first()
    if plan is not None:
        return plan, list(plan.areas.order_by("number"))
    year = today().year
    plan, _ = Plan.objects.get_or_create(
        year=year, defaults={"title": f"Bench work plan {year} (generated)"}
    )
    areas = []
    for number in range(1, spec.areas + 1):
        title = AREA_TITLES[(number - 1) % len(AREA_TITLES)]
        # save() rather than bulk_create: a handful of rows, and their history is recorded.
        area = Area(plan=plan, number=number, title=f"{title} ({number})")
        area.save()
        areas.append(area)
    return plan, areas


def generate_workload(
    *, spec: WorkloadSpec, progress: Callable[[int, str], None] | None = None
) -> WorkloadResult:
    """Generate the workload described by `spec`; all or nothing.

    Raise WorkloadError when the arguments make no sense or when the database already holds
    people or reports and `spec.append` is not set.
    """
    spec.validate()
    if not spec.append:
        found = existing_data()
        if found:
            held = ", ".join(f"{n:,} {name}" for name, n in found.items())
            raise WorkloadError(
                f"The database is not empty ({held}); pass --append to add to it, "
                "or use a fresh database."
            )
    started = time.monotonic()
    progress = progress or (lambda n, label: None)
    result = WorkloadResult()
    with transaction.atomic():
        _Generator(spec=spec, result=result, progress=progress).run()
    if connection.vendor == "postgresql":
        # Fresh statistics, so the planner sees 100,000 tasks and not an empty table.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    result.seconds = time.monotonic() - started
    return result


class _Generator:
    def __init__(self, *, spec: WorkloadSpec, result: WorkloadResult, progress):
        self.spec = spec
        self.result = result
        self.progress = progress
        self.rng = random.Random(spec.seed)  # noqa: S311 (reproducible bench data, no secrets)
        self.writer = _Writer(result.counts)
        self.now = timezone.now()
        self.today = today()

    # -- people ------------------------------------------------------------------------------

    def run(self) -> None:
        plan, areas = _ensure_plan(self.spec)
        self.result.plan = plan
        self.areas = areas
        self._departments()
        self._users()
        self._supervision()
        self._tasks()
        self._report_cycles()
        self._workflows()
        self.writer.reset_sequences()
        # COPY and bulk_create send no signals: cached figures must be read afresh.
        tasks_changed()

    def _departments(self) -> None:
        rng, first = self.rng, _Writer.next_id(Department)
        top_count = max(1, self.spec.departments // 10)
        rows = []
        for i in range(self.spec.departments):
            pk = first + i
            kind = DEPARTMENT_KINDS[i % len(DEPARTMENT_KINDS)]
            is_top = i < top_count
            rows.append(
                {
                    "id": pk,
                    "name": f"{kind} Bureau" if is_top else f"{kind} Office No. {pk}",
                    "name_zh": "",
                    "code": f"bench-{pk}",
                    "parent_id": None if is_top else first + rng.randrange(top_count),
                }
            )
        self.writer.write(Department, rows)
        self.department_ids = [row["id"] for row in rows]

    def _users(self) -> None:
        rng, spec = self.rng, self.spec
        password = make_password(spec.password)  # hashed once: 5,000 hashes would take minutes
        groups = {
            role: Group.objects.get_or_create(name=name)[0].pk for role, name in GROUP_NAMES.items()
        }
        supervisors = spec.supervisors or 2 * len(self.areas)
        plan = [
            (Role.OFFICIAL, spec.officials),
            (Role.SUPERVISOR, supervisors),
            (Role.LEADER, spec.leaders),
            (Role.ADMIN, 1),
        ]
        next_user, next_history = _Writer.next_id(User), _Writer.next_id(User.history.model)
        next_membership = _Writer.next_id(User.groups.through)
        users, history, memberships = [], [], []
        self.officials: list[tuple[int, int]] = []  # (user id, department id)
        self.supervisor_ids: list[int] = []
        self.leader_ids: list[int] = []
        # Officials cluster in departments: a few large departments, many small ones.
        weights = [1 / (rank + 1) ** 0.6 for rank in range(len(self.department_ids))]
        for role, count in plan:
            for _ in range(count):
                pk = next_user
                next_user += 1
                department = rng.choices(self.department_ids, weights)[0]
                username = f"{'admin' if role == Role.ADMIN else role}-{pk}"
                joined = self.now - datetime.timedelta(days=rng.randrange(30, 2000))
                row = {
                    "id": pk,
                    "password": password,
                    "last_login": None,
                    "is_superuser": False,
                    "username": username,
                    "first_name": rng.choice(GIVEN_NAMES),
                    "last_name": rng.choice(SURNAMES),
                    "email": f"{username}@bench.etown.example",
                    "is_staff": role != Role.OFFICIAL,
                    "is_active": True,
                    "date_joined": joined,
                    "role": role,
                    "department_id": department,
                    "preferred_language": rng.choice(["", "", "en", "zh-hans"]),
                    "calendar_token": f"bench{pk}-{rng.getrandbits(96):024x}",
                }
                users.append(row)
                del_fields = {"password", "last_login", "calendar_token"}
                history.append(
                    _history(
                        {k: v for k, v in row.items() if k not in del_fields},
                        history_id=next_history,
                        kind="+",
                        when=joined,
                        user_id=None,
                    )
                )
                next_history += 1
                memberships.append({"id": next_membership, "user_id": pk, "group_id": groups[role]})
                next_membership += 1
                if role == Role.OFFICIAL:
                    self.officials.append((pk, department))
                elif role == Role.SUPERVISOR:
                    self.supervisor_ids.append(pk)
                elif role == Role.LEADER:
                    self.leader_ids.append(pk)
        self.writer.write(User, users)
        self.writer.write(User.history.model, history)
        self.writer.write(User.groups.through, memberships)
        self.officials_by_department: dict[int, list[int]] = {}
        for pk, department in self.officials:
            self.officials_by_department.setdefault(department, []).append(pk)
        # Some officials carry far more tasks than others.
        self.official_weights = [1 / (rank + 1) ** 0.3 for rank in range(len(self.officials))]
        self.rng.shuffle(self.official_weights)
        for role, username in ((Role.OFFICIAL, users[0]), (Role.SUPERVISOR, users[spec.officials])):
            self.result.sample_logins.append((username["username"], role))
        self.result.sample_logins.append((users[-1]["username"], Role.ADMIN))

    def _supervision(self) -> None:
        """Give every area at least one supervisor; some supervisors watch a second area."""
        through = Area.supervisors.through
        next_id = _Writer.next_id(through)
        pairs = set()
        for index, supervisor in enumerate(self.supervisor_ids):
            pairs.add((self.areas[index % len(self.areas)].pk, supervisor))
            if len(self.areas) > 1 and self.rng.random() < 0.3:
                pairs.add((self.rng.choice(self.areas).pk, supervisor))
        rows = []
        for area_id, supervisor in sorted(pairs):
            rows.append({"id": next_id, "area_id": area_id, "user_id": supervisor})
            next_id += 1
        self.writer.write(through, rows)
        self.area_supervisors: dict[int, list[int]] = {}
        for area_id, supervisor in pairs:
            self.area_supervisors.setdefault(area_id, []).append(supervisor)

    # -- tasks and reports -------------------------------------------------------------------

    def _tasks(self) -> None:
        self.next_task = _Writer.next_id(Task)
        self.next_task_history = _Writer.next_id(Task.history.model)
        self.next_support = _Writer.next_id(Task.supporting_departments.through)
        self.next_report = _Writer.next_id(ProgressReport)
        self.next_report_history = _Writer.next_id(ProgressReport.history.model)
        self.parents: dict[int, list[tuple[int, datetime.date, datetime.date]]] = {}
        remaining = self.spec.tasks
        while remaining:
            n = min(CHUNK, remaining)
            self._task_chunk(n)
            remaining -= n
            self.progress(n, "tasks, reports and history")

    def _report_cycles(self) -> None:
        """Monthly report cycles on most areas, weekly ones on a few key tasks (about 2 %), and
        some tasks exempted by an inactive cycle of their own: a district's 定期报送.

        The model is looked up by name: the command that runs this lives in workplan, which
        must not import supervision (pyproject.toml's layers), even through bench.
        """
        report_cycle = apps.get_model("supervision", "ReportCycle")
        rng = self.rng
        next_id = _Writer.next_id(report_cycle)
        next_history = _Writer.next_id(report_cycle.history.model)
        start = self.today - datetime.timedelta(days=365)
        rows = []
        taken = {cycle.area_id for cycle in report_cycle.objects.filter(area__isnull=False)}
        for area in self.areas:
            if area.pk not in taken and rng.random() < 0.7:
                rows.append({"area_id": area.pk, "task_id": None, "frequency": "monthly",
                             "weekday": None, "day_of_month": rng.choice([5, 10, 25, 31]),
                             "active": True})  # fmt: skip
        first_task = self.next_task - self.spec.tasks
        count = min(self.spec.tasks, max(1, self.spec.tasks // 50))
        for index, task_id in enumerate(
            sorted(rng.sample(range(first_task, self.next_task), count))
        ):
            rows.append({"area_id": None, "task_id": task_id, "frequency": "weekly",
                         "weekday": rng.choice([0, 4, 4, 4]), "day_of_month": None,
                         "active": index % 10 != 0})  # fmt: skip
        history = []
        for row in rows:
            row.update(id=next_id, start_date=start, created_at=self.now, updated_at=self.now)
            next_id += 1
            history.append(
                _history(row, history_id=next_history, kind="+", when=self.now, user_id=None)
            )
            next_history += 1
        self.writer.write(report_cycle, rows)
        self.writer.write(report_cycle.history.model, history)

    def _workflows(self) -> None:
        """Extension requests (3 % of tasks), urge notices (one per 50 tasks, one to five tasks
        each), leaders' instructions (one per 100 tasks, two per area) with their answers, and
        the notifications each of these sent: a district's year of 督查督办.

        Models by name, as for the report cycles (workplan must not import supervision).
        """
        rng = self.rng
        first_task = self.next_task - self.spec.tasks
        tasks = list(
            Task.objects.filter(pk__gte=first_task, owner__isnull=False)
            .order_by("pk")
            .values_list("pk", "owner_id", "area_id", "due_date", "status", "title")
        )
        if not tasks:
            return
        by_area: dict[int, list[tuple]] = {}
        for task in tasks:
            by_area.setdefault(task[2], []).append(task)
        self.notifications: list[dict] = []
        self._extension_requests(rng.sample(tasks, max(1, len(tasks) * 3 // 100)))
        self._urges(tasks, by_area)
        self._instructions(tasks, by_area)
        notification = apps.get_model("notifications", "Notification")
        next_id = _Writer.next_id(notification)
        for offset, row in enumerate(self.notifications):
            row["id"] = next_id + offset
        self.writer.write(notification, self.notifications)

    def _past(self, most_days: int) -> datetime.datetime:
        return self.now - datetime.timedelta(
            days=self.rng.randint(0, most_days), minutes=self.rng.randint(0, 600)
        )

    def _notify(self, *, recipient, kind, actor, when, url, params, read: bool) -> None:
        self.notifications.append(
            {
                "recipient_id": recipient, "kind": kind, "actor_id": actor, "url": url,
                "params": params, "created_at": when,
                "read_at": when + datetime.timedelta(hours=self.rng.randint(1, 72)) if read
                else None,
                "mail_status": "sent", "mail_claimed_at": None, "mail_attempts": 1,
                "mailed_at": when, "mail_error": "",
            }
        )  # fmt: skip

    def _write_with_history(self, model, rows: list[dict], *, when_field: str, user_field: str):
        next_id = _Writer.next_id(model)
        next_history = _Writer.next_id(model.history.model)
        history = []
        for offset, row in enumerate(rows):
            row["id"] = next_id + offset
            history.append(
                _history(
                    dict(row),
                    history_id=next_history + offset,
                    kind="+",
                    when=row[when_field],
                    user_id=row[user_field],
                )
            )
        self.writer.write(model, rows)
        self.writer.write(model.history.model, history)

    def _extension_requests(self, sample: list[tuple]) -> None:
        model = apps.get_model("supervision", "ExtensionRequest")
        rng, rows = self.rng, []
        for pk, owner, area, due, status, title in sorted(sample):
            if due is None or status == TaskStatus.COMPLETED and rng.random() < 0.8:
                continue
            when = self._past(200)
            state = rng.choices(["open", "approved", "denied", "withdrawn"], [15, 55, 22, 8])[0]
            if state == "open" and status == TaskStatus.COMPLETED:
                state = "approved"  # asked for before the task was completed
            decided = state in ("approved", "denied")
            supervisors = self.area_supervisors.get(area) or self.supervisor_ids
            decider = rng.choice(supervisors) if decided else None
            new_due = due + datetime.timedelta(days=rng.randint(14, 90))
            rows.append(
                {
                    "task_id": pk, "requested_by_id": owner, "current_due_date": due,
                    "new_due_date": new_due, "reason": rng.choice(REASONS), "state": state,
                    "decided_by_id": decider,
                    "decided_at": when + datetime.timedelta(days=rng.randint(1, 5))
                    if decided else None,
                    "decision_comment": "Agreed once." if state == "approved" else "",
                    "extension_id": None, "created_at": when,
                }
            )  # fmt: skip
            if decided:
                self._notify(
                    recipient=owner, kind="extension_decided", actor=decider,
                    when=rows[-1]["decided_at"], url=f"/tasks/{pk}/",
                    params={"task": title, "decision": state, "date": new_due.isoformat()},
                    read=rng.random() < 0.8,
                )  # fmt: skip
        self._write_with_history(model, rows, when_field="created_at", user_field="requested_by_id")

    def _urges(self, tasks: list[tuple], by_area: dict[int, list[tuple]]) -> None:
        notice_model = apps.get_model("supervision", "UrgeNotice")
        row_model = apps.get_model("supervision", "UrgeRecipient")
        rng, notices, rows = self.rng, [], []
        next_notice = _Writer.next_id(notice_model)
        for number in range(max(1, len(tasks) // 50)):
            if self.leader_ids and rng.random() < 0.25:
                sender, pool = rng.choice(self.leader_ids), tasks
            else:
                area = rng.choice(list(by_area))
                sender = rng.choice(self.area_supervisors.get(area) or self.supervisor_ids)
                pool = by_area[area]
            when = self._past(180)
            notice_id = next_notice + number
            notices.append(
                {"id": notice_id, "sender_id": sender, "message": rng.choice(URGES),
                 "created_at": when}
            )  # fmt: skip
            for pk, owner, _area, _due, _status, title in rng.sample(
                pool, min(len(pool), rng.choice([1, 1, 1, 2, 2, 3, 5]))
            ):
                old = (self.now - when).days > 7
                state = rng.choices(
                    ["replied", "acknowledged", "sent"], [70, 20, 10] if old else [30, 30, 40]
                )[0]
                acknowledged = when + datetime.timedelta(hours=rng.randint(1, 30))
                rows.append(
                    {
                        "notice_id": notice_id, "task_id": pk, "recipient_id": owner,
                        "state": state,
                        "acknowledged_at": None if state == "sent" else acknowledged,
                        "replied_at": acknowledged + datetime.timedelta(hours=rng.randint(1, 48))
                        if state == "replied" else None,
                        "reply": "Staff added; back on schedule." if state == "replied" else "",
                        "overdue_reported_at": None,
                    }
                )  # fmt: skip
                self._notify(
                    recipient=owner, kind="urge_received", actor=sender, when=when,
                    url=f"/tasks/{pk}/#urges", params={"task": title}, read=state != "sent",
                )  # fmt: skip
        notice_history = _Writer.next_id(notice_model.history.model)
        self.writer.write(notice_model, notices)
        self.writer.write(
            notice_model.history.model,
            [
                _history(dict(row), history_id=notice_history + offset, kind="+",
                         when=row["created_at"], user_id=row["sender_id"])
                for offset, row in enumerate(notices)
            ],
        )  # fmt: skip
        for row in rows:
            row["_when"] = row["acknowledged_at"] or self.now
            row["_who"] = row["recipient_id"]
        self._write_plain_history(row_model, rows)

    def _write_plain_history(self, model, rows: list[dict]) -> None:
        """Write `rows` (each with `_when`, `_who` for its history row) and their history."""
        next_id = _Writer.next_id(model)
        next_history = _Writer.next_id(model.history.model)
        history = []
        for offset, row in enumerate(rows):
            when, who = row.pop("_when"), row.pop("_who")
            row["id"] = next_id + offset
            history.append(
                _history(dict(row), history_id=next_history + offset, kind="+", when=when,
                         user_id=who)
            )  # fmt: skip
        self.writer.write(model, rows)
        self.writer.write(model.history.model, history)

    def _instructions(self, tasks: list[tuple], by_area: dict[int, list[tuple]]) -> None:
        if not self.leader_ids:
            return
        model = apps.get_model("supervision", "Instruction")
        answer_model = apps.get_model("supervision", "InstructionAnswer")
        rng, rows, answers = self.rng, [], []
        targets = [(task, None) for task in rng.sample(tasks, max(1, len(tasks) // 100))]
        targets += [(None, area) for area in by_area for _ in range(2)]
        next_id = _Writer.next_id(model)
        for offset, (task, area) in enumerate(targets):
            author, when = rng.choice(self.leader_ids), self._past(240)
            state = rng.choices(["open", "answered", "closed"], [35, 30, 35])[0]
            pk = next_id + offset
            rows.append(
                {
                    "id": pk, "author_id": author, "task_id": task[0] if task else None,
                    "area_id": task[2] if task else area, "text": rng.choice(INSTRUCTIONS),
                    "respond_by": (when + datetime.timedelta(days=rng.choice([7, 14, 30]))).date()
                    if rng.random() < 0.6 else None,
                    "state": state, "created_at": when,
                    "closed_by_id": author if state == "closed" else None,
                    "closed_at": when + datetime.timedelta(days=rng.randint(5, 40))
                    if state == "closed" else None,
                    "_when": when, "_who": author,
                }
            )  # fmt: skip
            owners = [task] if task else rng.sample(by_area[area], min(3, len(by_area[area])))
            for owned in owners:
                self._notify(
                    recipient=owned[1], kind="instruction_received", actor=author, when=when,
                    url=f"/tasks/{owned[0]}/#instructions", params={"task": owned[5]},
                    read=state != "open" or rng.random() < 0.5,
                )  # fmt: skip
                if state != "open":
                    answered = when + datetime.timedelta(days=rng.randint(1, 5))
                    answers.append(
                        {"instruction_id": pk, "author_id": owned[1],
                         "text": "Done as instructed; details in the latest report.",
                         "created_at": answered, "_when": answered, "_who": owned[1]}
                    )  # fmt: skip
        for row in rows:
            row.pop("id")
        self._write_plain_history(model, rows)
        self._write_plain_history(answer_model, answers)

    def _dates(self, area_id: int) -> tuple[int | None, datetime.date, datetime.date]:
        rng = self.rng
        parents = self.parents.get(area_id)
        if parents and rng.random() < self.spec.subtask_share:
            parent_id, parent_start, parent_due = rng.choice(parents)
            span = (parent_due - parent_start).days
            start = parent_start + datetime.timedelta(days=rng.randint(0, span // 2))
            due = start + datetime.timedelta(days=rng.randint(0, (parent_due - start).days))
            return parent_id, start, due
        start = self.today - datetime.timedelta(days=rng.randint(0, 330))
        due = start + datetime.timedelta(days=rng.randint(14, 365))
        return None, start, due

    def _status(self, start: datetime.date, due: datetime.date) -> tuple[str, int]:
        rng = self.rng
        if start > self.today:
            return TaskStatus.NOT_STARTED, 0
        elapsed = (self.today - start).days / max((due - start).days, 1)
        roll = rng.random()
        if roll < min(0.85, 0.1 + elapsed * 0.5):
            return TaskStatus.COMPLETED, 100
        if roll < 0.9:
            progress = max(5, min(95, int(elapsed * 100 * rng.uniform(0.5, 1.1)) // 5 * 5))
            return TaskStatus.IN_PROGRESS, progress
        if roll < 0.95:
            return TaskStatus.BLOCKED, rng.randrange(0, 60, 5)
        return TaskStatus.NOT_STARTED, 0

    def _owner(self) -> tuple[int, int]:
        return self.rng.choices(self.officials, self.official_weights)[0]

    def _task_chunk(self, n: int) -> None:
        rng = self.rng
        tasks, supports, task_history, reports, report_history = [], [], [], [], []
        for _ in range(n):
            pk = self.next_task
            self.next_task += 1
            area = rng.choice(self.areas)
            parent_id, start, due = self._dates(area.pk)
            owner, owner_department = self._owner()
            lead = owner_department if rng.random() < 0.85 else rng.choice(self.department_ids)
            status, progress = self._status(start, due)
            created = timezone.make_aware(
                datetime.datetime.combine(start, datetime.time(9)) - datetime.timedelta(days=7)
            )
            title_n = rng.randrange(len(VERBS) * len(OBJECTS))
            row = {
                "id": pk,
                "area_id": area.pk,
                "parent_id": parent_id,
                "code": f"W{pk}",
                "title": f"{VERBS[title_n % len(VERBS)]} {OBJECTS[title_n // len(VERBS)]}",
                "title_zh": (
                    f"{rng.choice(VERBS_ZH)}{rng.choice(OBJECTS_ZH)}" if rng.random() < 0.5 else ""
                ),
                "description": rng.choice(NOTES) if rng.random() < 0.7 else "",
                "owner_id": owner,
                "lead_department_id": lead,
                "start_date": start,
                "due_date": due,
                "status": status,
                "progress": progress,
                "weight": rng.choice([1, 1, 1, 2, 3, 5]),
                "version": 1,
                "completed_at": None,
                "created_at": created,
                "updated_at": created,
            }
            if parent_id is None:
                self.parents.setdefault(area.pk, []).append((pk, start, due))
            for department in rng.sample(
                self.department_ids, min(rng.choice([0, 0, 1, 1, 2, 3]), len(self.department_ids))
            ):
                if department != lead:
                    supports.append(
                        {"id": self.next_support, "task_id": pk, "department_id": department}
                    )
                    self.next_support += 1
            if status != TaskStatus.NOT_STARTED or progress:
                self._reports(row, reports, report_history)
            supervisor = rng.choice(self.area_supervisors.get(area.pk) or [None])
            task_history.append(
                _history(
                    row,
                    history_id=self.next_task_history,
                    kind="+",
                    when=created,
                    user_id=supervisor,
                    status=TaskStatus.NOT_STARTED,
                    progress=0,
                    version=1,
                    completed_at=None,
                )
            )
            self.next_task_history += 1
            if row["updated_at"] != created:
                task_history.append(
                    _history(
                        row,
                        history_id=self.next_task_history,
                        kind="~",
                        when=row["updated_at"],
                        user_id=supervisor,
                    )
                )
                self.next_task_history += 1
            tasks.append(row)
        self.writer.write(Task, tasks)
        self.writer.write(Task.supporting_departments.through, supports)
        self.writer.write(Task.history.model, task_history)
        self.writer.write(ProgressReport, reports)
        self.writer.write(ProgressReport.history.model, report_history)

    def _reports(self, task: dict, reports: list, report_history: list) -> None:
        """Add the task's reports, oldest first, and bring the task's version and dates in step."""
        rng = self.rng
        if self.spec.reports_per_task == 0:
            return
        count = max(1, min(8, round(rng.expovariate(1 / self.spec.reports_per_task))))
        first = timezone.make_aware(
            datetime.datetime.combine(task["start_date"], datetime.time(10))
        )
        span = max((self.now - first).total_seconds(), 3600)
        moments = sorted(
            first + datetime.timedelta(seconds=rng.uniform(0, span)) for _ in range(count)
        )
        supervisors = self.area_supervisors.get(task["area_id"]) or [None]
        version = 1
        for index, moment in enumerate(moments):
            last = index == count - 1
            progress = task["progress"] if last else task["progress"] * (index + 1) // count
            status = task["status"] if last else TaskStatus.IN_PROGRESS
            if last and rng.random() < 0.3:
                state = ReviewState.PENDING
            else:
                state = ReviewState.APPROVED if rng.random() < 0.85 else ReviewState.RETURNED
            reviewer, reviewed_at = None, None
            if state != ReviewState.PENDING:
                reviewer = rng.choice(supervisors)
                reviewed_at = min(self.now, moment + datetime.timedelta(hours=rng.uniform(2, 96)))
            row = {
                "id": self.next_report,
                "task_id": task["id"],
                "author_id": task["owner_id"],
                "progress": progress,
                "status": status,
                "note": rng.choice(NOTES),
                "task_version": version,
                "review_state": state,
                "reviewed_by_id": reviewer,
                "reviewed_at": reviewed_at,
                "review_comment": ""
                if state != ReviewState.RETURNED
                else "Please attach evidence.",
                "created_at": moment,
            }
            self.next_report += 1
            reports.append(row)
            report_history.append(
                _history(
                    row,
                    history_id=self.next_report_history,
                    kind="+",
                    when=moment,
                    user_id=row["author_id"],
                    review_state=ReviewState.PENDING,
                    reviewed_by_id=None,
                    reviewed_at=None,
                    review_comment="",
                )
            )
            self.next_report_history += 1
            if state != ReviewState.PENDING:
                report_history.append(
                    _history(
                        row,
                        history_id=self.next_report_history,
                        kind="~",
                        when=reviewed_at,
                        user_id=reviewer,
                    )
                )
                self.next_report_history += 1
            if state == ReviewState.APPROVED:
                version += 1
                task["updated_at"] = reviewed_at
        task["version"] = version
        if task["status"] == TaskStatus.COMPLETED:
            task["completed_at"] = task["updated_at"]


def summary_lines(result: WorkloadResult, spec: WorkloadSpec) -> Iterable[str]:
    labels = [
        ("departments", Department),
        ("users", User),
        ("tasks", Task),
        ("supporting departments", Task.supporting_departments.through),
        ("progress reports", ProgressReport),
        ("user history rows", User.history.model),
        ("task history rows", Task.history.model),
        ("report history rows", ProgressReport.history.model),
        ("report cycles", apps.get_model("supervision", "ReportCycle")),
        ("extension requests", apps.get_model("supervision", "ExtensionRequest")),
        ("urge notices", apps.get_model("supervision", "UrgeNotice")),
        ("urged tasks", apps.get_model("supervision", "UrgeRecipient")),
        ("instructions", apps.get_model("supervision", "Instruction")),
        ("answers to instructions", apps.get_model("supervision", "InstructionAnswer")),
        ("notifications", apps.get_model("notifications", "Notification")),
    ]
    yield f"Generated in {result.seconds:.1f}s on {connection.vendor} (seed {spec.seed}):"
    for label, model in labels:
        yield f"  {result.counts[model._meta.label]:>10,} {label}"
    if result.plan is not None:
        yield f"  into plan {result.plan.year} ({len(result.plan.areas.all())} areas)"
    logins = ", ".join(f"{name} ({role})" for name, role in result.sample_logins)
    yield f"Sign in as e.g. {logins}; password for all: {spec.password}"
