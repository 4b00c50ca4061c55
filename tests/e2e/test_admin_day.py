"""A supervisor's and an admin's day in the back office, at 1366×768, in English and Chinese.

Every admin page they can reach from the index (each list, its first object, that object's
history and a past version), every action submitted through its real form, every evidence
link. Any 5xx answer, any browser console error and any Content-Security-Policy violation fails
the day. Page widths are another test's concern.
"""

import datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import AreaFactory, ProgressReportFactory, TaskFactory, UserFactory
from tests.workplan import evidence_samples as samples
from workplan.models import DeadlineExtension, Evidence, ReviewState, TaskStatus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORT = {"width": 1366, "height": 768}
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
PASSWORD = "correct-horse-battery"
LANGUAGES = {"en": "en-US", "zh-hans": "zh-CN"}

# Runs before any page script, outside the page's policy, so it sees every violation.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""
# Pages the crawl leaves alone: signing out ends the day, deleting is no part of it, and the
# import and export pages are submitted by the day's own steps.
SKIPPED = ("/logout/", "/delete/", "/import/", "/export/", "/process_import/")


class Watch:
    """What went wrong in the browser: 5xx answers, console errors, policy violations."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        page.on("response", self.on_response)
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.add_init_script(RECORD_VIOLATIONS)

    def on_response(self, response):
        if response.status >= 500:
            self.problems.append(f"{response.status} {response.url}")

    def on_console(self, message):
        if message.type == "error":
            self.problems.append(f"console error on {self.page.url}: {message.text}")

    def check(self):
        """Fail on anything seen so far, the current page's policy violations included."""
        violations = self.page.evaluate("window.__cspViolations || []")
        self.problems += [f"CSP on {self.page.url}: {v}" for v in violations]
        assert self.problems == []


def _shot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.jpg"), type="jpeg", quality=60)


@pytest.fixture
def day(new_page):
    """Return a function that signs `user` in to the admin in `language`, watched."""

    def start(user, language):
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        page = new_page(locale=LANGUAGES[language], viewport=VIEWPORT)
        watch = Watch(page)
        page.goto("/admin/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("#login-form [type=submit]")
        expect(page.locator("#content")).to_be_visible()
        assert "/admin/login/" not in page.url
        return page, watch

    return start


@pytest.fixture
def office(db):
    """An area with a supervisor, its officials, tasks, and reports waiting for review."""
    supervisor = UserFactory(role=Role.SUPERVISOR, first_name="敏", last_name="赵")
    area = AreaFactory(
        title="Build a world-class industrial cluster", title_zh="打造世界级产业集群"
    )
    area.supervisors.add(supervisor)
    owner = UserFactory(role=Role.OFFICIAL, first_name="芳", last_name="王")
    successor = UserFactory(role=Role.OFFICIAL, first_name="伟", last_name="张")
    tasks = {
        name: TaskFactory(area=area, owner=owner, title=title)
        for name, title in [
            ("reassign", "Open the biotech incubator"),
            ("extend", "Extend metro line 17"),
            ("done", "Build the data centre"),
            ("approve", "Connect the hydrogen pipeline"),
            ("return", "Train 500 technicians"),
        ]
    }
    now = timezone.now()
    reports = {}
    for offset, name in enumerate(["approve", "return"]):
        reports[name] = ProgressReportFactory(
            task=tasks[name],
            author=owner,
            progress=60,
            note="Tunnel done. 隧道已贯通。",
            created_at=now - datetime.timedelta(days=3 - offset),
        )
        Evidence.objects.create(
            report=reports[name],
            file=samples.pdf(f"minutes-{name}.pdf"),
            original_name=f"minutes-{name}.pdf",
            content_type="application/pdf",
            size=len(samples.PDF_BYTES),
        )
    admin = UserFactory(role=Role.ADMIN, is_superuser=True, first_name="理", last_name="管")
    return {
        "supervisor": supervisor,
        "admin": admin,
        "owner": owner,
        "successor": successor,
        "tasks": tasks,
        "reports": reports,
    }


def _path(page):
    return urlparse(page.url).path


def _visit_every_page(page, watch):
    """Open every admin page reachable from the index, one object of each list and its history."""
    seen = set()

    def links(selector):
        hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
        return [
            href
            for href in hrefs
            if href
            and href.startswith("/admin/")
            and "?" not in href
            and not any(part in href for part in SKIPPED)
        ]

    def visit(url):
        if url in seen:
            return False
        seen.add(url)
        response = page.goto(url)
        assert response is not None and response.status < 400, (url, response and response.status)
        watch.check()
        return True

    page.goto("/admin/")
    for url in links("#content-main a, #nav-sidebar a"):
        if not visit(url) or not url.endswith("/") or url.count("/") != 5:
            continue  # not a list: /admin/<app>/<model>/
        changes = links("#result_list tbody a")
        if not changes:
            continue
        visit(changes[0])
        history = links("a.historylink")
        if history and visit(history[0]):
            versions = links("#change-history tbody a")
            if versions:
                visit(versions[0])
    assert len(seen) > 10, seen
    return seen


def _open_evidence(page, watch, selector):
    link = page.locator(selector).first
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.failure() is None
    assert download.value.suggested_filename.endswith(".pdf")
    watch.check()


def _review(page, watch, office, language):
    approve, back = office["reports"]["approve"], office["reports"]["return"]
    page.goto(f"/admin/workplan/progressreport/{approve.pk}/change/")
    _open_evidence(page, watch, "a.evidence-download")
    assert page.locator(".review-stale").count() == 0
    approve_button = page.locator("input[name=_approve]")
    assert approve_button.evaluate("b => getComputedStyle(b).textTransform") == "none"
    _shot(page, f"review-{language}")
    approve_button.click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    watch.check()

    page.goto(f"/admin/workplan/progressreport/{back.pk}/change/")
    page.fill("textarea[name=comment]", "请补充签字页。 Please attach the signed page.")
    page.click("input[name=_return]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    watch.check()
    approve.refresh_from_db()
    back.refresh_from_db()
    assert approve.review_state == ReviewState.APPROVED
    assert back.review_state == ReviewState.RETURNED

    page.goto("/admin/workplan/evidence/")
    _open_evidence(page, watch, "#result_list a.evidence-download")
    page.locator("#result_list tbody th a").first.click()
    _open_evidence(page, watch, "a.evidence-download")


def _select_action(page, task, action):
    page.goto("/admin/workplan/task/")
    page.check(f"input.action-select[value='{task.pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")


def _reassign(page, watch, office):
    task, successor = office["tasks"]["reassign"], office["successor"]
    _select_action(page, task, "reassign_owner")
    page.click("#action-form .select2-selection")
    page.fill(".select2-search__field", successor.username)
    page.locator(".select2-results__option", has_text=successor.username).click()
    page.click("input[name=apply]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    watch.check()
    task.refresh_from_db()
    assert task.owner == successor


def _extend(page, watch, office, language):
    task = office["tasks"]["extend"]
    due = task.due_date
    page.goto(f"/admin/workplan/task/{task.pk}/change/")
    page.click("form:has(input[value=extend_deadline]) button")
    # The admin's calendar works (its catalogue is loaded): "Today" writes a date the form
    # reads, and today is before the due date, which an extension refuses.
    page.locator(".datetimeshortcuts a").first.click()
    expect(page.locator(".datetimeshortcuts a").first).to_be_visible()
    page.locator(".datetimeshortcuts a").nth(1).click()
    expect(page.locator(".calendarbox").first).to_be_visible()
    _shot(page, f"extend-calendar-{language}")
    page.keyboard.press("Escape")
    page.fill("textarea[name=reason]", "规划许可延迟。 The permit came late.")
    page.click("input[name=apply]")
    expect(page.locator("#action-form .errornote, #action-form .errorlist").first).to_be_visible()
    assert DeadlineExtension.objects.filter(task=task).count() == 0
    later = due + datetime.timedelta(days=30)
    chinese = f"{later.year}年{later.month}月{later.day}日"
    typed = f"{later:%Y-%m-%d}" if language == "en" else chinese
    page.fill("input[name=new_due_date]", typed)
    page.click("input[name=apply]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    watch.check()
    task.refresh_from_db()
    assert task.due_date == later


def _mark_done(page, watch, office):
    task = office["tasks"]["done"]
    ProgressReportFactory(task=task, author=office["owner"], progress=70, note="Almost.")
    _select_action(page, task, "mark_done")
    expect(page.locator(".messagelist .success")).to_be_visible()
    watch.check()
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED
    assert not task.reports.filter(review_state=ReviewState.PENDING).exists()


def _export(page, watch):
    page.goto("/admin/workplan/task/export/")
    page.select_option("select[name=format]", index=1)
    with page.expect_download() as download:
        page.click("form .submit-row input[type=submit]")
    assert download.value.failure() is None
    assert download.value.suggested_filename.endswith((".csv", ".xlsx"))
    watch.check()


def _import_a_bad_row(page, watch, office, tmp_path, language):
    area = office["tasks"]["reassign"].area
    bad = tmp_path / "tasks.csv"
    bad.write_text(
        "id,area,title,owner,due_date,progress\n"
        f",{area.number},New task,{office['owner'].username},2026-12-25,10\n"
        f",{area.number},Broken task,{office['owner'].username},2026-12-25,150\n",
        encoding="utf-8",
    )
    page.goto("/admin/workplan/task/import/")
    page.set_input_files("input[name=import_file]", str(bad))
    page.select_option("select[name=format]", index=1)
    page.click("form[enctype] .submit-row input[type=submit]")
    expect(page.locator(".validation-error-container, .import-error").first).to_be_visible()
    _shot(page, f"import-bad-row-{language}")
    watch.check()
    assert not area.tasks.filter(title__in=["New task", "Broken task"]).exists()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_supervisors_day(day, office, language):
    page, watch = day(office["supervisor"], language)
    _visit_every_page(page, watch)
    _review(page, watch, office, language)
    _reassign(page, watch, office)
    _extend(page, watch, office, language)
    _mark_done(page, watch, office)
    _export(page, watch)
    watch.check()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_admins_day(day, office, language, tmp_path):
    page, watch = day(office["admin"], language)
    seen = _visit_every_page(page, watch)
    assert any(url.startswith("/admin/accounts/user/") for url in seen)
    _review(page, watch, office, language)
    _reassign(page, watch, office)
    _extend(page, watch, office, language)
    _mark_done(page, watch, office)
    _export(page, watch)
    _import_a_bad_row(page, watch, office, tmp_path, language)
    watch.check()
