"""Every response denies the browser features no page uses (Permissions-Policy)."""

import pytest

pytestmark = pytest.mark.django_db

DENIED = ["camera", "microphone", "geolocation", "payment", "usb", "serial", "hid", "bluetooth"]


def _policy(response):
    return {part.strip() for part in response.headers["Permissions-Policy"].split(",")}


@pytest.mark.parametrize("url", ["/accounts/login/", "/healthz", "/admin/login/", "/nowhere/"])
def test_pages_open_to_anyone_deny_powerful_features(client, url):
    policy = _policy(client.get(url))
    assert {f"{feature}=()" for feature in DENIED} <= policy


@pytest.mark.parametrize("url", ["/", "/tasks/", "/admin/", "/admin/workplan/task/"])
def test_signed_in_pages_portal_and_admin_deny_powerful_features(client, admin_user, url):
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200
    assert {f"{feature}=()" for feature in DENIED} <= _policy(response)
