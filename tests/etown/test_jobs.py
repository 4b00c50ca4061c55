import logging

from etown.celery import app
from etown.jobs import job_enqueue

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
