import logging
import socket
import time

import pytest
import redis
from django.utils.module_loading import import_string

from etown.logs import OncePerInterval
from tests.conftest import service_unavailable

DEAD_REDIS = "redis://127.0.0.1:1/10"
LIVE_REDIS = "redis://127.0.0.1:6379/10"


@pytest.fixture
def redis_cache(base_settings):
    """Build the cache the settings configure for a REDIS_URL, under a prefix of the test's."""
    built = []

    def build(url):
        config = base_settings(REDIS_URL=url)["CACHES"]["default"]
        backend = import_string(config["BACKEND"])(
            config["LOCATION"], {**config, "KEY_PREFIX": "etown-test-cache"}
        )
        built.append(backend)
        return backend

    yield build
    for backend in built:
        backend.close()


@pytest.fixture
def dead_cache(redis_cache):
    return redis_cache(DEAD_REDIS)


@pytest.fixture
def silent_redis():
    """A server that accepts connections and never answers, as a hung Redis does."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()


def test_without_a_redis_url_the_cache_is_in_process_memory(base_settings):
    config = base_settings(REDIS_URL=None)["CACHES"]["default"]
    assert config["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_an_unreachable_redis_reads_as_an_empty_cache(dead_cache):
    started = time.monotonic()
    assert dead_cache.get("key") is None
    assert dead_cache.get("key", "fallback") == "fallback"
    assert dead_cache.get_many(["a", "b"]) == {}
    assert not dead_cache.has_key("key")
    assert dead_cache.get_or_set("key", 42) == 42
    assert time.monotonic() - started < 3


def test_writes_to_an_unreachable_redis_are_dropped_without_error(dead_cache):
    dead_cache.set("key", 1)
    assert not dead_cache.add("key", 1)
    dead_cache.set_many({"a": 1, "b": 2})
    assert not dead_cache.delete("key")
    dead_cache.delete_many(["a"])
    assert dead_cache.incr("counter") is None


def test_what_an_unreachable_redis_returns_is_never_shared_between_calls(dead_cache):
    found = dead_cache.get_many(["a"])
    found["a"] = "filled in by a caller"
    assert dead_cache.get_many(["a"]) == {}


def test_a_redis_that_never_answers_holds_a_call_for_half_a_second_at_most(
    redis_cache, silent_redis
):
    cache = redis_cache(silent_redis)
    started = time.monotonic()
    assert cache.get("key", "fallback") == "fallback"
    assert time.monotonic() - started < 1.5


def test_an_outage_is_logged_once_not_on_every_call(dead_cache, caplog, monkeypatch):
    logger = logging.getLogger("etown.cache")
    configured = [f for f in logger.filters if isinstance(f, OncePerInterval)]
    assert configured, "LOGGING gives etown.cache no OncePerInterval filter"
    # A filter of our own, so a line another test logged does not hold this one back.
    monkeypatch.setattr(logger, "filters", [OncePerInterval(configured[0].seconds)])
    with caplog.at_level(logging.WARNING, logger="etown.cache"):
        for _ in range(5):
            dead_cache.get("key")
    records = [record for record in caplog.records if record.name == "etown.cache"]
    assert len(records) == 1
    assert records[0].getMessage() == "Exception ignored"
    assert isinstance(records[0].exc_info[1].__cause__, redis.exceptions.ConnectionError)


def test_a_running_redis_stores_and_returns_values(redis_cache):
    try:
        redis.Redis.from_url(LIVE_REDIS, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        service_unavailable("Redis is not running on 127.0.0.1:6379")
    cache = redis_cache(LIVE_REDIS)
    try:
        cache.set("key", {"value": 1}, 30)
        assert cache.get("key") == {"value": 1}
        assert cache.get_many(["key", "missing"]) == {"key": {"value": 1}}
        assert cache.add("key", 2) is False
    finally:
        cache.delete("key")
