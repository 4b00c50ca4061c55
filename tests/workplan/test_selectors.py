import datetime

import pytest
from django.http import QueryDict

from accounts.models import Role
from tests.factories import (
    AreaFactory,
    DepartmentFactory,
    ProgressReportFactory,
    TaskFactory,
    UserFactory,
)
from tests.workplan.days import (
    BEFORE_MAKE_UP_SUNDAY,
    BEFORE_NATIONAL_DAY,
    FRIDAY,
    MONDAY,
    D,
)
from workplan.models import ReviewState, TaskStatus, today
from workplan.selectors import (
    calendar_tasks_for,
    dashboard_for,
    my_tasks,
    subtasks_for,
    task_detail_for,
    task_filter_for,
    task_list_for,
    task_page,
)
from workplan.urgency import RANKS, Urgency, urgency_window

pytestmark = pytest.mark.django_db


def days(n):
    return today() + datetime.timedelta(days=n)


def query(**params):
    data = QueryDict(mutable=True)
    for key, value in params.items():
        data[key] = value
    return data


@pytest.fixture
def others_task(db):
    return TaskFactory(owner=UserFactory(department=DepartmentFactory()))


def test_my_tasks_are_those_i_own_or_my_department_leads_not_those_it_supports(
    official, task, others_task
):
    led = TaskFactory(owner=None, lead_department=official.department)
    supported = TaskFactory(owner=None, lead_department=DepartmentFactory())
    supported.supporting_departments.add(official.department)
    assert set(my_tasks(official)) == {task, led}


def test_the_task_list_shows_every_task_an_official_may_see_and_no_other(
    official, task, others_task
):
    supported = TaskFactory(owner=None, lead_department=DepartmentFactory())
    supported.supporting_departments.add(official.department)
    assert set(task_list_for(official)) == {task, supported}


def test_a_supervisor_sees_only_the_areas_they_supervise(supervisor, task, others_task):
    assert list(task_list_for(supervisor)) == [task]
    assert list(my_tasks(supervisor)) == [task]


def test_an_admin_sees_every_task(admin_user, task, others_task):
    assert set(task_list_for(admin_user)) == {task, others_task}


def dated(owner, due, **fields):
    return TaskFactory(owner=owner, start_date=None, due_date=due, **fields)


def test_urgency_is_overdue_due_soon_on_track_or_done(official, settings):
    settings.REMINDER_DUE_SOON_DAYS = 3
    overdue = dated(official, D(2024, 3, 7))
    today_due = dated(official, FRIDAY)
    monday = dated(official, D(2024, 3, 11))
    tuesday = dated(official, D(2024, 3, 12))
    wednesday = dated(official, D(2024, 3, 13))
    undated = dated(official, None)
    done = dated(official, D(2024, 3, 1), status=TaskStatus.COMPLETED)
    window = urgency_window(FRIDAY)
    urgency = {task.pk: task.urgency for task in task_list_for(official, window=window)}
    assert urgency == {
        overdue.pk: Urgency.OVERDUE,
        today_due.pk: Urgency.DUE_SOON,
        monday.pk: Urgency.DUE_SOON,
        tuesday.pk: Urgency.DUE_SOON,
        wednesday.pk: Urgency.ON_TRACK,
        undated.pk: Urgency.ON_TRACK,
        done.pk: Urgency.DONE,
    }


@pytest.mark.parametrize(
    ("today_", "due", "calendar_days"),
    [
        (FRIDAY, D(2024, 3, 11), 3),  # the second working day, over a weekend
        (BEFORE_NATIONAL_DAY, D(2024, 10, 8), 8),  # the second working day, over the holiday
        (BEFORE_MAKE_UP_SUNDAY, D(2024, 2, 4), 2),  # a make-up working Sunday
    ],
)
def test_a_task_due_within_three_working_days_is_due_soon_however_many_days_away(
    official, settings, today_, due, calendar_days
):
    settings.REMINDER_DUE_SOON_DAYS = 3
    assert (due - today_).days == calendar_days
    task = dated(official, due)
    window = urgency_window(today_)
    assert task_detail_for(official, task.pk, window=window).urgency == Urgency.DUE_SOON
    assert [t.urgency for t in task_list_for(official, window=window)] == [Urgency.DUE_SOON]
    assert dashboard_for(official, window=window).counts["due_soon"] == 1


def test_a_task_due_in_five_days_but_beyond_three_working_days_is_on_track(official, settings):
    settings.REMINDER_DUE_SOON_DAYS = 3
    saturday = dated(official, D(2024, 3, 9))  # Monday, Tuesday, Wednesday are the three
    window = urgency_window(MONDAY)
    assert task_detail_for(official, saturday.pk, window=window).urgency == Urgency.ON_TRACK
    board = dashboard_for(official, window=window)
    assert (board.counts["on_track"], board.counts["due_soon"]) == (1, 0)
    assert board.tasks[0].urgency == Urgency.ON_TRACK


def test_a_blocked_task_has_the_urgency_of_its_due_date_not_overdue(official, settings):
    settings.REMINDER_DUE_SOON_DAYS = 3
    later = dated(official, D(2024, 4, 30), status=TaskStatus.BLOCKED)
    soon = dated(official, D(2024, 3, 11), status=TaskStatus.BLOCKED)
    late = dated(official, D(2024, 3, 1), status=TaskStatus.BLOCKED)
    window = urgency_window(FRIDAY)
    urgency = {task.pk: task.urgency for task in task_list_for(official, window=window)}
    assert urgency == {
        later.pk: Urgency.ON_TRACK,
        soon.pk: Urgency.DUE_SOON,
        late.pk: Urgency.OVERDUE,
    }
    assert dashboard_for(official, window=window).counts == {
        "overdue": 1,
        "due_soon": 1,
        "on_track": 1,
        "done": 0,
    }


def test_sub_tasks_take_their_urgency_from_the_same_window(official, settings):
    settings.REMINDER_DUE_SOON_DAYS = 3
    parent = dated(official, D(2024, 4, 30))
    sub = dated(official, D(2024, 3, 11), area=parent.area, parent=parent)
    window = urgency_window(FRIDAY)
    shown = task_detail_for(official, parent.pk, window=window)
    assert [(t.pk, t.urgency) for t in subtasks_for(official, shown, window=window)] == [
        (sub.pk, Urgency.DUE_SOON)
    ]


def test_the_list_is_sorted_most_urgent_first(official):
    later = TaskFactory(owner=official, due_date=days(40))
    done = TaskFactory(owner=official, due_date=days(-3), status=TaskStatus.COMPLETED)
    overdue = TaskFactory(owner=official, due_date=days(-2))
    soon = TaskFactory(owner=official, due_date=days(1))
    assert list(task_list_for(official)) == [overdue, soon, later, done]


def test_the_urgency_order_is_open_by_due_date_undated_last_then_completed(official):
    # The order the index task_urgency_order_idx serves must stay the order of the lights.
    area = AreaFactory()
    undated = TaskFactory(owner=official, area=area, start_date=None, due_date=None)
    done_early = TaskFactory(
        owner=official, area=area, due_date=days(-9), status=TaskStatus.COMPLETED
    )
    done_undated = TaskFactory(
        owner=official, area=area, start_date=None, due_date=None, status=TaskStatus.COMPLETED
    )
    first_of_two = TaskFactory(owner=official, area=area, due_date=days(5), code="9.9")
    second_of_two = TaskFactory(owner=official, area=area, due_date=days(5), code="1.1")
    overdue = TaskFactory(owner=official, area=area, due_date=days(-1))
    listed = list(task_list_for(official))
    assert listed == [overdue, first_of_two, second_of_two, undated, done_early, done_undated]
    assert [RANKS[task.urgency] for task in listed] == sorted(RANKS[t.urgency] for t in listed)
    board = dashboard_for(official)
    assert board.tasks == listed


def test_a_pending_report_shows_as_the_tasks_displayed_progress(task, official):
    ProgressReportFactory(task=task, progress=30, review_state=ReviewState.APPROVED)
    ProgressReportFactory(task=task, progress=55, status=TaskStatus.BLOCKED)
    shown = task_list_for(official).get(pk=task.pk)
    assert shown.pending_progress == 55
    assert shown.pending_status == TaskStatus.BLOCKED
    assert shown.progress == 10


def test_without_a_pending_report_nothing_awaits_review(task, official):
    ProgressReportFactory(task=task, progress=30, review_state=ReviewState.RETURNED)
    assert task_list_for(official).get(pk=task.pk).pending_progress is None


def test_the_dashboard_counts_my_tasks_by_urgency(official, settings):
    settings.REMINDER_DUE_SOON_DAYS = 3
    TaskFactory(owner=official, due_date=days(-1))
    TaskFactory(owner=official, due_date=days(-10), start_date=days(-40))
    TaskFactory(owner=official, due_date=days(1))
    TaskFactory(owner=official, due_date=days(30))
    TaskFactory(owner=official, due_date=None)
    TaskFactory(owner=official, status=TaskStatus.COMPLETED, due_date=days(-3))
    TaskFactory(owner=UserFactory(), due_date=days(-1))
    board = dashboard_for(official)
    assert board.counts == {"overdue": 2, "due_soon": 1, "on_track": 2, "done": 1}
    assert board.total == 6
    assert board.tasks[0].urgency == Urgency.OVERDUE


def test_the_dashboard_shows_the_weighted_completion_of_my_areas(official):
    area = AreaFactory()
    TaskFactory(area=area, owner=official, progress=100, weight=3)
    TaskFactory(area=area, owner=UserFactory(), progress=0, weight=1)
    AreaFactory()
    board = dashboard_for(official)
    assert [a.pk for a in board.areas] == [area.pk]
    assert board.areas[0].completion == 75
    assert board.chart["areas"]["completion"] == [75.0]


def test_the_dashboard_chart_counts_open_and_overdue_tasks_by_month_due(official):
    on = datetime.date(2024, 6, 15)
    TaskFactory(owner=official, start_date=None, due_date=datetime.date(2024, 5, 20))
    TaskFactory(owner=official, start_date=None, due_date=datetime.date(2024, 6, 10))
    TaskFactory(owner=official, start_date=None, due_date=datetime.date(2024, 6, 30))
    TaskFactory(
        owner=official,
        start_date=None,
        due_date=datetime.date(2024, 7, 1),
        status=TaskStatus.COMPLETED,
    )
    months = dashboard_for(official, window=urgency_window(on)).chart["months"]
    assert months == {
        "labels": ["2024-05", "2024-06", "2024-07"],
        "open": [0, 1, 0],
        "overdue": [1, 1, 0],
    }


def test_the_filter_finds_words_in_title_or_description(official):
    water = TaskFactory(owner=official, title="Water pipes", description="")
    roads = TaskFactory(owner=official, title="Roads", description="Repair the water mains")
    TaskFactory(owner=official, title="Parks", description="Trees")
    assert set(task_list_for(official, query(q="water"))) == {water, roads}


def test_the_overdue_filter_keeps_only_open_tasks_past_their_due_date(official):
    overdue = TaskFactory(owner=official, due_date=days(-1))
    TaskFactory(owner=official, due_date=days(-1), status=TaskStatus.COMPLETED)
    TaskFactory(owner=official, due_date=days(5))
    assert list(task_list_for(official, query(overdue="on"))) == [overdue]


@pytest.fixture
def one_task_of_each_urgency(official, settings):
    settings.REMINDER_DUE_SOON_DAYS = 3
    return {
        Urgency.OVERDUE: dated(official, D(2024, 3, 7), status=TaskStatus.BLOCKED),
        Urgency.DUE_SOON: dated(official, D(2024, 3, 12)),
        Urgency.ON_TRACK: dated(official, D(2024, 3, 13), status=TaskStatus.BLOCKED),
        Urgency.DONE: dated(official, D(2024, 3, 1), status=TaskStatus.COMPLETED),
    }


@pytest.mark.parametrize("urgency", list(Urgency))
def test_the_urgency_filter_keeps_the_tasks_of_that_urgency(
    official, one_task_of_each_urgency, urgency
):
    undated = dated(official, None)
    expected = [one_task_of_each_urgency[urgency]]
    if urgency == Urgency.ON_TRACK:
        expected.append(undated)
    window = urgency_window(FRIDAY)
    found = task_list_for(official, query(urgency=urgency.value), window=window)
    assert [task.pk for task in found] == [task.pk for task in expected]
    assert {task.urgency for task in found} == {urgency}
    # The page reads the same tasks as the queryset, and counts them.
    task_filter = task_filter_for(official, query(urgency=urgency.value), window=window)
    page = task_page(task_filter, official, 1, 25)
    assert [task.pk for task in page.object_list] == [task.pk for task in expected]
    assert page.paginator.count == len(expected)


def test_overdue_only_is_the_overdue_urgency(official, one_task_of_each_urgency):
    window = urgency_window(FRIDAY)
    assert (
        list(task_list_for(official, query(overdue="on"), window=window))
        == list(task_list_for(official, query(urgency="overdue"), window=window))
        == [one_task_of_each_urgency[Urgency.OVERDUE]]
    )


def test_an_unknown_urgency_is_left_out_of_the_filters(official, one_task_of_each_urgency):
    task_filter = task_filter_for(official, query(urgency="red"), window=urgency_window(FRIDAY))
    assert "urgency" in task_filter.form.errors
    page = task_page(task_filter, official, 1, 25)
    assert page.paginator.count == 4


def test_the_department_filter_matches_lead_and_supporting_departments(admin_user):
    department = DepartmentFactory()
    led = TaskFactory(owner=None, lead_department=department)
    supported = TaskFactory(owner=None, lead_department=DepartmentFactory())
    supported.supporting_departments.add(department, DepartmentFactory())
    TaskFactory(owner=None, lead_department=DepartmentFactory())
    found = list(task_list_for(admin_user, query(department=str(department.pk))))
    assert sorted(t.pk for t in found) == sorted([led.pk, supported.pk])


def test_the_area_status_and_due_range_filters_combine(official):
    area = AreaFactory()
    wanted = TaskFactory(owner=official, area=area, due_date=days(10), status=TaskStatus.BLOCKED)
    TaskFactory(owner=official, area=area, due_date=days(40), status=TaskStatus.BLOCKED)
    TaskFactory(owner=official, area=area, due_date=days(10))
    TaskFactory(owner=official, due_date=days(10), status=TaskStatus.BLOCKED)
    filters = query(
        area=str(area.pk),
        status="blocked",
        due_after=days(5).isoformat(),
        due_before=days(20).isoformat(),
    )
    assert list(task_list_for(official, filters)) == [wanted]


def test_an_official_cannot_filter_by_an_area_outside_their_scope(official, task):
    hidden_area = AreaFactory()
    TaskFactory(area=hidden_area, owner=UserFactory())
    # An area the official cannot see is not a valid choice: the filter is left out.
    assert list(task_list_for(official, query(area=str(hidden_area.pk)))) == [task]


def test_the_list_sorts_by_progress_or_due_date_on_request(official):
    a = TaskFactory(owner=official, progress=70, due_date=days(3))
    b = TaskFactory(owner=official, progress=20, due_date=days(9))
    c = TaskFactory(owner=official, progress=45, due_date=days(1))
    assert list(task_list_for(official, query(sort="-progress"))) == [a, c, b]
    assert list(task_list_for(official, query(sort="due"))) == [c, a, b]


def test_the_calendar_feed_lists_my_dated_tasks(official, task):
    TaskFactory(owner=official, due_date=None)
    TaskFactory(owner=UserFactory(role=Role.OFFICIAL))
    assert list(calendar_tasks_for(official)) == [task]


def test_mine_in_the_task_filter_is_my_work_for_every_role(official, supervisor, task):
    led = TaskFactory(owner=None, lead_department=official.department, area=task.area)
    supported = TaskFactory(owner=None, lead_department=DepartmentFactory(), area=task.area)
    supported.supporting_departments.add(official.department)
    for user in (official, supervisor):
        assert set(task_list_for(user, query(involvement="mine"))) == set(my_tasks(user))
    assert set(my_tasks(official)) == {task, led}
    assert set(my_tasks(supervisor)) == {task, led, supported}


def test_the_involvement_filter_tells_mine_owned_and_supported_apart(official, task):
    led = TaskFactory(owner=None, lead_department=official.department)
    supported = TaskFactory(owner=None, lead_department=DepartmentFactory())
    supported.supporting_departments.add(official.department)
    assert set(task_list_for(official, query(involvement="mine"))) == {task, led}
    assert set(task_list_for(official, query(involvement="owner"))) == {task}
    assert set(task_list_for(official, query(involvement="support"))) == {supported}
    assert set(task_list_for(official, query())) == {task, led, supported}


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.SUPERVISOR, Role.ADMIN])
def test_my_work_lies_within_what_i_may_see(role, department):
    from workplan.permissions import visible_tasks

    user = UserFactory(role=role, department=department)
    area = AreaFactory()
    if role == Role.SUPERVISOR:
        area.supervisors.add(user)
    TaskFactory(owner=user, area=area)
    TaskFactory(owner=None, lead_department=department, area=area)
    TaskFactory(owner=None, lead_department=department)  # in an area nobody supervises
    TaskFactory(owner=user)
    TaskFactory()
    mine = set(my_tasks(user))
    assert mine
    assert mine <= set(visible_tasks(user))


def test_an_inactive_official_has_no_work(official, task):
    official.is_active = False
    official.save()
    assert list(my_tasks(official)) == []
    assert dashboard_for(official).total == 0
