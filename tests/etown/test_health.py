import datetime
import sys
import time
import types

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.utils import timezone

from etown import health
from tests.conftest import service_unavailable

pytestmark = pytest.mark.django_db

LIVE_REDIS = "redis://127.0.0.1:6379/10"
# Nothing listens on port 1: a refused connection, as when Redis is stopped.
DEAD_REDIS = "redis://127.0.0.1:1/10"


@pytest.fixture
def no_reminders_module(monkeypatch):
    """Make the check fall back to the cache key, as before the reminders code exists."""
    monkeypatch.setitem(sys.modules, "workplan.reminders", None)


@pytest.fixture
def redis_down(settings):
    settings.REDIS_URL = DEAD_REDIS
    settings.CACHES = {
        "default": {"BACKEND": "etown.cache.ResilientRedisCache", "LOCATION": DEAD_REDIS}
    }
    yield
    cache.close()


def test_healthz_answers_200_without_sign_in_when_all_is_well(client, no_reminders_module):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failed"] == []
    assert body["checks"]["database"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_reports_redis_as_not_configured_without_a_redis_url(
    client, settings, no_reminders_module
):
    settings.REDIS_URL = ""
    assert client.get("/healthz").json()["checks"]["redis"] == "not configured"


def test_healthz_pings_a_running_redis(client, settings, no_reminders_module):
    import redis

    try:
        redis.Redis.from_url(LIVE_REDIS, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        service_unavailable("Redis is not running on 127.0.0.1:6379")
    settings.REDIS_URL = LIVE_REDIS
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["redis"] == "ok"


def test_healthz_answers_503_naming_redis_when_redis_is_down(
    client, redis_down, no_reminders_module
):
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["redis"]
    assert body["checks"]["redis"].startswith("error: ")
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


def test_healthz_answers_503_naming_the_database_when_it_is_down(
    client, monkeypatch, no_reminders_module
):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    assert response.json()["checks"]["database"] == "error: OperationalError"


def test_an_unknown_last_dispatch_is_reported_without_failing(client, no_reminders_module):
    cache.delete(health.REMINDER_DISPATCH_CACHE_KEY)
    body = client.get("/healthz").json()
    assert body["checks"]["reminders"] == "unknown"
    assert body["last_reminder_dispatch"] == {"at": None, "age_seconds": None}
    assert body["status"] == "ok"


def test_a_recent_dispatch_in_the_cache_is_healthy(client, no_reminders_module):
    at = timezone.now() - datetime.timedelta(hours=2)
    cache.set(health.REMINDER_DISPATCH_CACHE_KEY, at.isoformat())
    body = client.get("/healthz").json()
    assert body["checks"]["reminders"] == "ok"
    assert 7100 < body["last_reminder_dispatch"]["age_seconds"] < 7300


def test_a_dispatch_older_than_a_day_and_a_bit_answers_503(client, no_reminders_module):
    cache.set(health.REMINDER_DISPATCH_CACHE_KEY, timezone.now() - datetime.timedelta(hours=27))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["reminders"]
    assert response.json()["checks"]["reminders"] == "stale"


def test_the_reminders_module_is_asked_first_when_it_exists(client, monkeypatch):
    at = timezone.now() - datetime.timedelta(minutes=5)
    module = types.ModuleType("workplan.reminders")
    module.last_dispatch_at = lambda: at
    monkeypatch.setitem(sys.modules, "workplan.reminders", module)
    cache.set(health.REMINDER_DISPATCH_CACHE_KEY, timezone.now() - datetime.timedelta(days=9))
    body = client.get("/healthz").json()
    assert body["checks"]["reminders"] == "ok"
    assert body["last_reminder_dispatch"]["at"] == at.isoformat()


def test_a_failing_reminders_lookup_answers_503(client, monkeypatch):
    module = types.ModuleType("workplan.reminders")

    def last_dispatch_at():
        raise OperationalError("no such table")

    module.last_dispatch_at = last_dispatch_at
    monkeypatch.setitem(sys.modules, "workplan.reminders", module)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["reminders"] == "error: OperationalError"
