"""`make run`'s supervision demo: leader1 finds instructions and urge notices, official1 an open
extension request, and a monthly report cycle has a missing report."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from notifications.models import Notification, NotificationKind
from supervision.cycles import missing_tasks
from supervision.models import (
    ExtensionRequest,
    ExtensionRequestState,
    Instruction,
    InstructionState,
    ReportCycle,
    UrgeNotice,
    UrgeState,
)

pytestmark = pytest.mark.django_db


def test_the_demo_gives_leader1_instructions_and_notices_and_a_second_run_adds_nothing():
    call_command("load_workplan", demo=True, verbosity=0)
    out = io.StringIO()
    call_command("load_supervision_demo", stdout=out)
    assert "3 instructions, 2 urge notices" in out.getvalue()

    leader = User.objects.get(username="leader1")
    instructions = Instruction.objects.filter(author=leader)
    assert instructions.count() == 3
    assert instructions.filter(state=InstructionState.ANSWERED).count() == 1
    notices = UrgeNotice.objects.filter(sender=leader)
    assert notices.count() == 2
    states = sorted(row.state for notice in notices for row in notice.recipients.all())
    assert states == sorted([UrgeState.REPLIED, UrgeState.SENT, UrgeState.SENT])
    request = ExtensionRequest.objects.get()
    assert (request.state, request.requested_by.username) == (
        ExtensionRequestState.OPEN,
        "official1",
    )
    cycle = ReportCycle.objects.get()
    assert list(missing_tasks()) == [cycle.task]
    assert Notification.objects.filter(
        recipient=cycle.task.owner, kind=NotificationKind.REPORT_MISSING
    ).exists()

    call_command("load_supervision_demo", stdout=io.StringIO())
    assert (Instruction.objects.count(), UrgeNotice.objects.count()) == (3, 2)
    assert ExtensionRequest.objects.count() == ReportCycle.objects.count() == 1


def test_without_the_demo_plan_nothing_is_added():
    out = io.StringIO()
    call_command("load_supervision_demo", stdout=out)
    assert "nothing added" in out.getvalue()
    assert not Instruction.objects.exists()
