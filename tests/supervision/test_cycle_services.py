"""Setting report cycles, and recording each missed deadline exactly once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accounts.models import Role
from notifications.models import Notification, NotificationKind
from notifications.wording import notification_text
from supervision.cycle_jobs import notify_missing_reports
from supervision.models import Frequency, MissedReport, ReportCycle
from supervision.services import missed_reports_record, report_cycle_delete, report_cycle_save
from tests.factories import AreaFactory, TaskFactory, UserFactory
from tests.supervision.test_cycles import report_on
from workplan.models import Task

D = datetime.date
pytestmark = pytest.mark.django_db


def monthly(day=10, **subject):
    return ReportCycle(
        frequency=Frequency.MONTHLY, day_of_month=day, start_date=D(2024, 1, 1), **subject
    )


def test_a_supervisor_sets_a_cycle_on_a_task_of_their_area_with_its_history(supervisor, task):
    cycle = report_cycle_save(cycle=monthly(task=task), user=supervisor)
    assert cycle.pk is not None
    assert cycle.history.get().history_user == supervisor


def test_a_supervisor_may_not_set_a_cycle_outside_their_areas(supervisor):
    elsewhere = AreaFactory()
    with pytest.raises(PermissionDenied):
        report_cycle_save(cycle=monthly(area=elsewhere), user=supervisor)
    with pytest.raises(PermissionDenied):
        report_cycle_save(cycle=monthly(task=TaskFactory(area=elsewhere)), user=supervisor)
    assert not ReportCycle.objects.exists()


def test_a_supervisor_may_not_move_another_areas_cycle_into_their_own(supervisor, area):
    elsewhere = report_cycle_save(
        cycle=monthly(area=AreaFactory()), user=UserFactory(role=Role.ADMIN)
    )
    elsewhere.area = area
    with pytest.raises(PermissionDenied):
        report_cycle_save(cycle=elsewhere, user=supervisor)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "either a key area of work or a task"),
        ({"weekday": 2}, "A weekly cycle needs a weekday"),
        ({"day_of_month": 32}, "from 1 to 31"),
    ],
)
def test_a_cycle_that_makes_no_sense_is_refused_with_a_message(admin_user, area, fields, message):
    cycle = monthly(area=area)
    if not fields:
        cycle.task = TaskFactory(area=area)
    for name, value in fields.items():
        setattr(cycle, name, value)
    with pytest.raises(ValidationError, match=message):
        report_cycle_save(cycle=cycle, user=admin_user)


def test_an_area_or_a_task_has_one_cycle(admin_user, area):
    report_cycle_save(cycle=monthly(area=area), user=admin_user)
    with pytest.raises(ValidationError):
        report_cycle_save(cycle=monthly(day=3, area=area), user=admin_user)


def test_removing_a_cycle_leaves_the_task_to_its_areas(admin_user, area, task):
    cycle = report_cycle_save(cycle=monthly(task=task), user=admin_user)
    report_cycle_delete(cycle=cycle, user=admin_user)
    assert not ReportCycle.objects.exists()


@pytest.fixture
def late(area, official, admin_user):
    task = TaskFactory(area=area, owner=official, start_date=None)
    report_cycle_save(cycle=monthly(task=task), user=admin_user)
    return task


def test_a_missed_deadline_is_recorded_and_notified_once_whatever_the_runs(late):
    first = missed_reports_record(on=D(2024, 2, 19))
    assert [(r.task, r.deadline, r.owner) for r in first] == [(late, D(2024, 2, 18), late.owner)]
    assert missed_reports_record(on=D(2024, 2, 20)) == []
    (notice,) = Notification.objects.all()
    assert (notice.recipient, notice.kind) == (late.owner, NotificationKind.REPORT_MISSING)
    assert notice.url == f"/tasks/{late.pk}/"
    assert notice.params["date"] == "2024-02-18"
    # The next month's deadline, missed too, is a new record and a new notice.
    again = missed_reports_record(on=D(2024, 3, 12))
    assert [r.deadline for r in again] == [D(2024, 3, 11)]
    assert MissedReport.objects.count() == Notification.objects.count() == 2


def test_the_notice_reads_in_the_owners_language(late):
    missed_reports_record(on=D(2024, 2, 19))
    notice = Notification.objects.get()
    with translation.override("en"):
        assert notification_text(notice) == (
            f"The progress report on “{late.title}” due Feb. 18, 2024 is missing."
        )
    with translation.override("zh-hans"):
        assert "2024年2月18日" in notification_text(notice)


def test_a_task_without_an_owner_is_recorded_without_a_notice(late):
    Task.objects.filter(pk=late.pk).update(owner=None)
    (record,) = missed_reports_record(on=D(2024, 2, 19))
    assert record.owner is None
    assert not Notification.objects.exists()


def test_a_report_in_time_records_nothing(late):
    report_on(late, D(2024, 2, 12))
    assert missed_reports_record(on=D(2024, 2, 19)) == []


def test_the_daily_job_records_the_days_missed_reports(late):
    assert notify_missing_reports.delay("2024-02-19").get() == 1
    assert notify_missing_reports.delay("2024-02-19").get() == 0
    assert MissedReport.objects.get().deadline == D(2024, 2, 18)
