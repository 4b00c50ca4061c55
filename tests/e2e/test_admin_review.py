import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import ProgressReportFactory, TaskFactory
from workplan.models import ReviewState

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, timeout=10.0):
    deadline = timezone.now() + datetime.timedelta(seconds=timeout)
    while timezone.now() < deadline:
        if predicate():
            return True
    return predicate()


def test_a_supervisor_returns_one_report_with_a_comment_and_approves_another(
    page, live_server, supervisor, area, official, screenshot
):
    now = timezone.now()
    first = ProgressReportFactory(
        task=TaskFactory(area=area, owner=official, title="Open the biotech incubator"),
        progress=40,
        note="Tenants signed.",
        created_at=now - datetime.timedelta(days=2),
    )
    second = ProgressReportFactory(
        task=TaskFactory(area=area, owner=official, title="Extend metro line 17"),
        progress=70,
        note="Tunnel done.",
        created_at=now - datetime.timedelta(days=1),
    )

    page.goto("/admin/")
    page.fill("input[name=username]", supervisor.username)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("input[type=submit]")
    expect(page.locator("#today-reviews .count")).to_have_text("2")
    screenshot(page, "admin-index")

    page.click("#today-reviews h2 a")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Open the biotech incubator")  # oldest first
    screenshot(page, "admin-review-queue")

    rows.nth(0).locator("th a").click()
    page.fill("textarea[name=comment]", "Please attach the signed leases.")
    page.click("input[name=_return]")
    expect(page.locator(".messagelist")).to_contain_text("Returned")

    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.nth(0)).to_contain_text("Extend metro line 17")
    rows.nth(0).locator("th a").click()
    page.click("input[name=_approve]")
    expect(page.locator(".messagelist")).to_contain_text("Approved")
    expect(page.locator("#result_list tbody tr")).to_have_count(0)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.review_state == ReviewState.RETURNED
    assert first.review_comment == "Please attach the signed leases."
    assert second.review_state == ReviewState.APPROVED
    second.task.refresh_from_db()
    assert second.task.progress == 70
    assert _wait_for(lambda: len(mail.outbox) == 2)
    assert "Please attach the signed leases." in mail.outbox[0].body


def test_a_supervisor_extends_a_deadline_from_the_task_page_giving_a_reason(
    page, supervisor, area, official, screenshot
):
    task = TaskFactory(area=area, owner=official, title="Build the data centre")
    new_date = task.due_date + datetime.timedelta(days=21)

    page.goto("/admin/")
    page.fill("input[name=username]", supervisor.username)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("input[type=submit]")
    page.goto(f"/admin/workplan/task/{task.pk}/change/")
    screenshot(page, "admin-task-change")
    page.click("button:has-text('Extend deadline')")
    page.fill("input[name=new_due_date]", new_date.isoformat())
    expect(page.locator("textarea[name=reason]")).to_have_attribute("required", "")
    page.fill("textarea[name=reason]", "The permit office closed for a month.")
    page.click("input[name=apply]")
    expect(page.locator(".messagelist")).to_contain_text("Extended the deadline of 1 task.")
    screenshot(page, "admin-task-list")

    task.refresh_from_db()
    assert task.due_date == new_date
    assert task.extensions.get().reason == "The permit office closed for a month."
