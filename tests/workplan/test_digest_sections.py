"""The digest's other lists: what the apps above the plan add, in the same one mail a day."""

import datetime

import pytest
from django.core import mail
from django.utils.translation import gettext_lazy

from accounts.models import Language
from tests.factories import TaskFactory, UserFactory
from workplan.models import Reminder, ReminderKind, ReminderStatus
from workplan.reminders.jobs import send_reminders
from workplan.reminders.policy import reminders_for
from workplan.reminders.sections import DigestLine

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 6)  # a Wednesday, a working day
PATH = "tests.workplan.test_digest_sections.NOTICES"


class Notices:
    """A section listing numbered notices; the test decides who gets which and which are done."""

    key = "notices"
    heading = gettext_lazy("Overdue")  # any translated text: the mail shows it in its language

    def __init__(self):
        self.planned: dict[int, list[int]] = {}
        self.settled: set[int] = set()
        self.calls: list[datetime.date] = []

    def plan(self, date):
        self.calls.append(date)
        return self.planned

    def lines(self, ids, *, date):
        return [
            DigestLine(text=f"Notice {i}", url=f"https://portal.example/n/{i}", detail=str(date))
            for i in ids
            if i not in self.settled
        ]


NOTICES = Notices()


@pytest.fixture
def notices(settings):
    settings.REMINDER_DIGEST_SECTIONS = [PATH]
    NOTICES.planned, NOTICES.settled, NOTICES.calls = {}, set(), []
    return NOTICES


def test_someone_a_section_names_gets_a_digest_without_any_task(notices):
    leader = UserFactory(email="leader@example.com")
    notices.planned = {leader.pk: [7, 8]}

    (plan,) = reminders_for(DAY)

    assert (plan.recipient_id, plan.kind) == (leader.pk, ReminderKind.DIGEST)
    assert plan.sections == {"notices": [7, 8]}
    assert plan.overdue_task_ids == plan.due_soon_task_ids == []


def test_a_section_joins_the_digest_of_an_official_with_tasks(notices, official):
    task = TaskFactory(
        owner=official, start_date=datetime.date(2024, 1, 1), due_date=datetime.date(2024, 3, 5)
    )
    notices.planned = {official.pk: [3]}

    send_reminders.delay(date=DAY.isoformat())

    (message,) = mail.outbox
    assert message.subject == "1 overdue, 0 due soon: E-Town work plan"
    assert task.title in message.body
    assert "Notice 3" in message.body
    assert "https://portal.example/n/3" in message.alternatives[0][0]
    assert Reminder.objects.get().sections == {"notices": [3]}


def test_a_digest_of_sections_only_says_how_many_items_in_the_recipients_language(notices):
    leader = UserFactory(email="leader@example.com", preferred_language=Language.CHINESE)
    notices.planned = {leader.pk: [1, 2]}

    send_reminders.delay(date=DAY.isoformat())

    (message,) = mail.outbox
    assert "2" in message.subject
    assert "Notice 1" in message.body and "Notice 2" in message.body
    assert "\n逾期\n" in message.body  # the heading, in Chinese


def test_items_settled_between_dispatch_and_sending_are_left_out(notices):
    leader = UserFactory(email="leader@example.com")
    notices.planned = {leader.pk: [1, 2]}
    notices.settled = {1}

    send_reminders.delay(date=DAY.isoformat())

    (message,) = mail.outbox
    assert "Notice 1" not in message.body
    assert "Notice 2" in message.body


def test_a_digest_whose_items_are_all_settled_is_skipped_and_recorded(notices):
    leader = UserFactory(email="leader@example.com")
    notices.planned = {leader.pk: [1]}
    notices.settled = {1}

    send_reminders.delay(date=DAY.isoformat())

    assert mail.outbox == []
    assert Reminder.objects.get(recipient=leader).status == ReminderStatus.SKIPPED


def test_running_again_sends_nothing_new_and_a_day_off_asks_no_section(notices):
    leader = UserFactory(email="leader@example.com")
    notices.planned = {leader.pk: [1]}

    send_reminders.delay(date=DAY.isoformat())
    send_reminders.delay(date=DAY.isoformat())
    send_reminders.delay(date="2024-02-12")  # Spring Festival

    assert len(mail.outbox) == 1
    assert datetime.date(2024, 2, 12) not in notices.calls


def test_recipients_without_an_email_are_planned_as_skipped(notices):
    nobody = UserFactory(email="")
    notices.planned = {nobody.pk: [1]}

    (plan,) = reminders_for(DAY)

    assert plan.skip_reason != ""


def test_two_sections_with_one_key_are_refused(settings):
    settings.REMINDER_DIGEST_SECTIONS = [PATH, PATH]

    with pytest.raises(ValueError, match="share a key"):
        reminders_for(DAY)
