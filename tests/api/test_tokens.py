"""Token sign-in: a new token each time, ended by a password change, under the sign-in limits."""

import logging

import pytest
from django.core.cache import cache

from accounts.services import user_set_password
from api.models import ApiToken

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def sign_in(client, username, password=PASSWORD, address="10.0.0.1"):
    return client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
    )


def with_token(client, token):
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/tasks/")


def test_each_sign_in_issues_a_new_token_and_the_old_stops_working(api, official):
    first = sign_in(api, official.username).json()["token"]
    second = sign_in(api, official.username).json()["token"]
    assert first != second
    assert with_token(api, second).status_code == 200
    refused = with_token(api, first)
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == "Token"
    assert ApiToken.objects.filter(user=official).count() == 1


def test_only_a_digest_of_the_token_is_stored(api, official):
    token = sign_in(api, official.username).json()["token"]
    stored = ApiToken.objects.get(user=official)
    assert token not in (stored.digest, stored.password_stamp)


def test_a_password_change_ends_the_token(api, official):
    token = sign_in(api, official.username).json()["token"]
    user_set_password(user=official, password="A-new-long-password-7")
    assert with_token(api, token).status_code == 401


def test_an_inactive_account_s_token_stops_working(api, official):
    token = sign_in(api, official.username).json()["token"]
    official.is_active = False
    official.save()
    assert with_token(api, token).status_code == 401


def test_wrong_credentials_are_400_and_a_missing_field_is_named(api, official):
    wrong = sign_in(api, official.username, password="not-the-password")
    assert wrong.status_code == 400
    assert "non_field_errors" in wrong.json()
    missing = api.post("/api/v1/auth/token/", {"username": official.username}, format="json")
    assert missing.status_code == 400
    assert "password" in missing.json()


@pytest.mark.parametrize("header", ["Token", "Token a b", "token"])
def test_a_malformed_token_header_is_401(api, header):
    api.credentials(HTTP_AUTHORIZATION=header)
    assert api.get("/api/v1/tasks/").status_code == 401


def test_no_credentials_is_401_asking_for_a_token(api):
    response = api.get("/api/v1/tasks/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_request_starts_no_session(api, official):
    token = sign_in(api, official.username).json()["token"]
    response = with_token(api, token)
    assert "sessionid" not in response.cookies


def test_the_lockout_applies_to_the_token_endpoint(api, official, axes_enabled):
    for _ in range(5):
        assert sign_in(api, official.username, password="wrong-password").status_code in (400, 429)
    locked = sign_in(api, official.username)  # the right password, too late
    assert locked.status_code == 429
    assert "token" not in locked.json()
    # Another address is not locked out of the account.
    assert sign_in(api, official.username, address="10.0.0.2").status_code == 200


def test_the_address_limit_applies_to_the_token_endpoint(api, official, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 3
    cache.clear()
    for index in range(3):
        sign_in(api, f"someone{index}", password="wrong-password")
    assert sign_in(api, official.username).status_code == 429
    assert sign_in(api, official.username, address="10.0.0.9").status_code == 200


def test_requests_are_limited_per_user(api, official, settings):
    settings.API_THROTTLE_USER_RATE = "3/minute"
    cache.clear()
    client = api.as_user(official)
    codes = [client.get("/api/v1/areas/", REMOTE_ADDR=f"10.0.1.{n}").status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]


def test_requests_are_limited_per_address_whoever_signs_in(api, official, supervisor, settings):
    settings.API_THROTTLE_ADDRESS_RATE = "3/minute"
    cache.clear()
    codes = [
        sign_in(api, "nobody", password="wrong-password").status_code,
        api.as_user(official).get("/api/v1/areas/", REMOTE_ADDR="10.0.0.1").status_code,
        api.as_user(supervisor).get("/api/v1/areas/", REMOTE_ADDR="10.0.0.1").status_code,
        sign_in(api, official.username).status_code,
    ]
    assert codes == [400, 200, 200, 429]
    assert sign_in(api, official.username, address="10.0.0.7").status_code == 200


class Recorder(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


def test_a_token_sign_in_is_written_to_the_audit_trail(api, official):
    recorder = Recorder()
    audit = logging.getLogger("etown.audit")
    audit.addHandler(recorder)
    try:
        sign_in(api, official.username)
    finally:
        audit.removeHandler(recorder)
    (line,) = recorder.records
    assert (line.msg, line.user, line.via, line.ip) == ("sign_in", official.pk, "api", "10.0.0.1")
    assert not any("correct-horse" in str(r.__dict__) for r in recorder.records)
