import json
import logging

import pytest

from etown.celery import app
from etown.logs import OncePerInterval, json_formatter
from workplan import views

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _records(caplog, logger):
    return [record for record in caplog.records if record.name == logger]


def _all_lines(caplog):
    formatter = json_formatter()
    return "\n".join(formatter.format(record) for record in caplog.records)


def test_each_request_writes_one_line_with_method_path_status_time_and_user(
    client, caplog, official
):
    client.force_login(official)
    with caplog.at_level(logging.INFO):
        client.get("/")
    (record,) = _records(caplog, "etown.request")
    assert record.getMessage() == "request"
    assert (record.method, record.path, record.status) == ("GET", "/", 200)
    assert record.user == official.pk
    assert record.view == "workplan:dashboard"
    assert isinstance(record.duration_ms, float)
    assert record.duration_ms >= 0


def test_an_anonymous_request_is_logged_without_a_user(client, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/accounts/login/")
    (record,) = _records(caplog, "etown.request")
    assert record.user is None
    assert record.status == 200


def test_the_query_string_is_never_logged(client, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/accounts/login/?token=s3cr3t-feed-token&next=/")
    (record,) = _records(caplog, "etown.request")
    assert record.path == "/accounts/login/"
    assert "s3cr3t-feed-token" not in _all_lines(caplog)


@pytest.mark.urls("tests.etown.urls")
def test_a_token_in_the_url_path_is_redacted(client, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get("/calendar/s3cr3t-feed-token.ics")
    assert response.status_code == 200
    (record,) = _records(caplog, "etown.request")
    assert record.path == "/calendar/[redacted].ics"
    assert "s3cr3t-feed-token" not in _all_lines(caplog)


@pytest.mark.urls("tests.etown.urls")
def test_a_password_reset_link_is_logged_without_its_user_and_token(client, caplog, official):
    with caplog.at_level(logging.INFO):
        client.get("/reset/MTIz/cbj2s1-0123456789abcdef0123456789abcdef/")
    (record,) = _records(caplog, "etown.request")
    assert record.path == "/reset/[redacted]/[redacted]/"
    assert "0123456789abcdef" not in _all_lines(caplog)
    assert "MTIz" not in _all_lines(caplog)


def test_a_password_typed_at_sign_in_is_never_logged(client, caplog, official):
    with caplog.at_level(logging.DEBUG):
        client.post("/accounts/login/", {"username": official.username, "password": PASSWORD})
        client.post("/accounts/login/", {"username": official.username, "password": "Wr0ng-pw!"})
    lines = _all_lines(caplog)
    assert "etown.audit" in lines
    assert PASSWORD not in lines
    assert "Wr0ng-pw!" not in lines


def test_a_server_error_is_logged_as_an_error_line(client, caplog, monkeypatch, official):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "dashboard_for", broken)
    client.raise_request_exception = False
    client.force_login(official)
    with caplog.at_level(logging.INFO):
        assert client.get("/").status_code == 500
    (record,) = _records(caplog, "etown.request")
    assert record.levelno == logging.ERROR
    assert record.status == 500


def test_the_formatter_writes_one_json_object_a_line_with_the_extra_fields():
    record = logging.LogRecord("etown.request", logging.INFO, __file__, 1, "request", (), None)
    record.path = "/tasks/\nlevel=CRITICAL forged"
    record.user = 7
    record.note = 'said "hi" 你好'
    line = json_formatter().format(record)
    assert "\n" not in line
    fields = json.loads(line)
    assert {key: fields[key] for key in ("level", "logger", "msg")} == {
        "level": "INFO",
        "logger": "etown.request",
        "msg": "request",
    }
    assert fields["ts"].endswith("+00:00")
    assert fields["path"] == "/tasks/\nlevel=CRITICAL forged"
    assert fields["user"] == 7
    assert fields["note"] == 'said "hi" 你好'


def test_the_request_django_attaches_to_its_error_lines_is_never_written(rf):
    request = rf.get("/tasks/?token=s3cr3t-feed-token")
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", (), None)
    record.request = request
    record.status_code = 500
    line = json_formatter().format(record)
    assert "s3cr3t-feed-token" not in line
    assert json.loads(line)["status_code"] == 500


def test_once_per_interval_lets_one_record_through_per_interval(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("etown.logs.time.monotonic", lambda: now[0])
    once = OncePerInterval(seconds=30)
    record = logging.LogRecord("etown.cache", logging.ERROR, __file__, 1, "down", (), None)
    assert [once.filter(record) for _ in range(3)] == [True, False, False]
    now[0] += 29.9
    assert once.filter(record) is False
    now[0] += 0.2
    assert once.filter(record) is True


@app.task(name="tests.etown.add")
def add(x, y):
    return x + y


@app.task(name="tests.etown.explode")
def explode():
    raise ValueError("boom")


def test_each_job_writes_one_line_with_name_id_time_and_outcome(caplog):
    with caplog.at_level(logging.INFO):
        result = add.delay(2, 3)
    assert result.get() == 5
    (record,) = _records(caplog, "etown.job")
    assert record.task == "tests.etown.add"
    assert record.id == result.id
    assert record.outcome == "SUCCESS"
    assert record.duration_ms >= 0


def test_a_failed_job_is_logged_as_an_error(caplog):
    with caplog.at_level(logging.INFO):
        explode.apply(throw=False)
    (record,) = _records(caplog, "etown.job")
    assert record.outcome == "FAILURE"
    assert record.levelno == logging.ERROR
