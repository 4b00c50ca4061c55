"""A Redis cache that treats an unreachable Redis as an empty cache instead of an error.

The cache only ever holds what can be recomputed, so while Redis is down every read is a miss,
every write is dropped, and pages keep being served (a little slower). Each failure is logged,
at most once per LOG_EVERY_SECONDS so an outage does not flood the log.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger("etown.cache")

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
LOG_EVERY_SECONDS = 30
# A page waits at most this long for Redis before treating it as down.
DEFAULT_OPTIONS = {
    "socket_connect_timeout": 0.25,
    "socket_timeout": 0.5,
    "retry": Retry(NoBackoff(), 0),
}

_last_logged = 0.0


def _log_unreachable(operation: str, error: Exception) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= LOG_EVERY_SECONDS:
        _last_logged = now
        logger.warning(
            "cache_unreachable",
            extra={"operation": operation, "error": error.__class__.__name__},
        )


def _fallback(result):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                _log_unreachable(method.__name__, error)
                return result(*args, **kwargs) if callable(result) else result

        return wrapper

    return decorate


def _default_of_get(key, default=None, version=None):
    return default


class ResilientRedisCache(RedisCache):
    """Django's RedisCache with short timeouts and misses instead of errors when Redis is down.

    incr() and decr() still raise: a counter that silently stops counting would be a lie.
    """

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)

    add = _fallback(False)(RedisCache.add)
    get = _fallback(_default_of_get)(RedisCache.get)
    set = _fallback(None)(RedisCache.set)
    touch = _fallback(False)(RedisCache.touch)
    delete = _fallback(False)(RedisCache.delete)
    # A new dict each time: callers may fill in what they found missing.
    get_many = _fallback(lambda *args, **kwargs: {})(RedisCache.get_many)
    has_key = _fallback(False)(RedisCache.has_key)
    # set_many answers with the keys it could not store: all of them.
    set_many = _fallback(lambda data, *args, **kwargs: list(data))(RedisCache.set_many)
    delete_many = _fallback(None)(RedisCache.delete_many)
    clear = _fallback(False)(RedisCache.clear)
