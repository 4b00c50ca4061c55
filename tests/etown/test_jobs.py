import logging
import smtplib

from etown.celery import app
from etown.jobs import job_enqueue
from etown.settings import base

ran = []


@app.task(name="tests.etown.record")
def record(value):
    ran.append(value)


def test_a_job_is_queued_and_reported_as_queued():
    ran.clear()
    assert job_enqueue(record, "x") is True
    assert ran == ["x"]


def test_an_unreachable_broker_gives_false_and_an_error_line(monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(record, "apply_async", refuse)
    with caplog.at_level(logging.INFO):
        assert job_enqueue(record, "x") is False
    (line,) = [r for r in caplog.records if r.getMessage() == "job_not_queued"]
    assert line.task == "tests.etown.record"
    assert line.error == "ConnectionRefusedError"


@app.task(name="tests.etown.refuse")
def refuse():
    raise smtplib.SMTPDataError(554, b"5.7.1 Message refused")


def test_in_process_a_failing_job_is_logged_and_never_raised_to_whoever_queued_it(
    monkeypatch, caplog
):
    # `make run` has no REDIS_URL: jobs run in the web process, with the base settings' choice
    # (the unit tests themselves let failures propagate, to see them).
    monkeypatch.setitem(app.conf, "task_eager_propagates", base.CELERY_TASK_EAGER_PROPAGATES)
    with caplog.at_level(logging.INFO):
        assert job_enqueue(refuse) is True
    (line,) = [r for r in caplog.records if r.name == "celery.app.trace"]
    assert line.levelno == logging.ERROR
    assert "SMTPDataError" in line.getMessage()
