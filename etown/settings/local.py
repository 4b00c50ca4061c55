"""Development settings: safe defaults so `make run` works on a fresh clone."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

from .base import *  # noqa: E402,F403

# Static files straight from static/ and the apps, DEBUG or not: with the manifest storage of
# production, DJANGO_DEBUG=false and no `collectstatic` made every page 500 ("Missing
# staticfiles manifest entry"). Production keeps the hashed, compressed files.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
