import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from accounts.models import Department, Role, User
from bench.workload import Progress, WorkloadError, WorkloadSpec, generate_workload
from tests.factories import DepartmentFactory
from workplan.models import Area, ProgressReport, ReviewState, Task

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("generate_workload", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


SMALL = ["--tasks", "300", "--officials", "40", "--departments", "8", "--seed", "7"]


def test_generates_the_requested_numbers_of_rows_and_a_summary():
    out, err = run(*SMALL)

    assert Task.objects.count() == 300
    assert User.objects.filter(role=Role.OFFICIAL).count() == 40
    assert Department.objects.count() == 8
    assert Area.objects.count() == 9
    # two supervisors per area by default, and one admin
    assert User.objects.filter(role=Role.SUPERVISOR).count() == 18
    assert User.objects.filter(role=Role.ADMIN).count() == 1
    assert "300 tasks" in out
    assert "100%" in err


def test_every_task_has_an_owner_among_the_officials_and_dates_in_order():
    run(*SMALL)
    officials = set(User.objects.filter(role=Role.OFFICIAL).values_list("pk", flat=True))

    owners = set(Task.objects.values_list("owner_id", flat=True))

    assert owners <= officials
    assert not Task.objects.filter(owner__isnull=True).exists()
    assert not Task.objects.filter(due_date__lt=F("start_date")).exists()
    assert not Task.objects.filter(
        parent__isnull=False, due_date__gt=F("parent__due_date")
    ).exists()


def test_spreads_tasks_over_areas_statuses_subtasks_and_review_states():
    run(*SMALL)

    assert Task.objects.values("area").distinct().count() == 9
    assert Task.objects.values("status").distinct().count() >= 3
    assert Task.objects.filter(parent__isnull=False).exists()
    states = set(ProgressReport.objects.values_list("review_state", flat=True))
    assert states == {ReviewState.PENDING, ReviewState.APPROVED, ReviewState.RETURNED}
    assert not ProgressReport.objects.filter(
        review_state=ReviewState.APPROVED, reviewed_by__isnull=True
    ).exists()
    assert Area.objects.filter(supervisors__isnull=True).count() == 0


def test_writes_history_that_bulk_inserts_would_skip():
    run(*SMALL)

    assert Task.history.filter(history_type="+").count() == 300
    assert User.history.count() == User.objects.count()
    assert ProgressReport.history.filter(history_type="+").count() == ProgressReport.objects.count()


def test_generated_users_can_sign_in_with_the_bench_password(client):
    run(*SMALL, "--password", "bench-pass-123")
    user = User.objects.filter(role=Role.OFFICIAL).first()

    assert client.login(username=user.username, password="bench-pass-123")
    assert user.groups.filter(name="Officials").exists()


def test_the_same_seed_gives_the_same_data():
    run(*SMALL)
    first = list(Task.objects.order_by("pk").values_list("owner__username", "due_date", "status"))
    ProgressReport.objects.all().delete()
    Task.objects.filter(code__startswith="W").delete()
    for name in ("UrgeNotice", "Instruction", "ExtensionRequest"):  # they protect their users
        apps.get_model("supervision", name).objects.all().delete()
    User.objects.all().delete()
    Department.objects.filter(parent__isnull=False).delete()
    Department.objects.all().delete()

    run(*SMALL)
    again = list(Task.objects.order_by("pk").values_list("owner__username", "due_date", "status"))

    assert again == first


def test_refuses_a_database_that_already_holds_data_and_changes_nothing():
    DepartmentFactory()

    with pytest.raises(CommandError, match="not empty.*--append"):
        run(*SMALL)

    assert Task.objects.count() == 0
    assert User.objects.count() == 0


def test_appends_to_a_database_with_data_when_asked():
    run(*SMALL)

    run(*SMALL, "--append")

    assert Task.objects.count() == 600
    assert User.objects.filter(role=Role.OFFICIAL).count() == 80
    assert Department.objects.count() == 16


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tasks", "0"], "--tasks must be at least 1"),
        (["--officials", "-5"], "--officials must be at least 1"),
        (["--departments", "0"], "--departments must be at least 1"),
        (["--subtask-share", "1.5"], "--subtask-share"),
    ],
)
def test_bad_arguments_fail_with_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)

    assert Task.objects.count() == 0


def test_a_malformed_number_exits_non_zero_from_the_command_line(capsys):
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "generate_workload", "--tasks", "many"]).execute()

    assert exit_info.value.code != 0
    assert "invalid int value: 'many'" in capsys.readouterr().err


def test_a_refused_run_exits_non_zero_from_the_command_line(capsys):
    from django.core.management import ManagementUtility

    DepartmentFactory()
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "generate_workload", "--tasks", "5"]).execute()

    assert exit_info.value.code == 1
    assert "not empty" in capsys.readouterr().err


def test_spec_rejects_several_problems_at_once():
    spec = WorkloadSpec(tasks=0, officials=0, departments=1)

    with pytest.raises(WorkloadError, match="--tasks.*--officials"):
        generate_workload(spec=spec)


def test_progress_bar_reports_each_tenth_once_when_not_on_a_terminal():
    stream = io.StringIO()
    bar = Progress(100, stream=stream)

    for _ in range(20):
        bar.advance(5, "tasks")

    lines = stream.getvalue().splitlines()
    assert len(lines) == 11
    assert lines[-1].startswith("[" + "#" * 30 + "] 100%")


def test_makes_report_cycles_on_most_areas_and_a_few_key_tasks():
    from supervision.cycles import missing_tasks
    from supervision.models import ReportCycle

    run(*SMALL)

    on_areas = ReportCycle.objects.filter(area__isnull=False)
    on_tasks = ReportCycle.objects.filter(task__isnull=False)
    assert 1 <= on_areas.count() <= 9
    assert on_tasks.count() == 6  # 2 % of 300
    assert on_tasks.filter(active=False).exists()  # some tasks exempted
    assert ReportCycle.history.count() == ReportCycle.objects.count()
    assert missing_tasks().exists()  # reports are a year old at most: some are missing


def test_makes_extension_requests_urge_notices_instructions_and_their_notifications():
    from notifications.models import Notification
    from supervision.models import (
        ExtensionRequest,
        Instruction,
        InstructionAnswer,
        UrgeNotice,
        UrgeRecipient,
    )

    run(*SMALL, "--tasks", "1000")

    assert User.objects.filter(role=Role.LEADER).count() == 10
    requests = ExtensionRequest.objects.all()
    assert 10 <= requests.count() <= 30  # 3 % of 1,000 tasks, those with a deadline
    assert requests.filter(state="open").exists() and requests.filter(state="approved").exists()
    assert not requests.filter(new_due_date__lte=F("current_due_date")).exists()
    assert not requests.exclude(requested_by=F("task__owner")).exists()
    assert UrgeNotice.objects.count() == 20  # one per 50 tasks
    rows = UrgeRecipient.objects.all()
    assert rows.count() >= 20
    assert not rows.exclude(recipient=F("task__owner")).exists()
    assert {"sent", "acknowledged", "replied"} <= set(rows.values_list("state", flat=True))
    instructions = Instruction.objects.all()
    assert instructions.filter(task__isnull=False).count() == 10  # one per 100 tasks
    assert instructions.filter(task__isnull=True).count() == 18  # two per area
    assert not instructions.exclude(author__role=Role.LEADER).exists()
    assert InstructionAnswer.objects.filter(instruction__state="open").count() == 0
    assert InstructionAnswer.objects.exists()
    for model in (ExtensionRequest, UrgeNotice, UrgeRecipient, Instruction, InstructionAnswer):
        assert model.history.count() == model.objects.count()
    notified = Notification.objects.filter(kind="urge_received").count()
    assert notified == rows.count()
    assert Notification.objects.filter(read_at__isnull=True).exists()
