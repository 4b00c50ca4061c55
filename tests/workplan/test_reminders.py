import datetime

import pytest

from accounts.models import Role
from tests.factories import AreaFactory, TaskFactory, UserFactory
from workplan.models import ReminderKind, TaskStatus
from workplan.reminders.policy import parse_reminder_date, reminder_window, reminders_for

D = datetime.date


def task_due(owner, due, area=None, status=TaskStatus.IN_PROGRESS):
    return TaskFactory(
        owner=owner,
        area=area or AreaFactory(),
        start_date=D(2024, 1, 1),
        due_date=due,
        status=status,
    )


def by_recipient(plans, kind=ReminderKind.DIGEST):
    return {p.recipient_id: p for p in plans if p.kind == kind}


@pytest.mark.django_db
def test_nothing_is_planned_on_the_spring_festival(official):
    task_due(official, D(2024, 2, 1))
    assert reminders_for(D(2024, 2, 12)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("day", [D(2024, 2, 4), D(2024, 2, 18)])
def test_make_up_working_sundays_get_digests(official, day):
    overdue = task_due(official, day - datetime.timedelta(days=1))
    plans = by_recipient(reminders_for(day))
    assert plans[official.pk].overdue_task_ids == [overdue.pk]


@pytest.mark.django_db
def test_an_ordinary_saturday_plans_nothing(official):
    task_due(official, D(2024, 3, 1))
    assert reminders_for(D(2024, 3, 9)) == []


@pytest.mark.django_db
def test_a_digest_lists_overdue_and_due_soon_tasks_counting_today(official):
    day = D(2024, 3, 6)  # Wednesday: today, Thursday, Friday are the three working days
    overdue = task_due(official, D(2024, 3, 5))
    due_today = task_due(official, D(2024, 3, 6))
    due_friday = task_due(official, D(2024, 3, 8))
    task_due(official, D(2024, 3, 11))  # the fourth working day: not yet
    task_due(official, D(2024, 3, 1), status=TaskStatus.COMPLETED)

    plan = by_recipient(reminders_for(day))[official.pk]

    assert plan.overdue_task_ids == [overdue.pk]
    assert plan.due_soon_task_ids == [due_today.pk, due_friday.pk]
    assert plan.skip_reason == ""


@pytest.mark.django_db
def test_due_soon_counting_skips_the_national_day_holiday(official):
    day = D(2024, 9, 30)  # Monday; then 1..7 October off; 8 and 9 October work
    in_holiday = task_due(official, D(2024, 10, 5))
    third_working_day = task_due(official, D(2024, 10, 9))
    task_due(official, D(2024, 10, 10))

    assert reminder_window(day).due_soon_until == D(2024, 10, 9)
    plan = by_recipient(reminders_for(day))[official.pk]
    assert plan.due_soon_task_ids == [in_holiday.pk, third_working_day.pk]


@pytest.mark.django_db
def test_an_official_with_only_completed_or_distant_tasks_gets_no_digest(official):
    task_due(official, D(2024, 3, 1), status=TaskStatus.COMPLETED)
    task_due(official, D(2024, 4, 30))
    assert reminders_for(D(2024, 3, 6)) == []


@pytest.mark.django_db
def test_inactive_users_and_users_without_email_are_planned_as_skipped():
    inactive = UserFactory(is_active=False)
    no_email = UserFactory(email="")
    task_due(inactive, D(2024, 3, 1))
    task_due(no_email, D(2024, 3, 1))

    plans = by_recipient(reminders_for(D(2024, 3, 6)))

    assert "inactive" in plans[inactive.pk].skip_reason
    assert "email" in plans[no_email.pk].skip_reason


@pytest.mark.django_db
def test_supervisors_get_tasks_of_their_areas_overdue_by_five_working_days(official):
    supervisor = UserFactory(role=Role.SUPERVISOR)
    other_supervisor = UserFactory(role=Role.SUPERVISOR)
    area, other_area = AreaFactory(), AreaFactory()
    area.supervisors.add(supervisor)
    other_area.supervisors.add(other_supervisor)
    day = D(2024, 3, 8)  # Friday: 4, 5, 6, 7, 8 March are the five working days
    five_days = task_due(official, D(2024, 3, 1), area=area)
    task_due(official, D(2024, 3, 4), area=area)  # four working days overdue
    task_due(official, D(2024, 2, 1), area=area, status=TaskStatus.COMPLETED)
    elsewhere = task_due(official, D(2024, 2, 20), area=other_area)

    escalations = by_recipient(reminders_for(day), ReminderKind.ESCALATION)

    assert escalations[supervisor.pk].overdue_task_ids == [five_days.pk]
    assert escalations[other_supervisor.pk].overdue_task_ids == [elsewhere.pk]


@pytest.mark.django_db
def test_escalation_counts_working_days_across_the_spring_festival(official):
    supervisor = UserFactory(role=Role.SUPERVISOR)
    area = AreaFactory()
    area.supervisors.add(supervisor)
    # 2024-02-19 back: 19, 18 (make-up Sunday), 9, 8, 7 -> due before the 7th escalates.
    escalated = task_due(official, D(2024, 2, 6), area=area)
    task_due(official, D(2024, 2, 7), area=area)

    escalations = by_recipient(reminders_for(D(2024, 2, 19)), ReminderKind.ESCALATION)

    assert escalations[supervisor.pk].overdue_task_ids == [escalated.pk]


@pytest.mark.django_db
def test_the_plan_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    supervisor = UserFactory(role=Role.SUPERVISOR)
    area = AreaFactory()
    area.supervisors.add(supervisor)
    for _ in range(15):
        owner = UserFactory()
        task_due(owner, D(2024, 2, 1), area=area)
        task_due(owner, D(2024, 3, 7), area=area)

    # The tasks (3); the urge notices' digest section, its working days and its rows (2); the
    # report cycles in use (the report-missing section, 1).
    with django_assert_max_num_queries(6):
        plans = reminders_for(D(2024, 3, 6))

    assert len(plans) == 16


def test_a_date_argument_must_be_written_yyyy_mm_dd():
    assert parse_reminder_date("2024-02-18") == D(2024, 2, 18)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_reminder_date("18/02/2024")
