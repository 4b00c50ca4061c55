import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-1"
RIGHT = "correct-horse-battery"


def _fail(sign_in_post, username, times, address="10.0.0.1"):
    for _ in range(times):
        response = sign_in_post(username, WRONG, address)
        assert response.status_code == 200


def _lock_out(sign_in_post, username):
    _fail(sign_in_post, username, settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in_post(username, WRONG).status_code == 429


def test_the_right_password_signs_in_with_the_protection_on(axes_enabled, sign_in_post, official):
    response = sign_in_post(official.username, RIGHT)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_five_failures_lock_the_user_out_even_with_the_right_password(
    axes_enabled, client, sign_in_post, official
):
    _fail(sign_in_post, official.username, settings.AXES_FAILURE_LIMIT - 1)
    response = sign_in_post(official.username, WRONG)
    assert response.status_code == 429
    response = sign_in_post(official.username, RIGHT)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_the_locked_out_user_is_told_why_and_for_how_long(axes_enabled, sign_in_post, official):
    _fail(sign_in_post, official.username, settings.AXES_FAILURE_LIMIT - 1)
    response = sign_in_post(official.username, WRONG)
    page = response.content.decode()
    assert response.status_code == 429
    assert "Too many failed sign-ins for this account" in page
    assert "Try again in 30 minutes" in page
    assert "ask an administrator to unlock your account" in page


def test_fewer_failures_than_the_limit_do_not_lock(axes_enabled, sign_in_post, official):
    _fail(sign_in_post, official.username, settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in_post(official.username, RIGHT).status_code == 302


def test_the_lock_holds_one_user_at_one_address_only(axes_enabled, sign_in_post, official):
    _lock_out(sign_in_post, official.username)
    other = Client()
    response = other.post(
        "/accounts/login/",
        {"username": official.username, "password": RIGHT},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 302


def test_the_lock_lifts_after_the_cool_off(axes_enabled, sign_in_post, official):
    _lock_out(sign_in_post, official.username)
    assert sign_in_post(official.username, RIGHT).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )
    assert sign_in_post(official.username, RIGHT).status_code == 302


def test_an_administrator_sees_the_lockout_in_the_admin_and_lifts_it(
    axes_enabled, sign_in_post, official, admin_user
):
    _lock_out(sign_in_post, official.username)
    attempt = AccessAttempt.objects.get(username=official.username)
    admin_client = Client()
    admin_client.force_login(admin_user)

    listing = admin_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert official.username in listing.content.decode()

    response = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert sign_in_post(official.username, RIGHT).status_code == 302


def test_a_supervisor_cannot_lift_a_lockout(axes_enabled, sign_in_post, official, supervisor):
    _lock_out(sign_in_post, official.username)
    attempt = AccessAttempt.objects.get(username=official.username)
    supervisor_client = Client()
    supervisor_client.force_login(supervisor)
    response = supervisor_client.post(
        f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_a_session_ends_after_half_an_hour_without_a_request(client, official):
    client.force_login(official)
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_activity_after_a_minute_pushes_the_session_expiry_forward(client, official):
    client.force_login(official)
    session = client.session
    session["_seen_at"] -= 61  # the last activity was over a minute ago
    session.save()
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=1))
    assert client.get("/").status_code == 200
    expiry = Session.objects.get().expire_date
    assert expiry > timezone.now() + datetime.timedelta(minutes=29)


def test_activity_within_a_minute_of_the_last_does_not_write_the_session(client, official):
    client.force_login(official)
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=20))
    assert client.get("/").status_code == 200
    expiry = Session.objects.get().expire_date
    assert expiry < timezone.now() + datetime.timedelta(minutes=21)


def test_changing_the_password_signs_out_the_other_sessions_only(admin_user):
    here, elsewhere = Client(), Client()
    here.force_login(admin_user)
    elsewhere.force_login(admin_user)
    response = here.post(
        "/admin/password_change/",
        {
            "old_password": RIGHT,
            "new_password1": "a-new-long-passphrase-2024",
            "new_password2": "a-new-long-passphrase-2024",
        },
    )
    assert response.status_code == 302
    assert here.get("/admin/").status_code == 200
    response = elsewhere.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_short_password_is_refused(admin_user):
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        "/admin/password_change/",
        {"old_password": RIGHT, "new_password1": "Xy7#abc", "new_password2": "Xy7#abc"},
    )
    assert response.status_code == 200
    assert "at least 10 characters" in response.content.decode()
