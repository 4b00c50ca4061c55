"""The portal's Redis cache: django-redis, answering a new dict from every failed get_many.

django-redis (IGNORE_EXCEPTIONS, configured in etown/settings/base.py) treats an unreachable
Redis as an empty cache: every read is a miss, every write is dropped, each failure is logged.
What it does not do: while Redis is down it answers every get_many with one and the same dict
(`omit_exception(return_value={})`), so a caller that fills in what it found missing would hand
its values to every later caller, one user's figures to another. This class answers a new dict.

touch(), ttl() and expire() still raise while Redis is down (django-redis lets their errors
through); nothing in the portal calls them.
"""

from django_redis.cache import RedisCache as DjangoRedisCache


class RedisCache(DjangoRedisCache):
    def get_many(self, *args, **kwargs):
        return dict(super().get_many(*args, **kwargs))
