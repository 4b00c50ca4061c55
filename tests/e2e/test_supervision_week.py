"""One week of supervision, played in English and in Simplified Chinese through the real pages.

An official asks for an extension and a supervisor approves it in the admin; a leader writes an
instruction and urges two tasks; the owners acknowledge, reply and answer; a monthly report cycle
passes its deadline without a report, and the owner's digest says so; the notifications count in
the header rises and falls along the way. (The same digest through the real worker process and
SMTP server: tests/integration/test_supervision_digest.py.)
"""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Language, Role
from supervision.cycle_jobs import notify_missing_reports
from supervision.models import (
    ExtensionRequest,
    ExtensionRequestState,
    Frequency,
    Instruction,
    InstructionState,
    ReportCycle,
    UrgeRecipient,
    UrgeState,
)
from tests.factories import AreaFactory, DepartmentFactory, TaskFactory, UserFactory
from tests.workplan.days import portal_today
from workplan.reminders.jobs import send_reminders

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

D = datetime.date
# Monthly on day 10: February's deadline, Saturday 02-10 in the Spring Festival, moves to the
# make-up working Sunday 02-18; on Monday 02-19 it has passed without a report.
TODAY = D(2024, 2, 19)
DUE = D(2024, 12, 31)
EXTENDED = D(2025, 1, 31)

WORDS = {
    Language.ENGLISH: {
        "locale": "en-US",
        "extension_sent": "Your extension request is sent",
        "decided": "Extension approved: Open the bonded zone",
        "extension_count": "The deadline was extended 1 time.",
        "extension_inbox": "approved your extension request",
        "instruction_sent": "Your instruction is sent",
        "urge_sent": "The urge notice is sent",
        "acknowledged": "You acknowledged",
        "replied": "Your reply is sent",
        "answered": "Your response is sent",
        "closed": "The instruction is closed",
        "missing": "Report missing",
        "missing_inbox": "is missing",
        "fair": "Hold the trade fair",
        "digest_missing": "The report due Feb. 18, 2024 was not received.",
    },
    Language.CHINESE: {
        "locale": "zh-CN",
        "extension_sent": "延期申请已提交",
        "decided": "已批准延期：建成综合保税区",
        "extension_count": "完成时限已延期1次。",
        "extension_inbox": "批准了您关于",
        "instruction_sent": "批示已发送",
        "urge_sent": "催办单已发送",
        "acknowledged": "您已签收",
        "replied": "您的反馈已发送",
        "answered": "落实情况已报送",
        "closed": "批示已办结",
        "missing": "未按时报送",
        "missing_inbox": "未按时报送",
        "fair": "举办投资洽谈会",
        "digest_missing": "2024年2月18日",
    },
}


@pytest.fixture
def today(monkeypatch):
    portal_today(monkeypatch, TODAY)
    monkeypatch.setattr("supervision.cycles.today", lambda: TODAY)


@pytest.fixture
def week(db, today):
    department = DepartmentFactory(name="Commerce Bureau", name_zh="商务局")
    supervisor = UserFactory(username="zhao.lei", role=Role.SUPERVISOR, department=None)
    area = AreaFactory(number=3, title="Open up the economy", title_zh="扩大对外开放")
    area.supervisors.add(supervisor)
    owners = [
        UserFactory(
            username=name,
            first_name=first,
            last_name="Li",
            email=f"{name}@etown.example",
            department=department,
        )
        for name, first in [("li.na", "Na"), ("li.wei", "Wei")]
    ]
    tasks = [
        TaskFactory(
            area=area,
            owner=owners[0],
            title="Open the bonded zone",
            title_zh="建成综合保税区",
            start_date=D(2023, 12, 1),
            due_date=DUE,
        ),
        TaskFactory(
            area=area,
            owner=owners[1],
            title="Hold the trade fair",
            title_zh="举办投资洽谈会",
            start_date=D(2023, 12, 1),
            due_date=DUE,
        ),
    ]
    ReportCycle.objects.create(
        task=tasks[1], frequency=Frequency.MONTHLY, day_of_month=10, start_date=D(2024, 1, 1)
    )
    leader = UserFactory(
        username="leader1", first_name="Ming", last_name="Zhao", role=Role.LEADER, department=None
    )
    return {"supervisor": supervisor, "leader": leader, "owners": owners, "tasks": tasks}


def _speak(users, language):
    for user in users:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


def _flash(page):
    return page.locator(".alert-success").first


def _unread(page) -> int:
    """Return the unread count the header shows (0 when there is no badge)."""
    badge = page.locator("#notification-count")
    if badge.count() == 0:
        return 0
    return int(re.match(r"\d+", badge.inner_text()).group())


def _admin_sign_in(page, user):
    page.goto("/admin/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("input[type=submit]")


@pytest.mark.parametrize("language", [Language.ENGLISH, Language.CHINESE])
def test_one_week_of_supervision(new_page, sign_in, screenshot, week, language):
    words = WORDS[language]
    lang = "en" if language == Language.ENGLISH else "zh"
    supervisor, leader, owners, tasks = (
        week["supervisor"],
        week["leader"],
        week["owners"],
        week["tasks"],
    )
    _speak([supervisor, leader, *owners], language)

    # Monday: Li Na asks for a month more on the bonded zone.
    na = new_page(locale=words["locale"])
    sign_in(na, owners[0].username)
    assert _unread(na) == 0
    na.goto(f"/tasks/{tasks[0].pk}/")
    na.locator("#extension-form input[name=new_due_date]").fill(EXTENDED.isoformat())
    na.locator("#extension-form textarea[name=reason]").fill("Customs moved the inspection.")
    na.locator("#extension-form button[type=submit]").click()
    expect(_flash(na)).to_contain_text(words["extension_sent"])
    expect(na.locator("#extension-latest")).to_have_attribute("data-state", "open")

    # The area's supervisor approves it from the admin queue.
    desk = new_page(locale=words["locale"])
    _admin_sign_in(desk, supervisor)
    expect(desk.locator("#today-extension-requests .count")).to_have_text("1")
    desk.click("#today-extension-requests h2 a")
    desk.locator("#result_list tbody tr").nth(0).locator("th a").click()
    desk.fill("textarea[name=comment]", "Granted, once.")
    desk.click("input[name=_approve]")
    expect(desk.locator(".messagelist")).to_contain_text(words["decided"])
    expect(desk.locator("#result_list tbody tr")).to_have_count(0)
    desk.context.close()
    assert ExtensionRequest.objects.get().state == ExtensionRequestState.APPROVED

    # Li Na's bell rings once; opening the notification lands on the task and silences it.
    na.goto("/")
    expect(na.locator("#notification-count")).to_contain_text("1")
    na.click("#notification-bell")
    expect(na.locator("#notifications")).to_contain_text(words["extension_inbox"])
    na.locator("#notifications a").first.click()
    expect(na.locator("#extension-latest")).to_have_attribute("data-state", "approved")
    expect(na.locator("#extension-count")).to_have_text(words["extension_count"])
    expect(na.locator("#notification-count")).to_have_count(0)
    screenshot(na, f"week-1-extension-approved-{lang}")

    # Tuesday: the leader writes an instruction on the bonded zone and urges both tasks.
    boss = new_page(locale=words["locale"])
    sign_in(boss, leader.username)
    boss.goto(f"/tasks/{tasks[0].pk}/")
    boss.click("#instruct summary")
    boss.fill("#instruction-form textarea[name=text]", "Finish customs checks before June.")
    boss.click("#instruction-form button[type=submit]")
    expect(_flash(boss)).to_contain_text(words["instruction_sent"])
    for task in tasks:
        boss.goto(f"/tasks/{task.pk}/")
        boss.click("#urge summary")
        boss.fill("#urge-form textarea[name=message]", f"Report on {task.title} by Friday.")
        boss.click("#urge-form button[type=submit]")
        expect(_flash(boss)).to_contain_text(words["urge_sent"])

    # Wednesday: Li Na finds both on her dashboard and the count up by two; she acknowledges,
    # replies and answers the instruction.
    na.goto("/")
    expect(na.locator("#notification-count")).to_contain_text("2")
    expect(na.locator("#dashboard-instructions .instruction")).to_have_count(1)
    expect(na.locator("#dashboard-urges .urge")).to_have_count(1)
    screenshot(na, f"week-2-owner-dashboard-{lang}")
    na.click("#dashboard-urges .urge a")
    na.click(".urge-acknowledge-form button")
    expect(_flash(na)).to_contain_text(words["acknowledged"])
    na.fill(".urge-reply-form textarea[name=reply]", "Inspectors booked; on track.")
    na.click(".urge-reply-form button")
    expect(_flash(na)).to_contain_text(words["replied"])
    na.fill(".instruction-answer-form textarea[name=text]", "Checks booked for 20 May.")
    na.click(".instruction-answer-form button")
    expect(_flash(na)).to_contain_text(words["answered"])
    expect(na.locator("#instructions .instruction-answer")).to_contain_text(
        "Checks booked for 20 May."
    )
    na.goto("/notifications/")
    na.click("#mark-all-read")
    expect(na.locator("#notification-count")).to_have_count(0)

    # Li Wei acknowledges and replies too.
    wei = new_page(locale=words["locale"])
    sign_in(wei, owners[1].username)
    expect(wei.locator("#notification-count")).to_contain_text("1")
    wei.click("#dashboard-urges .urge a")
    wei.click(".urge-acknowledge-form button")
    expect(_flash(wei)).to_contain_text(words["acknowledged"])
    wei.fill(".urge-reply-form textarea[name=reply]", "Hall booked for April.")
    wei.click(".urge-reply-form button")
    expect(_flash(wei)).to_contain_text(words["replied"])
    expect(wei.locator("#urges .urge[data-state=replied]")).to_have_count(1)

    # The leader sees both replies and the answer, and closes the instruction.
    boss.goto("/urges/")
    expect(boss.locator("#notices tbody tr")).to_have_count(2)
    expect(boss.locator("#notices .count-replied")).to_have_text(["1", "1"])
    boss.goto("/instructions/")
    expect(boss.locator("#instruction-list .instruction-answer")).to_contain_text(
        "Checks booked for 20 May."
    )
    screenshot(boss, f"week-3-leader-instructions-{lang}")
    boss.click(".instruction-close-form button")
    expect(_flash(boss)).to_contain_text(words["closed"])
    expect(boss.locator("#instruction-list .instruction")).to_have_count(0)

    # Monday 19 February: the trade fair's monthly report, due Sunday 18, never came. The daily
    # cycle job records it and rings Li Wei's bell; the task says so; so does the digest.
    wei.goto("/")
    before = _unread(wei)
    assert notify_missing_reports.delay(date=TODAY.isoformat()).get() == 1
    wei.goto(f"/tasks/{tasks[1].pk}/")
    expect(wei.locator("#notification-count")).to_contain_text(str(before + 1))
    expect(wei.locator('#task-heading [data-mark="report_missing"]')).to_have_text(words["missing"])
    wei.click("#notification-bell")
    expect(wei.locator("#notifications li").first).to_contain_text(words["missing_inbox"])
    screenshot(wei, f"week-4-report-missing-{lang}")
    wei.click("#mark-all-read")
    expect(wei.locator("#notification-count")).to_have_count(0)

    mail.outbox.clear()
    send_reminders.delay(date=TODAY.isoformat())
    digests = [message for message in mail.outbox if message.to == [owners[1].email]]
    assert len(digests) == 1
    assert words["missing"] in digests[0].body
    assert words["fair"] in digests[0].body
    assert words["digest_missing"] in digests[0].body
    assert f"/tasks/{tasks[1].pk}/" in digests[0].body

    assert set(UrgeRecipient.objects.values_list("state", flat=True)) == {UrgeState.REPLIED}
    assert Instruction.objects.get().state == InstructionState.CLOSED
    tasks[0].refresh_from_db()
    assert tasks[0].due_date == EXTENDED
