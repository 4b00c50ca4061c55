"""The API's documentation page works in a browser under the content security policy."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_csp import RECORD_VIOLATIONS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_load_from_this_server_and_run_a_request(page, sign_in, official, task):
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    sign_in(page, official.username)
    page.goto("/api/v1/docs/")
    operation = page.locator(".opblock-summary", has_text="/api/v1/tasks/{id}/").first
    expect(operation).to_be_visible(timeout=15_000)
    # Try a request from the page, signed in by the browser's session.
    listing = page.locator("#operations-tasks-tasks_list")
    listing.locator(".opblock-summary").click()
    listing.get_by_role("button", name="Try it out").click()
    listing.get_by_role("button", name="Execute").click()
    status = listing.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text(re.compile("200"), timeout=15_000)
    expect(listing.locator(".live-responses-table")).to_contain_text(task.title)
    violations = console + page.evaluate("window.__cspViolations || []")
    assert violations == []
    origin = page.url.split("/api/")[0]
    assert all(url.startswith(origin) for url in requests), "an asset from another origin"
