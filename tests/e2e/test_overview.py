"""A leader's overview in both languages: period, a department's overdue tasks, both reports."""

import io
import re

import docx
import pypdf
import pypdfium2
import pytest
from django.core.management import call_command

from tests.e2e.conftest import SCREENSHOTS
from workplan.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("load_workplan", demo=True, stdout=io.StringIO())


def switch_language(page, language):
    page.select_option("#language-select", language)
    page.click("#language-switcher-form [type=submit]")
    page.wait_for_load_state()


def wait_for_charts(page):
    page.wait_for_function(
        "() => window.Chart && Chart.getChart('chart-areas') !== undefined"
        " && Chart.getChart('chart-departments') !== undefined"
    )


def download(page, selector):
    """Click a report link (the job path: progress shown, then the file) and return its bytes."""
    with page.expect_download() as info:
        page.click(selector)
    path = info.value.path()
    return info.value.suggested_filename, path.read_bytes()


def render_first_page(pdf: bytes, name: str) -> None:
    document = pypdfium2.PdfDocument(pdf)
    image = document[0].render(scale=1.5).to_pil()
    SCREENSHOTS.mkdir(exist_ok=True)
    image.save(SCREENSHOTS / f"{name}.png")


@pytest.mark.parametrize(
    ("language", "quarter_label", "tasks_word", "title"),
    [
        ("en", "This quarter", "task", "Supervision report"),
        ("zh-hans", "本季度", "项任务", "督查通报"),
    ],
)
def test_a_leader_reads_the_overview_follows_a_figure_and_downloads_both_reports(
    new_page, sign_in, screenshot, demo, language, quarter_label, tasks_word, title
):
    page = new_page()
    # Charts drawn at once (overview.js turns animation off), so the screenshots show them.
    page.emulate_media(reduced_motion="reduce")
    problems = []
    # Failed loads are checked by their responses below; the browser's own /favicon.ico probe
    # (404 until the favicon lands) shows only as a console line.
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    sign_in(page, "leader1", DEMO_PASSWORD)
    if language != "en":
        switch_language(page, language)
    page.click("nav >> a[href='/overview/']")
    page.wait_for_load_state()
    wait_for_charts(page)
    assert page.locator("#scorecard tbody tr").count() > 0
    assert page.locator(".indicator-chart").count() == 2
    screenshot(page, f"overview-{language}")

    # A bad custom period comes back with its dates and the reason.
    page.select_option("#id_period", "custom")
    page.fill("#id_start", "2026-05-01")
    page.fill("#id_end", "2026-04-01")
    page.click("#period-apply")
    page.wait_for_load_state()
    assert page.locator("#period-errors[role=alert]").is_visible()
    assert page.input_value("#id_start") == "2026-05-01"

    # This quarter: every figure follows.
    page.select_option("#id_period", label=quarter_label)
    page.click("#period-apply")
    page.wait_for_load_state()
    assert "period=quarter" in page.url
    shown = page.inner_text("#period-shown")
    start, end = re.findall(r"\d{4}-\d{2}-\d{2}", shown)[:2]
    assert start[5:7] in {"01", "04", "07", "10"} and start[:4] == end[:4]
    wait_for_charts(page)

    # Follow the first department with overdue tasks to exactly those tasks.
    overdue_links = page.locator("#scorecard a.figure-overdue")
    figures = [int(text) for text in overdue_links.all_inner_texts()]
    index = next(i for i, n in enumerate(figures) if n > 0)
    department = page.locator("#scorecard tbody tr").nth(index).locator("th a").inner_text()
    overdue_links.nth(index).click()
    page.wait_for_load_state()
    assert "/tasks/" in page.url and "urgency=overdue" in page.url
    count = page.inner_text("#result-count")
    assert re.search(rf"(?<!\d){figures[index]}(?!\d)", count), count
    assert tasks_word in count
    assert page.locator("#id_lead option:checked").inner_text() == department
    page.go_back()
    page.wait_for_load_state()

    name, body = download(page, "#report-docx")
    assert name.endswith(".docx")
    document = docx.Document(io.BytesIO(body))
    assert document.paragraphs[0].text == title
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert department in cells

    name, body = download(page, "#report-pdf")
    assert name.endswith(".pdf") and body.startswith(b"%PDF")
    text = " ".join(page_.extract_text() for page_ in pypdf.PdfReader(io.BytesIO(body)).pages)
    assert title in text and department in re.sub(r"\s+", " ", text)
    render_first_page(body, f"overview-report-pdf-{language}")
    assert failed == []
    assert problems == []
