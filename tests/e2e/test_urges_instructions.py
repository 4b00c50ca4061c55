"""A leader writes an instruction and urges two tasks; the owners acknowledge, reply, answer.

Played in English and in Simplified Chinese, through the real pages and forms.
"""

import pytest
from playwright.sync_api import expect

from accounts.models import Language, Role
from supervision.models import Instruction, InstructionState, UrgeRecipient, UrgeState
from tests.factories import AreaFactory, DepartmentFactory, TaskFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORDS = {
    Language.ENGLISH: {
        "locale": "en-US",
        "instruction_sent": "Your instruction is sent",
        "urge_sent": "The urge notice is sent",
        "acknowledged": "You acknowledged",
        "replied": "Your reply is sent",
        "answered": "Your response is sent",
        "closed": "The instruction is closed",
        "state_replied": "Replied",
    },
    Language.CHINESE: {
        "locale": "zh-CN",
        "instruction_sent": "批示已发送",
        "urge_sent": "催办单已发送",
        "acknowledged": "您已签收",
        "replied": "您的反馈已发送",
        "answered": "落实情况已报送",
        "closed": "批示已办结",
        "state_replied": "已反馈",
    },
}


@pytest.fixture
def plan(db):
    department = DepartmentFactory(name="Commerce Bureau", name_zh="商务局")
    area = AreaFactory(number=3, title="Open up the economy", title_zh="扩大对外开放")
    owners = [
        UserFactory(username=name, first_name=first, last_name="Li", department=department)
        for name, first in [("li.na", "Na"), ("li.wei", "Wei")]
    ]
    tasks = [
        TaskFactory(
            area=area, owner=owners[0], title="Open the bonded zone", title_zh="建成综合保税区"
        ),
        TaskFactory(
            area=area, owner=owners[1], title="Hold the trade fair", title_zh="举办投资洽谈会"
        ),
    ]
    leader = UserFactory(
        username="leader1", first_name="Ming", last_name="Zhao", role=Role.LEADER, department=None
    )
    return {"leader": leader, "owners": owners, "tasks": tasks}


def _speak(users, language):
    for user in users:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


def _flash(page):
    return page.locator("main .alert-success, .alert-success").first


@pytest.mark.parametrize("language", [Language.ENGLISH, Language.CHINESE])
def test_a_leader_instructs_and_urges_and_the_owners_acknowledge_reply_and_answer(
    new_page, sign_in, screenshot, plan, language
):
    words = WORDS[language]
    lang = "en" if language == Language.ENGLISH else "zh"
    leader, owners, tasks = plan["leader"], plan["owners"], plan["tasks"]
    _speak([leader, *owners], language)

    # The leader writes an instruction on the first task, then urges both.
    desk = new_page(locale=words["locale"])
    sign_in(desk, leader.username)
    desk.goto(f"/tasks/{tasks[0].pk}/")
    desk.click("#instruct summary")
    desk.fill("#instruction-form textarea[name=text]", "Finish customs checks before June.")
    desk.click("#instruction-form button[type=submit]")
    expect(_flash(desk)).to_contain_text(words["instruction_sent"])
    for number, task in enumerate(tasks):
        desk.goto(f"/tasks/{task.pk}/")
        desk.click("#urge summary")
        if number == 0:
            # Blanks only: refused, and the form comes back on a page of its own.
            desk.fill("#urge-form textarea[name=message]", "   ")
            desk.click("#urge-form button[type=submit]")
            expect(desk.locator("#urge-form .invalid-feedback")).to_be_visible()
        desk.fill("#urge-form textarea[name=message]", f"Report on {task.title} by Friday.")
        desk.click("#urge-form button[type=submit]")
        expect(_flash(desk)).to_contain_text(words["urge_sent"])
    expect(desk.locator("#urges .urge[data-state=sent]")).to_have_count(1)
    screenshot(desk, f"urges-leader-task-page-{lang}")

    # Each owner sees both on their dashboard, acknowledges and replies; the first answers.
    for number, owner in enumerate(owners):
        page = new_page(locale=words["locale"])
        sign_in(page, owner.username)
        expect(page.locator("#dashboard-urges .urge")).to_have_count(1)
        if number == 0:
            expect(page.locator("#dashboard-instructions .instruction")).to_have_count(1)
            screenshot(page, f"urges-owner-dashboard-{lang}")
        page.click("#dashboard-urges .urge a")
        page.click(".urge-acknowledge-form button")
        expect(_flash(page)).to_contain_text(words["acknowledged"])
        if number == 1:
            # Blanks only: refused, and the reply form comes back on a page of its own.
            page.fill(".urge-reply-form textarea[name=reply]", "  ")
            page.click(".urge-reply-form button")
            expect(page.locator(".urge-reply-form .invalid-feedback")).to_be_visible()
        page.fill(".urge-reply-form textarea[name=reply]", "Customs office staffed; on track.")
        page.click(".urge-reply-form button")
        expect(_flash(page)).to_contain_text(words["replied"])
        expect(page.locator("#urges .urge[data-state=replied]")).to_have_count(1)
        if number == 0:
            page.fill(".instruction-answer-form textarea[name=text]", "Checks booked for 20 May.")
            page.click(".instruction-answer-form button")
            expect(_flash(page)).to_contain_text(words["answered"])
            expect(page.locator("#instructions .instruction-answer")).to_contain_text(
                "Checks booked for 20 May."
            )
            screenshot(page, f"urges-owner-task-page-{lang}")
        page.context.close()

    # The leader follows the notices and the answer, then closes the instruction.
    desk.goto("/urges/")
    rows = desk.locator("#notices tbody tr")
    expect(rows).to_have_count(2)
    expect(desk.locator("#notices .count-replied")).to_have_text(["1", "1"])
    desk.click("#notices tbody tr:first-child a")
    expect(desk.locator("#recipients .urge-state")).to_have_text(words["state_replied"])
    screenshot(desk, f"urges-leader-notice-{lang}")
    desk.goto("/instructions/")
    expect(desk.locator("#instruction-list .instruction-answer")).to_contain_text(
        "Checks booked for 20 May."
    )
    screenshot(desk, f"urges-leader-instructions-{lang}")
    desk.click(".instruction-close-form button")
    expect(_flash(desk)).to_contain_text(words["closed"])
    expect(desk.locator("#instruction-list .instruction")).to_have_count(0)

    assert set(UrgeRecipient.objects.values_list("state", flat=True)) == {UrgeState.REPLIED}
    assert Instruction.objects.get().state == InstructionState.CLOSED
