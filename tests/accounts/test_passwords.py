"""A new password, changed or reset through the real forms, retires the calendar address too."""

import re

import pytest
import tablib
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.resources import UserResource
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OLD = "correct-horse-battery"
NEW = "a-fresh-long-passphrase-7"


def _feed(client, user):
    return client.get(f"/calendar/{user.calendar_token}.ics")


def _reset_through_the_mail(client, email, password=NEW):
    assert client.post("/accounts/password/reset/", {"email": email}).status_code == 302
    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    return client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": password, "new_password2": password},
    )


def test_changing_the_password_retires_the_calendar_address(client):
    user = UserFactory(email="zhao.lei@etown.example")
    old_token = user.calendar_token
    client.force_login(user)
    assert _feed(client, user).status_code == 200
    response = client.post(
        "/accounts/password/change/",
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert user.calendar_token != old_token
    client.logout()
    assert client.get(f"/calendar/{old_token}.ics").status_code == 404
    assert _feed(client, user).status_code == 200


def test_resetting_the_password_retires_the_calendar_address(client):
    user = UserFactory(email="qian.yu@etown.example")
    old_token = user.calendar_token
    response = _reset_through_the_mail(client, user.email)
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/complete/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert user.calendar_token != old_token
    assert client.get(f"/calendar/{old_token}.ics").status_code == 404


def test_a_refused_new_password_keeps_the_calendar_address(client):
    user = UserFactory()
    old_token = user.calendar_token
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.calendar_token == old_token


def test_an_imported_person_sets_a_first_password_through_the_reset_mail(client):
    data = tablib.Dataset(
        ["sun.li", "Sun.Li@etown.example", "official"], headers=["username", "email", "role"]
    )
    result = UserResource().import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    user = User.objects.get(username="sun.li")
    assert not user.has_usable_password()
    response = _reset_through_the_mail(client, "sun.li@etown.example")
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/complete/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert client.login(username="sun.li", password=NEW)


def test_an_inactive_account_gets_no_reset_mail(client):
    user = UserFactory(email="gone@etown.example", is_active=False)
    user.set_unusable_password()
    user.save()
    assert client.post("/accounts/password/reset/", {"email": user.email}).status_code == 302
    assert mail.outbox == []


def test_every_password_rule_speaks_chinese_to_a_chinese_reader(client, official):
    official.preferred_language = "zh-hans"
    official.save()
    client.force_login(official)
    response = client.post(
        reverse("password_change"),
        {"old_password": OLD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert response.status_code == 200
    assert "密码长度太短" in response.text
    assert "This password" not in response.text


def _admin_password_page(client, user):
    admin = UserFactory(role="admin")
    client.force_login(admin)
    return f"/admin/accounts/user/{user.pk}/password/"


def test_an_admin_setting_someones_password_retires_their_calendar_address(client):
    user = UserFactory()
    old_token = user.calendar_token
    page = _admin_password_page(client, user)
    assert client.get(page).status_code == 200
    response = client.post(page, {"usable_password": "true", "password1": NEW, "password2": NEW})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert user.calendar_token != old_token
    client.logout()
    assert client.get(f"/calendar/{old_token}.ics").status_code == 404
    assert _feed(client, user).status_code == 200


def test_an_admin_turning_off_someones_password_retires_their_calendar_address(client):
    user = UserFactory()
    old_token = user.calendar_token
    page = _admin_password_page(client, user)
    response = client.post(
        page,
        {"usable_password": "false", "password1": "", "password2": "", "unset-password": "1"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert user.calendar_token != old_token


def test_a_refused_admin_password_keeps_the_calendar_address(client):
    user = UserFactory()
    old_token = user.calendar_token
    page = _admin_password_page(client, user)
    response = client.post(
        page, {"usable_password": "true", "password1": NEW, "password2": NEW + "x"}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(OLD)
    assert user.calendar_token == old_token
