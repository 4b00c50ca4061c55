"""An admin sets another person's password through the admin's own password page."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW = "a-fresh-long-passphrase-7"


def test_an_admin_sets_someones_password_and_their_calendar_address_is_renewed(page, sign_in):
    UserFactory(username="root", role=Role.ADMIN)
    official = UserFactory(username="zhao.lei", role=Role.OFFICIAL)
    old_token = official.calendar_token
    sign_in(page, "root")
    page.goto(f"/admin/accounts/user/{official.pk}/change/")
    page.locator("#user_form a[href$='password/']").first.click()
    page.fill("input[name=password1]", NEW)
    page.fill("input[name=password2]", NEW)
    page.click("input[type=submit][name=set-password]")
    expect(page.locator(".messagelist")).to_contain_text("Password changed successfully")
    official.refresh_from_db()
    assert official.check_password(NEW)
    assert official.calendar_token != old_token
