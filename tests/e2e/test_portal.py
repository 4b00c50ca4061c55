"""An official's week in the browser: find the overdue task, report on it with evidence."""

import datetime

import pytest

from accounts.models import Role
from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import AreaFactory, DepartmentFactory, TaskFactory, UserFactory
from tests.workplan.evidence_samples import PDF_BYTES
from workplan.models import ProgressReport, ReviewState, TaskStatus, today

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def days(n):
    return today() + datetime.timedelta(days=n)


@pytest.fixture
def workload(db):
    department = DepartmentFactory(name="Science and Technology Bureau")
    official = UserFactory(
        username="wang.fang", first_name="Fang", last_name="Wang", department=department
    )
    areas = [
        AreaFactory(number=1, title="Build a world-class industrial cluster"),
        AreaFactory(number=2, title="Improve the business environment"),
    ]
    overdue = TaskFactory(
        area=areas[0],
        owner=official,
        title="Put 5G base stations into service",
        description="Cover every industrial park with standalone 5G.",
        start_date=days(-60),
        due_date=days(-6),
        progress=40,
    )
    TaskFactory(area=areas[0], owner=official, title="Open the robot test field", due_date=days(1))
    TaskFactory(
        area=areas[1], owner=official, title="One-window approvals", due_date=days(40), progress=70
    )
    TaskFactory(
        area=areas[1],
        owner=official,
        title="Publish the investment guide",
        status=TaskStatus.COMPLETED,
        progress=100,
        due_date=days(-20),
        start_date=days(-90),
    )
    supporter = UserFactory(username="li.na", department=DepartmentFactory())
    overdue.supporting_departments.add(supporter.department)
    stranger = UserFactory(username="zhang.wei", role=Role.OFFICIAL, department=DepartmentFactory())
    return {"official": official, "task": overdue, "supporter": supporter, "stranger": stranger}


def test_an_official_reports_60_percent_with_a_pdf_on_an_overdue_task(
    new_page, sign_in, screenshot, workload
):
    task = workload["task"]
    page = new_page()
    # No chart animation, so the screenshots show the final bars.
    page.emulate_media(reduced_motion="reduce")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, workload["official"].username)

    # The dashboard shows the overdue task first, in red, and the charts are drawn.
    assert page.locator("h1").inner_text() == "My work"
    assert page.locator("#count-overdue").inner_text() == "1"
    first_row = page.locator("tr.task-row").first
    assert "urgency-red" in first_row.get_attribute("class")
    assert task.title in first_row.inner_text()
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-months') !== undefined")
    screenshot(page, "dashboard-desktop")

    page.get_by_role("link", name=task.title).first.click()
    page.wait_for_url(f"**/tasks/{task.pk}/")
    assert "6 days overdue" in page.locator("#due").inner_text()
    page.fill("input[name=progress]", "60")
    page.select_option("select[name=status]", "in_progress")
    page.fill("textarea[name=note]", "Stations in parks A and B are live; C waits for power.")
    page.set_input_files(
        "input[name=evidence]",
        files=[{"name": "acceptance.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
    )
    page.click("#report-form [type=submit]")
    page.wait_for_url(f"**/tasks/{task.pk}/")

    latest = page.locator("#timeline > li").first
    assert "60 %" in latest.inner_text()
    assert latest.locator(".review-state").inner_text() == "Pending review"
    assert "Stations in parks A and B are live" in latest.inner_text()
    assert latest.get_by_role("link", name="acceptance.pdf").is_visible()
    assert "awaiting review" in page.locator("#progress").inner_text()
    report = ProgressReport.objects.get(task=task)
    assert report.review_state == ReviewState.PENDING
    assert report.evidence.get().content_type == "application/pdf"
    screenshot(page, "detail-desktop")

    page.goto("/tasks/")
    assert page.get_by_role("link", name=task.title).is_visible()
    screenshot(page, "list-desktop")

    phone = new_page(viewport=PHONE)
    phone.emulate_media(reduced_motion="reduce")
    sign_in(phone, workload["official"].username)
    screenshot(phone, "dashboard-phone")
    phone.goto("/tasks/")
    screenshot(phone, "list-phone")
    phone.goto(f"/tasks/{task.pk}/")
    screenshot(phone, "detail-phone")
    assert phone.locator("#report-form").is_visible()
    page_width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"]
    assert errors == []
    assert DESKTOP["width"] > PHONE["width"]


def test_a_second_official_cannot_open_the_tasks_report_form(new_page, sign_in, workload):
    task = workload["task"]
    stranger = new_page()
    sign_in(stranger, workload["stranger"].username)
    response = stranger.goto(f"/tasks/{task.pk}/")
    assert response.status == 404
    assert stranger.locator("#report-form").count() == 0

    supporter = new_page()
    sign_in(supporter, workload["supporter"].username)
    response = supporter.goto(f"/tasks/{task.pk}/")
    assert response.status == 200
    assert supporter.locator("#report-form").count() == 0
    assert supporter.locator("#read-only").is_visible()


def test_a_supervisor_browses_their_areas_read_only(new_page, sign_in, workload):
    task = workload["task"]
    supervisor = UserFactory(username="supervisor.zhao", role=Role.SUPERVISOR)
    task.area.supervisors.add(supervisor)
    page = new_page()
    sign_in(page, supervisor.username)
    assert page.get_by_role("link", name="Back office").is_visible()
    page.get_by_role("link", name=task.title).first.click()
    page.wait_for_url(f"**/tasks/{task.pk}/")
    assert page.locator("#report-form").count() == 0
    assert page.locator("#read-only").is_visible()
