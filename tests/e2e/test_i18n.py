"""The official's week of tests/e2e/test_portal.py, in Simplified Chinese, down to the digest."""

import datetime
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from tests.e2e.conftest import PHONE
from tests.factories import AreaFactory, DepartmentFactory, TaskFactory, UserFactory
from tests.workplan.evidence_samples import PDF_BYTES
from workplan.calendar import is_working_day
from workplan.models import ProgressReport, ReviewState, today

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def days(n):
    return today() + datetime.timedelta(days=n)


def last_working_day():
    day = today()
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


@pytest.fixture
def workload(db):
    department = DepartmentFactory(name="Science and Technology Bureau", name_zh="科技创新局")
    official = UserFactory(
        username="wang.fang",
        first_name="Fang",
        last_name="Wang",
        department=department,
        preferred_language="",
    )
    area = AreaFactory(
        number=1, title="Build a world-class industrial cluster", title_zh="打造世界级产业集群"
    )
    overdue = TaskFactory(
        area=area,
        owner=official,
        title="Put 5G base stations into service",
        title_zh="推动5G基站投入使用",
        start_date=days(-60),
        due_date=days(-20),
        progress=40,
    )
    TaskFactory(
        area=area,
        owner=official,
        title="Open the robot test field",
        title_zh="建成机器人测试场",
        due_date=days(40),
    )
    return {"official": official, "task": overdue}


def switch_language(page, language):
    page.select_option("#language-select", language)
    page.click("#language-switcher-form [type=submit]")
    page.wait_for_load_state()


def wait_for_charts(page):
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-months') !== undefined")


def test_an_official_switches_to_chinese_reports_and_gets_a_chinese_digest(
    new_page, sign_in, screenshot, workload
):
    official, task = workload["official"], workload["task"]
    page = new_page(locale="en-US")
    page.emulate_media(reduced_motion="reduce")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # Before signing in: the sign-in page switches to Chinese with the header's switcher.
    page.goto("/accounts/login/")
    assert page.locator("h1").inner_text() == "Sign in"
    switch_language(page, "zh-hans")
    assert page.locator("h1").inner_text() == "登录"
    assert page.locator("html").get_attribute("lang") == "zh-hans"

    # Signed in, the browser's choice carries over: the dashboard is Chinese.
    sign_in(page, official.username)
    assert page.locator("h1").inner_text() == "工作台（我的工作）"
    assert "逾期" in page.locator("body").inner_text()
    first_row = page.locator("tr.task-row").first
    assert "推动5G基站投入使用" in first_row.inner_text()
    wait_for_charts(page)
    screenshot(page, "dashboard-zh-hans")

    # Switching while signed in is kept as the official's preference, both ways.
    switch_language(page, "en")
    assert page.locator("h1").inner_text() == "My work"
    assert task.title in page.locator("tr.task-row").first.inner_text()
    wait_for_charts(page)
    screenshot(page, "dashboard-en")
    official.refresh_from_db()
    assert official.preferred_language == "en"
    switch_language(page, "zh-hans")
    official.refresh_from_db()
    assert official.preferred_language == "zh-hans"

    # The report, in Chinese.
    page.get_by_role("link", name="推动5G基站投入使用").first.click()
    page.wait_for_url(f"**/tasks/{task.pk}/")
    assert "逾期20天" in page.locator("#due").inner_text()
    assert "牵头单位" in page.locator("body").inner_text()
    assert "科技创新局" in page.locator("body").inner_text()
    start = task.start_date
    assert f"{start.year}年{start.month}月{start.day}日" in page.locator("body").inner_text()
    assert page.get_by_role("button", name="提交进展报告").is_visible()
    page.fill("input[name=progress]", "60")
    page.select_option("select[name=status]", "in_progress")
    page.fill("textarea[name=note]", "A、B园区基站已开通，C园区等待供电。")
    page.set_input_files(
        "input[name=evidence]",
        files=[{"name": "验收报告.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
    )
    page.click("#report-form [type=submit]")
    page.wait_for_url(f"**/tasks/{task.pk}/")
    latest = page.locator("#timeline > li").first
    assert latest.locator(".review-state").inner_text() == "待审核"
    assert "60%" in latest.inner_text()
    assert "A、B园区基站已开通" in latest.inner_text()
    assert "待审核" in page.locator("#progress").inner_text()
    report = ProgressReport.objects.get(task=task)
    assert report.review_state == ReviewState.PENDING
    screenshot(page, "detail-zh-hans")

    # On a phone the switcher stays in sight, outside the collapsed menu.
    phone = new_page(locale="zh-CN", viewport=PHONE)
    phone.emulate_media(reduced_motion="reduce")
    sign_in(phone, official.username)
    assert phone.locator("h1").inner_text() == "工作台（我的工作）"
    assert phone.locator("#language-select").is_visible()
    assert phone.locator("#language-switcher-form [type=submit]").is_visible()
    screenshot(phone, "dashboard-zh-hans-phone")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert errors == []

    # The next working day's digest reaches the same official in Chinese.
    mail.outbox = []
    day = last_working_day()
    call_command("send_reminders", "--date", day.isoformat(), stdout=StringIO())
    (message,) = [m for m in mail.outbox if m.to == [official.email]]
    assert re.fullmatch(r"逾期1项，即将到期\d+项：亦庄年度重点工作", message.subject)
    assert "推动5G基站投入使用" in message.body
    assert "请登录平台逐项填报任务进展。" in message.body


def test_the_admin_follows_the_portal_language_and_switches_with_it(
    new_page, sign_in, screenshot, workload
):
    supervisor = UserFactory(username="zhao.lei", role="supervisor", preferred_language="zh-hans")
    workload["task"].area.supervisors.add(supervisor)
    page = new_page(locale="en-US")
    sign_in(page, supervisor.username)
    page.goto("/admin/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "待审核的进展报告" in page.locator("#content").inner_text()
    assert "推动5G基站投入使用" in page.locator("#content").inner_text()
    assert page.locator("#header #language-select").is_visible()
    screenshot(page, "admin-index-zh-hans")

    switch_language(page, "en")
    page.wait_for_url("**/admin/")
    assert "Reports awaiting review" in page.locator("#content").inner_text()
    supervisor.refresh_from_db()
    assert supervisor.preferred_language == "en"
    page.goto("/")
    assert page.locator("h1").inner_text() == "My work"
