import datetime
import time

import pytest
import redis
from django.core.cache import cache
from django.db import OperationalError, connections
from django.utils import timezone

from tests.conftest import service_unavailable
from workplan.reminders import health as reminders_health
from workplan.tasks import send_reminders

pytestmark = pytest.mark.django_db

LIVE_REDIS = "redis://127.0.0.1:6379/10"
# Nothing listens on port 1: a refused connection, as when Redis is stopped.
DEAD_REDIS = "redis://127.0.0.1:1/10"


@pytest.fixture
def redis_cache_at(settings, base_settings):
    """Point the cache at a Redis URL, configured as the settings configure it."""

    def point(url):
        settings.CACHES = base_settings(REDIS_URL=url)["CACHES"]

    yield point
    cache.close()


@pytest.fixture
def redis_down(redis_cache_at):
    redis_cache_at(DEAD_REDIS)


def dispatched(ago: datetime.timedelta):
    cache.set(reminders_health.LAST_DISPATCH_KEY, (timezone.now() - ago).isoformat())


def test_healthz_answers_200_without_sign_in_when_all_is_well(client):
    dispatched(datetime.timedelta(hours=2))
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failed"] == []
    assert body["checks"] == {"database": "ok", "cache": "ok", "reminders": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_answers_json_whatever_the_client_accepts(client):
    response = client.get("/healthz", HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"


def test_healthz_checks_a_running_redis(client, redis_cache_at):
    try:
        redis.Redis.from_url(LIVE_REDIS, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        service_unavailable("Redis is not running on 127.0.0.1:6379")
    redis_cache_at(LIVE_REDIS)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == "ok"


def test_healthz_answers_503_naming_the_cache_when_redis_is_down(client, redis_down):
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["failed"] == ["cache"]
    assert body["checks"]["cache"].startswith("error: ")
    assert body["checks"]["database"] == "ok"


def test_the_portal_keeps_serving_while_redis_is_down(client, redis_down, official, task):
    assert client.get("/accounts/login/").status_code == 200
    response = client.post(
        "/accounts/login/", {"username": official.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    response = client.get("/")
    assert response.status_code == 200
    assert task.title in response.content.decode()


def test_healthz_answers_503_naming_the_database_when_it_is_down(client, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(type(connections["default"]), "temporary_connection", refused)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    assert response.json()["checks"]["database"].startswith("error: Unavailable: ")


def test_an_unknown_last_dispatch_is_reported_without_failing(client):
    body = client.get("/healthz").json()
    assert body["checks"]["reminders"] == "unknown: no dispatch recorded yet"
    assert body["status"] == "ok"


def test_a_dispatch_older_than_a_day_and_a_bit_answers_503(client):
    dispatched(datetime.timedelta(hours=27))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["reminders"]
    reminders = response.json()["checks"]["reminders"]
    assert reminders.startswith("error: Unavailable: no dispatch since ")


def test_the_daily_dispatch_job_records_its_run_for_healthz(client):
    dispatched(datetime.timedelta(days=9))
    send_reminders.delay(date="2024-03-06")
    response = client.get("/healthz")
    assert response.status_code == 200
    at = reminders_health.last_dispatch_at()
    assert timezone.now() - at < datetime.timedelta(minutes=1)


def test_a_failing_reminders_lookup_answers_503(client, monkeypatch):
    def broken():
        raise OperationalError("no such table")

    monkeypatch.setattr(reminders_health, "last_dispatch_at", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["reminders"]
