import re

import pytest

from etown.env import BASE_DIR

pytestmark = pytest.mark.django_db

EXPECTED_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
}


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    directives = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in directives}


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/", "/healthz"])
def test_every_public_page_carries_the_strict_policy(client, url):
    assert _policy(client.get(url)) == EXPECTED_DIRECTIVES


def test_signed_in_portal_and_admin_pages_carry_the_strict_policy(client, supervisor):
    client.force_login(supervisor)
    for url in ["/", "/admin/", "/admin/workplan/task/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _policy(response) == EXPECTED_DIRECTIVES, url


def test_the_policy_allows_no_inline_code_and_no_other_origin(client):
    header = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert not re.search(r"https?:|\*", header)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def _templates():
    return sorted((BASE_DIR / "templates").rglob("*.html"))


def test_the_template_scan_finds_the_project_templates():
    assert any(path.name == "base.html" for path in _templates())


@pytest.mark.parametrize(
    "pattern", [INLINE_SCRIPT, EVENT_HANDLER, STYLE_ELEMENT, STYLE_ATTRIBUTE], ids=str
)
def test_no_template_holds_code_or_styles_the_policy_would_block(pattern):
    offenders = [
        str(path.relative_to(BASE_DIR)) for path in _templates() if pattern.search(path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("snippet", "pattern"),
    [
        ("<script>alert(1)</script>", INLINE_SCRIPT),
        ('<button onclick="go()">', EVENT_HANDLER),
        ("<style>p{}</style>", STYLE_ELEMENT),
        ('<p style="color: red">', STYLE_ATTRIBUTE),
    ],
)
def test_the_template_scan_recognises_what_the_policy_blocks(snippet, pattern):
    assert pattern.search(snippet)


def test_the_template_scan_allows_script_files_and_json_data():
    assert not INLINE_SCRIPT.search('<script src="/static/js/portal.js"></script>')
    assert not INLINE_SCRIPT.search('<script id="data" type="application/json">{}</script>')
