"""A supervisor sets a monthly report cycle in the admin; its deadline passes without a report;
the portal says "report missing" in the task list's filter and on the task page, in English and
in Chinese."""

import datetime

import pytest
from playwright.sync_api import expect

from supervision.models import Frequency, ReportCycle
from tests.factories import TaskFactory, UserFactory
from tests.workplan.days import portal_today

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

D = datetime.date
# Monthly on day 10: February's deadline, Saturday 02-10 in the Spring Festival, moves to the
# make-up working Sunday 02-18; on Monday 02-19 it has passed.
TODAY = D(2024, 2, 19)


@pytest.fixture
def today(monkeypatch):
    portal_today(monkeypatch, TODAY)
    monkeypatch.setattr("supervision.cycles.today", lambda: TODAY)


def test_a_monthly_cycle_passes_its_deadline_and_the_portal_says_report_missing(
    today, new_page, sign_in, supervisor, area, department, screenshot
):
    official = UserFactory(username="li.na", department=department, preferred_language="")
    task = TaskFactory(
        area=area,
        owner=official,
        title="Open the robot test field",
        title_zh="建成机器人测试场",
        start_date=D(2023, 12, 1),
        due_date=D(2024, 12, 31),
    )
    TaskFactory(area=area, owner=official, title="Build the chip fab", start_date=None)

    admin = new_page()
    sign_in(admin, supervisor.username)
    admin.goto("/admin/supervision/reportcycle/add/")
    admin.locator(".field-task .select2-selection").click()
    admin.fill(".select2-search__field", "robot")
    admin.locator(".select2-results__option", has_text="Open the robot test field").click()
    admin.select_option("select[name=frequency]", Frequency.MONTHLY)
    admin.fill("input[name=day_of_month]", "10")
    admin.fill("input[name=start_date]", "2024-01-01")
    admin.click("input[name=_save]")
    expect(admin.locator(".messagelist")).to_contain_text("was added successfully")
    cycle = ReportCycle.objects.get()
    assert (cycle.task, cycle.day_of_month, cycle.start_date) == (task, 10, D(2024, 1, 1))
    screenshot(admin, "admin-report-cycle")

    # The other task, in the same area, has no cycle: only the robot field owes a report.
    page = new_page(locale="en-US")
    sign_in(page, official.username)
    page.goto("/tasks/")
    page.check("input[name=report_missing]")
    page.click("#task-filters button[type=submit]")
    rows = page.locator("tr.task-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Open the robot test field")
    expect(rows.first.locator('[data-mark="report_missing"]')).to_have_text("Report missing")
    rows.first.locator("a").first.click()
    expect(page.locator('#task-heading [data-mark="report_missing"]')).to_have_text(
        "Report missing"
    )
    expect(page.locator('[data-note="report_missing"]')).to_contain_text("Feb. 18, 2024")
    expect(page.locator('[data-note="report_cycle"]')).to_contain_text(
        "Next report due March 11, 2024."
    )
    screenshot(page, "task-report-missing")

    chinese = new_page(locale="zh-CN")
    sign_in(chinese, official.username)
    chinese.goto("/tasks/")
    expect(chinese.locator("label[for=id_report_missing]")).to_have_text("仅看未按时报送")
    chinese.check("input[name=report_missing]")
    chinese.click("#task-filters button[type=submit]")
    rows = chinese.locator("tr.task-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("建成机器人测试场")
    expect(rows.first.locator('[data-mark="report_missing"]')).to_have_text("未按时报送")
    rows.first.locator("a").first.click()
    expect(chinese.locator('[data-note="report_missing"]')).to_contain_text("2024年2月18日")
    expect(chinese.locator('[data-note="report_cycle"]')).to_contain_text(
        "下次报送截止日期：2024年3月11日"
    )
    screenshot(chinese, "task-report-missing-zh-hans")
