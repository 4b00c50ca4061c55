"""A hand-built period for the overview's scores: every edge case of "on time", once."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from supervision.overview import Period
from tests.factories import AreaFactory, DepartmentFactory, TaskFactory, UserFactory
from workplan.models import DeadlineExtension, Task, TaskStatus, today


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """An instant on `day` in the portal's TIME_ZONE (Asia/Shanghai)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@dataclass
class Scores:
    period: Period
    roads: object  # the department with every edge case
    parks: object  # a department with one task, on time
    area: object
    other_area: object
    tasks: dict[str, Task]


def done(task: Task, when: datetime.datetime | None) -> Task:
    Task.objects.filter(pk=task.pk).update(
        status=TaskStatus.COMPLETED, progress=100, completed_at=when
    )
    task.refresh_from_db()
    return task


@pytest.fixture
def scores(db) -> Scores:
    """Tasks of the period from 40 days ago to 20 days ahead, led by "Roads" and "Parks".

    Roads (expected: 8 tasks; on time 4, late 3, so 57.1 %; overdue 1; days late 1+5+10 = 16,
    average 5.3; extensions 2):
    - early: due 20 days ago, completed the day before: on time;
    - last_minute: due 15 days ago, completed at 23:30 that day (local): on time;
    - just_late: due 15 days ago, completed at 00:30 the next day (local; still the due day in
      UTC): late, 1 day;
    - extended_twice: due 12 days ago after two extensions, completed 2 days before it: on time;
    - completed_late: due 30 days ago, completed 5 days after: late, 5 days;
    - overdue: open, due 10 days ago: late, overdue, 10 days;
    - pending: open, due in 5 days: not judged yet;
    - no_completion_time: completed, due 25 days ago, no `completed_at`: on time;
    Not counted for Roads: undated (no due date), outside (due after the period), supported
    (led by Parks, supported by Roads).
    """
    roads = DepartmentFactory(code="roads", name="Roads Bureau", name_zh="道路局")
    parks = DepartmentFactory(code="parks", name="Parks Bureau", name_zh="园林局")
    owner = UserFactory(role=Role.OFFICIAL, department=roads, first_name="Lei", last_name="Zhao")
    area = AreaFactory(title="Transport")
    other_area = AreaFactory(title="Green city")
    supervisor = UserFactory(role=Role.SUPERVISOR)
    admin = UserFactory(role=Role.ADMIN)

    def task(name, due, **fields):
        fields.setdefault("area", area)
        fields.setdefault("lead_department", roads)
        start = (due or today()) - datetime.timedelta(days=60)
        return TaskFactory(title=name, owner=owner, due_date=due, start_date=start, **fields)

    tasks = {
        "early": done(task("early", days(-20)), at(days(-21), 10)),
        "last_minute": done(task("last_minute", days(-15)), at(days(-15), 23, 30)),
        "just_late": done(task("just_late", days(-15)), at(days(-14), 0, 30)),
        "extended_twice": done(task("extended_twice", days(-12)), at(days(-14), 9)),
        "completed_late": done(task("completed_late", days(-30)), at(days(-25), 9)),
        "overdue": task("overdue", days(-10)),
        "pending": task("pending", days(5)),
        "no_completion_time": done(task("no_completion_time", days(-25)), None),
        "undated": task("undated", None),
        "outside": task("outside", days(40)),
        "supported": task("supported", days(-3), lead_department=parks, area=other_area),
    }
    done(tasks["supported"], at(days(-4), 9))
    tasks["supported"].supporting_departments.add(roads)
    area.supervisors.add(supervisor)
    for old, new in ((days(-30), days(-20)), (days(-20), days(-12))):
        DeadlineExtension.objects.create(
            task=tasks["extended_twice"],
            old_due_date=old,
            new_due_date=new,
            reason="More time for the survey",
            extended_by=admin,
        )
    return Scores(
        period=Period(days(-40), days(20)),
        roads=roads,
        parks=parks,
        area=area,
        other_area=other_area,
        tasks=tasks,
    )


ROADS = {
    "tasks": 8,
    "on_time": 4,
    "late": 3,
    "overdue": 1,
    "days_late": 16,
    "extensions": 2,
    "on_time_rate": Decimal("57.1"),
    "average_days_late": Decimal("5.3"),
}


@pytest.fixture
def leader(db):
    return UserFactory(role=Role.LEADER, department=None)


@pytest.fixture
def other_task(db, area):
    """A second task of the same area, another official's."""
    return TaskFactory(area=area)


@pytest.fixture
def colleague_of_owner(db, task):
    """An official of the task owner's department."""
    return UserFactory(role=Role.OFFICIAL, department=task.owner.department)


@dataclass
class Workflows:
    """The supervision workflows on `scores`' tasks, with what each score must then say."""

    scores: Scores
    deadlines: int  # Roads' report deadlines owed in the period (the "overdue" task's)
    reports_on_time: Decimal  # 2 of them met
    open_urges: dict  # by department
    leader: object
    instructions: dict[str, object]


@pytest.fixture
def workflows(scores) -> Workflows:
    """Report cycles, urge notices and instructions on the hand-built period.

    Reports: the open task "overdue" (Roads) has its own weekly cycle (Mondays) from before the
    period; it reported within the first and the last deadline's period and for none of the
    others (deadlines with no report). "pending" is on an inactive cycle (exempt). Parks owes
    nothing: "—".
    Urges: Roads has one sent (open), one acknowledged but not replied (open), one replied (not
    open) and one sent after the period's end (not counted): 2. Parks: one acknowledged: 1.
    Instructions: one open on the task "overdue" with an answer, one on the area closed in the
    period (listed), one closed before it (not listed).
    """
    from supervision.cycles import CycleCalendar, Schedule
    from supervision.models import (
        Frequency,
        Instruction,
        InstructionAnswer,
        InstructionState,
        ReportCycle,
        UrgeNotice,
        UrgeRecipient,
        UrgeState,
        Weekday,
    )
    from tests.factories import ProgressReportFactory

    period, tasks = scores.period, scores.tasks
    overdue = tasks["overdue"]
    ReportCycle.objects.create(
        task=overdue,
        frequency=Frequency.WEEKLY,
        weekday=Weekday.MONDAY,
        start_date=period.start - datetime.timedelta(days=30),
    )
    ReportCycle.objects.create(
        task=tasks["pending"],
        frequency=Frequency.WEEKLY,
        weekday=Weekday.MONDAY,
        start_date=period.start,
        active=False,
    )
    yesterday = today() - datetime.timedelta(days=1)
    schedule = Schedule(Frequency.WEEKLY, Weekday.MONDAY)
    periods = CycleCalendar(period.start, yesterday).between(schedule, period.start, yesterday)
    assert len(periods) >= 3  # noqa: S101 (40 days of weeks)
    for reported in (periods[0], periods[-1]):
        ProgressReportFactory(task=overdue, created_at=at(reported.deadline, 12))
    # A report after the first deadline, before the second's period ends, is the second's:
    # none is written there, so the second deadline has no report.

    leader = UserFactory(role=Role.LEADER, first_name="Ming", last_name="Gao")
    owner = overdue.owner

    def urge(task, state, *, sent=None):
        notice = UrgeNotice.objects.create(
            sender=leader, message="Report, please", created_at=sent or at(days(-3), 9)
        )
        stamps = {}
        if state != UrgeState.SENT:
            stamps["acknowledged_at"] = at(days(-2), 9)
        if state == UrgeState.REPLIED:
            stamps["replied_at"] = at(days(-1), 9)
            stamps["reply"] = "Done"
        recipient = task.owner or owner
        return UrgeRecipient.objects.create(
            notice=notice, task=task, recipient=recipient, state=state, **stamps
        )

    urge(overdue, UrgeState.SENT)
    urge(tasks["pending"], UrgeState.ACKNOWLEDGED)
    urge(tasks["early"], UrgeState.REPLIED)
    urge(tasks["just_late"], UrgeState.SENT, sent=at(period.end + datetime.timedelta(days=1), 9))
    urge(tasks["supported"], UrgeState.ACKNOWLEDGED)

    open_one = Instruction.objects.create(
        author=leader,
        task=overdue,
        area=overdue.area,
        text="Finish the bridge survey",
        respond_by=days(3),
        created_at=at(days(-6), 9),
    )
    InstructionAnswer.objects.create(
        instruction=open_one, author=owner, text="Survey team hired", created_at=at(days(-5), 9)
    )
    closed_in = Instruction.objects.create(
        author=leader,
        area=scores.area,
        text="Check every crossing",
        state=InstructionState.CLOSED,
        closed_at=at(days(-2), 9),
        closed_by=leader,
        created_at=at(days(-20), 9),
    )
    Instruction.objects.create(
        author=leader,
        area=scores.area,
        text="An old instruction",
        state=InstructionState.CLOSED,
        closed_at=at(period.start - datetime.timedelta(days=5), 9),
        closed_by=leader,
        created_at=at(period.start - datetime.timedelta(days=9), 9),
    )
    rate = (Decimal(200) / len(periods)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return Workflows(
        scores=scores,
        deadlines=len(periods),
        reports_on_time=rate,
        open_urges={scores.roads.pk: 2, scores.parks.pk: 1},
        leader=leader,
        instructions={"open": open_one, "closed_in_period": closed_in},
    )
