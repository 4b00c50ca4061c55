"""The report-cycle rule on hand-built days of the 2024 Chinese calendar, in both its forms.

- Spring Festival: 2024-02-10..17 off, Sunday 02-18 a make-up working day;
- April 2024 has 30 days; 04-30 (Tuesday) is a working day;
- National Day: 2024-10-01..07 off, Sunday 09-29 a make-up working day.
"""

import datetime

import pytest
from django.utils import timezone

from supervision.cycles import (
    CycleCalendar,
    ReportStatus,
    Schedule,
    missing_tasks,
    report_cycle_scores,
)
from supervision.models import Frequency, ReportCycle, Weekday
from tests.factories import DepartmentFactory, ProgressReportFactory, TaskFactory, UserFactory
from workplan.models import TaskStatus

D = datetime.date
pytestmark = pytest.mark.django_db


def at_noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def report_on(task, day):
    return ProgressReportFactory(task=task, created_at=at_noon(day))


def monthly(day, **subject):
    return ReportCycle.objects.create(
        frequency=Frequency.MONTHLY, day_of_month=day, start_date=D(2024, 1, 1), **subject
    )


def weekly(weekday, **subject):
    return ReportCycle.objects.create(
        frequency=Frequency.WEEKLY, weekday=weekday, start_date=D(2024, 1, 1), **subject
    )


@pytest.fixture
def old_task(area, official):
    """A task under way since before the cycles start."""
    return TaskFactory(area=area, owner=official, start_date=D(2023, 12, 1), due_date=None)


def missing_on(day):
    return set(missing_tasks(day).values_list("pk", flat=True))


def status_on(task, day):
    return ReportStatus.of_task(task, on=day)


def deadlines(schedule, start, end):
    return [period.deadline for period in CycleCalendar(start, end).between(schedule, start, end)]


def test_a_weekly_cycle_falls_due_on_its_weekday_each_week():
    assert deadlines(Schedule(Frequency.WEEKLY, Weekday.FRIDAY), D(2024, 3, 1), D(2024, 3, 22)) == [
        D(2024, 3, 1),
        D(2024, 3, 8),
        D(2024, 3, 15),
        D(2024, 3, 22),
    ]


def test_day_31_of_a_30_day_month_falls_due_on_the_months_last_day():
    assert deadlines(Schedule(Frequency.MONTHLY, 31), D(2024, 3, 1), D(2024, 5, 31)) == [
        D(2024, 3, 31) + datetime.timedelta(days=1),  # Sunday 03-31: Monday 04-01
        D(2024, 4, 30),
        D(2024, 5, 31),
    ]


def test_a_deadline_on_a_holiday_moves_to_the_next_working_day_a_make_up_sunday_included():
    # Saturday 02-10 is the Spring Festival: the next working day is make-up Sunday 02-18.
    assert deadlines(Schedule(Frequency.MONTHLY, 10), D(2024, 2, 1), D(2024, 2, 29)) == [
        D(2024, 2, 18)
    ]
    # National Day: 10-01 moves to 10-08; make-up Sunday 09-29 stays, other Sundays move on.
    assert deadlines(Schedule(Frequency.MONTHLY, 1), D(2024, 10, 1), D(2024, 10, 31)) == [
        D(2024, 10, 8)
    ]
    sundays = deadlines(Schedule(Frequency.WEEKLY, Weekday.SUNDAY), D(2024, 9, 20), D(2024, 9, 30))
    assert sundays == [D(2024, 9, 23), D(2024, 9, 29)]


def test_two_deadlines_moved_onto_one_working_day_make_one_deadline():
    # Tuesday 10-01 is National Day: it moves to Tuesday 10-08, the next Tuesday.
    tuesday = Schedule(Frequency.WEEKLY, Weekday.TUESDAY)
    assert deadlines(tuesday, D(2024, 9, 24), D(2024, 10, 8)) == [D(2024, 9, 24), D(2024, 10, 8)]


@pytest.mark.parametrize(
    ("reported", "today", "missing"),
    [
        (D(2024, 3, 1), D(2024, 3, 8), False),  # the next deadline is today: not passed yet
        (None, D(2024, 3, 9), True),
        (D(2024, 3, 8), D(2024, 3, 9), False),  # on the deadline
        (D(2024, 3, 2), D(2024, 3, 9), False),  # the day after the deadline before
        (D(2024, 3, 1), D(2024, 3, 9), True),  # the period before's report
        (D(2024, 3, 11), D(2024, 3, 12), False),  # late: no longer missing
    ],
)
def test_a_weekly_report_is_missing_when_the_last_deadline_passed_without_one(
    old_task, reported, today, missing
):
    weekly(Weekday.FRIDAY, task=old_task)
    if reported:
        report_on(old_task, reported)
    status = status_on(old_task, today)
    assert status.missing is missing
    assert (old_task.pk in missing_on(today)) is missing


def test_the_task_page_status_names_the_last_and_the_next_deadline(old_task):
    monthly(10, task=old_task)
    status = status_on(old_task, D(2024, 2, 12))
    assert status.last.deadline == D(2024, 1, 10)
    assert status.next_deadline == D(2024, 2, 18)
    assert status.missing
    status = status_on(old_task, D(2024, 2, 19))
    assert status.last.deadline == D(2024, 2, 18)
    assert status.last.first_day == D(2024, 1, 11)


def test_a_report_on_a_make_up_sunday_deadline_is_on_time(old_task):
    monthly(10, task=old_task)
    report_on(old_task, D(2024, 2, 18))
    assert not status_on(old_task, D(2024, 2, 19)).missing
    assert old_task.pk not in missing_on(D(2024, 2, 19))


def test_an_area_cycle_covers_its_tasks_and_a_tasks_own_cycle_wins(area, official, old_task):
    weekly(Weekday.FRIDAY, area=area)
    own = TaskFactory(area=area, owner=official, start_date=None)
    monthly(1, task=own)
    exempt = TaskFactory(area=area, owner=official, start_date=None)
    ReportCycle.objects.create(
        task=exempt, frequency=Frequency.WEEKLY, weekday=0, start_date=D(2024, 1, 1), active=False
    )
    elsewhere = TaskFactory(owner=official, start_date=None)
    report_on(own, D(2024, 3, 1))  # the month's report, not the week's
    today = D(2024, 3, 9)
    assert missing_on(today) == {old_task.pk}
    assert status_on(old_task, today).missing
    assert not status_on(own, today).missing
    assert status_on(exempt, today) is None
    assert status_on(elsewhere, today) is None


def test_completed_and_not_yet_started_tasks_and_young_cycles_owe_nothing(area, official):
    weekly(Weekday.FRIDAY, area=area)
    done = TaskFactory(area=area, owner=official, status=TaskStatus.COMPLETED, start_date=None)
    later = TaskFactory(area=area, owner=official, start_date=D(2024, 4, 1), due_date=None)
    today = D(2024, 3, 9)
    assert missing_on(today) == set()
    assert not status_on(done, today).missing
    assert not status_on(later, today).missing
    young = TaskFactory(owner=official, start_date=None)
    ReportCycle.objects.create(
        task=young, frequency=Frequency.WEEKLY, weekday=4, start_date=D(2024, 3, 8)
    )
    assert not status_on(young, today).missing
    assert status_on(young, today).next_deadline == D(2024, 3, 15)
    assert young.pk not in missing_on(today)


def test_a_task_completed_after_a_missed_deadline_is_no_longer_missing(old_task):
    weekly(Weekday.FRIDAY, task=old_task)
    today = D(2024, 3, 12)
    assert old_task.pk in missing_on(today)
    old_task.status = TaskStatus.COMPLETED
    old_task.completed_at = at_noon(D(2024, 3, 11))
    old_task.save()
    assert old_task.pk not in missing_on(today)
    assert not status_on(old_task, today).missing


def test_the_sql_and_python_forms_agree_on_a_grid_of_days(area, official):
    tasks = []
    for index, (frequency, day) in enumerate(
        [(Frequency.WEEKLY, 0), (Frequency.WEEKLY, 6), (Frequency.MONTHLY, 10), (None, None)]
    ):
        task = TaskFactory(area=area, owner=official, start_date=None)
        if frequency == Frequency.WEEKLY:
            weekly(day, task=task)
        elif frequency == Frequency.MONTHLY:
            monthly(day, task=task)
        for offset in range(index, 60, 9):
            report_on(task, D(2024, 1, 20) + datetime.timedelta(days=offset))
        tasks.append(task)
    weekly(Weekday.WEDNESDAY, area=area)
    day = D(2024, 1, 25)
    while day < D(2024, 3, 20):
        in_sql = missing_on(day)
        in_python = {t.pk for t in tasks if (s := status_on(t, day)) and s.missing}
        assert in_sql == in_python, day
        day += datetime.timedelta(days=1)


def test_reports_on_time_count_the_deadlines_each_department_owed_and_met(monkeypatch, area):
    monkeypatch.setattr("supervision.cycles.today", lambda: D(2024, 4, 1))
    leading, other = DepartmentFactory(), DepartmentFactory()
    owner = UserFactory(department=leading)
    first = TaskFactory(area=area, owner=owner, start_date=None)
    second = TaskFactory(area=area, owner=owner, start_date=None)
    theirs = TaskFactory(area=area, owner=UserFactory(department=other), start_date=None)
    monthly(10, area=area)
    weekly(Weekday.FRIDAY, task=theirs)
    # March: deadline 03-11 (Sunday 03-10 moves on). February's: 02-18 (holiday).
    report_on(first, D(2024, 2, 18))
    report_on(first, D(2024, 2, 19))  # the next period's, on time for 03-11
    report_on(first, D(2024, 3, 1))  # a second report in one period counts once
    report_on(second, D(2024, 3, 12))  # late for 03-11
    report_on(theirs, D(2024, 3, 8))
    report_on(theirs, D(2024, 3, 9))  # for 03-15
    scores = report_cycle_scores(D(2024, 2, 1), D(2024, 3, 31))
    # leading: 2 tasks x 2 deadlines (02-18, 03-11); first met both, second none.
    assert scores[leading.pk] == (4, 2)
    # other: Fridays 02-02 .. 03-29 (02-16 a holiday, moved to 02-18): 9 deadlines, 2 met.
    assert scores[other.pk] == (9, 2)
    # Deadlines from today on are not counted yet.
    assert report_cycle_scores(D(2024, 4, 1), D(2024, 4, 30)) == {}
