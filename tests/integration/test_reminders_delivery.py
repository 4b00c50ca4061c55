"""Reminders end to end: real PostgreSQL, Redis, `celery worker` process and SMTP server."""

import collections
import dataclasses
import datetime
import re
import signal

import pytest

from accounts.models import Role, User
from tests.factories import AreaFactory
from tests.integration.conftest import wait_for
from workplan.models import Reminder, ReminderStatus, Task, TaskStatus

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DAY = "2024-03-06"  # a Wednesday: due soon means due by Friday 8 March
D = datetime.date


@dataclasses.dataclass
class Expected:
    digests: dict  # email -> set of task ids it must list
    skipped: int


def build_officials(count: int) -> Expected:
    """Create `count` officials with a mix of overdue, due-soon, distant and completed tasks."""
    areas = [AreaFactory() for _ in range(3)]
    supervisor = User.objects.create_user(
        "it-supervisor", "it-supervisor@etown.example", "x" * 12, role=Role.SUPERVISOR
    )
    areas[0].supervisors.add(supervisor)
    users = User.objects.bulk_create(
        [
            User(
                username=f"it-official-{i}",
                email="" if i % 50 == 3 else f"it-official-{i}@etown.example",
                is_active=i % 50 != 4,
                role=Role.OFFICIAL,
            )
            for i in range(count)
        ]
    )
    tasks, expected = [], collections.defaultdict(set)

    def add(user, due, status=TaskStatus.IN_PROGRESS, area=None):
        task = Task(
            area=area or areas[len(tasks) % 3],
            title=f"Task {len(tasks)} of {user.username}",
            owner=user,
            start_date=D(2024, 1, 1),
            due_date=due,
            status=status,
        )
        tasks.append(task)
        return task

    plan = []
    for i, user in enumerate(users):
        plan.append((user, add(user, D(2024, 4, 30)), False))  # distant: never listed
        if i % 2 == 0:
            plan.append((user, add(user, D(2024, 3, 1)), True))  # overdue
        if i % 3 == 0:
            plan.append((user, add(user, D(2024, 3, 8)), True))  # due Friday: due soon
        if i % 5 == 0:
            plan.append((user, add(user, D(2024, 3, 1), TaskStatus.COMPLETED), False))
        if i % 10 == 1:
            plan.append((user, add(user, D(2024, 2, 20), area=areas[0]), True))  # escalated
    Task.objects.bulk_create(tasks)
    skipped = set()
    for user, task, listed in plan:
        if not listed:
            continue
        if not user.is_active or not user.email:
            skipped.add(user.pk)
            continue
        expected[user.email].add(task.pk)
        if task.area_id == areas[0].pk and task.due_date < D(2024, 2, 28):
            expected[supervisor.email].add(task.pk)
    return Expected(digests=dict(expected), skipped=len(skipped))


def linked_task_ids(message) -> set[int]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return {int(pk) for pk in re.findall(r"https://plan\.etown\.example/tasks/(\d+)/", text)}


def all_settled() -> bool:
    return not Reminder.objects.filter(
        status__in=[ReminderStatus.PENDING, ReminderStatus.SENDING]
    ).exists()


def assert_each_digest_once(received, expected: Expected):
    by_recipient = collections.Counter(str(m["To"]) for m in received)
    duplicates = {to: n for to, n in by_recipient.items() if n > 1}
    assert duplicates == {}
    assert set(by_recipient) == set(expected.digests)
    for message in received:
        assert linked_task_ids(message) == expected.digests[str(message["To"])]
        assert message["Auto-Submitted"] == "auto-generated"
    statuses = collections.Counter(Reminder.objects.values_list("status", flat=True))
    assert statuses == {ReminderStatus.SENT: len(expected.digests), "skipped": expected.skipped}


def test_200_officials_get_exactly_the_expected_digests_once_and_a_rerun_sends_nothing(
    start_worker, smtp_sink, broker
):
    expected = build_officials(200)
    start_worker()

    first = broker(DAY)

    assert first["to_send"] == len(expected.digests)
    wait_for(
        lambda: len(smtp_sink.received()) >= len(expected.digests) and all_settled(),
        timeout=60,
        message="every digest to arrive",
    )
    assert_each_digest_once(smtp_sink.received(), expected)

    second = broker(DAY)

    assert second == {"date": DAY, "to_send": 0, "jobs": 0}
    assert len(smtp_sink.received()) == len(expected.digests)


def test_an_smtp_server_refusing_mail_for_a_while_ends_with_every_digest_delivered_once(
    start_worker, smtp_sink, broker
):
    expected = build_officials(60)
    smtp_sink.refuse = 15
    start_worker()

    broker(DAY)

    wait_for(
        lambda: len(smtp_sink.received()) >= len(expected.digests) and all_settled(),
        timeout=90,
        message="every digest to arrive after the refusals",
    )
    assert smtp_sink.refused == 15
    assert_each_digest_once(smtp_sink.received(), expected)
    assert Reminder.objects.filter(attempts__gt=1).exists()


def test_a_worker_killed_mid_run_and_restarted_leaves_no_digest_missing_or_doubled(
    start_worker, smtp_sink, broker
):
    expected = build_officials(200)
    smtp_sink.hold_at = 40  # the 40th message hangs: the worker is mid-send when it dies
    worker = start_worker(concurrency=1)

    broker(DAY)
    wait_for(smtp_sink.holding.is_set, timeout=60, message="the run to reach message 40")
    worker.kill(signal.SIGKILL)
    assert Reminder.objects.filter(status=ReminderStatus.SENDING).exists()
    assert len(smtp_sink.received()) < len(expected.digests)
    smtp_sink.hold_at = None
    smtp_sink.release.set()

    start_worker(concurrency=1)

    wait_for(
        lambda: len(smtp_sink.received()) >= len(expected.digests) and all_settled(),
        timeout=90,
        message="the restarted worker to send what was left",
    )
    assert_each_digest_once(smtp_sink.received(), expected)
