"""The overview's scores on hand-built data: SQL and Python forms agree, every edge case."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from supervision.cycles import ReportStatus, missing_q
from supervision.models import UrgeNotice, UrgeRecipient
from supervision.overview import (
    Counts,
    DepartmentRow,
    Period,
    PeriodKind,
    area_counts,
    counts_of,
    department_counts,
    open_urges_by_department,
    open_urges_of,
    open_urges_q,
    overdue_tasks,
    overview_for,
    period_of,
    period_tasks,
    ranked,
    report_instructions,
    reports_on_time_by_department,
    reports_on_time_counts,
    reports_on_time_rate,
    sorted_rows,
    urge_is_open,
)
from tests.factories import DepartmentFactory, ProgressReportFactory, UserFactory
from tests.supervision.conftest import ROADS, days
from workplan.models import Task, today
from workplan.timeliness import Timeliness, days_late_of, timeliness_of, timeliness_q

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(db):
    return UserFactory(role=Role.LEADER)


def _as_dict(counts: Counts) -> dict:
    return {
        "tasks": counts.tasks,
        "on_time": counts.on_time,
        "late": counts.late,
        "overdue": counts.overdue,
        "days_late": counts.days_late,
        "extensions": counts.extensions,
        "on_time_rate": counts.on_time_rate,
        "average_days_late": counts.average_days_late,
    }


def test_each_task_of_the_period_is_judged_as_the_definition_says(scores):
    expected = {
        "early": Timeliness.ON_TIME,
        "last_minute": Timeliness.ON_TIME,
        "just_late": Timeliness.LATE,
        "extended_twice": Timeliness.ON_TIME,
        "completed_late": Timeliness.LATE,
        "overdue": Timeliness.LATE,
        "pending": Timeliness.PENDING,
        "no_completion_time": Timeliness.ON_TIME,
        "undated": Timeliness.UNDATED,
    }
    on = today()
    for name, timeliness in expected.items():
        task = scores.tasks[name]
        state = {
            "status": task.status,
            "due_date": task.due_date,
            "completed_at": task.completed_at,
        }
        assert timeliness_of(**state, today=on) == timeliness, name
        # The SQL form picks the same tasks.
        sql = set(
            Task.objects.filter(timeliness_q(timeliness, today=on)).values_list("title", flat=True)
        )
        assert name in sql, (name, timeliness)


def test_days_late_count_to_the_day_completed_or_to_today(scores):
    on = today()

    def late(name):
        task = scores.tasks[name]
        return days_late_of(
            status=task.status, due_date=task.due_date, completed_at=task.completed_at, today=on
        )

    assert [late(n) for n in ("just_late", "completed_late", "overdue")] == [1, 5, 10]
    assert [late(n) for n in ("early", "pending", "undated", "no_completion_time")] == [0, 0, 0, 0]


def test_the_sql_and_python_forms_give_the_roads_bureau_the_same_scores(scores, leader):
    on = today()
    tasks = period_tasks(leader, scores.period)
    sql = department_counts(tasks, on=on)[scores.roads.pk]
    python = counts_of(tasks.filter(lead_department=scores.roads), on=on)
    assert _as_dict(sql) == _as_dict(python) == ROADS


def test_supported_undated_and_later_tasks_are_not_the_departments(scores, leader):
    counts = department_counts(period_tasks(leader, scores.period), on=today())
    assert counts[scores.parks.pk].tasks == 1
    assert counts[scores.parks.pk].on_time_rate == Decimal("100.0")
    titles = set(period_tasks(leader, scores.period).values_list("title", flat=True))
    assert {"undated", "outside"}.isdisjoint(titles)


def test_a_department_with_nothing_to_judge_has_no_rate_and_no_average():
    assert Counts(tasks=2).on_time_rate is None
    assert Counts(tasks=2).average_days_late is None


def test_areas_are_counted_over_the_same_tasks(scores, leader):
    by_area = area_counts(period_tasks(leader, scores.period), on=today())
    assert by_area[scores.area.pk].tasks == 8
    assert by_area[scores.area.pk].overdue == 1
    assert by_area[scores.other_area.pk].tasks == 1


def test_the_ranking_puts_the_best_on_time_rate_first_and_no_rate_last():
    def row(name, **counts):
        return DepartmentRow(department=DepartmentFactory(name=name), counts=Counts(**counts))

    rows = ranked(
        [
            row("Nothing judged", tasks=3),
            row("Half", tasks=2, on_time=1, late=1, overdue=1, days_late=4),
            row("All", tasks=2, on_time=2),
            row("Half, fewer overdue", tasks=2, on_time=1, late=1, overdue=0, days_late=9),
        ]
    )
    assert [(r.rank, r.name) for r in rows] == [
        (1, "All"),
        (2, "Half, fewer overdue"),
        (3, "Half"),
        (4, "Nothing judged"),
    ]
    assert [r.name for r in sorted_rows(rows, "-overdue")][0] == "Half"
    assert [r.name for r in sorted_rows(rows, "nonsense")] == [r.name for r in rows]


def test_the_overview_gives_totals_ranks_and_no_workflow_figures_without_workflows(scores, leader):
    board = overview_for(leader, scores.period)
    assert board.totals.tasks == 9
    assert board.totals.extensions == 2
    assert [row.department for row in board.departments] == [scores.parks, scores.roads]
    roads = board.departments[1]
    assert _as_dict(roads.counts) == ROADS
    assert roads.reports_on_time is None and roads.open_urges == 0


def test_reports_on_time_count_each_deadline_owed_and_met(workflows):
    scores = workflows.scores
    counts = reports_on_time_counts(workflows.leader, scores.period)
    # Only the "overdue" task owes: the inactive cycle exempts "pending"; Parks owes nothing.
    assert counts == {scores.roads.pk: (workflows.deadlines, 2)}
    rates = reports_on_time_by_department(workflows.leader, scores.period)
    assert rates == {scores.roads.pk: workflows.reports_on_time}
    assert reports_on_time_rate(0, 0) is None
    assert reports_on_time_rate(3, 1) == Decimal("33.3")
    assert reports_on_time_rate(3, 2) == Decimal("66.7")


def test_the_task_behind_the_figure_reported_for_its_last_deadline(workflows):
    # The figure's link lists the tasks whose report is missing today: not this one.
    overdue = workflows.scores.tasks["overdue"]
    yesterday = today() - datetime.timedelta(days=1)
    status = ReportStatus.of_task(overdue, on=today())
    assert status is not None and status.cycle.task_id == overdue.pk
    # The last deadline before today was met, so the report is not missing today.
    assert status.last.deadline <= yesterday and not status.missing
    assert Task.objects.filter(missing_q()).filter(pk=overdue.pk).exists() is False


def test_open_urges_are_those_sent_or_acknowledged_by_the_periods_end(workflows):
    scores = workflows.scores
    by_sql = open_urges_by_department(workflows.leader, scores.period)
    assert by_sql == workflows.open_urges
    rows = UrgeRecipient.objects.select_related("task", "notice")
    assert open_urges_of(rows, scores.period) == by_sql
    states = {row.task.title: urge_is_open(row) for row in rows}
    assert states == {
        "overdue": True,  # sent
        "pending": True,  # acknowledged, not replied
        "early": False,  # replied
        "just_late": True,  # open, but sent after the period: not counted
        "supported": True,
    }
    assert set(
        UrgeRecipient.objects.filter(open_urges_q(scores.period)).values_list(
            "task__title", flat=True
        )
    ) == {"overdue", "pending", "supported"}


def test_a_supervisor_counts_only_the_urges_and_reports_of_their_areas(workflows):
    scores = workflows.scores
    supervisor = scores.area.supervisors.get()
    assert open_urges_by_department(supervisor, scores.period) == {scores.roads.pk: 2}
    board = overview_for(supervisor, scores.period)
    [roads] = board.departments
    assert (roads.reports_on_time, roads.open_urges) == (workflows.reports_on_time, 2)


def test_the_overview_rows_carry_both_workflow_scores(workflows):
    scores = workflows.scores
    board = overview_for(workflows.leader, scores.period)
    by_department = {row.department: row for row in board.departments}
    roads, parks = by_department[scores.roads], by_department[scores.parks]
    assert (roads.reports_on_time, roads.open_urges) == (workflows.reports_on_time, 2)
    assert (parks.reports_on_time, parks.open_urges) == (None, 1)
    assert [r.name for r in sorted_rows(board.departments, "-open_urges")][0] == "Roads Bureau"
    assert [r.name for r in sorted_rows(board.departments, "reports_on_time")] == [
        "Roads Bureau",
        "Parks Bureau",
    ]


def test_the_report_lists_open_instructions_and_those_closed_in_the_period(workflows):
    listed = report_instructions(workflows.leader, workflows.scores.period)
    assert listed == [
        workflows.instructions["open"],
        workflows.instructions["closed_in_period"],
    ]
    assert [a.text for a in listed[0].answers.all()] == ["Survey team hired"]


def test_a_supervisor_sees_only_the_departments_of_their_areas(scores):
    supervisor = scores.area.supervisors.get()
    board = overview_for(supervisor, scores.period)
    assert [row.department for row in board.departments] == [scores.roads]
    assert [row.area for row in board.areas] == [scores.area]


def test_the_overdue_list_is_most_late_first_with_its_total(scores, leader):
    tasks, total = overdue_tasks(leader, scores.period)
    assert [task.title for task in tasks] == ["overdue"] and total == 1


@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [
        (PeriodKind.MONTH, datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
        (PeriodKind.QUARTER, datetime.date(2024, 1, 1), datetime.date(2024, 3, 31)),
        (PeriodKind.YEAR, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
    ],
)
def test_the_named_periods_surround_the_day(kind, start, end):
    period = period_of(kind, on=datetime.date(2024, 2, 10))
    assert (period.start, period.end) == (start, end)


def test_a_custom_period_must_end_after_it_starts_and_last_at_most_three_years():
    on = datetime.date(2024, 2, 10)
    with pytest.raises(ValidationError) as error:
        period_of(PeriodKind.CUSTOM, on=on, start=datetime.date(2024, 5, 1), end=on)
    assert "ends before it starts" in str(error.value)
    with pytest.raises(ValidationError):
        period_of(PeriodKind.CUSTOM, on=on, start=datetime.date(2020, 1, 1), end=on)
    with pytest.raises(ValidationError):
        period_of(PeriodKind.CUSTOM, on=on, start=None, end=on)
    assert period_of(PeriodKind.CUSTOM, on=on, start=on, end=on) == Period(on, on)


def test_the_overview_reads_a_fixed_number_of_queries(
    workflows, client, django_assert_max_num_queries
):
    scores = workflows.scores
    client.force_login(workflows.leader)
    url = f"/overview/?{scores.period.query()}"
    with django_assert_max_num_queries(20) as first:
        assert client.get(url).status_code == 200
    notice = UrgeNotice.objects.create(sender=workflows.leader, message="All of you")
    for number in range(30):
        task = Task.objects.create(
            area=scores.area,
            title=f"More {number}",
            lead_department=DepartmentFactory(),
            due_date=days(-1),
            owner=scores.tasks["overdue"].owner,
        )
        UrgeRecipient.objects.create(notice=notice, task=task, recipient=task.owner)
        ProgressReportFactory(task=task)
    from workplan import caching

    caching.tasks_changed()
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200
