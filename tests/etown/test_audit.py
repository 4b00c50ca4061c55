import logging

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _audit(caplog):
    return [record for record in caplog.records if record.name == "etown.audit"]


def test_a_sign_in_is_audited_with_the_user_and_address(client, caplog, official):
    with caplog.at_level(logging.INFO):
        client.post(
            "/accounts/login/",
            {"username": official.username, "password": PASSWORD},
            REMOTE_ADDR="10.1.2.3",
        )
    (record,) = _audit(caplog)
    assert record.getMessage() == "sign_in"
    assert record.user == official.pk
    assert record.ip == "10.1.2.3"


def test_a_failed_sign_in_is_audited_with_the_username_but_not_the_password(
    client, caplog, official
):
    with caplog.at_level(logging.INFO):
        client.post(
            "/accounts/login/",
            {"username": official.username, "password": "Wr0ng-password"},
            REMOTE_ADDR="10.1.2.3",
        )
    (record,) = _audit(caplog)
    assert record.getMessage() == "sign_in_failed"
    assert record.levelno == logging.WARNING
    assert record.username == official.username
    assert record.ip == "10.1.2.3"
    assert "Wr0ng-password" not in str(vars(record))


def test_a_sign_out_is_audited(client, caplog, official):
    client.force_login(official)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        client.post("/accounts/logout/")
    (record,) = _audit(caplog)
    assert record.getMessage() == "sign_out"
    assert record.user == official.pk


def test_a_lockout_is_audited(axes_enabled, sign_in_post, caplog, official):
    with caplog.at_level(logging.INFO):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in_post(official.username, "Wr0ng-password", "10.9.9.9")
    locked = [record for record in _audit(caplog) if record.getMessage() == "locked_out"]
    assert len(locked) == 1
    assert locked[0].username == official.username
    assert locked[0].ip == "10.9.9.9"


@pytest.mark.urls("tests.etown.urls")
def test_a_permission_refusal_is_audited(client, caplog, official):
    client.force_login(official)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert client.get("/forbidden/").status_code == 403
    (record,) = _audit(caplog)
    assert record.getMessage() == "permission_refused"
    assert record.user == official.pk
    assert record.path == "/forbidden/"


def test_an_admin_page_refused_to_a_supervisor_is_audited(client, caplog, supervisor):
    client.force_login(supervisor)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert client.get("/admin/axes/accessattempt/").status_code == 403
    (record,) = _audit(caplog)
    assert record.getMessage() == "permission_refused"
    assert record.view == "admin:axes_accessattempt_changelist"


def test_an_address_reaching_the_sign_in_limit_is_audited_once(client, caplog, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 3
    with caplog.at_level(logging.INFO):
        for number in range(5):
            client.post(
                "/accounts/login/",
                {"username": f"someone-{number}", "password": "Wr0ng-password"},
                REMOTE_ADDR="10.1.2.3",
            )
    (record,) = [record for record in _audit(caplog) if record.getMessage() == "limit_reached"]
    assert record.limit == "sign_in_failures"
    assert record.ip == "10.1.2.3"


def test_a_reset_refused_by_the_account_limit_is_audited_with_the_user(
    client, caplog, settings, official
):
    settings.PASSWORD_RESET_ACCOUNT_LIMIT = 1
    with caplog.at_level(logging.INFO):
        for _ in range(2):
            client.post("/accounts/password/reset/", {"email": official.email})
    (record,) = [record for record in _audit(caplog) if record.getMessage() == "limit_reached"]
    assert record.limit == "password_reset_account"
    assert record.user == official.pk
