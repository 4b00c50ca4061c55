"""What a supervisor and an official see fits their window: the lists, the import preview, the
portal on a phone, the charts and the figures (issue: a back office to work in all day)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from workplan.demo import DEMO_PASSWORD
from workplan.models import Area, Task
from workplan.resources import TaskResource

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WINDOWS = [{"width": 1366, "height": 768}, {"width": 1920, "height": 1080}]
PHONE = {"width": 390, "height": 844}
LANGUAGES = ["en", "zh-hans"]

# The columns a supervisor needs on screen, each by its cells' class (workplan/admin/*.py).
TASK_COLUMNS = [
    "light",
    "title_link",
    "owner",
    "due_date",
    "overdue_days",
    "progress_bar",
    "status",
]
QUEUE_COLUMNS = ["created_at", "task_link", "reported", "task_now", "note_excerpt", "review_state"]

# Lines a cell's text takes: the boxes of its words, grouped by where they stand.
LINES_OF = """(cell) => {
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  const tops = [];
  while (walker.nextNode()) {
    if (!walker.currentNode.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(walker.currentNode);
    for (const box of range.getClientRects()) tops.push(box.top);
  }
  tops.sort((a, b) => a - b);
  return tops.filter((top, i) => i === 0 || top - tops[i - 1] > 4).length;
}"""


@pytest.fixture
def demo(db):
    call_command("load_workplan", demo=True, stdout=io.StringIO())


@pytest.fixture
def open_as(browser, live_server, demo):
    contexts = []

    def open_as(username, *, viewport, language):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, reduced_motion="reduce"
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/accounts/login/")
        page.select_option("#language-select", language)
        page.click("#language-switcher-form button[type=submit]")
        page.wait_for_load_state()
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        return page

    yield open_as
    for context in contexts:
        context.close()


def assert_columns_on_screen(page, columns):
    """Each column's first cell lies inside the list's box, and the list does not scroll."""
    box = page.locator("#changelist .results")
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth"), box.evaluate(
        "b => [b.scrollWidth, b.clientWidth]"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    right = box.bounding_box()["x"] + box.bounding_box()["width"]
    for column in columns:
        cell = page.locator(f"#result_list tbody tr:first-child .field-{column}")
        cell_box = cell.bounding_box()
        assert cell_box is not None, column
        assert cell_box["x"] + cell_box["width"] <= right + 1, column


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_task_list_and_the_review_queue_show_every_column_that_matters(open_as, language):
    for viewport in WINDOWS:
        page = open_as("supervisor1", viewport=viewport, language=language)
        page.goto("/admin/workplan/task/")
        assert_columns_on_screen(page, TASK_COLUMNS)
        # A long title is cut to two lines; the whole of it is on hover and in the link.
        links = page.locator("#result_list .field-title_link a")
        for index in range(links.count()):
            link = links.nth(index)
            assert link.get_attribute("title") == link.text_content() != ""
            height, line = link.evaluate(
                "a => [a.offsetHeight, parseFloat(getComputedStyle(a).lineHeight)]"
            )
            assert height <= 2 * line + 1, link.text_content()
        titles = {str(task) for task in Task.objects.all()} | {
            f"{task.code} {task.title_zh}" for task in Task.objects.all()
        }
        assert links.first.get_attribute("title") in titles
        # Names and Chinese words stay whole: a status, an urgency or a department is never cut
        # (an English department name may wrap between its words).
        columns = ("status", "light") + (("lead_department",) if language != "en" else ())
        for column in columns:
            cells = page.locator(f"#result_list tbody td.field-{column}")
            for index in range(cells.count()):
                assert cells.nth(index).evaluate(LINES_OF) == 1, (
                    column,
                    cells.nth(index).inner_text(),
                )
        page.goto("/admin/workplan/progressreport/")
        assert_columns_on_screen(page, QUEUE_COLUMNS)
        note = page.locator("#result_list tbody tr:first-child .field-note_excerpt span")
        assert note.get_attribute("title")


def test_the_import_preview_fits_1366_px_with_a_bad_row(open_as, tmp_path):
    admin = User.objects.get(username="admin")
    rows = TaskResource(user=admin).export()
    # A long title, and a row whose department does not exist.
    rows[0] = [
        ("Build " * 40 if header == "title" else value)
        for header, value in zip(rows.headers, rows[0], strict=True)
    ]
    department = rows.headers.index("lead_department")
    rows[1] = ["nowhere" if index == department else value for index, value in enumerate(rows[1])]
    upload = tmp_path / "tasks.csv"
    upload.write_text(rows.csv)
    page = open_as("admin", viewport=WINDOWS[0], language="en")
    page.goto("/admin/workplan/task/import/")
    page.set_input_files("input[name=import_file]", str(upload))
    page.select_option("select[name=format]", label="csv")
    page.click("#content input[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("table.import-preview")).to_be_visible()
    assert page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]") == [1366] * 2


def test_the_portal_on_a_phone_shows_its_work_on_the_first_screen(open_as):
    page = open_as("official1", viewport=PHONE, language="zh-hans")
    # The menu button shares the first row with the brand and the language switcher.
    brand = page.locator(".navbar-brand").bounding_box()
    toggler = page.locator(".navbar-toggler").bounding_box()
    assert abs(toggler["y"] + toggler["height"] / 2 - (brand["y"] + brand["height"] / 2)) < 12
    # The filters wait behind a button; the tasks start on the first screen.
    page.goto("/tasks/")
    assert not page.locator("#task-filters").is_visible()
    first_row = page.locator("tr.task-row").first.bounding_box()
    assert first_row["y"] < PHONE["height"]
    page.click("#task-filters-toggle")
    expect(page.locator("#task-filters")).to_be_visible()
    expect(page.locator("#task-filters-toggle")).to_have_attribute("aria-expanded", "true")
    # The breadcrumb keeps to one line.
    page.goto(page.locator("tr.task-row a").first.get_attribute("href"))
    crumbs = page.locator(".breadcrumb")
    line = float(crumbs.evaluate("c => parseFloat(getComputedStyle(c).lineHeight)"))
    assert crumbs.bounding_box()["height"] < 2 * line
    # Figures never break between the number and the sign.
    page.goto("/")
    for figure in page.locator(".pct-figure, .progress-bar").all():
        if figure.inner_text().strip():
            assert figure.evaluate(LINES_OF) == 1, figure.inner_text()


@pytest.mark.parametrize("viewport", [WINDOWS[0], PHONE])
def test_the_area_chart_names_every_area(open_as, viewport):
    page = open_as("leader1", viewport=viewport, language="en")
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-areas') !== undefined")
    labels = page.evaluate("Chart.getChart('chart-areas').scales.y.ticks.length")
    assert labels == Area.objects.count() == 9


def test_the_admin_writes_its_buttons_as_the_portal_does(open_as):
    page = open_as("supervisor1", viewport=WINDOWS[0], language="en")
    page.goto("/admin/workplan/progressreport/")
    page.locator("#result_list tbody tr a[href*='/change/']").first.click()
    expect(page.locator("#review")).to_be_visible()
    for button in page.locator(".object-tools a, .submit-row input[type=submit]").all():
        assert button.evaluate("b => getComputedStyle(b).textTransform") == "none"
    # Portal and admin share the brand's navy.
    header = page.evaluate("getComputedStyle(document.getElementById('header')).backgroundColor")
    page.goto("/")
    expect(page.locator("nav.navbar")).to_be_visible()
    navbar = page.evaluate("getComputedStyle(document.querySelector('.navbar')).backgroundColor")
    assert header == navbar == "rgb(29, 78, 137)"
