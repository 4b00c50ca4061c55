import os
import secrets
import subprocess
import sys

import pytest

from etown.env import BASE_DIR


def _check_deploy(**variables):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in REQUIRED
    }
    environment.update(variables)
    return subprocess.run(
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings=etown.settings.production",
        ],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


REQUIRED = {
    "DJANGO_ALLOWED_HOSTS": "workplan.etown.example",
    "DATABASE_URL": "postgres://etown@db.internal:5432/etown",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "TRUSTED_PROXY_COUNT": "1",
    "SITE_URL": "https://workplan.etown.example",
}


def test_the_production_settings_pass_the_deploy_check_with_no_issue():
    result = _check_deploy(DJANGO_SECRET_KEY=secrets.token_urlsafe(64), **REQUIRED)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "missing",
    ["DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "TRUSTED_PROXY_COUNT", "SITE_URL"],
)
def test_the_production_settings_refuse_to_start_without_a_required_variable(missing):
    variables = {"DJANGO_SECRET_KEY": secrets.token_urlsafe(64), **REQUIRED}
    del variables[missing]
    result = _check_deploy(**variables)
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr.strip().splitlines()[-1]


def test_the_production_settings_refuse_a_negative_proxy_count():
    result = _check_deploy(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64), **{**REQUIRED, "TRUSTED_PROXY_COUNT": "-1"}
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be the number of reverse proxies" in result.stderr


def test_the_production_settings_run_jobs_on_workers_and_cache_in_redis():
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL, "
        "settings.CACHES['default']['BACKEND'])"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in REQUIRED
    }
    environment.update(
        REQUIRED,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_SETTINGS_MODULE="etown.settings.production",
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "redis://redis.internal:6379/0",
        "etown.cache.RedisCache",
    ]


def test_the_deploy_check_reports_a_weak_secret_key():
    result = _check_deploy(DJANGO_SECRET_KEY="short", **REQUIRED)
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


def test_the_production_language_cookie_is_secure_http_only_and_same_site():
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.LANGUAGE_COOKIE_SECURE, settings.LANGUAGE_COOKIE_HTTPONLY, "
        "settings.LANGUAGE_COOKIE_SAMESITE, settings.SITE_URL)"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in REQUIRED
    }
    environment.update(
        REQUIRED,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_SETTINGS_MODULE="etown.settings.production",
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "Lax", "https://workplan.etown.example"]
