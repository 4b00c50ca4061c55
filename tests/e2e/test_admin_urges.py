"""The back office's urge action and instruction close action, through their real pages."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from supervision.models import Instruction, InstructionState, UrgeNotice
from supervision.services import instruction_write
from tests.factories import TaskFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _admin_sign_in(page, user):
    page.goto("/admin/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("input[type=submit]")


def test_a_supervisor_urges_two_tasks_with_one_notice_from_the_task_list(
    page, supervisor, area, official, screenshot
):
    tasks = [
        TaskFactory(area=area, owner=official, title="Widen the east ring road"),
        TaskFactory(area=area, title="Plant the riverside park"),
    ]
    _admin_sign_in(page, supervisor)
    page.goto("/admin/workplan/task/")
    for task in tasks:
        page.check(f"#result_list input[name=_selected_action][value='{task.pk}']")
    page.select_option("select[name=action]", "urge_tasks")
    page.click("button[name=index]")
    page.fill("textarea[name=message]", "")
    page.click("input[name=apply]")  # an empty message: the browser keeps the form
    page.fill("textarea[name=message]", "Both are behind: report by Friday.")
    screenshot(page, "admin-urge-action")
    page.click("input[name=apply]")
    expect(page.locator(".messagelist")).to_contain_text("2")

    notice = UrgeNotice.objects.get()
    assert notice.sender == supervisor
    assert sorted(notice.recipients.values_list("task_id", flat=True)) == sorted(
        task.pk for task in tasks
    )
    page.goto("/admin/supervision/urgerecipient/")
    expect(page.locator("#result_list tbody tr")).to_have_count(2)


def test_a_supervisor_closes_an_instruction_in_the_back_office(page, supervisor, area, task):
    leader = UserFactory(role=Role.LEADER, department=None)
    instruction = instruction_write(author=leader, task=task, text="Speed up")
    _admin_sign_in(page, supervisor)
    page.goto("/admin/supervision/instruction/")
    page.check(f"#result_list input[name=_selected_action][value='{instruction.pk}']")
    page.select_option("select[name=action]", "close_selected")
    page.click("button[name=index]")
    expect(page.locator(".messagelist")).to_contain_text("1")
    instruction.refresh_from_db()
    assert (instruction.state, instruction.closed_by) == (InstructionState.CLOSED, supervisor)
    assert Instruction.objects.count() == 1
