"""One address trying one password on many accounts is refused after the limit, everywhere."""

import pytest
from django.test import Client

from etown import throttle
from tests.etown.test_sign_in_cost import CountingHasher
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RIGHT = "correct-horse-battery"
WRONG = "not-the-password-1"
LIMIT = 30


@pytest.fixture
def limits(axes_enabled):
    """Turn the limits on as production has them (the test settings keep them off)."""
    axes_enabled.SIGN_IN_ADDRESS_FAILURE_LIMIT = LIMIT
    axes_enabled.SIGN_IN_ADDRESS_WINDOW_MINUTES = 15
    return axes_enabled


def _spray(sign_in_post, times, address="10.0.0.1", **extra):
    """Try one password on `times` different usernames, as a password sprayer does."""
    return [
        sign_in_post(f"someone-{number}", WRONG, address, **extra).status_code
        for number in range(times)
    ]


def test_one_address_failing_on_many_usernames_is_refused_after_the_limit(
    limits, sign_in_post, official
):
    assert set(_spray(sign_in_post, LIMIT)) == {200}
    response = sign_in_post(official.username, RIGHT)
    page = response.content.decode()
    assert response.status_code == 429
    assert "Too many failed sign-ins from your address" in page
    assert "Try again in" in page


def test_the_refused_address_is_not_signed_in_even_with_the_right_password(
    limits, client, sign_in_post, official
):
    _spray(sign_in_post, LIMIT)
    assert sign_in_post(official.username, RIGHT).status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_fewer_failures_than_the_limit_leave_the_address_free(limits, sign_in_post, official):
    _spray(sign_in_post, LIMIT - 1)
    assert sign_in_post(official.username, RIGHT).status_code == 302


def test_successful_sign_ins_do_not_count_against_the_address(limits, official):
    for _ in range(LIMIT + 1):
        client = Client()
        response = client.post(
            "/accounts/login/",
            {"username": official.username, "password": RIGHT},
            REMOTE_ADDR="10.0.0.1",
        )
        assert response.status_code == 302


def test_another_address_signs_in_while_one_is_refused(limits, sign_in_post, official):
    _spray(sign_in_post, LIMIT)
    assert sign_in_post(official.username, RIGHT, "10.0.0.1").status_code == 429
    assert (
        Client()
        .post(
            "/accounts/login/",
            {"username": official.username, "password": RIGHT},
            REMOTE_ADDR="10.0.0.2",
        )
        .status_code
        == 302
    )


def test_behind_the_proxy_the_limit_holds_each_client_address_apart(limits, sign_in_post, official):
    limits.TRUSTED_PROXY_COUNT = 1
    proxy = "172.16.0.2"
    _spray(sign_in_post, LIMIT, proxy, HTTP_X_FORWARDED_FOR="6.6.6.6")
    refused = sign_in_post(official.username, RIGHT, proxy, HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert refused.status_code == 429
    response = Client().post(
        "/accounts/login/",
        {"username": official.username, "password": RIGHT},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert response.status_code == 302


def test_the_admin_sign_in_is_refused_for_an_address_over_the_limit(limits, sign_in_post):
    admin = UserFactory(role="admin")
    admin.set_password(RIGHT)
    admin.save()
    _spray(sign_in_post, LIMIT)
    response = Client().post(
        "/admin/login/?next=/admin/",
        {"username": admin.username, "password": RIGHT},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 429
    assert "Too many failed sign-ins from your address" in response.content.decode()


def test_failures_at_the_admin_sign_in_count_against_the_address(limits, sign_in_post, official):
    admin_sign_in = Client()
    for number in range(LIMIT):
        admin_sign_in.post(
            "/admin/login/",
            {"username": f"someone-{number}", "password": WRONG},
            REMOTE_ADDR="10.0.0.1",
        )
    assert sign_in_post(official.username, RIGHT).status_code == 429


def test_a_refused_sign_in_costs_no_password_hash(limits, sign_in_post, official):
    limits.PASSWORD_HASHERS = [f"{CountingHasher.__module__}.CountingHasher"]
    _spray(sign_in_post, LIMIT)
    CountingHasher.calls = 0
    assert sign_in_post("nobody-of-that-name", WRONG).status_code == 429
    assert sign_in_post(official.username, RIGHT).status_code == 429
    assert CountingHasher.calls == 0


def test_the_address_is_free_again_when_the_window_ends(
    limits, monkeypatch, sign_in_post, official
):
    _spray(sign_in_post, LIMIT)
    assert sign_in_post(official.username, RIGHT).status_code == 429
    later = throttle.time.time() + 15 * 60
    monkeypatch.setattr(throttle.time, "time", lambda: later)
    assert sign_in_post(official.username, RIGHT).status_code == 302


def test_a_limit_takes_events_up_to_its_number_and_refuses_the_next(settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 3
    limit = throttle.SIGN_IN_FAILURES
    assert [limit.take("10.0.0.1") for _ in range(4)] == [True, True, True, False]
    assert limit.exceeded("10.0.0.1")
    assert not limit.exceeded("10.0.0.2")
    assert 0 < limit.seconds_left() <= 15 * 60


def test_a_limit_of_zero_is_off(settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 0
    limit = throttle.SIGN_IN_FAILURES
    assert all(limit.take("10.0.0.1") for _ in range(50))
    assert not limit.exceeded("10.0.0.1")


def test_a_request_without_an_address_is_counted_without_error(settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 1
    limit = throttle.SIGN_IN_FAILURES
    assert [limit.take(None), limit.take(None)] == [True, False]
