"""The strict Content-Security-Policy breaks nothing the portal and the admin show."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Runs before any page script, outside the page's policy, so it sees every violation.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def watched_page(page):
    """Return the page and a function listing CSP violations seen since it was opened."""
    console = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            console.append(message.text)

    page.on("console", on_console)
    page.add_init_script(RECORD_VIOLATIONS)

    def violations():
        return console + page.evaluate("window.__cspViolations || []")

    return page, violations


def test_the_violation_watch_catches_an_inline_script(watched_page):
    page, violations = watched_page
    page.goto("/accounts/login/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.appendChild(s); }"
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert any("script-src" in violation for violation in violations())
    assert page.evaluate("window.ran === undefined")


def test_the_sign_in_pages_load_with_no_policy_violation(watched_page):
    page, violations = watched_page
    for url in ["/accounts/login/", "/admin/login/"]:
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.locator("input[name=password]").is_visible()
    assert violations() == []


def test_the_portal_and_the_admin_work_under_the_policy(
    watched_page, sign_in, live_server, admin_user, task
):
    page, violations = watched_page
    sign_in(page, admin_user.username)
    assert page.url == f"{live_server.url}/"
    pages = [
        "/",
        "/admin/",
        "/admin/workplan/task/",
        f"/admin/workplan/task/{task.pk}/change/",
        "/admin/accounts/user/add/",
        "/admin/axes/accessattempt/",
    ]
    for url in pages:
        response = page.goto(url)
        page.wait_for_load_state("load")
        assert response.status == 200, url
    # The admin's own scripts ran: the change list's action checkbox script toggles the counter.
    page.goto("/admin/workplan/task/")
    page.locator("#action-toggle").check()
    assert page.locator(".action-counter").inner_text().startswith("1 of 1")
    assert violations() == []


@pytest.mark.urls("tests.etown.urls")
def test_the_import_export_page_works_under_the_policy(watched_page, sign_in, admin_user):
    page, violations = watched_page
    sign_in(page, admin_user.username)
    response = page.goto("/export-admin/accounts/department/export/")
    assert response.status == 200
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    assert fields.count() > 1
    page.locator(".select-toggle").uncheck()
    assert all(not fields.nth(i).is_checked() for i in range(fields.count()))
    page.locator(".select-toggle").check()
    assert all(fields.nth(i).is_checked() for i in range(fields.count()))
    assert violations() == []
