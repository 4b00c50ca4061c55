"""Production settings: every secret comes from the environment, nothing insecure by default.

Required: DJANGO_SECRET_KEY (50+ random characters), DJANGO_ALLOWED_HOSTS, DATABASE_URL,
REDIS_URL, SITE_URL, TRUSTED_PROXY_COUNT. A missing one stops the process at start with
ImproperlyConfigured naming it.
"""

from django.core.exceptions import ImproperlyConfigured

from etown.env import env

# Checked before the base settings read it: without Redis they would run every job inside the
# web process and keep a cache per process, which production must never do by accident.
if not env.str("REDIS_URL", default=""):
    raise ImproperlyConfigured(
        "Set the REDIS_URL environment variable (e.g. redis://127.0.0.1:6379/0): production "
        "runs jobs on Celery workers through Redis, never in the web process."
    )

# The base default (http://127.0.0.1:8000) is a developer's machine: every reset link and task
# link in a mail would point there.
if not env.str("SITE_URL", default=""):
    raise ImproperlyConfigured(
        "Set the SITE_URL environment variable (e.g. https://workplan.etown.example): the "
        "links in every mail, password reset links included, start with it."
    )

from .base import *  # noqa: E402,F403
from .base import DATABASES  # noqa: E402

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# No SQLite fallback here: the base default is for a developer's machine only.
DATABASES["default"].update(env.db("DATABASE_URL"))
# No page may hold a connection for minutes; workers and commands are not limited.
DATABASE_STATEMENT_TIMEOUT_MS = env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=15_000)

# TLS ends at the reverse proxy, which must set X-Forwarded-Proto and strip it from clients.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind that proxy every request comes from the proxy's address: without the number of proxies
# that append to X-Forwarded-For, all clients would share one address, and one client's failed
# sign-ins would lock out everyone and use up everyone's sign-in and reset limits. No default.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT")
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT must be the number of reverse proxies in front of the portal that "
        "append to X-Forwarded-For (1 for the proxy in the README), or 0 if none does."
    )
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# /healthz is probed over plain HTTP from inside the host.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
