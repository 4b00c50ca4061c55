"""Every page at WCAG 2.1 AA and no wider than its window, as each persona sees it.

axe-core (tests/e2e/vendor/axe-core: it is injected by these tests only, so it is never served
to users) scans every portal page and every back-office page a persona reaches from the admin
index, in English and Chinese, at 1366×768 and at 390×844 with the portal's menu open. One page
per persona, language and size is reused for all its pages, so the whole scan takes minutes.

Beside axe, each page is checked for what axe leaves out: nothing wider than the window, no list
scrolling sideways on a desktop, and a focus ring that can be seen (3:1 against what is around it).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from accounts.models import User
from tests.e2e.conftest import SCREENSHOTS
from workplan.demo import DEMO_PASSWORD
from workplan.models import Task

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE_SOURCE = (Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js").read_text()
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
LANGUAGES = ["en", "zh-hans"]
# Tab stops checked for a visible focus ring on each desktop page: the header and the first
# controls of the content.
FOCUS_STOPS = 14

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => v.id + " (" + v.impact + "): "
    + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | "));
}"""

WIDTHS = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth) {
    problems.push("page " + root.scrollWidth + " px wide in a " + window.innerWidth + " px window");
  }
  return problems;
}"""

# On a desktop a list must show all its columns: its own scroll box may not scroll sideways.
LIST_WIDTHS = """() => Array.from(document.querySelectorAll("#changelist .results"))
  .filter((box) => box.scrollWidth > box.clientWidth + 1)
  .map((box) => "list " + box.scrollWidth + " px wide in " + box.clientWidth + " px")"""

# A page's title is never covered by the buttons beside it: the boxes of its words against
# the boxes of the buttons.
OVERLAPS = """() => {
  const buttons = Array.from(document.querySelectorAll(".object-tools li"))
    .map((li) => li.getBoundingClientRect());
  const problems = [];
  document.querySelectorAll("#content > h1, #content > h2").forEach((title) => {
    const range = document.createRange();
    range.selectNodeContents(title);
    const words = Array.from(range.getClientRects());
    const covered = words.some((w) => buttons.some((b) =>
      w.left < b.right && b.left < w.right && w.top < b.bottom && b.top < w.bottom));
    if (covered) problems.push("title '" + title.innerText.slice(0, 40) + "' runs under a button");
  });
  return problems;
}"""

# The focused element's outline: wide enough, and 3:1 against the background it is drawn on
# (WCAG 1.4.11), which is the parent's, since the ring sits outside the element.
FOCUS_RING = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const lin = (c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  let node = el.parentElement, background = [255, 255, 255];
  while (node) {
    const colour = rgb(getComputedStyle(node).backgroundColor);
    if (colour.length === 3 || (colour.length === 4 && colour[3] > 0.5)) {
      background = colour.slice(0, 3);
      break;
    }
    node = node.parentElement;
  }
  const ring = rgb(style.outlineColor).slice(0, 3);
  const [light, dark] = [luminance(ring), luminance(background)].sort((a, b) => b - a);
  const text = el.innerText || el.value || el.getAttribute("aria-label") || "";
  return {
    what: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " + text.trim().slice(0, 30),
    width: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth),
    contrast: (light + 0.05) / (dark + 0.05),
  };
}"""


@pytest.fixture
def demo(db):
    """Return the demo plan: departments, every role's accounts, tasks, reports and readings."""
    call_command("load_workplan", demo=True, stdout=io.StringIO())
    # The admin's history pages need a change on record; the demo's own tasks have theirs.
    return Task.objects.order_by("pk").first()


class Scan:
    """One browser page for one persona, language and window size, and what it found."""

    def __init__(self, browser, live_server, *, viewport, language):
        self.context = browser.new_context(
            base_url=live_server.url, viewport=viewport, reduced_motion="reduce"
        )
        # Before any page script, by the debugger: the pages' script policy does not apply.
        self.context.add_init_script(script=AXE_SOURCE)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.phone = viewport["width"] < 576
        self.language = language
        self.problems: list[str] = []
        self.seen: set[str] = set()

    def close(self):
        self.context.close()

    def sign_in(self, username):
        self.page.goto("/accounts/login/")
        self.choose_language()
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", DEMO_PASSWORD)
        self.page.click("main button[type=submit]")
        self.page.wait_for_load_state()

    def choose_language(self):
        """Choose the language with the header's switcher, as a person would."""
        page = self.page
        if page.locator("#language-select").input_value() != self.language:
            page.select_option("#language-select", self.language)
            page.click("#language-switcher-form button[type=submit]")
            page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == self.language

    def visit(self, url, *, screenshot=""):
        # A list with other filters, or a row reached from one, is the same page.
        path = urlsplit(url).path
        if path in self.seen:
            return
        self.seen.add(path)
        response = self.page.goto(url)
        self.page.wait_for_load_state("load")
        if response is None or response.status >= 400:
            self.problems.append(f"{url}: answered {response and response.status}")
            return
        self.check(url, screenshot=screenshot)

    def check(self, where, *, screenshot=""):
        page = self.page
        toggler = page.locator(".navbar-toggler")
        if self.phone and toggler.count() and toggler.is_visible():
            toggler.click()
            page.wait_for_selector("#main-nav.show")
        found = page.evaluate(RUN_AXE, WCAG_21_AA)
        found += page.evaluate(WIDTHS)
        found += page.evaluate(OVERLAPS)
        if not self.phone:
            found += page.evaluate(LIST_WIDTHS)
        if not self.phone and self.language == LANGUAGES[0]:  # the same style in each language
            found += self.focus_rings()
        self.problems += [f"{where}: {problem}" for problem in found]
        if screenshot:
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{screenshot}-{self.language}.png"))

    def focus_rings(self):
        problems = []
        self.page.locator("body").focus()
        for _stop in range(FOCUS_STOPS):
            self.page.keyboard.press("Tab")
            ring = self.page.evaluate(FOCUS_RING)
            if ring is None:
                break
            if ring["width"] < 2 or ring["contrast"] < 3:
                problems.append(
                    f"focus ring on {ring['what']}: {ring['width']} px at {ring['contrast']:.2f}:1"
                )
        return problems

    def links(self, selector):
        hrefs = self.page.eval_on_selector_all(selector, "links => links.map(a => a.href)")
        return list(dict.fromkeys(hrefs))


def scan_portal(scan, *, screenshots=False):
    scan.visit("/", screenshot="dashboard" if screenshots else "")
    scan.visit("/tasks/", screenshot="task-list" if screenshots else "")
    detail = scan.links("main table a[href*='/tasks/']")[:1]
    for url in detail:
        scan.visit(url, screenshot="task-detail" if screenshots else "")
    for url in scan.links("#main-nav a[href^='/'], #main-nav a[href*='://']"):
        if "/admin/" not in url:
            scan.visit(url)
    scan.visit("/accounts/password/change/")
    scan.visit("/accounts/calendar/")


def scan_working_day(scan, *, screenshots=False):
    """Scan the back-office pages a supervisor works in; `scan_admin` scans all of them."""
    scan.visit("/admin/", screenshot="admin-index" if screenshots else "")
    for url, name in [
        ("/admin/workplan/task/", "admin-task-list"),
        ("/admin/workplan/progressreport/", "admin-review-queue"),
    ]:
        scan.visit(url, screenshot=name if screenshots else "")
        for row in scan.links("#result_list tbody tr a[href*='/change/']")[:1]:
            scan.visit(row, screenshot=f"{name}-row" if screenshots else "")


def scan_admin(scan):
    scan.visit("/admin/")
    lists = [
        url
        for url in scan.links("#content-main a[href*='/admin/']")
        if re.search(r"/admin/[\w-]+/[\w-]+/(add/)?$", urlsplit(url).path)
    ]
    for url in lists:
        scan.visit(url)
        if url.endswith("/add/"):
            continue
        rows = scan.links("#result_list tbody tr a[href*='/change/']")[:1]
        for row in rows:
            scan.visit(row)
            scan.visit(row.split("?")[0].replace("/change/", "/history/"))
        tools = ".object-tools a[href*='/import/'], .object-tools a[href*='/export/']"
        for tool in scan.links(tools):
            scan.visit(tool)
    for url in scan.links("#content-main caption a"):  # each app's own index
        scan.visit(url)
    scan.visit("/admin/password_change/")


@pytest.fixture
def scans(browser, live_server, demo):
    opened = []

    def open_scan(*, viewport, language):
        scan = Scan(browser, live_server, viewport=viewport, language=language)
        opened.append(scan)
        return scan

    yield open_scan
    for scan in opened:
        scan.close()


def report(problems):
    return "\n".join(problems)


@pytest.mark.parametrize("username", ["official1", "leader1", "supervisor1", "admin"])
def test_every_page_a_persona_sees_passes_wcag_21_aa_and_fits_its_window(scans, username):
    problems = []
    for language in LANGUAGES:
        for viewport in (DESKTOP, PHONE):
            scan = scans(viewport=viewport, language=language)
            scan.sign_in(username)
            screenshots = username == "supervisor1" and viewport is DESKTOP
            scan_portal(scan, screenshots=screenshots)
            if username == "supervisor1":
                scan_working_day(scan, screenshots=screenshots)
            elif username == "admin" and (viewport is DESKTOP or language == LANGUAGES[0]):
                # Every admin page on a phone in English, whose words run longer; the pages a
                # supervisor works in are scanned on a phone in both languages above.
                scan_admin(scan)
            assert len(scan.seen) >= 5, scan.seen  # the crawl found the pages it is to scan
            problems += [f"[{language} {viewport['width']}px] {p}" for p in scan.problems]
            scan.close()
    assert problems == [], report(problems)


def test_the_sign_in_pages_pass_wcag_21_aa_in_both_languages(scans):
    problems = []
    for language in LANGUAGES:
        for viewport in (DESKTOP, PHONE):
            scan = scans(viewport=viewport, language=language)
            scan.page.goto("/accounts/login/")
            scan.choose_language()
            scan.visit("/accounts/login/")
            scan.visit("/accounts/password/reset/")
            scan.visit("/admin/login/")
            problems += [f"[{language} {viewport['width']}px] {p}" for p in scan.problems]
    assert problems == [], report(problems)


def test_a_rejected_form_announces_its_errors_and_takes_the_focus(scans):
    """The report form, sent blocked without a note, comes back with a summary in focus."""
    official = User.objects.get(username="official1")
    task = Task.objects.filter(owner=official).order_by("pk").first()
    for language in LANGUAGES:
        for viewport in (DESKTOP, PHONE):
            scan = scans(viewport=viewport, language=language)
            scan.sign_in(official.username)
            page = scan.page
            page.goto(f"/tasks/{task.pk}/")
            page.select_option("#report-form select[name=status]", "blocked")
            page.fill("#report-form textarea[name=note]", "")
            page.click("#report-form [type=submit]")
            page.wait_for_load_state()
            summary = page.locator("#error-summary")
            assert summary.get_attribute("role") == "alert"
            assert page.evaluate("document.activeElement.id") == "error-summary"
            assert summary.locator("a[href='#id_note']").count() == 1
            # At 390 px the summary is on screen, not two screens down.
            box = summary.bounding_box()
            assert box is not None
            assert 0 <= box["y"] < viewport["height"]
            scan.check("report form with errors")
            # Wrong password: the sign-in page's summary does the same.
            scan.context.clear_cookies()
            page.goto("/accounts/login/")
            scan.choose_language()
            page.fill("input[name=username]", official.username)
            page.fill("input[name=password]", "not-the-password")
            page.click("main button[type=submit]")
            page.wait_for_load_state()
            assert page.evaluate("document.activeElement.id") == "error-summary"
            scan.check("sign-in with errors")
            assert scan.problems == [], report(scan.problems)
