"""Settings for the test suite."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-insecure-key")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "*")

from .base import *  # noqa: E402,F403
from .base import BASE_DIR  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(BASE_DIR / ".test-media"))
# Unit tests run jobs in-process; integration tests start a real worker with their own settings.
CELERY_TASK_ALWAYS_EAGER = True
# ...and a failing job fails its test, instead of a log line nobody reads.
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# One process (the live server of the browser tests runs in a thread): the figures are cached
# as in production, so the tests see the cache at work.
WORKPLAN_CACHE_FIGURES = True
# Django's test client signs in without a request, which django-axes refuses; the sign-in
# protection tests turn it on with the `axes_enabled` fixture.
AXES_ENABLED = False
# The cache outlives a test, so failed sign-ins and reset mails of earlier tests would count
# against later ones: the limits are off, and the tests of etown.throttle turn them on.
SIGN_IN_ADDRESS_FAILURE_LIMIT = 0
PASSWORD_RESET_ADDRESS_LIMIT = 0
PASSWORD_RESET_ACCOUNT_LIMIT = 0
# The API's throttles count in the cache, which outlives a test: off, and the throttle tests turn
# them on.
API_THROTTLE_USER_RATE = None
API_THROTTLE_ADDRESS_RATE = None
