import runpy

import pytest
from django.core.cache import cache

from etown.env import BASE_DIR


@pytest.fixture(autouse=True)
def _empty_cache():
    """Leave no cache entry (a reminder dispatch time, say) behind for the next test."""
    yield
    cache.clear()


@pytest.fixture
def axes_enabled(settings):
    """Turn django-axes on (the test settings keep it off for the test client's login())."""
    settings.AXES_ENABLED = True
    return settings


@pytest.fixture
def sign_in_post(client):
    """POST the sign-in form as a browser would, from a given address."""

    def post(username, password, address="10.0.0.1", **extra):
        return client.post(
            "/accounts/login/",
            {"username": username, "password": password},
            REMOTE_ADDR=address,
            **extra,
        )

    return post


@pytest.fixture
def base_settings(monkeypatch):
    """Return what etown/settings/base.py makes of an environment (None removes a variable)."""

    def read(**environment):
        for name, value in environment.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        return runpy.run_path(str(BASE_DIR / "etown" / "settings" / "base.py"))

    return read
