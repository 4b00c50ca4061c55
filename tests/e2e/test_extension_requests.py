"""An official asks for an extension from the task page; a supervisor approves it in the admin."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from supervision.models import ExtensionRequest, ExtensionRequestState
from tests.factories import AreaFactory, TaskFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "locale": "en-US",
        "refused": "Ask for a date after the current due date",
        "sent": "Your extension request is sent",
        "approved": "Approved",
        "decided": "Extension approved: Build the data centre",
        "count": "The deadline was extended 1 time.",
        "inbox": "approved your extension request",
    },
    "zh-hans": {
        "locale": "zh-CN",
        "refused": "申请的完成时限须晚于当前完成时限",
        "sent": "延期申请已提交",
        "approved": "已批准",
        "decided": "已批准延期：建设数据中心",
        "count": "完成时限已延期1次。",
        "inbox": "批准了您关于",
    },
}


def _wait_for(predicate, timeout=10.0):
    deadline = timezone.now() + datetime.timedelta(seconds=timeout)
    while timezone.now() < deadline:
        if predicate():
            return True
    return predicate()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_official_asks_for_an_extension_and_a_supervisor_approves_it(
    new_page, live_server, sign_in, screenshot, language
):
    words = WORDS[language]
    official = UserFactory(username="wang.fang", role=Role.OFFICIAL, preferred_language=language)
    supervisor = UserFactory(username="zhao.lei", role=Role.SUPERVISOR, preferred_language=language)
    area = AreaFactory(title="Innovation", title_zh="创新")
    area.supervisors.add(supervisor)
    task = TaskFactory(
        area=area, owner=official, title="Build the data centre", title_zh="建设数据中心"
    )
    old_due = task.due_date
    new_due = old_due + datetime.timedelta(days=21)

    # The official asks, first for the same date (refused, the reason is kept), then later.
    page = new_page(locale=words["locale"])
    sign_in(page, official.username)
    page.goto(f"/tasks/{task.pk}/")
    form = page.locator("#extension-form")
    form.locator("input[name=new_due_date]").fill(old_due.isoformat())
    form.locator("textarea[name=reason]").fill("The permit office closed for a month.")
    form.locator("button[type=submit]").click()
    expect(page.locator("#extension-form")).to_contain_text(words["refused"])
    expect(page.locator("#extension-form textarea[name=reason]")).to_have_value(
        "The permit office closed for a month."
    )
    assert not ExtensionRequest.objects.exists()
    page.locator("#extension-form input[name=new_due_date]").fill(new_due.isoformat())
    page.locator("#extension-form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text(words["sent"])
    expect(page.locator("#extension-latest")).to_have_attribute("data-state", "open")
    expect(page.locator("#extension-form")).to_have_count(0)
    screenshot(page, f"extension-request-open-{language}")

    # The supervisor finds it counted on the admin index, opens it and approves it.
    admin = new_page(locale=words["locale"])
    admin.goto("/admin/")
    admin.fill("input[name=username]", supervisor.username)
    admin.fill("input[name=password]", "correct-horse-battery")
    admin.click("input[type=submit]")
    expect(admin.locator("#today-extension-requests .count")).to_have_text("1")
    admin.click("#today-extension-requests h2 a")
    rows = admin.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    rows.nth(0).locator("th a").click()
    admin.fill("textarea[name=comment]", "Granted, once.")
    admin.click("input[name=_approve]")
    expect(admin.locator(".messagelist")).to_contain_text(words["decided"])
    expect(admin.locator("#result_list tbody tr")).to_have_count(0)
    screenshot(admin, f"extension-request-queue-{language}")

    request = ExtensionRequest.objects.get()
    task.refresh_from_db()
    assert request.state == ExtensionRequestState.APPROVED
    assert task.due_date == new_due
    assert task.extensions.get().reason == "The permit office closed for a month."

    # The official sees the decision, the count, and a notification that opens the task.
    page.goto(f"/tasks/{task.pk}/")
    expect(page.locator("#extension-latest")).to_have_attribute("data-state", "approved")
    expect(page.locator("#extension-latest")).to_contain_text(words["approved"])
    expect(page.locator("#extension-count")).to_have_text(words["count"])
    expect(page.locator("#notification-count")).to_contain_text("1")
    page.click("#notification-bell")
    expect(page.locator("#notifications")).to_contain_text(words["inbox"])
    page.locator("#notifications a").first.click()
    expect(page).to_have_url(f"{live_server.url}/tasks/{task.pk}/")
    expect(page.locator("#notification-count")).to_have_count(0)
    assert _wait_for(lambda: any(official.email in m.to for m in mail.outbox))


def test_an_official_withdraws_an_open_request_from_the_task_page(page, sign_in):
    official = UserFactory(username="li.na", role=Role.OFFICIAL)
    task = TaskFactory(owner=official, title="Open the innovation hub")
    page.goto("/")
    sign_in(page, official.username)
    page.goto(f"/tasks/{task.pk}/")
    new_due = task.due_date + datetime.timedelta(days=10)
    page.locator("#extension-form input[name=new_due_date]").fill(new_due.isoformat())
    page.locator("#extension-form textarea[name=reason]").fill("Contractor changed.")
    page.locator("#extension-form button[type=submit]").click()
    expect(page.locator("#extension-latest")).to_have_attribute("data-state", "open")
    page.locator("#extension-withdraw button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("Your extension request is withdrawn.")
    expect(page.locator("#extension-latest")).to_have_attribute("data-state", "withdrawn")
    expect(page.locator("#extension-form")).to_have_count(1)
    assert ExtensionRequest.objects.get().state == ExtensionRequestState.WITHDRAWN
