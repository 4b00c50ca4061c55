import logging
import time

import pytest
import redis

from etown import cache as resilient
from etown.cache import ResilientRedisCache
from tests.conftest import service_unavailable

DEAD_REDIS = "redis://127.0.0.1:1/10"
LIVE_REDIS = "redis://127.0.0.1:6379/10"


@pytest.fixture
def dead_cache(monkeypatch):
    monkeypatch.setattr(resilient, "_last_logged", 0.0)
    backend = ResilientRedisCache(DEAD_REDIS, {"KEY_PREFIX": "etown-test"})
    yield backend
    backend.close()


def test_an_unreachable_redis_reads_as_an_empty_cache(dead_cache):
    started = time.monotonic()
    assert dead_cache.get("key") is None
    assert dead_cache.get("key", "fallback") == "fallback"
    assert dead_cache.get_many(["a", "b"]) == {}
    assert dead_cache.has_key("key") is False
    assert dead_cache.get_or_set("key", 42) == 42
    assert time.monotonic() - started < 3


def test_writes_to_an_unreachable_redis_are_dropped_without_error(dead_cache):
    dead_cache.set("key", 1)
    assert dead_cache.add("key", 1) is False
    assert dead_cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert dead_cache.delete("key") is False
    dead_cache.delete_many(["a"])
    assert dead_cache.touch("key") is False


def test_counters_still_raise_when_redis_is_unreachable(dead_cache):
    with pytest.raises(redis.exceptions.ConnectionError):
        dead_cache.incr("counter")


def test_an_outage_is_logged_once_not_on_every_call(dead_cache, caplog):
    with caplog.at_level(logging.WARNING, logger="etown.cache"):
        for _ in range(5):
            dead_cache.get("key")
    records = [r for r in caplog.records if r.name == "etown.cache"]
    assert len(records) == 1
    assert records[0].getMessage() == "cache_unreachable"
    assert records[0].operation == "get"


def test_a_running_redis_stores_and_returns_values():
    try:
        redis.Redis.from_url(LIVE_REDIS, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        service_unavailable("Redis is not running on 127.0.0.1:6379")
    backend = ResilientRedisCache(LIVE_REDIS, {"KEY_PREFIX": "etown-test-cache"})
    try:
        backend.set("key", {"value": 1}, 30)
        assert backend.get("key") == {"value": 1}
        assert backend.add("key", 2) is False
    finally:
        backend.delete("key")
        backend.close()


def test_what_an_unreachable_redis_returns_is_never_shared_between_calls(dead_cache):
    found = dead_cache.get_many(["a"])
    found["a"] = "filled in by a caller"
    assert dead_cache.get_many(["a"]) == {}
