import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import AreaFactory, PlanFactory, TaskFactory
from workplan.models import Area, TaskStatus

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("progress", [101, 250])
def test_the_database_refuses_progress_over_100(progress):
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskFactory(progress=progress)


def test_the_database_refuses_a_due_date_before_the_start_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskFactory(start_date=datetime.date(2024, 5, 2), due_date=datetime.date(2024, 5, 1))


def test_a_due_date_on_the_start_date_is_allowed():
    task = TaskFactory(start_date=datetime.date(2024, 5, 1), due_date=datetime.date(2024, 5, 1))
    assert task.pk


def test_the_database_refuses_two_areas_with_one_number_in_a_plan():
    plan = PlanFactory()
    AreaFactory(plan=plan, number=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        AreaFactory(plan=plan, number=3)


def test_a_task_past_its_due_date_and_not_completed_is_overdue():
    today = timezone.localdate()
    task = TaskFactory(
        start_date=today - datetime.timedelta(days=40),
        due_date=today - datetime.timedelta(days=10),
    )
    assert task.is_overdue
    assert task.days_overdue == 10


def test_a_completed_task_is_never_overdue():
    task = TaskFactory(
        start_date=datetime.date(2024, 1, 1),
        due_date=datetime.date(2024, 2, 1),
        status=TaskStatus.COMPLETED,
        progress=100,
    )
    assert not task.is_overdue
    assert task.days_overdue == 0


def test_area_completion_is_weighted_by_task_weight_over_top_level_tasks():
    area = AreaFactory()
    parent = TaskFactory(area=area, progress=100, weight=3)
    TaskFactory(area=area, progress=0, weight=1)
    TaskFactory(area=area, parent=parent, progress=0, weight=50)  # sub-task: not counted
    assert area.completion == Decimal("75.0")
    annotated = Area.objects.with_completion().get(pk=area.pk)
    assert annotated.completion == Decimal("75.0")


def test_an_area_without_tasks_is_zero_complete():
    assert AreaFactory().completion == Decimal(0)
